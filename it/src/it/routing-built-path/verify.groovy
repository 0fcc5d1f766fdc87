// Routing: staleguard:prepare put the flag in argLine, so Paths.get(dir.toString()) in the store reached the
// simulated filesystem, and the reused buffer is a guard-tag on the store's file. Without the flag the same path is
// a host path that does not exist: the test would fail with NoSuchFileException, never with guard-tag.
def log = new File(basedir, 'build.log').text
assert log.contains('Staleguard: argLine set to -Djava.nio.file.spi.DefaultFileSystemProvider=io.staleguard.device.fs.RoutingFileSystemProvider')
assert log.contains('BUILD FAILURE')
assert log.contains('guard-tag') : 'the build log does not say guard-tag'
assert log.contains('/test/segment-0.wal') : 'the violation does not name the file'
assert !log.contains('NoSuchFileException') : 'the built path was not routed'
def report = new File(basedir, 'target/staleguard/tests/com.example.store.SegmentStoreTest/appendsRecords.json')
assert report.isFile() : "no per-test report at ${report}"
assert report.text.contains('"GUARD_TAG"')
assert report.text.contains('Path routed from ')
return true
