package azure

import (
	"context"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
)

// TestStorageLocks: CIS Azure 6.0 9.3.9 and 9.3.10 from the
// subscription's management locks, as the ARM list returns them and as az
// lock list prints them (level flattened): a lock on the account, its
// resource group or the subscription applies; ReadOnly also prevents
// deletion; a subscription without lock rows leaves the accounts unknown,
// and a lock whose level cannot be read leaves undecided what the others
// do not decide.
func TestStorageLocks(t *testing.T) {
	const rg = cisSub + "/resourceGroups/rg1"
	account := func(name string) string {
		return `{"id":"` + rg + `/providers/Microsoft.Storage/storageAccounts/` + name + `","name":"` + name +
			`","type":"microsoft.storage/storageaccounts","subscriptionId":"s1","location":"westeurope","properties":{}}`
	}
	armLock := func(scope, name, level string) string {
		return `{"id":"` + scope + `/providers/Microsoft.Authorization/locks/` + name + `","name":"` + name +
			`","type":"Microsoft.Authorization/locks","properties":{"level":` + level + `,"notes":"","owners":[]}}`
	}
	cliLock := func(scope, name, level string) string {
		return `{"id":"` + scope + `/providers/Microsoft.Authorization/locks/` + name + `","level":"` + level +
			`","name":"` + name + `","notes":null,"owners":null,"resourceGroup":"rg1","type":"Microsoft.Authorization/locks"}`
	}
	acctA, acctB := rg+"/providers/Microsoft.Storage/storageAccounts/a", rg+"/providers/Microsoft.Storage/storageAccounts/b"
	for _, tc := range []struct {
		name         string
		locks        []string
		wantA, wantB string
	}{
		{"no lock rows", nil, "unknown/unknown", "unknown/unknown"},
		{"delete lock on a, read-only on b (az lock list)", []string{cliLock(acctA, "keep", "CanNotDelete"), cliLock(acctB, "freeze", "ReadOnly")},
			"true/false", "true/true"},
		{"read-only on the resource group", []string{armLock(rg, "rg-ro", `"ReadOnly"`)}, "true/true", "true/true"},
		{"delete lock on the subscription", []string{armLock(cisSub, "sub-keep", `"CanNotDelete"`)}, "true/false", "true/false"},
		{"a lock elsewhere only", []string{armLock(cisSub+"/resourceGroups/rg2", "other", `"CanNotDelete"`)}, "false/false", "false/false"},
		{"an unreadable lock beside a's", []string{armLock(acctA, "keep", `"CanNotDelete"`), armLock(cisSub+"/resourceGroups/rg2", "bad", `7`)},
			"true/unknown", "unknown/unknown"},
	} {
		rows := append([]string{`{"id":"` + cisSub + `","name":"s1","type":"microsoft.resources/subscriptions","subscriptionId":"s1","properties":{}}`,
			account("a"), account("b")}, tc.locks...)
		m, problems := loadRows(t, `{"value":[`+strings.Join(rows, ",")+`]}`)
		for _, c := range []struct{ id, want string }{{acctA, tc.wantA}, {acctB, tc.wantB}} {
			s := m[strings.ToLower(c.id)].Facts.Storage
			if got := show(s.DeleteLock) + "/" + show(s.ReadOnlyLock); got != c.want {
				t.Errorf("%s: %s delete/read-only lock %s, want %s", tc.name, c.id, got, c.want)
			}
		}
		if bad := strings.Contains(tc.name, "unreadable"); bad != (len(problems) > 0) {
			t.Errorf("%s: problems %v", tc.name, problems)
		}
	}
}

func show(b *bool) string {
	switch {
	case b == nil:
		return "unknown"
	case *b:
		return "true"
	}
	return "false"
}

// TestEmptyLockListing: an empty lock listing (az lock list's [] or the
// ARM list's {"value": []}) in azure/<subscription>/locks.json says the
// subscription has no lock: its storage accounts fail both controls, while
// another subscription's accounts, whose locks the input lacks, stay
// unknown. Without a subscription in the path, or under another name, the
// file is no listing.
func TestEmptyLockListing(t *testing.T) {
	const subA, subB = "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d", "1b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d"
	account := func(sub string) string {
		return "/subscriptions/" + sub + "/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st" + sub[:2]
	}
	var rows []any
	for _, sub := range []string{subA, subB} {
		rows = append(rows, attr.M{"id": account(sub), "name": "st", "type": "microsoft.storage/storageaccounts",
			"subscriptionId": sub, "location": "westeurope", "properties": attr.M{}})
	}
	for _, tc := range []struct {
		path, doc string
		wantA     string // account A's delete/read-only lock facts; "" = the file is no listing
		skipped   bool
	}{
		{"exports/azure/" + subA + "/locks.json", `[]`, "false/false", false},
		{"exports/" + subB + "/" + strings.ToUpper(subA) + "/locks.json", `{"value": [], "nextLink": null}`, "false/false", false},
		{`C:\exports\azure\` + subA + `\locks.json`, `{"value": []}`, "false/false", false},
		{"exports/azure/locks.json", `[]`, "", true},
		{"exports/azure/" + subA + "/locks.json", `{"value": [], "nextLink": "https://x"}`, "", false},
		{"exports/azure/" + subA + "/securitysettings.json", `[]`, "", false},
	} {
		var doc any
		if err := attr.Decode([]byte(tc.doc), &doc); err != nil {
			t.Fatal(err)
		}
		res, why := ParseByName(context.Background(), tc.path, baseName(tc.path), doc)
		if (why != "") != tc.skipped {
			t.Errorf("%s %s: skip reason %q", tc.path, tc.doc, why)
		}
		if (res != nil) != (tc.wantA != "") {
			t.Fatalf("%s %s: listing %v, want %v", tc.path, tc.doc, res != nil, tc.wantA != "")
		}
		if res == nil {
			continue
		}
		all := Parse(context.Background(), "rows.json", rows).Resources
		all = append(all, res.Resources...)
		if _, problems := Finalize(all); len(problems) > 0 {
			t.Errorf("%s: problems %v", tc.path, problems)
		}
		for _, r := range all {
			if r.Type != TypeStorageAccount {
				continue
			}
			s := r.Facts.Storage
			got, want := show(s.DeleteLock)+"/"+show(s.ReadOnlyLock), "unknown/unknown"
			if r.Account == subA {
				want = tc.wantA
			}
			if got != want {
				t.Errorf("%s: %s delete/read-only lock %s, want %s", tc.path, r.ID, got, want)
			}
		}
	}
}

// baseName is the last element of a path of / or \ separators.
func baseName(p string) string { return p[strings.LastIndexAny(p, "/\\")+1:] }
