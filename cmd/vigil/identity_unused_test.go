package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

const unusedLogs = "../../internal/identity/unused/testdata/logs"

// ingestUnusedLogs runs vigil logs ingest of the hand-written logs into a
// new lake and returns its directory.
func ingestUnusedLogs(t *testing.T) string {
	t.Helper()
	lake := filepath.Join(t.TempDir(), "lake")
	if code, out := runCLI(t, "logs", "ingest", "--lake", lake, unusedLogs); code != 0 {
		t.Fatalf("ingest: exit %d\n%s", code, out)
	}
	return lake
}

// vigil logs ingest, then vigil identity unused over the sample
// organization: text and JSON, and the errors that must not read as
// "everyone unused".
func TestIdentityUnused(t *testing.T) {
	lake := ingestUnusedLogs(t)
	code, out, errs := runIdentity(t, "unused", "--lake", lake, "--now", "2026-11-25", sampleOrg)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{
		"logs cover: 2026-11-10 09:00Z .. 2026-11-21 11:00Z",
		"arn:aws:iam::111122223333:user/frank.osei  aws_user  last used 2026-03-01 07:00Z (before the window)",
		"arn:aws:iam::111122223333:user/dave.martin  admin of admin:aws-account/111122223333  only read in the window",
		"arn:aws:iam::111122223333:user/alice.nguyen  granted ",
		"AWS apigateway.amazonaws.com GetRestApis  1 calls",
		"AWS arn:aws:iam::111122223333:user/ghost.user",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errs, "Azure 3c9a7e21-6d4f-4b8a-a1e5-0f2d9c7b8e46 has no logs in the window") {
		t.Errorf("stderr does not name the tenant without logs: %s", errs)
	}

	code, out, errs = runIdentity(t, "unused", "--lake", lake, "--now", "2026-11-25", "--since", "2w", "--format", "json", sampleOrg)
	var rep struct {
		Window     struct{ Start, End string }
		Principals []struct{ ID, Status string }
	}
	if err := json.Unmarshal([]byte(out), &rep); code != 0 || err != nil {
		t.Fatalf("exit %d, %v\n%s\n%s", code, err, out, errs)
	}
	if rep.Window.Start != "2026-11-11T00:00:00Z" || rep.Window.End != "2026-11-25T00:00:00Z" {
		t.Errorf("window %+v", rep.Window)
	}
	status := map[string]string{}
	for _, p := range rep.Principals {
		status[p.ID] = p.Status
	}
	// dave.martin acted on 10 November, before a two-week window.
	if status["arn:aws:iam::111122223333:user/dave.martin"] != "unused" || status["arn:aws:iam::111122223333:user/alice.nguyen"] != "used" {
		t.Errorf("statuses: dave %q, alice %q", status["arn:aws:iam::111122223333:user/dave.martin"], status["arn:aws:iam::111122223333:user/alice.nguyen"])
	}

	// No lake, an empty lake, a window with no logs, a bad --since: exit 2
	// with the reason.
	empty := filepath.Join(t.TempDir(), "empty")
	if code, out := runCLI(t, "logs", "ingest", "--lake", empty, filepath.Join(t.TempDir())); code != 0 {
		t.Fatalf("ingest of nothing: exit %d %s", code, out)
	}
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--lake", filepath.Join(t.TempDir(), "none")}, "no lake at"},
		{[]string{"--lake", empty}, "holds no event"},
		{[]string{"--lake", lake, "--now", "2026-06-01"}, "the lake holds AWS 111122223333"},
		{[]string{"--lake", lake, "--since", "soon"}, "--since"},
	} {
		code, out, errs := runIdentity(t, append(append([]string{"unused"}, c.args...), sampleOrg)...)
		if code != 2 || !strings.Contains(errs, c.msg) || out != "" {
			t.Errorf("%v: exit %d, stderr %q, stdout %q; want 2 and %q", c.args, code, errs, out, c.msg)
		}
	}
}

// vigil scan --lake adds the two rules' findings: FAIL for the unused,
// PASS for the used, UNKNOWN where the accounts have no logs.
func TestScanLakeUnusedFindings(t *testing.T) {
	lake := ingestUnusedLogs(t)
	code, out, errs := runCLI2(t, "scan", sampleOrg, "--lake", lake, "--now", "2026-11-25", "--rule", "identity-unused-p*", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	var rep struct {
		Findings []struct {
			RuleID   string `json:"rule_id"`
			Status   string
			Severity string
			Resource struct{ ID string }
			Message  string
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range rep.Findings {
		got[f.RuleID+" "+f.Resource.ID] = f.Status + " " + f.Severity
	}
	for k, want := range map[string]string{
		"identity-unused-principal arn:aws:iam::111122223333:user/bob.okafor":                                                "FAIL MEDIUM",
		"identity-unused-principal arn:aws:iam::444455556666:user/dev-admin-shared":                                          "FAIL HIGH",
		"identity-unused-principal arn:aws:iam::111122223333:user/alice.nguyen":                                              "PASS MEDIUM",
		"identity-unused-permissions arn:aws:iam::111122223333:user/alice.nguyen":                                            "FAIL LOW",
		"identity-unused-permissions arn:aws:iam::111122223333:user/dave.martin":                                             "FAIL MEDIUM",
		"identity-unused-principal /tenants/3c9a7e21-6d4f-4b8a-a1e5-0f2d9c7b8e46/users/4e65d986-eabd-5636-88e3-0890b7fd371d": "FAIL HIGH",
	} {
		if got[k] != want {
			t.Errorf("%s: %q, want %q", k, got[k], want)
		}
	}
	unknown := 0
	for k, v := range got {
		if strings.HasPrefix(k, "identity-unused-principal ") && strings.HasPrefix(v, "UNKNOWN") {
			unknown++
		}
	}
	if unknown == 0 {
		t.Error("no UNKNOWN finding for the principals of the tenant without logs")
	}
	// A lake covering no account of the inventory fails the scan.
	if code, _, errs := runCLI2(t, "scan", sampleOrg, "--lake", filepath.Join(t.TempDir(), "none")); code != 2 || !strings.Contains(errs, "no lake at") {
		t.Errorf("scan --lake with no lake: exit %d, %s", code, errs)
	}
}
