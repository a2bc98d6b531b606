package server

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/compliance"
	"github.com/vigil-sec/vigil/internal/history"
)

func TestAttestFromDashboard(t *testing.T) {
	forEngines(t, testAttestFromDashboard)
}

// reportScore is vigil compliance's score of soc2 over the env's latest
// findings with the attestations stored in the history.
func reportScore(t *testing.T, e *env) compliance.ReportSummary {
	t.Helper()
	as, err := e.store.CurrentAttestations(context.Background(), "soc2")
	if err != nil {
		t.Fatal(err)
	}
	cat, err := compliance.BuiltinCatalogue("soc2")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var rules []compliance.Rule
	for _, f := range e.latest {
		if !seen[f.RuleID] {
			seen[f.RuleID] = true
			rules = append(rules, compliance.Rule{ID: f.RuleID, Severity: f.Severity,
				Frameworks: map[string][]string{"soc2": {"CC6.1"}}})
		}
	}
	rep := compliance.Build("soc2", rules, e.latest, compliance.Options{Catalogue: cat, Attestations: as, Now: e.now()})
	rep.Summary.ByProvider = nil
	return rep.Summary
}

func testAttestFromDashboard(t *testing.T, e *env) {
	ctx := context.Background()
	viewer, analyst, responder := e.login("viewer"), e.login("analyst"), e.login("responder")
	const page = "/compliance/soc2?source=org&control=CC1.1"
	// A manual control: a responder gets the form, a viewer does not.
	if _, body := e.req("GET", page, nil, "Cookie", viewer.cookie); strings.Contains(body, `action="/compliance/soc2/attest"`) ||
		!strings.Contains(body, "needs the responder role") {
		t.Errorf("a viewer is offered the attestation form:\n%s", body)
	}
	_, body := e.req("GET", page, nil, "Cookie", responder.cookie)
	if !strings.Contains(body, `action="/compliance/soc2/attest"`) {
		t.Fatalf("no attestation form for a responder:\n%s", body)
	}
	// The automated control CC6.1 has no form.
	if _, body := e.req("GET", "/compliance/soc2?source=org&control=CC6.1", nil, "Cookie", responder.cookie); strings.Contains(body, `action="/compliance/soc2/attest"`) {
		t.Error("CC6.1, which rules decide, offers the attestation form")
	}
	before, err := e.s.auditLog(ctx, 1000, 0)
	if err != nil {
		t.Fatal(err)
	}
	post := func(s session, kv ...string) *http.Response {
		t.Helper()
		resp, _ := e.req("POST", "/compliance/soc2/attest", form(append([]string{"csrf", s.csrf, "source", "org"}, kv...)...),
			"Content-Type", "application/x-www-form-urlencoded", "Cookie", s.cookie)
		return resp
	}
	hostileNote := "signed " + xssScript + xssImg
	hostileLink := "https://wiki.example.com/" + xssImg
	// Refused: an analyst; without or with a wrong CSRF token; a control
	// rules decide; one the catalogue lacks; a javascript: link; a past
	// expiry; an unknown status.
	for _, tc := range []struct {
		s    session
		kv   []string
		code int
	}{
		{analyst, []string{"control", "CC1.1", "status", "attested"}, http.StatusForbidden},
		{session{cookie: responder.cookie}, []string{"control", "CC1.1", "status", "attested"}, http.StatusForbidden},
		{session{cookie: responder.cookie, csrf: "x" + responder.csrf}, []string{"control", "CC1.1", "status", "attested"}, http.StatusForbidden},
		{responder, []string{"control", "CC6.1", "status", "attested"}, http.StatusBadRequest},
		{responder, []string{"control", "CC99.9", "status", "attested"}, http.StatusBadRequest},
		{responder, []string{"control", "CC1.1", "status", "attested", "evidence", "javascript:alert(1)"}, http.StatusBadRequest},
		{responder, []string{"control", "CC1.1", "status", "attested", "expires", "2020-01-01"}, http.StatusBadRequest},
		{responder, []string{"control", "CC1.1", "status", "passed"}, http.StatusBadRequest},
	} {
		if resp := post(tc.s, tc.kv...); resp.StatusCode != tc.code {
			t.Errorf("%v: %s, want %d", tc.kv, resp.Status, tc.code)
		}
	}
	if list, _ := e.store.Attestations(ctx, history.AttestationQuery{All: true}); len(list) != 0 {
		t.Fatalf("refused attestations were stored: %+v", list)
	}
	base := reportScore(t, e)
	_, sum := e.s.frameworkControls("soc2", mustPosture(t, e), mustAttestations(t, e), "")
	if !sameSummary(sum, base) {
		t.Fatalf("without attestations: dashboard %+v, vigil compliance %+v", sum, base)
	}
	// A responder attests CC1.1 (expiring in 10 days) and CC1.2 not applicable.
	expires := e.now().Add(10 * 24 * time.Hour).Format("2006-01-02")
	if resp := post(responder, "control", "CC1.1", "status", "attested", "note", hostileNote, "evidence", hostileLink, "expires", expires); resp.StatusCode != http.StatusSeeOther ||
		resp.Header.Get("Location") != "/compliance/soc2?control=CC1.1&source=org" {
		t.Fatalf("attest: %s to %q", resp.Status, resp.Header.Get("Location"))
	}
	if resp := post(responder, "control", "CC1.2", "status", "not-applicable", "evidence", "policy binder 4, page 12"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("attest CC1.2: %s", resp.Status)
	}
	// The framework's score counts them as vigil compliance does.
	after := reportScore(t, e)
	_, sum = e.s.frameworkControls("soc2", mustPosture(t, e), mustAttestations(t, e), "")
	if !sameSummary(sum, after) || after.ManualAttested != 1 || after.NotApplicable != 1 || *after.Score <= *base.Score {
		t.Errorf("with attestations: dashboard %+v, vigil compliance %+v (before %+v)", sum, after, base)
	}
	// Shown on the control's evidence, hostile text escaped, the link an href.
	_, body = e.req("GET", page, nil, "Cookie", viewer.cookie)
	noRawHostile(t, page, body)
	for _, want := range []string{`<span class="astate attested">attested</span> by responder`, "signed &lt;script&gt;alert(1)&lt;/script&gt;",
		`<a href="https://wiki.example.com/%22%3e%3cimg%20src=x%20onerror=alert%281%29%3e" rel="noopener noreferrer">`, "MANUAL"} {
		if !strings.Contains(body, want) {
			t.Errorf("%s lacks %q:\n%s", page, want, body)
		}
	}
	_, body = e.req("GET", "/compliance/soc2?source=org&control=CC1.2", nil, "Cookie", viewer.cookie)
	if !strings.Contains(body, "<dd>policy binder 4, page 12</dd>") || !strings.Contains(body, "not-applicable") {
		t.Errorf("CC1.2's document reference is not shown as text:\n%s", body)
	}
	// And on the compliance page: the score with attestations, one attested.
	_, body = e.req("GET", "/compliance", nil, "Cookie", viewer.cookie)
	if want := `<td class="score">` + pctText(after.Score) + `</td><td>1<div class="id">1 not applicable</div></td>`; !strings.Contains(body, want) {
		t.Errorf("/compliance lacks %q:\n%s", want, body)
	}
	// Every attestation is in the audit log.
	log, err := e.s.auditLog(ctx, 1000, 0)
	if err != nil {
		t.Fatal(err)
	}
	var attests []AuditEntry
	for _, a := range log[:len(log)-len(before)] {
		if a.Action == "attest" {
			attests = append(attests, a)
		}
	}
	if len(attests) != 2 || attests[1].Actor != "responder" || attests[1].Target != "soc2 CC1.1" || !strings.Contains(attests[1].Detail, `"status":"attested"`) {
		t.Errorf("audit log: %+v", attests)
	}
	// The API: an analyst token may list but not attest; a responder token
	// attests (no CSRF token needed with a bearer token).
	atok, _, _ := e.s.CreateToken(ctx, "admin", "a", Analyst, e.now().Add(30*24*time.Hour))
	rtok, _, _ := e.s.CreateToken(ctx, "admin", "r", Responder, e.now().Add(30*24*time.Hour))
	body2 := `{"framework":"soc2","control":"CC1.3","status":"failed","note":"no board oversight yet"}`
	if resp, _ := e.req("POST", "/api/v1/attestations", strings.NewReader(body2), "Authorization", "Bearer "+atok); resp.StatusCode != http.StatusForbidden {
		t.Errorf("analyst token attests: %s", resp.Status)
	}
	if resp, b := e.req("POST", "/api/v1/attestations", strings.NewReader(body2), "Authorization", "Bearer "+rtok); resp.StatusCode != http.StatusCreated || !strings.Contains(b, `"by": "token:r"`) {
		t.Errorf("responder token: %s %s", resp.Status, b)
	}
	if resp, b := e.req("POST", "/api/v1/attestations", strings.NewReader(`{"framework":"soc2","control":"CC6.1","status":"attested"}`), "Authorization", "Bearer "+rtok); resp.StatusCode != http.StatusBadRequest || !strings.Contains(b, "decided by rules") {
		t.Errorf("attesting CC6.1 by API: %s %s", resp.Status, b)
	}
	resp, b := e.req("GET", "/api/v1/attestations?framework=soc2", nil, "Authorization", "Bearer "+atok)
	var got struct {
		Attestations []struct {
			Control, Status string
			Expired         bool
		}
	}
	if err := json.Unmarshal([]byte(b), &got); err != nil || resp.StatusCode != http.StatusOK || len(got.Attestations) != 3 ||
		got.Attestations[0].Control != "CC1.3" || got.Attestations[0].Status != "failed" {
		t.Errorf("GET /api/v1/attestations: %s %v %s", resp.Status, err, b)
	}
	for _, bad := range []string{"?framework=sox", "?control=CC1.1", "?all=maybe", "?limit=0", "?offset=-1"} {
		if resp, _ := e.req("GET", "/api/v1/attestations"+bad, nil, "Authorization", "Bearer "+atok); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("GET /api/v1/attestations%s: %s, want 400", bad, resp.Status)
		}
	}
	// A failed attestation fails the control; once CC1.1's attestation
	// expires it no longer counts, as in vigil compliance.
	e.advance(11 * 24 * time.Hour)
	expired := reportScore(t, e)
	_, sum = e.s.frameworkControls("soc2", mustPosture(t, e), mustAttestations(t, e), "")
	if !sameSummary(sum, expired) || expired.ManualAttested != 0 || expired.Expired != 1 || expired.Failed != after.Failed+1 || *expired.Score >= *after.Score {
		t.Errorf("expired: dashboard %+v, vigil compliance %+v", sum, expired)
	}
	viewer = e.login("viewer")
	_, body = e.req("GET", page, nil, "Cookie", viewer.cookie)
	if !strings.Contains(body, `<span class="astate expired">expired</span>`) {
		t.Errorf("the expired attestation is not shown expired:\n%s", body)
	}
	resp, b = e.req("GET", "/api/v1/attestations?framework=soc2&control=CC1.1&all=true", nil, "Authorization", "Bearer "+atok)
	if err := json.Unmarshal([]byte(b), &got); err != nil || len(got.Attestations) != 1 || !got.Attestations[0].Expired {
		t.Errorf("CC1.1's history: %s %s", resp.Status, b)
	}
}

