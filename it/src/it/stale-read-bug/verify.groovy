// Case 3: a page cache poisoned by a racing read: staleguard:check fails the build and says stale-read.
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
assert log.contains('Staleguard found I/O consistency violations: stale-read') : 'check did not say stale-read'
assert log.contains('com.example.cache.PageCacheTest#servesTheLatestPage') : 'check did not name the test'
assert log.contains('reproduce: mvn test -Dtest=PageCacheTest#servesTheLatestPage') : 'no reproduce command'
assert log =~ /stale-read\s+\d+\s+\(tests \d+, soak 0\)/ : 'no count per kind'
return true
