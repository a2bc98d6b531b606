package graph

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	awsiam "github.com/vigil-sec/vigil/internal/identity/aws"
	"github.com/vigil-sec/vigil/internal/identity/decision"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Holder is a principal that may perform an action, with the evaluator's
// answer and the grants that decide it.
type Holder struct {
	Principal string            `json:"principal"`
	Provider  resource.Provider `json:"provider"`
	Kind      Kind              `json:"kind,omitempty"`
	Name      string            `json:"name,omitempty"`
	Result    decision.Result   `json:"result"`
	Grants    []string          `json:"grants,omitempty"`
	Reason    string            `json:"reason,omitempty"`
}

// ProviderOf tells which cloud a resource ID belongs to: an ARN (or "*"
// with an AWS action) is AWS, an ID starting with "/" Azure, a full or
// short GCP resource name GCP.
func ProviderOf(action, res string) (resource.Provider, error) {
	switch {
	case strings.HasPrefix(res, "arn:"), res == "*" && strings.Contains(action, ":") && !strings.Contains(action, "/"):
		return resource.AWS, nil
	case strings.HasPrefix(res, "//"), strings.HasPrefix(res, "projects/"), strings.HasPrefix(res, "folders/"), strings.HasPrefix(res, "organizations/"):
		return resource.GCP, nil
	case strings.HasPrefix(res, "/"):
		return resource.Azure, nil
	}
	return "", fmt.Errorf("cannot tell the cloud of resource %q: give an ARN, an Azure resource ID (/subscriptions/...) or a GCP resource name (//service.googleapis.com/... or projects/P)", res)
}

// WhoCan lists the principals that may perform action on res (an AWS
// ARN, an Azure scope, a GCP resource name), each with its decision;
// denied principals are left out. data asks about an Azure data action.
// Sorted by principal.
func (g *Graph) WhoCan(action, res string, data bool) ([]Holder, error) {
	p, err := ProviderOf(action, res)
	if err != nil {
		return nil, err
	}
	var out []Holder
	switch p {
	case resource.AWS:
		for _, pr := range g.AWS.Principals() {
			d := g.AWS.IsAllowed(pr, action, res, awsiam.Context{})
			if d.Result.Denied() {
				continue
			}
			h := Holder{Principal: pr, Provider: resource.AWS, Result: d.Result, Reason: reasonOf(d)}
			if s := grantOf(d); s != "" {
				h.Grants = strings.Split(s, "; ")
			}
			out = append(out, g.describe(h))
		}
	case resource.Azure:
		for _, x := range g.Azure.WhoCan(action, data, res) {
			n := g.entraLookup(x.Principal, x.Resource)
			out = append(out, g.describe(fromDecision(n, resource.Azure, x.Decision)))
		}
	case resource.GCP:
		for _, x := range g.GCP.WhoCan(action, res) {
			out = append(out, g.describe(fromDecision(x.Principal, resource.GCP, x.Decision)))
		}
	}
	slices.SortFunc(out, func(a, b Holder) int { return cmp.Compare(a.Principal, b.Principal) })
	return out, nil
}

func (g *Graph) entraLookup(oid, res string) string {
	if n := g.Node(res); n != nil && res != "" {
		return n.ID
	}
	if n := g.Node(oid); n != nil {
		return n.ID
	}
	return oid
}

func fromDecision(principal string, p resource.Provider, d decision.Decision) Holder {
	h := Holder{Principal: principal, Provider: p, Result: d.Result, Reason: strings.Join(d.Reasons, "; ")}
	// The grants that decide: the certain ones when there are.
	certain := slices.ContainsFunc(d.Allows, func(a decision.Grant) bool { return a.Match == decision.MatchTrue })
	for _, a := range d.Allows {
		if !certain || a.Match == decision.MatchTrue {
			h.Grants = append(h.Grants, grantLine(a))
		}
	}
	return h
}

func grantLine(a decision.Grant) string {
	s := a.Binding
	if a.Role != "" || a.RoleName != "" {
		s = fmt.Sprintf("%s at %s (%s)", cmpOr(a.RoleName, a.Role), a.Scope, a.Binding)
	}
	if len(a.Via) > 0 {
		s += " via " + strings.Join(a.Via, " > ")
	}
	if a.Condition != "" {
		s += " if " + a.Condition
	}
	return s
}

