package gcp

import (
	"sort"
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// ProjectID is the asset name of a project, as Cloud Asset Inventory names it.
func ProjectID(project string) string {
	return "//cloudresourcemanager.googleapis.com/projects/" + project
}

// Finalize completes the GCP resources of a merged inventory: accounts are
// project IDs wherever the input shows the project number's ID, service
// accounts get their keys, projects their essential contacts, and every
// project seen has a resource of class account (the Project asset when the
// export has it, else a synthesized one).
func Finalize(all []*resource.Resource) (added []*resource.Resource, problems []attr.Problem) {
	var rs []*resource.Resource
	numToID := map[string]string{}
	for _, r := range all {
		if r.Provider != resource.GCP {
			continue
		}
		rs = append(rs, r)
		if r.Type == TypeProject {
			d := assetData(r)
			if id, num := d.lstr("projectId"), d.lstr("projectNumber"); id != "" && num != "" {
				numToID[num] = id
			}
		}
		if id := projectInName(r.ID); id != "" && !isNumber(id) {
			for _, anc := range attr.Strs(r.Raw, "ancestors") {
				if num, ok := strings.CutPrefix(anc, "projects/"); ok {
					if _, have := numToID[num]; !have {
						numToID[num] = id
					}
					break
				}
			}
		}
	}
	if len(rs) == 0 {
		return nil, nil
	}
	byType := map[string][]*resource.Resource{}
	projects := map[string]bool{}
	for _, r := range rs {
		if id, ok := numToID[r.Account]; ok {
			r.Account = id
		}
		if r.Region == "" {
			r.Region = "global"
		}
		byType[r.Type] = append(byType[r.Type], r)
		if r.Account != "" {
			projects[r.Account] = true
		}
	}

	finishReplication(byType)

	// Service accounts: their keys, found by the account's asset name,
	// unique ID or email. A key that cannot be read (a field of the wrong
	// type, or an asset whose name or type could not be read: Type "")
	// leaves its account's keys unknown, and those of every service
	// account of its project (of every project when its project cannot be
	// told either) when its owner cannot be told: it may be a user-managed
	// key, so the list is not complete.
	sas := map[string]*resource.Resource{}
	for _, sa := range byType[TypeServiceAccount] {
		sas[sa.ID] = sa
		d := assetData(sa)
		for _, k := range []string{"uniqueId", "email"} {
			if v := d.lstr(k); v != "" {
				sas[v] = sa
			}
		}
	}
	keyed := map[string]bool{}
	unknown := map[*resource.Resource]bool{}
	unknownProject := map[string]bool{}
	allUnknown := false
	for _, k := range append(byType[TypeServiceAccountKey][:len(byType[TypeServiceAccountKey]):len(byType[TypeServiceAccountKey])], byType[""]...) {
		if k.Account != "" {
			keyed[k.Account] = true
		}
		key, ownerName, good := ServiceAccountKey(k)
		var owner *resource.Resource
		if ownerName != "" {
			owner = sas[ownerName]
			if owner == nil {
				owner = sas[shortName(ownerName)]
			}
		}
		switch {
		case !good && owner != nil:
			unknown[owner] = true
		case !good && ownerName == "" && k.Account != "":
			unknownProject[k.Account] = true
		case !good && ownerName == "":
			allUnknown = true
		}
		if owner == nil || owner.Facts.Identity == nil {
			continue // a service account the inventory does not hold
		}
		if good {
			owner.Facts.Identity.AccessKeys = append(owner.Facts.Identity.AccessKeys, key)
		}
		if isKeyName(k.ID) {
			attr.Relate(owner, "has_key", k.ID)
		}
	}
	for _, sa := range byType[TypeServiceAccount] {
		id := sa.Facts.Identity
		if id == nil {
			continue
		}
		if unknown[sa] || unknownProject[sa.Account] || allUnknown {
			id.AccessKeys, id.AccessKeysKnown = nil, nil
			continue
		}
		if keyed[sa.Account] {
			id.AccessKeysKnown = resource.Bool(true)
		}
	}

	// Essential contacts for security notifications.
	contact := map[string]bool{}
	for _, c := range byType[TypeContact] {
		d := assetData(c)
		for _, cat := range d.lstrs("notificationCategorySubscriptions") {
			if cat == "SECURITY" || cat == "ALL" {
				contact[c.Account] = true
			}
		}
	}

	acct := map[string]*resource.Resource{}
	for _, p := range byType[TypeProject] {
		if id := assetData(p).lstr("projectId"); id != "" {
			p.Name = id
		}
		acct[p.Account] = p
	}
	ids := make([]string, 0, len(projects))
	for p := range projects {
		ids = append(ids, p)
	}
	sort.Strings(ids)
	cis := projectCIS(byType, acct)
	finishCIS5(all, cis)
	for _, p := range ids {
		r := acct[p]
		if r == nil {
			r = &resource.Resource{
				Provider: resource.GCP, Account: p, Region: "global", Type: TypeProject, ID: ProjectID(p), Name: p,
				Source: "synthesized", Class: resource.ClassAccount,
			}
			added = append(added, r)
		}
		if r.Facts.Account == nil {
			r.Facts.Account = &resource.Account{}
		}
		if contact[p] {
			r.Facts.Account.SecurityContact = resource.Bool(true)
		}
		if c := cis[p]; c != nil {
			r.Facts.Account.CIS = c
		}
	}
	inheritAuditConfigs(byType[TypeAuditConfig], acct)
	return added, nil
}

// inheritAuditConfigs completes each project's audit configuration with
// those of its folders and organization: IAM unions the audit configs of a
// resource's ancestors with its own, so logging enabled for allServices on
// the organization covers every project below. A project whose own or an
// ancestor's configuration could not be read keeps what it had.
func inheritAuditConfigs(configs []*resource.Resource, projects map[string]*resource.Resource) {
	byNode := map[string]*resource.Resource{}
	for _, c := range configs {
		if owner := attr.Str(c.Raw, "resource"); owner != "" {
			byNode[owner] = c
		}
	}
	const crm = "//cloudresourcemanager.googleapis.com/"
	for _, p := range projects {
		own := byNode[p.ID]
		if own == nil || own.Facts.AuditLog == nil || own.Facts.AuditLog.AllServices == nil || *own.Facts.AuditLog.AllServices {
			continue
		}
		union := auditSummary{types: map[string]bool{}}
		union.add(attr.AsArr(own.Raw["audit_configs"]))
		inherited := false
		for _, anc := range attr.Strs(p.Raw, "ancestors") {
			if strings.HasPrefix(anc, "projects/") {
				continue
			}
			c := byNode[crm+anc]
			if c == nil {
				continue
			}
			if c.Facts.AuditLog == nil || c.Facts.AuditLog.AllServices == nil {
				union.unreadable = true // the ancestor's configuration could not be read
				continue
			}
			union.add(attr.AsArr(c.Raw["audit_configs"]))
			inherited = true
		}
		if !inherited || union.unreadable {
			continue
		}
		al := own.Facts.AuditLog
		al.Enabled = resource.Bool(union.any)
		al.AllServices = resource.Bool(union.complete())
		if p.Facts.Account != nil {
			p.Facts.Account.AuditLogging = resource.Bool(union.allServices)
		}
	}
}

// auditSummary is the union of audit configs along a resource's ancestry.
type auditSummary struct {
	any, allServices, exempt, unreadable bool
	types                                map[string]bool // log types for allServices
}

func (u *auditSummary) add(configs []any) {
	for _, c := range configs {
		m, ok := c.(attr.M)
		if !ok {
			u.unreadable = true
			continue
		}
		u.any = true
		if attr.Str(m, "service") != "allServices" {
			continue
		}
		u.allServices = true
		lcs := attr.AsArr(first(m, "audit_log_configs", "auditLogConfigs"))
		for _, x := range lcs {
			lc, ok := x.(attr.M)
			if !ok {
				u.unreadable = true
				continue
			}
			lt := attr.AsStr(first(lc, "log_type", "logType"))
			if n, found := logTypes[lt]; found {
				lt = n
			}
			u.types[lt] = true
			if len(attr.AsArr(first(lc, "exempted_members", "exemptedMembers"))) > 0 {
				u.exempt = true
			}
		}
	}
}

func (u *auditSummary) complete() bool {
	return u.allServices && u.types["ADMIN_READ"] && u.types["DATA_READ"] && u.types["DATA_WRITE"] && !u.exempt
}

// assetData is the resource.data of r's Raw (a zero node when it has
// none), for the finishers' lenient reads (lstr...), which report nothing:
// it has no checker (read gives one).
func assetData(r *resource.Resource) node {
	n, _ := nodeOf(attr.ObjIn(r.Raw, "resource", "data"), attr.PathOf("resource.data"), nil)
	n.path = attr.PathOf("resource.data")
	return n
}

// FinishRaw returns the part of r.Raw that Finalize reads (nil: none): the
// whole asset of the types whose data it reads, the ancestors of the
// others (project numbers), so that an importer may drop the rest of a
// resource's decoded attributes as soon as the file is parsed. Keep it in
// step with Finalize: TestFinishRawKeepsWhatFinalizeReads (importer)
// compares the inventories imported with and without the pruning. A
// RawPruner keeps less over the resources of a file.
func FinishRaw(r *resource.Resource) map[string]any {
	var p RawPruner
	return p.FinishRaw(r)
}

// RawPruner is FinishRaw over the resources of one file, in their order.
// Of the types whose asset Finalize does not read, it reads the ancestors
// only of a resource named by its project ID, to learn that project's
// number (its first projects/ ancestor): they are kept on the first
// resource of the file that tells a project ID its number, and dropped
// from the others (a map for each GCP resource, live until the finishers
// ran).
type RawPruner struct {
	told map[projectNumber]bool
	last projectNumber // the last one told: most resources of a file are of one project
}

type projectNumber struct{ id, num string }

// FinishRaw is FinishRaw(r), nil when an earlier resource the pruner was
// given told Finalize the same. What it keeps is made of maps throughout
// (attr.PlainMap: an asset decoded with attr.LinesObjects holds Objects).
func (p *RawPruner) FinishRaw(r *resource.Resource) map[string]any {
	switch r.Type {
	case TypeProject, TypeServiceAccount, TypeServiceAccountKey, "", TypeContact, TypeAuditConfig, TypeLogSink, TypeLogMetric,
		TypeAlertPolicy, TypeComputeProject:
		return attr.PlainMap(r.Raw)
	}
	if cis5KeepsRaw(r.Type) {
		return attr.PlainMap(r.Raw)
	}
	anc, ok := r.Raw["ancestors"]
	if !ok {
		return nil
	}
	id := projectInName(r.ID)
	if id == "" || isNumber(id) {
		return nil // Finalize reads no ancestors of it
	}
	num, found := projectAncestor(anc)
	if !found {
		return nil // no project number among them
	}
	told := projectNumber{id, num}
	if told == p.last || p.told[told] {
		return nil
	}
	if p.told == nil {
		p.told = map[projectNumber]bool{}
	}
	p.told[told], p.last = true, told
	return map[string]any{"ancestors": attr.Plain(anc)}
}

// projectAncestor is what follows "projects/" in the first such element of
// an asset's ancestors, read as attr.Strs reads them (a string holding a
// JSON array is that array, another string a list of itself), without
// making the list: the pruner asks it of nearly every asset.
func projectAncestor(anc any) (num string, found bool) {
	if s, isStr := anc.(string); isStr {
		a := attr.AsArr(s)
		if a == nil {
			if num, found := strings.CutPrefix(s, "projects/"); found {
				return num, true
			}
			return "", false
		}
		anc = a
	}
	a, _ := anc.([]any)
	for _, e := range a {
		if num, found := strings.CutPrefix(attr.AsStr(e), "projects/"); found {
			return num, true
		}
	}
	return "", false
}
