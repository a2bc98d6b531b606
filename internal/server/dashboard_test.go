package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/history"
	"github.com/vigil-sec/vigil/internal/ocsf"
	"github.com/vigil-sec/vigil/internal/respond"
	"github.com/vigil-sec/vigil/internal/respond/engine"
	"github.com/vigil-sec/vigil/internal/respond/trail"
	"github.com/vigil-sec/vigil/internal/respond/wire"
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
	forEngines(t, testCompliancePages)
}

func testCompliancePages(t *testing.T, e *env) {
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

// withWorkspace serves the env's store with a second server that has ws
// (sessions live in the store, so e's logins stay valid).
func (e *env) withWorkspace(ws Workspace, steps ...StepQueue) {
	e.t.Helper()
	opts := Options{Now: e.now, Argon2: Argon2Params{Memory: 1024, Time: 1, Threads: 1}, Workspace: ws}
	if len(steps) > 0 {
		opts.Steps = steps[0]
	}
	s, err := New(context.Background(), e.store, opts)
	if err != nil {
		e.t.Fatal(err)
	}
	e.s = s
	e.ts = httptest.NewServer(s.Handler())
	e.t.Cleanup(e.ts.Close)
}

// sampleOrg is the repository's sample organization.
const sampleOrg = "../../examples/org"

func TestIdentityPage(t *testing.T) {
	e := newEnv(t)
	viewer := e.login("viewer")
	// Without an inventory the page says what to give.
	if _, body := e.req("GET", "/identity", nil, "Cookie", viewer.cookie); !strings.Contains(body, "No inventory to analyse") {
		t.Errorf("/identity without an inventory:\n%s", body)
	}
	e.withWorkspace(Workspace{Inventory: []string{sampleOrg}})
	resp, body := e.req("GET", "/identity", nil, "Cookie", viewer.cookie)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/identity: %s", resp.Status)
	}
	os.WriteFile("/tmp/identity.html", []byte(body), 0o644)
}

// hostileJSON is xssScript + xssImg inside a JSON string.
const hostileJSON = `<script>alert(1)</script>\"><img src=x onerror=alert(1)>`

// hostileOrg copies the sample organization's GCP project with an exposed
// instance renamed to hostile markup and hostile tag keys and values.
func hostileOrg(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "nw-analytics-prod")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"resource.json", "iam_policy.json"} {
		b, err := os.ReadFile(filepath.Join(sampleOrg, "gcp", "nw-analytics-prod", f))
		if err != nil {
			t.Fatal(err)
		}
		s := strings.ReplaceAll(string(b), "nw-jupyter-legacy", "nw-"+hostileJSON)
		s = strings.ReplaceAll(s, `{"sample":"planted"}`, `{"sample":"`+hostileJSON+`","`+hostileJSON+`":"x"}`)
		if err := os.WriteFile(filepath.Join(dir, f), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestInventoryPage(t *testing.T) {
	e := newEnv(t)
	viewer := e.login("viewer")
	if _, body := e.req("GET", "/inventory", nil, "Cookie", viewer.cookie); !strings.Contains(body, "No inventory") {
		t.Errorf("/inventory without an inventory:\n%s", body)
	}
	e.withWorkspace(Workspace{Inventory: []string{hostileOrg(t)}})
	for _, p := range []string{"/inventory", "/inventory?q=onerror", "/inventory?q=script+alert&cloud=gcp", "/identity", "/identity?q=nw-"} {
		resp, body := e.req("GET", p, nil, "Cookie", viewer.cookie)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %s", p, resp.Status)
			continue
		}
		noRawHostile(t, p, body)
		if !strings.Contains(body, "nw-&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s does not show the hostile resource, escaped:\n%s", p, body)
		}
	}
	// The search narrows; the hostile tag key and value are shown as text.
	_, body := e.req("GET", "/inventory?q=sample+script&class=disk", nil, "Cookie", viewer.cookie)
	if !strings.Contains(body, "<p>1 resource(s).</p>") || !strings.Contains(body, `<span class="k">&lt;script&gt;alert(1)&lt;/script&gt;&#34;&gt;&lt;img src=x onerror=alert(1)&gt;</span>`) {
		t.Errorf("search by tag:\n%s", body)
	}
	for _, bad := range []string{"/inventory?page=0", "/inventory?page=x", "/inventory?q=" + strings.Repeat("a", 501)} {
		if resp, _ := e.req("GET", bad, nil, "Cookie", viewer.cookie); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %s, want 400", bad, resp.Status)
		}
	}
}

