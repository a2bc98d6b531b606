package detect

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/logs"
)

// googleServiceAgent matches the Google-managed service agents (the
// gcp-sa-* family, the Google APIs agent, the older per-product robots).
var googleServiceAgent = regexp.MustCompile(`^(service-\d+@[a-z0-9-]+(\.[a-z0-9-]+)*\.iam\.gserviceaccount\.com|\d+@cloudservices\.gserviceaccount\.com|[^@]+@container-engine-robot\.iam\.gserviceaccount\.com)$`)

// routineActor reports whether a raw audit event was made by a cloud
// service acting for the account rather than by a person or a workload's
// own credentials: an AWS service (an AWSService identity, invokedBy a
// service principal, a service-linked role), an Azure managed identity
// (its token's xms_mirid claim, a managed identity or Microsoft service
// principal sign-in), a Microsoft service through its internal built-in
// role, a Google service agent. It returns what made it.
func routineActor(raw []byte) (string, bool) {
	// Each member is decoded on its own: the sources give the same names
	// other types (a sign-in record's "identity" is a display name).
	var top map[string]json.RawMessage
	if json.Unmarshal(raw, &top) != nil {
		return "", false
	}
	var ev struct {
		UserIdentity struct {
			Type, Arn, InvokedBy string
		}
		Category string
		Identity struct {
			Claims        map[string]any `json:"claims"`
			Authorization struct {
				Evidence struct {
					PrincipalType string `json:"principalType"`
					Role          string `json:"role"`
				} `json:"evidence"`
			} `json:"authorization"`
		}
		ProtoPayload struct {
			AuthenticationInfo struct {
				PrincipalEmail string `json:"principalEmail"`
			} `json:"authenticationInfo"`
		}
	}
	_ = json.Unmarshal(top["userIdentity"], &ev.UserIdentity)
	_ = json.Unmarshal(top["category"], &ev.Category)
	_ = json.Unmarshal(top["identity"], &ev.Identity)
	_ = json.Unmarshal(top["protoPayload"], &ev.ProtoPayload)
	u := ev.UserIdentity
	switch {
	case u.Type == "AWSService":
		return "AWSService " + u.InvokedBy, true
	case strings.HasSuffix(u.InvokedBy, ".amazonaws.com"):
		return "invokedBy " + u.InvokedBy, true
	case strings.Contains(u.Arn, ":assumed-role/AWSServiceRole") || strings.Contains(u.Arn, ":role/aws-service-role/"):
		return "service-linked role", true
	case ev.Identity.Claims["xms_mirid"] != nil:
		return "managed identity", true
	case ev.Identity.Authorization.Evidence.PrincipalType == "ServicePrincipal" && strings.HasSuffix(ev.Identity.Authorization.Evidence.Role, "Service BuiltIn Role"):
		// A Microsoft service acting through its internal built-in role
		// (Event Grid reading the Event Hub keys it delivers with).
		return "Microsoft service " + ev.Identity.Authorization.Evidence.Role, true
	case ev.Category == "ManagedIdentitySignInLogs" || ev.Category == "MicrosoftServicePrincipalSignInLogs":
		return ev.Category, true
	case googleServiceAgent.MatchString(ev.ProtoPayload.AuthenticationInfo.PrincipalEmail):
		return "service agent " + ev.ProtoPayload.AuthenticationInfo.PrincipalEmail, true
	}
	return "", false
}

