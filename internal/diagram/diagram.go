package diagram

import (
	"fmt"
	"io"
	"strings"
)

// Graph is a directed graph of labelled nodes and edges, kept in the order
// they were added; a node or edge added twice is kept once.
type Graph struct {
	name  string
	nodes []Node
	index map[string]int
	edges []Edge
	seen  map[[3]string]bool
	// highlightClass styles the highlighted nodes in Mermaid too.
	highlightClass bool
}

// Node is a graph node. Label may hold newlines.
type Node struct {
	ID, Label string
	// Highlight fills the node (an admin target, a denying hop).
	Highlight bool
}

// Edge is a graph edge; Dashed draws it dashed (a conditional step, a
// denied hop).
type Edge struct {
	From, To, Label string
	Dashed          bool
}

// New returns an empty graph; name is the DOT graph's name.
func New(name string) *Graph {
	return &Graph{name: name, index: map[string]int{}, seen: map[[3]string]bool{}}
}

// MermaidHighlight fills the highlighted nodes in Mermaid output too (a
// classDef), as DOT does.
func (g *Graph) MermaidHighlight() *Graph {
	g.highlightClass = true
	return g
}

// Node adds a node once (the first label is kept; highlight sticks).
func (g *Graph) Node(id, label string, highlight bool) {
	if i, ok := g.index[id]; ok {
		g.nodes[i].Highlight = g.nodes[i].Highlight || highlight
		return
	}
	g.index[id] = len(g.nodes)
	g.nodes = append(g.nodes, Node{ID: id, Label: label, Highlight: highlight})
}

// Edge adds an edge once per (from, to, label); its ends must be nodes.
func (g *Graph) Edge(from, to, label string, dashed bool) {
	k := [3]string{from, to, label}
	if g.seen[k] {
		return
	}
	g.seen[k] = true
	g.edges = append(g.edges, Edge{From: from, To: to, Label: label, Dashed: dashed})
}

// Empty reports whether the graph has no node.
func (g *Graph) Empty() bool { return len(g.nodes) == 0 }

// WriteDOT writes the graph as a Graphviz digraph, left to right.
func (g *Graph) WriteDOT(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %s {\n  rankdir=LR;\n  node [shape=box, fontsize=10];\n", g.name)
	for _, n := range g.nodes {
		attr := ""
		if n.Highlight {
			attr = ", style=filled, fillcolor=\"#f4cccc\""
		}
		fmt.Fprintf(&b, "  %q [label=%q%s];\n", n.ID, n.Label, attr)
	}
	for _, e := range g.edges {
		style := ""
		if e.Dashed {
			style = ", style=dashed"
		}
		fmt.Fprintf(&b, "  %q -> %q [label=%q%s];\n", e.From, e.To, e.Label, style)
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteMermaid writes the graph as a Mermaid flowchart, left to right;
// highlighted nodes get the class "hl" when any is highlighted.
func (g *Graph) WriteMermaid(w io.Writer) error {
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	id := func(n string) string { return fmt.Sprintf("n%d", g.index[n]) }
	var hl []string
	for i, n := range g.nodes {
		fmt.Fprintf(&b, "  n%d[\"%s\"]\n", i, MermaidText(n.Label))
		if n.Highlight {
			hl = append(hl, fmt.Sprintf("n%d", i))
		}
	}
	for _, e := range g.edges {
		arrow := "-->"
		if e.Dashed {
			arrow = "-.->"
		}
		if e.Label == "" {
			fmt.Fprintf(&b, "  %s %s %s\n", id(e.From), arrow, id(e.To))
			continue
		}
		fmt.Fprintf(&b, "  %s %s|%s| %s\n", id(e.From), arrow, MermaidText(e.Label), id(e.To))
	}
	if len(hl) > 0 && g.highlightClass {
		fmt.Fprintf(&b, "  classDef hl fill:#f4cccc\n  class %s hl\n", strings.Join(hl, ","))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// MermaidText escapes what would end a Mermaid label; a newline becomes a
// line break.
func MermaidText(s string) string {
	return strings.NewReplacer(`"`, "#quot;", "|", "#124;", "[", "#91;", "]", "#93;", "\n", "<br/>").Replace(s)
}