func mustPosture(t *testing.T, e *env) []history.PostureRow {
	t.Helper()
	run, err := e.store.LatestRun(context.Background(), "org")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := e.store.Posture(context.Background(), run.ID, history.ScopeControl)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func mustAttestations(t *testing.T, e *env) *compliance.Attestations {
	t.Helper()
	as, err := e.store.CurrentAttestations(context.Background(), "soc2")
	if err != nil {
		t.Fatal(err)
	}
	return as
}

// sameSummary compares the counts and scores of two summaries.
func sameSummary(a, b compliance.ReportSummary) bool {
	eq := func(x, y *float64) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	a.ByProvider, b.ByProvider = nil, nil
	return eq(a.Score, b.Score) && eq(a.AutomatedScore, b.AutomatedScore) && eq(a.Coverage, b.Coverage) &&
		a.Controls == b.Controls && a.Passed == b.Passed && a.Failed == b.Failed && a.NotEvaluated == b.NotEvaluated &&
		a.NotCovered == b.NotCovered && a.Manual == b.Manual && a.ManualAttested == b.ManualAttested &&
		a.NotApplicable == b.NotApplicable && a.Expired == b.Expired && a.Automated == b.Automated
}

func pctText(p *float64) string { return funcs()["pct"].(func(*float64) string)(p) }
