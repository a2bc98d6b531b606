package rules

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/format"
	"github.com/open-policy-agent/opa/v1/tester"

	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/resource"
)

var update = flag.Bool("update", false, "rewrite the rules table in docs/rules.md from the rule metadata")

// ruleFile is one parsed .rego file of the built-in pack.
type ruleFile struct {
	path   string
	module *ast.Module
}

// meta is a rule's metadata as the tests use it, from policy.Rule.
type meta struct {
	file        string
	pkg         string
	title       string
	description string
	id          string
	severity    string
	category    string
	class       string
	providers   []string
	remediation string
	frameworks  map[string][]string
}

var (
	validSeverities = []string{"CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"}
	validCategories = []string{"exposure", "encryption", "logging", "identity", "resilience", "monitoring", "network", "governance"}
	validProviders  = []string{"aws", "azure", "gcp", "kubernetes"}
	validFrameworks = []string{"cis-aws-7.0", "cis-azure-6.0", "cis-gcp-5.0", "soc2", "iso27001-2022", "pci-dss-4.0",
		"hipaa", "nist-800-53-r5", "gdpr", "nist-csf-2.0", "cis-kubernetes-1.10", "pss-baseline", "pss-restricted"}
	// cisCorpus maps a CIS framework key to its control list in the shared corpus.
	cisCorpus = map[string]string{
		"cis-aws-7.0":   "cis_7.0_aws.tsv",
		"cis-azure-6.0": "cis_6.0_azure.tsv",
		"cis-gcp-5.0":   "cis_5.0_gcp.tsv",
	}
)

// catalogue is the fixed list of built-in rule IDs (the sample organization in
// examples/ plants misconfigurations keyed to them), so none may go missing.
var catalogue = []string{
	"storage-public-access", "storage-public-access-not-blocked", "storage-unencrypted",
	"storage-versioning-disabled", "storage-access-logging-disabled", "storage-insecure-transport",
	"firewall-ssh-open-to-internet", "firewall-rdp-open-to-internet", "firewall-all-ports-open-to-internet",
	"firewall-database-ports-open-to-internet", "database-public-endpoint", "database-unencrypted",
	"database-backups-disabled", "database-ssl-not-required", "database-open-to-any-ip", "key-rotation-disabled",
	"audit-logging-disabled", "compute-public-ip", "compute-disk-unencrypted", "identity-stale-access-keys",
	"identity-unused-credentials", "iam-primitive-role-broad", "iam-public-binding", "threat-detection-disabled",
	"aws-root-access-keys", "aws-root-mfa-disabled", "aws-user-console-without-mfa", "aws-user-multiple-active-keys",
	"aws-user-direct-admin", "aws-password-policy-weak", "aws-cloudtrail-not-multi-region",
	"aws-cloudtrail-log-validation-disabled", "aws-cloudtrail-not-encrypted-with-kms", "aws-ec2-imdsv1-allowed",
	"aws-default-security-group-not-restricted", "aws-vpc-flow-logs-disabled", "aws-ebs-default-encryption-disabled",
	"azure-storage-min-tls", "azure-storage-network-not-restricted", "azure-storage-soft-delete-disabled",
	"azure-keyvault-purge-protection-disabled", "azure-keyvault-public-network", "azure-keyvault-rbac-disabled",
	"azure-key-no-expiry", "azure-sql-auditing-disabled", "azure-activity-log-retention-short",
	"azure-security-contact-missing", "azure-vm-no-managed-identity", "azure-network-flow-logs-disabled",
	"gcp-default-service-account-full-access", "gcp-default-service-account-used", "gcp-service-account-admin",
	"gcp-service-account-user-managed-keys", "gcp-serial-port-enabled", "gcp-ip-forwarding-enabled",
	"gcp-shielded-vm-disabled", "gcp-bucket-uniform-access-disabled", "gcp-default-network", "gcp-kms-key-public",
	"gcp-audit-config-incomplete", "gcp-subnet-flow-logs-disabled", "azure-custom-owner-role",
}

func loadFiles(t *testing.T) []ruleFile {
	t.Helper()
	var out []ruleFile
	err := fs.WalkDir(FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") {
			return err
		}
		data, err := fs.ReadFile(FS(), p)
		if err != nil {
			return err
		}
		m, err := ast.ParseModuleWithOpts(p, string(data), ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1})
		if err != nil {
			return fmt.Errorf("parsing %s: %w", p, err)
		}
		out = append(out, ruleFile{path: p, module: m})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatal("no .rego files embedded under builtin/")
	}
	return out
}

