package scan

import (
	"context"
	"path/filepath"
	"sort"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/rules"
)

// TestSampleOrgTypesClassedOrUnsupported is the "a class for every
// imported type" acceptance: every native type in the sample organization
// is either of a class that some built-in rule evaluates for its cloud, or
// listed as unsupported in the inventory summary. No type is imported and
// then silently evaluated by nothing.
func TestSampleOrgTypesClassedOrUnsupported(t *testing.T) {
	ctx := context.Background()
	// The governance rules (opt-in: they need a governance policy) judge
	// the data stores no other rule does (data warehouses, backup vaults).
	e, err := policy.New(ctx, []policy.Source{{FS: rules.FS(), Name: "builtin", Builtin: true}}, policy.OptIn("governance"))
	if err != nil {
		t.Fatal(err)
	}
	judged := map[[2]string]bool{} // provider, class
	for _, r := range e.Rules() {
		for _, p := range r.Providers {
			judged[[2]string{string(p), string(r.Class)}] = true
		}
	}
	inv, err := importer.Load(ctx, []string{filepath.Join("..", "..", "examples", "org")})
	if err != nil {
		t.Fatal(err)
	}
	var silent []string
	seen := map[string]bool{}
	for _, r := range inv.Resources {
		key := string(r.Provider) + " " + r.Type + " (" + string(r.Class) + ")"
		if seen[key] {
			continue
		}
		seen[key] = true
		if r.Class == resource.ClassOther || r.Class == "" {
			if inv.Unsupported[r.Type] == 0 {
				silent = append(silent, key+": class other but not listed as unsupported")
			}
			continue
		}
		if !resource.KnownClass(r.Class) {
			silent = append(silent, key+": unknown class")
			continue
		}
		// Organization nodes are the hierarchy that bindings' scopes and
		// account parents refer to; identity analysis reads them, and their
		// grants are judged as iam_binding resources.
		if r.Class == resource.ClassOrgUnit {
			continue
		}
		// AWS Organizations policies are judged through every account
		// they apply to (account.scps / rcps: aws-org-account-no-guardrails,
		// and the identity evaluator's SCP and RCP bounds), not on their own.
		if r.Class == resource.ClassOrgPolicy {
			continue
		}
		if !judged[[2]string{string(r.Provider), string(r.Class)}] && inv.Unsupported[r.Type] == 0 {
			silent = append(silent, key+": no built-in rule evaluates this class for this cloud, and it is not listed as unsupported")
		}
	}
	sort.Strings(silent)
	for _, s := range silent {
		t.Error(s)
	}
	if len(seen) < 60 {
		t.Errorf("the sample organization has %d native types, want the new classes' types too (>= 60)", len(seen))
	}
}
