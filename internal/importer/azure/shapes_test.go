package azure

import (
	"encoding/json"
	"reflect"
	"testing"
)

// rowOf decodes one Resource Graph row written as the REST API / Resource
// Graph print it.
func rowOf(t *testing.T, text string) map[string]any {
	t.Helper()
	var row map[string]any
	if err := json.Unmarshal([]byte(text), &row); err != nil {
		t.Fatalf("%v: %s", err, text)
	}
	return row
}

func ptrStr(b *bool) string {
	if b == nil {
		return "unknown"
	}
	if *b {
		return "true"
	}
	return "false"
}

// A Cosmos DB account's firewall as the databaseAccounts REST shape has
// it (publicNetworkAccess, isVirtualNetworkFilterEnabled,
// ipRules[].ipAddressOrRange): public access Enabled with neither IP rules
// nor the virtual-network filter accepts every address (0.0.0.0/0, so
// database-open-to-any-ip can fail it); IP rules are its authorized
// networks; the filter alone closes the public endpoint.
func TestCosmosDBFirewall(t *testing.T) {
	const id = `"id":"/subscriptions/` + sub + `/resourceGroups/rg/providers/Microsoft.DocumentDB/databaseAccounts/c","type":"microsoft.documentdb/databaseaccounts","location":"westeurope"`
	for _, tc := range []struct {
		name, props string
		public      string
		nets        []string
		problems    int
	}{
		{"open", `{"publicNetworkAccess":"Enabled","isVirtualNetworkFilterEnabled":false,"ipRules":[],"virtualNetworkRules":[]}`, "true", []string{"0.0.0.0/0"}, 0},
		{"open, filter absent", `{"publicNetworkAccess":"Enabled","ipRules":[]}`, "true", []string{"0.0.0.0/0"}, 0},
		{"ip rules", `{"publicNetworkAccess":"Enabled","isVirtualNetworkFilterEnabled":false,"ipRules":[{"ipAddressOrRange":"203.0.113.0/24"},{"ipAddressOrRange":"0.0.0.0"},{"ipAddressOrRange":"203.0.113.0/24"}]}`, "true", []string{"203.0.113.0/24", "0.0.0.0"}, 0},
		{"ip rules and subnets", `{"publicNetworkAccess":"Enabled","isVirtualNetworkFilterEnabled":true,"ipRules":[{"ipAddressOrRange":"198.51.100.7"}],"virtualNetworkRules":[{"id":"/subscriptions/` + sub + `/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s","ignoreMissingVNetServiceEndpoint":false}]}`, "true", []string{"198.51.100.7"}, 0},
		{"subnets only", `{"publicNetworkAccess":"Enabled","isVirtualNetworkFilterEnabled":true,"ipRules":[],"virtualNetworkRules":[{"id":"/subscriptions/` + sub + `/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s"}]}`, "false", nil, 0},
		{"disabled", `{"publicNetworkAccess":"Disabled","ipRules":[]}`, "false", nil, 0},
		{"perimeter", `{"publicNetworkAccess":"SecuredByPerimeter","ipRules":[]}`, "false", nil, 0},
		{"ip rules of the wrong type", `{"publicNetworkAccess":"Enabled","isVirtualNetworkFilterEnabled":false,"ipRules":"203.0.113.0/24"}`, "unknown", nil, 1},
		{"filter of the wrong type", `{"publicNetworkAccess":"Enabled","isVirtualNetworkFilterEnabled":"no","ipRules":[]}`, "unknown", nil, 1},
	} {
		r, problems := normalizeBoth(t, rowOf(t, `{`+id+`,"properties":`+tc.props+`}`))
		d := r.Facts.Database
		if got := ptrStr(d.PublicEndpoint); got != tc.public {
			t.Errorf("%s: public endpoint %s, want %s", tc.name, got, tc.public)
		}
		if !reflect.DeepEqual(d.AuthorizedNetworks, tc.nets) {
			t.Errorf("%s: authorized networks %q, want %q", tc.name, d.AuthorizedNetworks, tc.nets)
		}
		if len(problems) != tc.problems {
			t.Errorf("%s: problems %v, want %d", tc.name, problems, tc.problems)
		}
	}
}

// The network enums of SQL servers (publicNetworkAccess Enabled, Disabled,
// SecuredByPerimeter) and flexible servers (network.publicNetworkAccess),
// and the flexible servers' highAvailability.mode (Disabled, SameZone,
// ZoneRedundant) and dataEncryption.type (SystemManaged, AzureKeyVault): a
// value the REST API does not document is unknown, never false.
func TestDatabaseServerEnums(t *testing.T) {
	const sqlID = `"id":"/subscriptions/` + sub + `/resourceGroups/rg/providers/Microsoft.Sql/servers/s","type":"microsoft.sql/servers","location":"westeurope"`
	for props, want := range map[string]string{
		`{"publicNetworkAccess":"Enabled"}`:            "true",
		`{"publicNetworkAccess":"Disabled"}`:           "false",
		`{"publicNetworkAccess":"SecuredByPerimeter"}`: "false",
		`{"publicNetworkAccess":"Restricted"}`:         "unknown",
		`{"version":"12.0"}`:                           "unknown",
	} {
		r, _ := normalizeBoth(t, rowOf(t, `{`+sqlID+`,"properties":`+props+`}`))
		if got := ptrStr(r.Facts.Database.PublicEndpoint); got != want {
			t.Errorf("SQL server %s: public endpoint %s, want %s", props, got, want)
		}
	}
	const pgID = `"id":"/subscriptions/` + sub + `/resourceGroups/rg/providers/Microsoft.DBforPostgreSQL/flexibleServers/p","type":"microsoft.dbforpostgresql/flexibleservers","location":"westeurope"`
	for _, tc := range []struct {
		props, public, multiAZ, keys string
	}{
		{`{"network":{"publicNetworkAccess":"Enabled"},"highAvailability":{"mode":"ZoneRedundant","state":"Healthy"},"dataEncryption":{"type":"SystemManaged"}}`, "true", "true", "provider"},
		{`{"network":{"publicNetworkAccess":"Disabled","delegatedSubnetResourceId":"/subscriptions/` + sub + `/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/db"},"highAvailability":{"mode":"SameZone"},"dataEncryption":{"type":"AzureKeyVault","primaryKeyURI":"https://kv.vault.azure.net/keys/k/1"}}`, "false", "true", "customer"},
		{`{"network":{"publicNetworkAccess":"Private"},"highAvailability":{"mode":"Disabled"}}`, "unknown", "false", "provider"},
		{`{"network":{},"highAvailability":{"mode":"CrossRegion"},"dataEncryption":{"type":"ManagedHSM"}}`, "unknown", "unknown", ""},
	} {
		r, _ := normalizeBoth(t, rowOf(t, `{`+pgID+`,"properties":`+tc.props+`}`))
		d := r.Facts.Database
		if got := ptrStr(d.PublicEndpoint); got != tc.public {
			t.Errorf("flexible server %s: public endpoint %s, want %s", tc.props, got, tc.public)
		}
		if got := ptrStr(d.MultiAZ); got != tc.multiAZ {
			t.Errorf("flexible server %s: multi-AZ %s, want %s", tc.props, got, tc.multiAZ)
		}
		if d.KeyManager != tc.keys {
			t.Errorf("flexible server %s: key manager %q, want %q", tc.props, d.KeyManager, tc.keys)
		}
	}
}
