package escalate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vigil-sec/vigil/internal/finding"
	awsiam "github.com/vigil-sec/vigil/internal/identity/aws"
	azurerbac "github.com/vigil-sec/vigil/internal/identity/azure"
	"github.com/vigil-sec/vigil/internal/identity/decision"
	gcpiam "github.com/vigil-sec/vigil/internal/identity/gcp"
	"github.com/vigil-sec/vigil/internal/identity/graph"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Attack-path finding constants.
const (
	AttackRuleID   = "identity-attack-path"
	AttackCategory = "attack-path"
)

// sensitiveKeys and sensitiveValues recognise a data store's
// classification tag (case-insensitive).
var (
	sensitiveKeys   = []string{"classification", "data-classification", "data_classification", "dataclassification", "sensitivity", "data-sensitivity", "data_sensitivity"}
	sensitiveValues = []string{"confidential", "restricted", "sensitive", "secret", "pii", "phi", "pci", "high", "critical"}
)

// Sensitive tells whether a resource's tags classify it as sensitive data.
func Sensitive(r *resource.Resource) bool {
	for k, v := range r.Tags {
		if slices.Contains(sensitiveKeys, strings.ToLower(k)) && slices.Contains(sensitiveValues, strings.ToLower(v)) {
			return true
		}
	}
	return false
}

// Exposed tells whether a compute resource or function is reachable from
// the internet by its typed facts: the exposure reachability decided
// (routes, ACLs, firewalls, listeners) where it could, else a public IP,
// or public invocation.
func Exposed(r *resource.Resource) bool {
	if f := r.Facts.Function; f != nil && f.PublicInvocation != nil && *f.PublicInvocation {
		return true
	}
	if x := r.Facts.Exposure; x != nil && len(x.Paths) > 0 {
		return true // a path found stands, decided or not
	} else if x != nil && x.Internet != nil {
		return *x.Internet
	}
	if c := r.Facts.Compute; c != nil && c.PublicIP != nil && *c.PublicIP {
		return true
	}
	return false
}

// readCheck asks whether an identity may read a data store, by its class
// and cloud; ok is false for stores vigil has no read action for.
func (a *Analysis) readCheck(id string, store *resource.Resource) (decision.Result, string, bool) {
	n := a.G.Node(id)
	if n == nil || n.Provider != store.Provider {
		// Another cloud's store is reached through federation, which
		// the paths follow; here only the identity's own cloud.
		return decision.ImplicitDeny, "", false
	}
	switch store.Provider {
	case resource.AWS:
		action, res := "", store.ID
		switch store.Class {
		case resource.ClassObjectStorage:
			action, res = "s3:GetObject", store.ID+"/*"
		case resource.ClassSecret:
			action = "secretsmanager:GetSecretValue"
		default:
			return 0, "", false
		}
		// The attacker's request: over TLS (a deny of insecure transport
		// does not stop a read), from the workload's own credentials.
		ctx := awsiam.Context{ResourceAccount: store.Account, Values: map[string][]string{"aws:SecureTransport": {"true"}}}
		d := a.G.AWS.IsAllowed(n.ID, action, res, ctx)
		return d.Result, action + " by " + grantText(d), true
	case resource.Azure:
		action := ""
		switch store.Class {
		case resource.ClassObjectStorage:
			action = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"
		case resource.ClassSecret, resource.ClassKeyVault:
			action = "Microsoft.KeyVault/vaults/secrets/getSecret/action"
		default:
			return 0, "", false
		}
		d := a.G.Azure.Check(azurerbac.Request{Principal: n.Principal, Action: action, Data: true, Scope: store.ID})
		return d.Result, action + " by " + bindingText(d), true
	case resource.GCP:
		perm := map[resource.Class]string{resource.ClassObjectStorage: "storage.objects.get", resource.ClassSecret: "secretmanager.versions.access", resource.ClassDatabase: "cloudsql.instances.connect"}[store.Class]
		if perm == "" {
			return 0, "", false
		}
		d := a.G.GCP.Check(gcpiam.Request{Member: n.Principal, Permission: perm, Resource: store.ID})
		return d.Result, perm + " by " + bindingText(d), true
	}
	return 0, "", false
}

func bindingText(d decision.Decision) string {
	var s []string
	for _, g := range d.Allows {
		s = append(s, g.Binding)
		if len(s) == 2 {
			break
		}
	}
	return strings.Join(s, "; ")
}

// AttackPaths joins exposure, identity and data: an internet-exposed
// compute resource or function (public IP, public invocation) whose
// attached identity can read a sensitive data store (by its classification
// tag) or escalate to admin (one of paths, or already admin) is one
// CRITICAL finding (HIGH when a step is conditional), category
// attack-path, on the exposed resource, naming the whole chain.
func AttackPaths(a *Analysis, paths []Path) []finding.Finding {
	byPrincipal := map[string][]Path{}
	for _, p := range paths {
		byPrincipal[strings.ToLower(p.Principal)] = append(byPrincipal[strings.ToLower(p.Principal)], p)
	}
	var stores []*resource.Resource
	for _, r := range a.G.Resources {
		if Sensitive(r) {
			stores = append(stores, r)
		}
	}
	var out []finding.Finding
	for _, r := range a.G.Resources {
		if !Exposed(r) {
			continue
		}
		for _, id := range a.G.RunsAs(r.ID) {
			var chains []string
			res := decision.Allowed
			// Admin already, or through an escalation path.
			for _, e := range a.G.Out(id) {
				if e.Kind == graph.Holds && (e.Result == decision.Allowed || e.Result == decision.Conditional) {
					chains = append(chains, fmt.Sprintf("%s is admin of %s [%s]", id, strings.TrimPrefix(e.To, "admin:"), e.Grant))
					res = worst(res, e.Result)
				}
			}
			for _, p := range byPrincipal[strings.ToLower(id)] {
				chains = append(chains, fmt.Sprintf("%s can become admin of %s: %s", id, strings.TrimPrefix(p.Target, "admin:"), StepsText(p)))
				res = worst(res, p.Result)
			}
			for _, s := range stores {
				got, how, ok := a.readCheck(id, s)
				if ok && usable(got) {
					chains = append(chains, fmt.Sprintf("%s can read sensitive %s %s (%s)", id, s.Class, s.ID, how))
					res = worst(res, got)
				}
			}
			if len(chains) == 0 {
				continue
			}
			sev := finding.Critical
			if res != decision.Allowed {
				sev = finding.High
			}
			f := attackRule.New(r.Ref(), finding.Fail, fmt.Sprintf("%s is exposed to the internet and runs as %s; %s", r.ID, id, strings.Join(chains, "; ")), nil)
			f.Severity = sev
			out = append(out, f)
		}
	}
	return out
}
