package load

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/vigil-sec/vigil/internal/findings"
)

// TestPlace checks that place puts every finding where collect's order
// wants it whatever the mix of records that are findings, are not, or
// carry several (a Security Hub event's), against appending them in
// order to a new slice.
func TestPlace(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for round := range 2000 {
		ins := make([]input, 1+r.IntN(4))
		base := make([]int, len(ins)+1)
		for i := range ins {
			base[i+1] = base[i] + r.IntN(6)
			if r.IntN(8) == 0 {
				ins[i].err = fmt.Errorf("unreadable")
			}
		}
		n := base[len(ins)]
		out := make([]findings.Finding, n)
		st := make([]parsed, n)
		var want []string
		for i := range ins {
			for k := base[i]; k < base[i+1]; k++ {
				switch r.IntN(4) {
				case 0: // no finding
				case 1: // several
					for j := range r.IntN(4) {
						st[k].more = append(st[k].more, findings.Finding{ID: fmt.Sprintf("%d.%d", k, j)})
					}
				default:
					st[k].found = true
					out[k].ID = fmt.Sprint(k)
				}
			}
			if ins[i].err != nil {
				continue
			}
			for k := base[i]; k < base[i+1]; k++ {
				if st[k].found {
					want = append(want, out[k].ID)
				}
			}
			for k := base[i]; k < base[i+1]; k++ {
				for _, f := range st[k].more {
					want = append(want, f.ID)
				}
			}
		}
		if len(want) > n {
			continue // collect makes a new slice
		}
		var got []string
		for _, f := range place(ins, base, out, st, len(want)) {
			got = append(got, f.ID)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("round %d: got %q, want %q", round, got, want)
		}
		for k := len(want); k < n; k++ {
			if out[k].ID != "" {
				t.Fatalf("round %d: slot %d past the findings not cleared", round, k)
			}
		}
	}
}
