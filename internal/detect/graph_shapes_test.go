package detect

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/logs"
)

// toGraph turns an Entra ID diagnostic record (SignInLogs,
// NonInteractiveUserSignInLogs or AuditLogs) into the bare Microsoft Graph
// object GET /auditLogs/signIns or /auditLogs/directoryAudits returns: its
// properties at the top level, no envelope. "" when ev is not such a record.
func toGraph(t *testing.T, ev string) string {
	var rec map[string]any
	if err := json.Unmarshal([]byte(ev), &rec); err != nil {
		return ""
	}
	props, ok := rec["properties"].(map[string]any)
	if !ok {
		return ""
	}
	out := map[string]any{}
	for k, v := range props {
		out[k] = v
	}
	switch rec["category"] {
	case "SignInLogs", "NonInteractiveUserSignInLogs":
		if _, ok := out["createdDateTime"]; !ok {
			out["createdDateTime"] = rec["time"]
		}
	case "AuditLogs":
		if _, ok := out["activityDateTime"]; !ok {
			out["activityDateTime"] = rec["time"]
		}
		if _, ok := out["activityDisplayName"]; !ok {
			out["activityDisplayName"] = rec["operationName"]
		}
	default:
		return ""
	}
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// titles returns the sorted titles of alerts.
func titles(as []*Alert) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Rule.Title)
	}
	slices.Sort(out)
	return out
}

// TestGraphBareObjectsAlert: every Entra ID sign-in and audit event of the
// built-in packs' cases, and every case sequence of them, read as the bare
// Microsoft Graph objects the Graph API returns, raises the same alerts as
// the diagnostic record it came from (no tuning) — and the records do
// raise some.
func TestGraphBareObjectsAlert(t *testing.T) {
	var groups [][]string
	for _, c := range append(append(accuracyCases(), recallCases()...), azureResourceCases()...) {
		for _, ev := range c.attack {
			groups = append(groups, []string{ev})
		}
		if len(c.sequence) > 0 {
			groups = append(groups, c.sequence)
		}
	}
	for _, c := range append(packCases(), olderCases()...) {
		for _, ev := range c.attack {
			groups = append(groups, []string{ev})
		}
	}
	for _, c := range append(append(broadCases(), coverageCases()...), workspaceCases()...) {
		groups = append(groups, []string{c.match})
	}
	checked, alerted := 0, 0
	for _, g := range groups {
		var bare []string
		for _, ev := range g {
			if b := toGraph(t, ev); b != "" {
				bare = append(bare, b)
			}
		}
		if len(bare) != len(g) {
			continue
		}
		checked++
		want := titles(runWithTuning(t, NoTuning(), g))
		got := titles(runWithTuning(t, NoTuning(), bare))
		if len(want) > 0 {
			alerted++
		}
		if !slices.Equal(got, want) {
			t.Errorf("bare Graph objects raised %v, the records %v:\n%s", got, want, strings.Join(bare, "\n"))
		}
	}
	t.Logf("%d Entra ID groups read as bare Graph objects, %d of them alerting", checked, alerted)
	if checked < 20 || alerted < 20 {
		t.Errorf("%d Entra ID groups checked, %d alerting: want at least 20 of each", checked, alerted)
	}
}

// TestGraphPageRead: a Graph API page ({"@odata.context":...,"value":[...],
// "@odata.nextLink":...}) of signIn and of directoryAudit objects is read
// as Entra ID sign-in and audit events, with their times.
func TestGraphPageRead(t *testing.T) {
	signIn := toGraph(t, signIn(5, "cfo@contoso.example", "198.51.100.7", 50126))
	audit := toGraph(t, entraOp("Add member to role", "success"))
	dir := t.TempDir()
	for name, page := range map[string]string{
		"signins.json": `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns","value":[` + signIn + `,` + signIn + `],"@odata.nextLink":"https://graph.microsoft.com/v1.0/auditLogs/signIns?$skiptoken=x"}`,
		"audits.json":  `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#auditLogs/directoryAudits","value":[` + audit + `]}`,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(page), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	got := map[logs.Source]int{}
	err := logs.Walk(context.Background(), []string{dir}, func(r logs.Record) error {
		got[r.Source]++
		if r.Time.IsZero() {
			t.Errorf("%s: no event time", r.Source)
		}
		return nil
	}, func(ie logs.InputError) { t.Errorf("%v", ie) })
	if err != nil {
		t.Fatal(err)
	}
	if got[logs.AzureSignIn] != 2 || got[logs.AzureAudit] != 1 || len(got) != 2 {
		t.Errorf("sources %v, want 2 sign-ins and 1 audit event", got)
	}
}
