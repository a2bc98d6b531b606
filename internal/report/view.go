package report

import (
	"iter"
	"sort"

	"github.com/vigil-sec/vigil/internal/finding"
)

// view is the report's findings in report order: Findings with the PASS
// findings held in Passes merged in at their place (worst first).
type view struct {
	r *Report
	// segs are runs of consecutive findings, by ascending start; nil when
	// Passes holds none (the findings are Findings).
	segs []segment
	n    int
}

// segment is a run of findings from position start: Findings from index
// at, or (at < 0) the findings of run -1-at of Passes.
type segment struct {
	start, at int
}

func (r *Report) view() *view {
	v := &view{r: r, n: len(r.Findings)}
	p := r.Passes
	if p.Len() == 0 {
		return v
	}
	i, pos := 0, 0
	for run := range p.Runs {
		j := i
		for j < len(r.Findings) && p.Before(&r.Findings[j], run) {
			j++
		}
		if j > i {
			v.segs = append(v.segs, segment{start: pos, at: i})
			pos += j - i
			i = j
		}
		if n := len(p.Runs[run].Res); n > 0 {
			v.segs = append(v.segs, segment{start: pos, at: -1 - run})
			pos += n
		}
	}
	if i < len(r.Findings) {
		v.segs = append(v.segs, segment{start: pos, at: i})
		pos += len(r.Findings) - i
	}
	v.n = pos
	return v
}

// at returns the i-th finding; one held in Passes is filled into scratch.
func (v *view) at(i int, scratch *finding.Finding) *finding.Finding {
	run, k := v.where(i)
	if run < 0 {
		return &v.r.Findings[k]
	}
	v.r.Passes.Fill(scratch, run, k)
	return scratch
}

// all yields the findings in order; a finding held in Passes is valid
// until the next is yielded.
func (v *view) all() iter.Seq[*finding.Finding] {
	return func(yield func(*finding.Finding) bool) {
		if v.segs == nil {
			for i := range v.r.Findings {
				if !yield(&v.r.Findings[i]) {
					return
				}
			}
			return
		}
		var x finding.Finding
		for k, s := range v.segs {
			end := v.n
			if k+1 < len(v.segs) {
				end = v.segs[k+1].start
			}
			for i := range end - s.start {
				f := &x
				if s.at >= 0 {
					f = &v.r.Findings[s.at+i]
				} else {
					v.r.Passes.Fill(&x, -1-s.at, i)
				}
				if !yield(f) {
					return
				}
			}
		}
	}
}

// where places the i-th finding: Findings[k] when run < 0, else the k-th
// finding of Passes.Runs[run].
func (v *view) where(i int) (run, k int) {
	if v.segs == nil {
		return -1, i
	}
	s := v.segs[sort.Search(len(v.segs), func(k int) bool { return v.segs[k].start > i })-1]
	if s.at >= 0 {
		return -1, s.at + i - s.start
	}
	return -1 - s.at, i - s.start
}

// A cursor remembers the segment of the last finding placed (whereFrom).
type cursor struct{ seg int }

// whereFrom is where for a caller that asks mostly for the findings after
// the last it asked for (an encoder's chunk): it looks from the segment of
// the last one before searching.
func (v *view) whereFrom(c *cursor, i int) (run, k int) {
	if v.segs == nil {
		return -1, i
	}
	s := c.seg
	if s+1 < len(v.segs) && v.segs[s+1].start <= i {
		s++ // the next segment
	}
	if s >= len(v.segs) || v.segs[s].start > i || s+1 < len(v.segs) && v.segs[s+1].start <= i {
		s = sort.Search(len(v.segs), func(k int) bool { return v.segs[k].start > i }) - 1
	}
	c.seg = s
	if at := v.segs[s].at; at >= 0 {
		return -1, at + i - v.segs[s].start
	}
	return -1 - v.segs[s].at, i - v.segs[s].start
}
