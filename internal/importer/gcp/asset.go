package gcp

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Format is the name of the input format this package reads.
const Format = "gcp-cloud-asset"

// Native types vigil models, and the synthesized ones.
const (
	TypeBucket            = "storage.googleapis.com/Bucket"
	TypeFirewall          = "compute.googleapis.com/Firewall"
	TypeInstance          = "compute.googleapis.com/Instance"
	TypeNetwork           = "compute.googleapis.com/Network"
	TypeSubnetwork        = "compute.googleapis.com/Subnetwork"
	TypeSQLInstance       = "sqladmin.googleapis.com/Instance"
	TypeCryptoKey         = "cloudkms.googleapis.com/CryptoKey"
	TypeKeyRing           = "cloudkms.googleapis.com/KeyRing"
	TypeServiceAccount    = "iam.googleapis.com/ServiceAccount"
	TypeServiceAccountKey = "iam.googleapis.com/ServiceAccountKey"
	TypeProject           = "cloudresourcemanager.googleapis.com/Project"
	TypeFolder            = "cloudresourcemanager.googleapis.com/Folder"
	TypeOrganization      = "cloudresourcemanager.googleapis.com/Organization"
	TypeContact           = "essentialcontacts.googleapis.com/Contact"
	// TypeBinding is synthesized: one per (role, member) of an IAM policy.
	TypeBinding = "iam.googleapis.com/Binding"
	// TypeAuditConfig is synthesized from a project's IAM policy auditConfigs.
	TypeAuditConfig = "iam.googleapis.com/AuditConfig"
)

func first(m attr.M, keys ...string) any {
	for _, k := range keys {
		if v, ok := m[k]; ok {
			return v
		}
	}
	return nil
}

func assetType(m attr.M) string { return attr.AsStr(first(m, "asset_type", "assetType")) }

// isAsset: a Cloud Asset has a name and an asset type.
func isAsset(v any) bool {
	m, ok := v.(attr.M)
	return ok && attr.AsStr(m["name"]) != "" && assetType(m) != ""
}

// DetectLine returns Format when v (the first line of an NDJSON file) is an asset.
func DetectLine(v any) string {
	if isAsset(v) {
		return Format
	}
	return ""
}

// Sniff reports whether a line that does not decode names asset fields.
func Sniff(line []byte) bool {
	return bytes.Contains(line, []byte(`"asset_type"`)) || bytes.Contains(line, []byte(`"assetType"`))
}

// Detect returns Format when doc is a JSON array of assets, a single asset
// or a ListAssets response ({"assets":[...]}).
func Detect(doc any) string {
	switch d := doc.(type) {
	case []any:
		if len(d) > 0 && isAsset(d[0]) {
			return Format
		}
	case attr.M:
		if isAsset(d) {
			return Format
		}
		if a := attr.Arr(d, "assets"); len(a) > 0 && isAsset(a[0]) {
			return Format
		}
	}
	return ""
}

// Parse imports a JSON document Detect accepted.
func Parse(ctx context.Context, path string, doc any) *attr.Result {
	res := &attr.Result{Format: Format}
	var assets []any
	switch d := doc.(type) {
	case []any:
		assets = d
	case attr.M:
		if isAsset(d) {
			assets = []any{d}
		} else {
			assets = attr.Arr(d, "assets")
		}
	}
	for i, a := range assets {
		if i%1024 == 0 && ctx.Err() != nil {
			return res
		}
		m, _ := a.(attr.M)
		if m == nil {
			res.Problems = append(res.Problems, attr.Problemf(0, 0, "asset %d is not an object", i))
			continue
		}
		if err := addAsset(res, path, m); err != "" {
			res.Problems = append(res.Problems, attr.Problemf(0, 0, "asset %d: %s", i, err))
		}
	}
	return res
}

