package azure

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// TestFinalizeChildRowsOfTheWrongType: a child row joined to its parent
// with a field of the wrong type is a problem naming the row and the field,
// and leaves the parent's fact unknown instead of deciding it.
func TestFinalizeChildRowsOfTheWrongType(t *testing.T) {
	const sub = "/subscriptions/s1"
	const rg = sub + "/resourceGroups/rg/providers/"
	rows := func(fwStart, access, emails, tier string) string {
		return `[
{"id":"` + rg + `Microsoft.Sql/servers/sql1","name":"sql1","type":"microsoft.sql/servers","subscriptionId":"s1","properties":{"publicNetworkAccess":"Enabled"}},
{"id":"` + rg + `Microsoft.Sql/servers/sql1/firewallRules/all","name":"all","type":"microsoft.sql/servers/firewallrules","subscriptionId":"s1","properties":{"startIpAddress":` + fwStart + `,"endIpAddress":"255.255.255.255"}},
{"id":"` + rg + `Microsoft.Storage/storageAccounts/st1","name":"st1","type":"microsoft.storage/storageaccounts","subscriptionId":"s1","properties":{"supportsHttpsTrafficOnly":true}},
{"id":"` + rg + `Microsoft.Storage/storageAccounts/st1/blobServices/default/containers/c1","name":"c1","type":"microsoft.storage/storageaccounts/blobservices/containers","subscriptionId":"s1","properties":{"publicAccess":` + access + `}},
{"id":"` + sub + `/providers/Microsoft.Security/securityContacts/default","name":"default","type":"microsoft.security/securitycontacts","subscriptionId":"s1","properties":{"emails":` + emails + `}},
{"id":"` + sub + `/providers/Microsoft.Security/pricings/VirtualMachines","name":"VirtualMachines","type":"microsoft.security/pricings","subscriptionId":"s1","properties":{"pricingTier":` + tier + `}}
]`
	}
	load := func(t *testing.T, data string) (map[string]*resource.Resource, []attr.Problem) {
		t.Helper()
		var doc any
		if err := attr.Decode([]byte(data), &doc); err != nil {
			t.Fatal(err)
		}
		res := Parse(context.Background(), "rows.json", doc)
		if len(res.Problems) > 0 {
			t.Fatalf("parse problems: %+v", res.Problems)
		}
		added, problems := Finalize(res.Resources)
		m := map[string]*resource.Resource{}
		for _, r := range append(res.Resources, added...) {
			m[strings.ToLower(r.ID)] = r
		}
		return m, problems
	}
	get := func(t *testing.T, m map[string]*resource.Resource, id string) *resource.Resource {
		t.Helper()
		r := m[strings.ToLower(id)]
		if r == nil {
			t.Fatalf("no %s", id)
		}
		return r
	}

	// Well typed: every fact decided.
	m, problems := load(t, rows(`"0.0.0.0"`, `"Container"`, `"sec@example.com"`, `"Standard"`))
	if len(problems) > 0 {
		t.Fatalf("problems: %+v", problems)
	}
	db := get(t, m, rg+"Microsoft.Sql/servers/sql1").Facts.Database
	st := get(t, m, rg+"Microsoft.Storage/storageAccounts/st1").Facts.Storage
	acct := get(t, m, sub).Facts.Account
	if len(db.AuthorizedNetworks) != 1 || db.AuthorizedNetworks[0] != "0.0.0.0/0" || !attr.Any(st.PublicAccess) ||
		!attr.Any(acct.SecurityContact) || !attr.Any(acct.ThreatDetection) {
		t.Fatalf("well-typed rows: networks %v public %v contact %v detection %v", db.AuthorizedNetworks, st.PublicAccess,
			acct.SecurityContact, acct.ThreatDetection)
	}

	// Each child field of the wrong type.
	m, problems = load(t, rows(`0`, `5`, `42`, `true`))
	fields := map[string]string{}
	for _, p := range problems {
		if p.Path != "rows.json" || p.Resource == "" || p.Field == "" {
			t.Errorf("problem without file, resource or field: %+v", p)
		}
		fields[p.Field] = p.Resource
	}
	for field, row := range map[string]string{
		"properties.startIpAddress": rg + "Microsoft.Sql/servers/sql1/firewallRules/all",
		"properties.publicAccess":   rg + "Microsoft.Storage/storageAccounts/st1/blobServices/default/containers/c1",
		"properties.emails":         sub + "/providers/Microsoft.Security/securityContacts/default",
		"properties.pricingTier":    sub + "/providers/Microsoft.Security/pricings/VirtualMachines",
	} {
		if !strings.EqualFold(fields[field], row) {
			t.Errorf("no problem for %s of %s (problems %+v)", field, row, problems)
		}
	}
	db = get(t, m, rg+"Microsoft.Sql/servers/sql1").Facts.Database
	st = get(t, m, rg+"Microsoft.Storage/storageAccounts/st1").Facts.Storage
	acct = get(t, m, sub).Facts.Account
	if db.AuthorizedNetworks != nil || st.PublicAccess != nil || acct.SecurityContact != nil || acct.ThreatDetection != nil {
		t.Errorf("facts from wrong-typed rows must be unknown: networks %v public %v contact %v detection %v",
			db.AuthorizedNetworks, st.PublicAccess, acct.SecurityContact, acct.ThreatDetection)
	}
}

