package tfmap

import (
	"github.com/vigil-sec/vigil/internal/iac/secrets"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/vigil-sec/vigil/internal/iac/awsnorm"
	"github.com/vigil-sec/vigil/internal/importer/awsconfig"
	"github.com/vigil-sec/vigil/internal/resource"
)

// instance: aws_instance.
func instance(m *mapper, r *inst, out *resource.Resource) {
	c := &resource.Compute{}
	out.Facts.Compute = c
	// A public IP: asked for, or given by the configuration's subnet
	// (map_public_ip_on_launch defaults to false), or by an Elastic IP;
	// otherwise it depends on a subnet outside the configuration.
	var public []*bool
	nis, _ := m.blocks(r.a, "network_interface")
	switch b := m.boolean(r.a, nil, "associate_public_ip_address"); {
	case b != nil:
		public = append(public, b)
	case len(nis) > 0:
		public = append(public, nil) // the interfaces' own settings
	default:
		public = append(public, m.subnetPublic(r.a["subnet_id"]))
	}
	if len(m.referrers(r, "aws_eip", "instance", "aws_instance"))+len(m.referrers(r, "aws_eip_association", "instance_id", "aws_instance")) > 0 {
		public = append(public, boolp(true))
	}
	c.PublicIP = or3(public...)
	c.PublicIPv6 = m.instanceIPv6(r)
	if s, isStr := r.a["iam_instance_profile"].(string); isStr {
		c.Identity = s
	}
	m.relate(out, resource.RelRunsAs, r.a["iam_instance_profile"], "aws_iam_instance_profile")
	c.InstanceProfile = m.instanceProfile(r)
	// Root and EBS volumes: encrypted when each block says so; a block
	// without encrypted (or no root block) takes the account's EBS
	// default encryption: unknown.
	var enc []*bool
	def := m.ebsDefault(r)
	for _, k := range []string{"root_block_device", "ebs_block_device"} {
		bs, st := m.blocks(r.a, k)
		if st == unknownSt || st == bad {
			enc = append(enc, nil)
		}
		if k == "root_block_device" && st == absent {
			enc = append(enc, nil)
		}
		for _, b := range bs {
			enc = append(enc, m.ebsEncrypted(b, def))
		}
	}
	c.DiskEncrypted = and3(enc...)
	if def != nil && *def {
		c.DiskEncrypted = def // every new volume of the region, the root one too
	}
	// IMDSv2: metadata_options (http_tokens "optional" by default), or
	// the launch template's.
	mo := r.a
	if _, st := look(r.a, "metadata_options"); st == absent {
		if lt, lst := look(r.a, "launch_template"); lst == ok {
			ts := m.targets(firstOf(lt, "id", "name"), "aws_launch_template")
			if len(ts) == 1 {
				mo = ts[0].a
			} else {
				mo = nil
			}
		}
	}
	if mo != nil {
		c.MetadataV2Required = m.metadataV2(mo, r.a["ami"])
	}
	for _, a := range m.referrers(r, "aws_volume_attachment", "instance_id", "aws_instance") {
		m.relate(out, resource.RelUsesDisk, a.a["volume_id"], "aws_ebs_volume")
	}
	m.relate(out, resource.RelUsesFirewall, r.a["vpc_security_group_ids"], sgTypes...)
	m.relate(out, resource.RelUsesFirewall, r.a["security_groups"], sgTypes...)
	c.UserDataSecrets, c.UserDataSecretNames = m.bootSecrets(r.a, "user_data", "user_data_base64")
}

// instanceProfile is whether the instance has an IAM instance profile:
// its iam_instance_profile, else its launch template's (a template outside
// the configuration, or one of several, is unknown); none without either.
func (m *mapper) instanceProfile(r *inst) *bool {
	if _, st := look(r.a, "iam_instance_profile"); st != absent {
		return boolp(st != bad)
	}
	lt, st := look(r.a, "launch_template")
	if st == absent {
		return boolp(false)
	}
	if st != ok {
		return nil
	}
	ts := m.targets(firstOf(lt, "id", "name"), "aws_launch_template")
	if len(ts) != 1 {
		return nil
	}
	switch _, pst := look(ts[0].a, "iam_instance_profile"); pst {
	case absent:
		return boolp(false)
	case ok:
		return boolp(true)
	}
	return nil
}

// metadataV2 is whether the metadata_options of a (an instance, launch
// template or launch configuration) require IMDSv2: http_tokens
// "required", or no metadata service at all (http_endpoint "disabled",
// whatever http_tokens says); without http_tokens, EC2's default for the
// image ami (imdsDefault). Unknown when either is known only after apply.
func (m *mapper) metadataV2(a map[string]any, ami any) *bool {
	en, est := m.str(a, "metadata_options", "http_endpoint")
	tok, tst := m.str(a, "metadata_options", "http_tokens")
	switch {
	case est == ok && en == "disabled", tst == ok && tok == "required":
		return boolp(true)
	case est == unknownSt || est == bad:
		return nil
	case tst == ok:
		return boolp(false)
	case tst == absent:
		return m.imdsDefault(ami)
	}
	return nil
}

// imdsDefault is whether an instance that does not set http_tokens
// requires IMDSv2: EC2 then takes the region's instance metadata defaults
// (aws_ec2_instance_metadata_defaults of the configuration) or else the
// AMI's ImdsSupport (v2.0 on Amazon Linux 2023 AMIs, chosen by a data
// aws_ami whose name filters all name al2023-ami images); otherwise
// optional, the provider's documented default.
func (m *mapper) imdsDefault(ami any) *bool {
	for _, d := range m.byType["aws_ec2_instance_metadata_defaults"] {
		switch tok, st := m.str(d.a, "http_tokens"); st {
		case ok:
			if tok == "required" {
				return boolp(true)
			}
		case unknownSt:
			return nil
		}
	}
	if u, isU := unknownOf(ami); isU {
		for _, ref := range u.Refs {
			d := m.data[ref]
			if d == nil || d.Type != "aws_ami" {
				continue
			}
			fs, _ := m.blocks(d.Attrs, "filter")
			al2023 := false
			for _, f := range fs {
				if n, _ := m.str(f, "name"); n != "name" {
					continue
				}
				vals, unk, _ := m.strs(f, "values")
				al2023 = len(vals) > 0 && len(unk) == 0
				for _, v := range vals {
					al2023 = al2023 && strings.HasPrefix(v, "al2023-ami-")
				}
			}
			if al2023 {
				return boolp(true)
			}
		}
	}
	return boolp(false)
}

