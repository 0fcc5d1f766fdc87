// Case 5: bad configuration fails with one line that names the property and the bad value.
def log = new File(basedir, 'build.log').text
assert log.contains("staleguard.duration='abc' is not a duration") : "no one-line duration error in build.log"
assert log.contains("staleguard.kernel='NO_SUCH_PRESET': unknown kernel preset 'NO_SUCH_PRESET'") : "no one-line preset error"
assert log.contains('BUILD FAILURE')
// A corrupt report is an error naming the file.
assert log =~ /Staleguard cannot read a report: \S*target\/staleguard\/tests\/com\.example\.T\/broken\.json: not valid JSON/ : 'the corrupt file is not named'
// One line, not a stack trace: the reason is not followed by an exception dump.
assert !log.contains('at io.staleguard') : "a stack trace leaked into the build log"
assert !log.contains('Exception:') : "an exception leaked into the build log"
return true
