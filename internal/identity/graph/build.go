package graph

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	awsiam "github.com/vigil-sec/vigil/internal/identity/aws"
	"github.com/vigil-sec/vigil/internal/identity/decision"
	"github.com/vigil-sec/vigil/internal/resource"
)

// ActionList are the AWS actions the graph asks the evaluator about for
// every AWS principal once (awsiam.Evaluator.Actions): those escalation
// methods need and AdminProbe. AWSActions reads the answers.
var ActionList = []string{
	"iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:AttachUserPolicy", "iam:AttachRolePolicy", "iam:AttachGroupPolicy",
	"iam:PutUserPolicy", "iam:PutRolePolicy", "iam:PutGroupPolicy", "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile",
	"iam:AddUserToGroup", "iam:UpdateAssumeRolePolicy", "iam:PassRole", "sts:AssumeRole",
	"lambda:CreateFunction", "lambda:InvokeFunction", "ec2:RunInstances", "glue:CreateDevEndpoint", "cloudformation:CreateStack",
	"datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition", "sagemaker:CreateNotebookInstance",
	"sagemaker:CreatePresignedNotebookInstanceUrl", "ecs:RegisterTaskDefinition", "ecs:RunTask",
	"iam:CreateUser", "s3:PutBucketPolicy", "kms:CreateGrant",
}

// AdminProbe are the actions an AWS principal must be allowed on every
// resource ("*") to count as an administrator of its account: identity
// administration, role passing and assumption, and data and compute
// actions of the main services (what AdministratorAccess grants; a
// PowerUserAccess principal lacks the iam ones).
var AdminProbe = []string{
	"iam:AttachRolePolicy", "iam:PutUserPolicy", "iam:CreateUser", "iam:CreateAccessKey", "iam:PassRole", "sts:AssumeRole",
	"ec2:RunInstances", "s3:PutBucketPolicy", "kms:CreateGrant", "lambda:CreateFunction",
}

// AWSActions returns the evaluator's answers to ActionList for an AWS
// principal ARN: the actions it may perform (allowed, conditional or
// uncertain); an action absent is denied. Nil for a principal the
// evaluator does not know.
func (g *Graph) AWSActions(principal string) map[string]awsiam.Grant {
	return g.awsActs[principal]
}

// RunsAs returns the identities (node IDs) a compute resource, function or
// service runs as, by the resource's ID.
func (g *Graph) RunsAs(resourceID string) []string { return g.runsAs[strings.ToLower(resourceID)] }

