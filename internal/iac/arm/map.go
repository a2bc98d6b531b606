package arm

import (
	"slices"
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/internal/iac/secrets"
	"github.com/vigil-sec/vigil/internal/importer/azure"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/source"
)

// mapper maps a file's instances to resources through the Resource Graph
// mapping of the azure importer.
type mapper struct {
	f     *fileState
	opts  Options
	batch *source.Batch
}

// row is an instance evaluated in the shape of a Resource Graph row.
type row struct {
	in    *instance
	m     map[string]any
	props map[string]any // nil when the properties are not an object
}

// joinedChildren are child types (lower-case) that Resource Graph shows
// inside their parent's properties (parent property name): they are added
// there.
var joinedChildren = map[string]string{
	"microsoft.network/networksecuritygroups/securityrules": "securityRules",
	"microsoft.network/virtualnetworks/subnets":             "subnets",
}

// configuresParent are the child types (lower-case) JoinRows joins onto
// their parent.
var configuresParent = map[string]bool{
	strings.ToLower(azure.TypeBlobService):          true,
	strings.ToLower(azure.TypeBlobContainer):        true,
	strings.ToLower(azure.TypeSQLFirewallRule):      true,
	strings.ToLower(azure.TypeSQLAuditing):          true,
	strings.ToLower(azure.TypePostgresFirewallRule): true,
	strings.ToLower(azure.TypeMySQLFirewallRule):    true,
}

func (m *mapper) mapAll(ins []*instance) {
	rows := make([]*row, 0, len(ins))
	byID := map[string]*row{}
	for _, in := range ins {
		r := m.evaluate(in)
		rows = append(rows, r)
		byID[strings.ToLower(in.armID)] = r
	}
	// Children Resource Graph shows inside their parent.
	for _, r := range rows {
		key, joined := joinedChildren[strings.ToLower(r.in.typ)]
		if !joined {
			continue
		}
		i := strings.LastIndexByte(r.in.armID, '/')
		j := strings.LastIndexByte(r.in.armID[:max(i, 0)], '/')
		if j <= 0 {
			continue
		}
		p := byID[strings.ToLower(r.in.armID[:j])]
		if p == nil || p.props == nil {
			continue
		}
		child := map[string]any{"name": r.in.name[strings.LastIndexByte(r.in.name, '/')+1:], "id": r.in.armID}
		if r.props != nil {
			child["properties"] = r.props
		} else {
			child["properties"] = r.m["properties"]
		}
		if r.in.maybe {
			p.props[key] = unk // a rule that may or may not be deployed
			continue
		}
		list, _ := p.props[key].([]any)
		if _, isUnk := p.props[key].(unknown); isUnk {
			continue
		}
		p.props[key] = append(list, child)
	}
	out := make([]*resource.Resource, 0, len(rows))
	byRes := map[*resource.Resource]*row{}
	for _, r := range rows {
		if r.in.maybe && (configuresParent[strings.ToLower(r.in.typ)] || resourceDiagnosticSetting(r.in)) {
			// A child that may not be deployed: what it adds to its
			// parent is unknown.
			r.m["properties"] = unk
		}
		res, probs := azure.MapRow(m.f.file, toRow(r.m).(map[string]any))
		for _, p := range probs {
			p.Path, p.Line = m.f.file, r.in.start
			p.Resource = r.in.addr
			m.f.probs = append(m.f.probs, p)
		}
		if res == nil {
			continue
		}
		out = append(out, res)
		byRes[res] = r
	}
	subFacts, joinProbs := azure.JoinRowsSubscription(out)
	for _, p := range joinProbs {
		p.Path = m.f.file
		if r := byID[strings.ToLower(p.Resource)]; r != nil {
			p.Resource, p.Line = r.in.addr, r.in.start
		}
		m.f.probs = append(m.f.probs, p)
	}
	m.templateDefaults(out, rows)
	resourceDiagnostics(out, rows)
	sqlAlertPolicies(out, rows)
	vmBootSecrets(byRes)
	seen := map[string]int{}
	for _, res := range out {
		r := byRes[res]
		in := r.in
		addr := in.addr
		if n := seen[addr]; n > 0 {
			addr += "#" + strconv.Itoa(n+1)
		}
		seen[in.addr]++
		res.Aliases = append(res.Aliases, in.armID)
		res.ID = m.f.file + ":" + addr
		res.Name = in.name
		res.Source = m.f.file
		res.Account = strings.ToLower(m.opts.SubscriptionID)
		if isUnknown(r.m["location"]) && res.Region == "global" {
			res.Region = ""
		}
		res.Region = strings.ReplaceAll(res.Region, " ", "") // "West Europe" is westeurope
		res.Location = &resource.Location{File: m.f.file, StartLine: in.start, EndLine: in.end, Address: addr, Calls: in.t.calls}
		res.Raw = nil
		if res.Facts.Database != nil && adminPasswordTypes[strings.ToLower(in.typ)] {
			dbCredentials(res.Facts.Database, in)
		}
		m.batch.Resources = append(m.batch.Resources, res)
		if res.Class == resource.ClassOther {
			if m.batch.Unsupported == nil {
				m.batch.Unsupported = map[string]string{}
			}
			m.batch.Unsupported[res.ID] = res.Type
		}
	}
	if subFacts != nil {
		m.subscription(subFacts, out, byRes)
	}
}

