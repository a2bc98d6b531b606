package reach_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/reach"
	"github.com/vigil-sec/vigil/internal/synth"
)

// TestLookupIndexSameExposure: the derivation annotates exposure with a
// Graph that indexes only GCP's resources and looks the others up in the
// deriver's own index (reach.NewGCPIndex); annotating the same resources
// again with the full index (reach.Annotate, idempotent) changes no
// exposure, over the sample organization, every reach test inventory and
// a synthetic inventory of the three clouds.
func TestLookupIndexSameExposure(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Generate(context.Background(), dir, 3000, synth.RuleHeavy); err != nil {
		t.Fatal(err)
	}
	inputs := [][]string{{filepath.Join("..", "..", "examples", "org")}, {dir}}
	subs, err := filepath.Glob(filepath.Join("testdata", "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range subs {
		if filepath.Base(s) != "golden" {
			inputs = append(inputs, []string{s})
		}
	}
	for _, in := range inputs {
		inv, err := importer.Load(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		before := map[string]string{}
		exposed := 0
		for _, r := range inv.Resources {
			if r.Facts.Exposure != nil {
				b, _ := json.Marshal(r.Facts.Exposure)
				before[string(r.Provider)+"|"+r.ID] = string(b)
				exposed++
			}
		}
		if len(inv.Errors) == 0 {
			// Annotate anew with the index of every resource.
			for _, r := range inv.Resources {
				r.Facts.Exposure = nil
			}
			reach.Annotate(inv.Resources)
		}
		for _, r := range inv.Resources {
			k := string(r.Provider) + "|" + r.ID
			var after string
			if r.Facts.Exposure != nil {
				b, _ := json.Marshal(r.Facts.Exposure)
				after = string(b)
			}
			if after != before[k] {
				t.Errorf("%v: %s: exposure %s with the deriver's look-ups, %s with reach's own index", in, k, before[k], after)
			}
		}
		if exposed == 0 {
			t.Errorf("%v: no exposure annotated", in)
		}
	}
}
