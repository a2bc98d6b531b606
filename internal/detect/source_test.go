package detect_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/detect"
	"github.com/vigil-sec/vigil/internal/logs"
	"github.com/vigil-sec/vigil/internal/logs/logsource"
	"github.com/vigil-sec/vigil/internal/ocsf"
)

// acme is a log source that exists only in this test: one descriptor, as a
// new source's folder would hold. Its events are {"acmeVersion":...}
// objects, bare or in {"acmeEvents":[...]} files.
func acme() logsource.Descriptor {
	return logsource.Descriptor{
		Name:    "acme_audit",
		Title:   "Acme audit",
		Wrapper: "acmeEvents",
		Recognise: func(p logsource.Probe) ([]byte, bool) {
			_, ok := p.Member("acmeVersion")
			return nil, ok
		},
		Normalize: func(raw []byte) (ocsf.Event, error) {
			var a ocsf.APIActivity
			a.SetClass(ocsf.ClassAPIActivity, 1)
			a.Metadata = ocsf.Metadata{Version: ocsf.Version, Product: ocsf.Product{Name: "Acme"}}
			a.RawData = string(raw)
			return &a, nil
		},
		Time:      []string{"when"},
		Actor:     []string{"who"},
		Operation: "action",
		Sigma: logsource.Sigma{
			LogSources: []logsource.LogSource{{Product: "acme", Service: "audit", Coverage: "acme audit"}},
			// Rules say "verb"; the events say "action".
			Fields: map[string][]string{"verb": {"action"}},
		},
		LakeView: "acme_audit",
	}
}

type collect struct{ alerts []*detect.Alert }

func (c *collect) Write(_ context.Context, a *detect.Alert) error {
	c.alerts = append(c.alerts, a)
	return nil
}
func (c *collect) Flush(context.Context) error { return nil }
func (c *collect) Close() error                { return nil }

// TestFakeSourceEndToEnd registers a source in this test package only and
// checks it is recognised by the reader (bare and in its wrapper),
// normalized, matched by a Sigma rule through its field map, and its
// identities read for tuning: adding a source is its descriptor alone.
func TestFakeSourceEndToEnd(t *testing.T) {
	ctx := t.Context()
	reg, err := logs.Builtin().With(acme())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	rules := filepath.Join(dir, "rules")
	if err := os.Mkdir(rules, 0o755); err != nil {
		t.Fatal(err)
	}
	rule := `title: Acme Vault Deleted
id: 6a0e7f4e-0000-4000-8000-000000000001
status: test
logsource:
  product: acme
  service: audit
detection:
  selection:
    verb: DeleteVault
  condition: selection
level: high
`
	if err := os.WriteFile(filepath.Join(rules, "acme.yml"), []byte(rule), 0o644); err != nil {
		t.Fatal(err)
	}
	bare := filepath.Join(dir, "bare.jsonl")
	if err := os.WriteFile(bare, []byte(
		`{"acmeVersion":"1","when":"2024-05-01T10:00:00Z","who":"alice","action":"DeleteVault","id":"a1"}`+"\n"+
			`{"acmeVersion":"1","when":"2024-05-01T10:01:00Z","who":"bob","action":"ListVaults","id":"a2"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	wrapped := filepath.Join(dir, "wrapped.json")
	if err := os.WriteFile(wrapped, []byte(
		`{"acmeEvents":[{"acmeVersion":"1","when":"2024-05-01T11:00:00Z","who":"carol","action":"DeleteVault","id":"a3"},`+
			`{"acmeVersion":"1","when":"2024-05-01T11:01:00Z","who":"dave","action":"DeleteVaultBackup","id":"a4"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}

	// Recognised by a reader of reg, unknown to the built-in one.
	var recs []logs.Record
	if err := (logs.Reader{Sources: reg}).Walk(ctx, []string{bare, wrapped}, func(r logs.Record) error {
		recs = append(recs, r)
		return nil
	}, func(ie logs.InputError) { t.Errorf("reader: %v", ie) }); err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 {
		t.Fatalf("%d acme events read, want 4", len(recs))
	}
	for _, r := range recs {
		if r.Source != "acme_audit" || r.Desc == nil || r.Time.IsZero() {
			t.Errorf("record %s:%d: source %q, descriptor %v, time %v", r.File, r.Line, r.Source, r.Desc, r.Time)
		}
		ev, err := logs.Normalize(r)
		if err != nil || ev.Common().ClassUID != ocsf.ClassAPIActivity {
			t.Errorf("normalize %s:%d: %v", r.File, r.Line, err)
		}
		if ids := detect.Identities(r); len(ids) != 1 {
			t.Errorf("identities of %s:%d: %v", r.File, r.Line, ids)
		}
	}
	skipped := 0
	_ = logs.Walk(ctx, []string{bare}, func(logs.Record) error {
		t.Error("the built-in reader recognised an acme event")
		return nil
	}, func(ie logs.InputError) {
		if ie.Skipped {
			skipped++
		}
	})
	if skipped == 0 {
		t.Error("the built-in reader did not report the acme file as unrecognised")
	}

	// Matched end to end by an engine over reg's sources.
	eng, err := detect.New(ctx, detect.Config{Sources: reg, RuleDirs: []string{rules}, NoBuiltins: true})
	if err != nil {
		t.Fatal(err)
	}
	if eng.Rules != 1 {
		t.Fatalf("%d rules loaded (errors %v), want the acme rule", eng.Rules, eng.LoadErrors)
	}
	sink := &collect{}
	if err := eng.Run(ctx, []string{bare, wrapped}, sink, detect.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	var who []string
	for _, a := range sink.alerts {
		if a.Rule.Title != "Acme Vault Deleted" || len(a.Events) != 1 {
			t.Errorf("alert %s with %d events", a.Rule.Title, len(a.Events))
			continue
		}
		who = append(who, detect.Identities(a.Events[0].Record)...)
		if a.Events[0].Norm == nil {
			t.Errorf("alert on %s without its OCSF event", a.Events[0].Record.File)
		}
	}
	if got := strings.Join(who, ","); got != "alice,carol" {
		t.Errorf("alerts on %q, want alice,carol (DeleteVault only)", got)
	}

	// Without the source the engine cannot load the rule.
	eng, err = detect.New(ctx, detect.Config{RuleDirs: []string{rules}, NoBuiltins: true})
	if err != nil {
		t.Fatal(err)
	}
	if eng.Rules != 0 || len(eng.LoadErrors) != 1 {
		t.Errorf("built-in sources: %d rules loaded, errors %v; want the acme rule refused", eng.Rules, eng.LoadErrors)
	}
}