// RunsAsAll returns every resource ID that runs as an identity, sorted.
func (g *Graph) RunsAsAll() []string {
	out := make([]string, 0, len(g.runsAs))
	for _, r := range g.Resources {
		if len(g.runsAs[strings.ToLower(r.ID)]) > 0 {
			out = append(out, r.ID)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func isEntra(r *resource.Resource) bool { return strings.HasPrefix(r.Type, "microsoft.graph.") }

// principals adds a node per principal of the inventory and the group
// memberships.
func (g *Graph) principals(rs []*resource.Resource) {
	for _, r := range rs {
		switch {
		case r.Provider == resource.AWS && r.Class == resource.ClassIdentity && r.Facts.Identity != nil:
			k := map[string]Kind{"user": AWSUser, "role": AWSRole, "root": AWSRoot}[r.Facts.Identity.Kind]
			if k == "" {
				continue
			}
			g.add(&Node{ID: r.ID, Provider: resource.AWS, Kind: k, Name: r.Name, Account: r.Account, Resource: r.ID, Principal: r.ID}, r.Aliases...)
		case r.Provider == resource.AWS && r.Class == resource.ClassGroup:
			g.add(&Node{ID: r.ID, Provider: resource.AWS, Kind: AWSGroup, Name: r.Name, Account: r.Account, Resource: r.ID, Principal: r.ID}, r.Aliases...)
		case r.Provider == resource.AWS && (r.Type == "AWS::IAM::SAMLProvider" || r.Type == "AWS::IAM::OIDCProvider"):
			k := AWSSAMLProvider
			if r.Type == "AWS::IAM::OIDCProvider" {
				k = AWSOIDCProvider
			}
			g.add(&Node{ID: r.ID, Provider: resource.AWS, Kind: k, Name: r.Name, Account: r.Account, Resource: r.ID}, r.Aliases...)
		case r.Provider == resource.Azure && isEntra(r) && (r.Class == resource.ClassIdentity || r.Class == resource.ClassGroup):
			k := EntraGroup
			if r.Class == resource.ClassIdentity && r.Facts.Identity != nil {
				k = map[string]Kind{"user": EntraUser, "service_principal": EntraSP, "managed_identity": EntraMI, "application": EntraApp}[r.Facts.Identity.Kind]
			}
			if k == "" {
				continue
			}
			oid := ""
			if len(r.Aliases) > 0 {
				oid = r.Aliases[0]
			}
			g.add(&Node{ID: r.ID, Provider: resource.Azure, Kind: k, Name: r.Name, Account: tenantOf(r.ID), Resource: r.ID, Principal: oid}, r.Aliases...)
		case r.Provider == resource.GCP && r.Class == resource.ClassIdentity && r.Facts.Identity != nil && r.Facts.Identity.Kind == "service_account":
			email := ""
			for _, a := range r.Aliases {
				if strings.Contains(a, "@") && !strings.Contains(a, ":") {
					email = strings.ToLower(a)
				}
			}
			id := r.ID
			if email != "" {
				id = "serviceAccount:" + email
			}
			g.add(&Node{ID: id, Provider: resource.GCP, Kind: GCPSA, Name: email, Account: r.Account, Resource: r.ID, Principal: id}, append([]string{r.ID}, r.Aliases...)...)
		case r.Provider == resource.GCP && r.Class == resource.ClassIAMBinding && r.Facts.Binding != nil:
			g.member(r.Facts.Binding.Principal)
		}
	}
	// Memberships, once every principal is known.
	for _, r := range rs {
		from := g.Node(r.ID)
		switch {
		case r.Provider == resource.GCP && r.Class == resource.ClassGroup && r.Facts.Group != nil:
			email := strings.TrimPrefix(strings.ToLower(r.Name), "group:")
			for _, a := range r.Aliases {
				if e, ok := strings.CutPrefix(strings.ToLower(a), "group:"); ok {
					email = e
				}
			}
			if !strings.Contains(email, "@") {
				continue
			}
			grp := g.member("group:" + email)
			for _, m := range r.Facts.Group.Members {
				if n := g.member(m); n != nil && grp != nil {
					g.link(Edge{From: n.ID, To: grp.ID, Kind: MemberOf, Grant: r.ID, Result: decision.Allowed})
				}
			}
			continue
		case from == nil:
			continue
		}
		var groups []string
		if r.Facts.Identity != nil {
			groups = append(groups, r.Facts.Identity.Groups...)
		}
		for _, rel := range r.Relationships {
			switch rel.Type {
			case resource.RelMemberOf:
				groups = append(groups, rel.TargetID)
			case resource.RelOwnedBy:
				if o := g.Node(rel.TargetID); o != nil {
					g.link(Edge{From: o.ID, To: from.ID, Kind: Owns, Grant: "owner of " + from.ID, Result: decision.Allowed})
				}
			case resource.RelInstanceOf:
				if app := g.Node(rel.TargetID); app != nil {
					g.link(Edge{From: app.ID, To: from.ID, Kind: AuthenticatesAs, Grant: "application " + app.Name, Result: decision.Allowed})
				}
			}
		}
		for _, gid := range groups {
			if grp := g.Node(gid); grp != nil {
				g.link(Edge{From: from.ID, To: grp.ID, Kind: MemberOf, Grant: grp.ID, Result: decision.Allowed})
			}
		}
	}
	g.workloads(rs)
}

// workloads records what each compute resource, function or service runs
// as (instance profile role, managed identity, service account).
func (g *Graph) workloads(rs []*resource.Resource) {
	profiles := map[string]string{} // instance profile ARN -> role ARN
	for _, r := range rs {
		if r.Provider == resource.AWS && r.Facts.Identity != nil {
			for _, ip := range r.Facts.Identity.InstanceProfiles {
				profiles[strings.ToLower(ip)] = r.ID
			}
		}
	}
	add := func(r *resource.Resource, id string) {
		if id == "" {
			return
		}
		if role, ok := profiles[strings.ToLower(id)]; ok {
			id = role
		}
		n := g.Node(id)
		if n == nil && r.Provider == resource.GCP && strings.Contains(id, "@") {
			n = g.member("serviceAccount:" + id)
		}
		if n == nil {
			return
		}
		k := strings.ToLower(r.ID)
		if !slices.Contains(g.runsAs[k], n.ID) {
			g.runsAs[k] = append(g.runsAs[k], n.ID)
		}
	}
	for _, r := range rs {
		if r.Class == resource.ClassIdentity || r.Class == resource.ClassIAMBinding {
			continue
		}
		for _, rel := range r.Relationships {
			if rel.Type == resource.RelRunsAs {
				add(r, rel.TargetID)
			}
		}
		if c := r.Facts.Compute; c != nil && strings.HasPrefix(c.Identity, "arn:") {
			add(r, c.Identity)
		}
		if f := r.Facts.Function; f != nil {
			add(r, f.Identity)
		}
		// An Azure system-assigned managed identity names its resource
		// among its aliases.
		if r.Provider == resource.Azure && !isEntra(r) {
			if n := g.Node(r.ID); n != nil && n.Kind == EntraMI {
				add(r, n.ID)
			}
		}
	}
}

// member returns the node of a GCP IAM member, adding it when new.
func (g *Graph) member(m string) *Node {
	if m == "" {
		return nil
	}
	if n := g.Node(m); n != nil {
		return n
	}
	kind, rest, _ := strings.Cut(m, ":")
	var k Kind
	switch kind {
	case "user":
		k = GCPUser
	case "group":
		k = GCPGroup
	case "serviceAccount":
		k = GCPSA
	case "principal", "principalSet":
		k = GCPPool
	case "domain", "allUsers", "allAuthenticatedUsers":
		k = GCPPublic
	default:
		if m == "allUsers" || m == "allAuthenticatedUsers" {
			k = GCPPublic
		} else {
			return nil // projectOwner:..., deleted:...: not a principal of its own
		}
	}
	id := m
	if k == GCPUser || k == GCPGroup || k == GCPSA {
		id = kind + ":" + strings.ToLower(rest)
	}
	return g.add(&Node{ID: id, Provider: resource.GCP, Kind: k, Name: rest, Principal: id})
}

// entraNode returns the node of an Entra object ID an Azure grant names,
// adding one when the inventory does not hold it.
func (g *Graph) entraNode(oid, resourceID string) *Node {
	if n := g.Node(resourceID); n != nil && resourceID != "" {
		return n
	}
	if n := g.Node(oid); n != nil {
		return n
	}
	return g.add(&Node{ID: oid, Provider: resource.Azure, Kind: EntraPrincipal, Principal: oid})
}

func tenantOf(id string) string {
	if rest, ok := strings.CutPrefix(id, "/tenants/"); ok {
		t, _, _ := strings.Cut(rest, "/")
		return t
	}
	return ""
}

// adminNode returns the admin target of a scope.
func (g *Graph) adminNode(p resource.Provider, scope, name string) *Node {
	return g.add(&Node{ID: "admin:" + scope, Provider: p, Kind: Admin, Name: name, Resource: scope})
}

// AdminNodes returns the admin targets, sorted by ID.
func (g *Graph) AdminNodes() []*Node {
	var out []*Node
	for _, n := range g.nodes {
		if n.Kind == Admin {
			out = append(out, n)
		}
	}
	slices.SortFunc(out, func(a, b *Node) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// Parallel runs f(i) for i in [0,n) on GOMAXPROCS workers, stopping
// early (with ctx's error) when ctx is done.
func Parallel(ctx context.Context, n int, f func(i int)) error {
	w := min(runtime.GOMAXPROCS(0), max(n, 1))
	var wg sync.WaitGroup
	next := make(chan int, 256)
	for range w {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	var err error
feed:
	for i := range n {
		if i%1024 == 0 {
			if err = ctx.Err(); err != nil {
				break feed
			}
		}
		next <- i
	}
	close(next)
	wg.Wait()
	return err
}

// grantOf names the statements of an AWS decision that allow it.
func grantOf(d awsiam.Decision) string {
	var parts []string
	for _, s := range d.Allows {
		n := fmt.Sprintf("%s statement %d", s.Policy, s.Index)
		if s.Sid != "" {
			n = fmt.Sprintf("%s statement %q", s.Policy, s.Sid)
		}
		if !slices.Contains(parts, n) {
			parts = append(parts, n)
		}
		if len(parts) == 2 {
			break
		}
	}
	return strings.Join(parts, "; ")
}

// reasonOf says why a decision is conditional or uncertain.
func reasonOf(d awsiam.Decision) string {
	if len(d.Missing) > 0 {
		return "depends on " + strings.Join(d.Missing, ", ")
	}
	return strings.Join(d.Reasons, "; ")
}

// BindingOf names the grants of an Azure or GCP decision that allow it.
func BindingOf(d decision.Decision) string {
	var parts []string
	certain := slices.ContainsFunc(d.Allows, func(a decision.Grant) bool { return a.Match == decision.MatchTrue })
	for _, a := range d.Allows {
		if certain && a.Match != decision.MatchTrue {
			continue
		}
		s := a.Binding
		if a.RoleName != "" || a.Role != "" {
			s = fmt.Sprintf("%s (%s at %s)", a.Binding, cmpOr(a.RoleName, a.Role), a.Scope)
		}
		if len(a.Via) > 0 {
			s += " via " + strings.Join(a.Via, " > ")
		}
		parts = append(parts, s)
		if len(parts) == 2 {
			break
		}
	}
	return strings.Join(parts, "; ")
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
