package reach

import "slices"

// span is an inclusive port range.
type span struct{ lo, hi int }

// set is a sorted list of disjoint, non-adjacent spans.
type set []span

var full = set{{0, 65535}}

func (s set) empty() bool { return len(s) == 0 }

// union returns s ∪ o.
func (s set) union(o set) set {
	all := append(append(make([]span, 0, len(s)+len(o)), s...), o...)
	slices.SortFunc(all, func(a, b span) int { return a.lo - b.lo })
	var out set
	for _, x := range all {
		if n := len(out); n > 0 && x.lo <= out[n-1].hi+1 {
			out[n-1].hi = max(out[n-1].hi, x.hi)
			continue
		}
		out = append(out, x)
	}
	return out
}

// intersect returns s ∩ o.
func (s set) intersect(o set) set {
	var out set
	for i, j := 0, 0; i < len(s) && j < len(o); {
		lo, hi := max(s[i].lo, o[j].lo), min(s[i].hi, o[j].hi)
		if lo <= hi {
			out = append(out, span{lo, hi})
		}
		if s[i].hi < o[j].hi {
			i++
		} else {
			j++
		}
	}
	return out
}

// minus returns s \ o.
func (s set) minus(o set) set {
	var out set
	for _, x := range s {
		cur := []span{x}
		for _, y := range o {
			var next []span
			for _, c := range cur {
				if y.hi < c.lo || y.lo > c.hi {
					next = append(next, c)
					continue
				}
				if c.lo < y.lo {
					next = append(next, span{c.lo, y.lo - 1})
				}
				if y.hi < c.hi {
					next = append(next, span{y.hi + 1, c.hi})
				}
			}
			cur = next
		}
		out = append(out, cur...)
	}
	return out
}
