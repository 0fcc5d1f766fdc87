// Case 4: a soak on H2's historical preset fails, naming the hazard and a reproduce command;
// running that command fails again with the same violation.
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
assert log.contains('stale-read') : 'the failure does not say stale-read'
assert log.contains('H2 on AIO_DIO_IRQ_COMPLETION_2008') : 'the failure does not name the hazard'
def m = log =~ /reproduce: (mvn staleguard:soak staleguard:check -Dstaleguard\.kernel=AIO_DIO_IRQ_COMPLETION_2008 -Dstaleguard\.replay=H2:0x[0-9a-f]{16})/
assert m.find() : 'no reproduce command for the scenario'
def reproduce = m.group(1)
def first = (log =~ /(?m)^\[ERROR\]   1\. soak scenario H2 on \S+ \(seed (0x[0-9a-f]+)\): (.+)$/)
assert first.find() : 'no first violation line'
def violationLine = first.group(2)

// Run the reproduce command as a user would, against the ITs' repository, offline.
def settings = new File(basedir, 'replay-settings.xml')
settings.text = """<settings><profiles><profile><id>r</id><repositories><repository><id>local.central</id>
<url>${new File(outerLocalRepository).toURI()}</url></repository></repositories><pluginRepositories><pluginRepository>
<id>local.central</id><url>${new File(outerLocalRepository).toURI()}</url></pluginRepository></pluginRepositories>
</profile></profiles><activeProfiles><activeProfile>r</activeProfile></activeProfiles></settings>"""
def cmd = ["${mavenHome}/bin/mvn", '-B', '-o', '-s', settings.path, "-Dmaven.repo.local=${localRepositoryPath}"]
cmd.addAll(reproduce.split(/\s+/).drop(1) as List)
def proc = new ProcessBuilder(cmd*.toString()).directory(basedir).redirectErrorStream(true).start()
def out = proc.inputStream.text
proc.waitFor()
new File(basedir, 'replay.log').text = out
assert proc.exitValue() != 0 : 'the reproduce command passed'
assert out.contains('BUILD FAILURE')
assert out.contains('replay H2 on AIO_DIO_IRQ_COMPLETION_2008') : 'the replay did not run the scenario'
assert out.contains(violationLine) : "the replay did not find the same violation: ${violationLine}"
return true
