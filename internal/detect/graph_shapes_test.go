package detect

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/logs"
	"github.com/vigil-sec/vigil/internal/ocsf"
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

// toAuditLogsRow turns an Entra ID audit diagnostic record into a row of
// the Log Analytics AuditLogs table: the properties as PascalCase columns
// (their contents keep the Graph names), OperationName, TimeGenerated,
// Category the directory category, Type AuditLogs. "" for other events.
func toAuditLogsRow(t *testing.T, ev string) string {
	var rec map[string]any
	if err := json.Unmarshal([]byte(ev), &rec); err != nil || rec["category"] != "AuditLogs" {
		return ""
	}
	props, ok := rec["properties"].(map[string]any)
	if !ok {
		return ""
	}
	out := map[string]any{"TenantId": "e1d2c3b4-a596-4877-8899-aabbccddeeff", "TimeGenerated": rec["time"],
		"OperationName": rec["operationName"], "Type": "AuditLogs"}
	for k, v := range props {
		out[strings.ToUpper(k[:1])+k[1:]] = v
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
	for _, c := range append(append(append(accuracyCases(), recallCases()...), azureResourceCases()...), identityCases()...) {
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
	checked, alerted, rows := 0, 0, 0
	for _, g := range groups {
		var bare, la, ps []string
		for _, ev := range g {
			if b := toGraph(t, ev); b != "" {
				bare = append(bare, b)
				ps = append(ps, toPowerShell(t, b))
			}
			if r := toAuditLogsRow(t, ev); r != "" {
				la = append(la, r)
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
		if got := titles(runWithTuning(t, NoTuning(), ps)); !slices.Equal(got, want) {
			t.Errorf("Graph PowerShell objects raised %v, the records %v:\n%s", got, want, strings.Join(ps, "\n"))
		}
		if len(la) == len(g) {
			rows++
			if got := titles(runWithTuning(t, NoTuning(), la)); !slices.Equal(got, want) {
				t.Errorf("Log Analytics AuditLogs rows raised %v, the records %v:\n%s", got, want, strings.Join(la, "\n"))
			}
		}
	}
	t.Logf("%d Entra ID groups read as bare Graph objects and as Graph PowerShell output, %d of them alerting; %d audit groups as AuditLogs rows", checked, alerted, rows)
	if checked < 20 || alerted < 20 || rows < 10 {
		t.Errorf("%d Entra ID groups checked, %d alerting: want at least 20 of each", checked, alerted)
	}
}

// toPowerShell writes a bare Graph object as Microsoft Graph PowerShell's
// ConvertTo-Json does (-Depth large enough): PascalCase property names
// (IPAddress for ipAddress), an AdditionalProperties member on every
// object.
func toPowerShell(t *testing.T, bare string) string {
	var v any
	if err := json.Unmarshal([]byte(bare), &v); err != nil {
		t.Fatal(err)
	}
	var conv func(any) any
	conv = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			out := map[string]any{"AdditionalProperties": map[string]any{}}
			for k, val := range x {
				name := strings.ToUpper(k[:1]) + k[1:]
				if k == "ipAddress" {
					name = "IPAddress"
				}
				out[name] = conv(val)
			}
			return out
		case []any:
			for i := range x {
				x[i] = conv(x[i])
			}
		}
		return v
	}
	b, err := json.Marshal(conv(v))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
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

// laSignIn is a row of the Log Analytics SigninLogs table (query results,
// data export): the signIn fields as PascalCase columns, Status and
// LocationDetails dynamic, TenantId the workspace.
func laSignIn(min int, upn, ip string, errorCode int) string {
	return fmt.Sprintf(`{"TenantId":"e1d2c3b4-a596-4877-8899-aabbccddeeff","TimeGenerated":"2024-03-14T09:%02d:30.0000000Z","OperationName":"Sign-in activity","Category":"SignInLogs","ResultType":"%d","ResultDescription":"Invalid username or password","CreatedDateTime":"2024-03-14T09:%02d:30.0000000Z","UserPrincipalName":%q,"UserDisplayName":"User","UserId":"1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d","AppId":"4765445b-32c6-49b0-83e6-1d93765276ca","AppDisplayName":"OfficeHome","IPAddress":%q,"ClientAppUsed":"Browser","IsInteractive":true,"Status":{"errorCode":%d,"failureReason":"Invalid username or password"},"LocationDetails":{"city":"Amsterdam","state":"Noord-Holland","countryOrRegion":"NL"},"Type":"SigninLogs"}`,
		min%60, errorCode, min%60, upn, ip, errorCode)
}

// TestLogAnalyticsSignInRows: SigninLogs rows read as Entra ID sign-ins:
// normalized with their user, address, outcome and place, and a password
// spray across them (12 accounts, one address) alerts as it does on the
// diagnostic records; the same rows for one account do not.
func TestLogAnalyticsSignInRows(t *testing.T) {
	const spray = "Entra ID Password Spray From One Address"
	var rows, oneUser []string
	for i := range 12 {
		rows = append(rows, laSignIn(i, fmt.Sprintf("user%02d@contoso.example", i), "198.51.100.7", 50126))
		oneUser = append(oneUser, laSignIn(i, "user00@contoso.example", "198.51.100.7", 50126))
	}
	if n := len(alertsOf(runWithTuning(t, NoTuning(), rows), spray)); n != 1 {
		t.Errorf("spray over SigninLogs rows: %d alerts, want 1", n)
	}
	if n := len(alertsOf(runWithTuning(t, NoTuning(), oneUser), spray)); n != 0 {
		t.Errorf("one account's failures: %d spray alerts, want 0", n)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "signin.jsonl"), []byte(rows[0]+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := logs.Walk(context.Background(), []string{dir}, func(r logs.Record) error {
		ev, err := logs.Normalize(r)
		if err != nil {
			return err
		}
		a, ok := ev.(*ocsf.Authentication)
		if !ok || r.Source != logs.AzureSignIn {
			t.Fatalf("%s read as %T", r.Source, ev)
		}
		if a.User == nil || a.User.Name != "user00@contoso.example" || a.StatusID != ocsf.StatusFailure || a.StatusCode != "50126" ||
			a.SrcEndpoint == nil || a.SrcEndpoint.IP != "198.51.100.7" || a.SrcEndpoint.Location == nil || a.SrcEndpoint.Location.City != "Amsterdam" {
			t.Errorf("normalized row: %+v", a.Base)
		}
		return nil
	}, func(ie logs.InputError) { t.Errorf("%v", ie) })
	if err != nil {
		t.Fatal(err)
	}
}
