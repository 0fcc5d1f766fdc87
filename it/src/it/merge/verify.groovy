// Case 7: two shards of one soak, then merge: one summary whose numbers are the sums of both.
import groovy.json.JsonSlurper

def json = new JsonSlurper()
def s1 = json.parse(new File(basedir, 'target/shard-1/soak-summary.json'))
def s2 = json.parse(new File(basedir, 'target/shard-2/soak-summary.json'))
def m = json.parse(new File(basedir, 'target/staleguard/soak-summary.json'))
assert s1.shard == '1/2' && s2.shard == '2/2'
assert s1.operations > 0 && s2.operations > 0
assert m.operations == s1.operations + s2.operations
assert m.bytes == s1.bytes + s2.bytes
(s1.counts.keySet() + s2.counts.keySet()).each { k ->
    assert m.counts[k] == (s1.counts[k] ?: 0) + (s2.counts[k] ?: 0) : "count of ${k}"
}
assert m.counts.STALE_READ > 0 : 'the buggy preset found nothing'
m.scenarios.each { row ->
    def a = s1.scenarios.find { it.hazard == row.hazard && it.preset == row.preset }
    def b = s2.scenarios.find { it.hazard == row.hazard && it.preset == row.preset }
    assert row.runs == (a?.runs ?: 0) + (b?.runs ?: 0)
    assert row.operations == (a?.operations ?: 0) + (b?.operations ?: 0)
}
assert m.violations.size() == s1.violations.size() + s2.violations.size()
m.violations.each { assert new File(basedir, "target/staleguard/${it.file}").isFile() : "missing ${it.file}" }
assert m.shard == '1/2+2/2' && m.sources.size() == 2
// the shards ran disjoint seeds
def seeds1 = s1.violations*.seed as Set
def seeds2 = s2.violations*.seed as Set
assert seeds1.intersect(seeds2).isEmpty()
return true
