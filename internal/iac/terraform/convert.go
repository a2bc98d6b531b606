package terraform

import (
	"slices"

	"github.com/zclconf/go-cty/cty"

	"github.com/vigil-sec/vigil/internal/iac/tfmap"
)

// toGo converts an evaluated value to the Attrs representation of
// tfmap.Instance: an unknown anywhere becomes tfmap.Unknown naming the
// resources the expression refers to.
func toGo(v cty.Value, refs []string) any {
	if v == cty.NilVal {
		return nil
	}
	v, marks := v.Unmark()
	if !v.IsKnown() {
		return tfmap.Unknown{Refs: withMarkRefs(refs, marks)}
	}
	if v.IsNull() {
		return nil
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		return v.AsString()
	case ty == cty.Number:
		f, _ := v.AsBigFloat().Float64()
		return f
	case ty == cty.Bool:
		return v.True()
	case ty.IsListType() || ty.IsSetType() || ty.IsTupleType():
		out := make([]any, 0, v.LengthInt())
		for it := v.ElementIterator(); it.Next(); {
			_, el := it.Element()
			out = append(out, toGo(el, refs))
		}
		return out
	case ty.IsMapType() || ty.IsObjectType():
		out := make(map[string]any, v.LengthInt())
		for it := v.ElementIterator(); it.Next(); {
			k, el := it.Element()
			out[k.AsString()] = toGo(el, refs)
		}
		return out
	}
	return tfmap.Unknown{Refs: refs}
}

// withMarkRefs: the refs of an unknown value whose marks (refMark) name
// the resource instances whose computed attributes flowed into it are
// those instances (more precise than the expression's references, which
// name every resource it reads, and the only ones when the value came
// through a local, a variable or a module output), with the data sources
// the expression reads (their values may be anything).
func withMarkRefs(refs []string, marks cty.ValueMarks) []string {
	var out []string
	for m := range marks {
		if r, ok := m.(refMark); ok {
			out = append(out, string(r))
		}
	}
	if len(out) == 0 {
		return refs
	}
	slices.Sort(out)
	for _, r := range refs {
		if tfmap.IsDataAddr(r) {
			out = append(out, r)
		}
	}
	return out
}
