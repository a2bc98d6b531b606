package awsconfig

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Format names of the inputs this package reads.
const (
	FormatConfig           = "aws-config"
	FormatCredentialReport = "aws-credential-report"
	FormatPasswordPolicy   = "aws-password-policy"
	FormatEBSDefault       = "aws-ebs-encryption-by-default"
	FormatFlowLogs         = "aws-flow-logs"
	FormatKeyRotation      = "aws-kms-key-rotation-status"
	FormatAlternateContact = "aws-alternate-contact"
)

// Synthetic native types for inputs that are not AWS Config items.
const (
	TypeAccount        = "AWS::::Account"
	TypeRoot           = "AWS::IAM::Root"
	TypePasswordPolicy = "AWS::IAM::AccountPasswordPolicy"
	TypeEBSDefault     = "AWS::EC2::EBSEncryptionByDefault"
	TypeFlowLog        = "AWS::EC2::FlowLog"
	TypeKeyRotation    = "AWS::KMS::KeyRotationStatus"
	TypeSecContact     = "AWS::Account::AlternateContact"
)

// Detect returns the format of a decoded JSON document when it is an AWS
// export this package reads, else "".
func Detect(doc any) string {
	switch d := doc.(type) {
	case attr.M:
		for _, k := range []string{"configurationItems", "baseConfigurationItems"} {
			if attr.AsArr(getv(d, k)) != nil {
				return FormatConfig
			}
		}
		if rs := attr.Arr(d, "Results"); rs != nil && (attr.Has(d, "QueryInfo") || isConfigItemList(rs)) {
			return FormatConfig
		}
		if attr.Has(d, "configSnapshotId") && attr.Has(d, "fileVersion") {
			return FormatConfig
		}
		if attr.Obj(d, "PasswordPolicy") != nil {
			return FormatPasswordPolicy
		}
		if _, ok := attr.Get(d, "EbsEncryptionByDefault"); ok {
			return FormatEBSDefault
		}
		if attr.Arr(d, "FlowLogs") != nil {
			return FormatFlowLogs
		}
		if b := attr.Bool(d, "KeyRotationEnabled"); b != nil && attr.Str(d, "KeyId") != "" {
			return FormatKeyRotation
		}
		if c := attr.Obj(d, "AlternateContact"); c != nil && attr.Has(c, "AlternateContactType") {
			return FormatAlternateContact
		}
		if isConfigItem(d) {
			return FormatConfig
		}
	case []any:
		if isConfigItemList(d) {
			return FormatConfig
		}
	}
	return ""
}

func getv(m attr.M, k string) any { v, _ := attr.Get(m, k); return v }

func isConfigItemList(a []any) bool {
	if len(a) == 0 {
		return false
	}
	return isConfigItem(attr.AsObj(a[0]))
}

func isConfigItem(o attr.M) bool {
	if o == nil || !attr.Has(o, "resourceType") {
		return false
	}
	return attr.Has(o, "awsRegion") || attr.Has(o, "awsAccountId") || attr.Has(o, "accountId") || attr.Has(o, "configurationItemCaptureTime")
}

// Parse imports a decoded JSON document of one of this package's formats.
func Parse(ctx context.Context, path string, doc any) *attr.Result {
	res := &attr.Result{Format: Detect(doc)}
	d, _ := doc.(attr.M)
	switch res.Format {
	case FormatPasswordPolicy:
		parsePasswordPolicy(res, path, d)
		return res
	case FormatEBSDefault:
		parseEBSDefault(res, path, d)
		return res
	case FormatFlowLogs:
		parseFlowLogs(res, path, d)
		return res
	case FormatKeyRotation:
		parseKeyRotation(res, path, d)
		return res
	case FormatAlternateContact:
		parseAlternateContact(res, path, d)
		return res
	}
	var items []any
	switch {
	case d == nil:
		items, _ = doc.([]any)
	case isConfigItem(d):
		items = []any{d}
	default:
		for _, k := range []string{"configurationItems", "baseConfigurationItems", "Results"} {
			items = append(items, attr.Arr(d, k)...)
		}
	}
	parseItems(ctx, res, path, items)
	return res
}