// copyTree copies a directory, replacing old with new in every file.
func copyTree(t *testing.T, from, to, old, new string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), []byte(strings.ReplaceAll(string(b), old, new)), 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestDriftPage(t *testing.T) {
	e := newEnv(t)
	viewer := e.login("viewer")
	if _, body := e.req("GET", "/drift", nil, "Cookie", viewer.cookie); !strings.Contains(body, "No infrastructure as code to compare") {
		t.Errorf("/drift without IaC:\n%s", body)
	}
	inv := t.TempDir()
	copyTree(t, "../drift/testdata/inventory", inv, "debug-ssh-temp", "debug-"+hostileJSON)
	e.withWorkspace(Workspace{Inventory: []string{inv}, IaC: []string{"../drift/testdata/state"}})
	resp, body := e.req("GET", "/drift", nil, "Cookie", viewer.cookie)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/drift: %s\n%s", resp.Status, body)
	}
	noRawHostile(t, "/drift", body)
	// vigil drift's figures; HIGH changes before MEDIUM ones, both values shown.
	for _, want := range []string{"<strong>6</strong> changed attribute(s) on 4 resource(s), <strong>1</strong> missing, <strong>3</strong> unmanaged",
		"<p>10 drift finding(s).</p>", "debug-&lt;script&gt;alert(1)&lt;/script&gt;", "<code>true</code></td><td><code>false</code>"} {
		if !strings.Contains(body, want) {
			t.Errorf("/drift lacks %q\n%s", want, body)
		}
	}
	if h, m := strings.Index(body, `<td class="sev high">`), strings.LastIndex(body, `<td class="sev medium">`); h < 0 || m < h {
		t.Errorf("drift not worst first: HIGH at %d, last MEDIUM at %d", h, m)
	}
	if _, body := e.req("GET", "/drift?kind=missing", nil, "Cookie", viewer.cookie); !strings.Contains(body, "<p>1 drift finding(s).</p>") {
		t.Errorf("/drift?kind=missing:\n%s", body)
	}
	if resp, _ := e.req("GET", "/drift?kind=bogus", nil, "Cookie", viewer.cookie); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("/drift?kind=bogus: %s, want 400", resp.Status)
	}
}

