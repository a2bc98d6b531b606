package helm

import (
	"bytes"
	"slices"
)

// maxAlignCells bounds the work of aligning an object's rendered lines
// with its template (template lines × rendered lines); beyond it the lines
// are matched greedily in order.
const maxAlignCells = 1 << 20

// locator is a template's text split in lines, for locating the objects
// it renders (locator.object).
type locator struct {
	lines   [][]byte
	literal []bool // the line holds text and no template action
	first   int    // the template's first line in its file
	last    int    // the template line (1-based index) the previous object ended at
}

func newLocator(src []byte, first int) *locator {
	l := &locator{lines: splitLines(src), first: first}
	l.literal = make([]bool, len(l.lines))
	for j, t := range l.lines {
		l.literal[j] = len(bytes.TrimSpace(t)) > 0 && !bytes.Contains(t, []byte("{{"))
	}
	return l
}

// object returns the first and last template lines (in the file) that an
// object's rendered lines were copied from, 0, 0 when none was, and for
// each rendered line the file line it comes from (fill), 0 when unknown.
// A template line without a template action is written to the output
// unchanged, so the longest common subsequence of the object's lines and
// the template's (matching only such template lines) says where it comes
// from. Objects are aligned one by one, each first against the template
// after the lines the previous one was located at (the next document of an
// if, the next resource of the file), else against the whole template when
// that matches more (the next iteration of a range writes the same lines
// again).
func (l *locator) object(rendered [][]byte) (int, int, []int) {
	if l == nil || len(rendered) == 0 {
		return 0, 0, nil
	}
	after, nAfter := l.align(rendered, l.last)
	whole, nWhole := after, nAfter
	if l.last > 0 {
		whole, nWhole = l.align(rendered, 0)
	}
	out := after
	if nWhole > nAfter {
		out = whole
	}
	first, last := 0, 0
	for _, j := range out {
		if j == 0 {
			continue
		}
		if first == 0 || j < first {
			first = j
		}
		last = max(last, j)
	}
	if last == 0 {
		return 0, 0, nil
	}
	l.last = last
	lines := fill(out)
	for i, j := range lines {
		if j > 0 {
			lines[i] = j + l.first - 1
		}
	}
	return first + l.first - 1, last + l.first - 1, lines
}

// fill gives the rendered lines an action wrote (0 in out) the template
// line they come from where the copied lines around them tell: between two
// copied lines, as many rendered lines as template lines are taken one for
// one (a value substituted in each line), and any number of rendered lines
// for a single template line come from it (an include or toYaml writing
// several lines); else they stay 0.
func fill(out []int) []int {
	lines := slices.Clone(out)
	for i := 0; i < len(lines); {
		if lines[i] != 0 || i == 0 {
			i++
			continue
		}
		j := i
		for j < len(lines) && lines[j] == 0 {
			j++
		}
		if j == len(lines) {
			break
		}
		prev, next := lines[i-1], lines[j]
		switch gap := next - prev - 1; {
		case gap == j-i:
			for k := i; k < j; k++ {
				lines[k] = prev + 1 + k - i
			}
		case gap == 1:
			for k := i; k < j; k++ {
				lines[k] = prev + 1
			}
		}
		i = j
	}
	return lines
}

// align matches rendered lines with the template's lines from index from
// on: out[i] is the template line (1-based index) rendered line i was
// copied from, 0 for a line an action wrote; n counts the matched lines.
func (l *locator) align(rl [][]byte, from int) (out []int, n int) {
	tl := l.lines[min(from, len(l.lines)):]
	out = make([]int, len(rl))
	same := func(i, j int) bool { return l.literal[from+j] && bytes.Equal(rl[i], tl[j]) }
	r, m := len(rl), len(tl)
	if r == 0 || m == 0 {
		return out, 0
	}
	if r*m > maxAlignCells {
		j := 0
		for i := range rl {
			for k := j; k < m; k++ {
				if same(i, k) {
					out[i], j = from+k+1, k+1
					n++
					break
				}
			}
		}
		return out, n
	}
	// lcs[i*w+j]: the longest common subsequence of rl[i:] and tl[j:].
	w := m + 1
	lcs := make([]int32, (r+1)*w)
	for i := r - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			switch {
			case same(i, j):
				lcs[i*w+j] = lcs[(i+1)*w+j+1] + 1
			case lcs[(i+1)*w+j] >= lcs[i*w+j+1]:
				lcs[i*w+j] = lcs[(i+1)*w+j]
			default:
				lcs[i*w+j] = lcs[i*w+j+1]
			}
		}
	}
	for i, j := 0, 0; i < r && j < m; {
		switch {
		case same(i, j) && lcs[i*w+j] == lcs[(i+1)*w+j+1]+1:
			out[i] = from + j + 1
			n++
			i, j = i+1, j+1
		case lcs[(i+1)*w+j] >= lcs[i*w+j+1]:
			i++
		default:
			j++
		}
	}
	return out, n
}

// splitLines splits text at newlines, each line without its trailing
// spaces and carriage return.
func splitLines(text []byte) [][]byte {
	if len(text) == 0 {
		return nil
	}
	ls := bytes.Split(text, []byte("\n"))
	if len(ls[len(ls)-1]) == 0 {
		ls = ls[:len(ls)-1]
	}
	for i, l := range ls {
		ls[i] = bytes.TrimRight(l, " \t\r")
	}
	return ls
}