// parseItems normalizes configuration items. A history file or a history
// listing carries several items per resource: the latest capture wins, and
// a resource whose latest item says it was deleted is dropped.
func parseItems(ctx context.Context, res *attr.Result, path string, items []any) {
	type latest struct {
		item attr.M
		at   time.Time
		idx  int
	}
	byID := make(map[string]*latest, len(items))
	order := make([]string, 0, len(items))
	for i, raw := range items {
		if i%1024 == 0 && ctx.Err() != nil {
			return
		}
		it := attr.AsObj(raw) // select-resource-config results are JSON strings
		if it == nil {
			res.Problems = append(res.Problems, attr.Problemf(0, 0, "configuration item %d is not an object", i))
			continue
		}
		key := itemKey(it)
		if key == "" {
			res.Problems = append(res.Problems, attr.Problemf(0, 0, "configuration item %d has no resourceType, resourceId or ARN", i))
			continue
		}
		at, _ := time.Parse(time.RFC3339, attr.Str(it, "configurationItemCaptureTime"))
		if l, ok := byID[key]; ok {
			if !at.Before(l.at) {
				l.item, l.at = it, at
			}
			continue
		}
		byID[key] = &latest{item: it, at: at, idx: i}
		order = append(order, key)
	}
	res.Resources = make([]*resource.Resource, 0, len(order))
	for _, key := range order {
		l := byID[key]
		switch attr.Str(l.item, "configurationItemStatus") {
		case "ResourceDeleted", "ResourceDeletedNotRecorded":
			continue
		}
		r, supported := normalize(path, l.item)
		if l.at.IsZero() {
			r.CapturedAt = nil
		} else {
			at := l.at
			r.CapturedAt = &at
		}
		res.Resources = append(res.Resources, r)
		if !supported {
			res.AddUnsupported(r)
		}
	}
}

func itemKey(it attr.M) string {
	if arn := attr.Str(it, "ARN"); arn != "" {
		return arn
	}
	t, id := attr.Str(it, "resourceType"), attr.Str(it, "resourceId")
	if t == "" && id == "" {
		return ""
	}
	return t + "|" + attr.Str(it, "awsAccountId") + attr.Str(it, "accountId") + "|" + attr.Str(it, "awsRegion") + "|" + id
}

// normalize turns one configuration item into a resource.
func normalize(path string, it attr.M) (*resource.Resource, bool) {
	acct := attr.Str(it, "awsAccountId")
	if acct == "" {
		acct = attr.Str(it, "accountId")
	}
	typ := attr.Str(it, "resourceType")
	resID := attr.Str(it, "resourceId")
	region := attr.Str(it, "awsRegion")
	if region == "" {
		region = "global"
	}
	id := attr.Str(it, "ARN")
	if id == "" {
		// Some items (and all select-resource-config rows without an arn
		// column) carry no ARN: build a stable ID from what is there.
		id = fmt.Sprintf("aws:%s:%s:%s:%s", acct, region, typ, resID)
	}
	if acct == "" {
		acct = accountOf(id)
	}
	name := attr.Str(it, "resourceName")
	if name == "" {
		name = resID
	}
	cfg := attr.Obj(it, "configuration")
	tags := attr.Tags(getv(it, "tags"))
	if tags == nil && cfg != nil {
		tags = attr.Tags(getv(cfg, "tags"))
	}
	r := &resource.Resource{
		Provider: resource.AWS, Account: acct, Region: region, Type: typ, ID: id, Name: name,
		Tags: tags, Raw: it, Source: path, Class: resource.ClassOther,
	}
	for _, rel := range attr.Objs(it, "relationships") {
		target := attr.Str(rel, "resourceId")
		if target == "" {
			target = attr.Str(rel, "resourceName")
		}
		rt := attr.Str(rel, "name")
		if rt == "" {
			rt = attr.Str(rel, "relationshipName")
		}
		attr.Relate(r, rt, target)
	}
	supp := attr.Obj(it, "supplementaryConfiguration")
	fill, ok := normalizers[typ]
	if !ok {
		return r, false
	}
	fill(r, cfg, supp)
	return r, true
}

