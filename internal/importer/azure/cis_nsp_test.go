package azure

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// TestNSPAssociations: CIS Azure 6.0 7.16 from the perimeters of the
// resources table and their associations (GET <perimeter>/resourceAssociations,
// vigil collect's nspassociations.json): a storage account or key vault is
// secured by an Enforced association of any perimeter of the input, not by
// a Learning one; a subscription without perimeters whose listing is in the
// input fails, one whose input says nothing of perimeters is unknown; a
// perimeter whose associations are not in the input leaves it unknown; a subscription without onboarded PaaS resources is not judged.
func TestNSPAssociations(t *testing.T) {
	const sub, other = "aaaaaaaa-0000-4000-8000-000000000001", "bbbbbbbb-0000-4000-8000-000000000002"
	row := func(s, id, typ string) string {
		return `{"id":"/subscriptions/` + s + `/resourceGroups/rg/providers/` + typ + `/` + id + `","name":"` + id + `","type":"` + strings.ToLower(typ) +
			`","subscriptionId":"` + s + `","location":"westeurope","properties":{}}`
	}
	subRow := func(s string) string {
		return `{"id":"/subscriptions/` + s + `","name":"` + s + `","type":"microsoft.resources/subscriptions","subscriptionId":"` + s + `","properties":{}}`
	}
	st := row(sub, "nwdata", "Microsoft.Storage/storageAccounts")
	kv := row(sub, "nw-kv", "Microsoft.KeyVault/vaults")
	vm := row(sub, "vm1", "Microsoft.Compute/virtualMachines")
	nsp := func(s string) string { return row(s, "nsp1", "Microsoft.Network/networkSecurityPerimeters") }
	assoc := func(s, name, target, mode string) string {
		return `{"id":"/subscriptions/` + s + `/resourceGroups/rg/providers/Microsoft.Network/networkSecurityPerimeters/nsp1/resourceAssociations/` + name +
			`","name":"` + name + `","type":"Microsoft.Network/networkSecurityPerimeters/resourceAssociations","properties":{"accessMode":"` + mode +
			`","privateLinkResource":{"id":"/subscriptions/` + sub + `/resourceGroups/rg/providers/` + target + `"},"profile":{"id":"p"}}}`
	}
	stAssoc := func(s, mode string) string { return assoc(s, "a-st", "Microsoft.Storage/storageAccounts/nwdata", mode) }
	kvAssoc := func(s, mode string) string { return assoc(s, "a-kv", "Microsoft.KeyVault/vaults/nw-kv", mode) }
	type file struct{ dir, name, doc string }
	rows := func(dir string, rs ...string) file {
		return file{dir, "resources.json", `{"count":1,"data":[` + strings.Join(rs, ",") + `]}`}
	}
	listing := func(dir string, rs ...string) file {
		return file{dir, "nspassociations.json", `{"value":[` + strings.Join(rs, ",") + `]}`}
	}
	stID, kvID := "/subscriptions/"+sub+"/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/nwdata", "/subscriptions/"+sub+"/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/nw-kv"
	for _, c := range []struct {
		name  string
		files []file
		want  string
	}{
		{"both enforced", []file{rows(sub, subRow(sub), st, kv, vm, nsp(sub)), listing(sub, stAssoc(sub, "Enforced"), kvAssoc(sub, "Enforced"))}, "true []"},
		{"one in learning mode", []file{rows(sub, subRow(sub), st, kv, nsp(sub)), listing(sub, stAssoc(sub, "Enforced"), kvAssoc(sub, "Learning"))},
			"false [" + kvID + " (Learning mode)]"},
		{"no perimeter, listed", []file{rows(sub, subRow(sub), st, kv), listing(sub)}, "false [" + kvID + " " + stID + "]"},
		{"no perimeter, nothing listed (an older export)", []file{rows(sub, subRow(sub), st, kv)}, "unknown"},
		{"a perimeter of another subscription", []file{rows(sub, subRow(sub), st, kv), listing(sub), rows(other, subRow(other), nsp(other)),
			listing(other, stAssoc(other, "Enforced"), kvAssoc(other, "Enforced"))}, "true []"},
		{"a perimeter whose associations are not in the input", []file{rows(sub, subRow(sub), st, kv, nsp(sub))}, "unknown"},
		{"a perimeter with none, its subscription listed", []file{rows(sub, subRow(sub), st, nsp(sub)), listing(sub)}, "false [" + stID + "]"},
		{"no onboarded PaaS resource", []file{rows(sub, subRow(sub), vm), listing(sub)}, "unknown"},
	} {
		var all []*resource.Resource
		for _, f := range c.files {
			var doc any
			if err := attr.Decode([]byte(f.doc), &doc); err != nil {
				t.Fatal(err)
			}
			path := "azure/" + f.dir + "/" + f.name
			res := Parse(context.Background(), path, doc)
			if len(res.Resources) == 0 { // an empty listing, read by its name
				var why string
				if res, why = ParseByName(context.Background(), path, f.name, doc); res == nil {
					t.Fatalf("%s: %s not read (%q)", c.name, path, why)
				}
			}
			all = append(all, res.Resources...)
		}
		added, problems := Finalize(all)
		if len(problems) > 0 {
			t.Errorf("%s: problems %v", c.name, problems)
		}
		got := "unknown"
		for _, r := range append(all, added...) {
			if r.ID == "/subscriptions/"+sub && r.Facts.Account != nil && r.Facts.Account.CIS != nil && r.Facts.Account.CIS.NSPSecured != nil {
				got = fmt.Sprint(*r.Facts.Account.CIS.NSPSecured, " ", r.Facts.Account.CIS.NSPUnsecured)
			}
		}
		if got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

// TestSecuredByPerimeter: publicNetworkAccess "SecuredByPerimeter" (a
// network security perimeter in Enforced mode governs public access in
// place of the resource's own rules) closes a storage account's and a key
// vault's public network as "Disabled" does, whatever their own ACLs'
// default action, as it already did for the other PaaS types.
func TestSecuredByPerimeter(t *testing.T) {
	row := func(typ, name, props string) string {
		return `{"id":"` + cisSub + `/resourceGroups/rg/providers/` + typ + `/` + name + `","name":"` + name + `","type":"` + strings.ToLower(typ) +
			`","subscriptionId":"s1","location":"westeurope","properties":` + props + `}`
	}
	acl := `"networkAcls":{"defaultAction":"Allow","bypass":"AzureServices","ipRules":[],"virtualNetworkRules":[]}`
	m, problems := loadRows(t, `{"count":4,"data":[`+strings.Join([]string{
		row("Microsoft.Storage/storageAccounts", "stnsp", `{"publicNetworkAccess":"SecuredByPerimeter",`+acl+`}`),
		row("Microsoft.Storage/storageAccounts", "stopen", `{"publicNetworkAccess":"Enabled",`+acl+`}`),
		row("Microsoft.KeyVault/vaults", "kvnsp", `{"publicNetworkAccess":"SecuredByPerimeter",`+acl+`}`),
		row("Microsoft.KeyVault/vaults", "kvopen", `{"publicNetworkAccess":"Enabled",`+acl+`}`),
	}, ",")+`]}`)
	if len(problems) > 0 {
		t.Fatalf("problems %v", problems)
	}
	id := func(typ, name string) string {
		return strings.ToLower(cisSub + "/resourceGroups/rg/providers/" + typ + "/" + name)
	}
	for _, c := range []struct {
		name string
		got  *bool
		want bool
	}{
		{"stnsp network default deny", m[id("Microsoft.Storage/storageAccounts", "stnsp")].Facts.Storage.NetworkDefaultDeny, true},
		{"stopen network default deny", m[id("Microsoft.Storage/storageAccounts", "stopen")].Facts.Storage.NetworkDefaultDeny, false},
		{"kvnsp public network", m[id("Microsoft.KeyVault/vaults", "kvnsp")].Facts.KeyVault.PublicNetwork, false},
		{"kvopen public network", m[id("Microsoft.KeyVault/vaults", "kvopen")].Facts.KeyVault.PublicNetwork, true},
	} {
		if c.got == nil || *c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, fb(c.got), c.want)
		}
	}
}
