package inventory

import (
	"context"
	"fmt"
	"runtime/trace"
	"sync"

	azurerbac "github.com/vigil-sec/vigil/internal/identity/azure"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/source"
)

// Inventory is what a collection produced: the resources and the summary
// of the inputs (what was read, not modelled, skipped or unreadable).
type Inventory struct {
	Resources []*resource.Resource `json:"-"`
	Summary

	azureRBAC *azurerbac.Evaluator
}

// AzureRBAC is the Azure RBAC evaluator the derivation built over
// Resources (for identity.vm_access), nil when it built none. It answers
// as one built by azurerbac.New(Resources, azurerbac.Options{}) as long as
// the resources' Azure roles, principals, memberships, assignments and
// hierarchy are not changed: the identity graph of the same inventory
// takes it (graph.Options.AzureEvaluator) rather than building another.
func (inv *Inventory) AzureRBAC() *azurerbac.Evaluator { return inv.azureRBAC }

// Summary is the one account of an inventory's inputs: the report, the CLI
// and the logs all read it.
type Summary struct {
	// Resources is the number of resources after merging.
	Resources int `json:"resources"`
	// Providers and Classes count the resources by provider and by class.
	Providers map[string]int `json:"providers,omitempty"`
	Classes   map[string]int `json:"classes,omitempty"`
	// Files counts the inputs read, by format name.
	Files map[string]int `json:"files"`
	// Unsupported counts resources that no rule evaluates (class other),
	// by native type: types vigil does not model, and inputs kept only to
	// complete other resources' facts. They are not errors.
	Unsupported map[string]int `json:"unsupported,omitempty"`
	// Skipped lists inputs that are not something a source reads (a
	// README, a digest file, other JSON). They are not errors.
	Skipped []source.Skipped `json:"skipped,omitempty"`
	// Errors lists the input problems: unreadable or malformed inputs and
	// fields of the wrong type, located by file, line or offset, resource
	// and field. The rest of the input is still collected.
	Errors []source.Problem `json:"errors,omitempty"`
	// Warnings are notes about inputs that were read (source.Problem
	// Warning): a module that is not fetched. They are not errors.
	Warnings []source.Problem `json:"warnings,omitempty"`
}

// Collect reads every source, merges the resources by provider and ID (Azure
// IDs case-insensitively), runs the finishing step of each source that has
// one (source.Finisher), then derives the cross-resource facts (Derive; a
// resource an input problem names decides nothing in the passing direction).
// Input problems are in the summary; the error is non-nil only when a
// source fails outright or ctx is cancelled.
//
// The resources' Raw attributes are dropped once the finishers ran: the
// derivation and the rules read typed facts only, and Raw is most of an
// inventory's memory. CollectWith(ctx, Options{KeepRaw: true}, ...) keeps it.
func Collect(ctx context.Context, srcs ...source.Source) (*Inventory, error) {
	return CollectWith(ctx, Options{}, srcs...)
}

// Options configure CollectWith.
type Options struct {
	// KeepRaw keeps every resource's Raw attributes (decoded export maps)
	// after collection, for callers that read them (a debugging dump,
	// tests of an export's attributes). Without it Raw is nil afterwards.
	KeepRaw bool
}

// CollectWith is Collect with options.
func CollectWith(ctx context.Context, o Options, srcs ...source.Source) (*Inventory, error) {
	inv := &Inventory{Summary: Summary{Files: map[string]int{}, Unsupported: map[string]int{}}}
	hint := 0
	for _, src := range srcs {
		if sz, ok := src.(source.Sizer); ok {
			hint += max(0, sz.SizeHint())
		}
	}
	// The index holds the IDs, then the derivation adds the aliases to it
	// (about 0.7 per resource in the synthetic inventories): sized for
	// both, it never grows.
	hint = min(hint, maxSizeHint)
	m := newMerger(max(1024, hint+hint*3/4), max(1024, hint))
	// The stages are regions of an execution trace (vigil bench --trace):
	// "read" (the sources' Read, each batch's "merge" within it),
	// "finish" and "derive".
	var mu sync.Mutex
	read := trace.StartRegion(ctx, "read")
	for _, src := range srcs {
		err := src.Read(ctx, func(b source.Batch) error {
			mu.Lock()
			defer mu.Unlock()
			defer trace.StartRegion(ctx, "merge").End()
			inv.addBatch(m, b)
			return ctx.Err()
		})
		if err != nil {
			read.End()
			return nil, fmt.Errorf("reading %s: %w", src.Name(), err)
		}
	}
	read.End()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("collecting: %w", err)
	}
	finish := trace.StartRegion(ctx, "finish")
	for _, src := range srcs {
		f, ok := src.(source.Finisher)
		if !ok {
			continue
		}
		added, problems := f.Finish(ctx, m.list)
		for _, r := range added {
			m.add(r)
		}
		inv.Errors = append(inv.Errors, problems...)
	}
	if !o.KeepRaw {
		// Only the finishers read Raw: free it before the derivation and
		// the evaluation allocate.
		for _, r := range m.list {
			r.Raw = nil
		}
	}
	finish.End()
	// The counts read the resources' identities and classes, which the
	// derivation does not write: they are made beside it.
	inv.Resources = m.list
	ids := m.idIndex()
	trace.WithRegion(ctx, "derive", func() {
		inv.azureRBAC = deriveIndexed(m.list, inv.Errors, ids, func() { inv.count(m, ids != nil) })
	})
	return inv, nil
}