type normalizer func(r *resource.Resource, cfg, supp attr.M)

// normalizers maps the AWS Config resource types vigil models to the
// function that fills their class and facts. Types without facts of their
// own (volumes, policies, detectors) feed other resources' facts in Finalize.
var normalizers = map[string]normalizer{
	"AWS::S3::Bucket":                   s3Bucket,
	"AWS::EC2::SecurityGroup":           securityGroup,
	"AWS::EC2::Instance":                instance,
	"AWS::EC2::VPC":                     vpc,
	"AWS::EC2::Volume":                  func(r *resource.Resource, _, _ attr.M) {},
	"AWS::EC2::FlowLog":                 func(r *resource.Resource, _, _ attr.M) {},
	"AWS::RDS::DBInstance":              rdsInstance,
	"AWS::KMS::Key":                     kmsKey,
	"AWS::CloudTrail::Trail":            trail,
	"AWS::IAM::User":                    iamPrincipal("user"),
	"AWS::IAM::Role":                    iamPrincipal("role"),
	"AWS::IAM::Group":                   iamPrincipal("group"),
	"AWS::IAM::Policy":                  func(r *resource.Resource, _, _ attr.M) {},
	"AWS::GuardDuty::Detector":          func(r *resource.Resource, _, _ attr.M) {},
	"AWS::S3::AccountPublicAccessBlock": func(r *resource.Resource, _, _ attr.M) {},
}

// Supported lists the AWS Config resource types this package models.
func Supported() []string {
	out := make([]string, 0, len(normalizers))
	for t := range normalizers {
		out = append(out, t)
	}
	return out
}

const (
	allUsersURI  = "http://acs.amazonaws.com/groups/global/AllUsers"
	authUsersURI = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
)

func s3Bucket(r *resource.Resource, cfg, supp attr.M) {
	r.Class = resource.ClassObjectStorage
	s := &resource.ObjectStorage{}
	r.Facts.Storage = s
	if len(supp) == 0 {
		return // the item does not carry the bucket's settings
	}
	// Block Public Access: all four settings on the bucket. Account-level
	// settings are applied in Finalize.
	pab := attr.Obj(supp, "PublicAccessBlockConfiguration")
	var ignoreACLs, restrictPolicy bool
	if pab != nil {
		all := true
		for _, k := range []string{"blockPublicAcls", "ignorePublicAcls", "blockPublicPolicy", "restrictPublicBuckets"} {
			if b := attr.Bool(pab, k); b == nil || !*b {
				all = false
			}
		}
		s.PublicAccessBlocked = resource.Bool(all)
		ignoreACLs = attr.Any(attr.Bool(pab, "ignorePublicAcls"))
		restrictPolicy = attr.Any(attr.Bool(pab, "restrictPublicBuckets"))
	} else {
		s.PublicAccessBlocked = resource.Bool(false)
	}
	// Public access: a policy allowing "*" unconditionally, or an ACL grant
	// to AllUsers/AuthenticatedUsers, unless Block Public Access neutralizes it.
	_, policyKnown := attr.Get(supp, "BucketPolicy")
	stmts := policyDoc(getv(attr.Obj(supp, "BucketPolicy"), "policyText"))
	aclPublic := false
	if acl := attr.Obj(supp, "AccessControlList"); acl != nil {
		for _, g := range attr.Objs(acl, "grantList") {
			gr := attr.Obj(g, "grantee")
			uri := attr.Str(gr, "uri")
			if uri == "" {
				uri = attr.Str(gr, "URI")
			}
			if uri == "" {
				uri = attr.Str(g, "grantee") // older shape: grantee as a string
			}
			if uri == allUsersURI || uri == authUsersURI || strings.EqualFold(uri, "AllUsers") || strings.EqualFold(uri, "AuthenticatedUsers") {
				aclPublic = true
			}
		}
	}
	if policyKnown {
		public := (publicPolicy(stmts) && !restrictPolicy) || (aclPublic && !ignoreACLs)
		s.PublicAccess = resource.Bool(public)
		s.SecureTransportOnly = resource.Bool(denyInsecureTransport(stmts))
	} else if aclPublic && !ignoreACLs {
		s.PublicAccess = resource.Bool(true)
	}
	// Default encryption. Config records ServerSideEncryptionConfiguration
	// whenever the bucket has one; an item with supplementary configuration
	// but none means no default encryption.
	if sse := attr.Obj(supp, "ServerSideEncryptionConfiguration"); sse != nil {
		rules := attr.Objs(sse, "rules")
		s.Encrypted = resource.Bool(len(rules) > 0)
		for _, rule := range rules {
			def := attr.Obj(rule, "applyServerSideEncryptionByDefault")
			alg := attr.Str(def, "sseAlgorithm")
			key := attr.Str(def, "kmsMasterKeyID")
			switch {
			case strings.HasPrefix(alg, "aws:kms") && key != "" && !strings.Contains(key, "alias/aws/"):
				s.KeyManager = "customer"
			case alg != "":
				s.KeyManager = "provider"
			}
		}
	} else {
		s.Encrypted = resource.Bool(false)
	}
	if v := attr.Obj(supp, "BucketVersioningConfiguration"); v != nil {
		s.Versioning = resource.Bool(strings.EqualFold(attr.Str(v, "status"), "Enabled"))
		if mfa := attr.Bool(v, "isMfaDeleteEnabled"); mfa != nil {
			s.DeleteProtection = mfa
		}
	}
	if l := attr.Obj(supp, "BucketLoggingConfiguration"); l != nil {
		s.AccessLogging = resource.Bool(attr.Str(l, "destinationBucketName") != "")
	} else if _, ok := attr.Get(supp, "BucketLoggingConfiguration"); ok {
		s.AccessLogging = resource.Bool(false)
	}
	if oc := attr.Obj(supp, "BucketOwnershipControls"); oc != nil {
		for _, rule := range attr.Objs(oc, "rules") {
			s.UniformAccess = resource.Bool(attr.Str(rule, "objectOwnership") == "BucketOwnerEnforced")
		}
	}
}

