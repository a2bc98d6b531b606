package gcp

import (
	"context"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// A key that cannot be read (a field of the wrong type, an asset whose name
// or asset type cannot be read) leaves its service account's key list
// unknown, never complete: the account may hold a user-managed key. When
// its owner cannot be told, every service account of its project (of
// every project, when the project cannot be told either) has unknown keys.
func TestUnreadableKeyLeavesKeysUnknown(t *testing.T) {
	const (
		saA   = "//iam.googleapis.com/projects/p/serviceAccounts/111"
		saB   = "//iam.googleapis.com/projects/p/serviceAccounts/222"
		saC   = "//iam.googleapis.com/projects/q/serviceAccounts/333"
		good  = `{"keyType":"USER_MANAGED","validAfterTime":"2024-01-01T00:00:00Z"}`
		sys   = `{"keyType":"SYSTEM_MANAGED","validAfterTime":"2024-01-01T00:00:00Z"}`
		anc   = `,"ancestors":["projects/900","organizations/1"]}`
		keyTy = `"iam.googleapis.com/ServiceAccountKey"`
	)
	sa := func(name, email string) string {
		return line(name, TypeServiceAccount, `{"email":"`+email+`","uniqueId":"`+shortName(name)+`"}`)
	}
	base := []string{
		sa(saA, "a@p.iam.gserviceaccount.com"), sa(saB, "b@p.iam.gserviceaccount.com"), sa(saC, "c@q.iam.gserviceaccount.com"),
		line(saA+"/keys/k1", TypeServiceAccountKey, sys),
		line(saB+"/keys/k2", TypeServiceAccountKey, sys),
		line(saC+"/keys/k3", TypeServiceAccountKey, sys),
	}
	// unknown lists the accounts whose keys must be unknown.
	for _, c := range []struct {
		name    string
		key     string
		unknown string
	}{
		{"readable", line(saA+"/keys/k9", TypeServiceAccountKey, good), ""},
		{"data not an object", line(saA+"/keys/k9", TypeServiceAccountKey, `"oops"`), "111"},
		{"keyType a number", line(saA+"/keys/k9", TypeServiceAccountKey, `{"keyType":7}`), "111"},
		{"disabled text", line(saA+"/keys/k9", TypeServiceAccountKey, `{"keyType":"USER_MANAGED","disabled":{}}`), "111"},
		{"asset_type a number", `{"name":"` + saA + `/keys/k9","asset_type":42,"resource":{"data":` + good + `}}`, "111"},
		{"asset_type missing", `{"name":"` + saA + `/keys/k9","resource":{"data":` + good + `}}`, "111"},
		{"name a number, owner in data", `{"name":42,"asset_type":` + keyTy + `,"resource":{"data":{"name":"projects/p/serviceAccounts/b@p.iam.gserviceaccount.com/keys/k9","keyType":"USER_MANAGED"}}` + anc, "222"},
		{"name a number, project in name of data", `{"name":42,"asset_type":` + keyTy + `,"resource":{"data":"oops"},"ancestors":["projects/p"]}`, "111 222"},
		{"nothing readable", `{"name":{},"asset_type":[]}`, "111 222 333"},
		{"another type without name: not a key", `{"name":42,"asset_type":"storage.googleapis.com/Bucket","ancestors":["projects/p"]}`, ""},
		{"unreadable type, not a key's name", `{"name":"//storage.googleapis.com/b","asset_type":42}`, ""},
	} {
		res := ParseNDJSON(context.Background(), "x.json", []byte(strings.Join(append(base[:len(base):len(base)], c.key), "\n")))
		if c.unknown != "" && len(res.Problems) == 0 {
			t.Errorf("%s: no problem reported", c.name)
		}
		Finalize(res.Resources)
		for _, r := range res.Resources {
			if r.Type != TypeServiceAccount {
				continue
			}
			id := r.Facts.Identity
			if strings.Contains(" "+c.unknown+" ", " "+shortName(r.ID)+" ") {
				if id.AccessKeysKnown != nil || id.AccessKeys != nil {
					t.Errorf("%s: %s keys must be unknown: known %v, %+v", c.name, r.ID, id.AccessKeysKnown, id.AccessKeys)
				}
				continue
			}
			if !isTrue(id.AccessKeysKnown) || len(id.AccessKeys) == 0 {
				t.Errorf("%s: %s keys must be known: known %v, %+v", c.name, r.ID, id.AccessKeysKnown, id.AccessKeys)
			}
		}
		if c.name == "readable" {
			for _, r := range res.Resources {
				if r.ID == saA && (len(r.Facts.Identity.AccessKeys) != 2 || !isTrue(r.Facts.Identity.AccessKeys[1].UserManaged)) {
					t.Errorf("readable: %+v", r.Facts.Identity.AccessKeys)
				}
			}
		}
	}
}

// A trace of an unreadable asset is of class other and is never listed as
// unsupported.
func TestUnreadableKeyTrace(t *testing.T) {
	res := ParseNDJSON(context.Background(), "x.json", []byte(`{"name":"//iam.googleapis.com/projects/p/serviceAccounts/1/keys/k","asset_type":42}`))
	if len(res.Resources) != 1 || res.Resources[0].Class != resource.ClassOther || res.Resources[0].Type != "" ||
		res.Resources[0].Account != "p" || len(res.Unsupported) != 0 || len(res.Problems) != 1 {
		t.Fatalf("%+v %+v %+v", res.Resources, res.Unsupported, res.Problems)
	}
}