// subscription adds the template's subscription, with the facts of the
// Defender plans and security contacts it declares (as the importer reads
// them from an export's rows, azure.JoinRowsSubscription), located at the
// first of them: one account resource, as a live inventory has one per
// subscription, however many plans the template sets. Terraform's
// azurerm_security_center_subscription_pricing and _contact give the same
// facts.
func (m *mapper) subscription(facts *resource.Account, out []*resource.Resource, byRes map[*resource.Resource]*row) {
	var first *instance
	for _, res := range out {
		if res.Type != azure.TypePricing && res.Type != azure.TypeSecurityContact {
			continue
		}
		if in := byRes[res].in; first == nil || in.start < first.start {
			first = in
		}
	}
	if first == nil {
		return
	}
	sub := strings.ToLower(m.opts.SubscriptionID)
	name := sub
	if name == "" {
		name = "subscription"
	}
	m.batch.Resources = append(m.batch.Resources, &resource.Resource{
		Provider: resource.Azure, Account: sub, Region: "global", Type: azure.TypeSubscription,
		ID: m.f.file + ":subscription", Name: name, Source: m.f.file, Class: resource.ClassAccount,
		Facts:    resource.Facts{Account: facts},
		Location: &resource.Location{File: m.f.file, StartLine: first.start, EndLine: first.end, Address: "subscription", Calls: first.t.calls},
	})
}

// evaluate evaluates an instance's fields into a row.
func (m *mapper) evaluate(in *instance) *row {
	s, rn := in.s, in.n
	r := &row{in: in, m: map[string]any{"type": in.typ, "name": in.name}}
	for _, k := range []string{"location", "kind", "sku", "identity", "tags", "properties", "zones"} {
		if n := rn.get(k); n != nil {
			r.m[k] = s.value(n, in.addr, k, k == "properties")
		}
	}
	scopeID := in.t.ctx.scopeID() + in.extScope
	if sn := rn.get("scope"); sn != nil && in.extScope == "" {
		if v, ok := s.named().value(sn, in.addr, "scope", false).(string); ok {
			if strings.HasPrefix(v, "/") {
				scopeID = strings.TrimSuffix(v, "/")
			} else if v != "" {
				scopeID += "/providers/" + v // a symbolic reference in Bicep's output
			}
		}
	}
	in.armID = scopeID + "/providers/" + resourcePath(in.typ, splitName(in.name))
	if in.typ == azure.TypeResourceGroup {
		in.armID = in.t.ctx.subID() + "/resourceGroups/" + in.name
	}
	r.m["id"] = in.armID
	if m.opts.SubscriptionID != "" {
		r.m["subscriptionId"] = strings.ToLower(m.opts.SubscriptionID)
	}
	if in.t.ctx.rg != "" && in.t.ctx.level == scopeResourceGroup && !strings.HasPrefix(in.t.ctx.rg, "{") {
		r.m["resourceGroup"] = in.t.ctx.rg
	}
	switch p := r.m["properties"].(type) {
	case map[string]any:
		r.props = p
	case nil:
		if _, present := r.m["properties"]; !present {
			r.props = map[string]any{}
			r.m["properties"] = r.props
		}
	}
	if r.props != nil {
		apiDefaults(in.typ, in.api, r.props)
		if in.typ == azure.TypeRoleAssignment {
			if _, has := lookup(r.props, "scope"); !has {
				r.props["scope"] = scopeID
			}
		}
	}
	return r
}