// loadRules returns the metadata of every rule, as the engine reads it
// (internal/policy is the one reader of rule METADATA), and the test
// modules by package path.
func loadRules(t *testing.T) ([]meta, map[string]*ast.Module, []error) {
	t.Helper()
	tests := map[string]*ast.Module{}
	for _, f := range loadFilesCached(t) {
		if strings.HasSuffix(f.path, "_test.rego") {
			tests[strings.TrimPrefix(f.module.Package.Path.String(), "data.")] = f.module
		}
	}
	e, err := policy.New(context.Background(), []policy.Source{{FS: FS(), Name: "builtin", Builtin: true}}, policy.OptIn("governance"))
	if err != nil {
		return nil, tests, []error{err}
	}
	var rules []meta
	for _, r := range e.Rules() {
		m := meta{
			file: strings.TrimPrefix(r.File, "builtin/"), pkg: strings.TrimPrefix(r.Package, "data."),
			title: r.Title, description: r.Description, id: r.ID, severity: string(r.Severity), category: r.Category,
			class: string(r.Class), remediation: r.Remediation, frameworks: r.Frameworks,
		}
		for _, p := range r.Providers {
			m.providers = append(m.providers, string(p))
		}
		rules = append(rules, m)
	}
	return rules, tests, nil
}