// respondDir writes a respond state directory with one plan awaiting an
// approval and a run of another plan, both about a hostile resource.
func respondDir(t *testing.T) (dir, planID string) {
	t.Helper()
	dir = t.TempDir()
	for _, d := range []string{"plans", "runs"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	hostile := "arn:aws:s3:::" + xssScript + xssImg
	planID = "20261122T060000Z-0123456789ab"
	plan := &engine.Plan{Version: engine.PlanVersion, ID: planID, Created: t0, CreatedBy: xssImg, Inputs: []string{"findings.json"},
		Playbooks: []engine.PlaybookRef{{Name: "close-public-s3", File: "playbooks/public-storage.yml", Hash: "x"}},
		Items: []engine.Item{{N: 1, Key: "k1", Chain: 1, Playbook: "close-public-s3", Step: "block", Action: "aws.s3.block-public-access",
			Class: "remediation", OnError: "stop", Approvals: 1,
			Subject: engine.SubjectRef{Kind: "finding", ID: "f1", Rule: "storage-public-access", Severity: "CRITICAL", Provider: "aws", Account: "111122223333", Resource: hostile},
			Change: &respond.Change{Action: "aws.s3.block-public-access", Resource: hostile,
				Diff: []respond.AttrChange{{Attribute: "block_public_acls", Before: xssScript, After: true}}}}}}
	f, err := engine.Seal(plan)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.WriteFile(filepath.Join(dir, "plans", planID+".json")); err != nil {
		t.Fatal(err)
	}
	run := `{"run":"20261121T060000Z-aaaaaaaaaaaa","kind":"apply","plan":"20261121T050000Z-bbbbbbbbbbbb","plan_hash":"h","by":"` + strings.ReplaceAll(xssImg, `"`, `\"`) + `","started":"2026-11-21T06:00:00Z"}
{"n":1,"key":"k","action":"notify.slack","resource":"` + xssScript + `","status":"done","time":"2026-11-21T06:00:01Z"}
`
	if err := os.WriteFile(filepath.Join(dir, "runs", "20261121T060000Z-aaaaaaaaaaaa.jsonl"), []byte(run), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, planID
}

func TestPlaybookApproval(t *testing.T) {
	e := newEnv(t)
	viewer := e.login("viewer")
	if _, body := e.req("GET", "/playbooks", nil, "Cookie", viewer.cookie); !strings.Contains(body, "No response state") {
		t.Errorf("/playbooks without a respond directory:\n%s", body)
	}
	dir, id := respondDir(t)
	e.withWorkspace(Workspace{Respond: dir})
	analyst, responder := e.login("analyst"), e.login("responder")
	for _, p := range []string{"/playbooks", "/playbooks/" + id} {
		resp, body := e.req("GET", p, nil, "Cookie", viewer.cookie)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "awaiting approval") {
			t.Errorf("%s: %s\n%s", p, resp.Status, body)
		}
		noRawHostile(t, p, body)
		if p != "/playbooks" && !strings.Contains(body, "<code>&#34;&lt;script&gt;alert(1)&lt;/script&gt;&#34;</code> → <code>true</code>") {
			t.Errorf("%s: the change's before and after are not shown as text", p)
		}
		if strings.Contains(body, "/approve") {
			t.Errorf("%s offers a viewer the approve form", p)
		}
	}
	approve := func(s session, csrf string) *http.Response {
		resp, _ := e.req("POST", "/playbooks/"+id+"/approve", form("csrf", csrf, "reason", "SEC-1 "+xssScript),
			"Content-Type", "application/x-www-form-urlencoded", "Cookie", s.cookie)
		return resp
	}
	if resp := approve(analyst, analyst.csrf); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an analyst approves: %s, want 403", resp.Status)
	}
	if resp := approve(responder, "wrong"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("approve without the CSRF token: %s, want 403", resp.Status)
	}
	if resp, _ := e.req("POST", "/playbooks/nosuch/approve", form("csrf", responder.csrf), "Content-Type", "application/x-www-form-urlencoded", "Cookie", responder.cookie); resp.StatusCode != http.StatusNotFound {
		t.Errorf("approve a plan that does not exist: %s, want 404", resp.Status)
	}
	f, _ := engine.ReadFile(filepath.Join(dir, "plans", id+".json"))
	if len(f.Approvals) != 0 {
		t.Fatalf("approvals before: %+v", f.Approvals)
	}
	if resp := approve(responder, responder.csrf); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/playbooks/"+id {
		t.Fatalf("a responder approves: %s %s", resp.Status, resp.Header.Get("Location"))
	}
	// Recorded in the plan file (still sealed), the trail and the audit log.
	f, err := engine.ReadFile(filepath.Join(dir, "plans", id+".json"))
	if err != nil || len(f.Approvals) != 1 || f.Approvals[0].By != "responder" || len(f.Missing()) != 0 {
		t.Fatalf("after approving: %v %+v", err, f)
	}
	rep, err := trail.Verify(filepath.Join(dir, "trail.jsonl"), trail.VerifyOptions{})
	if err != nil || !rep.OK() {
		t.Errorf("trail: %v %+v", err, rep)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "trail.jsonl")); !strings.Contains(string(b), `"kind":"approval","actor":"responder"`) {
		t.Errorf("trail: %s", b)
	}
	_, body := e.req("GET", "/playbooks/"+id, nil, "Cookie", viewer.cookie)
	if !strings.Contains(body, `<strong class="pstatus">approved</strong>`) || !strings.Contains(body, "SEC-1 &lt;script&gt;") {
		t.Errorf("plan page after approval:\n%s", body)
	}
	admin := e.login("admin")
	if _, audit := e.req("GET", "/admin/audit", nil, "Cookie", admin.cookie); !strings.Contains(audit, "<td>plan_approve</td>") {
		t.Errorf("audit log lacks the approval")
	}
	if f.Approvals[0].Mode != wire.ModeDryRun || !strings.Contains(body, "(for dry-run)") {
		t.Errorf("an approval without the apply box: %+v\n%s", f.Approvals[0], body)
	}

	// With the job queue: the approval queues the steps, for apply when
	// the box is ticked; the plan page shows the step jobs; the API does
	// the same for a responder only.
	q := &fakeSteps{}
	e.withWorkspace(Workspace{Respond: dir}, q)
	resp, _ := e.req("POST", "/playbooks/"+id+"/approve", form("csrf", responder.csrf, "reason", "go", "mode", "apply"),
		"Content-Type", "application/x-www-form-urlencoded", "Cookie", responder.cookie)
	if resp.StatusCode != http.StatusSeeOther || len(q.calls) != 1 || q.calls[0] != dir+" "+filepath.Join(dir, "plans", id+".json")+" apply" {
		t.Fatalf("approve for apply: %s, queue calls %v", resp.Status, q.calls)
	}
	if f, _ := engine.ReadFile(filepath.Join(dir, "plans", id+".json")); len(f.Approvals) != 1 || f.Approvals[0].Mode != wire.ModeApply {
		t.Errorf("approvals: %+v", f.Approvals)
	}
	args := `{"state":"` + dir + `","plan_hash":"` + f.Hash + `","n":1,"key":"k","mode":"apply"}`
	if err := e.store.StartJobRun(context.Background(), history.JobRun{JobID: 77, Kind: "vigil_playbook_step", Source: "p step 1", Args: args, Attempt: 1, Worker: "w1", Started: t0}); err != nil {
		t.Fatal(err)
	}
	if err := e.store.FinishJobRun(context.Background(), 77, history.JobCompleted, "", "step 1 aws.s3.block-public-access on "+xssScript+": applied", t0.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	_, body = e.req("GET", "/playbooks/"+id, nil, "Cookie", viewer.cookie)
	if !strings.Contains(body, `<td>1</td><td>apply</td><td><a href="/jobs?kind=vigil_playbook_step">77</a></td>`) || !strings.Contains(body, "applied") || strings.Contains(body, "has no job queue") {
		t.Errorf("plan page with a step job:\n%s", body)
	}
	noRawHostile(t, "/playbooks/"+id, body)
	api := func(s session, body string) (*http.Response, string) {
		return e.req("POST", "/api/v1/plans/"+id+"/approve", strings.NewReader(body), "Content-Type", "application/json", "Cookie", s.cookie, "X-CSRF-Token", s.csrf)
	}
	if resp, _ := api(analyst, `{"reason":"x"}`); resp.StatusCode != http.StatusForbidden {
		t.Errorf("API approval by an analyst: %s", resp.Status)
	}
	if resp, _ := api(responder, `{"reason":"x","mode":"now"}`); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("API approval with a bad mode: %s", resp.Status)
	}
	resp, out := api(responder, `{"reason":"x","mode":"apply"}`)
	out = strings.Join(strings.Fields(out), "")
	if resp.StatusCode != http.StatusOK || !strings.Contains(out, `"queued":true`) || !strings.Contains(out, `"jobs":{"1":41}`) || len(q.calls) != 2 {
		t.Errorf("API approval: %s %s %v", resp.Status, out, q.calls)
	}
	resp, out = e.req("GET", "/api/v1/plans", nil, "Cookie", viewer.cookie)
	out = strings.Join(strings.Fields(out), "")
	if resp.StatusCode != http.StatusOK || !strings.Contains(out, `"job_id":77`) || !strings.Contains(out, `"n":1,"mode":"apply"`) {
		t.Errorf("API plans: %s %s", resp.Status, out)
	}
}

