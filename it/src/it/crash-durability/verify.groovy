// Crash case 1 (DURABILITY): a new segment forced and acknowledged, its directory never fsynced. The twin passed
// alone in the first invocation; this checks the second: the build failed with durability and left the report.
import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
assert log.contains('Staleguard found I/O consistency violations: durability') : 'check did not fail with durability'
assert log =~ /reproduce: mvn test -Dtest=BuggySegmentLogTest#rollsToANewSegment -Dstaleguard\.seed=0x\S+.* -Dstaleguard\.crashState=\d+/ : 'no reproduce line with the crash state'

def json = new JsonSlurper()
def tests = new File(basedir, 'target/staleguard/tests')
def buggy = json.parse(new File(tests, 'com.example.wal.BuggySegmentLogTest/rollsToANewSegment.json'))
assert buggy.formatVersion == '1.2'
assert buggy.status == 'FAILED'
assert buggy.counts.DURABILITY == 1 : "counts: ${buggy.counts}"
def v = buggy.violations[0]
assert v.kind == 'DURABILITY'
assert v.location.path.endsWith('/wal/seg-2.log') : "location: ${v.location}"
assert v.actual.startsWith('crash state ') && v.actual.endsWith(': no such file')
assert v.crash.point.text.startsWith("crash state ${v.crash.state} (POSIX): power lost ")
assert v.crash.dropped.any { it.op == 'create' && it.path.endsWith('/wal/seg-2.log') } : "dropped: ${v.crash.dropped}"
assert v.crash.missing[0].missing == 'DIRECTORY_FSYNC' && v.crash.missing[0].path.endsWith('/wal/')
assert v.detail.contains('was never fsynced after the create.')
assert v.timeline.any { it.type == 'CRASH' } && v.timeline.any { it.type == 'DROPPED' }

def twin = json.parse(new File(tests, 'com.example.wal.SegmentLogTest/rollsToANewSegment.json'))
assert twin.status == 'PASSED' && twin.violations.isEmpty() && twin.counts.isEmpty()

// The soak repeated both @Soak crash tests with fresh seeds and the soak's crash-state budget.
def summary = json.parse(new File(basedir, 'target/staleguard/soak-summary.json'))
assert summary.counts.DURABILITY > 0 : "soak counts: ${summary.counts}"
def soaked = summary.violations.findAll { it.name.endsWith('BuggySegmentLogTest#rollsToANewSegment') }
assert !soaked.isEmpty()
assert soaked.every { it.reproduce =~ /-Dstaleguard\.crashStates=300 -Dstaleguard\.crashState=\d+$/ } : soaked*.reproduce
assert soaked.every { it.violation.crash.missing[0].missing == 'DIRECTORY_FSYNC' }
def twinRow = summary.tests.find { it.className == 'com.example.wal.SegmentLogTest' }
assert twinRow != null && twinRow.runs >= 1 && twinRow.failures == 0 : "soak test rows: ${summary.tests}"

def index = new File(basedir, 'target/staleguard/index.html')
assert index.isFile() : 'no HTML report'
def pages = new File(basedir, 'target/staleguard/html').listFiles().collect { it.text }
assert pages.any { it.contains('id="crash-state"') && it.contains('id="crash-missing"') && it.contains('class="sg-crash"') && it.contains('class="sg-dropped"') }
return true