func securityGroup(r *resource.Resource, cfg, _ attr.M) {
	r.Class = resource.ClassFirewall
	fw := &resource.Firewall{Rules: []resource.FirewallRule{}}
	r.Facts.Firewall = fw
	if cfg == nil {
		fw.Rules = nil
		return
	}
	if name := attr.Str(cfg, "groupName"); name != "" {
		fw.Default = resource.Bool(name == "default")
		if r.Name == "" || strings.HasPrefix(r.Name, "sg-") {
			r.Name = name
		}
	}
	fw.Rules = append(fw.Rules, sgRules("ingress", attr.Objs(cfg, "ipPermissions"))...)
	fw.Rules = append(fw.Rules, sgRules("egress", attr.Objs(cfg, "ipPermissionsEgress"))...)
	if _, ok := attr.Get(r.Raw, "relationships"); ok {
		inUse := false
		for _, rel := range r.Relationships {
			l := strings.ToLower(rel.Type)
			if strings.Contains(l, "networkinterface") || strings.Contains(l, "instance") {
				inUse = true
			}
		}
		fw.InUse = resource.Bool(inUse)
	}
}

func sgRules(dir string, perms []attr.M) []resource.FirewallRule {
	var out []resource.FirewallRule
	for _, p := range perms {
		proto := attr.Protocol(attr.Str(p, "ipProtocol"))
		from, to := 0, 65535
		if proto != "all" {
			if f := attr.Int(p, "fromPort"); f != nil && *f >= 0 {
				from = *f
			}
			if t := attr.Int(p, "toPort"); t != nil && *t >= 0 {
				to = *t
			}
			if proto == "icmp" || proto == "icmpv6" {
				from, to = 0, 65535
			}
		}
		var srcs []string
		for _, rg := range attr.Objs(p, "ipv4Ranges") {
			srcs = append(srcs, attr.Str(rg, "cidrIp"))
		}
		for _, rg := range attr.Objs(p, "ipv6Ranges") {
			srcs = append(srcs, attr.Str(rg, "cidrIpv6"))
		}
		srcs = append(srcs, attr.Strs(p, "ipRanges")...)
		for _, g := range attr.Objs(p, "userIdGroupPairs") {
			srcs = append(srcs, attr.Str(g, "groupId"))
		}
		for _, pl := range attr.Objs(p, "prefixListIds") {
			srcs = append(srcs, attr.Str(pl, "prefixListId"))
		}
		out = append(out, resource.FirewallRule{
			Direction: dir, Action: "allow", Protocol: proto, FromPort: from, ToPort: to,
			Sources: attr.NormSources(srcs),
		})
	}
	return out
}