// bootSecrets sets the user-data facts from the boot scripts at keys.
func (m *mapper) bootSecrets(a map[string]any, keys ...string) (*bool, []string) {
	secrets, known, _ := m.userData(a, keys...)
	if !known {
		return nil, nil
	}
	return boolp(len(secrets) > 0), secrets
}

func firstOf(v any, keys ...string) any {
	o, _ := v.(map[string]any)
	for _, k := range keys {
		if o[k] != nil {
			return o[k]
		}
	}
	return nil
}

// subnetPublic: whether instances launched in the subnet v names get a
// public IP, when the subnet is the configuration's; nil otherwise.
func (m *mapper) subnetPublic(v any) *bool {
	ts := m.targets(v, "aws_subnet", "aws_default_subnet")
	if len(ts) != 1 {
		return nil
	}
	def := boolp(ts[0].typ() == "aws_default_subnet")
	return m.boolean(ts[0].a, def, "map_public_ip_on_launch")
}

// volume: aws_ebs_volume. Without encrypted the account's EBS default
// encryption decides (unknown).
func volume(m *mapper, r *inst, out *resource.Resource) {
	d := &resource.Disk{}
	out.Facts.Disk = d
	d.Encrypted = m.ebsEncrypted(r.a, m.ebsDefault(r))
	if v, st := look(r.a, "kms_key_id"); st != absent {
		d.KeyManager = keyManager(v)
		m.relate(out, resource.RelUsesKey, v, "aws_kms_key")
	} else if d.Encrypted != nil && *d.Encrypted {
		d.KeyManager = "provider"
	}
	d.SizeGB = m.integer(r.a, nil, "size")
	atts := m.attachedTo(r, "aws_volume_attachment")
	for _, a := range atts {
		for _, t := range m.targets(a.a["instance_id"], "aws_instance") {
			d.AttachedTo = append(d.AttachedTo, rid(t.in))
		}
	}
	d.Attached = boolp(len(atts) > 0)
}

// vpc: aws_vpc and aws_default_vpc, with the flow logs of the
// configuration recording it or one of its subnets.
func vpc(m *mapper, r *inst, out *resource.Resource) {
	n := &resource.Network{Default: boolp(r.typ() == "aws_default_vpc")}
	out.Facts.Network = n
	logs := len(m.referrers(r, "aws_flow_log", "vpc_id", "aws_vpc", "aws_default_vpc")) > 0
	for _, s := range m.referrers(r, "aws_subnet", "vpc_id", "aws_vpc", "aws_default_vpc") {
		logs = logs || len(m.referrers(s, "aws_flow_log", "subnet_id", "aws_subnet")) > 0
	}
	n.FlowLogs = boolp(logs)
	mainRouteTable(m, r, out)
}

// flowLog: a flow log exists only while on.
func flowLog(m *mapper, r *inst, out *resource.Resource) {
	f := &resource.FlowLog{Enabled: boolp(true)}
	out.Facts.FlowLog = f
	for _, k := range []string{"vpc_id", "subnet_id", "eni_id", "transit_gateway_id", "transit_gateway_attachment_id"} {
		v := r.a[k]
		switch t := v.(type) {
		case string:
			if ts := m.targets(t, "aws_vpc", "aws_default_vpc", "aws_subnet"); len(ts) > 0 {
				for _, x := range ts {
					f.Targets = append(f.Targets, rid(x.in))
				}
			} else if t != "" {
				f.Targets = append(f.Targets, t)
			}
		default:
			for _, x := range m.targets(v, "aws_vpc", "aws_default_vpc", "aws_subnet", "aws_network_interface") {
				f.Targets = append(f.Targets, rid(x.in))
			}
		}
		m.relate(out, resource.RelFlowLogsOf, v, "aws_vpc", "aws_default_vpc", "aws_subnet", "aws_network_interface")
	}
	f.RetentionDays = nil
}

// rdsInstance: aws_db_instance. publicly_accessible, storage_encrypted,
// multi_az and deletion_protection default to false; backups are kept one
// day unless backup_retention_period says otherwise.
func rdsInstance(m *mapper, r *inst, out *resource.Resource) {
	d := &resource.Database{}
	out.Facts.Database = d
	d.Engine = strings.ToLower(m.s(r.a, "engine"))
	d.PublicEndpoint = m.boolean(r.a, boolp(false), "publicly_accessible")
	_, inCluster := look(r.a, "cluster_identifier")
	_, restored := look(r.a, "snapshot_identifier")
	_, replica := look(r.a, "replicate_source_db")
	switch {
	case inCluster != absent:
		// An Aurora instance: storage and backups are the cluster's.
		if cs := m.targets(r.a["cluster_identifier"], "aws_rds_cluster"); len(cs) == 1 {
			d.Encrypted, d.KeyManager = m.storageEncryption(cs[0].a)
		}
		if d.Engine == "" {
			d.Engine = "aurora" // members of a cluster are Aurora instances
		}
	case restored != absent || replica != absent:
		d.Encrypted = m.boolean(r.a, nil, "storage_encrypted")
		if d.Encrypted != nil && !*d.Encrypted {
			d.Encrypted = nil // a copy keeps its source's encryption
		}
		if d.Encrypted != nil && *d.Encrypted {
			d.KeyManager = keyManager(r.a["kms_key_id"])
		}
	default:
		d.Encrypted, d.KeyManager = m.storageEncryption(r.a)
		d.BackupRetentionDays = m.integer(r.a, resource.Int(1), "backup_retention_period")
		if d.BackupRetentionDays != nil {
			d.BackupEnabled = boolp(*d.BackupRetentionDays > 0)
		}
	}
	if inCluster == absent {
		d.DeletionProtection = m.boolean(r.a, boolp(false), "deletion_protection")
	} // an Aurora instance is protected through its cluster
	d.MultiAZ = m.boolean(r.a, boolp(false), "multi_az")
	d.AutoMinorUpgrade = m.boolean(r.a, boolp(true), "auto_minor_version_upgrade")
	m.relate(out, resource.RelUsesKey, r.a["kms_key_id"], "aws_kms_key")
	m.dbCredentials(d, r, []string{"password"}, nil)
}

