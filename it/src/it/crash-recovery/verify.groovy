// Crash case 2 (CRASH_RECOVERY): operations acknowledged before the batch's force; recovery finds one missing. The
// twin passed alone in the first invocation; this checks the second: the build failed with crash-recovery and left
// the report.
import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
assert log.contains('Staleguard found I/O consistency violations: crash-recovery') : 'check did not fail with crash-recovery'
assert log =~ /reproduce: mvn test -Dtest=BuggyTranslogTest#everyAcknowledgedOperationSurvivesACrash -Dstaleguard\.seed=0x\S+ -Dstaleguard\.crashState=\d+/ : 'no reproduce line with the crash state'

def json = new JsonSlurper()
def tests = new File(basedir, 'target/staleguard/tests')
def buggy = json.parse(new File(tests, 'com.example.tlog.BuggyTranslogTest/everyAcknowledgedOperationSurvivesACrash.json'))
assert buggy.formatVersion == '1.2'
assert buggy.status == 'FAILED'
assert buggy.counts.CRASH_RECOVERY == 1 : "counts: ${buggy.counts}"
def v = buggy.violations[0]
assert v.kind == 'CRASH_RECOVERY'
assert v.actual.startsWith('AssertionError: acknowledged op-') && v.actual.endsWith(' is missing after the crash')
assert buggy.reproduce.endsWith("-Dstaleguard.crashState=${v.crash.state}")
assert v.crash.point.text.contains("power lost just after acknowledge 'op-1'")
assert v.crash.dropped.any { it.op == 'write' && it.path.endsWith('/translog.tlog') } : "dropped: ${v.crash.dropped}"
assert v.crash.missing.any { it.missing == 'FORCE' && it.path.endsWith('/translog.tlog') } : "missing: ${v.crash.missing}"
assert v.detail.contains('but the file was never forced after it')

def twin = json.parse(new File(tests, 'com.example.tlog.TranslogTest/everyAcknowledgedOperationSurvivesACrash.json'))
assert twin.status == 'PASSED' && twin.violations.isEmpty() && twin.counts.isEmpty()

assert new File(basedir, 'target/staleguard/index.html').isFile() : 'no HTML report'
def pages = new File(basedir, 'target/staleguard/html').listFiles().collect { it.text }
assert pages.any { it.contains('id="crash-state"') && it.contains('<code>FORCE</code>') && it.contains('class="sg-crash"') && it.contains('class="sg-ack"') }
return true