// firewallRuleType is the firewall rule child type of each server type.
var firewallRuleType = map[string]string{
	azure.TypeSQLServer:        azure.TypeSQLFirewallRule,
	azure.TypePostgresFlexible: azure.TypePostgresFirewallRule,
	azure.TypeMySQLFlexible:    azure.TypeMySQLFirewallRule,
}

// templateDefaults sets what a template that declares no child resource
// deploys: a SQL server without auditing settings has auditing off; a
// storage account without a blob service has blob versioning and soft
// delete off (the API's defaults); a SQL or flexible server without
// firewall rules admits no address range (as the Terraform reader reads a
// server without firewall rule resources).
func (m *mapper) templateDefaults(out []*resource.Resource, rows []*row) {
	children := map[string]bool{} // parent ARM ID + "|" + child type
	for _, r := range rows {
		for _, c := range []struct{ typ, seg string }{
			{azure.TypeSQLAuditing, "/auditingSettings/"}, {azure.TypeBlobService, "/blobServices/"},
			{azure.TypeSQLFirewallRule, "/firewallRules/"}, {azure.TypePostgresFirewallRule, "/firewallRules/"},
			{azure.TypeMySQLFirewallRule, "/firewallRules/"},
		} {
			if r.in.typ == c.typ {
				l := strings.ToLower(r.in.armID)
				if i := strings.LastIndex(l, strings.ToLower(c.seg)); i > 0 {
					children[l[:i]+"|"+c.typ] = true
				}
			}
		}
	}
	for _, res := range out {
		l := strings.ToLower(res.ID) // still the ARM ID here
		if fw := firewallRuleType[res.Type]; fw != "" && res.Facts.Database != nil && res.Facts.Database.AuthorizedNetworks == nil && !children[l+"|"+fw] {
			res.Facts.Database.AuthorizedNetworks = []string{}
		}
		switch {
		case res.Type == azure.TypeSQLServer && res.Facts.Database != nil && !children[l+"|"+azure.TypeSQLAuditing]:
			if res.Facts.Database.AuditingEnabled == nil {
				res.Facts.Database.AuditingEnabled = resource.Bool(false)
			}
		case res.Type == azure.TypeStorageAccount && res.Facts.Storage != nil && !children[l+"|"+azure.TypeBlobService]:
			s := res.Facts.Storage
			if s.Versioning == nil {
				s.Versioning = resource.Bool(false)
			}
			if s.DeleteProtection == nil {
				s.DeleteProtection = resource.Bool(false)
			}
		}
	}
}