// maxSizeHint bounds the merger's initial size (source.Sizer): a wrong
// hint (a directory of other JSON) costs at most about 160 MB.
const maxSizeHint = 2_000_000

func (inv *Inventory) addBatch(m *merger, b source.Batch) {
	for _, p := range b.Problems {
		if p.Path == "" {
			p.Path = b.Input
		}
		if p.Warning {
			inv.Warnings = append(inv.Warnings, p)
			continue
		}
		inv.Errors = append(inv.Errors, p)
	}
	if b.Skipped != "" {
		inv.Skipped = append(inv.Skipped, source.Skipped{Path: b.Input, Reason: b.Skipped})
		return
	}
	if b.Format != "" {
		inv.Files[b.Format]++
	}
	for _, r := range b.Resources {
		if r == nil || r.ID == "" {
			continue
		}
		if typ, ok := b.Unsupported[r.ID]; ok {
			m.unsupported[keyIn(&m.low, r.Provider, r.ID)] = typ
		}
		m.add(r)
	}
}

// count fills the summary's counts from the merged resources. With
// indexed (the merger's index still maps every resource's ID key to it:
// merger.idIndex), a resource's own key is found among the unsupported
// ones by the resource its entry names rather than by a look-up of every
// unclassed resource's ID (about half of a realistic inventory).
func (inv *Inventory) count(m *merger, indexed bool) {
	inv.Summary.Resources = len(inv.Resources)
	inv.Providers = map[string]int{}
	inv.Classes = map[string]int{}
	// flagged: the unclassed resources whose own ID's key is unsupported
	// (indexed only): counted by that entry, not by their type.
	var flagged map[*resource.Resource]bool
	if indexed {
		flagged = make(map[*resource.Resource]bool, len(m.unsupported))
	}
	for k, typ := range m.unsupported {
		r := m.byKey[k]
		if r != nil && r.Class != "" && r.Class != resource.ClassOther {
			continue // another input classed it
		}
		inv.Unsupported[typ]++
		if r != nil && indexed && lookIn(&m.low, r.Provider, r.ID) == k {
			flagged[r] = true
		}
	}
	// Runs of resources share their provider and class (an input's
	// resources come together): counted by run, not one map update each.
	var prov, class string
	np, nc := 0, 0
	for _, r := range inv.Resources {
		if p := string(r.Provider); p != prov || np == 0 {
			if np > 0 {
				inv.Providers[prov] += np
			}
			prov, np = p, 0
		}
		np++
		c := string(r.Class)
		if r.Class == "" {
			c = string(resource.ClassOther)
		}
		if c != class || nc == 0 {
			if nc > 0 {
				inv.Classes[class] += nc
			}
			class, nc = c, 0
		}
		nc++
		if c != string(resource.ClassOther) {
			continue
		}
		// Whatever no source flagged, a resource left without a class is
		// evaluated by no rule: it is listed too (CLI outputs folded into
		// their account's facts, rows kept only for derivation).
		if indexed {
			if !flagged[r] {
				inv.Unsupported[r.Type]++
			}
		} else if _, ok := m.unsupported[lookIn(&m.low, r.Provider, r.ID)]; !ok {
			inv.Unsupported[r.Type]++
		}
	}
	if np > 0 {
		inv.Providers[prov] += np
	}
	if nc > 0 {
		inv.Classes[class] += nc
	}
}
