package graph

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	awsiam "github.com/vigil-sec/vigil/internal/identity/aws"
	azurerbac "github.com/vigil-sec/vigil/internal/identity/azure"
	"github.com/vigil-sec/vigil/internal/identity/decision"
	gcpiam "github.com/vigil-sec/vigil/internal/identity/gcp"
	"github.com/vigil-sec/vigil/internal/lazyre"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Kind is what a node of the graph is.
type Kind string

// Node kinds. Principals of the three clouds, the identity providers and
// pools that federate into them, the AWS services roles trust, and the
// administrator targets escalation paths end at.
const (
	AWSUser         Kind = "aws_user"
	AWSRole         Kind = "aws_role"
	AWSGroup        Kind = "aws_group"
	AWSRoot         Kind = "aws_root"
	AWSAccount      Kind = "aws_account" // an account a trust policy names that the inventory does not hold
	AWSSAMLProvider Kind = "aws_saml_provider"
	AWSOIDCProvider Kind = "aws_oidc_provider"
	AWSService      Kind = "aws_service"
	AWSAnyone       Kind = "aws_anyone" // "Principal": "*"
	EntraUser       Kind = "entra_user"
	EntraGroup      Kind = "entra_group"
	EntraSP         Kind = "entra_service_principal"
	EntraMI         Kind = "entra_managed_identity"
	EntraApp        Kind = "entra_application"
	EntraPrincipal  Kind = "entra_principal" // an object ID an assignment names that the inventory does not hold
	GCPUser         Kind = "gcp_user"
	GCPGroup        Kind = "gcp_group"
	GCPSA           Kind = "gcp_service_account"
	GCPPool         Kind = "gcp_workload_identity" // a workload identity pool principal or principal set
	GCPPublic       Kind = "gcp_public"            // allUsers, allAuthenticatedUsers, domain:
	OIDCIssuer      Kind = "oidc_issuer"           // an external token issuer (GitHub Actions, accounts.google.com, ...)
	Admin           Kind = "admin"                 // full control of a scope: AWS account, Azure subscription or tenant, GCP project/folder/organization
)

// Node is a principal, identity provider or admin target. ID is stable
// across runs and printable: an AWS ARN, an Entra object's resource ID, a
// GCP IAM member (serviceAccount:EMAIL, user:EMAIL, principal://...),
// "service:lambda.amazonaws.com", "oidc:ISSUER", "admin:SCOPE".
type Node struct {
	ID       string            `json:"id"`
	Provider resource.Provider `json:"provider,omitempty"`
	Kind     Kind              `json:"kind"`
	Name     string            `json:"name,omitempty"`
	Account  string            `json:"account,omitempty"`
	// Resource is the node's resource ID in the inventory, "" when the
	// inventory does not hold it.
	Resource string `json:"resource,omitempty"`
	// Principal is the name the cloud's evaluator knows it by (ARN, Entra
	// object ID, GCP member); "" for nodes that are not principals.
	Principal string `json:"principal,omitempty"`
}

// EdgeKind is how one node reaches another.
type EdgeKind string

// Edge kinds of the trust graph.
const (
	// MemberOf: a principal is in a group and holds what the group holds.
	MemberOf EdgeKind = "member_of"
	// CanAssume: an AWS principal (or service, provider, account) may call
	// sts:AssumeRole* on a role: its trust policy names it and, for a
	// principal, its own policies allow it.
	CanAssume EdgeKind = "can_assume"
	// Federates: tokens of an identity provider, issuer or another cloud's
	// identity sign in as the target (Entra federated credential, GCP
	// workload identity federation, AWS web identity / SAML trust).
	Federates EdgeKind = "federates"
	// Impersonates: a GCP member may mint tokens or signatures of a
	// service account (getAccessToken, signBlob, signJwt,
	// implicitDelegation).
	Impersonates EdgeKind = "impersonates"
	// ActAs: a GCP member may attach a service account to a resource it
	// creates (iam.serviceAccounts.actAs); used by escalation methods.
	ActAs EdgeKind = "act_as"
	// AuthenticatesAs: an Entra application's credentials sign in as its
	// service principal.
	AuthenticatesAs EdgeKind = "authenticates_as"
	// Owns: an Entra owner of an application, service principal or group.
	Owns EdgeKind = "owns"
	// Holds: a principal holds full control of a scope (edge to an Admin
	// node).
	Holds EdgeKind = "holds"
)

// Edge is one way from a node to another, with the grant that makes it.
type Edge struct {
	From, To string
	Kind     EdgeKind
	// Action is the permission exercised (sts:AssumeRole,
	// iam.serviceAccounts.getAccessToken), "" for membership and ownership.
	Action string `json:"action,omitempty"`
	// Grant names what enables the edge: the trust policy statement, the
	// binding, the federated credential, the group.
	Grant  string          `json:"grant,omitempty"`
	Result decision.Result `json:"result"`
	// Reason says why the edge is conditional or uncertain.
	Reason string `json:"reason,omitempty"`
}

