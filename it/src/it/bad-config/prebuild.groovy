// A foreign file where the extension's reports go: check must name it, not print a stack trace.
def f = new File(basedir, 'target/staleguard/tests/com.example.T/broken.json')
f.parentFile.mkdirs()
f.text = '{"format": "staleguard-test-report/1", "counts": {'
// Files that keep their format but lost every other field: errors naming the file and the field, never clean.
def t = new File(basedir, 'target/partial-test/tests/com.example.T/failed.json')
t.parentFile.mkdirs()
t.text = '{"format": "staleguard-test-report/1", "status": "FAILED"}'
def s = new File(basedir, 'target/partial-summary/soak-summary.json')
s.parentFile.mkdirs()
s.text = '{"format": "staleguard-soak-summary/1"}'
return true