// fakeSteps is a job queue that records what it was asked to queue.
type fakeSteps struct{ calls []string }

func (f *fakeSteps) EnqueueSteps(_ context.Context, state, plan, mode string) (map[int]int64, map[int]string, error) {
	f.calls = append(f.calls, state+" "+plan+" "+mode)
	return map[int]int64{1: 41}, map[int]string{}, nil
}

// alertsFile writes three alerts as vigil detect does (one OCSF Detection
// Finding per line), one with hostile values, and a line that is none.
func alertsFile(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for i, a := range []struct {
		sev  int
		rule string
		at   time.Time
	}{{ocsf.SeverityMedium, "aws-console-login-no-mfa", t0}, {ocsf.SeverityCritical, "aws-leave-organization", t0.Add(time.Hour)}, {ocsf.SeverityLow, xssScript, t0.Add(-24 * time.Hour)}} {
		df := ocsf.DetectionFinding{FindingHeader: ocsf.FindingHeader{ClassUID: 2004, Time: a.at.UnixMilli(), SeverityID: a.sev,
			Severity: ocsf.SeverityName(a.sev), Message: "alert " + xssImg},
			FindingInfo: ocsf.FindingInfo{UID: "a" + string(rune('0'+i)), Title: "Title " + xssScript, Analytic: &ocsf.Analytic{Name: a.rule}},
			Cloud:       &ocsf.Cloud{Provider: "AWS", Region: "us-east-1", Account: &ocsf.Account{UID: "111122223333"}},
			Actor:       &ocsf.Actor{User: &ocsf.User{Name: xssImg}},
			API:         &ocsf.API{Operation: "LeaveOrganization"},
			Evidences:   []ocsf.Evidence{{API: &ocsf.API{Operation: "LeaveOrganization"}, Data: json.RawMessage(`{"eventName":"LeaveOrganization","userAgent":"` + strings.ReplaceAll(xssImg, `"`, `\"`) + `"}`)}}}
		line, err := json.Marshal(df)
		if err != nil {
			t.Fatal(err)
		}
		// As written without HTML escaping: the markup as it is.
		b.WriteString(strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(string(line)))
		b.WriteByte('\n')
	}
	b.WriteString("{\"not\": \"an alert\"}\n")
	p := filepath.Join(t.TempDir(), "alerts.jsonl")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAlertsPage(t *testing.T) {
	e := newEnv(t)
	viewer := e.login("viewer")
	if _, body := e.req("GET", "/alerts", nil, "Cookie", viewer.cookie); !strings.Contains(body, "No alerts to show") {
		t.Errorf("/alerts without alerts:\n%s", body)
	}
	e.withWorkspace(Workspace{Alerts: []string{filepath.Dir(alertsFile(t))}})
	resp, body := e.req("GET", "/alerts", nil, "Cookie", viewer.cookie)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/alerts: %s", resp.Status)
	}
	noRawHostile(t, "/alerts", body)
	// Rules worst first; the timeline newest first, grouped by day, with the matched events.
	crit, med := strings.Index(body, ">aws-leave-organization</a>"), strings.Index(body, ">aws-console-login-no-mfa</a>")
	if crit < 0 || med < crit {
		t.Errorf("rules not worst first: critical at %d, medium at %d", crit, med)
	}
	d22, d21 := strings.Index(body, "<h3>2026-11-20</h3>"), strings.Index(body, "<h3>2026-11-19</h3>")
	if d22 < 0 || d21 < d22 || !strings.Contains(body, "<h2>Timeline (3)</h2>") || !strings.Contains(body, "not an OCSF Detection Finding") {
		t.Errorf("timeline:\n%s", body)
	}
	if !strings.Contains(body, "&#34;userAgent&#34;: &#34;\\&#34;&gt;&lt;img src=x onerror=alert(1)&gt;&#34;") {
		t.Errorf("the matched event is not shown, escaped:\n%s", body)
	}
	if _, body := e.req("GET", "/alerts?min=High", nil, "Cookie", viewer.cookie); !strings.Contains(body, "<h2>Timeline (1)</h2>") {
		t.Errorf("/alerts?min=High:\n%s", body)
	}
	if resp, _ := e.req("GET", "/alerts?min=bogus", nil, "Cookie", viewer.cookie); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("/alerts?min=bogus: %s, want 400", resp.Status)
	}
}
