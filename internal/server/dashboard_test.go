package server

import (
	"net/http"
	"strings"
	"testing"
)

// noRawHostile fails when a page renders a hostile value unescaped.
func noRawHostile(t *testing.T, path, body string) {
	t.Helper()
	for _, raw := range []string{xssScript, "<img src=x", "onerror=alert(1)>"} {
		if strings.Contains(body, raw) {
			t.Errorf("%s renders %q unescaped", path, raw)
		}
	}
}

func TestCompliancePages(t *testing.T) {
	e := newEnv(t)
	viewer := e.login("viewer")
	resp, body := e.req("GET", "/compliance", nil, "Cookie", viewer.cookie)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `href="/compliance/soc2?source=org"`) {
		t.Fatalf("/compliance: %s\n%s", resp.Status, body)
	}
	// The framework's controls, failing first, the catalogue's titles, and
	// the controls no rule covers.
	resp, body = e.req("GET", "/compliance/soc2", nil, "Cookie", viewer.cookie)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/compliance/soc2: %s", resp.Status)
	}
	cc61, covered := strings.Index(body, ">CC6.1</a>"), strings.Index(body, "NOT_COVERED</td>")
	if cc61 < 0 || covered < 0 || cc61 > covered || !strings.Contains(body, `<td class="cstatus failed">FAILED</td>`) {
		t.Errorf("soc2 controls: CC6.1 (failed) at %d, a NOT_COVERED control at %d\n%s", cc61, covered, body)
	}
	// The evidence of a control: its findings, failing first, hostile values escaped.
	p := "/compliance/soc2?source=org&control=CC6.1"
	resp, body = e.req("GET", p, nil, "Cookie", viewer.cookie)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %s", p, resp.Status)
	}
	noRawHostile(t, p, body)
	ev := body[strings.Index(body, "Evidence of CC6.1"):]
	fail, pass := strings.Index(ev, `<td class="status fail">FAIL`), strings.Index(ev, `<td class="status pass">PASS`)
	if fail < 0 || pass < 0 || fail > pass || !strings.Contains(ev, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("evidence of CC6.1: FAIL at %d, PASS at %d\n%s", fail, pass, ev)
	}
	for _, bad := range []string{"/compliance/soc2?control=NOPE", "/compliance/nosuch"} {
		if resp, _ := e.req("GET", bad, nil, "Cookie", viewer.cookie); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %s, want 404", bad, resp.Status)
		}
	}
}