// ParseNDJSON imports a Cloud Asset Inventory export. A line that is not
// valid JSON is reported with its line number and the other lines are
// still imported.
func ParseNDJSON(ctx context.Context, path string, data []byte) *attr.Result {
	res := &attr.Result{Format: Format}
	line := 0
	for len(data) > 0 {
		line++
		var l []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			l, data = data[:i], data[i+1:]
		} else {
			l, data = data, nil
		}
		l = bytes.TrimSpace(l)
		if len(l) == 0 {
			continue
		}
		if line%1024 == 0 && ctx.Err() != nil {
			return res
		}
		var m attr.M
		if err := attr.Decode(l, &m); err != nil {
			res.Problems = append(res.Problems, attr.Problemf(line, 0, "malformed JSON: %v", err))
			continue
		}
		if err := addAsset(res, path, m); err != "" {
			res.Problems = append(res.Problems, attr.Problemf(line, 0, "%s", err))
		}
	}
	return res
}

// addAsset normalizes one asset (a resource line, an iam_policy line or
// both) into res.
func addAsset(res *attr.Result, path string, a attr.M) string {
	name := attr.AsStr(a["name"])
	typ := assetType(a)
	if name == "" || typ == "" {
		return "asset without name or asset type"
	}
	rsrc := attr.AsObj(a["resource"])
	data := attr.AsObj(first(rsrc, "data"))
	policy := attr.AsObj(first(a, "iam_policy", "iamPolicy"))
	r := &resource.Resource{
		Provider: resource.GCP, Type: typ, ID: name, Name: shortName(name),
		Region: strings.ToLower(attr.Str(rsrc, "location")), Raw: a, Source: path, Class: resource.ClassOther,
	}
	r.Account = projectOf(a, data)
	if t, err := time.Parse(time.RFC3339Nano, attr.AsStr(first(a, "update_time", "updateTime"))); err == nil {
		r.CapturedAt = &t
	}
	if data != nil {
		r.Tags = attr.Tags(data["labels"])
		if n := attr.Str(data, "name"); n != "" && !strings.Contains(n, "/") {
			r.Name = n
		}
	}
	if p := attr.Str(rsrc, "parent"); p != "" {
		attr.Relate(r, "child_of", p)
	}
	n, supported := normalizers[typ]
	if supported {
		n(r, data)
	} else if rsrc != nil {
		res.AddUnsupported(r)
	}
	res.Resources = append(res.Resources, r)
	if policy != nil {
		iamPolicy(res, r, policy)
	}
	return ""
}

// shortName is the last element of an asset name.
func shortName(name string) string {
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		return name[i+1:]
	}
	return name
}

// projectOf returns the project of an asset: the project ID when the asset
// says it (a Project's data.projectId, a projects/<id>/ element of the
// name), else the project number from its ancestors. Finalize maps numbers
// to IDs when the input shows both.
func projectOf(a, data attr.M) string {
	if assetType(a) == TypeProject {
		if id := attr.Str(data, "projectId"); id != "" {
			return id
		}
	}
	if id := projectInName(attr.AsStr(a["name"])); id != "" && !isNumber(id) {
		return id
	}
	for _, anc := range attr.Strs(a, "ancestors") {
		if n, ok := strings.CutPrefix(anc, "projects/"); ok {
			return n
		}
	}
	if id := projectInName(attr.AsStr(a["name"])); id != "" {
		return id
	}
	if n := attr.Str(data, "projectNumber"); n != "" {
		return n
	}
	return ""
}

