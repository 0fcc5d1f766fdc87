// Case 5: bad configuration fails with one line that names the property and the bad value.
def log = new File(basedir, 'build.log').text
assert log.contains("staleguard.duration='abc' is not a duration") : "no one-line duration error in build.log"
assert log.contains("staleguard.kernel='NO_SUCH_PRESET'") : "no one-line preset error in build.log"
assert log.contains('BUILD FAILURE')
// One line, not a stack trace: the reason is not followed by an exception dump.
assert !log.contains('at io.staleguard') : "a stack trace leaked into the build log"
return true
