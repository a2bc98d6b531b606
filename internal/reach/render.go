package reach

import (
	"fmt"
	"io"
	"strings"

	"github.com/vigil-sec/vigil/internal/diagram"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Graphs of paths, drawn with the shared writer (internal/diagram): a
// node per end, a node per hop (its resource and what lets the traffic
// through), the protocol and ports on the edge into the destination; a
// denial is a dashed edge to a filled node naming the reason.

// NewDiagram returns an empty graph for paths.
func NewDiagram() *diagram.Graph { return diagram.New("reach").MermaidHighlight() }

func short(id string) string {
	if i := strings.LastIndexAny(id, "/"); i >= 0 && i < len(id)-1 {
		return id[i+1:]
	}
	return id
}

func endLabel(e End) string {
	l := cmpOr(e.Name, short(e.ID))
	if e.Provider != "" {
		l += "\n" + string(e.Provider)
	}
	if len(e.Addresses) > 0 {
		l += " " + strings.Join(e.Addresses, ", ")
	}
	return l
}

func portLabel(p resource.ExposurePath) string {
	if p.Protocol == "icmp" {
		return "icmp"
	}
	s := fmt.Sprintf("%s/%d", p.Protocol, p.FromPort)
	if p.ToPort != p.FromPort {
		s += fmt.Sprintf("-%d", p.ToPort)
	}
	return s
}

// drawHops chains from → each hop → to; returns the last node.
func drawHops(g *diagram.Graph, from string, hops []resource.Hop) string {
	prev := from
	for _, h := range hops {
		id := h.Resource + " | " + h.Allows
		g.Node(id, short(h.Resource)+"\n"+h.Allows, false)
		g.Edge(prev, id, "", false)
		prev = id
	}
	return prev
}

// DrawPath adds a path result to g.
func DrawPath(g *diagram.Graph, res *PathResult) {
	g.Node(res.From.ID, endLabel(res.From), false)
	g.Node(res.To.ID, endLabel(res.To), res.Verdict == Reachable && res.From.ID == Internet)
	for _, p := range res.Paths {
		last := drawHops(g, res.From.ID, p.Hops)
		g.Edge(last, res.To.ID, portLabel(p), false)
	}
	switch res.Verdict {
	case Denied:
		last := drawHops(g, res.From.ID, res.Denied.After)
		id := "denied | " + res.From.ID + " | " + res.To.ID
		g.Node(id, "denied at "+short(res.Denied.Resource)+"\n"+res.Denied.Reason, true)
		g.Edge(last, id, "", true)
		g.Edge(id, res.To.ID, "", true)
	case Undecided:
		id := "undecided | " + res.From.ID + " | " + res.To.ID
		g.Node(id, "undecided\n"+strings.Join(res.Undecided, "\n"), false)
		g.Edge(res.From.ID, id, "", true)
		g.Edge(id, res.To.ID, "", true)
	}
}

// DrawExposure adds a resource's paths from the internet to g.
func DrawExposure(g *diagram.Graph, r resource.Ref, paths []resource.ExposurePath) {
	g.Node(Internet, Internet, false)
	g.Node(r.ID, cmpOr(r.Name, short(r.ID))+"\n"+string(r.Provider), true)
	for _, p := range paths {
		hops := p.Hops
		last := drawHops(g, Internet, hops)
		g.Edge(last, r.ID, portLabel(p), false)
	}
}

// WritePathText writes a path result as text: the verdict, then each
// protocol/port range with its numbered hops, or the hops up to the
// denial, or the reasons it is undecided.
func WritePathText(w io.Writer, res *PathResult) error {
	var b strings.Builder
	end := func(e End) string {
		s := e.ID
		if len(e.Addresses) > 0 {
			s += " (" + strings.Join(e.Addresses, ", ") + ")"
		}
		return s
	}
	fmt.Fprintf(&b, "%s -> %s: %s\n", end(res.From), end(res.To), res.Verdict)
	hops := func(hs []resource.Hop) {
		for i, h := range hs {
			fmt.Fprintf(&b, "  %2d. %s\n      %s\n", i+1, h.Allows, h.Resource)
		}
	}
	for _, p := range res.Paths {
		fmt.Fprintf(&b, "%s\n", portLabel(p))
		hops(p.Hops)
	}
	if d := res.Denied; d != nil {
		hops(d.After)
		fmt.Fprintf(&b, "   x. %s\n      %s\n", d.Reason, d.Resource)
	}
	for _, u := range res.Undecided {
		fmt.Fprintf(&b, "  undecided: %s\n", u)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