// TestRegoTests runs every *_test.rego of the pack, as `opa test` does.
func TestRegoTests(t *testing.T) {
	mods := map[string]*ast.Module{}
	for _, f := range loadFiles(t) {
		mods[f.path] = f.module
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	ch, err := tester.NewRunner().SetDefaultRegoVersion(ast.RegoV1).RaiseBuiltinErrors(true).Run(ctx, mods)
	if err != nil {
		t.Fatalf("compiling the rule pack with its tests: %v", err)
	}
	n, failed := 0, 0
	for r := range ch {
		n++
		name := r.Package + "." + r.Name
		switch {
		case r.Error != nil:
			failed++
			t.Errorf("ERROR %s (%s): %v", name, r.Location, r.Error)
		case r.Fail:
			failed++
			t.Errorf("FAIL %s (%s)", name, r.Location)
		case r.Skip:
			t.Logf("SKIP %s", name)
		}
	}
	if n == 0 {
		t.Fatal("no Rego tests were run")
	}
	t.Logf("%d Rego tests, %d failed", n, failed)
}

// TestRuleMetadata checks every rule's METADATA and that it has tests.
func TestRuleMetadata(t *testing.T) {
	rules, tests, errs := loadRules(t)
	for _, err := range errs {
		t.Error(err)
	}
	seen := map[string]string{}
	for _, m := range rules {
		t.Run(m.file, func(t *testing.T) {
			if m.id == "" {
				t.Fatal("custom.id is missing")
			}
			if prev, dup := seen[m.id]; dup {
				t.Errorf("id %q also used by %s", m.id, prev)
			}
			seen[m.id] = m.file
			under := strings.ReplaceAll(m.id, "-", "_")
			if want := "vigil.rules." + under; m.pkg != want {
				t.Errorf("package is %s, want %s", m.pkg, want)
			}
			if base := path.Base(m.file); base != under+".rego" {
				t.Errorf("file name is %s, want %s.rego", base, under)
			}
			for k, v := range map[string]string{"title": m.title, "description": m.description,
				"custom.remediation": m.remediation, "custom.category": m.category} {
				if v == "" {
					t.Errorf("%s is missing", k)
				}
			}
			if !slices.Contains(validSeverities, m.severity) {
				t.Errorf("custom.severity %q not one of %v", m.severity, validSeverities)
			}
			if !slices.Contains(validCategories, m.category) {
				t.Errorf("custom.category %q not one of %v", m.category, validCategories)
			}
			if !resource.KnownClass(resource.Class(m.class)) {
				t.Errorf("custom.class %q is not a class of internal/resource (resource.Classes)", m.class)
			}
			if len(m.providers) == 0 {
				t.Error("custom.providers is missing or empty")
			}
			for _, p := range m.providers {
				if !slices.Contains(validProviders, p) {
					t.Errorf("custom.providers: %q not one of %v", p, validProviders)
				}
			}
			if m.frameworks == nil {
				t.Error("custom.frameworks is missing")
			}
			for k, ids := range m.frameworks {
				if !slices.Contains(validFrameworks, k) {
					t.Errorf("custom.frameworks: unknown framework key %q (want one of %v)", k, validFrameworks)
				}
				if len(ids) == 0 {
					t.Errorf("custom.frameworks.%s is empty", k)
				}
				for _, id := range ids {
					if err := checkControlID(k, id); err != nil {
						t.Errorf("custom.frameworks.%s: %v", k, err)
					}
				}
				if p, ok := strings.CutPrefix(k, "cis-"); ok && !slices.ContainsFunc(m.providers, func(x string) bool { return strings.HasPrefix(p, x+"-") }) {
					t.Errorf("custom.frameworks.%s maps a cloud the rule does not cover (providers %v)", k, m.providers)
				}
			}
			checkRuleBody(t, m)
			// The cases themselves are checked through the engine by
			// TestRuleCasesThroughEngine.
			if tests[m.pkg+"_test"] == nil {
				t.Errorf("no test module in package %s_test (want %s_test.rego next to the rule)", m.pkg, under)
			}
		})
	}
}

// checkRuleBody checks the rule is in the rule contract (it defines fail,
// and neither pass nor applicable), and reads only its own class array
// under input.resources (so each rule walks one class: the engine's
// performance depends on it), except account-level lookups.
func checkRuleBody(t *testing.T, m meta) {
	t.Helper()
	var mod *ast.Module
	for _, f := range loadFilesCached(t) {
		if f.path == m.file {
			mod = f.module
		}
	}
	defined := map[string]bool{}
	for _, r := range mod.Rules {
		defined[r.Head.Name.String()] = true
		if len(r.Head.Reference) > 0 {
			defined[r.Head.Reference[0].String()] = true
		}
	}
	if !defined["fail"] {
		t.Error("rule does not define fail")
	}
	for _, n := range []string{"pass", "applicable"} {
		if defined[n] {
			t.Errorf("rule defines %q, which the rule contract no longer reads (define fail, and skip for resources the rule does not apply to)", n)
		}
	}
	prefix := ast.MustParseRef("input.resources")
	ast.WalkRefs(mod, func(r ast.Ref) bool {
		if len(r) > 2 && r.HasPrefix(prefix) {
			cls, ok := r[2].Value.(ast.String)
			if !ok {
				t.Errorf("%s: reads input.resources with a computed class (%v): iterate only input.resources.%s", r[0].Location, r, m.class)
			} else if string(cls) != m.class && string(cls) != "account" {
				t.Errorf("reads input.resources.%s but the rule's class is %s", cls, m.class)
			}
		}
		return false
	})
}

var (
	// Control ID forms of the non-CIS frameworks.
	controlForms = map[string]*regexp.Regexp{
		"soc2":           regexp.MustCompile(`^(CC([1-9])\.(\d+)|A1\.[1-3]|C1\.[12]|PI1\.[1-5]|P[1-8]\.\d)$`),
		"iso27001-2022":  regexp.MustCompile(`^A\.([5-8])\.(\d+)$`),
		"pci-dss-4.0":    regexp.MustCompile(`^(1[0-2]|[1-9])(\.\d+){1,3}$`),
		"hipaa":          regexp.MustCompile(`^164\.3(08|10|12|14|16)(\([a-zA-Z0-9]+\))*$`),
		"nist-800-53-r5": regexp.MustCompile(`^(AC|AT|AU|CA|CM|CP|IA|IR|MA|MP|PE|PL|PM|PS|PT|RA|SA|SC|SI|SR)-\d+(\(\d+\))?$`),
		// GDPR articles, with paragraph and point where the rule is that specific.
		"gdpr":         regexp.MustCompile(`^Art\.\d{1,2}(\(\d\))?(\([a-f]\))?$`),
		"nist-csf-2.0": regexp.MustCompile(`^(GV|ID|PR|DE|RS|RC)\.[A-Z]{2}-\d{2}$`),
		// CIS Kubernetes Benchmark v1.10 section 5 (Policies), the one a manifest can show.
		"cis-kubernetes-1.10": regexp.MustCompile(`^5\.[1-7]\.\d{1,2}$`),
		// Pod Security Standards controls, by their names in the standard.
		"pss-baseline":   regexp.MustCompile(`^(HostProcess|Host Namespaces|Privileged Containers|Capabilities|HostPath Volumes|Host Ports|AppArmor|SELinux|/proc Mount Type|Seccomp|Sysctls)$`),
		"pss-restricted": regexp.MustCompile(`^(Volume Types|Privilege Escalation|Running as Non-root|Running as Non-root user|Seccomp|Capabilities)$`),
	}
	// Number of criteria per SOC 2 common-criteria series (CC1.1-CC1.5, ...).
	soc2Series = map[string]int{"1": 5, "2": 3, "3": 4, "4": 2, "5": 3, "6": 8, "7": 5, "8": 1, "9": 2}
	// Number of controls per ISO/IEC 27001:2022 Annex A theme.
	isoThemes = map[string]int{"5": 37, "6": 8, "7": 14, "8": 34}
)

// checkControlID checks the form (and for SOC 2 and ISO 27001 the range) of
// a non-CIS control ID; CIS IDs are checked against the corpus.
func checkControlID(framework, id string) error {
	re := controlForms[framework]
	if re == nil {
		return nil
	}
	m := re.FindStringSubmatch(id)
	if m == nil {
		return fmt.Errorf("control %q does not look like a %s control ID", id, framework)
	}
	limit := 0
	switch framework {
	case "soc2":
		if m[2] != "" {
			limit = soc2Series[m[2]]
			if n, _ := strconv.Atoi(m[3]); n < 1 || n > limit {
				return fmt.Errorf("control %q: SOC 2 CC%s has criteria 1-%d", id, m[2], limit)
			}
		}
	case "iso27001-2022":
		limit = isoThemes[m[1]]
		if n, _ := strconv.Atoi(m[2]); n < 1 || n > limit {
			return fmt.Errorf("control %q: ISO 27001:2022 Annex A.%s has controls 1-%d", id, m[1], limit)
		}
	}
	return nil
}

func TestCheckControlID(t *testing.T) {
	for _, c := range []struct {
		fw, id string
		ok     bool
	}{
		{"soc2", "CC6.1", true}, {"soc2", "CC6.9", false}, {"soc2", "A1.2", true}, {"soc2", "6.1", false},
		{"iso27001-2022", "A.8.24", true}, {"iso27001-2022", "A.8.35", false}, {"iso27001-2022", "A.9.1", false},
		{"pci-dss-4.0", "10.2.1", true}, {"pci-dss-4.0", "13.1", false},
		{"hipaa", "164.312(a)(2)(iv)", true}, {"hipaa", "164.999", false},
		{"nist-800-53-r5", "IA-2(1)", true}, {"nist-800-53-r5", "IA2", false},
	} {
		if err := checkControlID(c.fw, c.id); (err == nil) != c.ok {
			t.Errorf("checkControlID(%s, %s) = %v, want ok=%v", c.fw, c.id, err, c.ok)
		}
	}
}

var cachedFiles []ruleFile

func loadFilesCached(t *testing.T) []ruleFile {
	if cachedFiles == nil {
		cachedFiles = loadFiles(t)
	}
	return cachedFiles
}

// TestCISControlsExist checks every CIS control ID a rule references is a
// control of the benchmark version named by its framework key.
func TestCISControlsExist(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "cis")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("CIS control lists not available (%s): %v; skipping the control ID check", dir, err)
	}
	controls := map[string]map[string]bool{}
	for key, file := range cisCorpus {
		ids, err := readControlIDs(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		controls[key] = ids
	}
	rules, _, _ := loadRules(t)
	mapped := 0
	for _, m := range rules {
		for key, ids := range m.frameworks {
			known, ok := controls[key]
			if !ok {
				continue
			}
			for _, id := range ids {
				mapped++
				if !known[id] {
					t.Errorf("%s (%s): %s control %q is not in %s", m.id, m.file, key, id, cisCorpus[key])
				}
			}
		}
	}
	if mapped == 0 {
		t.Error("no rule references a CIS control")
	}
}