func instance(r *resource.Resource, cfg, _ attr.M) {
	r.Class = resource.ClassCompute
	c := &resource.Compute{}
	r.Facts.Compute = c
	if cfg == nil {
		return
	}
	public := attr.Str(cfg, "publicIpAddress") != ""
	for _, ni := range attr.Objs(cfg, "networkInterfaces") {
		if attr.Str(ni, "association", "publicIp") != "" {
			public = true
		}
	}
	c.PublicIP = resource.Bool(public)
	c.Identity = attr.Str(cfg, "iamInstanceProfile", "arn")
	if tok := attr.Str(cfg, "metadataOptions", "httpTokens"); tok != "" {
		c.MetadataV2Required = resource.Bool(tok == "required")
	}
	c.State = attr.Str(cfg, "state", "name")
	for _, bd := range attr.Objs(cfg, "blockDeviceMappings") {
		attr.Relate(r, "uses_volume", attr.Str(bd, "ebs", "volumeId"))
	}
}

func vpc(r *resource.Resource, cfg, _ attr.M) {
	r.Class = resource.ClassNetwork
	n := &resource.Network{}
	r.Facts.Network = n
	if cfg != nil {
		n.Default = attr.Bool(cfg, "isDefault")
	}
}

func rdsInstance(r *resource.Resource, cfg, _ attr.M) {
	r.Class = resource.ClassDatabase
	d := &resource.Database{}
	r.Facts.Database = d
	if cfg == nil {
		return
	}
	d.Engine = attr.Str(cfg, "engine")
	d.PublicEndpoint = attr.Bool(cfg, "publiclyAccessible")
	d.Encrypted = attr.Bool(cfg, "storageEncrypted")
	if d.Encrypted != nil && *d.Encrypted {
		if k := attr.Str(cfg, "kmsKeyId"); k != "" && !strings.Contains(k, "alias/aws/") {
			d.KeyManager = "customer"
		} else {
			d.KeyManager = "provider"
		}
	}
	if days := attr.Int(cfg, "backupRetentionPeriod"); days != nil {
		d.BackupRetentionDays = days
		d.BackupEnabled = resource.Bool(*days > 0)
	}
	d.MultiAZ = attr.Bool(cfg, "multiAZ")
	d.DeletionProtection = attr.Bool(cfg, "deletionProtection")
	d.AutoMinorUpgrade = attr.Bool(cfg, "autoMinorVersionUpgrade")
	if kms := attr.Str(cfg, "kmsKeyId"); kms != "" {
		attr.Relate(r, "uses_key", kms)
	}
}

func kmsKey(r *resource.Resource, cfg, supp attr.M) {
	r.Class = resource.ClassKey
	k := &resource.Key{}
	r.Facts.Key = k
	if cfg == nil {
		return
	}
	if m := attr.Str(cfg, "keyManager"); m != "" {
		k.CustomerManaged = resource.Bool(strings.EqualFold(m, "CUSTOMER"))
	}
	if st := attr.Str(cfg, "keyState"); st != "" {
		k.Enabled = resource.Bool(strings.EqualFold(st, "Enabled"))
	} else {
		k.Enabled = attr.Bool(cfg, "enabled")
	}
	spec := attr.Str(cfg, "keySpec")
	if spec == "" {
		spec = attr.Str(cfg, "customerMasterKeySpec")
	}
	if spec != "" {
		k.Symmetric = resource.Bool(spec == "SYMMETRIC_DEFAULT")
	}
	// Rotation is not part of the Config item itself; accept it where an
	// export adds it (configuration or supplementary configuration).
	for _, src := range []attr.M{cfg, supp} {
		for _, key := range []string{"keyRotationEnabled", "KeyRotationStatus"} {
			if b := attr.Bool(src, key); b != nil {
				k.RotationEnabled = b
			} else if o := attr.Obj(src, key); o != nil {
				if b := attr.Bool(o, "keyRotationEnabled"); b != nil {
					k.RotationEnabled = b
				}
			}
		}
	}
	if days := attr.Int(cfg, "rotationPeriodInDays"); days != nil {
		k.RotationPeriodDays = days
	}
}

