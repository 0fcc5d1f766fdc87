// soak writes the HTML report with check's failOn and maxViolations: a bad value fails the goal at once, in one line.
def log = new File(basedir, 'build.log').text
assert log.contains("staleguard.failOn: unknown violation kind 'no-such-kind'") : 'no one-line failOn error'
assert log.contains('staleguard.maxViolations: must be 0 or more, was -3') : 'no one-line maxViolations error'
assert !log.contains('Staleguard soak: ') : 'the soak started despite the bad setting'
assert !log.contains('at io.staleguard') && !log.contains('Exception:') : 'a stack trace leaked into the build log'
return true
