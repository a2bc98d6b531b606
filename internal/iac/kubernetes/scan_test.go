package kubernetes_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/iac/kubernetes"
	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/rules"
	"github.com/vigil-sec/vigil/internal/scan"
	"github.com/vigil-sec/vigil/internal/source"
)

// scanManifests scans files under root through the exported seam with the
// built-in rules and returns the findings by rule and resource ID.
func scanManifests(t *testing.T, root string, files []string) map[string]finding.Finding {
	t.Helper()
	ctx := context.Background()
	e, err := policy.New(ctx, []policy.Source{{FS: rules.FS(), Name: "builtin", Builtin: true}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := scan.Run(ctx, e, scan.Options{Sources: []source.Source{kubernetes.New(root, files, kubernetes.Options{})},
		Now: time.Date(2026, 11, 24, 6, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]finding.Finding{}
	for _, f := range res.Report.Findings {
		out[f.RuleID+" "+f.Resource.ID] = f
	}
	return out
}

// TestRulesOnManifests scans the fixtures with the built-in rules: the
// misconfigured manifests FAIL the rules of their concerns, at their
// location; the hardened ones FAIL none but the rules they knowingly break;
// a field the reader could not read is UNKNOWN.
func TestRulesOnManifests(t *testing.T) {
	root := filepath.Join("testdata", "manifests")
	got := scanManifests(t, root, []string{"bad.yaml", "broken.yaml", "good.yaml", "list.json", "serviceaccount.yaml", "windows.yaml"})
	const web, role, bind, svc = "bad.yaml:Deployment/shop/web", "bad.yaml:ClusterRole//everything", "bad.yaml:ClusterRoleBinding//ci-admin", "bad.yaml:Service/shop/web"
	for _, k := range []string{
		"k8s-host-network " + web, "k8s-host-pid " + web, "k8s-privileged-container " + web, "k8s-capabilities-baseline " + web,
		"k8s-capabilities-added " + web, "k8s-sys-admin-capability " + web, "k8s-host-path-volume " + web, "k8s-docker-socket-mounted " + web,
		"k8s-host-ports " + web, "k8s-apparmor-not-default " + web, "k8s-selinux-custom " + web, "k8s-proc-mount-unmasked " + web,
		"k8s-seccomp-baseline " + web, "k8s-unsafe-sysctls " + web, "k8s-volume-types-restricted " + web, "k8s-privilege-escalation " + web,
		"k8s-run-as-non-root " + web, "k8s-run-as-root-user " + web, "k8s-seccomp-not-restricted " + web, "k8s-capabilities-restricted " + web,
		"k8s-root-filesystem-writable " + web, "k8s-image-tag-latest " + web, "k8s-image-no-digest " + web, "k8s-cpu-limit-missing " + web,
		"k8s-memory-limit-missing " + web, "k8s-cpu-request-missing " + web, "k8s-memory-request-missing " + web,
		"k8s-liveness-probe-missing " + web, "k8s-readiness-probe-missing " + web, "k8s-service-account-token-automount " + web,
		"k8s-default-service-account " + web, "k8s-env-hardcoded-secret " + web, "k8s-default-namespace bad.yaml:CronJob/default/report",
		"k8s-host-ipc list.json:Pod/ops/debug",
		"k8s-rbac-wildcard " + role, "k8s-rbac-escalation-verbs " + role, "k8s-rbac-secrets-read " + role, "k8s-rbac-pods-exec " + role,
		"k8s-rbac-nodes-proxy " + role, "k8s-rbac-create-pods " + role, "k8s-rbac-create-persistent-volumes " + role,
		"k8s-rbac-approve-csr " + role, "k8s-rbac-webhook-config " + role, "k8s-rbac-create-token " + role,
		"k8s-binding-cluster-admin " + bind, "k8s-binding-anonymous " + bind,
		"k8s-service-load-balancer " + svc, "k8s-service-external-ips " + svc, "k8s-service-node-port broken.yaml:Service//first",
		"k8s-namespace-no-default-deny bad.yaml:Namespace//shop", "k8s-namespace-pss-not-enforced bad.yaml:Namespace//shop",
	} {
		f, ok := got[k]
		if !ok || f.Status != finding.Fail {
			t.Errorf("%s: %s, want FAIL", k, f.Status)
			continue
		}
		if loc := f.Resource.Location; loc == nil || loc.File == "" || loc.StartLine == 0 || loc.Address == "" {
			t.Errorf("%s: location %+v", k, loc)
		}
	}
	// The Job leaves the token to its ServiceAccount, which does not mount
	// it; the Pod mounts it whatever its account says.
	if f := got["k8s-service-account-token-automount serviceaccount.yaml:Job/ci/build"]; f.Status != finding.Pass {
		t.Errorf("Job whose ServiceAccount does not mount the token: %s, want PASS", f.Status)
	}
	if f := got["k8s-service-account-token-automount serviceaccount.yaml:Pod/ci/debug"]; f.Status != finding.Fail {
		t.Errorf("Pod mounting the token: %s, want FAIL", f.Status)
	}
	// A Windows pod is outside the Linux-only controls, not outside the others.
	const iis = "windows.yaml:Pod/web/iis"
	for _, id := range []string{"k8s-privilege-escalation", "k8s-seccomp-not-restricted", "k8s-capabilities-restricted"} {
		if f, ok := got[id+" "+iis]; ok {
			t.Errorf("%s judges a Windows pod: %s", id, f.Status)
		}
	}
	if f := got["k8s-run-as-non-root "+iis]; f.Status != finding.Pass {
		t.Errorf("k8s-run-as-non-root on the Windows pod: %s, want PASS", f.Status)
	}
	if f := got["k8s-privileged-container list.json:Pod/ops/debug"]; f.Status != finding.Unknown {
		t.Errorf("privileged of the wrong type: %s, want UNKNOWN", f.Status)
	}
	if f := got["k8s-rbac-wildcard broken.yaml:ClusterRole//aggregated"]; f.Status != finding.Unknown {
		t.Errorf("aggregated ClusterRole: %s, want UNKNOWN", f.Status)
	}
	if f := got["k8s-privileged-container "+web]; !strings.Contains(f.Message, "setup") {
		t.Errorf("message %q does not name the container", f.Message)
	}
	// The hardened manifests break no control but the CIS advice not to add
	// capabilities (it adds NET_BIND_SERVICE, which the restricted profile allows).
	known := []string{"k8s-capabilities-added"}
	pass := 0
	for k, f := range got {
		if !strings.Contains(k, " good.yaml:") {
			continue
		}
		if f.Status == finding.Fail && !slices.Contains(known, f.RuleID) {
			t.Errorf("%s: FAIL on the hardened manifest: %s", k, f.Message)
		}
		if f.Status == finding.Pass {
			pass++
		}
	}
	if pass < 40 {
		t.Errorf("only %d PASS findings on the hardened manifests", pass)
	}
}

// corpusDir finds ../shared/corpus/iac-examples/trivy-checks/kubernetes
// walking up from the package directory.
func corpusDir(t *testing.T) string {
	t.Helper()
	dir, _ := filepath.Abs(".")
	for {
		p := filepath.Join(dir, "shared", "corpus", "iac-examples", "trivy-checks", "kubernetes")
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("../shared/corpus/iac-examples/trivy-checks/kubernetes is absent: skipping the external checks")
		}
		dir = parent
	}
}

// TestExternalChecks runs the trivy-checks Kubernetes examples mapped in
// testdata/external-checks.tsv: every bad snippet FAILs the rule, no good
// one does.
func TestExternalChecks(t *testing.T) {
	corpus := corpusDir(t)
	table, err := readTable(filepath.Join("testdata", "external-checks.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	type snippet struct{ rule, file, want string }
	var snippets []snippet
	for _, row := range table {
		for _, ex := range row.examples {
			data, err := os.ReadFile(filepath.Join(corpus, ex))
			if err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Kubernetes struct{ Good, Bad []string }
			}
			if err := yaml.Unmarshal(data, &doc); err != nil {
				t.Fatalf("%s: %v", ex, err)
			}
			if len(doc.Kubernetes.Bad)+len(doc.Kubernetes.Good) == 0 {
				t.Errorf("%s has no kubernetes examples", ex)
			}
			for want, list := range map[string][]string{"bad": doc.Kubernetes.Bad, "good": doc.Kubernetes.Good} {
				for i, text := range list {
					name := fmt.Sprintf("%s-%s-%s-%d.yaml", row.rule, strings.TrimSuffix(ex, ".yaml"), want, i)
					if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
						t.Fatal(err)
					}
					snippets = append(snippets, snippet{row.rule, name, want})
				}
			}
		}
	}
	var files []string
	for _, s := range snippets {
		files = append(files, s.file)
	}
	got := scanManifests(t, dir, files)
	bad, good := 0, 0
	type tally struct{ bad, badFail, good, goodOK int }
	perRule := map[string]*tally{}
	for _, s := range snippets {
		tl := perRule[s.rule]
		if tl == nil {
			tl = &tally{}
			perRule[s.rule] = tl
		}
		if s.want == "bad" {
			tl.bad++
		} else {
			tl.good++
		}
		var statuses []string
		failed := false
		for _, f := range got {
			if f.RuleID == s.rule && f.Resource.Location != nil && f.Resource.Location.File == s.file {
				statuses = append(statuses, string(f.Status))
				failed = failed || f.Status == finding.Fail
			}
		}
		switch {
		case s.want == "bad" && !failed:
			t.Errorf("%s: bad example %s does not FAIL (%v)", s.rule, s.file, statuses)
		case s.want == "good" && failed:
			t.Errorf("%s: good example %s FAILs", s.rule, s.file)
		case s.want == "bad":
			bad++
			tl.badFail++
		default:
			good++
			tl.goodOK++
		}
	}
	var b strings.Builder
	var sum tally
	fmt.Fprintf(&b, "%-40s %-70s %8s %8s\n", "vigil rule", "trivy-checks examples", "bad FAIL", "good OK")
	for _, row := range table {
		tl := perRule[row.rule]
		fmt.Fprintf(&b, "%-40s %-70s %4d/%-3d %4d/%-3d\n", row.rule, strings.Join(row.examples, ","), tl.badFail, tl.bad, tl.goodOK, tl.good)
		sum.bad, sum.badFail, sum.good, sum.goodOK = sum.bad+tl.bad, sum.badFail+tl.badFail, sum.good+tl.good, sum.goodOK+tl.goodOK
	}
	fmt.Fprintf(&b, "%-40s %-70s %4d/%-3d %4d/%-3d\n", fmt.Sprintf("%d rules", len(table)), "", sum.badFail, sum.bad, sum.goodOK, sum.good)
	t.Logf("Kubernetes examples of trivy-checks:\n%s", b.String())
	if sum.badFail != sum.bad || sum.goodOK != sum.good || len(table) < 30 {
		t.Errorf("%d rules: %d of %d bad examples FAIL, %d of %d good ones do not", len(table), sum.badFail, sum.bad, sum.goodOK, sum.good)
	}
}

type tableRow struct {
	rule     string
	examples []string
}

func readTable(path string) ([]tableRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var rows []tableRow
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if text == "" || strings.HasPrefix(text, "#") || strings.HasPrefix(text, "rule_id\t") {
			continue
		}
		id, ex, ok := strings.Cut(text, "\t")
		if !ok {
			return nil, fmt.Errorf("%s:%d: want rule_id<TAB>examples", path, line)
		}
		rows = append(rows, tableRow{id, strings.Split(ex, ",")})
	}
	if len(rows) == 0 {
		return nil, errors.New(path + ": no rows")
	}
	return rows, sc.Err()
}