func trail(r *resource.Resource, cfg, supp attr.M) {
	r.Class = resource.ClassAuditLog
	a := &resource.AuditLog{}
	r.Facts.AuditLog = a
	if cfg == nil {
		return
	}
	a.MultiRegion = attr.Bool(cfg, "isMultiRegionTrail")
	a.FileValidation = attr.Bool(cfg, "logFileValidationEnabled")
	if a.FileValidation == nil {
		a.FileValidation = attr.Bool(cfg, "enableLogFileValidation")
	}
	kms := attr.Str(cfg, "kmsKeyId")
	a.EncryptedWithCMK = resource.Bool(kms != "")
	a.Destination = attr.Str(cfg, "s3BucketName")
	a.Enabled = attr.Bool(cfg, "isLogging")
	if a.Enabled == nil {
		a.Enabled = attr.Bool(supp, "isLogging")
	}
	if a.Enabled == nil {
		a.Enabled = attr.Bool(attr.Obj(supp, "TrailStatus"), "isLogging")
	}
	if a.Destination != "" {
		attr.Relate(r, "delivers_to", a.Destination)
	}
}

const adminPolicyARN = "arn:aws:iam::aws:policy/AdministratorAccess"

// iamPrincipal fills identity facts for users, roles and groups from their
// inline and attached policies. Admin is decided here when the answer is in
// the item; attached customer-managed policies are resolved in Finalize.
func iamPrincipal(kind string) normalizer {
	return func(r *resource.Resource, cfg, _ attr.M) {
		r.Class = resource.ClassIdentity
		id := &resource.Identity{Kind: kind}
		r.Facts.Identity = id
		if cfg == nil {
			return
		}
		admin := false
		for _, p := range attr.Objs(cfg, "attachedManagedPolicies") {
			arn := attr.Str(p, "policyArn")
			if arn == "" {
				continue
			}
			id.AttachedPolicies = append(id.AttachedPolicies, arn)
			if arn == adminPolicyARN {
				admin = true
			}
		}
		for _, key := range []string{"userPolicyList", "rolePolicyList", "groupPolicyList"} {
			for _, p := range attr.Objs(cfg, key) {
				id.InlinePolicies = append(id.InlinePolicies, attr.Str(p, "policyName"))
				if grantsAdmin(policyDoc(getv(p, "policyDocument"))) {
					admin = true
				}
			}
		}
		id.Admin = resource.Bool(admin)
		if kind == "role" {
			stmts := policyDoc(getv(cfg, "assumeRolePolicyDocument"))
			if stmts != nil {
				id.TrustsExternal = externalTrust(stmts, r.Account)
			}
		}
		for _, g := range attr.Strs(cfg, "groupList") {
			attr.Relate(r, "member_of", g)
		}
		if name := attr.Str(cfg, kind+"Name"); name != "" {
			r.Name = name
		}
	}
}

