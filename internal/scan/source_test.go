package scan_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/rules"
	"github.com/vigil-sec/vigil/internal/scan"
	"github.com/vigil-sec/vigil/internal/source"
)

// memSource is the smallest source a collector or IaC reader could be:
// resources held in memory, emitted in batches.
type memSource struct {
	batches [][]*resource.Resource
}

func (m *memSource) Name() string { return "memory" }

func (m *memSource) Read(ctx context.Context, emit func(source.Batch) error) error {
	for i, rs := range m.batches {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := emit(source.Batch{Input: fmt.Sprintf("memory/%d", i), Format: "memory", Resources: rs}); err != nil {
			return err
		}
	}
	return nil
}

// TestInMemorySourceScansLikeFiles scans the sample organization twice:
// from its export files, and from an in-memory source holding the same
// resources with no Raw attributes and without the facts derivation
// computes (a copy, split across batches so that some resources arrive in
// two halves to merge). The findings are the same: nothing after the seam
// reads an export's own shape, and derivation recomputes what it must.
func TestInMemorySourceScansLikeFiles(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join("..", "..", "examples", "org")
	now := time.Date(2026, 11, 24, 6, 0, 0, 0, time.UTC)
	e, err := policy.New(ctx, []policy.Source{{FS: rules.FS(), Name: "builtin", Builtin: true}})
	if err != nil {
		t.Fatal(err)
	}
	fromFiles, err := scan.Run(ctx, e, scan.Options{Paths: []string{dir}, Now: now})
	if err != nil {
		t.Fatal(err)
	}

	inv, err := importer.Load(ctx, []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(inv.Resources)
	if err != nil {
		t.Fatal(err)
	}
	var copied []*resource.Resource
	if err := json.Unmarshal(data, &copied); err != nil {
		t.Fatal(err)
	}
	mem := &memSource{batches: make([][]*resource.Resource, 3)}
	halves := 0
	cleared := 0
	for i, r := range copied {
		r.Raw = nil
		cleared += clearDerived(r)
		b := i % 3
		// Every seventh resource with tags arrives as two halves: identity and
		// facts in one batch, its tags in another.
		if i%7 == 0 && len(r.Tags) > 0 {
			half := &resource.Resource{Provider: r.Provider, ID: r.ID, Tags: r.Tags}
			r.Tags = nil
			mem.batches[(b+1)%3] = append(mem.batches[(b+1)%3], half)
			halves++
		}
		mem.batches[b] = append(mem.batches[b], r)
	}
	if cleared < 10 {
		t.Fatalf("only %d derived facts cleared: the test does not exercise the derivation", cleared)
	}
	if halves == 0 {
		t.Fatal("no resource split in halves: the test does not exercise the merge")
	}
	fromMem, err := scan.Run(ctx, e, scan.Options{Sources: []source.Source{mem}, Now: now})
	if err != nil {
		t.Fatal(err)
	}

	if got, want := fromMem.Inventory.Summary.Resources, fromFiles.Inventory.Summary.Resources; got != want {
		t.Errorf("in-memory inventory has %d resources, files %d", got, want)
	}
	if fromMem.Inventory.Files["memory"] != 3 {
		t.Errorf("files by format: %v", fromMem.Inventory.Files)
	}
	want, got := findingSet(fromFiles.Report.Findings), findingSet(fromMem.Report.Findings)
	if len(want) < 500 {
		t.Fatalf("only %d findings from files", len(want))
	}
	for _, k := range diff(want, got) {
		t.Errorf("from files only: %s", k)
	}
	for _, k := range diff(got, want) {
		t.Errorf("from memory only: %s", k)
	}
}

// clearDerived forgets the facts no importer sets and inventory.Derive
// computes from other resources; it returns how many it cleared.
func clearDerived(r *resource.Resource) int {
	n := 0
	clear := func(p **bool) {
		if *p != nil {
			*p = nil
			n++
		}
	}
	f := &r.Facts
	switch {
	case r.Provider == resource.AWS && f.Compute != nil:
		clear(&f.Compute.DiskEncrypted)
	case r.Provider == resource.Azure && f.Compute != nil:
		clear(&f.Compute.PublicIP)
	case r.Provider != resource.GCP && f.Network != nil:
		clear(&f.Network.FlowLogs)
	case f.AuditLog != nil:
		clear(&f.AuditLog.DestinationPublic)
	}
	return n
}

func findingSet(fs []finding.Finding) map[string]bool {
	m := make(map[string]bool, len(fs))
	for _, f := range fs {
		m[fmt.Sprintf("%s %s %s %q", f.RuleID, f.Resource.ID, f.Status, f.Message)] = true
	}
	return m
}

func diff(a, b map[string]bool) []string {
	var out []string
	for k := range a {
		if !b[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
