package escalate

import (
	"fmt"
	"strings"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/identity/decision"
	"github.com/vigil-sec/vigil/internal/identity/graph"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Finding constants: every escalation path is a FAIL of this rule.
const (
	RuleID   = "identity-privilege-escalation"
	Category = "privilege-escalation"
)

// Findings returns one finding per path: category privilege-escalation,
// the resource is the principal that can escalate, the message names the
// target and every step with the grant that allows it. A path of allowed
// steps to an admin target is CRITICAL, a conditional one HIGH; a path to
// another target is HIGH or MEDIUM.
func Findings(g *graph.Graph, paths []Path) []finding.Finding {
	byID := make(map[string]*resource.Resource, len(g.Resources))
	for _, r := range g.Resources {
		byID[strings.ToLower(r.ID)] = r
	}
	out := make([]finding.Finding, 0, len(paths))
	for _, p := range paths {
		ref := resource.Ref{ID: p.Principal}
		if n := g.Node(p.Principal); n != nil {
			ref = resource.Ref{ID: n.ID, Type: string(n.Kind), Provider: n.Provider, Account: n.Account, Region: "global", Name: n.Name}
			if r := byID[strings.ToLower(n.Resource)]; r != nil {
				ref = r.Ref()
			}
		}
		sev := finding.Critical
		admin := strings.HasPrefix(p.Target, "admin:")
		switch {
		case admin && p.Result != decision.Allowed:
			sev = finding.High
		case !admin && p.Result == decision.Allowed:
			sev = finding.High
		case !admin:
			sev = finding.Medium
		}
		target := p.Target
		if n := g.Node(p.Target); n != nil && n.Name != "" {
			target = n.Name
		}
		f := escalationRule.New(ref, finding.Fail, fmt.Sprintf("%s can reach %s in %d step(s)%s: %s", ref.ID, target, len(p.Steps), condNote(p), StepsText(p)), nil)
		f.Severity = sev
		out = append(out, f)
	}
	return out
}

func condNote(p Path) string {
	if p.Result == decision.Conditional {
		return " if its conditions hold"
	}
	return ""
}

// StepsText names each step: "1. FROM —method→ TO [grant]; 2. ...".
func StepsText(p Path) string {
	parts := make([]string, len(p.Steps))
	for i, s := range p.Steps {
		t := fmt.Sprintf("%d. %s —%s→ %s", i+1, s.From, s.Method, s.To)
		if s.Grant != "" {
			t += " [" + s.Grant + "]"
		}
		if s.Result != decision.Allowed {
			t += " (" + s.Result.String()
			if s.Reason != "" {
				t += ": " + s.Reason
			}
			t += ")"
		}
		parts[i] = t
	}
	return strings.Join(parts, "; ")
}
