package iac

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/scan"
	"github.com/vigil-sec/vigil/internal/source"
)

// Account scopes. A live inventory names each resource's account, and
// the rules and derived facts that look across resources stay within one
// (a trail of the account logging S3 data events excuses the account's
// other trails; an account-wide S3 Block Public Access blocks the
// account's buckets). IaC rarely names its account: the resources of
// every root module, stack and template would all share the account ""
// and one root module's trail would excuse another's, though each root
// module, stack or template is a deployment of its own, often into
// another account. So while the rules run, a cloud resource whose reader
// left its account unknown takes the account scope of its batch (one
// root module, plan, state, CloudFormation or ARM template), and the
// findings and inventory get their unknown account back afterwards: the
// scope changes what is judged together, never what the outputs say.
// Kubernetes resources are left alone (their account is the namespace).

// scopePrefix starts an account scope: no AWS account ID, Azure
// subscription or GCP project ID has a parenthesis.
const scopePrefix = "("

// accountScope is the account scope of the cloud resources of a batch
// whose account is unknown.
func accountScope(b source.Batch) string {
	return scopePrefix + b.Format + " " + b.Input + ")"
}

// scopeAccounts gives the cloud resources of b with no account the
// batch's account scope.
func scopeAccounts(b source.Batch) {
	scope := ""
	for _, r := range b.Resources {
		if r == nil || r.Account != "" {
			continue
		}
		switch r.Provider {
		case resource.AWS, resource.Azure, resource.GCP:
			if scope == "" {
				scope = accountScope(b)
			}
			r.Account = scope
		}
	}
}

// unscoped is account with an account scope turned back to unknown.
func unscoped(account string) string {
	if strings.HasPrefix(account, scopePrefix) {
		return ""
	}
	return account
}

// unscopeAccounts gives the findings and resources of a finished scan
// their unknown account back. The tagging coverage keeps one row per
// scope (a root module's resources counted apart from another's).
func unscopeAccounts(sr *scan.Result) {
	if sr.Inventory != nil {
		for _, r := range sr.Inventory.Resources {
			r.Account = unscoped(r.Account)
		}
	}
	rep := sr.Report
	if rep == nil {
		return
	}
	unscopeRefs := func(fs []finding.Finding) {
		for i := range fs {
			fs[i].Resource.Account = unscoped(fs[i].Resource.Account)
		}
	}
	unscopeRefs(rep.Findings)
	if rep.Passes != nil {
		for i := range rep.Passes.Refs {
			rep.Passes.Refs[i].Account = unscoped(rep.Passes.Refs[i].Account)
		}
	}
}
