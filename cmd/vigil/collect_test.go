package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/collect/aws/awstest"
	"github.com/vigil-sec/vigil/internal/collect/azure/azuretest"
	"github.com/vigil-sec/vigil/internal/collect/gcp/gcptest"
	"github.com/vigil-sec/vigil/internal/collect/live"
)

// startGCP serves the GCP collector's test organization on loopback, with
// one project's listing denied.
func startGCP(t *testing.T) string {
	t.Helper()
	srv, err := gcptest.Load(filepath.Join("..", "..", "internal", "collect", "gcp", "testdata", "server"))
	if err != nil {
		t.Fatal(err)
	}
	srv.Faults["ListAssets projects/200000000003 RESOURCE"] = []error{gcptest.Denied()}
	addr, stop, err := srv.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return addr
}

// TestCollectAndScanLiveGCP: vigil collect writes the exports and a
// summary naming the denied call (on stderr too); vigil scan of them and
// vigil scan --live give the same findings; a cloud named with --cloud
// that cannot be reached exits 2 with the others still scanned.
func TestCollectAndScanLiveGCP(t *testing.T) {
	addr := startGCP(t)
	out := filepath.Join(t.TempDir(), "inv")
	code, _, stderr := runCLI2(t, "collect", "--out", out, "--cloud", "gcp", "--gcp-endpoint", addr)
	if code != 0 {
		t.Fatalf("collect: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "cloudasset.assets.listResource") || !strings.Contains(stderr, "denied") {
		t.Errorf("collect stderr does not name the denied call:\n%s", stderr)
	}
	var s live.Summary
	data, err := os.ReadFile(filepath.Join(out, live.SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	if s.Calls == 0 || len(s.Failures) == 0 || len(s.Clouds) != 1 || s.Clouds[0].Error != "" {
		t.Errorf("summary: %+v", s)
	}
	code, offline, stderr := runCLI2(t, "scan", out, "--format", "json")
	if code != 0 {
		t.Fatalf("scan of the collected exports: exit %d\n%s", code, stderr)
	}
	code, online, stderr := runCLI2(t, "scan", "--live", "--cloud", "gcp", "--gcp-endpoint", addr, "--format", "json")
	if code != 0 {
		t.Fatalf("scan --live: exit %d\n%s", code, stderr)
	}
	sameFindings(t, offline, online)
	// A second collection into the same directory is allowed (it holds a
	// summary); a directory with other files is refused.
	if code, _, stderr := runCLI2(t, "collect", "--out", filepath.Join("..", "..", "examples"), "--cloud", "gcp", "--gcp-endpoint", addr); code != 2 || !strings.Contains(stderr, "other files") {
		t.Errorf("collect into a non-empty directory: exit %d\n%s", code, stderr)
	}
	// AWS named but unreachable (no credentials, endpoint refusing): exit 2, GCP still scanned.
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_REGION", "us-east-1")
	code, both, stderr := runCLI2(t, "scan", "--live", "--cloud", "gcp,aws", "--gcp-endpoint", addr, "--aws-endpoint", "http://127.0.0.1:1", "--format", "json")
	if code != 2 || !strings.Contains(stderr, "aws not collected") {
		t.Errorf("scan --live with AWS unreachable: exit %d, want 2 naming aws\n%s", code, stderr)
	}
	if countFindings(t, both) != countFindings(t, online) {
		t.Errorf("GCP was not scanned when AWS failed: %d findings, want %d", countFindings(t, both), countFindings(t, online))
	}
}

// TestCollectAndScanLiveAzure: vigil scan --live --cloud azure against the
// Azure test server (ARM, Resource Graph, Microsoft Graph and the token
// authority over HTTPS), credentials from the environment as a user gives
// them, gives the same findings as vigil scan of what vigil collect saved,
// and an Entra ID export among them.
func TestCollectAndScanLiveAzure(t *testing.T) {
	dir := filepath.Join("..", "..", "internal", "collect", "azure", "testdata", "server")
	routes, err := azuretest.LoadRoutes(dir)
	if err != nil {
		t.Fatal(err)
	}
	srv := azuretest.New(t, dir, routes)
	ca, err := srv.CAFile(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("AZURE_TENANT_ID", azuretest.TenantID)
	t.Setenv("AZURE_CLIENT_ID", azuretest.ClientID)
	t.Setenv("AZURE_CLIENT_SECRET", azuretest.ClientSecret)
	out := filepath.Join(t.TempDir(), "inv")
	flags := []string{"--cloud", "azure", "--azure-endpoint", srv.URL, "--azure-ca-file", ca, "--call-timeout", "2s"}
	code, _, stderr := runCLI2(t, append([]string{"collect", "--out", out}, flags...)...)
	if code != 0 {
		t.Fatalf("collect: exit %d\n%s", code, stderr)
	}
	if m, _ := filepath.Glob(filepath.Join(out, "azure", "entra-*.json")); len(m) != 1 {
		t.Errorf("no Entra ID export written: %v", m)
	}
	code, offline, stderr := runCLI2(t, "scan", out, "--format", "json")
	if code != 0 {
		t.Fatalf("scan of the collected exports: exit %d\n%s", code, stderr)
	}
	code, online, stderr := runCLI2(t, append([]string{"scan", "--live", "--format", "json"}, flags...)...)
	if code != 0 {
		t.Fatalf("scan --live: exit %d\n%s", code, stderr)
	}
	sameFindings(t, offline, online)
}

// TestCollectAndScanLiveAWS: vigil collect --cloud aws against the AWS
// test endpoint (an organization of two accounts, a role assumed in the
// member), credentials from the environment as a user gives them: the
// exports and organizations.json are written, and vigil scan --live gives
// the same findings as vigil scan of them.
func TestCollectAndScanLiveAWS(t *testing.T) {
	dir := filepath.Join("..", "..", "internal", "collect", "aws", "testdata")
	srv := awstest.New(dir, filepath.Join(dir, "more"))
	t.Cleanup(srv.Close)
	for k, v := range awstest.Env("111122223333") {
		t.Setenv(k, v)
	}
	flags := []string{"--cloud", "aws", "--aws-endpoint", srv.URL, "--aws-role", "VigilReadOnly", "--aws-regions", "us-east-1,eu-west-1"}
	out := filepath.Join(t.TempDir(), "inv")
	code, _, stderr := runCLI2(t, append([]string{"collect", "--out", out}, flags...)...)
	if code != 0 {
		t.Fatalf("collect: exit %d\n%s", code, stderr)
	}
	for _, want := range []string{"organizations.json", "111122223333", "444455556666"} {
		if _, err := os.Stat(filepath.Join(out, "aws", want)); err != nil {
			t.Errorf("collect wrote no aws/%s: %v", want, err)
		}
	}
	code, offline, stderr := runCLI2(t, "scan", out, "--format", "json")
	if code != 0 {
		t.Fatalf("scan of the collected exports: exit %d\n%s", code, stderr)
	}
	code, online, stderr := runCLI2(t, append([]string{"scan", "--live", "--format", "json"}, flags...)...)
	if code != 0 {
		t.Fatalf("scan --live: exit %d\n%s", code, stderr)
	}
	sameFindings(t, offline, online)
}

func countFindings(t *testing.T, out string) int {
	t.Helper()
	return len(findingKeys(t, out))
}

// findingKeys are a JSON report's findings as "rule resource status
// message" lines, sorted: what a live scan and a scan of the same
// collection saved must agree on.
func findingKeys(t *testing.T, out string) []string {
	t.Helper()
	var rep struct {
		Findings []struct {
			RuleID   string `json:"rule_id"`
			Status   string `json:"status"`
			Message  string `json:"message"`
			Resource struct {
				ID string `json:"id"`
			} `json:"resource"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not a JSON report: %v\n%.300s", err, out)
	}
	keys := make([]string, 0, len(rep.Findings))
	for _, f := range rep.Findings {
		keys = append(keys, f.RuleID+" "+f.Resource.ID+" "+f.Status+" "+f.Message)
	}
	slices.Sort(keys)
	return keys
}

// sameFindings fails the test unless the two JSON reports hold the same
// findings (live scans add the failed calls to UNKNOWN messages: those are
// compared without the "; not collected: ..." note).
func sameFindings(t *testing.T, offline, online string) {
	t.Helper()
	strip := func(ks []string) []string {
		for i, k := range ks {
			if j := strings.Index(k, "; not collected: "); j >= 0 {
				ks[i] = k[:j]
			} else if j := strings.Index(k, " not collected: "); j >= 0 {
				ks[i] = k[:j]
			}
		}
		slices.Sort(ks)
		return ks
	}
	a, b := strip(findingKeys(t, offline)), strip(findingKeys(t, online))
	if len(a) == 0 {
		t.Fatal("no findings")
	}
	if !slices.Equal(a, b) {
		t.Errorf("the live scan and the scan of the saved collection differ: %d and %d findings", len(a), len(b))
		for i := 0; i < len(a) && i < len(b); i++ {
			if a[i] != b[i] {
				t.Errorf("first difference:\n saved: %s\n live:  %s", a[i], b[i])
				break
			}
		}
	}
}