// storageEncryption: storage_encrypted defaults to false (true for Aurora
// Serverless v1); the key manager is the key's.
func (m *mapper) storageEncryption(a map[string]any) (*bool, string) {
	return m.storageEncryptionKey(a, "kms_key_id")
}

// storageEncryptionKey is storageEncryption for a type that names its key
// in keyAttr (aws_neptune_cluster: kms_key_arn).
func (m *mapper) storageEncryptionKey(a map[string]any, keyAttr string) (*bool, string) {
	enc := m.boolean(a, boolp(false), "storage_encrypted")
	if mode, _ := a["engine_mode"].(string); mode == "serverless" {
		enc = boolp(true)
	}
	if enc == nil || !*enc {
		return enc, ""
	}
	return enc, namedKeyManager(a, keyAttr)
}

// namedKeyManager is the key manager of an encrypted resource whose key,
// if any, is at path: the service's own key ("provider") when none is
// named.
func namedKeyManager(a any, path ...string) string {
	key, st := look(a, path...)
	if st == absent {
		return "provider"
	}
	return keyManager(key)
}

// rdsCluster: aws_rds_cluster.
func rdsCluster(m *mapper, r *inst, out *resource.Resource) {
	dbCluster(m, r, out, "", "kms_key_id")
}

// dbCluster fills an RDS-API cluster: aws_rds_cluster, aws_docdb_cluster
// (engine docdb by default) and aws_neptune_cluster (neptune, its key in
// kms_key_arn), which share the RDS cluster's arguments and defaults: not
// encrypted, one day of backups, no deletion protection.
func dbCluster(m *mapper, r *inst, out *resource.Resource, engine, keyAttr string) {
	d := &resource.Database{}
	out.Facts.Database = d
	d.Engine = strings.ToLower(m.s(r.a, "engine"))
	if _, st := look(r.a, "engine"); st == absent {
		d.Engine = engine
	}
	if _, st := look(r.a, "snapshot_identifier"); st != absent {
		d.Encrypted = m.boolean(r.a, nil, "storage_encrypted")
	} else {
		d.Encrypted, d.KeyManager = m.storageEncryptionKey(r.a, keyAttr)
	}
	if mode, st := m.str(r.a, "engine_mode"); st == ok && mode == "serverless" && d.Encrypted != nil && !*d.Encrypted {
		// Aurora Serverless v1 clusters are always encrypted (the
		// aws/rds key unless one is given).
		d.Encrypted, d.KeyManager = boolp(true), "provider"
	}
	d.BackupRetentionDays = m.integer(r.a, resource.Int(1), "backup_retention_period")
	if d.BackupRetentionDays != nil {
		d.BackupEnabled = boolp(*d.BackupRetentionDays > 0)
	}
	d.DeletionProtection = m.boolean(r.a, boolp(false), "deletion_protection")
	m.relate(out, resource.RelUsesKey, r.a[keyAttr], "aws_kms_key")
	m.dbCredentials(d, r, []string{"master_password"}, nil)
}

// kmsKey: aws_kms_key (enabled, symmetric and without rotation by default).
func kmsKey(m *mapper, r *inst, out *resource.Resource) {
	k := &resource.Key{CustomerManaged: boolp(true)}
	out.Facts.Key = k
	k.Enabled = m.boolean(r.a, boolp(true), "is_enabled")
	spec, st := m.str(r.a, "customer_master_key_spec")
	if st == absent {
		spec, st = m.str(r.a, "key_spec")
	}
	usage, ust := m.str(r.a, "key_usage")
	switch {
	case st == ok && (ust == ok || ust == absent):
		k.Symmetric = boolp(spec == "SYMMETRIC_DEFAULT" && (ust == absent || usage == "ENCRYPT_DECRYPT"))
	case st == absent && (ust == ok || ust == absent):
		k.Symmetric = boolp(ust == absent || usage == "ENCRYPT_DECRYPT")
	}
	k.RotationEnabled = m.boolean(r.a, boolp(false), "enable_key_rotation")
	if k.RotationEnabled != nil && *k.RotationEnabled {
		k.RotationPeriodDays = m.integer(r.a, resource.Int(365), "rotation_period_in_days")
	}
	// Without policy the default key policy lets only the account in.
	pols := []*policy{m.policyAt(r.a, "policy")}
	k.PublicAccess = pols[0].Public()
	for _, a := range m.attachedTo(r, "aws_kms_key_policy") {
		m.cur = a
		pols = append(pols, m.policyAt(a.a, "policy"))
		k.PublicAccess = or3(k.PublicAccess, pols[len(pols)-1].Public())
	}
	m.cur = r
	out.Facts.ResourcePolicy = onlyDoc(pols)
}

// trail: aws_cloudtrail (logging on, single region, no validation, SSE-S3
// by default).
func trail(m *mapper, r *inst, out *resource.Resource) {
	a := &resource.AuditLog{}
	out.Facts.AuditLog = a
	a.Enabled = m.boolean(r.a, boolp(true), "enable_logging")
	a.MultiRegion = m.boolean(r.a, boolp(false), "is_multi_region_trail")
	a.FileValidation = m.boolean(r.a, boolp(false), "enable_log_file_validation")
	switch v, st := look(r.a, "kms_key_id"); st {
	case absent:
		a.EncryptedWithCMK = boolp(false)
	case ok, unknownSt:
		a.EncryptedWithCMK = boolp(keyManager(v) != "provider")
	}
	a.S3WriteEvents, a.S3ReadEvents = m.trailDataEvents(r)
	v := r.a["s3_bucket_name"]
	if s, isStr := v.(string); isStr {
		a.Destination = s
		if len(m.targets(s, bucketTypes...)) == 0 {
			out.Relationships = append(out.Relationships, resource.Relationship{Type: resource.RelLogsTo, TargetID: "arn:aws:s3:::" + s})
			return
		}
	}
	m.relate(out, resource.RelLogsTo, v, bucketTypes...)
}

