package ticket_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/vigil-sec/vigil/internal/respond"
	"github.com/vigil-sec/vigil/internal/respond/engine"
	"github.com/vigil-sec/vigil/internal/respond/enrich"
	"github.com/vigil-sec/vigil/internal/respond/notify"
	"github.com/vigil-sec/vigil/internal/respond/playbook"
	"github.com/vigil-sec/vigil/internal/respond/ticket"
)

// trailLog keeps the engine's events as JSON.
type trailLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *trailLog) Record(_ context.Context, actor string, e engine.Event) error {
	b, err := json.Marshal(e)
	l.mu.Lock()
	l.lines = append(l.lines, string(b))
	l.mu.Unlock()
	return err
}

const book = `name: public-bucket
trigger:
  findings: {rules: [storage-public-access]}
steps:
  - id: owner
    action: enrich.owner
    with: {tags: "owner,team", default: secops}
  - id: related
    action: enrich.related
  - id: tell
    action: notify.slack
    auto: true
    with:
      url: env:VIGIL_E2E_SLACK
      text: "{{ .resource.name }} is public (owner {{ .steps.owner.owner }}, {{ .steps.related.count }} related)"
  - id: issue
    action: ticket.github
    auto: true
    with: {repo: acme/infra, token: env:VIGIL_E2E_GH, api_url: "GITHUB"}
`

// TestPlaybookThroughEngine runs a playbook of enrich, notify and ticket
// steps through the engine: planned, written to a plan file and read
// back, applied without approval (the steps are auto), applied again
// with the checkpoint (nothing runs twice) and without it (the ticket is
// found, not made again). No secret is in the plan file or the trail.
func TestPlaybookThroughEngine(t *testing.T) {
	var mu sync.Mutex
	var slack []string
	issues := map[string]bool{}
	posts := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		b, _ := io.ReadAll(r.Body)
		switch {
		case r.URL.Path == "/slack/T1/B1/sl4ck-secret":
			var m struct{ Text string }
			json.Unmarshal(b, &m)
			slack = append(slack, m.Text)
		case r.Header.Get("Authorization") != "Bearer gh-e2e-t0ken":
			w.WriteHeader(http.StatusUnauthorized)
		case r.Method == http.MethodGet && r.URL.Path == "/repos/acme/infra/issues":
			if issues[r.URL.Query().Get("labels")] {
				io.WriteString(w, `[{"number":1,"id":1,"html_url":"https://github.test/acme/infra/issues/1"}]`)
				return
			}
			io.WriteString(w, "[]")
		case r.Method == http.MethodPost && r.URL.Path == "/repos/acme/infra/issues":
			var m struct{ Labels []string }
			json.Unmarshal(b, &m)
			issues[m.Labels[0]] = true
			posts++
			w.WriteHeader(http.StatusCreated)
			io.WriteString(w, `{"number":1,"id":1,"html_url":"https://github.test/acme/infra/issues/1"}`)
		default:
			t.Errorf("unexpected %s %s", r.Method, r.URL)
		}
	}))
	defer srv.Close()
	t.Setenv("VIGIL_E2E_SLACK", srv.URL+"/slack/T1/B1/sl4ck-secret")
	t.Setenv("VIGIL_E2E_GH", "gh-e2e-t0ken")

	var all []respond.Action
	all = append(all, notify.Actions(notify.Options{})...)
	all = append(all, ticket.Actions(ticket.Options{})...)
	all = append(all, enrich.Actions(enrich.Options{})...)
	reg, err := respond.NewRegistry(all...)
	if err != nil {
		t.Fatal(err)
	}
	pbs, errs := playbook.Parse("book.yaml", []byte(strings.Replace(book, "GITHUB", srv.URL, 1)), reg)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	subjects := []*respond.Subject{
		{Kind: "finding", ID: "f1", Rule: "storage-public-access", Severity: "HIGH", Status: "FAIL", Account: "1",
			Resource: respond.Resource{ID: "arn:aws:s3:::logs", Name: "logs", Tags: map[string]string{"team": "data"}}},
		{Kind: "finding", ID: "f2", Rule: "storage-public-access", Severity: "HIGH", Status: "FAIL", Account: "1",
			Resource: respond.Resource{ID: "arn:aws:s3:::web", Name: "web"}},
		{Kind: "finding", ID: "f3", Rule: "storage-encryption", Severity: "LOW", Status: "FAIL", Account: "1",
			Resource: respond.Resource{ID: "arn:aws:s3:::web", Name: "web"}},
	}
	tr := &trailLog{}
	r := &engine.Runner{Registry: reg, Policy: engine.DefaultPolicy(), Trail: tr, Actor: "tester"}
	ctx := context.Background()
	p, err := r.Build(ctx, subjects, playbook.Engine(pbs), engine.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 8 || len(p.Skipped) != 0 {
		t.Fatalf("plan: %d items, skipped %+v", len(p.Items), p.Skipped)
	}
	f, err := engine.Seal(p)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "plan.json")
	if err := f.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	if f, err = engine.ReadFile(path); err != nil {
		t.Fatal(err)
	}
	cp, err := engine.OpenCheckpoint(filepath.Join(dir, "checkpoint.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	run, err := r.Apply(ctx, f, engine.ApplyOptions{RunsDir: dir, OnlyAuto: true, Checkpoint: cp})
	if err != nil {
		t.Fatal(err)
	}
	if c := run.Counts(); c[engine.StatusApplied] != 4 || c[engine.StatusNoOp] != 4 || run.Stopped != "" {
		t.Fatalf("run: %v %s %+v", c, run.Stopped, run.Results)
	}
	mu.Lock()
	got := strings.Join(slack, "\n")
	mu.Unlock()
	// "related" counts f3 for the web bucket.
	if !strings.Contains(got, "logs is public (owner data, 0 related)") || !strings.Contains(got, "web is public (owner secops, 1 related)") || len(slack) != 2 || posts != 2 {
		t.Errorf("slack %q, %d issues posted", got, posts)
	}

	again, err := r.Apply(ctx, f, engine.ApplyOptions{RunsDir: dir, OnlyAuto: true, Checkpoint: cp})
	if err != nil {
		t.Fatal(err)
	}
	if c := again.Counts(); c[engine.StatusDone] != 4 || len(slack) != 2 || posts != 2 {
		t.Errorf("with the checkpoint: %v, %d messages, %d issues", c, len(slack), posts)
	}
	fresh, err := r.Apply(ctx, f, engine.ApplyOptions{RunsDir: dir, OnlyAuto: true})
	if err != nil {
		t.Fatal(err)
	}
	if c := fresh.Counts(); c[engine.StatusApplied] != 4 || posts != 2 {
		t.Errorf("without the checkpoint: %v, %d issues posted (want 2: found, not made again)", c, posts)
	}

	plan, _ := os.ReadFile(path)
	tr.mu.Lock()
	trail := strings.Join(tr.lines, "\n")
	tr.mu.Unlock()
	for _, secret := range []string{"sl4ck-secret", "gh-e2e-t0ken"} {
		if strings.Contains(string(plan), secret) || strings.Contains(trail, secret) {
			t.Errorf("the secret %q is in the plan or the trail", secret)
		}
	}
	if !strings.Contains(trail, `"read_only":true`) || !strings.Contains(trail, `"operation":"POST webhook"`) {
		t.Errorf("the trail lacks the calls:\n%s", trail)
	}
}
