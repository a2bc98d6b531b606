package policy

import (
	"context"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/rules"
	"github.com/vigil-sec/vigil/internal/synth"
)

func TestZZ7(t *testing.T) {
	if os.Getenv("ZZ") == "" {
		t.Skip()
	}
	ctx := context.Background()
	e, _ := New(ctx, []Source{{FS: rules.FS(), Name: "builtin", Builtin: true}})
	dir := t.TempDir()
	synth.Generate(ctx, dir, 100000, synth.Realistic)
	inv, _ := importer.Load(ctx, []string{dir})
	in, _ := NewInput(inv.Resources, time.Now(), e.Classes()...)
	for i := range e.rules { // warm views
		in.view(e.rules[i].Providers)
	}
	type rt struct {
		id string
		d  time.Duration
	}
	var rts []rt
	var sum time.Duration
	for i, r := range e.rules {
		t0 := time.Now()
		e.evalRule(ctx, i, in)
		d := time.Since(t0)
		sum += d
		rts = append(rts, rt{r.ID, d})
	}
	sort.Slice(rts, func(a, b int) bool { return rts[a].d > rts[b].d })
	for _, x := range rts[:12] {
		t.Logf("%-45s %v", x.id, x.d)
	}
	t0 := time.Now()
	e.EvaluateInput(ctx, in)
	t.Logf("sequential sum %v, parallel wall %v", sum, time.Since(t0))
}