func readControlIDs(file string) (map[string]bool, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ids := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		if line == 1 {
			if !strings.HasPrefix(sc.Text(), "control_id\t") {
				return nil, fmt.Errorf("%s:1: header does not start with control_id", file)
			}
			continue
		}
		id, _, _ := strings.Cut(sc.Text(), "\t")
		if id = strings.TrimSpace(id); id != "" {
			ids[id] = true
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if len(ids) == 0 {
		return nil, errors.New(file + ": no controls")
	}
	return ids, nil
}

// TestRuleCounts checks the size of the pack: at least 45 rules, at least 12
// per cloud (cross-cloud rules count for each of their providers), and that
// every catalogue ID exists.
func TestRuleCounts(t *testing.T) {
	rules, _, _ := loadRules(t)
	per := map[string]int{}
	ids := map[string]bool{}
	for _, m := range rules {
		ids[m.id] = true
		for _, p := range m.providers {
			per[p]++
		}
	}
	t.Logf("%d rules; per provider: %v", len(rules), per)
	if len(rules) < 45 {
		t.Errorf("%d rules, want at least 45", len(rules))
	}
	for _, p := range validProviders {
		if per[p] < 12 {
			t.Errorf("%d rules cover %s, want at least 12", per[p], p)
		}
	}
	for _, id := range catalogue {
		if !ids[id] {
			t.Errorf("catalogue rule %q is missing", id)
		}
	}
}

// TestRegoFormatted checks every file is in `opa fmt` form (v1 syntax);
// -update rewrites the files that are not.
func TestRegoFormatted(t *testing.T) {
	for _, f := range loadFiles(t) {
		src, err := fs.ReadFile(FS(), f.path)
		if err != nil {
			t.Fatal(err)
		}
		out, err := format.SourceWithOpts(f.path, src, format.Opts{RegoVersion: ast.RegoV1})
		if err != nil {
			t.Errorf("%s: formatting: %v", f.path, err)
			continue
		}
		if string(out) == string(src) {
			continue
		}
		if *update {
			if err := os.WriteFile(filepath.Join("builtin", filepath.FromSlash(f.path)), out, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		t.Errorf("%s is not formatted as `opa fmt` would (run go test ./internal/rules -run TestRegoFormatted -update)", f.path)
	}
}

const (
	docsFile   = "../../docs/rules.md"
	tableBegin = "<!-- BEGIN RULES TABLE (generated: go test ./internal/rules -run TestDocsRulesTable -update) -->"
	tableEnd   = "<!-- END RULES TABLE -->"
)

// rulesTable renders the Markdown table of the built-in rules.
func rulesTable(rules []meta) string {
	var b strings.Builder
	per := map[string]int{}
	for _, m := range rules {
		for _, p := range m.providers {
			per[p]++
		}
	}
	fmt.Fprintf(&b, "%d rules (AWS %d, Azure %d, GCP %d, Kubernetes %d; cross-cloud rules count for each of their clouds).\n\n",
		len(rules), per["aws"], per["azure"], per["gcp"], per["kubernetes"])
	b.WriteString("| ID | Title | Severity | Class | Providers | CIS AWS 7.0 | CIS Azure 6.0 | CIS GCP 5.0 | Other frameworks |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|\n")
	other := []struct{ key, label string }{{"soc2", "SOC 2"}, {"iso27001-2022", "ISO 27001"}, {"pci-dss-4.0", "PCI DSS"},
		{"hipaa", "HIPAA"}, {"nist-800-53-r5", "NIST"}, {"gdpr", "GDPR"}, {"nist-csf-2.0", "NIST CSF 2.0"},
		{"cis-kubernetes-1.10", "CIS Kubernetes 1.10"}, {"pss-baseline", "PSS baseline"}, {"pss-restricted", "PSS restricted"}}
	for _, m := range rules {
		var o []string
		for _, x := range other {
			if ids := m.frameworks[x.key]; len(ids) > 0 {
				o = append(o, x.label+" "+strings.Join(ids, ", "))
			}
		}
		cis := func(k string) string { return strings.Join(m.frameworks[k], ", ") }
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s | %s | %s | %s |\n", m.id, strings.ReplaceAll(m.title, "|", "\\|"),
			m.severity, m.class, strings.Join(m.providers, ", "), cis("cis-aws-7.0"), cis("cis-azure-6.0"), cis("cis-gcp-5.0"),
			strings.Join(o, "; "))
	}
	return b.String()
}

// TestDocsRulesTable checks docs/rules.md lists every rule as its metadata
// says; -update regenerates the table between the markers.
func TestDocsRulesTable(t *testing.T) {
	rules, _, errs := loadRules(t)
	if len(errs) > 0 {
		t.Fatal(errors.Join(errs...))
	}
	data, err := os.ReadFile(docsFile)
	if err != nil {
		t.Fatalf("reading %s: %v", docsFile, err)
	}
	doc := string(data)
	i, j := strings.Index(doc, tableBegin), strings.Index(doc, tableEnd)
	if i < 0 || j < i {
		t.Fatalf("%s: markers %q and %q not found in order", docsFile, tableBegin, tableEnd)
	}
	want := doc[:i+len(tableBegin)] + "\n" + rulesTable(rules) + doc[j:]
	if want == doc {
		return
	}
	if *update {
		if err := os.WriteFile(docsFile, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s: the rules table is out of date (run go test ./internal/rules -run TestDocsRulesTable -update)", docsFile)
}

// TestDocsExample loads the Rego examples of docs/rules.md ("Writing your
// own rules") as a custom pack and runs their tests as `vigil rules test`
// does, engine check included, so the documented contract stays valid.
func TestDocsExample(t *testing.T) {
	data, err := os.ReadFile(docsFile)
	if err != nil {
		t.Fatalf("reading %s: %v", docsFile, err)
	}
	pack := fstest.MapFS{}
	parts := strings.Split(string(data), "```rego\n")
	for i, p := range parts[1:] {
		src, _, ok := strings.Cut(p, "```")
		if !ok {
			t.Fatalf("%s: unterminated rego block %d", docsFile, i+1)
		}
		name := fmt.Sprintf("example%d.rego", i+1)
		m, err := ast.ParseModuleWithOpts(name, src, ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1})
		if err != nil {
			t.Fatalf("%s: rego block %d: %v", docsFile, i+1, err)
		}
		if strings.HasSuffix(m.Package.Path.String(), "_test") {
			name = fmt.Sprintf("example%d_test.rego", i+1)
		}
		pack[name] = &fstest.MapFile{Data: []byte(src)}
	}
	if len(pack) < 2 {
		t.Fatalf("%s: want a rule and a test example, found %d rego blocks", docsFile, len(pack))
	}
	rep, err := policy.RunTests(context.Background(), []policy.Source{{FS: pack, Name: "docs/rules.md"}}, false)
	if err != nil {
		t.Fatalf("loading the docs examples as a pack: %v", err)
	}
	cases := 0
	for _, r := range rep.Tests {
		cases += len(r.Cases)
		if !r.Pass {
			t.Errorf("docs example test %s failed: %s %s %+v", r.Name, r.Error, r.CaseError, r.Cases)
		}
	}
	for _, rc := range rep.Rules {
		if len(rc.Missing) > 0 {
			t.Errorf("docs example rule %s has no %v test", rc.Rule, rc.Missing)
		}
	}
	if len(rep.Tests) < 3 || cases < 3 {
		t.Errorf("ran %d docs example tests with %d engine checks, want 3 and 3", len(rep.Tests), cases)
	}
}

const (
	classesBegin = "<!-- BEGIN CLASSES TABLE (generated: go test ./internal/rules -run TestDocsClassesTable -update) -->"
	classesEnd   = "<!-- END CLASSES TABLE -->"
)

// TestDocsClassesTable checks docs/rules.md lists the classes of
// internal/resource (the one class list); -update regenerates the table.
func TestDocsClassesTable(t *testing.T) {
	data, err := os.ReadFile(docsFile)
	if err != nil {
		t.Fatalf("reading %s: %v", docsFile, err)
	}
	doc := string(data)
	i, j := strings.Index(doc, classesBegin), strings.Index(doc, classesEnd)
	if i < 0 || j < i {
		t.Fatalf("%s: markers %q and %q not found in order", docsFile, classesBegin, classesEnd)
	}
	var b strings.Builder
	b.WriteString("| Class | Facts | What it holds |\n|---|---|---|\n")
	for _, c := range resource.Classes() {
		facts := ""
		if c.FactsKey != "" {
			facts = "`facts." + c.FactsKey + "`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", c.Class, facts, strings.ReplaceAll(c.Doc, "|", "\\|"))
	}
	want := doc[:i+len(classesBegin)] + "\n" + b.String() + doc[j:]
	if want == doc {
		return
	}
	if *update {
		if err := os.WriteFile(docsFile, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s: the classes table is out of date (run go test ./internal/rules -run TestDocsClassesTable -update)", docsFile)
}
