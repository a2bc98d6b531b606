package azure

import (
	"context"
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// CIS Azure 6.0 5.5: a custom role allows administering resource locks
// (Microsoft.Authorization/locks/*, or their write and delete actions),
// so that lock management can be given without Owner or User Access
// Administrator. Read from the role definitions in the inventory
// (AuthorizationResources): a custom role counts for a subscription when
// one of its assignable scopes is the subscription or the root ("/"); one
// assignable only at a management group may cover it too, which the
// inventory does not tell (unknown, unless another role decides).

// lockAdmin reports whether a role definition's actions administer locks.
func lockAdmin(rd *resource.RoleDefinition) bool {
	write, del := false, false
	for _, p := range rd.Permissions {
		for _, a := range p.Actions {
			switch strings.ToLower(a) {
			case "microsoft.authorization/locks/*":
				return true
			case "microsoft.authorization/locks/write":
				write = true
			case "microsoft.authorization/locks/delete":
				del = true
			}
		}
	}
	return write && del
}

// lockAdminRoles returns, per subscription with a custom lock role
// assignable at it, true; per subscription that only a management-group
// role may cover, false in maybe; and whether the inventory holds role
// definitions at all.
func lockAdminRoles(all []*resource.Resource) (found, maybeMG map[string]bool, known bool) {
	found, maybeMG = map[string]bool{}, map[string]bool{}
	root := false
	for _, r := range all {
		if r.Type != TypeRoleDefinition || r.Facts.Role == nil {
			continue
		}
		known = true
		rd := r.Facts.Role
		if rd.Custom == nil || !*rd.Custom || !lockAdmin(rd) {
			continue
		}
		for _, s := range rd.AssignableScopes {
			ls := strings.ToLower(strings.TrimRight(s, "/"))
			switch {
			case ls == "":
				root = true
			case strings.HasPrefix(ls, "/subscriptions/") && strings.Count(ls, "/") == 2:
				found[strings.TrimPrefix(ls, "/subscriptions/")] = true
			case strings.HasPrefix(ls, "/providers/microsoft.management/managementgroups/"):
				maybeMG["*"] = true
			}
		}
	}
	if root {
		found["*"] = true
	}
	return found, maybeMG, known
}

// setLockAdminRole sets a subscription's CIS 5.5 fact.
func setLockAdminRole(c *resource.AccountCIS, sub string, found, maybeMG map[string]bool, known bool) {
	switch {
	case !known:
	case found["*"] || found[strings.ToLower(sub)]:
		c.LockAdminRole = resource.Bool(true)
	case maybeMG["*"]:
	default:
		c.LockAdminRole = resource.Bool(false)
	}
}

// TypeLock is an Azure Resource Manager management lock, at a
// subscription, a resource group or a resource (GET
// /subscriptions/<id>/providers/Microsoft.Authorization/locks, or az lock
// list, whose rows have level flattened): {"id": "<scope>/providers/
// Microsoft.Authorization/locks/<name>", "properties": {"level":
// "CanNotDelete" | "ReadOnly"}}.
const TypeLock = "Microsoft.Authorization/locks"

const lockPath = "/providers/microsoft.authorization/locks/"

func init() {
	noFactTypes(TypeLock)
}

// finishLocks sets the CIS Azure 6.0 9.3.9 and 9.3.10 facts of the storage
// accounts of every subscription the input holds locks of, or an empty
// lock listing of (parseEmptyLockListing: no lock, every account false): a
// lock on the account, its resource group or its subscription applies to
// it. A lock row whose level cannot be read leaves its subscription's
// accounts unknown unless another lock decides.
func finishLocks(all []*resource.Resource) (problems []attr.Problem) {
	read := rowReader(&problems)
	type scopeLocks struct{ del, ro bool }
	byScope := map[string]*scopeLocks{}
	subs := map[string]bool{} // subscriptions with locks: true when all were read
	for _, r := range all {
		if r.Type != TypeLock {
			continue
		}
		l := strings.ToLower(r.ID)
		i := strings.Index(l, lockPath)
		sub := strings.ToLower(SubscriptionOf(r.ID))
		if sub == "" || (i < 0 && !strings.HasSuffix(l, lockListingSuffix)) {
			continue
		}
		if _, seen := subs[sub]; !seen {
			subs[sub] = true
		}
		if i < 0 {
			continue // an empty listing (parseEmptyLockListing): no lock
		}
		p, failed := read(r)
		level, _ := p.Str("level")
		if failed() || level == "" {
			subs[sub] = false
			continue
		}
		s := byScope[l[:i]]
		if s == nil {
			s = &scopeLocks{}
			byScope[l[:i]] = s
		}
		switch {
		case strings.EqualFold(level, "ReadOnly"):
			s.del, s.ro = true, true
		case strings.EqualFold(level, "CanNotDelete"):
			s.del = true
		}
	}
	if len(subs) == 0 {
		return problems
	}
	for _, r := range all {
		if r.Type != TypeStorageAccount || r.Facts.Storage == nil {
			continue
		}
		sub := strings.ToLower(SubscriptionOf(r.ID))
		complete, has := subs[sub]
		if !has {
			continue
		}
		id := strings.ToLower(r.ID)
		scopes := []string{id, "/subscriptions/" + sub}
		if i := strings.Index(id, "/providers/"); i > 0 {
			scopes = append(scopes, id[:i]) // the resource group
		}
		del, ro := false, false
		for _, sc := range scopes {
			if s := byScope[sc]; s != nil {
				del, ro = del || s.del, ro || s.ro
			}
		}
		st := r.Facts.Storage
		if del || complete {
			st.DeleteLock = resource.Bool(del)
		}
		if ro || complete {
			st.ReadOnlyLock = resource.Bool(ro)
		}
	}
	return problems
}

// lockListingSuffix ends the ID of the marker an empty lock listing
// becomes: the listing itself (/subscriptions/<id>/providers/
// Microsoft.Authorization/locks), which finishLocks reads as "this
// subscription has no lock".
const lockListingSuffix = "/providers/microsoft.authorization/locks"

// parseEmptyLockListing reads an empty management-lock listing: `[]` (az
// lock list) or `{"value": []}` (GET .../providers/Microsoft.Authorization/
// locks, as vigil collect writes it) in a file named locks.json. Neither
// says whose listing it is, so the subscription is the nearest directory
// of the path named after a subscription ID (azure/<subscription>/
// locks.json, as vigil collect writes it). It returns nil and "" for any
// other document, and nil with the reason when the file is an empty lock
// listing whose subscription the path does not name.
func parseEmptyLockListing(ctx context.Context, path string, doc any) (*attr.Result, string) {
	return parseEmptyListing(ctx, path, doc, "locks.json", TypeLock, "management-lock listing")
}

// parseEmptyListing reads an empty ARM listing of a subscription in a
// file named file (an empty lock listing, an empty listing of Defender's
// vulnerability assessment settings): a marker resource of type typ whose
// ID is the listing's (/subscriptions/<sub>/providers/<typ>), the
// subscription the nearest directory of the path named after a
// subscription ID. It returns nil and "" for any other document, and nil
// with the reason when the path names no subscription.
func parseEmptyListing(ctx context.Context, path string, doc any, file, typ, what string) (*attr.Result, string) {
	segs := strings.FieldsFunc(path, func(r rune) bool { return r == '/' || r == '\\' })
	if len(segs) == 0 || !strings.EqualFold(segs[len(segs)-1], file) || !emptyList(doc) {
		return nil, ""
	}
	sub := ""
	for i := len(segs) - 2; i >= 0 && sub == ""; i-- {
		if looksLikeGUID(segs[i]) {
			sub = strings.ToLower(segs[i])
		}
	}
	if sub == "" {
		return nil, "an empty " + what + " (" + file + ") whose subscription the path does not name: " +
			"put it in a directory named after the subscription ID (azure/<subscription>/" + file + ")"
	}
	_, name, _ := strings.Cut(typ, "/")
	id := "/subscriptions/" + sub + "/providers/" + typ
	return Parse(ctx, path, attr.M{"id": id, "name": name, "type": typ, "subscriptionId": sub}), ""
}

// emptyList: [] or {"value": []} (with nothing else than a null nextLink).
func emptyList(doc any) bool {
	switch d := doc.(type) {
	case []any:
		return len(d) == 0
	case attr.M:
		v, isList := d["value"].([]any)
		if !isList || len(v) != 0 {
			return false
		}
		for k, x := range d {
			if k != "value" && (k != "nextLink" || x != nil) {
				return false
			}
		}
		return true
	}
	return false
}
