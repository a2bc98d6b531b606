package drift

import (
	"slices"
	"sort"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// deriveScopes returns, per provider the IaC defines resources of, where
// an inventory resource that no IaC defines is unmanaged: the accounts
// the IaC resources are in (their identifiers', or those of the inventory
// resources they matched), the regions they are in (none known: every
// region) and their classes. Options given replace the derived values. A
// provider whose accounts are unknown (HCL alone, no match) gets no
// unmanaged resources unless Options.Accounts names them, so that a
// configuration of one account does not call the rest of an organization
// unmanaged.
func deriveScopes(iacRes []*resource.Resource, pairs []pair, o Options) []Scope {
	type acc struct{ accounts, regions, classes map[string]bool }
	by := map[resource.Provider]*acc{}
	get := func(p resource.Provider) *acc {
		if by[p] == nil {
			by[p] = &acc{map[string]bool{}, map[string]bool{}, map[string]bool{}}
		}
		return by[p]
	}
	for _, r := range iacRes {
		if !compared(r) {
			continue
		}
		a := get(r.Provider)
		a.classes[string(r.Class)] = true
		if acct := accountOf(r); acct != "" {
			a.accounts[strings.ToLower(acct)] = true
		}
		if g := regionOf(r); !global(g) {
			a.regions[g] = true
		}
	}
	for _, p := range pairs {
		a := get(p.iac.Provider)
		if p.live.Account != "" {
			a.accounts[strings.ToLower(p.live.Account)] = true
		}
		if g := regionOf(p.live); !global(g) {
			a.regions[g] = true
		}
	}
	var out []Scope
	for p, a := range by {
		s := Scope{Provider: p, Accounts: keys(a.accounts), Regions: keys(a.regions)}
		for _, c := range keys(a.classes) {
			s.Classes = append(s.Classes, resource.Class(c))
		}
		if len(o.Accounts) > 0 {
			s.Accounts = lower(o.Accounts)
		}
		if len(o.Regions) > 0 {
			s.Regions = lower(o.Regions)
		}
		if len(o.Classes) > 0 {
			s.Classes = slices.Clone(o.Classes)
		}
		if len(s.Accounts) == 0 {
			s.Note = "the IaC names no account and matched no resource: give --account to report unmanaged resources"
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Provider < out[j].Provider })
	return out
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func lower(l []string) []string {
	out := make([]string, len(l))
	for i, s := range l {
		out[i] = strings.ToLower(s)
	}
	return out
}

// inScope reports whether an inventory resource is in the unmanaged scope.
func inScope(scopes []Scope, l *resource.Resource) bool {
	for _, s := range scopes {
		if s.Provider != l.Provider || len(s.Accounts) == 0 {
			continue
		}
		if !slices.Contains(s.Accounts, strings.ToLower(l.Account)) || !slices.Contains(s.Classes, l.Class) {
			return false
		}
		g := regionOf(l)
		return len(s.Regions) == 0 || global(g) || slices.Contains(s.Regions, g)
	}
	return false
}

// builtIn reports whether the cloud, not a user, made the resource: a
// default security group, network or firewall rule, an AWS managed
// policy or service-linked role, a built-in role definition, the root
// user, a GCS bucket's legacy grants to the project's owners, editors and
// viewers. No IaC is expected to define them.
func builtIn(l *resource.Resource) bool {
	f := l.Facts
	switch {
	case f.Firewall != nil && f.Firewall.Default != nil && *f.Firewall.Default,
		f.Network != nil && f.Network.Default != nil && *f.Network.Default,
		f.Role != nil && f.Role.Custom != nil && !*f.Role.Custom,
		f.Identity != nil && f.Identity.Kind == "root",
		strings.HasPrefix(l.ID, "arn:aws:iam::aws:policy/"),
		strings.Contains(l.ID, ":role/aws-service-role/"),
		f.Binding != nil && strings.HasPrefix(f.Binding.Role, "roles/storage.legacy"), // a new bucket's own grants to the project's roles
		l.Source == "synthesized":
		return true
	}
	return false
}