// trailDataEvents: whether the trail's event_selector (read_write_type
// All by default) or advanced_event_selector blocks log S3 object-level
// write and read events of every bucket (CIS AWS 4.8, 4.9), as the AWS
// Config importer reads the trail's event selectors; without selectors a
// trail logs management events only. Nil when a selector is unknown.
func (m *mapper) trailDataEvents(r *inst) (write, read *bool) {
	basic, bst := m.blocks(r.a, "event_selector")
	adv, ast := m.blocks(r.a, "advanced_event_selector")
	if (bst != ok && bst != absent) || (ast != ok && ast != absent) {
		return nil, nil
	}
	w, rd := false, false
	for _, sel := range basic {
		rw, rst := m.str(sel, "read_write_type")
		if rst != ok && rst != absent {
			return nil, nil
		}
		drs, _ := m.blocks(sel, "data_resource")
		for _, dr := range drs {
			if t, _ := m.str(dr, "type"); t != "AWS::S3::Object" {
				continue
			}
			vals, unk, _ := m.strs(dr, "values")
			if len(unk) > 0 {
				return nil, nil
			}
			sw, sr := awsnorm.BasicS3(rw, vals)
			w, rd = w || sw, rd || sr
		}
	}
	for _, sel := range adv {
		blocks, _ := m.blocks(sel, "field_selector")
		fields := make([]awsnorm.Field, 0, len(blocks))
		for _, f := range blocks {
			eq, _, _ := m.strs(f, "equals")
			fields = append(fields, awsnorm.Field{Name: m.s(f, "field"), Equals: eq})
		}
		sw, sr := awsnorm.AdvancedS3(fields)
		w, rd = w || sw, rd || sr
	}
	return boolp(w), boolp(rd)
}