func (g *Graph) describe(h Holder) Holder {
	if n := g.Node(h.Principal); n != nil {
		h.Principal, h.Kind, h.Name = n.ID, n.Kind, n.Name
	}
	return h
}

// Access is one thing a principal may do: an AWS action on the resources
// its statements name, or an Azure / GCP role at a scope and below.
type Access struct {
	// Action is the AWS action, or the Azure / GCP role.
	Action string `json:"action"`
	// Scope is where: AWS resource patterns, the Azure scope or GCP
	// resource the grant is on.
	Scope  string          `json:"scope"`
	Result decision.Result `json:"result"`
	Grant  string          `json:"grant,omitempty"`
	Deny   bool            `json:"deny,omitempty"`
	Reason string          `json:"reason,omitempty"`
}

// WhatCan lists what a principal (a node ID) may do: for AWS every catalog
// action its identity policies allow on some resource (after boundary and
// SCPs), for Azure and GCP every role assignment, binding and deny that
// reaches it. Sorted as the evaluators give them.
func (g *Graph) WhatCan(id string) ([]Access, error) {
	n := g.Node(id)
	if n == nil {
		return nil, fmt.Errorf("no principal %q in the inventory", id)
	}
	var out []Access
	switch n.Provider {
	case resource.AWS:
		if g.AWS.Principal(n.ID) == nil {
			return nil, fmt.Errorf("%s is not an AWS principal the inventory holds policies for", n.ID)
		}
		for _, gr := range g.AWS.AllowedActions(n.ID, awsiam.Context{}) {
			out = append(out, Access{Action: gr.Action, Scope: strings.Join(gr.Resources, ", "), Result: gr.Decision.Result, Grant: grantOf(gr.Decision), Reason: reasonOf(gr.Decision)})
		}
	case resource.Azure:
		p := n.Principal
		if p == "" {
			p = n.ID
		}
		out = accesses(g.Azure.GrantsOf(p))
	case resource.GCP:
		out = accesses(g.GCP.GrantsOf(n.Principal))
	default:
		return nil, fmt.Errorf("%s (%s) is not a principal the evaluators answer for", n.ID, n.Kind)
	}
	return out, nil
}

func accesses(gs []decision.Grant) []Access {
	out := make([]Access, 0, len(gs))
	for _, x := range gs {
		r := decision.Allowed
		switch {
		case x.Deny && x.Match == decision.MatchTrue:
			r = decision.ExplicitDeny
		case x.Match == decision.MatchConditional:
			r = decision.Conditional
		case x.Match == decision.MatchUncertain:
			r = decision.Uncertain
		}
		a := Access{Action: cmpOr(x.RoleName, x.Role), Scope: x.Scope, Result: r, Grant: grantLine(x), Deny: x.Deny, Reason: x.Reason}
		if x.Deny && a.Action == "" {
			a.Action = "deny " + x.Pattern
		}
		out = append(out, a)
	}
	return out
}

// AdminSet is an admin target (an AWS account, Azure subscription,
// management group or Entra tenant, GCP project, folder or organization)
// with the principals that hold it directly.
type AdminSet struct {
	Target  *Node    `json:"target"`
	Holders []Holder `json:"holders"`
}

// Admins lists the effective administrators of every scope, sorted by
// target then principal. Principals that can become admin through
// escalation are not among them (see internal/identity/escalate).
func (g *Graph) Admins() []AdminSet {
	var out []AdminSet
	for _, n := range g.AdminNodes() {
		s := AdminSet{Target: n}
		for _, e := range g.In(n.ID) {
			if e.Kind != Holds {
				continue
			}
			h := Holder{Principal: e.From, Result: e.Result, Reason: e.Reason}
			if e.Grant != "" {
				h.Grants = []string{e.Grant}
			}
			if f := g.Node(e.From); f != nil {
				h.Provider = f.Provider
			}
			s.Holders = append(s.Holders, g.describe(h))
		}
		if len(s.Holders) > 0 {
			out = append(out, s)
		}
	}
	return out
}
