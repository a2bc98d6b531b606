package tfmap

import (
	"context"
	"encoding/json"
	"github.com/vigil-sec/vigil/internal/iac/secrets"
	"slices"
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/gcp"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Google Cloud (google provider, major versions 5 and 6).

const (
	typeBinding     = "iam.googleapis.com/Binding"
	typeAuditConfig = "iam.googleapis.com/AuditConfig"
	cloudPlatform   = "https://www.googleapis.com/auth/cloud-platform"
)

// The default service accounts of a project whose ID and number the
// configuration does not give.
const (
	computeDefaultSA   = "${project_number}-compute@developer.gserviceaccount.com"
	appEngineDefaultSA = "${project_id}@appspot.gserviceaccount.com"
)

var (
	gcsTypes      = []string{"google_storage_bucket"}
	cryptoKeyType = []string{"google_kms_crypto_key"}
	gcpVMTypes    = []string{"google_compute_instance"}
)

// member is one grant of an IAM resource: role, member, condition.
type member struct {
	role, member string
	cond         *resource.BindingCondition
}

// iamMembers reads the grants of a google_*_iam_binding, _member or
// _policy instance; known is false when some cannot be known before apply.
// A grant without its (required) role is read with role "": who is
// granted is still known.
func (m *mapper) iamMembers(r *inst) (out []member, known bool) {
	known = true
	var cond *resource.BindingCondition
	if c, st := look(r.a, "condition"); st == ok {
		o, _ := c.(map[string]any)
		cond = &resource.BindingCondition{Title: m.s(o, "title"), Description: m.s(o, "description"), Expression: m.s(o, "expression")}
	} else if st == unknownSt {
		cond = &resource.BindingCondition{Expression: "<unknown>"}
	}
	switch {
	case strings.HasSuffix(r.typ(), "_iam_member"):
		role, rst := m.str(r.a, "role")
		mem, mst := m.str(r.a, "member")
		if mst == unknownSt {
			mem, mst = saMember(r.a["member"])
		}
		if (rst != ok && rst != absent) || mst != ok {
			return nil, false
		}
		return []member{{role, mem, cond}}, true
	case strings.HasSuffix(r.typ(), "_iam_binding"):
		role, rst := m.str(r.a, "role")
		mems, unk, mst := m.strs(r.a, "members")
		if (rst != ok && rst != absent) || (mst != ok && mst != absent) {
			return nil, false
		}
		known := true
		for _, u := range unk {
			if x, st := saMember(u); st == ok {
				mems = append(mems, x)
			} else {
				known = false
			}
		}
		for _, x := range mems {
			out = append(out, member{role, x, cond})
		}
		return out, known
	case strings.HasSuffix(r.typ(), "_iam_policy"):
		return m.policyData(r)
	}
	return nil, false
}

// saMember reads a member known only after apply that refers to service
// accounts of the configuration alone ("serviceAccount:${google_service_account.x.email}",
// google_service_account.x.member): a service account whose email is not
// known yet.
func saMember(v any) (string, state) {
	u, isU := unknownOf(v)
	if !isU || len(u.Refs) == 0 {
		return "", unknownSt
	}
	for _, ref := range u.Refs {
		if !strings.HasPrefix(ref, "google_service_account.") && !strings.Contains(ref, ".google_service_account.") {
			return "", unknownSt
		}
	}
	return "serviceAccount:${" + strings.Join(u.Refs, ",") + ".email}", ok
}

// policyData reads policy_data: JSON text, or a reference to a
// google_iam_policy data source of the configuration, read from its
// binding blocks.
func (m *mapper) policyData(r *inst) ([]member, bool) {
	v := r.a["policy_data"]
	if s, isStr := v.(string); isStr {
		var doc struct {
			Bindings []struct {
				Role      string   `json:"role"`
				Members   []string `json:"members"`
				Condition *struct {
					Title, Description, Expression string
				} `json:"condition"`
			} `json:"bindings"`
		}
		if err := json.Unmarshal([]byte(s), &doc); err != nil {
			m.problem("policy_data", "policy_data is not an IAM policy in JSON: %v", err)
			return nil, false
		}
		var out []member
		for _, b := range doc.Bindings {
			var cond *resource.BindingCondition
			if b.Condition != nil {
				cond = &resource.BindingCondition{Title: b.Condition.Title, Description: b.Condition.Description, Expression: b.Condition.Expression}
			}
			for _, x := range b.Members {
				out = append(out, member{b.Role, x, cond})
			}
		}
		return out, true
	}
	u, isU := unknownOf(v)
	if !isU {
		if v != nil {
			m.problem("policy_data", "policy_data is %s, not JSON text", describe(v))
		}
		return nil, false
	}
	var out []member
	found := false
	for _, ref := range u.Refs {
		d := m.data[ref]
		if d == nil || d.Type != "google_iam_policy" {
			continue
		}
		found = true
		bs, st := m.blocks(d.Attrs, "binding")
		if st != ok && st != absent {
			return nil, false
		}
		for _, b := range bs {
			role, rst := m.str(b, "role")
			mems, unk, mst := m.strs(b, "members")
			if rst != ok || mst != ok || len(unk) > 0 {
				return nil, false
			}
			var cond *resource.BindingCondition
			if c, cst := look(b, "condition"); cst == ok {
				o, _ := c.(map[string]any)
				cond = &resource.BindingCondition{Title: m.s(o, "title"), Description: m.s(o, "description"), Expression: m.s(o, "expression")}
			}
			for _, x := range mems {
				out = append(out, member{role, x, cond})
			}
		}
	}
	return out, found
}

// publicOf: whether grants make a resource public (allUsers or
// allAuthenticatedUsers, for the roles given, any when none).
func publicOf(ms []member, known bool, roles ...string) *bool {
	for _, g := range ms {
		if (g.member == "allUsers" || g.member == "allAuthenticatedUsers") && (len(roles) == 0 || contains(roles, g.role)) {
			if g.cond != nil {
				return nil
			}
			return boolp(true)
		}
	}
	if !known {
		return nil
	}
	return boolp(false)
}

// iamGrantsOf: the grants of every IAM resource of the given types joined
// onto r, and whether all are known.
func (m *mapper) iamGrantsOf(r *inst, types ...string) ([]member, bool) {
	var all []member
	known := true
	for _, a := range m.attachedTo(r, types...) {
		cur := m.cur
		m.cur = a
		ms, k := m.iamMembers(a)
		m.cur = cur
		all = append(all, ms...)
		known = known && k
	}
	return all, known
}

// iamBinding: a google_*_iam_binding, _member or _policy instance is one
// iam_binding resource per (role, member), as the Cloud Asset importer
// turns IAM policies into bindings; the scope is the resource it grants on.
func iamBinding(level, scopeAttr string, scopeTypes ...string) func(m *mapper, r *inst, out *resource.Resource) {
	return func(m *mapper, r *inst, out *resource.Resource) {
		out.Region = "global"
		scope := ""
		if ts := m.targets(r.a[scopeAttr], scopeTypes...); len(ts) == 1 {
			scope = rid(ts[0].in)
		} else if s, isStr := r.a[scopeAttr].(string); isStr {
			scope = scopeName(level, s)
		}
		ms, known := m.iamMembers(r)
		if len(ms) == 0 {
			// Nothing known: a binding whose facts are unknown (or an
			// empty binding, which grants nothing).
			fb := &resource.Binding{Scope: scope, ScopeLevel: level, Role: m.s(r.a, "role")}
			if known {
				fb.Public = boolp(false)
			}
			out.Facts.Binding = fb
			return
		}
		for i, g := range ms {
			b := out
			if i > 0 {
				cp := *out
				cp.Relationships = nil
				b = &cp
				b.ID = out.ID + "#" + g.role + "/" + g.member
				m.extra = append(m.extra, b)
			}
			ptype, _, found := strings.Cut(g.member, ":")
			if !found {
				ptype = g.member
			}
			isPublic := g.member == "allUsers" || g.member == "allAuthenticatedUsers"
			custom := strings.HasPrefix(g.role, "projects/") || strings.HasPrefix(g.role, "organizations/")
			fb := &resource.Binding{Principal: g.member, PrincipalType: ptype, Role: g.role, RoleName: g.role, Scope: scope,
				ScopeLevel: level, Public: boolp(isPublic), Condition: g.cond, Primitive: boolp(primitiveRoles[g.role])}
			if !custom {
				fb.Privileged = boolp(g.role == "roles/owner")
			}
			b.Name = g.role + " " + g.member
			b.Facts = resource.Facts{Binding: fb}
			if scope != "" {
				b.Relationships = append(b.Relationships, resource.Relationship{Type: "grants_on", TargetID: scope})
			}
			if id, isSA := strings.CutPrefix(g.member, "serviceAccount:"); isSA {
				b.Relationships = append(b.Relationships, resource.Relationship{Type: "grants_to", TargetID: id})
			}
		}
	}
}

var primitiveRoles = map[string]bool{"roles/owner": true, "roles/editor": true, "roles/viewer": true}

// scopeName is the Cloud Asset name of a project, folder or organization.
func scopeName(level, s string) string {
	switch level {
	case "account":
		return "//cloudresourcemanager.googleapis.com/projects/" + strings.TrimPrefix(s, "projects/")
	case "folder":
		return "//cloudresourcemanager.googleapis.com/folders/" + strings.TrimPrefix(s, "folders/")
	case "organization":
		return "//cloudresourcemanager.googleapis.com/organizations/" + strings.TrimPrefix(s, "organizations/")
	}
	return s
}

// gcsBucket: google_storage_bucket with its IAM resources and ACLs joined.
func gcsBucket(m *mapper, r *inst, out *resource.Resource) {
	s := &resource.ObjectStorage{}
	out.Facts.Storage = s
	gcsLocation(m, r, out)
	s.UniformAccess = m.boolean(r.a, boolp(false), "uniform_bucket_level_access")
	switch pap, st := m.str(r.a, "public_access_prevention"); st {
	case ok:
		s.PublicAccessBlocked = boolp(strings.EqualFold(pap, "enforced"))
	case absent:
		s.PublicAccessBlocked = boolp(false) // "inherited"
	}
	s.Versioning = m.boolean(r.a, boolp(false), "versioning", "enabled")
	s.AccessLogging = present(r.a, "logging")
	s.Encrypted, s.KeyManager = boolp(true), "provider"
	switch key, st := look(r.a, "encryption", "default_kms_key_name"); st {
	case ok, unknownSt:
		s.KeyManager = "customer"
		m.relate(out, resource.RelUsesKey, key, cryptoKeyType...)
	}
	// Soft delete keeps deleted objects 7 days by default (since 2024); a
	// locked retention policy protects them too.
	secs := m.integer(r.a, resource.Int(604800), "soft_delete_policy", "retention_duration_seconds")
	locked := m.boolean(r.a, boolp(false), "retention_policy", "is_locked")
	if secs != nil {
		s.DeleteProtection = or3(boolp(*secs > 0), locked)
	}
	ms, known := m.iamGrantsOf(r, "google_storage_bucket_iam_binding", "google_storage_bucket_iam_member", "google_storage_bucket_iam_policy")
	public := publicOf(ms, known)
	for _, a := range m.attachedTo(r, "google_storage_bucket_acl") {
		m.cur = a
		if p, st := m.str(a.a, "predefined_acl"); st == ok && (p == "publicRead" || p == "publicReadWrite" || p == "authenticatedRead") {
			public = boolp(true)
		}
		ents, unk, _ := m.strs(a.a, "role_entity")
		for _, e := range ents {
			if strings.HasSuffix(e, ":allUsers") || strings.HasSuffix(e, ":allAuthenticatedUsers") {
				public = boolp(true)
			}
		}
		if len(unk) > 0 && (public == nil || !*public) {
			public = nil
		}
	}
	m.cur = r
	if s.UniformAccess != nil && *s.UniformAccess {
		// ACLs grant nothing under uniform access; IAM still does.
		public = publicOf(ms, known)
	}
	s.PublicAccess = public
}

// gcpFirewall: google_compute_firewall. An ingress rule without source
// ranges, tags or service accounts applies to 0.0.0.0/0; an egress rule
// without destination ranges too.
func gcpFirewall(m *mapper, r *inst, out *resource.Resource) {
	fw := &resource.Firewall{}
	out.Facts.Firewall = fw
	net, nst := m.str(r.a, "network")
	if nst == ok {
		name := m.s(r.a, "name")
		fw.Default = boolp((net == "default" || strings.HasSuffix(net, "/networks/default")) && strings.HasPrefix(name, "default-allow-"))
	} else if nst == unknownSt {
		fw.Default = boolp(false) // a network of the configuration
	}
	m.relate(out, resource.RelInNetwork, r.a["network"], "google_compute_network")
	dir := "ingress"
	switch d, st := m.str(r.a, "direction"); st {
	case ok:
		switch {
		case strings.EqualFold(d, "EGRESS"):
			dir = "egress"
		case !strings.EqualFold(d, "INGRESS"):
			m.problem("direction", "direction is %q, not INGRESS or EGRESS", d)
			return
		}
	case unknownSt, bad:
		return
	}
	var addrs []string
	openSrc := false
	keys := []string{"source_ranges", "source_tags", "source_service_accounts"}
	if dir == "egress" {
		keys = []string{"destination_ranges"}
	}
	for _, k := range keys {
		vals, unk, st := m.strs(r.a, k)
		if st == unknownSt || st == bad {
			return
		}
		for _, u := range unk {
			if open(u) && strings.HasSuffix(k, "_ranges") {
				openSrc = true // a variable: may be 0.0.0.0/0
			}
			addrs = append(addrs, "${"+strings.Join(u.Refs, ",")+"}")
		}
		addrs = append(addrs, vals...)
	}
	if openSrc && !anyInternet(addrs) {
		return
	}
	if len(addrs) == 0 {
		addrs = []string{"0.0.0.0/0"}
	}
	sources := resource.NormSources(addrs)
	prio := m.integer(r.a, resource.Int(1000), "priority")
	disabled := m.boolean(r.a, boolp(false), "disabled")
	if prio == nil || disabled == nil {
		return
	}
	rules := []resource.FirewallRule{}
	for _, kind := range []string{"allow", "deny"} {
		entries, st := m.blocks(r.a, kind)
		if st == unknownSt || st == bad {
			return
		}
		for _, e := range entries {
			proto, pst := m.str(e, "protocol")
			if pst != ok {
				return
			}
			ports, unk, st := m.strs(e, "ports")
			if st == unknownSt || st == bad || len(unk) > 0 {
				return
			}
			if len(ports) == 0 {
				ports = []string{""}
			}
			for _, p := range ports {
				from, to, good := resource.ParsePortRange(p)
				if !good {
					m.problem("ports", "%q is not a port or a port range", p)
					return
				}
				rules = append(rules, resource.FirewallRule{Direction: dir, Action: kind, Protocol: resource.NormProtocol(proto), FromPort: from, ToPort: to,
					Sources: sources, Priority: *prio, Disabled: *disabled})
			}
		}
	}
	fw.Rules = rules
}

// gceInstance: google_compute_instance.
func gceInstance(m *mapper, r *inst, out *resource.Resource) {
	c := &resource.Compute{}
	out.Facts.Compute = c
	nics, st := m.blocks(r.a, "network_interface")
	if st == ok || st == absent {
		// An external IPv4 address (access_config) or IPv6 address
		// (ipv6_access_config): public_ip is either, public_ipv6 the
		// latter, the families as the Cloud Asset importer records them.
		fams := map[string]bool{}
		for _, ni := range nics {
			for k, fam := range map[string]string{"access_config": "ipv4", "ipv6_access_config": "ipv6"} {
				if acs, _ := m.blocks(ni, k); len(acs) > 0 {
					fams[fam] = true
				}
			}
			m.relate(out, resource.RelInNetwork, ni["network"], "google_compute_network")
		}
		c.PublicIP, c.PublicIPv6 = boolp(len(fams) > 0), boolp(fams["ipv6"])
		if len(fams) > 0 {
			ad := &resource.Addressing{}
			for _, f := range []string{"ipv4", "ipv6"} {
				if fams[f] {
					ad.PublicFamilies = append(ad.PublicFamilies, f)
				}
			}
			out.Facts.Addressing = ad
		}
	}
	// Service account: none without the block; the default compute
	// service account when the block names no email.
	switch sas, st := m.blocks(r.a, "service_account"); st {
	case absent:
		c.DefaultServiceAccount, c.DefaultServiceAccountFullAccess = boolp(false), boolp(false)
	case ok:
		def, full := boolp(false), boolp(false)
		for _, sa := range sas {
			email, est := m.str(sa, "email")
			switch {
			case est == absent || (est == ok && (email == "" || email == "default" || strings.HasSuffix(email, "-compute@developer.gserviceaccount.com"))):
				def = boolp(true)
				c.Identity = computeDefaultSA
				full = or3(full, hasFullScope(m, sa))
			case est == ok:
				c.Identity = email
			case defaultSARef(sa["email"]):
				def = boolp(true)
				c.Identity = computeDefaultSA
				full = or3(full, hasFullScope(m, sa))
			default:
				def, full = nil, nil
				if ts := m.targets(sa["email"], "google_service_account"); len(ts) > 0 {
					def, full = boolp(false), boolp(false)
					c.Identity = rid(ts[0].in)
				}
			}
			m.relate(out, resource.RelRunsAs, sa["email"], "google_service_account")
		}
		c.DefaultServiceAccount, c.DefaultServiceAccountFullAccess = def, and3(def, full)
		if def != nil && *def && full == nil {
			c.DefaultServiceAccountFullAccess = nil
		}
	}
	switch md, st := look1(r.a, "metadata"); st {
	case absent:
		c.SerialPortEnabled = boolp(false)
	case ok:
		if o, isMap := md.(map[string]any); isMap {
			v, vst := m.str(o, "serial-port-enable")
			switch vst {
			case ok:
				c.SerialPortEnabled = boolp(strings.EqualFold(v, "true") || v == "1")
			case absent:
				c.SerialPortEnabled = boolp(false)
			}
		}
	}
	c.BlockProjectSSHKeys, c.OSLogin = m.instanceMetadata(r)
	secrets, known, _ := m.userData(r.a, "metadata_startup_script")
	if md, isMap := r.a["metadata"].(map[string]any); isMap {
		more, k2, _ := m.userData(md, "startup-script", "user-data", "windows-startup-script-ps1")
		secrets, known = append(secrets, more...), known && k2
	} else if _, st := look1(r.a, "metadata"); st == unknownSt {
		known = false
	}
	if known {
		c.UserDataSecrets, c.UserDataSecretNames = boolp(len(secrets) > 0), secrets
	}
	c.IPForwarding = m.boolean(r.a, boolp(false), "can_ip_forward")
	c.SecureBoot = m.boolean(r.a, boolp(false), "shielded_instance_config", "enable_secure_boot")
	c.ConfidentialComputing = confidential(m, r.a)
	if mt, st := m.str(r.a, "machine_type"); st == ok {
		c.MachineType = mt[strings.LastIndex(mt, "/")+1:] // a URL's last segment, as the importer
	}
	c.DiskEncrypted = boolp(true) // every persistent disk is encrypted at rest
	ads, _ := m.blocks(r.a, "attached_disk")
	for _, ad := range ads {
		m.relate(out, resource.RelUsesDisk, ad["source"], "google_compute_disk")
	}
}

// confidential: a Confidential VM (confidential_instance_config's
// enable_confidential_compute, or a confidential_instance_type other than
// unspecified), as the importer reads confidentialInstanceConfig; no block:
// not one.
func confidential(m *mapper, a map[string]any) *bool {
	on := m.boolean(a, boolp(false), "confidential_instance_config", "enable_confidential_compute")
	switch t, st := m.str(a, "confidential_instance_config", "confidential_instance_type"); {
	case st == ok && t != "" && t != "CONFIDENTIAL_INSTANCE_TYPE_UNSPECIFIED":
		return boolp(true)
	case st != ok && st != absent:
		return or3(on, nil)
	}
	return on
}

// instanceMetadata reads block-project-ssh-keys (not set: false) and
// enable-oslogin (not set: the project's, from the configuration's
// project metadata when it sets it) of a google_compute_instance's
// metadata, with GCE's reading of the values (metadataBool).
func (m *mapper) instanceMetadata(r *inst) (block, osLogin *bool) {
	md, st := look1(r.a, "metadata")
	switch st {
	case absent:
		return boolp(false), m.projectOSLogin(r)
	case ok:
	default:
		return nil, nil
	}
	o, isMap := md.(map[string]any)
	if !isMap {
		return nil, nil
	}
	block = boolp(false)
	if v, vst := m.str(o, "block-project-ssh-keys"); vst == ok {
		block = gcp.MetadataBool(v)
	} else if vst != absent {
		block = nil
	}
	switch v, vst := m.str(o, "enable-oslogin"); vst {
	case ok:
		osLogin = gcp.MetadataBool(v)
	case absent:
		osLogin = m.projectOSLogin(r)
	}
	return block, osLogin
}

// projectOSLogin is enable-oslogin of the project metadata
// (google_compute_project_metadata, _item) of instance r's project in the
// configuration: nil when the root module sets none, or more than one
// value. Metadata of another project (both projects known) is not r's.
func (m *mapper) projectOSLogin(r *inst) *bool {
	project := accountOf(r, resource.GCP)
	other := func(pm *inst) bool {
		p := accountOf(pm, resource.GCP)
		return project != "" && p != "" && p != project
	}
	var vals []*bool
	for _, pm := range m.byType["google_compute_project_metadata"] {
		if other(pm) {
			continue
		}
		if v := projectMetadataOSLogin(m, pm); v != nil {
			vals = append(vals, v)
		}
	}
	for _, it := range m.byType["google_compute_project_metadata_item"] {
		if other(it) {
			continue
		}
		if k, _ := m.str(it.a, "key"); k == "enable-oslogin" {
			if v, vst := m.str(it.a, "value"); vst == ok {
				vals = append(vals, gcp.MetadataBool(v))
			}
		}
	}
	if len(vals) != 1 {
		return nil
	}
	return vals[0]
}

// projectMetadataOSLogin is enable-oslogin of a
// google_compute_project_metadata: false when its metadata does not set
// it (the project's common metadata is replaced as a whole), nil when
// unknown.
func projectMetadataOSLogin(m *mapper, pm *inst) *bool {
	md, st := look1(pm.a, "metadata")
	if st != ok {
		return nil
	}
	o, isMap := md.(map[string]any)
	if !isMap {
		return nil
	}
	switch v, vst := m.str(o, "enable-oslogin"); vst {
	case ok:
		return gcp.MetadataBool(v)
	case absent:
		return boolp(false)
	}
	return nil
}

// projectMetadata: google_compute_project_metadata, the project's common
// instance metadata (CIS GCP 4.4, enable-oslogin), as the Cloud Asset
// importer reads compute.googleapis.com/Project.
func projectMetadata(m *mapper, r *inst, out *resource.Resource) {
	out.Region = "global"
	out.Facts.Account = &resource.Account{CIS: &resource.AccountCIS{OSLogin: projectMetadataOSLogin(m, r)}}
}

// defaultSARef: an email known at plan only, read from the
// data.google_compute_default_service_account of the configuration: the
// Compute Engine default service account.
func defaultSARef(v any) bool {
	u, isU := unknownOf(v)
	if !isU || len(u.Refs) == 0 {
		return false
	}
	for _, ref := range u.Refs {
		if !strings.HasPrefix(ref, "data.google_compute_default_service_account.") &&
			!strings.Contains(ref, ".data.google_compute_default_service_account.") {
			return false
		}
	}
	return true
}

// hasFullScope: the service account block's scopes hold cloud-platform
// (full access to every Cloud API); nil when they are not known.
func hasFullScope(m *mapper, sa map[string]any) *bool {
	scopes, unknowns, st := m.strs(sa, "scopes")
	if slices.ContainsFunc(scopes, func(s string) bool { return s == "cloud-platform" || s == cloudPlatform }) {
		return boolp(true)
	}
	if (st != ok && st != absent) || len(unknowns) > 0 {
		return nil
	}
	return boolp(false)
}

// bigQueryDataset: google_bigquery_dataset, as the Cloud Asset importer
// reads bigquery.googleapis.com/Dataset: Google-managed encryption unless
// default_encryption_configuration names a key; public when an access
// block (or a google_bigquery_dataset_access, or an IAM resource of the
// dataset) grants allUsers or allAuthenticatedUsers.
func bigQueryDataset(m *mapper, r *inst, out *resource.Resource) {
	db := &resource.Database{Engine: "bigquery", Encrypted: boolp(true), KeyManager: "provider"}
	out.Facts.Database = db
	if loc, st := m.str(r.a, "location"); st == ok {
		out.Region = strings.ToLower(loc)
	} else if st == absent {
		out.Region = "us" // the provider's default location
	}
	if k, st := look(r.a, "default_encryption_configuration", "kms_key_name"); st != absent {
		db.KeyManager = keyManager(k)
		m.relate(out, resource.RelUsesKey, k, cryptoKeyType...)
	}
	blocks, st := m.blocks(r.a, "access")
	known := st == ok || st == absent
	for _, a := range m.attachedTo(r, "google_bigquery_dataset_access") {
		blocks = append(blocks, a.a)
	}
	public := false
	for _, b := range blocks {
		for attr, vals := range map[string][]string{"special_group": {"allAuthenticatedUsers", "allUsers"}, "iam_member": {"allUsers", "allAuthenticatedUsers"}} {
			switch v, vst := m.str(b, attr); vst {
			case ok:
				public = public || contains(vals, v)
			case absent:
			default:
				known = false
			}
		}
	}
	ms, iamKnown := m.iamGrantsOf(r, "google_bigquery_dataset_iam_binding", "google_bigquery_dataset_iam_member", "google_bigquery_dataset_iam_policy")
	switch p := publicOf(ms, iamKnown && known); {
	case public:
		db.PublicAccess = boolp(true)
	default:
		db.PublicAccess = p
	}
}

// bigQueryTable: google_bigquery_table (a view or an external table holds
// no data of its own: not a data store).
func bigQueryTable(m *mapper, r *inst, out *resource.Resource) {
	db := &resource.Database{Engine: "bigquery", Encrypted: boolp(true), KeyManager: "provider"}
	out.Facts.Database = db
	if _, st := look(r.a, "view"); st != absent {
		out.Facts.Database = nil
		return
	}
	if _, st := look(r.a, "external_data_configuration"); st != absent {
		out.Facts.Database = nil
		return
	}
	if k, st := look(r.a, "encryption_configuration", "kms_key_name"); st != absent {
		db.KeyManager = keyManager(k)
		m.relate(out, resource.RelUsesKey, k, cryptoKeyType...)
	}
}

// projectMetadataItem: a google_compute_project_metadata_item setting
// enable-oslogin is the project's OS Login setting (CIS GCP 4.4), as a
// google_compute_project_metadata holding it; an item of another key
// says nothing vigil judges.
func projectMetadataItem(m *mapper, r *inst, out *resource.Resource) {
	if k, st := m.str(r.a, "key"); st != ok || k != "enable-oslogin" {
		out.Class = ""
		return
	}
	out.Region = "global"
	var on *bool
	if v, st := m.str(r.a, "value"); st == ok {
		on = gcp.MetadataBool(v)
	}
	out.Facts.Account = &resource.Account{CIS: &resource.AccountCIS{OSLogin: on}}
}

// diskUsers maps each google_compute_disk to the instances attaching it
// (attached_disk or boot_disk source), built once.
func (m *mapper) diskUsers() map[*inst][]*inst {
	const key = "google_compute_instance\x00disks"
	if idx, found := m.rev[key]; found {
		return idx
	}
	idx := map[*inst][]*inst{}
	for _, i := range m.ofType(gcpVMTypes...) {
		var srcs []any
		ads, _ := i.a["attached_disk"].([]any) // read (and reported) by the instance's own mapping
		for _, ad := range ads {
			if o, isMap := ad.(map[string]any); isMap {
				srcs = append(srcs, o["source"])
			}
		}
		srcs = append(srcs, look1v(i.a, "boot_disk", "source"))
		for _, s := range srcs {
			for _, d := range m.targets(s, "google_compute_disk") {
				if !containsInst(idx[d], i) {
					idx[d] = append(idx[d], i)
				}
			}
		}
	}
	m.rev[key] = idx
	return idx
}

// gceDisk: google_compute_disk, always encrypted at rest.
func gceDisk(m *mapper, r *inst, out *resource.Resource) {
	d := &resource.Disk{Encrypted: boolp(true), KeyManager: "provider"}
	out.Facts.Disk = d
	if _, st := look(r.a, "disk_encryption_key"); st == ok || st == unknownSt {
		d.KeyManager = "customer"
	}
	d.SizeGB = m.integer(r.a, nil, "size")
	attached := false
	for _, i := range m.diskUsers()[r] {
		attached = true
		d.AttachedTo = append(d.AttachedTo, rid(i.in))
	}
	for _, a := range m.attachedTo(r, "google_compute_attached_disk") {
		attached = true
		for _, t := range m.targets(a.a["instance"], gcpVMTypes...) {
			d.AttachedTo = append(d.AttachedTo, rid(t.in))
		}
	}
	d.Attached = boolp(attached)
}

// sqlInstance: google_sql_database_instance (public IPv4 on, backups off,
// unencrypted connections allowed by default).
func sqlInstance(m *mapper, r *inst, out *resource.Resource) {
	db := &resource.Database{Encrypted: boolp(true), KeyManager: "provider"}
	out.Facts.Database = db
	db.Engine = strings.ToLower(m.s(r.a, "database_version"))
	if _, st := look(r.a, "encryption_key_name"); st == ok || st == unknownSt {
		db.KeyManager = "customer"
	}
	m.dbCredentials(db, r, []string{"root_password"}, map[string][]string{"google_sql_user": {"password"}})
	db.Flags, db.FlagsKnown = m.sqlFlags(r)
	if _, st := look(r.a, "settings"); st != ok {
		return // a replica may leave its settings to the primary
	}
	db.PublicEndpoint = m.boolean(r.a, boolp(true), "settings", "ip_configuration", "ipv4_enabled")
	nets, st := m.blocks(r.a, "settings", "ip_configuration", "authorized_networks")
	if st == ok || st == absent {
		cidrs := []string{}
		good := true
		for _, n := range nets {
			v, vst := m.str(n, "value")
			if vst != ok {
				good = false
			}
			cidrs = append(cidrs, v)
		}
		if good {
			db.AuthorizedNetworks = cidrs
		}
	}
	switch mode, st := m.str(r.a, "settings", "ip_configuration", "ssl_mode"); st {
	case ok:
		db.SSLRequired = boolp(mode == "ENCRYPTED_ONLY" || mode == "TRUSTED_CLIENT_CERTIFICATE_REQUIRED")
	case absent:
		db.SSLRequired = m.boolean(r.a, boolp(false), "settings", "ip_configuration", "require_ssl")
	}
	db.BackupEnabled = m.boolean(r.a, boolp(false), "settings", "backup_configuration", "enabled")
	if _, st := look(r.a, "master_instance_name"); st != absent && (db.BackupEnabled == nil || !*db.BackupEnabled) {
		db.BackupEnabled = nil // a read replica is backed up through its primary
	}
	if db.BackupEnabled != nil && *db.BackupEnabled {
		db.BackupRetentionDays = m.integer(r.a, resource.Int(7), "settings", "backup_configuration", "backup_retention_settings", "retained_backups")
	}
	db.DeletionProtection = m.boolean(r.a, boolp(false), "settings", "deletion_protection_enabled")
	switch av, st := m.str(r.a, "settings", "availability_type"); st {
	case ok:
		db.MultiAZ = boolp(av == "REGIONAL")
	case absent:
		db.MultiAZ = boolp(false)
	}
}

// sqlFlags reads settings.database_flags ({name, value} blocks) as the
// Cloud Asset importer reads settings.databaseFlags: lowercase name ->
// value; known (no entry is the engine's default) unless a block, a name
// or a value is known only after apply.
func (m *mapper) sqlFlags(r *inst) (map[string]string, *bool) {
	fls, st := m.blocks(r.a, "settings", "database_flags")
	if st != ok && st != absent {
		return nil, nil
	}
	flags := make(map[string]string, len(fls))
	for _, fl := range fls {
		name, nst := m.str(fl, "name")
		value, vst := m.str(fl, "value")
		if nst != ok || (vst != ok && vst != absent) {
			return nil, nil
		}
		flags[strings.ToLower(name)] = value
	}
	return flags, boolp(true)
}

// cryptoKey: google_kms_crypto_key (no rotation by default) with its IAM
// resources joined.
func cryptoKey(m *mapper, r *inst, out *resource.Resource) {
	k := &resource.Key{CustomerManaged: boolp(true), Enabled: boolp(true)}
	out.Facts.Key = k
	switch p, st := m.str(r.a, "purpose"); st {
	case ok:
		k.Symmetric = boolp(p == "ENCRYPT_DECRYPT")
	case absent:
		k.Symmetric = boolp(true)
	}
	switch rp, st := m.str(r.a, "rotation_period"); st {
	case ok:
		secs, err := strconv.ParseFloat(strings.TrimSuffix(rp, "s"), 64)
		if err != nil || secs < 0 || secs > 1e12 {
			m.problem("rotation_period", "rotation_period %q is not a duration in seconds", rp)
			break
		}
		k.RotationEnabled = boolp(true)
		k.RotationPeriodDays = resource.Int(int(secs / 86400))
	case absent:
		k.RotationEnabled = boolp(false)
	}
	ms, known := m.iamGrantsOf(r, "google_kms_crypto_key_iam_binding", "google_kms_crypto_key_iam_member", "google_kms_crypto_key_iam_policy")
	k.PublicAccess = publicOf(ms, known)
}

// gkeCluster: google_container_cluster.
func gkeCluster(m *mapper, r *inst, out *resource.Resource) {
	k := &resource.Kubernetes{RBAC: boolp(true)}
	out.Facts.Kubernetes = k
	k.Version = m.s(r.a, "min_master_version")
	autopilot := m.boolean(r.a, boolp(false), "enable_autopilot")
	// API endpoint: public unless the private endpoint is enabled.
	switch _, st := look(r.a, "private_cluster_config"); st {
	case absent:
		k.PublicEndpoint = boolp(true)
	case ok:
		k.PublicEndpoint = not(m.boolean(r.a, boolp(false), "private_cluster_config", "enable_private_endpoint"))
	}
	if b := m.boolean(r.a, nil, "control_plane_endpoints_config", "ip_endpoints_config", "enabled"); b != nil && !*b {
		k.PublicEndpoint = boolp(false)
	}
	switch man, st := look(r.a, "master_authorized_networks_config"); st {
	case ok:
		blocks, bst := m.blocks(man, "cidr_blocks")
		if bst == ok || bst == absent {
			cidrs := []string{}
			for _, b := range blocks {
				if c := m.s(b, "cidr_block"); c != "" {
					cidrs = append(cidrs, c)
				}
			}
			// Google Cloud's public ranges let in any VM anyone rents
			// there, as the export importer reads it; unset is the
			// provider's computed default, left as the blocks say.
			if g := m.boolean(man, nil, "gcp_public_cidrs_access_enabled"); g != nil && *g {
				cidrs = append(cidrs, "0.0.0.0/0")
			}
			k.EndpointAllowedCIDRs = cidrs
		}
	case absent:
		if k.PublicEndpoint != nil && *k.PublicEndpoint {
			k.EndpointAllowedCIDRs = []string{"0.0.0.0/0"}
		}
	}
	k.PrivateNodes = m.boolean(r.a, boolp(false), "private_cluster_config", "enable_private_nodes")
	if _, st := look(r.a, "private_cluster_config", "enable_private_nodes"); st == absent {
		if b := m.boolean(r.a, nil, "network_config", "default_enable_private_nodes"); b != nil {
			k.PrivateNodes = b
		}
	}
	// Logging: logging_config components, else logging_service (the
	// Kubernetes Engine Monitoring default).
	if comps, _, st := m.strs(r.a, "logging_config", "enable_components"); st == ok {
		k.ControlPlaneLogging = boolp(len(comps) > 0)
	} else {
		switch svc, sst := m.str(r.a, "logging_service"); sst {
		case ok:
			k.ControlPlaneLogging = boolp(svc != "none")
		case absent:
			k.ControlPlaneLogging = boolp(true)
		}
	}
	// Network policy: Calico, or Dataplane V2 (which enforces policies).
	if dp, _ := m.str(r.a, "datapath_provider"); dp == "ADVANCED_DATAPATH" || (autopilot != nil && *autopilot) {
		k.NetworkPolicy = boolp(true)
	} else {
		k.NetworkPolicy = m.boolean(r.a, boolp(false), "network_policy", "enabled")
	}
	legacy := m.boolean(r.a, boolp(false), "enable_legacy_abac")
	if legacy != nil && !*legacy {
		if u, st := m.str(r.a, "master_auth", "username"); st == ok && u != "" {
			legacy = boolp(true)
		}
		if b := m.boolean(r.a, boolp(false), "master_auth", "client_certificate_config", "issue_client_certificate"); b == nil || *b {
			legacy = or3(legacy, b)
		}
	}
	k.LegacyAuth = legacy
	// Node auto-upgrade: the default pool (management auto_upgrade is on
	// by default) and the node pools of the configuration.
	if autopilot != nil && *autopilot {
		k.NodeAutoUpgrade = boolp(true)
	} else {
		up := boolp(true)
		pools := m.attachedTo(r, "google_container_node_pool")
		if rm := m.boolean(r.a, boolp(false), "remove_default_node_pool"); rm == nil || !*rm {
			inline, _ := m.blocks(r.a, "node_pool")
			for _, p := range inline {
				up = and3(up, m.boolean(p, boolp(true), "management", "auto_upgrade"))
			}
		}
		for _, p := range pools {
			m.cur = p
			up = and3(up, m.boolean(p.a, boolp(true), "management", "auto_upgrade"))
		}
		m.cur = r
		k.NodeAutoUpgrade = up
	}
	switch st, sst := m.str(r.a, "database_encryption", "state"); sst {
	case ok:
		k.SecretsEncrypted = boolp(st == "ENCRYPTED")
	case absent:
		k.SecretsEncrypted = boolp(false)
	}
	m.relate(out, resource.RelInNetwork, r.a["network"], "google_compute_network")
}

// serviceAccount: google_service_account with its keys.
func serviceAccount(m *mapper, r *inst, out *resource.Resource) {
	id := &resource.Identity{Kind: "service_account"}
	out.Facts.Identity = id
	id.Disabled = m.boolean(r.a, boolp(false), "disabled")
	if aid, st := m.str(r.a, "account_id"); st == ok {
		out.Aliases = append(out.Aliases, aid)
	}
	keys := []resource.AccessKey{}
	for _, a := range m.attachedTo(r, "google_service_account_key") {
		keys = append(keys, resource.AccessKey{ID: a.in.Address, Active: true, UserManaged: boolp(true)})
	}
	id.AccessKeys, id.AccessKeysKnown = keys, boolp(true)
}

// gcpNetwork: google_compute_network ("default" is the default network).
func gcpNetwork(m *mapper, r *inst, out *resource.Resource) {
	n := &resource.Network{}
	out.Facts.Network = n
	if name, st := m.str(r.a, "name"); st == ok {
		n.Default = boolp(name == "default")
	}
}

// subnetwork: google_compute_subnetwork (flow logs with a log_config).
func subnetwork(m *mapper, r *inst, out *resource.Resource) {
	n := &resource.Network{}
	out.Facts.Network = n
	n.FlowLogs = or3(present(r.a, "log_config"), m.boolean(r.a, boolp(false), "enable_flow_logs"))
	if p, _ := m.str(r.a, "purpose"); strings.Contains(p, "PROXY") || p == "INTERNAL_HTTPS_LOAD_BALANCER" || p == "PRIVATE_SERVICE_CONNECT" {
		n.FlowLogs = nil // proxy-only and service subnets have no flow logs
	}
	switch net, st := m.str(r.a, "network"); st {
	case ok:
		n.Default = boolp(net == "default" || strings.HasSuffix(net, "/networks/default"))
	case unknownSt:
		n.Default = boolp(false)
		for _, t := range m.targets(r.a["network"], "google_compute_network") {
			if t.a["name"] == "default" {
				n.Default = boolp(true)
			}
		}
	}
	m.relate(out, resource.RelInNetwork, r.a["network"], "google_compute_network")
}

// managedZone: google_dns_managed_zone (public, without DNSSEC by default).
func managedZone(m *mapper, r *inst, out *resource.Resource) {
	z := &resource.DNSZone{}
	out.Facts.DNS = z
	switch v, st := m.str(r.a, "visibility"); st {
	case ok:
		z.Public = boolp(v == "public")
	case absent:
		z.Public = boolp(true)
	}
	z.QueryLogging = m.boolean(r.a, boolp(false), "cloud_logging_config", "enable_logging")
	if z.Public == nil || !*z.Public {
		return
	}
	switch state, st := m.str(r.a, "dnssec_config", "state"); st {
	case ok:
		z.DNSSEC = boolp(state == "on")
	case absent:
		z.DNSSEC = boolp(false)
	}
	specs, st := m.blocks(r.a, "dnssec_config", "default_key_specs")
	if st == ok {
		alg := ""
		for _, sp := range specs {
			a := strings.ToLower(m.s(sp, "algorithm"))
			if a == "rsasha1" || alg == "" || strings.EqualFold(m.s(sp, "key_type"), "keySigning") && alg != "rsasha1" {
				alg = a
			}
		}
		z.DNSSECAlgorithm = alg
	}
}

// cloudFunction: google_cloudfunctions_function (1st gen) and
// google_cloudfunctions2_function, with their IAM resources joined.
func cloudFunction(m *mapper, r *inst, out *resource.Resource) {
	f := &resource.Function{}
	out.Facts.Function = f
	v2 := r.typ() == "google_cloudfunctions2_function"
	svc := r.a
	if v2 {
		f.Runtime = m.s(r.a, "build_config", "runtime")
		if s, st := look(r.a, "service_config"); st == ok {
			svc, _ = s.(map[string]any)
		} else {
			svc = map[string]any{}
		}
		f.HTTPSOnly = boolp(true) // served by Cloud Run
	} else {
		f.Runtime = m.s(r.a, "runtime")
		switch lvl, st := m.str(r.a, "https_trigger_security_level"); st {
		case ok:
			f.HTTPSOnly = boolp(lvl == "SECURE_ALWAYS")
		case absent:
			f.HTTPSOnly = boolp(false) // SECURE_OPTIONAL
		}
	}
	f.RuntimeEndOfSupport = m.gcpRuntimeEOL(f.Runtime)
	if sa, st := m.str(svc, "service_account_email"); st == ok {
		f.Identity = sa
	} else if st == absent {
		// The default service account of the project: App Engine's for
		// 1st gen, Compute Engine's for 2nd gen.
		f.Identity = appEngineDefaultSA
		if v2 {
			f.Identity = computeDefaultSA
		}
	}
	env, _ := look1(svc, "environment_variables")
	f.EnvironmentSecrets, f.SecretVariables = m.envSecrets(env, "environment_variables")
	switch _, st := look(svc, "vpc_connector"); st {
	case ok, unknownSt:
		f.InVPC = boolp(true)
	case absent:
		f.InVPC = boolp(false)
	}
	switch in, st := m.str(svc, "ingress_settings"); st {
	case ok:
		f.PublicNetwork = boolp(in == "ALLOW_ALL")
	case absent:
		f.PublicNetwork = boolp(true)
	}
	if !v2 {
		if _, st := look(r.a, "event_trigger"); st == ok {
			f.PublicNetwork = boolp(false)
		}
	}
	ms, known := m.iamGrantsOf(r, "google_cloudfunctions_function_iam_binding", "google_cloudfunctions_function_iam_member",
		"google_cloudfunctions_function_iam_policy", "google_cloudfunctions2_function_iam_binding", "google_cloudfunctions2_function_iam_member",
		"google_cloudfunctions2_function_iam_policy")
	f.PublicInvocation = publicOf(ms, known, "roles/cloudfunctions.invoker", "roles/run.invoker")
}

// gcpRuntimeEOL asks the Cloud Asset importer's runtime schedule.
func (m *mapper) gcpRuntimeEOL(rt string) string {
	if rt == "" {
		return ""
	}
	if v, found := m.eol[rt]; found {
		return v
	}
	res := gcp.Parse(context.Background(), "", map[string]any{"asset_type": "cloudfunctions.googleapis.com/CloudFunction",
		"name": "//cloudfunctions.googleapis.com/projects/p/locations/l/functions/f", "resource": map[string]any{"data": map[string]any{"runtime": rt}}})
	out := ""
	if res != nil && len(res.Resources) > 0 && res.Resources[0].Facts.Function != nil {
		out = res.Resources[0].Facts.Function.RuntimeEndOfSupport
	}
	m.eol[rt] = out
	return out
}

// pubsubTopic: google_pubsub_topic (Google-managed encryption by default).
func pubsubTopic(m *mapper, r *inst, out *resource.Resource) {
	q := &resource.Queue{Kind: "topic", Encrypted: boolp(true), KeyManager: "provider"}
	out.Facts.Queue = q
	if key, st := look(r.a, "kms_key_name"); st == ok || st == unknownSt {
		q.KeyManager = "customer"
		m.relate(out, resource.RelUsesKey, key, cryptoKeyType...)
	}
	ms, known := m.iamGrantsOf(r, "google_pubsub_topic_iam_binding", "google_pubsub_topic_iam_member", "google_pubsub_topic_iam_policy")
	q.PublicPolicy = publicOf(ms, known)
}

// auditConfig: google_project_iam_audit_config; complete for allServices
// with ADMIN_READ, DATA_READ and DATA_WRITE and no exemptions.
func auditConfig(m *mapper, r *inst, out *resource.Resource) {
	a := &resource.AuditLog{MultiRegion: boolp(true)}
	out.Facts.AuditLog = a
	out.Region = "global"
	svc, st := m.str(r.a, "service")
	if st != ok {
		return
	}
	lcs, lst := m.blocks(r.a, "audit_log_config")
	if lst != ok && lst != absent {
		return
	}
	have := map[string]bool{}
	exempt := false
	for _, lc := range lcs {
		have[m.s(lc, "log_type")] = true
		if ex, _, _ := m.strs(lc, "exempted_members"); len(ex) > 0 {
			exempt = true
		}
	}
	a.Enabled = boolp(len(lcs) > 0)
	a.AllServices = boolp(svc == "allServices" && have["ADMIN_READ"] && have["DATA_READ"] && have["DATA_WRITE"] && !exempt)
}

// project: google_project, the account (its parent folder or
// organization), and the default network it creates unless
// auto_create_network is false.
func project(m *mapper, r *inst, out *resource.Resource) {
	a := &resource.Account{}
	out.Facts.Account = a
	out.Region = "global"
	if f, st := m.str(r.a, "folder_id"); st == ok && f != "" {
		a.Parent = scopeName("folder", f)
	} else if o, st := m.str(r.a, "org_id"); st == ok && o != "" {
		a.Parent = scopeName("organization", o)
	}
	if a.Parent != "" {
		out.Relationships = append(out.Relationships, resource.Relationship{Type: resource.RelChildOf, TargetID: a.Parent})
	}
	switch auto := m.boolean(r.a, boolp(true), "auto_create_network"); {
	case auto == nil:
	case *auto:
		n := *out
		n.ID, n.Name, n.Type, n.Class = out.ID+"#default-network", "default", "compute.googleapis.com/Network", resource.ClassNetwork
		n.Relationships = nil
		n.Facts = resource.Facts{Network: &resource.Network{Default: boolp(true)}}
		m.extra = append(m.extra, &n)
	}
}

// gcpSecret: google_secret_manager_secret (no rotation by default;
// Google-managed keys unless every replica names a customer key).
func gcpSecret(m *mapper, r *inst, out *resource.Resource) {
	s := &resource.Secret{}
	out.Facts.Secret = s
	switch _, st := look(r.a, "rotation"); st {
	case absent:
		s.RotationEnabled = boolp(false)
	case ok:
		s.RotationEnabled = boolp(true)
		if p, pst := m.str(r.a, "rotation", "rotation_period"); pst == ok {
			if secs, err := strconv.ParseFloat(strings.TrimSuffix(p, "s"), 64); err == nil && secs >= 0 && secs < 1e12 {
				s.RotationPeriodDays = resource.Int(int(secs / 86400))
			}
		}
	}
	exp, est := look(r.a, "expire_time")
	ttl, tst := look(r.a, "ttl")
	if est != unknownSt && tst != unknownSt && est != bad && tst != bad {
		s.ExpirySet = boolp(exp != nil || ttl != nil)
		s.Expires, _ = exp.(string)
	}
	managers := map[string]bool{}
	var keys []any
	if auto, st := look(r.a, "replication", "auto"); st == ok {
		keys = append(keys, look1v(auto, "customer_managed_encryption", "kms_key_name"))
	}
	reps, _ := m.blocks(r.a, "replication", "user_managed", "replicas")
	for _, rp := range reps {
		keys = append(keys, look1v(rp, "customer_managed_encryption", "kms_key_name"))
	}
	for _, k := range keys {
		if b := set(map[string]any{"k": k}, "k"); b != nil && *b {
			managers["customer"] = true
		} else {
			managers["provider"] = true
		}
	}
	if len(managers) > 0 {
		s.KeyManager = "customer"
		if managers["provider"] {
			s.KeyManager = "provider"
		}
	}
	ms, known := m.iamGrantsOf(r, "google_secret_manager_secret_iam_binding", "google_secret_manager_secret_iam_member", "google_secret_manager_secret_iam_policy")
	s.PublicAccess = publicOf(ms, known)
}

// artifactRepository: google_artifact_registry_repository.
func artifactRepository(m *mapper, r *inst, out *resource.Resource) {
	g := &resource.Registry{KeyManager: "provider"}
	out.Facts.Registry = g
	if _, st := look(r.a, "kms_key_name"); st == ok || st == unknownSt {
		g.KeyManager = "customer"
		m.relate(out, resource.RelUsesKey, r.a["kms_key_name"], cryptoKeyType...)
	}
	if f, _ := m.str(r.a, "format"); strings.EqualFold(f, "DOCKER") {
		g.TagImmutable = m.boolean(r.a, boolp(false), "docker_config", "immutable_tags")
	}
	if en, st := m.str(r.a, "vulnerability_scanning_config", "enablement_config"); st == ok && en == "DISABLED" {
		g.ImageScanning = boolp(false)
	}
	ms, known := m.iamGrantsOf(r, "google_artifact_registry_repository_iam_binding", "google_artifact_registry_repository_iam_member", "google_artifact_registry_repository_iam_policy")
	g.Public = publicOf(ms, known)
}

// cloudRun: google_cloud_run_v2_service and google_cloud_run_service, as the
// Cloud Asset importer reads Cloud Run services: functions served over
// HTTPS only, reachable from the internet with ingress "all" (the default).
func cloudRun(m *mapper, r *inst, out *resource.Resource) {
	f := &resource.Function{HTTPSOnly: boolp(true)}
	out.Facts.Function = f
	v2 := r.typ() == "google_cloud_run_v2_service"
	tmpl := singleMap(r.a["template"])
	var containers []map[string]any
	if v2 {
		switch in, st := m.str(r.a, "ingress"); st {
		case ok:
			f.PublicNetwork = boolp(in == "INGRESS_TRAFFIC_ALL")
		case absent:
			f.PublicNetwork = boolp(true)
		}
		f.Identity = computeDefaultSA
		if sa, st := m.str(tmpl, "service_account"); st == ok {
			f.Identity = sa
		} else if st == unknownSt {
			f.Identity = ""
		}
		f.InVPC = or3(present(tmpl, "vpc_access", "connector"), present(tmpl, "vpc_access", "network_interfaces"))
		containers, _ = m.blocks(tmpl, "containers")
	} else {
		ann, _ := look(r.a, "metadata", "annotations")
		switch in, st := m.str(ann, "run.googleapis.com/ingress"); st {
		case ok:
			f.PublicNetwork = boolp(in == "all")
		case absent:
			f.PublicNetwork = boolp(true)
		}
		spec := singleMap(tmpl["spec"])
		f.Identity = computeDefaultSA
		if sa, st := m.str(spec, "service_account_name"); st == ok {
			f.Identity = sa
		} else if st == unknownSt {
			f.Identity = ""
		}
		tann, _ := look(tmpl, "metadata", "annotations")
		f.InVPC = present(tann, "run.googleapis.com/vpc-access-connector")
		containers, _ = m.blocks(spec, "containers")
	}
	var names []string
	for _, c := range containers {
		envs, _ := m.blocks(c, "env")
		for _, e := range envs {
			if name := m.s(e, "name"); name != "" && m.s(e, "value") != "" && secrets.Name.MatchString(name) {
				names = append(names, name)
			}
		}
	}
	f.EnvironmentSecrets, f.SecretVariables = boolp(len(names) > 0), names
	ms, known := m.iamGrantsOf(r, "google_cloud_run_service_iam_binding", "google_cloud_run_service_iam_member", "google_cloud_run_service_iam_policy",
		"google_cloud_run_v2_service_iam_binding", "google_cloud_run_v2_service_iam_member", "google_cloud_run_v2_service_iam_policy")
	f.PublicInvocation = publicOf(ms, known, "roles/run.invoker")
}

// appEngineVersion: google_app_engine_standard_app_version. It enforces
// HTTPS (CIS GCP 5.0 4.10) when every handlers block's security_level is
// SECURE_ALWAYS; a handler without one gets App Engine's default, which
// lets HTTP through. Without handlers blocks (App Engine's default handler)
// or with a level not known until apply, it is unknown.
func appEngineVersion(m *mapper, r *inst, out *resource.Resource) {
	f := &resource.Function{}
	out.Facts.Function = f
	f.Runtime = m.s(r.a, "runtime")
	f.Identity = m.s(r.a, "service_account")
	hs, st := m.blocks(r.a, "handlers")
	if st != ok || len(hs) == 0 {
		return
	}
	secure := true
	for _, h := range hs {
		switch lvl, st := m.str(h, "security_level"); st {
		case ok:
			secure = secure && lvl == "SECURE_ALWAYS"
		case absent:
			secure = false
		default:
			return
		}
	}
	f.HTTPSOnly = boolp(secure)
}

// accessApproval: google_project_access_approval_settings, a project's
// Access Approval enrollment (CIS GCP 5.0 2.16): enrolled when it lists an
// enrolled_services block, unknown when that list is not known until
// apply.
func accessApproval(m *mapper, r *inst, out *resource.Resource) {
	out.Region = "global"
	var on *bool
	switch svcs, st := m.blocks(r.a, "enrolled_services"); st {
	case ok:
		on = boolp(len(svcs) > 0)
	case absent:
		on = boolp(false)
	}
	out.Facts.Account = &resource.Account{CIS: &resource.AccountCIS{AccessApproval: on}}
}