func projectInName(name string) string {
	i := strings.Index(name, "/projects/")
	if i < 0 {
		return ""
	}
	rest := name[i+len("/projects/"):]
	if j := strings.IndexByte(rest, '/'); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

type normalizer func(r *resource.Resource, data attr.M)

var normalizers = map[string]normalizer{
	TypeBucket:            bucket,
	TypeFirewall:          firewall,
	TypeInstance:          instance,
	TypeNetwork:           network,
	TypeSubnetwork:        subnetwork,
	TypeSQLInstance:       sqlInstance,
	TypeCryptoKey:         cryptoKey,
	TypeKeyRing:           func(*resource.Resource, attr.M) {},
	TypeServiceAccount:    serviceAccount,
	TypeServiceAccountKey: func(*resource.Resource, attr.M) {},
	TypeProject:           project,
	TypeFolder:            func(*resource.Resource, attr.M) {},
	TypeOrganization:      func(*resource.Resource, attr.M) {},
	TypeContact:           func(*resource.Resource, attr.M) {},
}

// Google APIs omit boolean fields that are false: inside a present object,
// an absent boolean reads as false (attr.BoolOr).

func bucket(r *resource.Resource, d attr.M) {
	r.Class = resource.ClassObjectStorage
	s := &resource.ObjectStorage{}
	r.Facts.Storage = s
	if d == nil {
		return
	}
	ic := attr.Obj(d, "iamConfiguration")
	if ic != nil {
		s.UniformAccess = attr.BoolOr(attr.Bool(ic, "uniformBucketLevelAccess", "enabled"), false)
		if pap := attr.Str(ic, "publicAccessPrevention"); pap != "" {
			s.PublicAccessBlocked = resource.Bool(strings.EqualFold(pap, "enforced"))
		}
	}
	s.Versioning = attr.BoolOr(attr.Bool(d, "versioning", "enabled"), false)
	s.AccessLogging = resource.Bool(attr.Str(d, "logging", "logBucket") != "")
	// Cloud Storage always encrypts at rest; a default KMS key makes it CMEK.
	s.Encrypted = resource.Bool(true)
	s.KeyManager = "provider"
	if attr.Str(d, "encryption", "defaultKmsKeyName") != "" {
		s.KeyManager = "customer"
		attr.Relate(r, "uses_key", attr.Str(d, "encryption", "defaultKmsKeyName"))
	}
	if sd := attr.Obj(d, "softDeletePolicy"); sd != nil {
		secs := attr.Int(sd, "retentionDurationSeconds")
		s.DeleteProtection = resource.Bool(secs != nil && *secs > 0)
	}
	if attr.Any(attr.Bool(d, "retentionPolicy", "isLocked")) {
		s.DeleteProtection = resource.Bool(true)
	}
}

func firewall(r *resource.Resource, d attr.M) {
	r.Class = resource.ClassFirewall
	fw := &resource.Firewall{}
	r.Facts.Firewall = fw
	if d == nil {
		return
	}
	fw.Rules = []resource.FirewallRule{}
	dir := "ingress"
	if strings.EqualFold(attr.Str(d, "direction"), "EGRESS") {
		dir = "egress"
	}
	var addrs []string
	if dir == "ingress" {
		addrs = attr.Strs(d, "sourceRanges")
		addrs = append(addrs, attr.Strs(d, "sourceTags")...)
		addrs = append(addrs, attr.Strs(d, "sourceServiceAccounts")...)
	} else {
		addrs = attr.Strs(d, "destinationRanges")
	}
	sources := attr.NormSources(addrs)
	prio := 1000
	if p := attr.Int(d, "priority"); p != nil {
		prio = *p
	}
	disabled := attr.Any(attr.Bool(d, "disabled"))
	for _, kind := range []string{"allowed", "denied"} {
		action := "allow"
		if kind == "denied" {
			action = "deny"
		}
		for _, e := range attr.Objs(d, kind) {
			proto := attr.Protocol(attr.Str(e, "IPProtocol"))
			if proto == "all" && attr.Str(e, "IPProtocol") == "" {
				proto = attr.Protocol(attr.Str(e, "ip_protocol"))
			}
			ports := attr.Strs(e, "ports")
			if len(ports) == 0 {
				ports = []string{""}
			}
			for _, p := range ports {
				from, to, ok := attr.PortRange(p)
				if !ok {
					continue
				}
				fw.Rules = append(fw.Rules, resource.FirewallRule{
					Direction: dir, Action: action, Protocol: proto, FromPort: from, ToPort: to,
					Sources: sources, Priority: prio, Disabled: disabled,
				})
			}
		}
	}
	if net := attr.Str(d, "network"); net != "" {
		fw.Default = resource.Bool(strings.HasSuffix(net, "/networks/default") && strings.HasPrefix(attr.Str(d, "name"), "default-allow-"))
		attr.Relate(r, "in_network", net)
	}
}

const (
	defaultSASuffix   = "-compute@developer.gserviceaccount.com"
	cloudPlatformAuth = "https://www.googleapis.com/auth/cloud-platform"
)

func instance(r *resource.Resource, d attr.M) {
	r.Class = resource.ClassCompute
	c := &resource.Compute{}
	r.Facts.Compute = c
	if d == nil {
		return
	}
	public := false
	for _, ni := range attr.Objs(d, "networkInterfaces") {
		if len(attr.Objs(ni, "accessConfigs")) > 0 || len(attr.Objs(ni, "ipv6AccessConfigs")) > 0 {
			public = true
		}
	}
	c.PublicIP = resource.Bool(public)
	sas := attr.Objs(d, "serviceAccounts")
	c.DefaultServiceAccount = resource.Bool(false)
	c.DefaultServiceAccountFullAccess = resource.Bool(false)
	for _, sa := range sas {
		email := attr.Str(sa, "email")
		if c.Identity == "" {
			c.Identity = email
		}
		if strings.HasSuffix(email, defaultSASuffix) {
			c.DefaultServiceAccount = resource.Bool(true)
			for _, s := range attr.Strs(sa, "scopes") {
				if s == cloudPlatformAuth {
					c.DefaultServiceAccountFullAccess = resource.Bool(true)
				}
			}
		}
	}
	serial := false
	for _, it := range attr.Objs(d, "metadata", "items") {
		if attr.Str(it, "key") == "serial-port-enable" {
			v := strings.ToLower(attr.Str(it, "value"))
			serial = v == "true" || v == "1"
		}
	}
	c.SerialPortEnabled = resource.Bool(serial)
	c.IPForwarding = attr.BoolOr(attr.Bool(d, "canIpForward"), false)
	if sh := attr.Obj(d, "shieldedInstanceConfig"); sh != nil {
		c.SecureBoot = attr.BoolOr(attr.Bool(sh, "enableSecureBoot"), false)
	}
	// Compute Engine encrypts every disk at rest.
	if len(attr.Objs(d, "disks")) > 0 {
		c.DiskEncrypted = resource.Bool(true)
	}
	c.State = strings.ToLower(attr.Str(d, "status"))
}

func network(r *resource.Resource, d attr.M) {
	r.Class = resource.ClassNetwork
	n := &resource.Network{}
	r.Facts.Network = n
	if d != nil {
		n.Default = resource.Bool(attr.Str(d, "name") == "default")
	}
}

func subnetwork(r *resource.Resource, d attr.M) {
	r.Class = resource.ClassNetwork
	n := &resource.Network{}
	r.Facts.Network = n
	if d == nil {
		return
	}
	flow := attr.Bool(d, "logConfig", "enable")
	if flow == nil {
		flow = attr.Bool(d, "enableFlowLogs")
	}
	n.FlowLogs = attr.BoolOr(flow, false)
	n.Default = resource.Bool(strings.HasSuffix(attr.Str(d, "network"), "/networks/default"))
	if net := attr.Str(d, "network"); net != "" {
		attr.Relate(r, "in_network", net)
	}
}

func sqlInstance(r *resource.Resource, d attr.M) {
	r.Class = resource.ClassDatabase
	db := &resource.Database{}
	r.Facts.Database = db
	if d == nil {
		return
	}
	db.Engine = strings.ToLower(attr.Str(d, "databaseVersion"))
	// Cloud SQL always encrypts at rest; a KMS key name makes it CMEK.
	db.Encrypted = resource.Bool(true)
	db.KeyManager = "provider"
	if attr.Str(d, "diskEncryptionConfiguration", "kmsKeyName") != "" {
		db.KeyManager = "customer"
	}
	s := attr.Obj(d, "settings")
	if s == nil {
		return
	}
	if ip := attr.Obj(s, "ipConfiguration"); ip != nil {
		db.PublicEndpoint = attr.BoolOr(attr.Bool(ip, "ipv4Enabled"), false)
		for _, n := range attr.Objs(ip, "authorizedNetworks") {
			if v := attr.Str(n, "value"); v != "" {
				db.AuthorizedNetworks = append(db.AuthorizedNetworks, v)
			}
		}
		switch mode := attr.Str(ip, "sslMode"); mode {
		case "":
			db.SSLRequired = attr.BoolOr(attr.Bool(ip, "requireSsl"), false)
		default:
			db.SSLRequired = resource.Bool(mode == "ENCRYPTED_ONLY" || mode == "TRUSTED_CLIENT_CERTIFICATE_REQUIRED")
		}
	}
	bc := attr.Obj(s, "backupConfiguration")
	db.BackupEnabled = attr.BoolOr(attr.Bool(bc, "enabled"), false)
	if *db.BackupEnabled {
		rs := attr.Obj(bc, "backupRetentionSettings")
		if n := attr.Int(rs, "retainedBackups"); n != nil && (attr.Str(rs, "retentionUnit") == "" || attr.Str(rs, "retentionUnit") == "COUNT") {
			db.BackupRetentionDays = n // one automated backup a day
		}
	}
	db.DeletionProtection = attr.BoolOr(attr.Bool(s, "deletionProtectionEnabled"), false)
	if av := attr.Str(s, "availabilityType"); av != "" {
		db.MultiAZ = resource.Bool(av == "REGIONAL")
	}
}

func cryptoKey(r *resource.Resource, d attr.M) {
	r.Class = resource.ClassKey
	k := &resource.Key{CustomerManaged: resource.Bool(true)}
	r.Facts.Key = k
	if d == nil {
		return
	}
	if p := attr.Str(d, "purpose"); p != "" {
		k.Symmetric = resource.Bool(p == "ENCRYPT_DECRYPT")
	}
	rp := attr.Str(d, "rotationPeriod")
	k.RotationEnabled = resource.Bool(rp != "")
	if secs, err := strconv.ParseFloat(strings.TrimSuffix(rp, "s"), 64); err == nil && rp != "" && secs >= 0 && secs < 1e12 {
		k.RotationPeriodDays = resource.Int(int(secs / 86400))
	}
	if st := attr.Str(d, "primary", "state"); st != "" {
		k.Enabled = resource.Bool(st == "ENABLED")
	}
}

func serviceAccount(r *resource.Resource, d attr.M) {
	r.Class = resource.ClassIdentity
	id := &resource.Identity{Kind: "service_account"}
	r.Facts.Identity = id
	if d == nil {
		return
	}
	id.Disabled = attr.BoolOr(attr.Bool(d, "disabled"), false)
	if e := attr.Str(d, "email"); e != "" {
		r.Name = e
	}
}

func project(r *resource.Resource, d attr.M) {
	r.Class = resource.ClassAccount
	r.Region = "global"
	if r.Facts.Account == nil {
		r.Facts.Account = &resource.Account{}
	}
	if id := attr.Str(d, "projectId"); id != "" {
		r.Name = id
	}
}

var primitiveRoles = map[string]bool{"roles/owner": true, "roles/editor": true, "roles/viewer": true}

// iamPolicy turns an asset's IAM policy into one iam_binding resource per
// (role, member), sets the facts the policy decides on the asset itself
// (public bucket or key) and, for a project, its audit configuration.
func iamPolicy(res *attr.Result, r *resource.Resource, p attr.M) {
	public := false
	level := scopeLevel(r.Type)
	for _, b := range attr.Objs(p, "bindings") {
		role := attr.Str(b, "role")
		conditional := attr.Obj(b, "condition") != nil
		for _, member := range attr.Strs(b, "members") {
			isPublic := member == "allUsers" || member == "allAuthenticatedUsers"
			if isPublic && !conditional {
				public = true
			}
			ptype, _, found := strings.Cut(member, ":")
			if !found {
				ptype = member
			}
			bind := &resource.Resource{
				Provider: resource.GCP, Account: r.Account, Region: "global", Type: TypeBinding,
				ID: r.ID + "#iam/" + role + "/" + member, Name: role + " " + member, Source: r.Source,
				Raw:   attr.M{"resource": r.ID, "role": role, "member": member, "condition": b["condition"]},
				Class: resource.ClassIAMBinding,
				Facts: resource.Facts{Binding: &resource.Binding{
					Principal: member, PrincipalType: ptype, Role: role, RoleName: role, Scope: r.ID, ScopeLevel: level,
					Primitive:  resource.Bool(primitiveRoles[role]),
					Privileged: resource.Bool(role == "roles/owner"),
					Public:     resource.Bool(isPublic),
				}},
			}
			attr.Relate(bind, "grants_on", r.ID)
			res.Resources = append(res.Resources, bind)
		}
	}
	switch r.Type {
	case TypeBucket:
		r.Facts.Storage.PublicAccess = resource.Bool(public)
	case TypeCryptoKey:
		r.Facts.Key.PublicAccess = resource.Bool(public)
	case TypeProject:
		auditConfig(res, r, p)
	}
}

func scopeLevel(typ string) string {
	switch typ {
	case TypeProject:
		return "account"
	case TypeOrganization:
		return "organization"
	case TypeFolder:
		return "folder"
	}
	return "resource"
}

// logTypes of google.iam.v1.AuditLogConfig.LogType, by enum number.
var logTypes = map[string]string{"1": "ADMIN_READ", "2": "DATA_WRITE", "3": "DATA_READ"}

// auditConfig records a project's audit configuration as an audit_log
// resource, and whether it covers allServices on the project itself.
func auditConfig(res *attr.Result, r *resource.Resource, p attr.M) {
	configs := attr.Objs(attr.M{"c": first(p, "audit_configs", "auditConfigs")}, "c")
	allServices, complete := false, false
	for _, c := range configs {
		if attr.Str(c, "service") != "allServices" {
			continue
		}
		allServices = true
		have := map[string]bool{}
		exempt := false
		for _, lc := range attr.Objs(attr.M{"c": first(c, "audit_log_configs", "auditLogConfigs")}, "c") {
			lt := attr.AsStr(first(lc, "log_type", "logType"))
			if n, ok := logTypes[lt]; ok {
				lt = n
			}
			have[lt] = true
			if len(attr.Strs(attr.M{"c": first(lc, "exempted_members", "exemptedMembers")}, "c")) > 0 {
				exempt = true
			}
		}
		complete = have["ADMIN_READ"] && have["DATA_READ"] && have["DATA_WRITE"] && !exempt
	}
	r.Facts.Account.AuditLogging = resource.Bool(allServices)
	res.Resources = append(res.Resources, &resource.Resource{
		Provider: resource.GCP, Account: r.Account, Region: "global", Type: TypeAuditConfig,
		ID: r.ID + "#auditConfigs", Name: "audit-config", Source: r.Source,
		Raw:   attr.M{"resource": r.ID, "audit_configs": first(p, "audit_configs", "auditConfigs")},
		Class: resource.ClassAuditLog,
		Facts: resource.Facts{AuditLog: &resource.AuditLog{
			Enabled: resource.Bool(len(configs) > 0), AllServices: resource.Bool(complete), MultiRegion: resource.Bool(true),
		}},
		Relationships: []resource.Relationship{{Type: "configures", TargetID: r.ID}},
	})
}
