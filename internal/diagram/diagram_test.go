package diagram

import (
	"strings"
	"testing"
)

func TestWrite(t *testing.T) {
	g := New("net").MermaidHighlight()
	g.Node("a", "a", false)
	g.Node("b", "b\n\"x\" [y]", true)
	g.Edge("a", "b", "tcp|22", false)
	g.Edge("a", "b", "tcp|22", false)
	g.Edge("b", "a", "", true)
	var dot, mm strings.Builder
	if err := g.WriteDOT(&dot); err != nil {
		t.Fatal(err)
	}
	if err := g.WriteMermaid(&mm); err != nil {
		t.Fatal(err)
	}
	wantDOT := "digraph net {\n  rankdir=LR;\n  node [shape=box, fontsize=10];\n  \"a\" [label=\"a\"];\n  \"b\" [label=\"b\\n\\\"x\\\" [y]\", style=filled, fillcolor=\"#f4cccc\"];\n" +
		"  \"a\" -> \"b\" [label=\"tcp|22\"];\n  \"b\" -> \"a\" [label=\"\", style=dashed];\n}\n"
	if dot.String() != wantDOT {
		t.Errorf("dot:\n%s\nwant\n%s", dot.String(), wantDOT)
	}
	wantMM := "flowchart LR\n  n0[\"a\"]\n  n1[\"b<br/>#quot;x#quot; #91;y#93;\"]\n  n0 -->|tcp#124;22| n1\n  n1 -.-> n0\n  classDef hl fill:#f4cccc\n  class n1 hl\n"
	if mm.String() != wantMM {
		t.Errorf("mermaid:\n%s\nwant\n%s", mm.String(), wantMM)
	}
}
