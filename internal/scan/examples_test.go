package scan

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/governance"
	"github.com/vigil-sec/vigil/internal/identity/escalate"
	"github.com/vigil-sec/vigil/internal/identity/graph"
	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/rules"
)

// expected is examples/org/expected.json: the planted misconfigurations and
// the documented-clean resources of the sample organization.
type expected struct {
	ScanTime time.Time `json:"scan_time"`
	Planted  []struct {
		RuleID     string `json:"rule_id"`
		ResourceID string `json:"resource_id"`
		Provider   string `json:"provider"`
		Why        string `json:"why"`
	} `json:"planted"`
	Clean []struct {
		ResourceID string `json:"resource_id"`
		Note       string `json:"note"`
		// PlantedRules are rules planted on this otherwise-clean
		// resource (a per-rule mark): their FAILs are expected.
		PlantedRules []string `json:"planted_rules"`
	} `json:"clean"`
	Incidental []struct {
		RuleID             string `json:"rule_id"`
		ResourceIDContains string `json:"resource_id_contains"`
		Why                string `json:"why"`
	} `json:"incidental"`
}

// readExpected merges examples/org/expected.json with every other
// expected*.json beside it (one per area of the sample, so each can grow on
// its own); the scan time comes from expected.json.
func readExpected(t *testing.T, dir string) expected {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "expected*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no expected*.json in %s: %v", dir, err)
	}
	var all expected
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var exp expected
		if err := json.Unmarshal(data, &exp); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if filepath.Base(f) == "expected.json" {
			all.ScanTime = exp.ScanTime
		}
		all.Planted = append(all.Planted, exp.Planted...)
		all.Clean = append(all.Clean, exp.Clean...)
		all.Incidental = append(all.Incidental, exp.Incidental...)
	}
	return all
}