func parsePasswordPolicy(res *attr.Result, path string, d attr.M) {
	p := attr.Obj(d, "PasswordPolicy")
	acct := attr.Str(d, "AccountId") // not in the CLI output; accepted when a wrapper adds it
	r := &resource.Resource{
		Provider: resource.AWS, Account: acct, Region: "global", Type: TypePasswordPolicy,
		Name: "account-password-policy", Raw: d, Source: path, Class: resource.ClassPasswordPolicy,
		Facts: resource.Facts{PasswordPolicy: &resource.PasswordPolicy{
			MinLength:       attr.Int(p, "MinimumPasswordLength"),
			ReusePrevention: attr.Int(p, "PasswordReusePrevention"),
			MaxAgeDays:      attr.Int(p, "MaxPasswordAge"),
			RequireSymbols:  attr.Bool(p, "RequireSymbols"),
			RequireNumbers:  attr.Bool(p, "RequireNumbers"),
			RequireUpper:    attr.Bool(p, "RequireUppercaseCharacters"),
			RequireLower:    attr.Bool(p, "RequireLowercaseCharacters"),
		}},
	}
	r.ID = passwordPolicyID(acct)
	if acct == "" {
		// Unique until Finalize knows the account: two accounts' policies
		// must not merge.
		r.ID += "#" + path
	}
	res.Resources = append(res.Resources, r)
}

func passwordPolicyID(acct string) string { return "arn:aws:iam::" + acct + ":account-password-policy" }

func parseEBSDefault(res *attr.Result, path string, d attr.M) {
	acct, region := attr.Str(d, "AccountId"), attr.Str(d, "Region")
	res.Resources = append(res.Resources, &resource.Resource{
		Provider: resource.AWS, Account: acct, Region: region, Type: TypeEBSDefault,
		ID: ebsDefaultID(acct, region, path), Name: "ebs-encryption-by-default", Raw: d, Source: path, Class: resource.ClassOther,
	})
}

func ebsDefaultID(acct, region, path string) string {
	return fmt.Sprintf("arn:aws:ec2:%s:%s:ebs-encryption-by-default#%s", region, acct, path)
}

func parseFlowLogs(res *attr.Result, path string, d attr.M) {
	for i, fl := range attr.Objs(d, "FlowLogs") {
		id := attr.Str(fl, "FlowLogId")
		if id == "" {
			res.Problems = append(res.Problems, attr.Problemf(0, 0, "FlowLogs[%d] has no FlowLogId", i))
			continue
		}
		r := &resource.Resource{
			Provider: resource.AWS, Type: TypeFlowLog, ID: "aws-flow-log:" + id, Name: id,
			Tags: attr.Tags(getv(fl, "Tags")), Raw: fl, Source: path, Class: resource.ClassOther,
		}
		attr.Relate(r, "flow_log_of", attr.Str(fl, "ResourceId"))
		res.Resources = append(res.Resources, r)
	}
}

// parseKeyRotation reads `aws kms get-key-rotation-status` output. With a
// key ARN it is the key itself (and merges with its Config item); with a
// bare key ID it is matched to the key in Finalize.
func parseKeyRotation(res *attr.Result, path string, d attr.M) {
	keyID := attr.Str(d, "KeyId")
	k := &resource.Key{RotationEnabled: attr.Bool(d, "KeyRotationEnabled"), RotationPeriodDays: attr.Int(d, "RotationPeriodInDays")}
	r := &resource.Resource{Provider: resource.AWS, Raw: d, Source: path}
	if parts := strings.SplitN(keyID, ":", 6); len(parts) == 6 && parts[0] == "arn" {
		r.Type, r.ID, r.Class, r.Facts.Key = "AWS::KMS::Key", keyID, resource.ClassKey, k
		r.Account, r.Region, r.Name = parts[4], parts[3], strings.TrimPrefix(parts[5], "key/")
	} else {
		r.Type, r.ID, r.Name, r.Class = TypeKeyRotation, "aws-kms-rotation:"+keyID+"#"+path, keyID, resource.ClassOther
	}
	res.Resources = append(res.Resources, r)
}

// parseAlternateContact reads `aws account get-alternate-contact` output.
func parseAlternateContact(res *attr.Result, path string, d attr.M) {
	c := attr.Obj(d, "AlternateContact")
	typ := attr.Str(c, "AlternateContactType")
	res.Resources = append(res.Resources, &resource.Resource{
		Provider: resource.AWS, Account: accountOf(attr.Str(d, "AccountId")), Region: "global", Type: TypeSecContact,
		ID: "aws-alternate-contact:" + typ + "#" + path, Name: strings.ToLower(typ) + "-contact", Raw: d, Source: path, Class: resource.ClassOther,
	})
}