// envSecrets reads an environment map: the names of the variables whose
// name or literal value looks like a credential.
func (m *mapper) envSecrets(v any, field string) (*bool, []string) {
	switch v.(type) {
	case nil:
		return boolp(false), nil
	case map[string]any:
	default:
		if _, isU := unknownOf(v); isU {
			return nil, nil
		}
		m.problem(field, "%s is %s, not a map", field, describe(v))
		return nil, nil
	}
	var names []string
	for name, x := range v.(map[string]any) {
		val, _ := text(x)
		if secrets.Name.MatchString(name) || secrets.Value.MatchString(val) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return boolp(len(names) > 0), names
}

// lambda: aws_lambda_function, with the permissions and function URLs of
// the configuration.
func lambda(m *mapper, r *inst, out *resource.Resource) {
	f := &resource.Function{}
	out.Facts.Function = f
	f.Runtime = m.s(r.a, "runtime")
	f.RuntimeEndOfSupport = awsconfig.RuntimeEndOfSupport(f.Runtime)
	if s, isStr := r.a["role"].(string); isStr {
		f.Identity = s
	} else if ts := m.targets(r.a["role"], roleTypes...); len(ts) == 1 {
		f.Identity = rid(ts[0].in)
	}
	m.relate(out, resource.RelRunsAs, r.a["role"], roleTypes...)
	vars, _ := look(r.a, "environment", "variables")
	f.EnvironmentSecrets, f.SecretVariables = m.envSecrets(vars, "environment.variables")
	switch subnets, st := look(r.a, "vpc_config", "subnet_ids"); st {
	case absent:
		f.InVPC = boolp(false)
	case ok:
		l, _ := subnets.([]any)
		f.InVPC = boolp(len(l) > 0)
	}
	switch mode, st := m.str(r.a, "tracing_config", "mode"); st {
	case ok:
		f.Tracing = boolp(mode == "Active")
	case absent:
		f.Tracing = boolp(false)
	}
	public := boolp(false)
	for _, a := range m.attachedTo(r, "aws_lambda_permission") {
		m.cur = a
		pr, pst := m.str(a.a, "principal")
		switch {
		case pst != ok:
			public = or3(public, nil)
		case pr == "*":
			_, s1 := look(a.a, "source_arn")
			_, s2 := look(a.a, "source_account")
			_, s3 := look(a.a, "principal_org_id")
			if s1 == absent && s2 == absent && s3 == absent {
				public = boolp(true)
			}
		}
	}
	for _, a := range m.attachedTo(r, "aws_lambda_function_url") {
		m.cur = a
		switch t, st := m.str(a.a, "authorization_type"); st {
		case ok:
			if t == "NONE" {
				public = boolp(true)
			}
		default:
			public = or3(public, nil)
		}
	}
	m.cur = r
	f.PublicInvocation = public
}

// eks: aws_eks_cluster (a public endpoint open to 0.0.0.0/0, no control
// plane logs and no secrets encryption by default).
func eks(m *mapper, r *inst, out *resource.Resource) {
	k := &resource.Kubernetes{}
	out.Facts.Kubernetes = k
	k.Version = m.s(r.a, "version")
	k.PublicEndpoint = m.boolean(r.a, boolp(true), "vpc_config", "endpoint_public_access")
	if k.PublicEndpoint != nil && *k.PublicEndpoint {
		switch cidrs, unk, st := m.strs(r.a, "vpc_config", "public_access_cidrs"); {
		case st == absent:
			k.EndpointAllowedCIDRs = []string{"0.0.0.0/0"}
		case st == ok && len(unk) == 0:
			k.EndpointAllowedCIDRs = cidrs
			if len(cidrs) == 0 {
				k.EndpointAllowedCIDRs = []string{"0.0.0.0/0"}
			}
		}
	}
	switch types, _, st := m.strs(r.a, "enabled_cluster_log_types"); st {
	case absent:
		k.ControlPlaneLogging, k.AuditLogging = boolp(false), boolp(false)
	case ok:
		k.ControlPlaneLogging = boolp(contains(types, "api") && contains(types, "audit"))
		k.AuditLogging = boolp(contains(types, "audit"))
	}
	switch encs, st := m.blocks(r.a, "encryption_config"); st {
	case absent:
		k.SecretsEncrypted = boolp(false)
	case ok:
		var on []*bool
		for _, e := range encs {
			res, _, _ := m.strs(e, "resources")
			if contains(res, "secrets") {
				on = append(on, set(e, "provider", "key_arn")) // a KMS key is required
			}
		}
		k.SecretsEncrypted = or3(append(on, boolp(false))...)
	}
}

// elbv2: aws_lb / aws_alb, internet-facing by default; its listeners are
// resources of their own (listener_of).
func elbv2(m *mapper, r *inst, out *resource.Resource) {
	lb := &resource.LoadBalancer{}
	out.Facts.LoadBalancer = lb
	typ := m.s(r.a, "load_balancer_type")
	lb.Public = not(m.boolean(r.a, boolp(false), "internal"))
	if typ == "gateway" {
		lb.Public = boolp(false)
	}
	lb.AccessLogs = m.boolean(r.a, boolp(false), "access_logs", "enabled")
	if _, st := look(r.a, "access_logs"); st == ok {
		if _, est := look(r.a, "access_logs", "enabled"); est == absent {
			lb.AccessLogs = boolp(true) // enabled defaults to true in the block
		}
	}
	lb.DeletionProtection = m.boolean(r.a, boolp(false), "enable_deletion_protection")
	if typ == "" || typ == "application" {
		lb.DropInvalidHeaders = m.boolean(r.a, boolp(false), "drop_invalid_header_fields")
	}
	waf := boolp(false)
	if len(m.attachedTo(r, "aws_wafv2_web_acl_association", "aws_wafregional_web_acl_association")) > 0 {
		waf = boolp(true)
	}
	lb.WAF = waf
	m.relate(out, resource.RelUsesFirewall, r.a["security_groups"], sgTypes...)
	if len(m.attachedTo(r, "aws_lb_listener", "aws_alb_listener")) == 0 {
		lb.Listeners, lb.HTTPListener, lb.WeakTLS = []resource.Listener{}, boolp(false), boolp(false)
	}
}

// listener: aws_lb_listener, judged as a resource of its own linked to its
// load balancer, as the AWS Config importer does.
func listener(m *mapper, r *inst, out *resource.Resource) {
	lb := &resource.LoadBalancer{}
	out.Facts.LoadBalancer = lb
	for _, t := range m.targets(r.a["load_balancer_arn"], "aws_lb", "aws_alb") {
		out.Relationships = append(out.Relationships, resource.Relationship{Type: "listener_of", TargetID: rid(t.in)})
	}
	proto, pst := m.str(r.a, "protocol")
	switch pst {
	case absent:
		proto = "HTTP" // for an application load balancer; a network one needs it
		if len(m.targets(r.a["load_balancer_arn"], "aws_lb")) == 1 {
			if t := m.targets(r.a["load_balancer_arn"], "aws_lb")[0]; m.s(t.a, "load_balancer_type") == "network" {
				proto = "TCP"
			}
		}
	case ok:
	default:
		return
	}
	l := resource.Listener{Protocol: strings.ToUpper(proto)}
	if port := m.integer(r.a, nil, "port"); port != nil {
		l.Port = *port
	}
	l.TLSPolicy = m.s(r.a, "ssl_policy")
	if l.TLSPolicy == "" && (l.Protocol == "HTTPS" || l.Protocol == "TLS") {
		// The provider's default policy (ELBSecurityPolicy-2016-08 before
		// 2023, TLS 1.3 since): not known from the configuration.
		l.TLSPolicy = ""
	}
	l.MinTLSVersion = tlsOfPolicy(l.TLSPolicy)
	acts, ast := m.blocks(r.a, "default_action")
	if l.Protocol == "HTTP" && (ast == ok || ast == absent) {
		redirect := false
		for _, a := range acts {
			if m.s(a, "type") == "redirect" && m.s(a, "redirect", "protocol") == "HTTPS" {
				redirect = true
			}
		}
		l.RedirectsToHTTPS = boolp(redirect)
	}
	lb.Listeners = []resource.Listener{l}
	switch l.Protocol {
	case "HTTP":
		lb.HTTPListener = not(l.RedirectsToHTTPS)
	case "HTTPS", "TLS":
		lb.HTTPListener = boolp(false)
		if l.MinTLSVersion != "" {
			lb.WeakTLS = boolp(l.MinTLSVersion < "1.2")
		}
	default:
		lb.HTTPListener = boolp(false)
	}
}

// tlsOfPolicy gives the lowest TLS version an ELB security policy allows
// ("" for a name not known).
func tlsOfPolicy(name string) string {
	n := strings.ToUpper(name)
	switch {
	case n == "":
		return ""
	case strings.Contains(n, "TLS13-1-3") || strings.Contains(n, "TLS-1-3"):
		return "1.3"
	case strings.Contains(n, "TLS13-1-2") || strings.Contains(n, "TLS-1-2") || strings.Contains(n, "FS-1-2"):
		return "1.2"
	case strings.Contains(n, "TLS13-1-1") || strings.Contains(n, "TLS-1-1") || strings.Contains(n, "FS-1-1"):
		return "1.1"
	case strings.Contains(n, "TLS13-1-0") || strings.Contains(n, "TLS-1-0") || n == "ELBSECURITYPOLICY-2016-08" ||
		n == "ELBSECURITYPOLICY-2015-05" || n == "ELBSECURITYPOLICY-FS-2018-06":
		return "1.0"
	}
	return ""
}

// classicELB: aws_elb (internet-facing unless internal; no redirects).
func classicELB(m *mapper, r *inst, out *resource.Resource) {
	lb := &resource.LoadBalancer{}
	out.Facts.LoadBalancer = lb
	lb.Public = not(m.boolean(r.a, boolp(false), "internal"))
	lb.AccessLogs = m.boolean(r.a, boolp(false), "access_logs", "enabled")
	if _, st := look(r.a, "access_logs"); st == ok {
		if _, est := look(r.a, "access_logs", "enabled"); est == absent {
			lb.AccessLogs = boolp(true)
		}
	}
	ls, st := m.blocks(r.a, "listener")
	if st != ok {
		return
	}
	httpL := false
	for _, l := range ls {
		proto := strings.ToUpper(m.s(l, "lb_protocol"))
		li := resource.Listener{Protocol: proto}
		if port := m.integer(l, nil, "lb_port"); port != nil {
			li.Port = *port
		}
		if proto == "HTTP" {
			httpL = true
			li.RedirectsToHTTPS = boolp(false)
		}
		lb.Listeners = append(lb.Listeners, li)
	}
	lb.HTTPListener = boolp(httpL)
}

// queue: aws_sqs_queue (SSE-SQS by default since October 2022), with its
// aws_sqs_queue_policy.
func queue(m *mapper, r *inst, out *resource.Resource) {
	q := &resource.Queue{Kind: "queue"}
	out.Facts.Queue = q
	if key, kst := look(r.a, "kms_master_key_id"); kst != absent {
		q.Encrypted, q.KeyManager = boolp(true), keyManager(key)
		m.relate(out, resource.RelUsesKey, key, "aws_kms_key")
	} else {
		q.Encrypted = m.boolean(r.a, boolp(true), "sqs_managed_sse_enabled")
		if q.Encrypted != nil && *q.Encrypted {
			q.KeyManager = "provider"
		}
	}
	q.PublicPolicy = m.resourcePolicies(r, out, "aws_sqs_queue_policy", "policy")
}

// topic: aws_sns_topic (not encrypted by default).
func topic(m *mapper, r *inst, out *resource.Resource) {
	q := &resource.Queue{Kind: "topic"}
	out.Facts.Queue = q
	if key, kst := look(r.a, "kms_master_key_id"); kst != absent {
		q.Encrypted, q.KeyManager = boolp(true), keyManager(key)
		m.relate(out, resource.RelUsesKey, key, "aws_kms_key")
	} else {
		q.Encrypted = boolp(false)
	}
	q.PublicPolicy = m.resourcePolicies(r, out, "aws_sns_topic_policy", "policy")
}

// resourcePolicies: whether the inline policy argument or a policy
// resource joined lets anyone in; the policy goes on out (onlyDoc).
func (m *mapper) resourcePolicies(r *inst, out *resource.Resource, typ, attr string) *bool {
	pol := m.policyAt(r.a, "policy")
	public, pols := pol.Public(), []*policy{pol}
	for _, a := range m.attachedTo(r, typ) {
		m.cur = a
		pol := m.policyAt(a.a, attr)
		public, pols = or3(public, pol.Public()), append(pols, pol)
	}
	m.cur = r
	out.Facts.ResourcePolicy = onlyDoc(pols)
	return public
}

// onlyDoc is the resource policy of a resource whose configuration gives
// exactly one (an inline argument or a policy resource joined); nil with
// none or several, as which of several applies is unknown.
func onlyDoc(pols []*policy) *resource.PolicyDocument {
	var doc *resource.PolicyDocument
	n := 0
	for _, p := range pols {
		if p != nil {
			n, doc = n+1, p.Doc
		}
	}
	if n != 1 {
		return nil
	}
	return doc
}

// secret: aws_secretsmanager_secret with its rotation and policy.
func secret(m *mapper, r *inst, out *resource.Resource) {
	s := &resource.Secret{}
	out.Facts.Secret = s
	switch key, st := look(r.a, "kms_key_id"); st {
	case absent:
		s.KeyManager = "provider" // aws/secretsmanager
	default:
		s.KeyManager = keyManager(key)
		m.relate(out, resource.RelUsesKey, key, "aws_kms_key")
	}
	rotation := boolp(false)
	for _, a := range m.attachedTo(r, "aws_secretsmanager_secret_rotation") {
		m.cur = a
		rotation = boolp(true)
		if days := m.integer(a.a, nil, "rotation_rules", "automatically_after_days"); days != nil {
			s.RotationPeriodDays = days
		} else if expr, st := m.str(a.a, "rotation_rules", "schedule_expression"); st == ok {
			s.RotationPeriodDays = rateDays(expr)
		}
	}
	m.cur = r
	s.RotationEnabled = rotation
	s.PublicAccess = m.resourcePolicies(r, out, "aws_secretsmanager_secret_policy", "policy")
}

var rateRE = regexp.MustCompile(`^rate\((\d{1,6}) days?\)$`)

func rateDays(expr string) *int {
	if mm := rateRE.FindStringSubmatch(strings.TrimSpace(expr)); mm != nil {
		n := 0
		for _, c := range mm[1] {
			n = n*10 + int(c-'0')
		}
		return &n
	}
	return nil
}

// ecr: aws_ecr_repository (mutable tags, no scan on push, AES256 by default).
func ecr(m *mapper, r *inst, out *resource.Resource) {
	g := &resource.Registry{}
	out.Facts.Registry = g
	g.ImageScanning = m.boolean(r.a, boolp(false), "image_scanning_configuration", "scan_on_push")
	switch mut, st := m.str(r.a, "image_tag_mutability"); st {
	case ok:
		g.TagImmutable = boolp(strings.HasPrefix(mut, "IMMUTABLE"))
	case absent:
		g.TagImmutable = boolp(false)
	}
	switch enc, st := m.str(r.a, "encryption_configuration", "encryption_type"); st {
	case absent:
		g.KeyManager = "provider"
	case ok:
		if strings.HasPrefix(strings.ToUpper(enc), "KMS") {
			if key, kst := look(r.a, "encryption_configuration", "kms_key"); kst != absent {
				g.KeyManager = keyManager(key)
				m.relate(out, resource.RelUsesKey, key, "aws_kms_key")
			} else {
				g.KeyManager = "provider"
			}
		} else {
			g.KeyManager = "provider"
		}
	}
	g.Public = m.resourcePolicies(r, out, "aws_ecr_repository_policy", "policy")
}

// distribution: aws_cloudfront_distribution.
func distribution(m *mapper, r *inst, out *resource.Resource) {
	c := &resource.CDN{}
	out.Facts.CDN = c
	https := func(p string) bool { return p == "redirect-to-https" || p == "https-only" }
	vpp, vst := m.str(r.a, "default_cache_behavior", "viewer_protocol_policy")
	only, known := https(vpp), vst == ok
	for _, k := range []string{"ordered_cache_behavior"} {
		cbs, cst := m.blocks(r.a, k)
		known = known && (cst == ok || cst == absent)
		for _, cb := range cbs {
			v, st := m.str(cb, "viewer_protocol_policy")
			known = known && st == ok
			only = only && https(v)
		}
	}
	if known {
		c.ViewerHTTPSOnly = boolp(only)
	}
	switch _, st := look(r.a, "viewer_certificate"); st {
	case absent:
		c.MinTLSVersion = "1.0"
	case ok:
		if def := m.boolean(r.a, boolp(false), "viewer_certificate", "cloudfront_default_certificate"); def != nil && *def {
			c.MinTLSVersion = "1.0"
		} else {
			switch v, st := m.str(r.a, "viewer_certificate", "minimum_protocol_version"); st {
			case ok:
				c.MinTLSVersion = awsconfig.CloudFrontTLS(v)
			case absent:
				c.MinTLSVersion = "1.0" // TLSv1 by default
			}
		}
	}
	switch v, st := look(r.a, "web_acl_id"); st {
	case absent:
		c.WAF = boolp(false)
	case ok:
		c.WAF = boolp(v != "")
	case unknownSt:
		c.WAF = boolp(true)
	}
	c.AccessLogs = or3(present(r.a, "logging_config"), m.logDelivery(r))
	origins, ost := m.blocks(r.a, "origin")
	if ost != ok {
		return
	}
	originHTTPS, s3, oac := true, 0, 0
	for _, o := range origins {
		if _, st := look(o, "custom_origin_config"); st == ok {
			if m.s(o, "custom_origin_config", "origin_protocol_policy") != "https-only" {
				originHTTPS = false
			}
			continue
		}
		s3++
		if _, st := look(o, "origin_access_control_id"); st == ok || st == unknownSt {
			oac++
		} else if v, st := look(o, "s3_origin_config", "origin_access_identity"); st == unknownSt || (st == ok && v != "") {
			oac++
		}
	}
	c.OriginHTTPSOnly = boolp(originHTTPS)
	if s3 > 0 {
		c.OriginAccessControl = boolp(oac == s3)
	}
}

// logDelivery: whether CloudWatch Logs delivers the resource's access logs
// (an aws_cloudwatch_log_delivery_source of type ACCESS_LOGS for it, with
// an aws_cloudwatch_log_delivery from that source), the newer way of
// logging a CloudFront distribution.
func (m *mapper) logDelivery(r *inst) *bool {
	out := boolp(false)
	for _, src := range m.referrers(r, "aws_cloudwatch_log_delivery_source", "resource_arn", r.typ()) {
		if m.s(src.a, "log_type") != "ACCESS_LOGS" {
			continue
		}
		for _, d := range m.ofType("aws_cloudwatch_log_delivery") {
			v := d.a["delivery_source_name"]
			if name, _ := src.a["name"].(string); (name != "" && v == name) || containsInst(m.targets(v, "aws_cloudwatch_log_delivery_source"), src) {
				out = boolp(true)
			}
		}
	}
	return out
}

// passwordPolicy: aws_iam_account_password_policy (minimum length 6, no
// reuse prevention, no expiry and no character classes by default).
func passwordPolicy(m *mapper, r *inst, out *resource.Resource) {
	p := &resource.PasswordPolicy{}
	out.Facts.PasswordPolicy = p
	out.Region = "global"
	p.MinLength = m.integer(r.a, resource.Int(6), "minimum_password_length")
	p.ReusePrevention = m.integer(r.a, resource.Int(0), "password_reuse_prevention")
	p.MaxAgeDays = m.integer(r.a, resource.Int(0), "max_password_age")
	p.RequireSymbols = m.boolean(r.a, boolp(false), "require_symbols")
	p.RequireNumbers = m.boolean(r.a, boolp(false), "require_numbers")
	p.RequireUpper = m.boolean(r.a, boolp(false), "require_uppercase_characters")
	p.RequireLower = m.boolean(r.a, boolp(false), "require_lowercase_characters")
}

// apiStage: aws_api_gateway_stage (REST), with its method settings and
// web ACL associations.
func apiStage(m *mapper, r *inst, out *resource.Resource) {
	a := &resource.APIGateway{}
	out.Facts.APIGateway = a
	_, ast := look(r.a, "access_log_settings", "destination_arn")
	exec := false
	apis := m.targets(r.a["rest_api_id"], "aws_api_gateway_rest_api")
	for _, s := range m.attachedTo(r, "aws_api_gateway_method_settings") {
		// A stage name is unique within its REST API only.
		if theirs := m.targets(s.a["rest_api_id"], "aws_api_gateway_rest_api"); len(apis) > 0 && len(theirs) > 0 && !slices.ContainsFunc(theirs, func(x *inst) bool { return slices.Contains(apis, x) }) {
			continue
		}
		if lvl := m.s(s.a, "settings", "logging_level"); lvl == "INFO" || lvl == "ERROR" {
			exec = true
		}
	}
	a.Logging = boolp(ast != absent || exec)
	a.Tracing = m.boolean(r.a, boolp(false), "xray_tracing_enabled")
	a.ClientCertificate = boolp(r.a["client_certificate_id"] != nil)
	a.WAF = boolp(len(m.attachedTo(r, "aws_wafv2_web_acl_association", "aws_wafregional_web_acl_association")) > 0)
}

// apiStageV2: aws_apigatewayv2_stage (HTTP and WebSocket APIs).
func apiStageV2(m *mapper, r *inst, out *resource.Resource) {
	a := &resource.APIGateway{}
	out.Facts.APIGateway = a
	_, ast := look(r.a, "access_log_settings", "destination_arn")
	lvl := m.s(r.a, "default_route_settings", "logging_level")
	a.Logging = boolp(ast != absent || lvl == "INFO" || lvl == "ERROR")
	a.ClientCertificate = boolp(r.a["client_certificate_id"] != nil)
}

// apiDomain: aws_api_gateway_domain_name, a REST API custom domain whose
// security_policy sets the minimum TLS version its clients may use
// (TLS_1_0, TLS_1_2, or an enhanced SecurityPolicy_TLS13_... /
// SecurityPolicy_TLS12_... policy); left out, the default is not
// documented for every endpoint type, so it is unknown.
func apiDomain(m *mapper, r *inst, out *resource.Resource) {
	a := &resource.APIGateway{}
	out.Facts.APIGateway = a
	if p, st := m.str(r.a, "security_policy"); st == ok {
		a.MinTLSVersion = awsnorm.APIGatewayTLS(p)
	}
}

// apiDomainV2: aws_apigatewayv2_domain_name (HTTP and WebSocket APIs),
// whose only security policy is TLS_1_2.
func apiDomainV2(m *mapper, r *inst, out *resource.Resource) {
	a := &resource.APIGateway{}
	out.Facts.APIGateway = a
	p := "TLS_1_2"
	if s, st := m.str(r.a, "domain_name_configuration", "security_policy"); st == ok {
		p = s
	} else if st != absent {
		return
	}
	a.MinTLSVersion = awsnorm.APIGatewayTLS(p)
}

// hostedZone: aws_route53_zone (public unless a vpc block makes it private).
func hostedZone(m *mapper, r *inst, out *resource.Resource) {
	z := &resource.DNSZone{}
	out.Facts.DNS = z
	switch vpcs, st := m.blocks(r.a, "vpc"); st {
	case ok:
		z.Public = boolp(len(vpcs) == 0)
	case absent:
		z.Public = boolp(true)
	}
	z.QueryLogging = boolp(len(m.attachedTo(r, "aws_route53_query_log")) > 0)
	z.DNSSEC = boolp(len(m.attachedTo(r, "aws_route53_hosted_zone_dnssec")) > 0)
	for _, d := range m.attachedTo(r, "aws_route53_hosted_zone_dnssec") {
		if st, sst := m.str(d.a, "signing_status"); sst == ok && st == "NOT_SIGNING" {
			z.DNSSEC = boolp(false)
		}
	}
}

// ebsSnapshot: aws_ebs_snapshot, encrypted as its volume is (a volume of
// the configuration), shared through aws_snapshot_create_volume_permission.
func ebsSnapshot(m *mapper, r *inst, out *resource.Resource) {
	s := &resource.Snapshot{Kind: "snapshot"}
	out.Facts.Snapshot = s
	if vs := m.targets(r.a["volume_id"], "aws_ebs_volume"); len(vs) == 1 {
		cur := m.cur
		m.cur = vs[0]
		s.Encrypted = m.boolean(vs[0].a, nil, "encrypted")
		if v, st := look(vs[0].a, "kms_key_id"); st != absent {
			s.KeyManager = keyManager(v)
		} else if s.Encrypted != nil && *s.Encrypted {
			s.KeyManager = "provider"
		}
		m.cur = cur
	}
	public := boolp(false)
	var shared []string
	for _, p := range m.attachedTo(r, "aws_snapshot_create_volume_permission") {
		switch acct, st := m.str(p.a, "account_id"); st {
		case ok:
			if acct == "all" {
				public = boolp(true)
			} else {
				shared = append(shared, acct)
			}
		default:
			public = or3(public, nil)
		}
	}
	s.Public, s.SharedWith = public, shared
}

// restAPI: aws_api_gateway_rest_api, public unless every endpoint type is
// PRIVATE (EDGE by default); it requires authorization when every method
// of the configuration on it has an authorization other than NONE or
// requires an API key, OPTIONS (CORS preflight) aside.
func restAPI(m *mapper, r *inst, out *resource.Resource) {
	a := &resource.APIGateway{}
	out.Facts.APIGateway = a
	switch types, _, st := m.strs(r.a, "endpoint_configuration", "types"); st {
	case absent:
		a.Public = boolp(true)
	case ok:
		public := len(types) == 0
		for _, t := range types {
			public = public || !strings.EqualFold(t, "PRIVATE")
		}
		a.Public = boolp(public)
	}
	var auth []*bool
	for _, meth := range m.attachedTo(r, "aws_api_gateway_method") {
		m.cur = meth
		if v, _ := meth.a["http_method"].(string); strings.EqualFold(v, "OPTIONS") {
			continue
		}
		var need *bool
		switch t, st := m.str(meth.a, "authorization"); st {
		case ok:
			need = boolp(!strings.EqualFold(t, "NONE"))
		}
		if k := m.boolean(meth.a, boolp(false), "api_key_required"); k != nil && *k {
			need = boolp(true)
		}
		auth = append(auth, need)
	}
	m.cur = r
	if len(auth) > 0 {
		a.AuthRequired = and3(auth...)
	}
}

// efsFileSystem: aws_efs_file_system (not encrypted unless encrypted is
// true; the aws/elasticfilesystem key without kms_key_id), as the AWS
// Config importer reads AWS::EFS::FileSystem.
func efsFileSystem(m *mapper, r *inst, out *resource.Resource) {
	d := &resource.Disk{}
	out.Facts.Disk = d
	d.Encrypted = m.boolean(r.a, boolp(false), "encrypted")
	switch k, st := look(r.a, "kms_key_id"); st {
	case ok, unknownSt:
		d.KeyManager = keyManager(k)
		m.relate(out, resource.RelUsesKey, k, "aws_kms_key")
	case absent:
		if d.Encrypted != nil && *d.Encrypted {
			d.KeyManager = "provider"
		}
	}
}

// ebsDefault is the EBS encryption by default of an instance's account
// and region as the configuration sets it (aws_ebs_encryption_by_default,
// enabled unless false), nil when it does not set it or is unknown.
func (m *mapper) ebsDefault(r *inst) *bool {
	var out *bool
	for _, d := range m.byType["aws_ebs_encryption_by_default"] {
		if d.in.Region != r.in.Region || d.in.Account != r.in.Account {
			continue
		}
		v, st := look(d.a, "enabled")
		on, isBool := v.(bool)
		switch {
		case st == absent:
			on = true
		case !isBool:
			return nil
		}
		if out != nil && *out != on {
			return nil
		}
		out = boolp(on)
	}
	return out
}

// ebsEncrypted reads a volume's (or block device's) encrypted argument
// under the region's EBS encryption by default def: with it on, every new
// volume is encrypted whatever the argument says; off, an absent argument
// is unencrypted; unset (nil), an absent argument is unknown.
func (m *mapper) ebsEncrypted(o map[string]any, def *bool) *bool {
	if def != nil && *def {
		return def
	}
	return m.boolean(o, def, "encrypted")
}