// TestSampleOrganization is the acceptance test of the bundled sample
// organization: every planted misconfiguration is flagged, every
// documented-clean resource has no FAIL, and every built-in rule fails at
// least once somewhere in the org.
func TestSampleOrganization(t *testing.T) {
	dir := filepath.Join("..", "..", "examples", "org")
	exp := readExpected(t, dir)
	ctx := context.Background()
	e, err := policy.New(ctx, []policy.Source{{FS: rules.FS(), Name: "builtin", Builtin: true}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(ctx, e, Options{Paths: []string{dir}, Now: exp.ScanTime})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(res.Inventory.Errors); n > 0 {
		t.Errorf("sample org has %d input errors, first: %v", n, res.Inventory.Errors[0])
	}
	if n := len(res.Inventory.Resources); n < 150 {
		t.Errorf("sample org has %d resources, want at least 150", n)
	}
	accounts := map[resource.Provider]map[string]bool{}
	for _, r := range res.Inventory.Resources {
		if accounts[r.Provider] == nil {
			accounts[r.Provider] = map[string]bool{}
		}
		accounts[r.Provider][r.Account] = true
	}
	if len(accounts[resource.AWS]) < 2 || len(accounts[resource.Azure]) < 1 || len(accounts[resource.GCP]) < 1 {
		t.Errorf("want >= 2 AWS accounts, 1 Azure subscription, 1 GCP project; got %v", accounts)
	}

	status := map[[2]string]finding.Status{}
	failsOn := map[string][]string{}
	failedRules := map[string]bool{}
	for _, f := range res.Report.Findings {
		status[[2]string{f.RuleID, f.Resource.ID}] = f.Status
		if f.Status == finding.Fail {
			failsOn[f.Resource.ID] = append(failsOn[f.Resource.ID], f.RuleID)
			failedRules[f.RuleID] = true
		}
	}
	for _, p := range exp.Planted {
		if got := status[[2]string{p.RuleID, p.ResourceID}]; got != finding.Fail {
			t.Errorf("planted %s on %s (%s): status %q, want FAIL", p.RuleID, p.ResourceID, p.Why, got)
		}
	}
	passes := map[string]bool{}
	for _, f := range res.Report.Findings {
		if f.Status == finding.Pass {
			passes[f.Resource.ID] = true
		}
	}
	for _, c := range exp.Clean {
		if rs := slices.DeleteFunc(slices.Clone(failsOn[c.ResourceID]), func(r string) bool {
			return slices.Contains(c.PlantedRules, r)
		}); len(rs) > 0 {
			t.Errorf("clean resource %s (%s) fails %v", c.ResourceID, c.Note, rs)
		}
		if !passes[c.ResourceID] {
			t.Errorf("clean resource %s (%s) has no PASS finding: it is missing from the inventory or no rule judges it", c.ResourceID, c.Note)
		}
	}
	// Two-sided: every FAIL is planted or listed as incidental.
	planted := map[[2]string]bool{}
	for _, p := range exp.Planted {
		planted[[2]string{p.RuleID, p.ResourceID}] = true
	}
	for _, f := range res.Report.Findings {
		if f.Status != finding.Fail || planted[[2]string{f.RuleID, f.Resource.ID}] {
			continue
		}
		incidental := false
		for _, in := range exp.Incidental {
			if in.RuleID == f.RuleID && strings.Contains(f.Resource.ID, in.ResourceIDContains) {
				incidental = true
				break
			}
		}
		if !incidental {
			t.Errorf("unexpected FAIL %s on %s: neither planted nor listed as incidental in examples/org/expected*.json", f.RuleID, f.Resource.ID)
		}
	}
	for _, r := range e.Rules() {
		// Rules of Kubernetes objects only have no resource in the sample
		// organization's cloud exports: internal/iac/kubernetes and
		// internal/iac/helm test them on manifests and charts.
		if len(r.Providers) == 1 && r.Providers[0] == resource.K8s {
			continue
		}
		// Facts no cloud export carries (EC2 user data and Azure custom
		// data; ELBv2 deletion protection, an attribute AWS Config items
		// lack; database passwords written in source code): the IaC
		// readers' tests cover these rules.
		switch r.ID {
		case "compute-user-data-secrets", "lb-deletion-protection-disabled", "database-credentials-in-source":
			continue
		}
		if !failedRules[r.ID] {
			t.Errorf("built-in rule %s fails nowhere in the sample org: plant a misconfiguration for it", r.ID)
		}
	}
	if len(exp.Planted) == 0 || len(exp.Clean) == 0 {
		t.Fatal("expected.json lists no planted or no clean resources")
	}
}

// TestSampleOrganizationAttackPaths: with the identity analysis, the
// sample organization's toxic combinations are single CRITICAL findings of
// category attack-path on the exposed resource, each naming its chain:
// the GCE NAT VM open to the internet on every port whose service account
// connects to the patients database (exposure, identity and data), the
// public Lambda running as an admin role, the public GCE VM whose service
// account reaches project owner; and the escalation paths are findings of
// category privilege-escalation on the principal. The prod bastion has a
// public IP but admits SSH from the office range only: reachability finds
// no path from the internet, so it is no attack path.
func TestSampleOrganizationAttackPaths(t *testing.T) {
	res, _ := scanSampleOrg(t, true)
	want := map[string][]string{ // exposed resource (suffix) -> what the message must name
		"zones/us-central1-a/instances/nw-nat-gw":         {"sa-etl@nw-analytics-prod", "nw-eu-patients-pg", "cloudsql.instances.connect"},
		"function:nw-dev-report-mailer":                   {"role/nw-dev-sandbox", "admin"},
		"zones/us-central1-a/instances/nw-jupyter-legacy": {"serviceAccount:418273645091-compute@developer.gserviceaccount.com", "admin"},
	}
	escalations := 0
	for _, f := range res.Report.Findings {
		switch f.RuleID {
		case "identity-privilege-escalation":
			escalations++
			if f.Category != "privilege-escalation" || f.Status != finding.Fail {
				t.Errorf("escalation finding %+v", f)
			}
		case "identity-attack-path":
			if f.Category != "attack-path" || f.Severity != finding.Critical || f.Status != finding.Fail {
				t.Errorf("attack path %s: category %s severity %s status %s", f.Resource.ID, f.Category, f.Severity, f.Status)
			}
			for suffix, names := range want {
				if strings.HasSuffix(f.Resource.ID, suffix) {
					for _, n := range names {
						if !strings.Contains(f.Message, n) {
							t.Errorf("attack path on %s does not name %s: %s", suffix, n, f.Message)
						}
					}
					delete(want, suffix)
				}
			}
		}
	}
	for suffix := range want {
		t.Errorf("no attack-path finding on %s", suffix)
	}
	for _, f := range res.Report.Findings {
		if f.RuleID == "identity-attack-path" && strings.HasSuffix(f.Resource.ID, "instance/i-0b7fe5cdbceacc2bb") {
			t.Errorf("the bastion reachable from the office range only is an attack path: %s", f.Message)
		}
	}
	if escalations == 0 {
		t.Error("no privilege-escalation finding in the sample organization")
	}
	ruled := map[string]bool{}
	for _, r := range res.Report.Rules {
		ruled[r.ID] = true
	}
	if !ruled["identity-attack-path"] || !ruled["identity-privilege-escalation"] {
		t.Error("the identity rules are not in the report's rules")
	}
}

// TestSampleOrganizationGovernance is the governance acceptance test of the
// sample organization under its policy (examples/org/governance.yaml):
// every planted residency breach (each through a replication path, in each
// cloud), unclassified data store and missing required tag is flagged, the
// residency findings name the data class, the place and the path; the
// compliant stores have no governance FAIL; every residency FAIL is
// planted; an unclassified or required-tags FAIL outside the scenario is on
// a resource that really lacks the tags; failing findings on sensitive data
// rank one severity higher; tag coverage is reported per account and owner.
func TestSampleOrganizationGovernance(t *testing.T) {
	dir := filepath.Join("..", "..", "examples", "org")
	var exp expected // governance-expected.json has the same shape
	data, err := os.ReadFile(filepath.Join(dir, "governance-expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &exp); err != nil {
		t.Fatal(err)
	}
	pol, err := governance.Load(filepath.Join(dir, "governance.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	e, err := policy.New(ctx, []policy.Source{{FS: rules.FS(), Name: "builtin", Builtin: true}}, policy.OptIn(governance.OptIn), policy.LeaveOut(pol.LeavesOut))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(ctx, e, Options{Paths: []string{dir}, Now: readExpected(t, dir).ScanTime, Governance: pol})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*resource.Resource{}
	for _, r := range res.Inventory.Resources {
		byID[r.ID] = r
	}
	fails := map[[2]string]*finding.Finding{}
	for i, f := range res.Report.Findings {
		if f.Status == finding.Fail {
			fails[[2]string{f.RuleID, f.Resource.ID}] = &res.Report.Findings[i]
		}
	}
	planted, scenario := map[[2]string]bool{}, map[string]bool{}
	breachClouds := map[string]bool{}
	for _, p := range exp.Planted {
		planted[[2]string{p.RuleID, p.ResourceID}] = true
		scenario[p.ResourceID] = true
		f := fails[[2]string{p.RuleID, p.ResourceID}]
		if f == nil {
			t.Errorf("planted %s on %s (%s): not flagged", p.RuleID, p.ResourceID, p.Why)
			continue
		}
		if strings.HasPrefix(p.RuleID, "governance-residency-breach-") {
			// The finding names the data class, the place and the path.
			for _, want := range []string{"restricted", "jurisdiction US", " via "} {
				if !strings.Contains(f.Message, want) {
					t.Errorf("residency finding on %s does not name %q: %s", p.ResourceID, want, f.Message)
				}
			}
			if !strings.Contains(f.Message, "its primary location") {
				breachClouds[p.Provider] = true // a breach through a replication path
			}
			// Restricted data: HIGH raised to CRITICAL, the rule's own kept.
			if f.Severity != finding.Critical || f.BaseSeverity != finding.High || f.DataClass == "" {
				t.Errorf("residency finding on %s: severity %s (base %s), data class %q; want CRITICAL raised from HIGH", p.ResourceID, f.Severity, f.BaseSeverity, f.DataClass)
			}
		}
	}
	for _, cloud := range []string{"aws", "azure", "gcp"} {
		if !breachClouds[cloud] {
			t.Errorf("no planted residency breach through a replication path in %s", cloud)
		}
	}
	for _, c := range exp.Clean {
		scenario[c.ResourceID] = true
		if byID[c.ResourceID] == nil {
			t.Errorf("clean resource %s (%s) is not in the inventory", c.ResourceID, c.Note)
		}
	}
	for k := range fails {
		rule, id := k[0], k[1]
		if !strings.HasPrefix(rule, "governance-") || planted[k] {
			continue
		}
		r := byID[id]
		switch {
		case scenario[id] || strings.HasPrefix(rule, "governance-residency-breach-"):
			t.Errorf("unexpected governance FAIL %s on %s", rule, id)
		case strings.HasPrefix(rule, "governance-unclassified-"):
			if hasTag(r, "dataclassification") {
				t.Errorf("%s on %s, which carries a data-classification tag %v", rule, id, r.Tags)
			}
		case strings.HasPrefix(rule, "governance-required-tags-"):
			if hasTag(r, "owner") && hasTag(r, "costcenter") && hasTag(r, "dataclassification") {
				t.Errorf("%s on %s, which carries every required tag %v", rule, id, r.Tags)
			}
		}
	}
	cov := res.Report.Summary.Tagging
	if cov == nil || cov.Total.Resources == 0 || len(cov.ByAccount) < 4 || len(cov.ByOwner) < 2 {
		t.Fatalf("tag coverage = %+v, want totals, the four accounts and several owners", cov)
	}
	sum := 0
	for _, a := range cov.ByAccount {
		sum += a.Resources
	}
	if sum != cov.Total.Resources || cov.Total.Compliant == 0 || cov.Total.Compliant == cov.Total.Resources {
		t.Errorf("tag coverage total %+v, accounts sum to %d", cov.Total, sum)
	}
}

// hasTag reports whether r carries a tag whose key, letters and digits
// only and lower-cased, is key (case-insensitively).
func hasTag(r *resource.Resource, key string) bool {
	for k := range r.Tags {
		var b strings.Builder
		for _, c := range strings.ToLower(k) {
			if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
				b.WriteRune(c)
			}
		}
		if strings.EqualFold(b.String(), key) {
			return true
		}
	}
	return false
}

// TestSampleOrganizationSharedAzureRBAC: the identity analysis takes the
// Azure RBAC evaluator the inventory's derivation built (for
// identity.vm_access) rather than building another, and finds what it
// finds with one of its own, once the rules have run over the inventory.
func TestSampleOrganizationSharedAzureRBAC(t *testing.T) {
	res, _ := scanSampleOrg(t, false)
	ctx := context.Background()
	ev := res.Inventory.AzureRBAC()
	if ev == nil {
		t.Fatal("the derivation built no Azure RBAC evaluator: the sample organization has Azure VMs, users and role assignments")
	}
	g, err := graph.Build(ctx, res.Inventory.Resources, graph.Options{AzureEvaluator: ev})
	if err != nil {
		t.Fatal(err)
	}
	if g.Azure != ev {
		t.Error("the graph built an Azure evaluator of its own")
	}
	shared, err := escalate.ScanWith(ctx, res.Inventory.Resources, graph.Options{AzureEvaluator: ev})
	if err != nil {
		t.Fatal(err)
	}
	own, err := escalate.Scan(ctx, res.Inventory.Resources)
	if err != nil {
		t.Fatal(err)
	}
	if len(own) == 0 {
		t.Fatal("no identity finding in the sample organization")
	}
	if !reflect.DeepEqual(shared, own) {
		t.Errorf("identity findings with the derivation's evaluator differ from a fresh one's: %d against %d", len(shared), len(own))
	}
}

// scanSampleOrg scans the sample organization with the built-in rules at
// its expected scan time (with the identity analysis when identity).
func scanSampleOrg(t *testing.T, identity bool) (*Result, expected) {
	t.Helper()
	dir := filepath.Join("..", "..", "examples", "org")
	exp := readExpected(t, dir)
	ctx := context.Background()
	e, err := policy.New(ctx, []policy.Source{{FS: rules.FS(), Name: "builtin", Builtin: true}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(ctx, e, Options{Paths: []string{dir}, Now: exp.ScanTime, Identity: identity})
	if err != nil {
		t.Fatal(err)
	}
	return res, exp
}