// resourceDiagnostics reads the logs of the template's AKS clusters and
// Key Vaults from its diagnostic settings of them (a top-level
// Microsoft.Insights/diagnosticSettings whose scope is the resource, or the
// older nested <type>/providers/diagnosticSettings form), as the Terraform
// reader reads azurerm_monitor_diagnostic_setting: for a cluster an enabled
// log category or category group is control plane logging, kube-audit,
// kube-audit-admin or the audit and allLogs groups audit logging; for a
// vault AuditEvent or the audit and allLogs groups is its logging (CIS
// Azure 6.1.1.4). A resource the template gives no diagnostic setting has
// none (as in Terraform, and as KICS reads it); a setting under an
// undecided condition or with logs known only at deploy leaves them
// unknown unless another setting decides. The importer reads a vault's
// settings from the export's resource-scope diagnostic settings alike.
func resourceDiagnostics(out []*resource.Resource, rows []*row) {
	settings := map[string][]*row{} // lower-case scope ARM ID → its settings
	for _, r := range rows {
		if r.in.typ != azure.TypeDiagnosticSetting {
			continue
		}
		l := strings.ToLower(r.in.armID)
		if i := strings.LastIndex(l, "/providers/microsoft.insights/diagnosticsettings/"); i > 0 {
			settings[l[:i]] = append(settings[l[:i]], r)
		}
	}
	for _, res := range out {
		var targets []**bool
		var wants [][]string
		switch {
		case res.Type == azure.TypeManagedCluster && res.Facts.Kubernetes != nil:
			k := res.Facts.Kubernetes
			targets = []**bool{&k.ControlPlaneLogging, &k.AuditLogging}
			wants = [][]string{nil, {"kube-audit", "kube-audit-admin", "audit", "alllogs"}}
		case res.Type == azure.TypeKeyVault && res.Facts.KeyVault != nil:
			targets = []**bool{&res.Facts.KeyVault.Logging}
			wants = [][]string{{"auditevent", "audit", "alllogs"}}
		default:
			continue
		}
		all, known := map[string]bool{}, true
		for _, d := range settings[strings.ToLower(res.ID)] { // still the ARM ID here
			cats, good := diagCategories(d)
			known = known && good
			for c := range cats {
				all[c] = true
			}
		}
		for i, t := range targets {
			if *t == nil {
				*t = logged(all, known, wants[i])
			}
		}
	}
}

// resourceDiagnosticSetting: a diagnostic setting of a resource (a vault,
// a cluster), which the importer joins onto it, not of a subscription.
func resourceDiagnosticSetting(in *instance) bool {
	return in.typ == azure.TypeDiagnosticSetting && strings.Count(strings.ToLower(in.armID), "/providers/") > 1
}

// logged: whether the categories include one of want (any category when
// want is nil); false only when every setting was known.
func logged(cats map[string]bool, known bool, want []string) *bool {
	for c := range cats {
		if want == nil || slices.Contains(want, c) {
			return resource.Bool(true)
		}
	}
	if !known {
		return nil
	}
	return resource.Bool(false)
}

// diagCategories: the enabled log categories and category groups of a
// diagnostic setting row (lower-cased); false when the setting may not be
// deployed or its logs are known only at deploy.
func diagCategories(d *row) (map[string]bool, bool) {
	if d.in.maybe || d.props == nil {
		return nil, false
	}
	logs, isList := d.props["logs"].([]any)
	if !isList {
		return nil, d.props["logs"] == nil
	}
	out := map[string]bool{}
	for _, l := range logs {
		o, isObj := l.(map[string]any)
		if !isObj {
			return nil, false
		}
		switch on := o["enabled"].(type) {
		case bool:
			if !on {
				continue
			}
		default:
			return nil, false // unknown, or a wrong value the API refuses
		}
		for _, key := range []string{"category", "categoryGroup"} {
			switch c := o[key].(type) {
			case string:
				out[strings.ToLower(c)] = true
			case nil:
			default:
				return nil, false
			}
		}
	}
	return out, true
}

