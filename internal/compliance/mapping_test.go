package compliance_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/compliance"
	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/rules"
)

// builtinRules loads the built-in rule pack's metadata.
func builtinRules(t testing.TB) []finding.RuleInfo {
	t.Helper()
	e, err := policy.New(context.Background(), []policy.Source{{FS: rules.FS(), Name: "builtin", Builtin: true}})
	if err != nil {
		t.Fatal(err)
	}
	var out []finding.RuleInfo
	for _, r := range e.Rules() {
		out = append(out, finding.RuleInfo{ID: r.ID, Title: r.Title, Severity: r.Severity, Providers: r.Providers, Frameworks: r.Frameworks})
	}
	return out
}

// cisCorpus is the shared CIS control lists (not shipped with vigil).
const cisCorpus = "../../../shared/corpus/cis"

// TestRuleMappingsExist checks that every framework key a built-in rule uses
// is a framework vigil reports on and every control it names exists in the
// framework's catalogue (the shipped ones; the CIS lists of the shared
// corpus when present): a typo in a rule's METADATA fails here.
func TestRuleMappingsExist(t *testing.T) {
	rs := builtinRules(t)
	var cis []*compliance.Catalogue
	if _, err := os.Stat(cisCorpus); err != nil {
		t.Logf("CIS controls not checked: %s absent (the CIS lists are licensed and not shipped)", cisCorpus)
	} else {
		for _, f := range []string{"cis_7.0_aws.tsv", "cis_6.0_azure.tsv", "cis_5.0_gcp.tsv"} {
			c, err := compliance.LoadCatalogue(filepath.Join(cisCorpus, f))
			if err != nil {
				t.Fatal(err)
			}
			cis = append(cis, c)
		}
	}
	if problems := compliance.CheckMappings(rs, cis...); len(problems) > 0 {
		t.Errorf("%d mapping problems:\n%s", len(problems), strings.Join(problems, "\n"))
	}
	// The check itself catches a typo and an unknown key.
	bad := []compliance.Rule{{ID: "x", Frameworks: map[string][]string{"nist-csf-2.0": {"PR.DS-1"}, "gpdr": {"Art.32"}}}}
	if got := compliance.CheckMappings(bad); len(got) != 2 {
		t.Errorf("CheckMappings(typos) = %q, want 2 problems", got)
	}
}

// TestEveryFrameworkHasCloudEvidence checks that each framework has rules
// for AWS, Azure and GCP.
func TestEveryFrameworkHasCloudEvidence(t *testing.T) {
	rs := builtinRules(t)
	for _, fw := range []string{"soc2", "iso27001-2022", "gdpr", "hipaa", "pci-dss-4.0", "nist-800-53-r5", "nist-csf-2.0"} {
		clouds := map[string]bool{}
		for _, r := range rs {
			if len(r.Frameworks[fw]) == 0 {
				continue
			}
			for _, p := range r.Providers {
				clouds[string(p)] = true
			}
		}
		for _, c := range []string{"aws", "azure", "gcp"} {
			if !clouds[c] {
				t.Errorf("%s: no rule for %s", fw, c)
			}
		}
	}
}
