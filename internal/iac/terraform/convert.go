package terraform

import (
	"github.com/vigil-sec/vigil/internal/iac/tfmap"
	"github.com/zclconf/go-cty/cty"
)

// toGo converts an evaluated value to the Attrs representation of
// tfmap.Instance: an unknown anywhere becomes tfmap.Unknown naming the
// resources the expression refers to.
func toGo(v cty.Value, refs []string) any {
	if v == cty.NilVal {
		return nil
	}
	v, _ = v.Unmark()
	if !v.IsKnown() {
		return tfmap.Unknown{Refs: refs}
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
