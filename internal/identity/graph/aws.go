package graph

import (
	"context"
	"fmt"
	"path"
	"slices"
	"strings"

	awsiam "github.com/vigil-sec/vigil/internal/identity/aws"
	"github.com/vigil-sec/vigil/internal/identity/decision"
	"github.com/vigil-sec/vigil/internal/lazyre"
	"github.com/vigil-sec/vigil/internal/resource"
)

var accountID = lazyre.Regexp{Expr: `^\d{12}$`}

// awsTrust asks the evaluator ActionList for every AWS principal, adds the
// admin edges, and the trust edges of every role's trust policy.
func (g *Graph) awsTrust(ctx context.Context) error {
	ps := g.AWS.Principals()
	acts := make([]map[string]awsiam.Grant, len(ps))
	err := Parallel(ctx, len(ps), func(i int) {
		// Only what the principal may do is kept: an absent action is
		// denied (most are, for most principals).
		m := map[string]awsiam.Grant{}
		for _, gr := range g.AWS.Actions(ps[i], ActionList, awsiam.Context{}) {
			if !gr.Decision.Result.Denied() {
				// Denies did not decide; two allows name the grant.
				gr.Decision.Denies = nil
				gr.Decision.Allows = slices.Clone(gr.Decision.Allows[:min(2, len(gr.Decision.Allows))])
				m[gr.Action] = gr
			}
		}
		acts[i] = m
	})
	if err != nil {
		return err
	}
	g.awsActs = make(map[string]map[string]awsiam.Grant, len(ps))
	byAccount := map[string][]string{}
	for i, p := range ps {
		g.awsActs[p] = acts[i]
		pr := g.AWS.Principal(p)
		if pr == nil || pr.Kind == "root" {
			continue
		}
		byAccount[pr.Account] = append(byAccount[pr.Account], p)
		if g.Node(p) == nil {
			g.add(&Node{ID: p, Provider: resource.AWS, Kind: map[string]Kind{"user": AWSUser, "role": AWSRole}[pr.Kind], Account: pr.Account, Principal: p, Name: path.Base(p)})
		}
		if r, why := adminResult(acts[i]); !r.Denied() {
			a := g.adminNode(resource.AWS, "aws-account/"+pr.Account, "AWS account "+pr.Account)
			g.link(Edge{From: p, To: a.ID, Kind: Holds, Grant: grantOf(acts[i]["iam:AttachRolePolicy"].Decision), Result: r, Reason: why})
		}
	}
	for _, r := range g.Resources {
		if r.Provider == resource.AWS && r.Class == resource.ClassGroup && r.Facts.Group != nil && r.Facts.Group.Admin != nil && *r.Facts.Group.Admin {
			a := g.adminNode(resource.AWS, "aws-account/"+r.Account, "AWS account "+r.Account)
			g.link(Edge{From: r.ID, To: a.ID, Kind: Holds, Grant: "administrator policy attached to the group", Result: decision.Allowed})
		}
	}
	for _, r := range g.Resources {
		if r.Provider != resource.AWS || r.Facts.Identity == nil || r.Facts.Identity.Kind != "role" || r.Facts.Identity.TrustPolicy == nil {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		g.roleTrust(r, byAccount)
	}
	return nil
}

// adminResult tells whether a principal's answers to AdminProbe make it an
// administrator: every probe allowed on "*".
func adminResult(acts map[string]awsiam.Grant) (decision.Result, string) {
	res := decision.Allowed
	why := ""
	for _, a := range AdminProbe {
		gr, ok := acts[a]
		if !ok || gr.Decision.Result.Denied() || gr.Decision.Result == decision.Uncertain {
			return decision.ImplicitDeny, ""
		}
		star := false
		for _, p := range gr.Resources {
			star = star || p == "*"
		}
		if !star {
			return decision.ImplicitDeny, ""
		}
		if gr.Decision.Result == decision.Conditional {
			res, why = decision.Conditional, reasonOf(gr.Decision)
		}
	}
	return res, why
}

// assumeAction returns the sts action a trust statement grants for a
// principal type, "" when it grants none.
func assumeAction(st resource.Statement, typ string) string {
	want := map[string]string{"AWS": "sts:AssumeRole", "*": "sts:AssumeRole", "Service": "sts:AssumeRole"}[typ]
	if typ == "Federated" {
		for _, a := range []string{"sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"} {
			if covers(st, a) {
				return a
			}
		}
		return ""
	}
	if want != "" && covers(st, want) {
		return want
	}
	return ""
}

// covers tells whether a statement's Action (or NotAction) covers action.
func covers(st resource.Statement, action string) bool {
	if len(st.NotActions) > 0 {
		for _, p := range st.NotActions {
			if Glob(p, action) {
				return false
			}
		}
		return true
	}
	for _, p := range st.Actions {
		if Glob(p, action) {
			return true
		}
	}
	return false
}

// Glob matches an IAM pattern (* any run, ? one character)
// case-insensitively.
func Glob(pattern, s string) bool {
	p, t := strings.ToLower(pattern), strings.ToLower(s)
	star, mark := -1, 0
	i, j := 0, 0
	for j < len(t) {
		switch {
		case i < len(p) && p[i] == '*':
			star, mark = i, j
			i++
		case i < len(p) && (p[i] == '?' || p[i] == t[j]):
			i++
			j++
		case star >= 0:
			i, mark = star+1, mark+1
			j = mark
		default:
			return false
		}
	}
	for i < len(p) && p[i] == '*' {
		i++
	}
	return i == len(p)
}

// roleTrust adds the edges of one role's trust policy.
func (g *Graph) roleTrust(r *resource.Resource, byAccount map[string][]string) {
	role := r.ID
	for si, st := range r.Facts.Identity.TrustPolicy.Statements {
		if !strings.EqualFold(st.Effect, "Allow") {
			continue
		}
		grant := fmt.Sprintf("trust policy of %s statement %d", r.Name, si)
		if st.Sid != "" {
			grant = fmt.Sprintf("trust policy of %s statement %q", r.Name, st.Sid)
		}
		res, why := decision.Allowed, ""
		if len(st.Conditions) > 0 {
			res, why = decision.Conditional, "trust condition "+condText(st.Conditions)
		}
		for _, pr := range st.Principals {
			action := assumeAction(st, pr.Type)
			if action == "" {
				continue
			}
			switch pr.Type {
			case "*":
				g.trustAWS(role, "*", action, grant, res, why, byAccount)
			case "AWS":
				g.trustAWS(role, pr.ID, action, grant, res, why, byAccount)
			case "Service":
				s := g.add(&Node{ID: "service:" + pr.ID, Provider: resource.AWS, Kind: AWSService, Name: pr.ID})
				g.link(Edge{From: s.ID, To: role, Kind: CanAssume, Action: action, Grant: grant, Result: res, Reason: why})
			case "Federated":
				g.trustFederated(role, pr.ID, st, action, grant, res, why)
			}
		}
	}
}

// trustAWS adds edges from the AWS principals a trust statement names: a
// principal of the inventory gets an edge when the evaluator allows it
// sts:AssumeRole on the role; an account or principal outside the
// inventory gets a conditional edge (its own policies decide).
func (g *Graph) trustAWS(role, id, action, grant string, res decision.Result, why string, byAccount map[string][]string) {
	var cands []string
	switch {
	case id == "*":
		for _, ps := range byAccount {
			cands = append(cands, ps...)
		}
		n := g.add(&Node{ID: "aws:*", Provider: resource.AWS, Kind: AWSAnyone, Name: "any AWS principal"})
		g.link(Edge{From: n.ID, To: role, Kind: CanAssume, Action: action, Grant: grant, Result: worse(res, decision.Conditional), Reason: "any AWS principal whose own policies allow it; " + why})
	case accountID.Get().MatchString(id) || strings.HasSuffix(id, ":root"):
		acct := id
		if !accountID.Get().MatchString(id) {
			acct = strings.Split(id, ":")[4]
		}
		cands = byAccount[acct]
		if len(cands) == 0 {
			n := g.add(&Node{ID: "arn:aws:iam::" + acct + ":root", Provider: resource.AWS, Kind: AWSAccount, Name: "account " + acct, Account: acct})
			g.link(Edge{From: n.ID, To: role, Kind: CanAssume, Action: action, Grant: grant, Result: worse(res, decision.Conditional),
				Reason: strings.TrimSuffix("principals of account "+acct+" (not in the inventory) whose own policies allow it; "+why, "; ")})
		}
	default:
		if g.AWS.Principal(id) != nil {
			cands = []string{id}
		} else {
			k := AWSUser
			if strings.Contains(id, ":role/") {
				k = AWSRole
			}
			parts := strings.Split(id, ":")
			acct := ""
			if len(parts) > 4 {
				acct = parts[4]
			}
			n := g.add(&Node{ID: id, Provider: resource.AWS, Kind: k, Name: path.Base(id), Account: acct, Principal: id})
			g.link(Edge{From: n.ID, To: role, Kind: CanAssume, Action: action, Grant: grant, Result: worse(res, decision.Conditional),
				Reason: strings.TrimSuffix("the principal's own policies are not in the inventory; "+why, "; ")})
		}
	}
	var checked []string
	for _, c := range cands {
		if c == role {
			continue
		}
		// Cheap filter: the principal's own policies must allow
		// sts:AssumeRole on some resource, unless the trust policy names
		// it (not its account) in the role's own account: that trust
		// alone allows it. A trust naming the account delegates to the
		// account's identity policies, in the same account too.
		if _, ok := g.awsActs[c]["sts:AssumeRole"]; !ok {
			if !(c == id && g.AWS.Principal(c).Account == accountOf(role)) {
				continue
			}
		}
		checked = append(checked, c)
	}
	// The evaluator is safe for concurrent use: a role trusting an account
	// or anyone has many candidates, decided on every core; the edges are
	// linked in candidate order, so the graph is the same.
	ds := make([]awsiam.Decision, len(checked))
	check := func(i int) { ds[i] = g.AWS.IsAllowed(checked[i], "sts:AssumeRole", role, awsiam.Context{}) }
	if len(checked) > 32 {
		_ = Parallel(context.Background(), len(checked), check)
	} else {
		for i := range checked {
			check(i)
		}
	}
	for i, c := range checked {
		d := ds[i]
		if d.Result.Denied() {
			continue
		}
		g.link(Edge{From: c, To: role, Kind: CanAssume, Action: "sts:AssumeRole", Grant: grant + "; " + grantOf(d), Result: d.Result, Reason: reasonOf(d)})
	}
}

func accountOf(arn string) string {
	if p := strings.Split(arn, ":"); len(p) > 4 {
		return p[4]
	}
	return ""
}

func worse(a, b decision.Result) decision.Result {
	if Rank(a) > Rank(b) {
		return a
	}
	return b
}

func condText(cs []resource.Condition) string {
	var s []string
	for _, c := range cs {
		s = append(s, fmt.Sprintf("%s %s %v", c.Operator, c.Key, c.Values))
	}
	return strings.Join(s, ", ")
}

// trustFederated adds the edge from an identity provider a trust statement
// names, and from the identities of another cloud its conditions name:
// Google service accounts (accounts.google.com:sub), Entra identities
// (sts.windows.net/TENANT/:sub).
func (g *Graph) trustFederated(role, id string, st resource.Statement, action, grant string, res decision.Result, why string) {
	var n *Node
	issuer := id
	switch {
	case strings.Contains(id, ":saml-provider/"):
		n = g.add(&Node{ID: id, Provider: resource.AWS, Kind: AWSSAMLProvider, Name: path.Base(id), Account: accountOf(id)})
	case strings.Contains(id, ":oidc-provider/"):
		issuer = id[strings.Index(id, ":oidc-provider/")+len(":oidc-provider/"):]
		n = g.add(&Node{ID: id, Provider: resource.AWS, Kind: AWSOIDCProvider, Name: issuer, Account: accountOf(id)})
	default:
		n = g.add(&Node{ID: "oidc:https://" + id, Kind: OIDCIssuer, Name: id})
	}
	g.link(Edge{From: n.ID, To: role, Kind: Federates, Action: action, Grant: grant, Result: res, Reason: why})
	// Identities of another cloud named by the subject condition.
	host := strings.TrimSuffix(strings.TrimPrefix(issuer, "https://"), "/")
	var subs []string
	others := false
	for _, c := range st.Conditions {
		key := strings.ToLower(c.Key)
		switch {
		case strings.HasSuffix(key, ":sub") && strings.HasPrefix(strings.TrimSuffix(key, ":sub"), strings.ToLower(strings.TrimSuffix(host, "/"))) &&
			(strings.HasPrefix(c.Operator, "StringEquals") || strings.HasPrefix(c.Operator, "StringLike")):
			subs = append(subs, c.Values...)
		case strings.HasSuffix(key, ":aud") || strings.HasSuffix(key, ":oaud") || strings.HasSuffix(key, ":azp"):
		default:
			others = true
		}
	}
	r, reason := decision.Allowed, ""
	if others {
		r, reason = decision.Conditional, why
	}
	for _, s := range subs {
		var m *Node
		switch {
		case host == "accounts.google.com":
			if m = g.Node(s); m == nil || m.Kind != GCPSA {
				m = g.Node("serviceAccount:" + s)
			}
		case strings.HasPrefix(host, "sts.windows.net/") || strings.HasPrefix(host, "login.microsoftonline.com/"):
			m = g.Node(s)
		}
		if m != nil {
			g.link(Edge{From: m.ID, To: role, Kind: Federates, Action: action, Grant: grant + " (" + host + " subject " + s + ")", Result: r, Reason: reason})
		}
	}
}
