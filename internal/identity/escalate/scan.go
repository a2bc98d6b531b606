package escalate

import (
	"context"
	"fmt"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/identity/graph"
	"github.com/vigil-sec/vigil/internal/resource"
)

// escalationRule and attackRule describe the two identity rules: the
// findings are made from them, and Rules lists them for the reports.
var (
	clouds         = []resource.Provider{resource.AWS, resource.Azure, resource.GCP}
	escalationRule = finding.RuleInfo{
		ID: RuleID, Title: "Principal can escalate its privileges", Severity: finding.Critical, Category: Category, Providers: clouds,
		Description: "A principal can make itself (or reach) an administrator through a chain of documented privilege-escalation methods " +
			"and trust relationships, within and across AWS, Azure and GCP; each step is allowed by the effective permissions " +
			"(explicit denies, boundaries, SCPs, deny assignments and deny policies applied).",
		Remediation: "Remove the permission or trust that enables the first step (named in the message), or add a deny, permissions boundary or SCP that blocks it.",
		Frameworks:  map[string][]string{"nist-800-53-r5": {"AC-6"}, "soc2": {"CC6.3"}, "iso27001-2022": {"A.8.2"}},
	}
	attackRule = finding.RuleInfo{
		ID: AttackRuleID, Title: "Internet-exposed workload whose identity reaches admin or sensitive data", Severity: finding.Critical,
		Category: AttackCategory, Providers: clouds,
		Description: "An internet-exposed compute resource or function runs as an identity that can escalate to administrator or read a " +
			"data store classified as sensitive: one finding for the whole chain, ranked above its parts.",
		Remediation: "Remove the exposure (public IP, public invocation) or detach the identity, or take from the identity the permissions named in the chain.",
		Frameworks:  map[string][]string{"nist-800-53-r5": {"AC-6", "SC-7"}, "soc2": {"CC6.1"}, "iso27001-2022": {"A.8.2"}},
	}
)

// Rules describes the two identity rules whose findings Scan returns, for
// the reports' rule tables and compliance summaries.
func Rules() []finding.RuleInfo { return []finding.RuleInfo{escalationRule, attackRule} }

// Scan builds the entitlement graph of an inventory's resources and returns
// its privilege-escalation and attack-path findings (see Findings and
// AttackPaths). Policies that did not parse and roles not found make the
// decisions that depend on them uncertain, never guessed: no path uses them.
func Scan(ctx context.Context, rs []*resource.Resource) ([]finding.Finding, error) {
	return ScanWith(ctx, rs, graph.Options{})
}

// ScanWith is Scan with the identity graph built with o (an evaluator the
// inventory's derivation already built: graph.Options.AzureEvaluator).
func ScanWith(ctx context.Context, rs []*resource.Resource, o graph.Options) ([]finding.Finding, error) {
	g, err := graph.Build(ctx, rs, o)
	if err != nil {
		return nil, fmt.Errorf("identity graph: %w", err)
	}
	a, err := Analyze(ctx, g)
	if err != nil {
		return nil, fmt.Errorf("escalation analysis: %w", err)
	}
	paths, err := a.Paths(ctx, Options{})
	if err != nil {
		return nil, fmt.Errorf("escalation paths: %w", err)
	}
	fs := append(Findings(g, paths), AttackPaths(a, paths)...)
	return fs, nil
}
