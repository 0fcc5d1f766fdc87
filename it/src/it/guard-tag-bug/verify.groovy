// Case 2: a buffer reused before its asynchronous write completed fails the build as guard-tag, naming the test.
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
assert log.contains('guard-tag') : 'the build log does not say guard-tag'
assert log.contains('RecordLogTest') && log.contains('appendsRecords') : 'the build log does not name the test'
assert log.contains('reproduce with: mvn test -Dtest=RecordLogTest#appendsRecords') : 'no reproduce line'
def report = new File(basedir, 'target/staleguard/tests/com.example.wal.RecordLogTest/appendsRecords.json')
assert report.isFile() : "no per-test report at ${report}"
assert report.text.contains('"GUARD_TAG"')
return true
