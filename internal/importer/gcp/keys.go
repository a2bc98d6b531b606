package gcp

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// ServiceAccountKey reads a ServiceAccountKey asset with its fields' types
// checked, for the step that gives service accounts their keys: the key,
// the service account it belongs to (its asset name, or the email or
// unique ID the key's name holds), and good = false when the asset does not
// say or a field has the wrong type (then the account's keys are unknown:
// a key that cannot be read may be a user-managed one).
func ServiceAccountKey(r *resource.Resource) (key resource.AccessKey, owner string, good bool) {
	if r == nil || r.Type != TypeServiceAccountKey {
		return key, "", false
	}
	c := &checker{name: r.ID}
	asset := node{m: r.Raw, c: c}
	d, st := asset.obj("resource", "data")
	if i := strings.Index(r.ID, "/keys/"); i > 0 {
		owner = r.ID[:i]
	} else if n := d.s("name"); strings.Contains(n, "/keys/") {
		owner = shortName(n[:strings.Index(n, "/keys/")])
	}
	if st != ok {
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