// vmBootSecrets reads the custom data (osProfile.customData) and user
// data (userData) of the template's virtual machines and scale sets
// (their virtualMachineProfile), base64 as ARM takes
// them, for credentials written in the boot script
// (compute-user-data-secrets), as the Terraform reader reads custom_data
// and user_data: none given is none; a value known only at deploy leaves
// the fact unknown. Resource Graph rows do not hold them.
func vmBootSecrets(byRes map[*resource.Resource]*row) {
	for res, r := range byRes {
		c := res.Facts.Compute
		if (res.Type != azure.TypeVM && res.Type != azure.TypeVMSS) || c == nil || r.props == nil {
			continue
		}
		var found []string
		known := true
		for _, path := range [][]string{{"osProfile", "customData"}, {"userData"}} {
			if res.Type == azure.TypeVMSS { // a scale set's instances boot from its profile
				path = append([]string{"virtualMachineProfile"}, path...)
			}
			v, has := lookupPath(r.props, path...)
			if !has || v == nil {
				continue
			}
			text, isText := v.(string)
			if !isText {
				known = false
				break
			}
			found = append(found, secrets.Script(text)...)
		}
		if known {
			c.UserDataSecrets, c.UserDataSecretNames = resource.Bool(len(found) > 0), found
		}
	}
}

// lookupPath is the value at a path of nested objects, and whether it is
// there.
func lookupPath(p map[string]any, path ...string) (any, bool) {
	var cur any = p
	for _, k := range path {
		m, isMap := cur.(map[string]any)
		if !isMap {
			if isUnknown(cur) {
				return cur, true // known only at deploy: so is what it holds
			}
			return nil, false
		}
		v, has := m[k]
		if !has {
			return nil, false
		}
		cur = v
	}
	return cur, true
}

// texts reads a list of texts of a template: absent is known and empty; a
// value known only at deploy (an element too) is not known.
func texts(v any) ([]string, bool) {
	if v == nil {
		return nil, true
	}
	l, isList := v.([]any)
	if !isList {
		return nil, false
	}
	out := make([]string, 0, len(l))
	for _, e := range l {
		s, isStr := e.(string)
		if !isStr {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// sqlAlertPolicies reads the Microsoft.Sql/servers/securityAlertPolicies
// of the template's SQL servers (nested or top-level) as the Terraform
// reader reads azurerm_mssql_server_security_alert_policy: alerts on when
// the state is Enabled and no alert type is disabled, mailed when it names
// addresses or mails the subscription's administrators. A server without
// one in the template stays unknown (the subscription's Defender plan may
// enable it), as do a policy under an undecided condition and values known
// only at deploy.
func sqlAlertPolicies(out []*resource.Resource, rows []*row) {
	policies := map[string][]*row{} // lower-case server ARM ID → its policies
	for _, r := range rows {
		if !strings.EqualFold(r.in.typ, azure.TypeSQLServer+"/securityAlertPolicies") {
			continue
		}
		l := strings.ToLower(r.in.armID)
		if i := strings.LastIndex(l, "/securityalertpolicies/"); i > 0 {
			policies[l[:i]] = append(policies[l[:i]], r)
		}
	}
	for _, res := range out {
		d := res.Facts.Database
		ps := policies[strings.ToLower(res.ID)] // still the ARM ID here
		if res.Type != azure.TypeSQLServer || d == nil || len(ps) == 0 {
			continue
		}
		p := ps[0]
		if len(ps) > 1 || p.in.maybe || p.props == nil {
			continue
		}
		pol := azure.SQLAlertPolicy{Admins: resource.Bool(false)}
		if st, isStr := p.props["state"].(string); isStr {
			pol.State = &st
		}
		pol.Disabled, pol.DisabledKnown = texts(p.props["disabledAlerts"])
		pol.Emails, pol.EmailsKnown = texts(p.props["emailAddresses"])
		if v, present := p.props["emailAccountAdmins"]; present {
			b, isBool := v.(bool)
			pol.Admins = resource.Bool(b)
			if !isBool {
				pol.Admins = nil
			}
		}
		d.ThreatAlerts, d.ThreatAlertRecipients = pol.Facts()
	}
}
