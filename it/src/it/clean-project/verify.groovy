// Case 1: correct code; extension tests, a soak on MODERN and check give BUILD SUCCESS, and the summary shows work done.
import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')
assert log.contains('Staleguard: no violations') : 'check did not report its verdict'
assert log.contains('elapsed,') && log.contains(' left | ') : 'no progress line'
assert !log.contains('\r') : 'carriage returns in a non-terminal log'

def summary = new JsonSlurper().parse(new File(basedir, 'target/staleguard/soak-summary.json'))
assert summary.format == 'staleguard-soak-summary/1'
assert summary.status == 'COMPLETE'
assert summary.operations > 0 : "the soak ran no operations: ${summary.operations}"
assert summary.counts.isEmpty()
def modern = summary.scenarios.findAll { it.preset == 'MODERN' }
assert modern*.hazard.toSet() == ['H1', 'H2', 'H3', 'H4', 'H5'] as Set
assert modern.every { it.runs > 0 && it.runsWithViolations == 0 } : "MODERN rows: ${modern}"
def soakTest = summary.tests.find { it.methodName == 'appendsManyRecords' }
assert soakTest != null && soakTest.runs >= 1 && soakTest.failures == 0 : "@Soak test rows: ${summary.tests}"
assert summary.tests.every { it.methodName != 'appendsRecords' } : 'an untagged test ran in the soak'
assert new File(basedir, 'target/staleguard/TEST-staleguard-soak.xml').text.contains('<testsuite name="staleguard-soak"')
assert new File(basedir, 'target/staleguard/index.html').isFile()
return true
