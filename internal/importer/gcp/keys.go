package gcp

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// ServiceAccountKey reads a ServiceAccountKey asset with its fields' types
// checked, for the step that gives service accounts their keys: the key,
// the service account it belongs to (its asset name, or the email or
// unique ID the key's name holds; "" when neither says), and good = false
// when the asset does not say or a field has the wrong type (then the
// account's keys are unknown: a key that cannot be read may be a
// user-managed one). r may also be the trace of an asset whose name or
// asset type could not be read (Type "", or an ID that is not a key's
// asset name): it is never good, and its owner is what its name says.
func ServiceAccountKey(r *resource.Resource) (key resource.AccessKey, owner string, good bool) {
	if r == nil || r.Provider != resource.GCP || (r.Type != TypeServiceAccountKey && r.Type != "") {
		return key, "", false
	}
	c := &checker{name: r.ID}
	asset := node{m: r.Raw, c: c}
	d, st := asset.obj("resource", "data")
	named := isKeyName(r.ID)
	if named {
		owner = r.ID[:strings.LastIndex(r.ID, "/keys/")]
	} else if n := d.s("name"); strings.Contains(n, "/keys/") {
		owner = shortName(n[:strings.LastIndex(n, "/keys/")])
	}
	if st != ok || r.Type != TypeServiceAccountKey || !named {
		return key, owner, false
	}
	key.ID = shortName(r.ID)
	disabled, dst := d.boolean("disabled")
	key.Active = dst != bad && !attr.Any(disabled)
	key.Created = d.s("validAfterTime")
	switch d.enum(k("keyType"), "USER_MANAGED", "SYSTEM_MANAGED") {
	case 0:
		key.UserManaged = boolp(true)
	case 1:
		key.UserManaged = boolp(false)
	}
	return key, owner, c.count() == 0 && key.UserManaged != nil
}
