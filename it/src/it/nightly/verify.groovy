// docs/NIGHTLY.md's set-up on a buggy project: the report is there when the build fails, whatever goals run, and the
// failure names it; the budget went to the project's @Soak test, not to the simulated kernel scenarios.
import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def dir = new File(basedir, 'target/staleguard')
def index = new File(dir, 'index.html')

// 1: verify with prepare, soak, check, report bound: check fails before report runs, and names the report it wrote.
assert log.contains('BUILD FAILURE')
assert log.contains('Staleguard found I/O consistency violations: guard-tag') : 'check did not fail on guard-tag'
def named = (log =~ /The HTML report with every violation's timeline: (\S+index\.html)/)
assert named.find() : 'the failure does not name the report'
assert new File(named.group(1)).canonicalPath == index.canonicalPath : "named ${named.group(1)}, not ${index}"
assert log.contains('[staleguard]   part 1: 1 @Soak test repeated with fresh seeds - all 3s of the budget: the project\'s own code')
assert log.contains('[staleguard]   not run: kernel scenarios H1-H5 on the simulated stack: on the simulated stack they test Staleguard\'s own simulator')
assert log =~ /\[staleguard\] budget spent: part 1 \d+s/

// 2, 3: each shard's soak wrote its own report, whatever it found.
['shard-1', 'shard-2'].each { s ->
    def summary = new JsonSlurper().parse(new File(basedir, "target/${s}/soak-summary.json"))
    assert summary.status == 'COMPLETE' && summary.scenarios.isEmpty() : "${s}: ${summary.status} ${summary.scenarios}"
    assert summary.tests*.methodName == ['recordsSurvive']
    assert new File(basedir, "target/${s}/index.html").text.contains('guard-tag') : "${s}: no report of its violations"
}

// 4: merge then check, without the report goal: the merged report is written and named.
def merged = new JsonSlurper().parse(new File(dir, 'soak-summary.json'))
assert merged.shard == '1/2+2/2' && merged.counts.GUARD_TAG > 0 : "merged: ${merged.shard} ${merged.counts}"
def html = index.text
assert html.contains('1/2+2/2') : 'index.html is not the merged report'
assert html.contains('guard-tag') && html.contains('recordsSurvive')
def link = html =~ /href="(html\/[^"]+\.html)"/
assert link.find() : 'no violation page'
assert new File(dir, link.group(1)).text.contains('class="sg-timeline"') : 'the violation page has no timeline'
assert (log =~ /The HTML report with every violation's timeline: \S+index\.html/).size() >= 2 : 'the verdict job did not name the report'
return true
