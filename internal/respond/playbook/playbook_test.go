package playbook

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/respond"
)

// specAction is an action known only by its spec: loading checks steps
// against specs and never calls an action.
type specAction struct{ spec respond.Spec }

func (a specAction) Spec() respond.Spec { return a.spec }
func (a specAction) Plan(context.Context, *respond.Env, *respond.Request) (*respond.Change, error) {
	return nil, fmt.Errorf("not called")
}
func (a specAction) Apply(context.Context, *respond.Env, *respond.Change) (*respond.Outcome, error) {
	return nil, fmt.Errorf("not called")
}
func (a specAction) Rollback(context.Context, *respond.Env, *respond.Change, *respond.Outcome) (*respond.Outcome, error) {
	return nil, respond.ErrIrreversible
}

func testRegistry(t testing.TB) *respond.Registry {
	reg, err := respond.NewRegistry(
		specAction{respond.Spec{Name: "test.fix", Class: respond.Remediate, Inputs: []respond.Input{{Name: "resource", Required: true}}}},
		specAction{respond.Spec{Name: "test.notify", Class: respond.Notify, Inputs: []respond.Input{{Name: "url", Required: true, Secret: true}, {Name: "text", Required: true}}}},
		specAction{respond.Spec{Name: "test.enrich", Class: respond.Enrich, Inputs: []respond.Input{{Name: "tags"}}}},
	)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func bucket(tags map[string]string) *respond.Subject {
	return &respond.Subject{Kind: "finding", ID: "f1", Rule: "storage-public-access", Title: "Bucket is public", Severity: "CRITICAL",
		Status: "FAIL", Provider: "aws", Account: "111122223333", Region: "eu-west-1",
		Resource: respond.Resource{ID: "arn:aws:s3:::nw-public", Name: "nw-public", Tags: tags}}
}

func TestLoadAndMatch(t *testing.T) {
	pbs, err := Load([]string{"testdata/good"}, testRegistry(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(pbs) != 2 || pbs[0].Name != "lock-public-buckets" || pbs[1].Name != "admin-granted" || pbs[0].Hash == "" {
		t.Fatalf("loaded %+v", pbs)
	}
	lock, admin := pbs[0], pbs[1]
	prod := bucket(map[string]string{"env": "prod", "owner": "data@example.com"})
	cases := []struct {
		name string
		s    *respond.Subject
		pb   *Playbook
		want bool
	}{
		{"prod bucket", prod, lock, true},
		{"dev bucket (condition)", bucket(map[string]string{"env": "dev"}), lock, false},
		{"untagged bucket (condition: missing key)", bucket(nil), lock, false},
		{"other provider", func() *respond.Subject { s := bucket(map[string]string{"env": "prod"}); s.Provider = "gcp"; return s }(), lock, false},
		{"low severity", func() *respond.Subject { s := bucket(map[string]string{"env": "prod"}); s.Severity = "LOW"; return s }(), lock, false},
		{"other rule", func() *respond.Subject {
			s := bucket(map[string]string{"env": "prod"})
			s.Rule = "keys-rotation"
			return s
		}(), lock, false},
		{"alert on a finding playbook", &respond.Subject{Kind: "alert", Rule: "storage-public-access"}, lock, false},
		{"sub-technique", &respond.Subject{Kind: "alert", Level: "high", Techniques: []string{"T1098.001"}}, admin, true},
		{"other technique", &respond.Subject{Kind: "alert", Level: "high", Techniques: []string{"T1078"}}, admin, false},
		{"low level", &respond.Subject{Kind: "alert", Level: "low", Techniques: []string{"T1098"}}, admin, false},
	}
	for _, c := range cases {
		got, err := c.pb.Match(c.s)
		if got != c.want {
			t.Errorf("%s: match = %v (err %v), want %v", c.name, got, err, c.want)
		}
	}
	steps := lock.Steps()
	if len(steps) != 3 || steps[1].ID() != "tell" || !steps[1].Auto() || steps[2].Auto() {
		t.Fatalf("steps %+v", steps)
	}
	in, err := steps[1].Render(prod, map[string]map[string]string{"owner": {"owner": "data@example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	if in["url"] != "env:TEST_WEBHOOK" || in["text"] != "Bucket is public on nw-public in 111122223333: owner data@example.com, env prod" {
		t.Errorf("rendered %q", in)
	}
	if _, err := steps[1].Render(prod, nil); err == nil || !strings.Contains(err.Error(), "input text") {
		t.Errorf("missing step output: err = %v", err)
	}
	alert := &respond.Subject{Kind: "alert", Principal: "arn:aws:iam::1:user/mallory", SourceIP: "203.0.113.9", Techniques: []string{"T1098", "T1078"}}
	in, err = admin.Steps()[0].Render(alert, nil)
	if err != nil || in["text"] != "arn:aws:iam::1:user/mallory from 203.0.113.9: T1098, T1078" {
		t.Errorf("alert render %q %v", in, err)
	}
}

// TestBadPlaybooks: each mistake is refused on load with its file and line.
func TestBadPlaybooks(t *testing.T) {
	want := map[string][]string{
		"unknown-action.yml": {"unknown-action.yml:5:13: step one: unknown action \"test.fixx\" (known: test.enrich, test.fix, test.notify)"},
		"missing-field.yml": {
			"missing-field.yml:7:17: step one: input resource: {{ .resource.arn }}: a resource has no field \"arn\"",
			"missing-field.yml:12:13: step two: input text: {{ .steps.three.key }}: no earlier step has id \"three\"",
			"missing-field.yml:12:13: step two: input text: {{ .owner }}: a finding or alert has no field \"owner\"",
		},
		"secret-literal.yml": {"secret-literal.yml:7:12: step one: input url is a secret: give a reference (env:NAME or file:PATH), never the value"},
		"auto-remediate.yml": {"auto-remediate.yml:6:11: step one: test.fix changes a cloud and always needs an approved plan"},
		"cel.yml": {"cel.yml:3:12: condition: the expression is a int, not a boolean", "cel.yml:11:12: condition: ERROR",
			"cel.yml:19:12: condition: subject.owner: a finding or alert has no field \"owner\"",
			"cel.yml:19:12: condition: subject.resource.arn: a resource has no field \"arn\""},
		"shape.yml": {
			"shape.yml:2:45: trigger: unknown key \"logs\"",
			"shape.yml:2:21: trigger.findings.severities: unknown severity \"SEVERE\"",
			"shape.yml:3:1: playbook: unknown key \"colour\"",
			"shape.yml:5:9: step id \"One\": use lower-case letters",
			"shape.yml:7:25: step One: test.fix has no input \"force\" (inputs: resource)",
			"shape.yml:8:5: step two: test.fix needs input \"resource\"",
			"shape.yml:12:19: trigger.alerts.levels: \"severe\" is not a Sigma level",
			"shape.yml:13:11: on_error: \"retry\" is neither stop nor continue",
			"shape.yml:18:9: step id \"one\" is used twice",
		},
	}
	reg := testRegistry(t)
	for file, msgs := range want {
		_, err := Load([]string{filepath.Join("testdata/bad", file)}, reg)
		if err == nil {
			t.Errorf("%s: loaded", file)
			continue
		}
		for _, m := range msgs {
			if !strings.Contains(err.Error(), m) {
				t.Errorf("%s: error lacks %q:\n%v", file, m, err)
			}
		}
	}
	// Two files with one playbook name.
	dir := t.TempDir()
	b, _ := os.ReadFile("testdata/good/lock.yml")
	os.WriteFile(filepath.Join(dir, "a.yml"), b, 0o600)
	os.WriteFile(filepath.Join(dir, "b.yaml"), b, 0o600)
	if _, err := Load([]string{dir}, reg); err == nil || !strings.Contains(err.Error(), `playbook name "lock-public-buckets" is also used in`) {
		t.Errorf("duplicate names: %v", err)
	}
	if _, err := Load([]string{t.TempDir()}, reg); err == nil || !strings.Contains(err.Error(), "no *.yml or *.yaml file") {
		t.Errorf("empty dir: %v", err)
	}
}

func FuzzLoad(f *testing.F) {
	for _, dir := range []string{"testdata/good", "testdata/bad"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.yml"))
		for _, p := range files {
			b, _ := os.ReadFile(p)
			f.Add(b)
		}
	}
	reg := testRegistry(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		pbs, errs := Parse("fuzz.yml", b, reg)
		if len(errs) > 0 {
			return
		}
		s := bucket(map[string]string{"env": "prod"})
		for _, p := range pbs {
			p.Match(s)
			for _, st := range p.steps {
				st.Render(s, nil)
			}
		}
	})
}

// BenchmarkMatch: 10,000 findings against 100 playbooks (the issue's
// planning target is under 2 s for this, planning included), each
// matching subject's steps rendered.
func BenchmarkMatch(b *testing.B) {
	reg := testRegistry(b)
	src, _ := os.ReadFile("testdata/good/lock.yml")
	var pbs []*Playbook
	for i := range 100 {
		text := strings.Replace(string(src), "lock-public-buckets", fmt.Sprint("lock-", i), 1)
		text = strings.Replace(text, "admin-granted", fmt.Sprint("admin-", i), 1)
		text = strings.Replace(text, "storage-public-*", fmt.Sprintf("storage-public-%d*", i%10), 1)
		got, errs := Parse("bench.yml", []byte(text), reg)
		if len(errs) > 0 {
			b.Fatal(errs)
		}
		pbs = append(pbs, got[0])
	}
	var subs []*respond.Subject
	for i := range 10000 {
		s := bucket(map[string]string{"env": []string{"prod", "dev"}[i%2], "owner": "o"})
		s.Rule = fmt.Sprintf("storage-public-%d", i%20)
		s.ID = fmt.Sprint("f", i)
		subs = append(subs, s)
	}
	b.ResetTimer()
	matched := 0
	for b.Loop() {
		matched = 0
		for _, s := range subs {
			for _, p := range pbs {
				ok, _ := p.Match(s)
				if !ok {
					continue
				}
				matched++
				outs := map[string]map[string]string{}
				for _, st := range p.steps {
					in, err := st.Render(s, outs)
					if err != nil {
						b.Fatal(err)
					}
					outs[st.id] = map[string]string{"owner": in["tags"]}
				}
			}
		}
	}
	b.ReportMetric(float64(matched), "matches")
}