// TestBlobServiceVersioning: ARM leaves isVersioningEnabled out when
// versioning was never enabled (false); an explicit null, as the storage
// data plane gives it, leaves versioning unknown.
func TestBlobServiceVersioning(t *testing.T) {
	const acct = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1"
	for _, c := range []struct {
		props string
		want  *bool
	}{
		{`{"deleteRetentionPolicy":{"enabled":true,"days":7}}`, resource.Bool(false)},
		{`{"isVersioningEnabled":null,"deleteRetentionPolicy":{"enabled":true,"days":7}}`, nil},
		{`{"isVersioningEnabled":true}`, resource.Bool(true)},
	} {
		data := `[{"id":"` + acct + `","name":"st1","type":"microsoft.storage/storageaccounts","subscriptionId":"s1","properties":{}},
{"id":"` + acct + `/blobServices/default","name":"default","type":"microsoft.storage/storageaccounts/blobservices","subscriptionId":"s1","properties":` + c.props + `}]`
		var doc any
		if err := attr.Decode([]byte(data), &doc); err != nil {
			t.Fatal(err)
		}
		res := Parse(context.Background(), "rows.json", doc)
		Finalize(res.Resources)
		found := false
		for _, r := range res.Resources {
			if strings.EqualFold(r.ID, acct) {
				found = true
				got := r.Facts.Storage.Versioning
				if (got == nil) != (c.want == nil) || (got != nil && *got != *c.want) {
					t.Errorf("%s: versioning %v, want %v", c.props, got, c.want)
				}
			}
		}
		if !found {
			t.Fatalf("no storage account %s", acct)
		}
	}
}

// TestSQLSecurityAlertPolicy: the server's security alert policy, listed
// by vigil collect in the REST API's shape (an empty list written [""]),
// gives the threat detection facts; no policy leaves them unknown, and a
// field of the wrong type is a problem with the fact unknown.
func TestSQLSecurityAlertPolicy(t *testing.T) {
	const srv = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Sql/servers/sql1"
	show := func(b *bool) string {
		if b == nil {
			return "unknown"
		}
		return map[bool]string{true: "true", false: "false"}[*b]
	}
	for _, c := range []struct {
		props              string
		alerts, recipients string
		problems           int
	}{
		{"", "unknown", "unknown", 0},
		{`{"state":"Enabled","disabledAlerts":[""],"emailAddresses":[""],"emailAccountAdmins":false,"retentionDays":0}`, "true", "false", 0},
		{`{"state":"Enabled","disabledAlerts":["Sql_Injection"],"emailAddresses":["secops@example.com"],"emailAccountAdmins":false}`, "false", "true", 0},
		{`{"state":"Disabled","disabledAlerts":[""],"emailAddresses":[""],"emailAccountAdmins":true}`, "false", "true", 0},
		{`{"state":"Enabled"}`, "true", "false", 0},
		{`{"state":"Enabled","disabledAlerts":"Sql_Injection","emailAddresses":[""],"emailAccountAdmins":"yes"}`, "unknown", "unknown", 2},
	} {
		data := `[{"id":"` + srv + `","name":"sql1","type":"microsoft.sql/servers","subscriptionId":"s1","properties":{"publicNetworkAccess":"Disabled"}}`
		if c.props != "" {
			data += `,{"id":"` + srv + `/securityAlertPolicies/Default","name":"Default","type":"microsoft.sql/servers/securityalertpolicies","subscriptionId":"s1","properties":` + c.props + `}`
		}
		data += "]"
		var doc any
		if err := attr.Decode([]byte(data), &doc); err != nil {
			t.Fatal(err)
		}
		res := Parse(context.Background(), "rows.json", doc)
		_, problems := Finalize(res.Resources)
		if len(problems) != c.problems {
			t.Errorf("%s: %d problems, want %d: %+v", c.props, len(problems), c.problems, problems)
		}
		for _, r := range res.Resources {
			if !strings.EqualFold(r.ID, srv) {
				continue
			}
			d := r.Facts.Database
			if got := [2]string{show(d.ThreatAlerts), show(d.ThreatAlertRecipients)}; got != [2]string{c.alerts, c.recipients} {
				t.Errorf("%s: alerts, recipients %v, want %v", c.props, got, [2]string{c.alerts, c.recipients})
			}
		}
	}
}

// TestFinishRawKeepsProperties: of a row the finishers read, FinishRaw
// keeps the properties alone when they are an object, the whole row
// otherwise (a flat row, or properties of the wrong type or null, which
// rowReader reads through the row), and nothing of a type they do not read.
func TestFinishRawKeepsProperties(t *testing.T) {
	props := attr.M{"publicAccess": "Blob"}
	for _, tc := range []struct {
		name string
		typ  string
		raw  attr.M
		want attr.M
	}{
		{"properties", TypeBlobContainer, attr.M{"id": "c", "type": TypeBlobContainer, "properties": props}, attr.M{"properties": props}},
		{"flat", TypeBlobContainer, attr.M{"id": "c", "publicAccess": "Blob"}, attr.M{"id": "c", "publicAccess": "Blob"}},
		{"null", TypeBlobContainer, attr.M{"id": "c", "properties": nil, "publicAccess": "Blob"}, attr.M{"id": "c", "properties": nil, "publicAccess": "Blob"}},
		{"wrong type", TypeBlobContainer, attr.M{"id": "c", "properties": 42}, attr.M{"id": "c", "properties": 42}},
		{"not read", TypeVM, attr.M{"id": "v", "properties": props}, nil},
	} {
		got := FinishRaw(&resource.Resource{Type: tc.typ, Raw: tc.raw})
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: FinishRaw = %v, want %v", tc.name, got, tc.want)
		}
	}
}
