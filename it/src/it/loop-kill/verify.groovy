// kill -9 of a loop soak, as a user would: never green on a result that is not whole, never a loop device left.
// 1. Maven and the fork killed together: the summary stays RUNNING, check fails on it, the stale report of the
//    previous run is gone, and the next soak releases the loop device the killed one held.
// 2. Maven killed alone: the fork notices, stops long before its budget, writes an INTERRUPTED summary and releases
//    its loop device; check fails on it unless -Dstaleguard.acceptPartial=true.
// Needs root, losetup, a free loop device and mkfs.ext4: skipped loudly without them, failing when CI=true.
import groovy.json.JsonSlurper
import java.util.concurrent.TimeUnit

def inCi = 'true'.equalsIgnoreCase(System.getenv('CI'))
def missing = []
def run = { List<String> cmd ->
    try {
        def p = new ProcessBuilder(cmd).redirectErrorStream(true).start()
        def out = p.inputStream.text
        p.waitFor()
        return [p.exitValue(), out]
    } catch (IOException e) {
        return [-1, e.toString()]
    }
}
if (run(['id', '-u'])[1].trim() != '0') {
    missing << 'not root'
}
if (run(['losetup', '--find'])[0] != 0) {
    missing << 'losetup --find found no free loop device (or there is no losetup)'
}
if (run(['mkfs.ext4', '-V'])[0] != 0) {
    missing << 'no mkfs.ext4'
}
if (!missing.isEmpty()) {
    def msg = "LOOP IT loop-kill NOT RUN: ${missing.join('; ')}"
    println "*** ${msg} ***"
    new File(basedir, 'SKIPPED.txt').text = msg
    assert !inCi : "${msg} (CI=true: the prerequisites must be present)"
    return true
}

// The soaks' JVMs keep their images under target/tmp (staleguard.argLine in the pom): on a machine shared with other
// loop users, the loop devices backed by files there are exactly this IT's.
def tmp = new File(basedir, 'target/tmp')
tmp.mkdirs()
def losetup = {
    def r = run(['losetup', '-l', '-n', '-O', 'NAME,BACK-FILE'])
    assert r[0] == 0 : r[1]
    r[1].readLines()*.trim().findAll { it && it.contains(tmp.canonicalPath + '/') }.sort()
}

def settings = new File(basedir, 'kill-settings.xml')
settings.text = """<settings><profiles><profile><id>r</id><repositories><repository><id>local.central</id>
<url>${new File(outerLocalRepository).toURI()}</url></repository></repositories><pluginRepositories><pluginRepository>
<id>local.central</id><url>${new File(outerLocalRepository).toURI()}</url></pluginRepository></pluginRepositories>
</profile></profiles><activeProfiles><activeProfile>r</activeProfile></activeProfiles></settings>"""
def mvn = { List<String> args ->
    ["${mavenHome}/bin/mvn", '-B', '-o', '-Daether.offline.protocols=file', '-s', settings.path,
     "-Dmaven.repo.local=${localRepositoryPath}"] + args
}
def start = { List<String> args, String log ->
    new ProcessBuilder(mvn(args)*.toString()).directory(basedir).redirectErrorStream(true)
            .redirectOutput(new File(basedir, log)).start()
}
def mvnRun = { List<String> args, String log ->
    def p = start(args, log)
    assert p.waitFor(300, TimeUnit.SECONDS) : "mvn ${args} did not end"
    [p.exitValue(), new File(basedir, log).text]
}

def reports = new File(basedir, 'target/staleguard')
def summaryFile = new File(reports, 'soak-summary.json')
def json = new JsonSlurper()
def summary = { json.parse(summaryFile) }
/** Waits for a checkpoint of the loop workload's round in progress: the soak is in its loop part, holding a device. */
def awaitLoopPart = { Process maven, String log ->
    boolean seenLoopPart = false
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150)
    while (System.nanoTime() < deadline) {
        assert maven.alive : "the soak ended before its loop part: ${new File(basedir, log).text}"
        if (summaryFile.isFile()) {
            def s = summary()
            // Two checkpoints into the round, so the last progress line covers a second of the workload.
            if (s.status == 'RUNNING' && s.workloads.any { it.operations > 0 }) {
                if (seenLoopPart) {
                    return s
                }
                seenLoopPart = true
                Thread.sleep(1500)
                continue
            }
        }
        Thread.sleep(200)
    }
    maven.toHandle().descendants().forEach { it.destroyForcibly() }
    maven.destroyForcibly()
    assert false : "no checkpoint of the loop part within 150 s: ${new File(basedir, log).text}"
}
def fork = { Process maven ->
    def forks = maven.toHandle().descendants().filter { it.info().commandLine().orElse('').contains('SoakMain') }
            .toList()
    assert forks.size() == 1 : "the soak fork among ${maven.toHandle().descendants().toList()*.info()}"
    forks[0]
}