// MarshalJSON-friendly view of an edge.
type edgeJSON struct {
	From   string          `json:"from"`
	To     string          `json:"to"`
	Kind   EdgeKind        `json:"kind"`
	Action string          `json:"action,omitempty"`
	Grant  string          `json:"grant,omitempty"`
	Result decision.Result `json:"result"`
	Reason string          `json:"reason,omitempty"`
}

// JSON returns the edge in its JSON shape.
func (e Edge) JSON() any {
	return edgeJSON{e.From, e.To, e.Kind, e.Action, e.Grant, e.Result, e.Reason}
}

// Options configure Build.
type Options struct {
	AWS   awsiam.Options
	Azure azurerbac.Options
	GCP   gcpiam.Options
	// AzureEvaluator, when set, is the Azure evaluator of the resources
	// Build is given, built with Azure (an inventory's derivation builds
	// one: inventory.Inventory.AzureRBAC): Build uses it rather than
	// building another.
	AzureEvaluator *azurerbac.Evaluator
}

// Graph is the entitlement graph of an inventory: its principals, the
// trust edges between them across clouds, and the evaluators that answer
// what each principal may do. Immutable after Build; safe for concurrent
// reads.
type Graph struct {
	nodes []*Node
	index map[string]int32 // node ID and aliases (lower case) -> node
	edges []Edge
	out   [][]int32
	in    [][]int32

	AWS   *awsiam.Evaluator
	Azure *azurerbac.Evaluator
	GCP   *gcpiam.Evaluator
	// Resources are the inventory's resources (read only).
	Resources []*resource.Resource
	// Problems are what the evaluators and the graph could not read, each
	// naming the principal or policy.
	Problems []string
	seen     map[[3]string]int
	strs     map[string]string
	// awsActs are the answers of the AWS evaluator to ActionList for
	// every AWS principal, by principal ARN.
	awsActs map[string]map[string]awsiam.Grant
	runsAs  map[string][]string
}

// Build builds the graph: the evaluators of the three clouds, a node per
// principal, and the trust edges (AWS role trust policies, Entra
// federated credentials and ownership, GCP impersonation and workload
// identity federation, cross-cloud federation).
func Build(ctx context.Context, rs []*resource.Resource, o Options) (*Graph, error) {
	g := &Graph{index: map[string]int32{}, Resources: rs, seen: map[[3]string]int{}, strs: map[string]string{}, runsAs: map[string][]string{}}
	var err error
	if g.AWS, err = awsiam.New(rs, o.AWS); err != nil {
		return nil, fmt.Errorf("aws evaluator: %w", err)
	}
	for _, p := range g.AWS.Problems() {
		g.Problems = append(g.Problems, "aws: "+p.String())
	}
	if g.Azure = o.AzureEvaluator; g.Azure == nil {
		if g.Azure, err = azurerbac.New(rs, o.Azure); err != nil {
			return nil, fmt.Errorf("azure evaluator: %w", err)
		}
	}
	for _, p := range g.Azure.Problems() {
		g.Problems = append(g.Problems, "azure: "+p.Error())
	}
	if g.GCP, err = gcpiam.New(rs, o.GCP); err != nil {
		return nil, fmt.Errorf("gcp evaluator: %w", err)
	}
	for _, p := range g.GCP.Problems() {
		g.Problems = append(g.Problems, "gcp: "+p.Error())
	}
	g.principals(rs)
	for _, step := range []func(context.Context) error{g.awsTrust, g.entraEdges, g.gcpEdges} {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := step(ctx); err != nil {
			return nil, err
		}
	}
	g.finish()
	return g, nil
}

// add adds a node (or returns the one with the same ID) and indexes its
// aliases.
func (g *Graph) add(n *Node, aliases ...string) *Node {
	if i, ok := g.index[strings.ToLower(n.ID)]; ok {
		old := g.nodes[i]
		if old.Resource == "" && n.Resource != "" {
			old.Resource, old.Name, old.Kind, old.Account = n.Resource, n.Name, n.Kind, n.Account
		}
		for _, a := range aliases {
			g.alias(a, i)
		}
		return old
	}
	i := int32(len(g.nodes))
	g.nodes = append(g.nodes, n)
	g.index[strings.ToLower(n.ID)] = i
	for _, a := range aliases {
		g.alias(a, i)
	}
	return n
}

func (g *Graph) alias(a string, i int32) {
	if a == "" {
		return
	}
	if _, ok := g.index[strings.ToLower(a)]; !ok {
		g.index[strings.ToLower(a)] = i
	}
}

