package logs

import (
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/logs/logsource"
)

// TestBuiltinDescriptorsComplete asserts that every built-in source's
// descriptor fills every required field, that its Sigma logsources map back
// to it, its coverage groups are named, and that each recognises and
// normalizes an event of the samples.
func TestBuiltinDescriptorsComplete(t *testing.T) {
	reg := Builtin()
	if reg.Len() != 8 {
		t.Fatalf("%d built-in sources, want 8: %v", reg.Len(), reg.Names())
	}
	for _, d := range reg.All() {
		if miss := logsource.Missing(d); len(miss) > 0 {
			t.Errorf("%s: missing %s", d.Name, strings.Join(miss, ", "))
		}
		for _, ls := range d.Sigma.LogSources {
			got, _, ok := reg.ForSigma(ls.Product, ls.Service)
			if !ok || got.Name != d.Name {
				t.Errorf("%s: logsource %s/%s does not map back to it", d.Name, ls.Product, ls.Service)
			}
			if ls.Coverage == "" {
				t.Errorf("%s: logsource %s/%s has no coverage group", d.Name, ls.Product, ls.Service)
			}
		}
		for _, ls := range d.Sigma.Unsupported {
			if ls.Reason == "" {
				t.Errorf("%s: unsupported logsource %s/%s without a reason", d.Name, ls.Product, ls.Service)
			}
		}
	}
	if _, err := logsource.New(append(reg.All(), reg.All()[0])...); err == nil {
		t.Error("a source registered twice is accepted")
	}
	if _, err := logsource.New(logsource.Descriptor{Name: "x"}); err == nil || !strings.Contains(err.Error(), "Recognise") {
		t.Errorf("an incomplete descriptor is accepted: %v", err)
	}
}

// TestBuiltinDescriptorsRecognise reads the samples and checks each
// source's events are recognised as that source and normalize with its
// descriptor.
func TestBuiltinDescriptorsRecognise(t *testing.T) {
	seen := map[Source]int{}
	err := Walk(t.Context(), []string{"testdata/samples"}, func(r Record) error {
		if r.Desc == nil || r.Desc.Name != r.Source {
			t.Errorf("%s:%d: record of %s carries descriptor %v", r.File, r.Line, r.Source, r.Desc)
			return nil
		}
		if r.Time.IsZero() {
			t.Errorf("%s:%d: no event time on the record", r.File, r.Line)
		}
		if _, err := r.Desc.Normalize(r.Raw); err != nil {
			t.Errorf("%s:%d: normalize: %v", r.File, r.Line, err)
		}
		seen[r.Source]++
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range Builtin().Names() {
		if seen[n] == 0 {
			t.Errorf("no sample event recognised as %s", n)
		}
	}
}
