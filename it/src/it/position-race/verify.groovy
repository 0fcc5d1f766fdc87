// POSITION_RACE: a block reader that does position(x); read(dst) on a channel shared by two threads, on an injected
// @Device Path (SIMULATED). The twin (one lock over the pair) passed alone in the first invocation; this checks the
// second: the build failed with position-race, the report names the file and the offset, the HTML report names
// the kind.
import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
assert log.contains('Staleguard found I/O consistency violations: position-race') : 'check did not fail with position-race'
assert log =~ /reproduce: mvn test -Dtest=BuggyBlockReaderTest#eachReaderGetsItsOwnBlock -Dstaleguard\.seed=0x\S+/ : 'no reproduce line'

def json = new JsonSlurper()
def tests = new File(basedir, 'target/staleguard/tests')
def buggy = json.parse(new File(tests, 'com.example.blocks.BuggyBlockReaderTest/eachReaderGetsItsOwnBlock.json'))
assert buggy.status == 'FAILED'
assert buggy.counts == [POSITION_RACE: 1] : "counts: ${buggy.counts}"
def v = buggy.violations[0]
assert v.kind == 'POSITION_RACE'
assert v.thread == 'reader-1'
assert v.expected.startsWith('position 8192 (set by reader-1: position(8192) at t=')
assert v.actual.startsWith('position 16384 (moved by reader-2: a read of 4096 bytes at t=')
assert v.location.path.endsWith('/blocks.dat') : "location: ${v.location}"
assert v.location.offset == 16384

def twin = json.parse(new File(tests, 'com.example.blocks.BlockReaderTest/eachReaderGetsItsOwnBlock.json'))
assert twin.status == 'PASSED' && twin.violations.isEmpty() && twin.counts.isEmpty()

def index = new File(basedir, 'target/staleguard/index.html')
assert index.isFile() : 'no HTML report'
assert index.text.contains('position-race') : 'the HTML report does not name the kind'
def pages = new File(basedir, 'target/staleguard/html').listFiles().collect { it.text }
assert pages.any { it.contains('position-race') && it.contains('id="violation-file"') && it.contains('/blocks.dat') }
return true