def before = losetup()
try {
    // ---- 1. kill -9 of Maven and the fork together --------------------------------------------------------------
    // A previous run's report: the new soak must not leave it looking like this run's.
    reports.mkdirs()
    new File(reports, 'index.html').text = '<html>OLD COMPLETE RUN</html>'
    new File(reports, 'html').mkdirs()
    new File(reports, 'html/v0001.html').text = 'old'

    def maven = start(['staleguard:soak'], 'soak-killed.log')
    def checkpoint = awaitLoopPart(maven, 'soak-killed.log')
    def soakFork = fork(maven)
    assert losetup().size() > before.size() : 'the soak holds no loop device in its loop part'
    // The fork first: killed Maven first, the fork's watchdog would see it go and stop cleanly.
    soakFork.destroyForcibly()
    maven.toHandle().destroyForcibly()
    soakFork.onExit().get(20, TimeUnit.SECONDS)
    assert maven.waitFor(20, TimeUnit.SECONDS)

    def killed = summary()
    assert killed.status == 'RUNNING' : "status after kill -9 of both: ${killed.status}"
    assert !new File(reports, 'index.html').exists() : 'the previous run\'s index.html survived the new soak'
    assert !new File(reports, 'html').exists() : 'the previous run\'s html/ survived the new soak'
    def soakTest = killed.tests.find { it.methodName == 'appendsManyRecords' }
    assert soakTest != null && soakTest.runs > 0 : "no @Soak rows: ${killed.tests}"
    assert soakTest.operations > 0 : "a Path on LOOP counted no operations: ${soakTest}"
    assert killed.workloads.every { it.backend == 'loop' && it.operations > 0 } : "the round in progress is lost: ${killed.workloads}"
    def progress = new File(basedir, 'soak-killed.log').readLines().findAll { it.contains(' elapsed, ') }
    assert progress.size() >= 10 : "progress lines: ${progress}"
    // Before: the loop part's round counted only when its device closed (a minute), so every line of the part
    // repeated the same count at 0 op/s. Now a line stalls only while one @Soak test runs (each makes an ext4 on
    // a loop device, slow on a loaded machine), and the last line, a second into the loop round, moves.
    def stalled = 0
    def longestStall = 0
    progress.dropWhile { it =~ /\| 0 ops \|/ }.each {
        stalled = (it =~ /\| 0 op\/s \|/) ? stalled + 1 : 0
        longestStall = Math.max(longestStall, stalled)
    }
    assert longestStall <= 8 : "progress lines stalled at 0 op/s for ${longestStall} intervals: ${progress}"
    assert !(progress.last() =~ /\| 0 op\/s \|/) : "the loop round in progress is not in the progress line: ${progress.last()}"

    def check = mvnRun(['staleguard:check'], 'check-killed.log')
    assert check[0] != 0 : 'check passed on a RUNNING summary'
    assert check[1].contains('Staleguard soak did not complete: RUNNING') : check[1]
    assert !check[1].contains('at io.staleguard') : 'a stack trace in check\'s log'

    assert losetup().size() > before.size() : 'kill -9 of the fork left no loop device: nothing to test the reaper with'
    def again = mvnRun(['staleguard:soak', '-Dstaleguard.duration=3s'], 'soak-again.log')
    assert again[0] == 0 : again[1]
    assert losetup() == before : "loop devices after the next soak (the killed soak's must be released): ${losetup()}"
    assert summary().status == 'COMPLETE'

    // ---- 2. kill -9 of Maven alone ----------------------------------------------------------------------------
    maven = start(['staleguard:soak'], 'soak-orphaned.log')
    awaitLoopPart(maven, 'soak-orphaned.log')
    soakFork = fork(maven)
    def budgetLeft = summary().budgetMillis - summary().elapsedMillis
    long killedAt = System.nanoTime()
    maven.toHandle().destroyForcibly()
    assert maven.waitFor(20, TimeUnit.SECONDS)
    try {
        soakFork.onExit().get(30, TimeUnit.SECONDS)
    } catch (java.util.concurrent.TimeoutException e) {
        soakFork.destroyForcibly()
        assert false : 'the orphaned fork still ran 30 s after Maven was killed'
    }
    long stoppedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt)
    assert stoppedMillis < budgetLeft : "the orphan ran out its budget (${stoppedMillis} ms, ${budgetLeft} ms were left)"
    assert losetup() == before : "loop devices after the orphaned fork stopped: ${losetup()}"
    def orphaned = summary()
    assert orphaned.status == 'INTERRUPTED' : "status after kill -9 of Maven alone: ${orphaned.status}"
    assert orphaned.statusDetail.contains('watchdog') : orphaned.statusDetail
    assert orphaned.workloads.every { it.operations > 0 }

    check = mvnRun(['staleguard:check'], 'check-orphaned.log')
    assert check[0] != 0 : 'check passed on an INTERRUPTED summary'
    assert check[1].contains('Staleguard soak did not complete: INTERRUPTED') : check[1]
    assert check[1].contains('-Dstaleguard.acceptPartial=true')
    check = mvnRun(['staleguard:check', '-Dstaleguard.acceptPartial=true'], 'check-accepted.log')
    assert check[0] == 0 : check[1]
    assert check[1].contains('partial, accepted by staleguard.acceptPartial') : check[1]
} finally {
    // Whatever failed above: leave no loop device of this IT behind (the next soak's reaper releases a killed one's).
    if (losetup() != before) {
        mvnRun(['staleguard:soak', '-Dstaleguard.duration=1s'], 'soak-cleanup.log')
    }
}
assert losetup() == before : "loop devices left: ${losetup()}"
return true
