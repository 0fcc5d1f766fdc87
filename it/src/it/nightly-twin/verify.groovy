// The correct twin of the nightly case: the same set-up passes, and the report is written all the same.
import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def dir = new File(basedir, 'target/staleguard')
assert !log.contains('BUILD FAILURE')
assert log.contains('Staleguard: no violations') : 'check did not give its verdict'
assert !log.contains("The HTML report with every violation's timeline") : 'a clean build has no failure message'
assert log.contains('[staleguard]   part 1: 1 @Soak test repeated with fresh seeds - all 3s of the budget: the project\'s own code')
assert log =~ /Staleguard: report written to \S+shard-1\/index\.html/ : 'the shard soak did not write its report'

['shard-1', 'shard-2'].each { s ->
    def summary = new JsonSlurper().parse(new File(basedir, "target/${s}/soak-summary.json"))
    assert summary.status == 'COMPLETE' && summary.counts.isEmpty() : "${s}: ${summary.status} ${summary.counts}"
    assert summary.tests.every { it.runs > 0 && it.failures == 0 } : "${s}: ${summary.tests}"
    assert new File(basedir, "target/${s}/index.html").isFile()
}
def merged = new JsonSlurper().parse(new File(dir, 'soak-summary.json'))
assert merged.shard == '1/2+2/2' && merged.counts.isEmpty()
def html = new File(dir, 'index.html').text
assert html.contains('1/2+2/2') && html.contains('no violations')
return true
