package escalate

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/vigil-sec/vigil/internal/diagram"
	"github.com/vigil-sec/vigil/internal/identity/decision"
)

// Formats are the output formats of Write.
var Formats = []string{"text", "json", "dot", "mermaid"}

// Write renders paths: a text tree, JSON, a Graphviz DOT digraph or a
// Mermaid flowchart (conditional steps dashed).
func Write(w io.Writer, format string, paths []Path) error {
	switch format {
	case "text":
		return writeText(w, paths)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if paths == nil {
			paths = []Path{}
		}
		return enc.Encode(paths)
	case "dot":
		return writeDOT(w, paths)
	case "mermaid":
		return writeMermaid(w, paths)
	}
	return fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
}

func writeText(w io.Writer, paths []Path) error {
	var b strings.Builder
	for _, p := range paths {
		fmt.Fprintf(&b, "%s → %s (%s, %d step(s))\n", p.Principal, p.Target, p.Result, len(p.Steps))
		for i, s := range p.Steps {
			branch := "├─"
			cont := "│ "
			if i == len(p.Steps)-1 {
				branch, cont = "└─", "  "
			}
			fmt.Fprintf(&b, "  %s %s → %s\n", branch, s.Method, s.To)
			if s.Grant != "" {
				fmt.Fprintf(&b, "  %s    by %s\n", cont, s.Grant)
			}
			if s.Result != decision.Allowed {
				fmt.Fprintf(&b, "  %s    %s: %s\n", cont, s.Result, s.Reason)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// graphOf draws paths with the shared writer (internal/diagram): one node
// per principal or target (admin ones filled), one edge per distinct step
// (conditional ones dashed).
func graphOf(paths []Path) *diagram.Graph {
	g := diagram.New("escalation")
	for _, p := range paths {
		for _, s := range p.Steps {
			for _, n := range []string{s.From, s.To} {
				g.Node(n, n, strings.HasPrefix(n, "admin:"))
			}
			g.Edge(s.From, s.To, s.Method, s.Result != decision.Allowed)
		}
	}
	return g
}

func writeDOT(w io.Writer, paths []Path) error { return graphOf(paths).WriteDOT(w) }

func writeMermaid(w io.Writer, paths []Path) error { return graphOf(paths).WriteMermaid(w) }
