// Case 6: the report goal writes index.html and a page per violation with its timeline drawn as SVG.
def dir = new File(basedir, 'target/staleguard')
def index = new File(dir, 'index.html')
assert index.isFile() : 'no index.html'
def html = index.text
assert html.contains('id="scenario-table"') && html.contains('AIO_DIO_IRQ_COMPLETION_2008')
assert !html.contains('<script') : 'the report must not need scripts'
def link = html =~ /href="(html\/v\d+\.html)"/
assert link.find() : 'no link to a violation page'
def page = new File(dir, link.group(1))
def text = page.text
assert text.contains('<svg') && text.contains('class="sg-timeline"') : 'no SVG timeline'
assert text.contains('class="sg-write') : 'no write interval in the timeline'
assert text.contains('class="sg-read') : 'no read interval in the timeline'
assert text.contains('saw v') : 'reads do not say which version they saw'
assert text.contains('-Dstaleguard.replay=H2:0x')

// In a browser, when there is one (CI installs chromium; elsewhere its absence is reported).
def chromium = ['chromium', 'chromium-browser'].collect { n -> System.getenv('PATH').split(':').collect { new File(it, n) }.find { it.canExecute() } }.find { it }
if (chromium == null) {
    assert System.getenv('CI') != 'true' : 'chromium is required in CI'
    println 'WARNING: SKIPPED browser check of the report: chromium is not installed'
} else {
    def profile = File.createTempDir()
    def p = new ProcessBuilder(chromium.path, '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
            '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
            "--user-data-dir=${profile}".toString(), '--dump-dom', page.toURI().toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start()
    def dom = p.inputStream.text
    p.waitFor()
    assert dom.contains('class="sg-timeline"') && dom.contains('class="sg-thread"') : 'the browser did not render the timeline'
    assert dom.contains('id="violation-summary"')
}
return true
