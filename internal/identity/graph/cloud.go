package graph

import (
	"context"
	"fmt"
	"slices"
	"strings"

	azurerbac "github.com/vigil-sec/vigil/internal/identity/azure"
	"github.com/vigil-sec/vigil/internal/identity/decision"
	gcpiam "github.com/vigil-sec/vigil/internal/identity/gcp"
	"github.com/vigil-sec/vigil/internal/lazyre"
	"github.com/vigil-sec/vigil/internal/resource"
)

// entraEdges adds the Entra federated credentials (from external issuers
// and from identities of AWS and GCP), and the Azure and Entra admins.
func (g *Graph) entraEdges(ctx context.Context) error {
	for _, r := range g.Resources {
		if r.Provider != resource.Azure || r.Facts.Identity == nil {
			continue
		}
		target := g.Node(r.ID)
		if target == nil {
			continue
		}
		for _, fc := range r.Facts.Identity.FederatedCredentials {
			issuer := strings.TrimSuffix(fc.Issuer, "/")
			grant := fmt.Sprintf("federated credential %q of %s (issuer %s, subject %s)", fc.Name, target.Name, fc.Issuer, fc.Subject)
			is := g.add(&Node{ID: "oidc:" + issuer, Kind: OIDCIssuer, Name: issuer})
			g.link(Edge{From: is.ID, To: target.ID, Kind: Federates, Grant: grant, Result: decision.Allowed})
			if from := g.subjectNode(issuer, fc.Subject); from != nil {
				g.link(Edge{From: from.ID, To: target.ID, Kind: Federates, Grant: grant, Result: decision.Allowed})
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	hold := func(scope, name string, hs []decision.Holder) {
		if len(hs) == 0 {
			return
		}
		a := g.adminNode(resource.Azure, scope, name)
		for _, h := range hs {
			n := g.entraNode(h.Principal, h.Resource)
			g.link(Edge{From: n.ID, To: a.ID, Kind: Holds, Action: azurerbac.AdminAction, Grant: BindingOf(h.Decision), Result: h.Decision.Result, Reason: strings.Join(h.Decision.Reasons, "; ")})
		}
	}
	subs := g.Azure.SubscriptionAdmins()
	keys := make([]string, 0, len(subs))
	for k := range subs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, s := range keys {
		scope := s
		if !strings.HasPrefix(s, "/") {
			scope = "/subscriptions/" + s
		}
		hold(scope, "Azure subscription "+strings.TrimPrefix(s, "/subscriptions/"), subs[s])
	}
	for _, r := range g.Resources {
		switch {
		case r.Provider == resource.Azure && strings.EqualFold(r.Type, "Microsoft.Management/managementGroups"):
			hold(r.ID, "Azure management group "+r.Name, g.Azure.Admins(r.ID))
		case r.Provider == resource.Azure && isEntra(r) && adminFact(r):
			if n := g.Node(r.ID); n != nil {
				t := tenantOf(r.ID)
				a := g.adminNode(resource.Azure, "/tenants/"+t, "Entra ID tenant "+t)
				g.link(Edge{From: n.ID, To: a.ID, Kind: Holds, Grant: "directory role or Graph permission that grants any role (Global Administrator, Privileged Role Administrator, RoleManagement.ReadWrite.Directory)", Result: decision.Allowed})
			}
		}
	}
	return nil
}

func adminFact(r *resource.Resource) bool {
	if r.Facts.Identity != nil && r.Facts.Identity.Admin != nil {
		return *r.Facts.Identity.Admin
	}
	if r.Facts.Group != nil && r.Facts.Group.Admin != nil {
		return *r.Facts.Group.Admin
	}
	return false
}

var stsRole = lazyre.Regexp{Expr: `^arn:aws:sts::(\d{12}):assumed-role/([^/]+)`}

// awsRoleOf returns the IAM role ARN of an AWS role or role session ARN.
func awsRoleOf(s string) string {
	if m := stsRole.Get().FindStringSubmatch(s); m != nil {
		return "arn:aws:iam::" + m[1] + ":role/" + m[2]
	}
	return s
}

// subjectNode returns the identity of another cloud a token subject names,
// given its issuer: a Google service account (accounts.google.com, by
// unique ID or email), an AWS role (an AWS issuer or an ARN subject), an
// Entra object (sts.windows.net, login.microsoftonline.com).
func (g *Graph) subjectNode(issuer, subject string) *Node {
	host := strings.TrimPrefix(strings.TrimPrefix(issuer, "https://"), "http://")
	switch {
	case host == "accounts.google.com":
		if n := g.Node(subject); n != nil && n.Kind == GCPSA {
			return n
		}
		return g.Node("serviceAccount:" + subject)
	case strings.HasPrefix(subject, "arn:aws:"):
		if n := g.Node(awsRoleOf(subject)); n != nil && n.Provider == resource.AWS {
			return n
		}
	case strings.HasPrefix(host, "sts.windows.net/") || strings.HasPrefix(host, "login.microsoftonline.com/"):
		if n := g.Node(subject); n != nil && n.Provider == resource.Azure {
			return n
		}
	}
	return nil
}

// Impersonation are the GCP permissions that let a member act as a service
// account directly (ImpersonatesEdge) or attach it to a resource (ActAs).
var Impersonation = []string{
	"iam.serviceAccounts.getAccessToken", "iam.serviceAccounts.signBlob", "iam.serviceAccounts.signJwt",
	"iam.serviceAccounts.implicitDelegation", "iam.serviceAccounts.actAs",
}

var poolMember = lazyre.Regexp{Expr: `^principal(?:Set)?://iam\.googleapis\.com/projects/[^/]+/locations/[^/]+/workloadIdentityPools/[^/]+/(subject|attribute\.[a-z_]+)/(.+)$`}

// gcpEdges adds service-account impersonation, workload identity
// federation from AWS and Entra identities, and the GCP admins.
func (g *Graph) gcpEdges(ctx context.Context) error {
	var sas []*Node
	for _, n := range g.nodes {
		if n.Kind == GCPSA && n.Resource != "" {
			sas = append(sas, n)
		}
	}
	type found struct {
		sa *Node
		hs [][]decision.Holder
	}
	res := make([]found, len(sas))
	if err := Parallel(ctx, len(sas), func(i int) {
		f := found{sa: sas[i]}
		for _, p := range Impersonation {
			f.hs = append(f.hs, g.GCP.WhoCan(p, sas[i].Resource))
		}
		res[i] = f
	}); err != nil {
		return err
	}
	for _, f := range res {
		for pi, hs := range f.hs {
			kind := Impersonates
			if Impersonation[pi] == "iam.serviceAccounts.actAs" {
				kind = ActAs
			}
			for _, h := range hs {
				n := g.member(h.Principal)
				if n == nil {
					continue
				}
				g.link(Edge{From: n.ID, To: f.sa.ID, Kind: kind, Action: Impersonation[pi], Grant: BindingOf(h.Decision), Result: h.Decision.Result, Reason: strings.Join(h.Decision.Reasons, "; ")})
			}
		}
	}
	// Workload identity federation: a pool principal whose subject or
	// attribute names an AWS role or an Entra object.
	for _, n := range slices.Clone(g.nodes) {
		if n.Kind != GCPPool {
			continue
		}
		m := poolMember.Get().FindStringSubmatch(n.ID)
		if m == nil {
			continue
		}
		var from *Node
		if v := m[2]; strings.HasPrefix(v, "arn:aws:") {
			if x := g.Node(awsRoleOf(v)); x != nil && x.Provider == resource.AWS {
				from = x
			}
		} else if x := g.Node(v); x != nil && x.Provider == resource.Azure {
			from = x
		}
		if from != nil {
			g.link(Edge{From: from.ID, To: n.ID, Kind: Federates, Grant: "workload identity pool " + m[1] + " " + m[2], Result: decision.Allowed})
		}
	}
	hold := func(scope, name string, hs []decision.Holder) {
		if len(hs) == 0 {
			return
		}
		a := g.adminNode(resource.GCP, scope, name)
		for _, h := range hs {
			if n := g.member(h.Principal); n != nil {
				g.link(Edge{From: n.ID, To: a.ID, Kind: Holds, Action: gcpiam.AdminPermission(scope), Grant: BindingOf(h.Decision), Result: h.Decision.Result, Reason: strings.Join(h.Decision.Reasons, "; ")})
			}
		}
	}
	pa := g.GCP.ProjectAdmins()
	keys := make([]string, 0, len(pa))
	for k := range pa {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		hold(k, "GCP project "+k[strings.LastIndex(k, "/")+1:], pa[k])
	}
	for _, r := range g.Resources {
		if r.Provider == resource.GCP && r.Class == resource.ClassOrgUnit {
			hold(r.ID, "GCP "+r.Type[strings.LastIndex(r.Type, "/")+1:]+" "+r.Name, g.GCP.Admins(r.ID))
		}
	}
	return nil
}