// TestCorpusRoutineServiceActivityQuiet runs every built-in, untuned, over
// the real audit logs of ../shared/corpus/logs and fails when an alert
// above informational rests only on events that cloud services made for
// the account (AWS services and service-linked roles, Azure managed
// identities and Microsoft service principals, Google service agents):
// routine service activity must not depend on the default tuning's
// allow-list to stay quiet. It also fails when the corpus holds too few
// such events for the check to mean anything.
func TestCorpusRoutineServiceActivityQuiet(t *testing.T) {
	root := corpus(t, "logs")
	kinds := map[string]int{}
	n := 0
	if err := logs.Walk(context.Background(), []string{root}, func(r logs.Record) error {
		if k, ok := routineActor(r.Raw); ok {
			kinds[strings.Fields(k)[0]]++
			n++
		}
		return nil
	}, nil); err != nil {
		t.Fatal(err)
	}
	if n < 150 || len(kinds) < 3 {
		t.Fatalf("only %d events made by cloud services in the corpus (%v), want at least 150 of at least three kinds", n, kinds)
	}
	t.Logf("%d events made by cloud services: %v", n, kinds)
	eng, err := New(context.Background(), Config{Tuning: NoTuning(), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	sink := &collectSink{}
	if err := eng.Run(context.Background(), []string{root}, sink, RunOptions{Workers: 1}); err != nil {
		t.Fatal(err)
	}
	alerted := 0
	for _, a := range sink.alerts {
		if a.Level <= LevelInformational {
			continue
		}
		alerted++
		var who []string
		for _, ev := range a.Events {
			k, ok := routineActor(ev.Record.Raw)
			if !ok {
				who = nil
				break
			}
			who = append(who, k)
		}
		if len(who) > 0 {
			t.Errorf("%q (%v) raised on routine service activity only: %v", a.Rule.Title, a.Level, who)
		}
	}
	if alerted == 0 {
		t.Fatal("no alert above informational on the corpus: the built-ins did not run")
	}
}

// asServiceAgent rewrites an AWS or GCP event as made by the cloud's own
// service for the account: a service-linked role session invoked by its
// service (AWS), a Google-managed service agent (GCP). Other events are
// returned empty.
func asServiceAgent(t *testing.T, ev string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(ev), &m); err != nil {
		t.Fatalf("case event: %v", err)
	}
	switch {
	case m["eventSource"] != nil:
		m["userIdentity"] = map[string]any{
			"type":        "AssumedRole",
			"principalId": "AROA3EXAMPLESLR00001:AutoScaling",
			"arn":         "arn:aws:sts::111122223333:assumed-role/AWSServiceRoleForAutoScaling/AutoScaling",
			"accountId":   "111122223333",
			"invokedBy":   "autoscaling.amazonaws.com",
			"sessionContext": map[string]any{"sessionIssuer": map[string]any{
				"type": "Role", "principalId": "AROA3EXAMPLESLR00001", "accountId": "111122223333", "userName": "AWSServiceRoleForAutoScaling",
				"arn": "arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
			}},
		}
		m["sourceIPAddress"] = "autoscaling.amazonaws.com"
		m["userAgent"] = "autoscaling.amazonaws.com"
	case m["protoPayload"] != nil:
		pp, _ := m["protoPayload"].(map[string]any)
		if pp == nil {
			return ""
		}
		pp["authenticationInfo"] = map[string]any{"principalEmail": "service-482193745210@compute-system.iam.gserviceaccount.com"}
	case m["auditID"] != nil:
		// Kubernetes: a kube-system controller (the control plane's own
		// service account).
		m["user"] = map[string]any{"username": "system:serviceaccount:kube-system:generic-garbage-collector", "groups": []any{"system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"}}
	default:
		return ""
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestServiceAgentsQuietByDefault: the attack event of every single-event
// case of the built-in packs, made instead by an AWS service-linked role
// (invoked by its service) or a Google service agent, raises no alert
// above informational with the default tuning: routine service activity
// looks like the attack by operation, never by actor.
func TestServiceAgentsQuietByDefault(t *testing.T) {
	var events []string
	for _, c := range append(broadCases(), coverageCases()...) {
		events = append(events, c.match)
	}
	for _, c := range append(packCases(), olderCases()...) {
		events = append(events, c.attack...)
	}
	for _, c := range append(append(append(append(append(append(append(accuracyCases(), recallCases()...), azureResourceCases()...), stratusCases()...), identityCases()...), exposureCases()...), gkeCases()...), k8sCases()...) {
		events = append(events, c.attack...)
	}
	n := 0
	for _, ev := range events {
		sa := asServiceAgent(t, ev)
		if sa == "" {
			continue
		}
		n++
		for _, a := range runWithTuning(t, DefaultTuning(), []string{sa}) {
			if a.Level > LevelInformational {
				t.Errorf("%q raised at %v on a service agent's event: %s", a.Rule.Title, a.Level, sa)
			}
		}
	}
	if n < 200 {
		t.Fatalf("only %d AWS and GCP attack events rewritten, want at least 200", n)
	}
	t.Logf("%d attack events rewritten as made by a service agent", n)
}

// m365SystemAccount rewrites a Microsoft 365 Exchange, SharePoint or
// OneDrive record as made by the workload's own system account (Exchange
// Online's service host, SharePoint's system account), as the unified
// audit log writes provisioning and housekeeping done by Microsoft 365
// itself. Other records (Entra ID, Defender alerts, Purview) are returned
// empty.
func m365SystemAccount(t *testing.T, ev string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(ev), &m); err != nil {
		t.Fatalf("case event: %v", err)
	}
	var who string
	switch m["Workload"] {
	case "Exchange":
		who = `NT AUTHORITY\SYSTEM (Microsoft.Exchange.ServiceHost)`
	case "SharePoint", "OneDrive":
		who = `SHAREPOINT\system`
	default:
		return ""
	}
	m["UserId"], m["UserKey"] = who, who
	m["UserType"] = 4 // System
	delete(m, "ClientIP")
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestM365SystemAccountsQuietByDefault: the attack events of the built-in
// Microsoft 365 cases, made instead by Exchange Online's or SharePoint's own
// system account (mailbox permissions granted at provisioning, files read by
// the service), raise nothing above informational with the default tuning,
// while without it they alert as before (the rewrite keeps what the rules
// match), and a user's record alerts with the default tuning.
func TestM365SystemAccountsQuietByDefault(t *testing.T) {
	var events []string
	for _, c := range append(broadCases(), coverageCases()...) {
		events = append(events, c.match)
	}
	for _, c := range append(packCases(), olderCases()...) {
		events = append(events, c.attack...)
	}
	for _, c := range append(append(accuracyCases(), identityCases()...), recallCases()...) {
		events = append(events, c.attack...)
	}
	n, untuned := 0, 0
	for _, ev := range events {
		sys := m365SystemAccount(t, ev)
		if sys == "" {
			continue
		}
		n++
		for _, a := range runWithTuning(t, NoTuning(), []string{sys}) {
			if a.Level > LevelInformational {
				untuned++
			}
		}
		for _, a := range runWithTuning(t, DefaultTuning(), []string{sys}) {
			if a.Level > LevelInformational {
				t.Errorf("%q raised at %v on a Microsoft 365 system account's record: %s", a.Rule.Title, a.Level, sys)
			}
		}
	}
	if n < 20 || untuned < 15 {
		t.Fatalf("%d Microsoft 365 records rewritten, %d alerts without tuning: want at least 20 and 15", n, untuned)
	}
	t.Logf("%d Microsoft 365 records rewritten as made by a system account (%d alerts without tuning)", n, untuned)
	// A user's Add-MailboxPermission still alerts with the default tuning.
	user := m365Op(3, "Add-MailboxPermission", `[{"Name":"Identity","Value":"ceo@contoso.example"},{"Name":"User","Value":"mallory@contoso.example"},{"Name":"AccessRights","Value":"FullAccess"}]`, "True")
	if len(runWithTuning(t, DefaultTuning(), []string{user})) == 0 {
		t.Errorf("no alert with the default tuning on %s", user)
	}
}

// TestM365SystemAccountsPerTenant: the Microsoft 365 system-account
// allow-list is tunable per tenant. A tuning that extends the default,
// drops its global system-account entries (remove_identities) and allows
// them again for one tenant only (an allow_identities mapping with
// accounts: the records' OrganizationId) keeps that tenant's system
// records quiet and alerts on another tenant's; the default alone keeps
// both quiet. An entry limited to accounts does not allow the same
// identity elsewhere, nor another identity in that account.
func TestM365SystemAccountsPerTenant(t *testing.T) {
	const quiet, loud = "4b2d7c1e-9f3a-4e8b-a6d5-0c1f2e3d4a5b", "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"
	tn, err := ParseTuning("tenant.yml", []byte(`extends: default
remove_identities: ['NT AUTHORITY\\SYSTEM', 'NT AUTHORITY\\SYSTEM (*)', 'SHAREPOINT\\system']
allow_identities:
  - identity: 'NT AUTHORITY\\SYSTEM (*)'
    accounts: ["`+quiet+`"]
  - identity: 'SHAREPOINT\\system'
    accounts: ["`+quiet+`"]
`))
	if err != nil {
		t.Fatal(err)
	}
	inTenant := func(ev, org string) string {
		var m map[string]any
		if err := json.Unmarshal([]byte(ev), &m); err != nil {
			t.Fatal(err)
		}
		m["OrganizationId"] = org
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	alerting := func(tu *Tuning, ev string) bool {
		for _, a := range runWithTuning(t, tu, []string{ev}) {
			if a.Level > LevelInformational {
				return true
			}
		}
		return false
	}
	var events []string
	for _, c := range append(packCases(), olderCases()...) {
		events = append(events, c.attack...)
	}
	for _, c := range append(append(accuracyCases(), identityCases()...), recallCases()...) {
		events = append(events, c.attack...)
	}
	n := 0
	for _, ev := range events {
		sys := m365SystemAccount(t, ev)
		if sys == "" || !alerting(NoTuning(), sys) {
			continue
		}
		n++
		q, l := inTenant(sys, quiet), inTenant(sys, loud)
		if alerting(tn, q) {
			t.Errorf("system record of the allowed tenant alerted: %s", q)
		}
		if !alerting(tn, l) {
			t.Errorf("system record of another tenant raised nothing: %s", l)
		}
		if alerting(DefaultTuning(), l) {
			t.Errorf("default tuning alerted on a system record: %s", l)
		}
	}
	if n < 10 {
		t.Fatalf("%d system-account records that alert untuned, want at least 10", n)
	}
	// A user of the allowed tenant still alerts.
	user := inTenant(m365Op(3, "Add-MailboxPermission", `[{"Name":"Identity","Value":"ceo@contoso.example"},{"Name":"User","Value":"mallory@contoso.example"},{"Name":"AccessRights","Value":"FullAccess"}]`, "True"), quiet)
	if !alerting(tn, user) {
		t.Errorf("a user's record in the allowed tenant raised nothing: %s", user)
	}
	for _, bad := range []string{
		"remove_identities: ['x']\n",
		"extends: default\nallow_identities:\n  - accounts: ['1']\n",
	} {
		if _, err := ParseTuning("bad.yml", []byte(bad)); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}
