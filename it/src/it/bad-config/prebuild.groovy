// A foreign file where the extension's reports go: check must name it, not print a stack trace.
def f = new File(basedir, 'target/staleguard/tests/com.example.T/broken.json')
f.parentFile.mkdirs()
f.text = '{"format": "staleguard-test-report/1", "counts": {'
return true
