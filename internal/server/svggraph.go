package server

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// svgGraph is a directed graph laid out on the server in columns (left to
// right along the paths it was built from) and drawn as inline SVG by the
// template: numbers, classes and text only, every label escaped by
// html/template, no script.
type svgGraph struct {
	W, H  int
	Nodes []svgNode
	Edges []svgEdge
	// Cut is set when chains were left out to keep the drawing legible.
	Cut bool
}

type svgNode struct {
	X, Y, W, H int
	TX, TY     int // the label's position
	Label      string
	Title      string // the full ID, shown on hover
	Class      string // admin, exposed, internet or ""
}

type svgEdge struct {
	D      string // the path's d attribute: numbers and commands only
	Class  string // "" or conditional
	Label  string
	LX, LY int
}

// graphBuilder collects chains of nodes (a path's principal, each step's
// target) and lays them out.
type graphBuilder struct {
	index map[string]int
	ids   []string
	class []string
	layer []int
	edges []builderEdge
	seen  map[[3]string]bool
	max   int // most nodes drawn
	cut   bool
}

type builderEdge struct {
	from, to    int
	label       string
	conditional bool
}

func newGraphBuilder(maxNodes int) *graphBuilder {
	return &graphBuilder{index: map[string]int{}, seen: map[[3]string]bool{}, max: maxNodes}
}

// link is one edge of a chain.
type link struct {
	To, Label   string
	Conditional bool
}

// chain adds a chain starting at from; a node's column is the furthest
// position it has in any chain. A chain that would take the drawing past
// its node budget is left out (and Cut set).
func (b *graphBuilder) chain(from, fromClass string, links []link, class func(id string) string) {
	fresh := 0
	if _, ok := b.index[strings.ToLower(from)]; !ok {
		fresh++
	}
	for _, l := range links {
		if _, ok := b.index[strings.ToLower(l.To)]; !ok {
			fresh++
		}
	}
	if len(b.ids)+fresh > b.max {
		b.cut = true
		return
	}
	prev := b.node(from, fromClass, 0)
	for i, l := range links {
		cur := b.node(l.To, class(l.To), i+1)
		k := [3]string{b.ids[prev], b.ids[cur], l.Label}
		if !b.seen[k] {
			b.seen[k] = true
			b.edges = append(b.edges, builderEdge{from: prev, to: cur, label: l.Label, conditional: l.Conditional})
		}
		prev = cur
	}
}

func (b *graphBuilder) node(id, class string, pos int) int {
	k := strings.ToLower(id)
	i, ok := b.index[k]
	if !ok {
		i = len(b.ids)
		b.index[k] = i
		b.ids = append(b.ids, id)
		b.class = append(b.class, class)
		b.layer = append(b.layer, pos)
	}
	if pos > b.layer[i] {
		b.layer[i] = pos
	}
	if class != "" && b.class[i] == "" {
		b.class[i] = class
	}
	return i
}

const (
	nodeW, nodeH = 250, 30
	colGap       = 110
	rowGap       = 16
	pad          = 10
	labelChars   = 38
)

// layout places the nodes: admin targets in the last column, the others by
// their column, in the order they were added.
func (b *graphBuilder) layout() *svgGraph {
	if len(b.ids) == 0 {
		return nil
	}
	last := 0
	for _, l := range b.layer {
		last = max(last, l)
	}
	for i, c := range b.class {
		if c == "admin" {
			b.layer[i] = last
		}
	}
	rows := make([]int, last+1)
	g := &svgGraph{Cut: b.cut}
	for i, id := range b.ids {
		col := b.layer[i]
		x := pad + col*(nodeW+colGap)
		y := pad + rows[col]*(nodeH+rowGap)
		rows[col]++
		g.Nodes = append(g.Nodes, svgNode{X: x, Y: y, W: nodeW, H: nodeH, TX: x + 6, TY: y + nodeH/2 + 4,
			Label: shorten(id, labelChars), Title: id, Class: b.class[i]})
	}
	most := 0
	for _, r := range rows {
		most = max(most, r)
	}
	g.W = 2*pad + (last+1)*nodeW + last*colGap
	g.H = 2*pad + most*(nodeH+rowGap) + 40
	for _, e := range b.edges {
		f, t := g.Nodes[e.from], g.Nodes[e.to]
		x1, y1 := f.X+f.W, f.Y+f.H/2
		x2, y2 := t.X, t.Y+t.H/2
		var d string
		var lx, ly int
		if x2 > x1 {
			mx := (x1 + x2) / 2
			d = "M" + coords(x1, y1) + " C" + coords(mx, y1) + " " + coords(mx, y2) + " " + coords(x2-2, y2)
			lx, ly = mx, (y1+y2)/2-4
		} else { // back or same column: a loop below
			d = "M" + coords(x1, y1) + " C" + coords(x1+60, y1+70) + " " + coords(x2-60, y2+70) + " " + coords(x2-2, y2)
			lx, ly = (x1+x2)/2, max(y1, y2)+50
		}
		cl := ""
		if e.conditional {
			cl = "conditional"
		}
		g.Edges = append(g.Edges, svgEdge{D: d, Class: cl, Label: shorten(e.label, 28), LX: lx, LY: ly})
	}
	return g
}

func coords(x, y int) string { return strconv.Itoa(x) + "," + strconv.Itoa(y) }

// shorten keeps the end of a long ID (its most specific part).
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return "…" + string(r[len(r)-n+1:])
}
