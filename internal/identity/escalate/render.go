package escalate

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

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

// graphOf collects the distinct nodes and steps of paths.
func graphOf(paths []Path) (nodes []string, steps []Step) {
	seenN := map[string]bool{}
	seenS := map[[3]string]bool{}
	for _, p := range paths {
		for _, s := range p.Steps {
			for _, n := range []string{s.From, s.To} {
				if !seenN[n] {
					seenN[n] = true
					nodes = append(nodes, n)
				}
			}
			k := [3]string{s.From, s.To, s.Method}
			if !seenS[k] {
				seenS[k] = true
				steps = append(steps, s)
			}
		}
	}
	return nodes, steps
}

func writeDOT(w io.Writer, paths []Path) error {
	nodes, steps := graphOf(paths)
	var b strings.Builder
	b.WriteString("digraph escalation {\n  rankdir=LR;\n  node [shape=box, fontsize=10];\n")
	for _, n := range nodes {
		attr := ""
		if strings.HasPrefix(n, "admin:") {
			attr = ", style=filled, fillcolor=\"#f4cccc\""
		}
		fmt.Fprintf(&b, "  %q [label=%q%s];\n", n, n, attr)
	}
	for _, s := range steps {
		style := ""
		if s.Result != decision.Allowed {
			style = ", style=dashed"
		}
		fmt.Fprintf(&b, "  %q -> %q [label=%q%s];\n", s.From, s.To, s.Method, style)
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func writeMermaid(w io.Writer, paths []Path) error {
	nodes, steps := graphOf(paths)
	id := map[string]string{}
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	for i, n := range nodes {
		id[n] = fmt.Sprintf("n%d", i)
		fmt.Fprintf(&b, "  %s[\"%s\"]\n", id[n], mermaidText(n))
	}
	for _, s := range steps {
		arrow := "-->"
		if s.Result != decision.Allowed {
			arrow = "-.->"
		}
		fmt.Fprintf(&b, "  %s %s|%s| %s\n", id[s.From], arrow, mermaidText(s.Method), id[s.To])
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mermaidText escapes what would end a Mermaid label.
func mermaidText(s string) string {
	return strings.NewReplacer(`"`, "#quot;", "|", "#124;", "[", "#91;", "]", "#93;").Replace(s)
}
