// Injected faults: a latent sector error on block 2, from @Device(faults = "read-error@1") and from
// SimulatedDevice.faults().failReads(..). The cache that swallows it and serves zeros is a stale-read of that block;
// the twin that propagates it passed alone in the first invocation. The report records each device's fault spec and
// the fault that fired; the HTML timeline carries the IO_FAULT mark and the page shows the spec.
import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
assert log.contains('Staleguard found I/O consistency violations: stale-read') : 'check did not fail with stale-read'
assert log =~ /reproduce: mvn test -Dtest=BuggyBlockCacheTest#\w+ -Dstaleguard\.seed=0x\S+/ : 'no reproduce line'

def json = new JsonSlurper()
def tests = new File(basedir, 'target/staleguard/tests/com.example.cache.BuggyBlockCacheTest')
['aSpecsReadErrorIsNotServedAsZeros', 'anArmedReadErrorIsNotServedAsZeros'].each { m ->
    def r = json.parse(new File(tests, m + '.json'))
    assert r.formatVersion == '1.2'
    assert r.status == 'FAILED'
    assert r.counts == [STALE_READ: 1] : "${m} counts: ${r.counts}"
    def v = r.violations[0]
    assert v.kind == 'STALE_READ' && v.lba == 2
    assert v.timeline.any { it.type == 'IO_FAULT' && it.note.contains('read-error: block 2 is bad') } : "${m} timeline: ${v.timeline}"
    def f = r.devices[0].faults
    assert f.fired == 1 && f.first[0].kind == 'READ_ERROR' && f.first[0].offset == 8192 : "${m} faults: ${f}"
}
def spec = json.parse(new File(tests, 'aSpecsReadErrorIsNotServedAsZeros.json')).devices[0].faults
assert spec.spec == 'read-error@1' && spec.first[0].origin.contains('read-error@1') : "faults: ${spec}"
def armed = json.parse(new File(tests, 'anArmedReadErrorIsNotServedAsZeros.json')).devices[0].faults
assert armed.spec == 'none' && armed.first[0].origin.startsWith('failReads(') : "faults: ${armed}"

def twins = new File(basedir, 'target/staleguard/tests/com.example.cache.BlockCacheTest')
['aSpecsReadErrorIsNotServedAsZeros', 'anArmedReadErrorIsNotServedAsZeros'].each { m ->
    def t = json.parse(new File(twins, m + '.json'))
    assert t.status == 'PASSED' && t.violations.isEmpty() && t.counts.isEmpty()
    assert t.devices[0].faults.fired == 1 : "${m}: the twin saw the fault too"
}

def index = new File(basedir, 'target/staleguard/index.html')
assert index.isFile() : 'no HTML report'
assert index.text.contains('stale-read')
assert index.text.contains('read-error@1 (1 fired)') : 'the test table does not show the fault spec'
def pages = new File(basedir, 'target/staleguard/html').listFiles().collect { it.text }
assert pages.any { it.contains('class="sg-io-fault"') && it.contains('<code class="fault-spec">read-error@1</code>') } : 'no page with the IO_FAULT mark and the spec'
assert pages.any { it.contains('class="sg-io-fault"') && it.contains('failReads(') }
return true
