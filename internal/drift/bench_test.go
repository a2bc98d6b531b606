package drift

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/synth"
)

// BenchmarkCompare compares a synthetic inventory (VIGIL_DRIFT_N
// resources, default 30,000; internal/synth) with an IaC copy of it that
// knows every resource by its id (as a state does), one in ten of them
// left out (unmanaged):
//
//	go test ./internal/drift -run ^$ -bench Compare -benchtime 1x
func BenchmarkCompare(b *testing.B) {
	n := 30000
	if s := os.Getenv("VIGIL_DRIFT_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	dir := b.TempDir()
	if _, err := synth.Generate(context.Background(), dir, n, synth.Realistic); err != nil {
		b.Fatal(err)
	}
	inv, err := ReadInventory(context.Background(), []string{dir}, nil)
	if err != nil {
		b.Fatal(err)
	}
	var iacRes []*resource.Resource
	for i, l := range inv.Resources {
		if i%10 == 0 {
			continue
		}
		c := *l
		c.ID = fmt.Sprintf(".:r.x%d", i)
		c.Raw = map[string]any{"id": l.ID}
		c.Aliases = nil
		c.Location = &resource.Location{File: "main.tf", StartLine: i + 1, Address: fmt.Sprintf("r.x%d", i)}
		iacRes = append(iacRes, &c)
	}
	b.ResetTimer()
	var rep *Report
	for range b.N {
		rep = Compare(iacRes, inv.Resources, Options{})
	}
	b.ReportMetric(float64(len(inv.Resources)), "resources")
	b.Logf("%d inventory resources, %d IaC: %+v", len(inv.Resources), len(iacRes), rep.Summary.Matched)
}
