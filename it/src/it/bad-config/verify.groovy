// Case 5: bad configuration fails with one line that names the property and the bad value.
def log = new File(basedir, 'build.log').text
assert log.contains("staleguard.duration='abc' is not a duration") : "no one-line duration error in build.log"
assert log.contains("staleguard.kernel='NO_SUCH_PRESET': unknown kernel preset 'NO_SUCH_PRESET'") : "no one-line preset error"
assert log.contains('BUILD FAILURE')
// A corrupt report is an error naming the file.
assert log =~ /Staleguard cannot read a report: \S*target\/staleguard\/tests\/com\.example\.T\/broken\.json: not valid JSON/ : 'the corrupt file is not named'
// A report that lost its fields is an error naming the file and the field.
assert log =~ /Staleguard cannot read a report: \S*target\/partial-test\/tests\/com\.example\.T\/failed\.json: missing required field 'testId'/ : 'the partial test report is not named'
assert log =~ /Staleguard cannot read a report: \S*target\/partial-summary\/soak-summary\.json: missing required field 'status'/ : 'the partial summary is not named by check'
assert log =~ /Staleguard cannot read a summary to merge: \S*target\/partial-summary\/soak-summary\.json: missing required field 'status'/ : 'the partial summary is not named by merge'
assert !new File(basedir, 'target/merged/soak-summary.json').exists() : 'merge wrote a summary from a partial one'
assert log.contains("staleguard.duration='9999999999999h' is too long (at most 365d)") : 'no one-line too-long error'
assert !log.contains('must be longer than zero') : 'an overflowed duration reads as zero'
assert log.contains("staleguard.seed='0xqq' is not a seed (use 0x and up to 16 hex digits, as reproduce lines print it, or a decimal number)") : 'no one-line seed error'
assert log.contains("staleguard.acceptPartial='yes' is not true or false") : 'no one-line flag error'
// One line, not a stack trace: the reason is not followed by an exception dump.
assert !log.contains('at io.staleguard') : "a stack trace leaked into the build log"
assert !log.contains('Exception:') : "an exception leaked into the build log"
return true
