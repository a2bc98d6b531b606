package azure

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/resource/idcase"
)

// SubscriptionID is the ID of a subscription's account resource.
func SubscriptionID(sub string) string { return "/subscriptions/" + sub }

// Finalize completes the Azure resources of a merged inventory with what
// needs this export's own rows (role names from definitions, SQL firewall
// rules and auditing, blob service settings and containers joined to their
// parents) and returns one account resource per subscription seen that has
// no subscription row, with the subscription's account facts set on every
// account resource. VM public IPs through NICs and VNet flow logs are
// derived from typed relationships by inventory.Derive after it.
func Finalize(all []*resource.Resource) (added []*resource.Resource, problems []attr.Problem) {
	return FinalizeUnread(all, nil)
}

// FinalizeUnread is Finalize told the inputs that were not read whole
// (reported with input problems): a subscription with resources from one
// of them may lack rows, so the facts its rows' absence would decide (no
// VPN gateway allowing certificate clients) are left unknown there.
func FinalizeUnread(all []*resource.Resource, unread []string) (added []*resource.Resource, problems []attr.Problem) {
	byType := map[string][]*resource.Resource{}
	azure := 0
	for _, r := range all {
		if r.Provider == resource.Azure {
			azure++
		}
	}
	// The lower-case IDs are the index's keys, in shared blocks rather
	// than a string each.
	var low idcase.Lowerer
	byID := make(map[string]*resource.Resource, azure)
	subs := map[string]bool{}
	for _, r := range all {
		if r.Provider != resource.Azure {
			continue
		}
		byType[r.Type] = append(byType[r.Type], r)
		byID[low.Keep(r.ID)] = r
		if r.Account != "" {
			subs[r.Account] = true
		}
	}
	if len(byID) == 0 {
		return nil, nil
	}
	parent := func(id, childSeg string) *resource.Resource {
		l := strings.ToLower(id)
		if i := strings.Index(l, "/"+strings.ToLower(childSeg)+"/"); i > 0 {
			return byID[l[:i]]
		}
		return nil
	}

	// Role assignments: role names and privilege from the definitions.
	defs := map[string]*resource.Resource{}
	for _, d := range byType[TypeRoleDefinition] {
		defs[roleGUID(d.ID)] = d
	}
	for _, a := range byType[TypeRoleAssignment] {
		b := a.Facts.Binding
		if b == nil || b.Role == "" {
			continue
		}
		def := defs[roleGUID(b.Role)]
		if def != nil && def.Name != "" && !looksLikeGUID(def.Name) {
			b.RoleName = def.Name
		}
		privileged := b.RoleName == "Owner" || b.RoleName == "User Access Administrator"
		if def != nil && def.Facts.Role != nil && attr.Any(def.Facts.Role.FullAdmin) {
			privileged = true
		}
		if b.RoleName != "" || def != nil {
			b.Privileged = resource.Bool(privileged)
			b.Primitive = resource.Bool(b.RoleName == "Owner" || b.RoleName == "Contributor")
		}
	}

	// Child rows are read typed: a field of the wrong type is a problem
	// naming the row and the field, and the parent's fact is unknown.
	unknownNets, unknownAudit := map[*resource.Resource]bool{}, map[*resource.Resource]bool{}
	read := rowReader(&problems)

	// Database servers: firewall rules and auditing settings given as rows.
	for _, t := range []string{TypeSQLFirewallRule, TypePostgresFirewallRule, TypeMySQLFirewallRule} {
		for _, fr := range byType[t] {
			srv := parent(fr.ID, "firewallRules")
			p, failed := read(fr)
			p.Str("startIpAddress")
			p.Str("endIpAddress")
			if failed() && srv != nil {
				unknownNets[srv] = true
			}
			if srv != nil && srv.Facts.Database != nil {
				addFirewallRange(srv.Facts.Database, node{M: fr.Raw})
			}
		}
	}
	finishFailoverGroups(byType[TypeSQLFailoverGroup], parent)
	for _, as := range byType[TypeSQLAuditing] {
		srv := parent(as.ID, "auditingSettings")
		p, failed := read(as)
		state, _ := p.Str("state")
		if failed() {
			if srv != nil {
				unknownAudit[srv] = true
			}
			continue
		}
		if srv != nil && srv.Facts.Database != nil {
			on := strings.EqualFold(state, "Enabled")
			if srv.Facts.Database.AuditingEnabled == nil || on {
				srv.Facts.Database.AuditingEnabled = resource.Bool(on)
			}
		}
	}
	// SQL servers: the security alert policy (Defender for SQL threat
	// detection), which Resource Graph does not carry (vigil collect lists
	// it). A server without one in the input stays unknown.
	for _, ap := range byType[TypeSQLAlertPolicy] {
		srv := parent(ap.ID, "securityAlertPolicies")
		p, failed := read(ap)
		state, sst := p.Str("state")
		disabled, dst := p.Strs("disabledAlerts")
		mails, mst := p.Strs("emailAddresses")
		admins, ast := p.Boolean("emailAccountAdmins")
		failed()
		if srv == nil || srv.Facts.Database == nil {
			continue
		}
		pol := SQLAlertPolicy{Disabled: disabled, DisabledKnown: dst == ok || dst == absent,
			Emails: mails, EmailsKnown: mst == ok || mst == absent, Admins: admins}
		if sst == ok {
			pol.State = &state
		}
		if ast == absent {
			pol.Admins = resource.Bool(false)
		}
		d := srv.Facts.Database
		d.ThreatAlerts, d.ThreatAlertRecipients = pol.Facts()
	}
	for srv := range unknownNets {
		if d := srv.Facts.Database; d != nil {
			d.AuthorizedNetworks = nil
		}
	}
	for srv := range unknownAudit {
		if d := srv.Facts.Database; d != nil && !attr.Any(d.AuditingEnabled) {
			d.AuditingEnabled = nil
		}
	}

	// Storage accounts: blob service versioning and soft delete.
	for _, bs := range byType[TypeBlobService] {
		acct := parent(bs.ID, "blobServices")
		if acct == nil || acct.Facts.Storage == nil {
			continue
		}
		p, failed := read(bs)
		v, vst := p.Boolean("isVersioningEnabled")
		del, dst := p.Boolean("deleteRetentionPolicy", "enabled")
		failed()
		switch {
		case vst == ok:
			acct.Facts.Storage.Versioning = v
		case vst == absent && p.Present():
			// ARM leaves the property out when versioning was never
			// enabled; an explicit null (the storage data plane, which
			// cannot tell) says nothing.
			if _, present := p.Map()["isVersioningEnabled"]; !present {
				acct.Facts.Storage.Versioning = resource.Bool(false)
			}
		}
		if dst == ok {
			acct.Facts.Storage.DeleteProtection = del
		}
	}

	// Storage accounts: public access from their containers' access level,
	// when the containers are in the input and the account allows it.
	containers := map[*resource.Resource][3]int{} // account -> (containers, public ones, unreadable ones)
	for _, c := range byType[TypeBlobContainer] {
		acct := parent(c.ID, "blobServices")
		p, failed := read(c)
		lvl, _ := p.Str("publicAccess")
		bad := failed()
		if acct == nil || acct.Facts.Storage == nil {
			continue
		}
		n := containers[acct]
		n[0]++
		switch {
		case bad:
			n[2]++
		case lvl != "" && !strings.EqualFold(lvl, "None"):
			n[1]++
		}
		containers[acct] = n
	}
	for acct, n := range containers {
		s := acct.Facts.Storage
		switch {
		case s.PublicAccessBlocked != nil && *s.PublicAccessBlocked:
			// public access is disallowed whatever the containers say
		case n[1] > 0:
			s.PublicAccess = resource.Bool(true)
		case n[2] == 0:
			s.PublicAccess = resource.Bool(false)
		default:
			s.PublicAccess = nil // a container whose access level could not be read
		}
	}

	// Subscription facts.
	type subFacts struct {
		diagAny, diagSub, diagSubOn bool
		pricings, standard          int
		pricingsBad                 int
		contacts, contactsWithEmail int
		contactsBad                 int
	}
	facts := map[string]*subFacts{}
	get := func(s string) *subFacts {
		if facts[s] == nil {
			facts[s] = &subFacts{}
		}
		return facts[s]
	}
	for _, d := range byType[TypeDiagnosticSetting] {
		if !subscriptionDiagnosticSetting(d.ID) {
			continue // a resource's own setting says nothing of the activity log's export
		}
		f := get(d.Account)
		f.diagAny = true
		if a := d.Facts.AuditLog; a != nil {
			f.diagSub = true
			if attr.Any(a.Enabled) {
				f.diagSubOn = true
			}
		}
	}
	for _, p := range byType[TypePricing] {
		f := get(p.Account)
		f.pricings++
		props, failed := read(p)
		tier, _ := props.Str("pricingTier")
		if failed() {
			f.pricingsBad++
		} else if strings.EqualFold(tier, "Standard") {
			f.standard++
		}
	}
	for _, c := range byType[TypeSecurityContact] {
		f := get(c.Account)
		f.contacts++
		p, failed := read(c)
		emails, _ := p.Str("emails")
		email, _ := p.Str("email")
		if failed() {
			f.contactsBad++
			continue
		}
		if strings.TrimSpace(emails) != "" || strings.TrimSpace(email) != "" {
			f.contactsWithEmail++
		}
	}
	accountRes := map[string]*resource.Resource{}
	for _, s := range byType[TypeSubscription] {
		accountRes[s.Account] = s
	}
	ids := make([]string, 0, len(subs))
	for s := range subs {
		ids = append(ids, s)
	}
	sort.Strings(ids)
	for _, s := range ids {
		r := accountRes[s]
		if r == nil {
			r = &resource.Resource{
				Provider: resource.Azure, Account: s, Region: "global", Type: TypeSubscription, ID: SubscriptionID(s),
				Name: s, Source: "synthesized", Class: resource.ClassAccount,
			}
			added = append(added, r)
		}
		if r.Facts.Account == nil {
			r.Facts.Account = &resource.Account{}
		}
		af, f := r.Facts.Account, get(s)
		switch {
		case f.diagSubOn:
			af.AuditLogging = resource.Bool(true)
		case f.diagAny:
			af.AuditLogging = resource.Bool(false)
		}
		switch {
		case f.standard > 0:
			af.ThreatDetection = resource.Bool(true)
		case f.pricings > 0 && f.pricingsBad == 0:
			af.ThreatDetection = resource.Bool(false)
		}
		switch {
		case f.contactsWithEmail > 0:
			af.SecurityContact = resource.Bool(true)
		case f.contacts > 0 && f.contactsBad == 0:
			af.SecurityContact = resource.Bool(false)
		}
	}
	problems = append(problems, finishCIS(append(all[:len(all):len(all)], added...))...)
	for _, a := range added {
		if a.Provider == resource.Azure {
			byID[low.Keep(a.ID)] = a
		}
	}
	problems = append(problems, finishCIS6(append(all[:len(all):len(all)], added...), unread, byID)...)
	problems = append(problems, finishLocks(all)...) // cis_locks.go
	finishCertificates(byType[TypeKeyVaultCertificate], byType[TypeKeyVault], byType[TypeKeyVaultSecret])
	return added, problems
}

var guidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

func looksLikeGUID(s string) bool { return guidRE.MatchString(s) }

func unixRFC3339(sec int64) string { return time.Unix(sec, 0).UTC().Format(time.RFC3339) }

var isoDur = regexp.MustCompile(`^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$`)

// isoDays converts an ISO 8601 duration of years, months and days
// (P90D, P1Y, P2M) to days (a year is 365 days, a month 30).
func isoDays(s string) *int {
	m := isoDur.FindStringSubmatch(strings.ToUpper(s))
	if m == nil || s == "P" {
		return nil
	}
	days := 0
	for i, mult := range []int{365, 30, 1} {
		if m[i+1] != "" {
			n, err := strconv.Atoi(m[i+1])
			if err != nil || n > 100000 {
				return nil
			}
			days += n * mult
		}
	}
	return &days
}

// FinishRaw returns the part of r.Raw that Finalize reads (nil: none), so
// that an importer may drop the rest of a resource's decoded attributes as
// soon as the file is parsed. Keep it in step with Finalize:
// TestFinishRawKeepsWhatFinalizeReads (importer) compares the inventories
// imported with and without the pruning. Of a row whose properties are an
// object it keeps them alone, in a map of one member: the finishers read a
// row's properties, or the row itself when it has none (rowReader,
// addFirewallRange); the whole rows as maps were about 7 MB and 15,000
// allocations of the 100,000-resource realistic inventory's import
// (7,800 rows of these types).
func FinishRaw(r *resource.Resource) map[string]any {
	if !keepsRaw(r.Type) {
		return nil
	}
	if p, found := r.Raw["properties"]; found && len(r.Raw) > 1 && attr.AsObj(p) != nil {
		return attr.M{"properties": p}
	}
	return r.Raw
}

