package detect

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/logs"
)

// TestInvictusGolden runs every loadable SigmaHQ AWS rule plus vigil's
// built-ins, with the default tuning, over the invictus Stratus Red Team
// CloudTrail dataset, compares the per-rule counts with
// testdata/invictus.golden, and checks that the attack's tactics are caught.
func TestInvictusGolden(t *testing.T) {
	data := corpus(t, "logs", "aws_cloudtrail", "invictus-aws_dataset")
	rules := corpus(t, "sigma-cloud", "aws")
	ctx := context.Background()
	eng, err := New(ctx, Config{RuleDirs: []string{rules}, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	for _, le := range eng.LoadErrors {
		t.Errorf("rule not loaded: %v", le)
	}
	sink := &collectSink{}
	var inputErrs []string
	err = eng.Run(ctx, []string{data}, sink, RunOptions{OnInputError: func(ie logs.InputError) {
		inputErrs = append(inputErrs, ie.Error())
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(inputErrs) > 0 {
		t.Errorf("input errors: %v", inputErrs)
	}
	if eng.Stats().Events != 2900 {
		t.Errorf("read %d events, want 2900", eng.Stats().Events)
	}

	var b bytes.Buffer
	fmt.Fprintf(&b, "# vigil detect on invictus-aws_dataset: %d events, %d rules, %d correlations\n", eng.Stats().Events, eng.Rules, eng.Correlations)
	fmt.Fprintf(&b, "# raised emitted suppressed level rule-id title\n")
	for _, rs := range eng.Stats().Rules() {
		if rs.Raised == 0 {
			continue
		}
		fmt.Fprintf(&b, "%d %d %d %s %s %s\n", rs.Raised, rs.Emitted, rs.SuppressedTotal(), rs.Rule.Level, rs.Rule.Key(), rs.Rule.Title)
	}
	golden := filepath.Join("testdata", "invictus.golden")
	if *update {
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if !bytes.Equal(want, b.Bytes()) {
		t.Errorf("rules firing differ from %s (-update to accept):\n--- got\n%s--- want\n%s", golden, b.String(), want)
	}

	// The simulation's techniques each raise at least one emitted alert.
	tactics := map[string][]string{}
	for _, a := range sink.alerts {
		for _, tag := range a.Rule.Tags {
			if f := TacticFamily(tag); f != "" {
				tactics[f] = append(tactics[f], a.Rule.Title)
			}
		}
		if a.Finding.FindingInfo.Analytic == nil || a.Finding.FindingInfo.Analytic.UID == "" {
			t.Errorf("alert %s has no analytic uid", a.Finding.FindingInfo.UID)
		}
		if !strings.Contains(string(a.Finding.Unmapped), `"author"`) || a.Rule.Author == "" {
			t.Errorf("alert of %q carries no author", a.Rule.Title)
		}
		if a.Finding.Cloud == nil || a.Finding.Cloud.Provider == "" || a.Finding.Actor == nil {
			t.Errorf("alert of %q lacks cloud/actor from the OCSF event", a.Rule.Title)
		}
		if len(a.Finding.Evidences) == 0 || a.Finding.RawData == "" {
			t.Errorf("alert of %q carries no matched event", a.Rule.Title)
		}
	}
	for _, want := range []string{"defense-evasion", "persistence", "credential-access", "exfiltration"} {
		if len(tactics[want]) == 0 {
			t.Errorf("no alert for tactic %s", want)
		} else {
			t.Logf("%s: %d alerts (%s)", want, len(tactics[want]), strings.Join(uniq(tactics[want]), "; "))
		}
	}
	// The full finding of one single-event alert and one correlation alert.
	var shown bytes.Buffer
	for _, title := range []string{"AWS Account Leave Organization Attempt Failed", "AWS Mass Secret Retrieval"} {
		for _, a := range sink.alerts {
			if a.Rule.Title != title {
				continue
			}
			line, err := MarshalFinding(a)
			if err != nil {
				t.Fatal(err)
			}
			// The matched events are corpus text: the golden keeps their
			// size and hash, not the events themselves.
			if line, err = redactRawData(line); err != nil {
				t.Fatal(err)
			}
			if err := json.Indent(&shown, line, "", "  "); err != nil {
				t.Fatal(err)
			}
			shown.WriteString("\n")
			break
		}
	}
	alertsGolden := filepath.Join("testdata", "invictus_alerts.golden")
	if *update {
		if err := os.WriteFile(alertsGolden, shown.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if want, err := os.ReadFile(alertsGolden); err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	} else if !bytes.Equal(want, shown.Bytes()) {
		t.Errorf("alert findings differ from %s (-update to accept):\n%s", alertsGolden, shown.String())
	}

	// Output order and ids are deterministic: a second run gives the same ids.
	eng2, err := New(ctx, Config{RuleDirs: []string{rules}, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	sink2 := &collectSink{}
	if err := eng2.Run(ctx, []string{data}, sink2, RunOptions{Workers: 1}); err != nil {
		t.Fatal(err)
	}
	if len(sink2.alerts) != len(sink.alerts) {
		t.Fatalf("second run: %d alerts, first %d", len(sink2.alerts), len(sink.alerts))
	}
	for i := range sink.alerts {
		if sink.alerts[i].Finding.FindingInfo.UID != sink2.alerts[i].Finding.FindingInfo.UID {
			t.Fatalf("alert %d: id %s then %s", i, sink.alerts[i].Finding.FindingInfo.UID, sink2.alerts[i].Finding.FindingInfo.UID)
		}
	}
}

func uniq(ss []string) []string {
	m := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !m[s] {
			m[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// redactRawData replaces every "raw_data" string and "event" object in a
// JSON document by its size and hash.
func redactRawData(doc []byte) ([]byte, error) {
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		return nil, err
	}
	var walk func(any)
	walk = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			for k, val := range x {
				if s, ok := val.(string); ok && k == "raw_data" {
					sum := sha256.Sum256([]byte(s))
					x[k] = fmt.Sprintf("(%d bytes, sha256 %x)", len(s), sum[:8])
					continue
				}
				if ev, ok := val.(map[string]any); ok && k == "event" {
					b, _ := json.Marshal(ev)
					sum := sha256.Sum256(b)
					x[k] = fmt.Sprintf("(event of %d fields, sha256 %x)", len(ev), sum[:8])
					continue
				}
				walk(val)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return json.Marshal(v)
}