// link adds an edge; a second edge of the same kind between the same
// nodes keeps the better result.
func (g *Graph) link(e Edge) {
	if e.Result.Denied() || e.From == e.To {
		return
	}
	key := [3]string{e.From, e.To, string(e.Kind) + "\x00" + e.Action}
	e.Grant, e.Reason = g.intern(e.Grant), g.intern(e.Reason)
	if i, ok := g.seen[key]; ok {
		if better(e.Result, g.edges[i].Result) {
			g.edges[i] = e
		}
		return
	}
	g.seen[key] = len(g.edges)
	g.edges = append(g.edges, e)
}

// intern shares equal texts between edges while the graph is built.
func (g *Graph) intern(s string) string {
	if s == "" {
		return s
	}
	if x, ok := g.strs[s]; ok {
		return x
	}
	g.strs[s] = s
	return s
}

// better tells whether result a is a stronger answer than b
// (Allowed > Conditional > Uncertain).
func better(a, b decision.Result) bool { return Rank(a) < Rank(b) }

// Rank orders results for paths: 0 Allowed, 1 Conditional, 2 Uncertain,
// 3 denied.
func Rank(r decision.Result) int {
	switch r {
	case decision.Allowed:
		return 0
	case decision.Conditional:
		return 1
	case decision.Uncertain:
		return 2
	}
	return 3
}

// finish sorts the edges and builds the adjacency lists.
func (g *Graph) finish() {
	g.seen, g.strs = nil, nil
	slices.SortFunc(g.edges, func(a, b Edge) int {
		return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Action, b.Action))
	})
	g.out = make([][]int32, len(g.nodes))
	g.in = make([][]int32, len(g.nodes))
	for i, e := range g.edges {
		f, t := g.index[strings.ToLower(e.From)], g.index[strings.ToLower(e.To)]
		g.out[f] = append(g.out[f], int32(i))
		g.in[t] = append(g.in[t], int32(i))
	}
}

// Nodes returns the nodes, in the order they were added.
func (g *Graph) Nodes() []*Node { return g.nodes }

// Edges returns every edge, sorted by from, to, kind.
func (g *Graph) Edges() []Edge { return g.edges }

// Node returns the node with this ID or alias (case-insensitive), nil
// when none.
func (g *Graph) Node(id string) *Node {
	if i, ok := g.index[strings.ToLower(id)]; ok {
		return g.nodes[i]
	}
	return nil
}

// Out returns the edges leaving a node.
func (g *Graph) Out(id string) []Edge { return g.pick(g.out, id) }

// In returns the edges reaching a node.
func (g *Graph) In(id string) []Edge { return g.pick(g.in, id) }

func (g *Graph) pick(adj [][]int32, id string) []Edge {
	i, ok := g.index[strings.ToLower(id)]
	if !ok || int(i) >= len(adj) {
		return nil
	}
	out := make([]Edge, len(adj[i]))
	for k, e := range adj[i] {
		out[k] = g.edges[e]
	}
	return out
}

// Find returns the nodes a user's query names: a node ID or alias, else the
// nodes whose name or ID ends with it (case-insensitive), sorted by ID.
func (g *Graph) Find(q string) []*Node {
	if n := g.Node(q); n != nil {
		return []*Node{n}
	}
	lq := strings.ToLower(q)
	var out []*Node
	for _, n := range g.nodes {
		if n.Kind == Admin {
			continue
		}
		id := strings.ToLower(n.ID)
		local, _, _ := strings.Cut(id[strings.Index(id, ":")+1:], "@")
		if strings.EqualFold(n.Name, q) || strings.HasSuffix(id, "/"+lq) || strings.HasSuffix(id, ":"+lq) || (strings.Contains(id, "@") && local == lq) {
			out = append(out, n)
		}
	}
	slices.SortFunc(out, func(a, b *Node) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// IsPrincipal tells whether a node can act (and so start an escalation
// path): not an admin target, an AWS service or an account placeholder.
func (n *Node) IsPrincipal() bool {
	switch n.Kind {
	case Admin, AWSService, AWSAccount, AWSAnyone, GCPPublic:
		return false
	case GCPSA:
		return !serviceAgent.Get().MatchString(n.ID)
	}
	return true
}

// serviceAgent matches Google-managed service agents
// (service-NUMBER@compute-system.iam.gserviceaccount.com,
// service-NUMBER@gcp-sa-*.iam.gserviceaccount.com,
// NUMBER@cloudservices.gserviceaccount.com): Google acts as them, no
// customer principal does.
var serviceAgent = lazyre.Regexp{Expr: `^serviceAccount:(service-\d+@|\d+@cloudservices\.gserviceaccount\.com$)`}