// finishRaw is FinishRaw of the row it, made without the whole row's map
// when the properties are an object; a flat row (az CLI outputs without
// properties) is kept whole.
func finishRaw(it *attr.Item) attr.M {
	if p, found := it.Exact("properties"); found && (attr.IsObject(p) || attr.AsObj(p) != nil) {
		return attr.M{"properties": attr.Plain(p)}
	}
	return it.PlainMap()
}

// keepsRaw tells the types whose Raw FinishRaw keeps.
func keepsRaw(typ string) bool {
	switch typ {
	case TypeSQLFirewallRule, TypePostgresFirewallRule, TypeMySQLFirewallRule, TypeSQLAuditing, TypeSQLAlertPolicy,
		TypeBlobService, TypeBlobContainer, TypePricing, TypeSecurityContact, TypeLock:
		return true
	}
	return cisKeepsRaw(typ) || cis6KeepsRaw(typ)
}

// rowReader reads child rows typed: read(r) gives the row's properties (the
// row itself when it has none) and a function that moves the problems met
// while reading them (a field of the wrong type) into *problems, naming the
// row's file, and says whether there were any.
func rowReader(problems *[]attr.Problem) func(r *resource.Resource) (node, func() bool) {
	return func(r *resource.Resource) (node, func() bool) {
		c := &checker{ID: r.ID}
		row := node{M: r.Raw, C: c}
		p, st := row.Obj("properties")
		if st == absent {
			p = row
		}
		return p, func() bool {
			for _, pr := range c.Problems {
				pr.Path = r.Source
				*problems = append(*problems, pr)
			}
			return len(c.Problems) > 0
		}
	}
}
