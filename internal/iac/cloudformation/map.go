package cloudformation

import (
	"github.com/vigil-sec/vigil/internal/iac/secrets"
	"regexp"
	"sort"
	"strings"

	"github.com/vigil-sec/vigil/internal/iac/awsnorm"
	"github.com/vigil-sec/vigil/internal/importer/awsconfig"
	"github.com/vigil-sec/vigil/internal/resource"
)

// A mapper fills the facts of one CloudFormation resource type, with the
// meaning the AWS Config importer gives them for the same type (so the
// same rules judge both). Where a property is absent, CloudFormation's
// documented default is what deploys; where that default depends on
// things outside the template, the fact is left unknown.
type typeMapper struct {
	class resource.Class
	fill  func(m *mapper, r *res, out *resource.Resource)
}

var mappers map[string]typeMapper

func init() {
	mappers = map[string]typeMapper{
		"AWS::S3::Bucket":                           {resource.ClassObjectStorage, s3Bucket},
		"AWS::EC2::SecurityGroup":                   {resource.ClassFirewall, securityGroup},
		"AWS::EC2::Instance":                        {resource.ClassCompute, instance},
		"AWS::EC2::LaunchTemplate":                  {resource.ClassCompute, launchTemplate},
		"AWS::AutoScaling::LaunchConfiguration":     {resource.ClassCompute, launchConfiguration},
		"AWS::EC2::Volume":                          {resource.ClassDisk, volume},
		"AWS::EC2::VPC":                             {resource.ClassNetwork, vpc},
		"AWS::EC2::RouteTable":                      {resource.ClassOther, routeTable},
		"AWS::EC2::VPCPeeringConnection":            {resource.ClassOther, vpcPeering},
		"AWS::EC2::FlowLog":                         {resource.ClassFlowLog, flowLog},
		"AWS::RDS::DBInstance":                      {resource.ClassDatabase, rdsInstance},
		"AWS::RDS::DBCluster":                       {resource.ClassDatabase, rdsCluster},
		"AWS::DocDB::DBCluster":                     {resource.ClassDatabase, clusterOfEngine("docdb")},
		"AWS::Neptune::DBCluster":                   {resource.ClassDatabase, clusterOfEngine("neptune")},
		"AWS::Kinesis::Stream":                      {resource.ClassQueue, kinesisStream},
		"AWS::ElastiCache::ReplicationGroup":        {resource.ClassDatabase, cacheReplicationGroup},
		"AWS::ElastiCache::CacheCluster":            {resource.ClassDatabase, cacheCluster},
		"AWS::OpenSearchService::Domain":            {resource.ClassDatabase, searchDomain("opensearch")},
		"AWS::Elasticsearch::Domain":                {resource.ClassDatabase, searchDomain("elasticsearch")},
		"AWS::KMS::Key":                             {resource.ClassKey, kmsKey},
		"AWS::CloudTrail::Trail":                    {resource.ClassAuditLog, trail},
		"AWS::IAM::User":                            {resource.ClassIdentity, iamPrincipal("user")},
		"AWS::IAM::Role":                            {resource.ClassIdentity, iamPrincipal("role")},
		"AWS::IAM::Group":                           {resource.ClassGroup, iamGroup},
		"AWS::IAM::ManagedPolicy":                   {resource.ClassIAMPolicy, iamPolicy("customer")},
		"AWS::IAM::Policy":                          {resource.ClassIAMPolicy, iamPolicy("inline")},
		"AWS::Lambda::Function":                     {resource.ClassFunction, lambda},
		"AWS::Serverless::Function":                 {resource.ClassFunction, lambda},
		"AWS::EKS::Cluster":                         {resource.ClassKubernetes, eks},
		"AWS::ElasticLoadBalancingV2::LoadBalancer": {resource.ClassLoadBalancer, elbv2},
		"AWS::ElasticLoadBalancingV2::Listener":     {resource.ClassLoadBalancer, listener},
		"AWS::ElasticLoadBalancing::LoadBalancer":   {resource.ClassLoadBalancer, classicELB},
		"AWS::SQS::Queue":                           {resource.ClassQueue, queue},
		"AWS::SNS::Topic":                           {resource.ClassQueue, topic},
		"AWS::SecretsManager::Secret":               {resource.ClassSecret, secret},
		"AWS::ECR::Repository":                      {resource.ClassContainerRegistry, ecr},
		"AWS::CloudFront::Distribution":             {resource.ClassCDN, distribution},
		"AWS::ApiGateway::Stage":                    {resource.ClassAPIGateway, apiStage},
		"AWS::ApiGatewayV2::Stage":                  {resource.ClassAPIGateway, apiStageV2},
		"AWS::ApiGateway::RestApi":                  {resource.ClassAPIGateway, restAPI},
		"AWS::ApiGateway::DomainName":               {resource.ClassAPIGateway, apiDomain},
		"AWS::ApiGatewayV2::DomainName":             {resource.ClassAPIGateway, apiDomainV2},
		"AWS::Serverless::Api":                      {resource.ClassAPIGateway, apiStage},   // SAM: an API with its stage
		"AWS::Serverless::HttpApi":                  {resource.ClassAPIGateway, apiStageV2}, // SAM: an HTTP API with its stage
		"AWS::Route53::HostedZone":                  {resource.ClassDNSZone, hostedZone},
		"AWS::EC2::NetworkAcl":                      {resource.ClassNetworkACL, networkACL},
		"AWS::EFS::FileSystem":                      {resource.ClassDisk, efsFileSystem},
	}
}

// nameProp is the property holding a resource type's physical name.
var nameProp = map[string]string{
	"AWS::S3::Bucket": "BucketName", "AWS::EC2::SecurityGroup": "GroupName", "AWS::SQS::Queue": "QueueName",
	"AWS::SNS::Topic": "TopicName", "AWS::SecretsManager::Secret": "Name", "AWS::Lambda::Function": "FunctionName",
	"AWS::Serverless::Function": "FunctionName", "AWS::IAM::Role": "RoleName", "AWS::IAM::User": "UserName",
	"AWS::IAM::Group": "GroupName", "AWS::IAM::ManagedPolicy": "ManagedPolicyName", "AWS::IAM::Policy": "PolicyName",
	"AWS::RDS::DBInstance": "DBInstanceIdentifier", "AWS::RDS::DBCluster": "DBClusterIdentifier",
	"AWS::CloudTrail::Trail": "TrailName", "AWS::EKS::Cluster": "Name", "AWS::ECR::Repository": "RepositoryName",
	"AWS::ElasticLoadBalancingV2::LoadBalancer": "Name", "AWS::ApiGateway::Stage": "StageName",
	"AWS::ApiGatewayV2::Stage": "StageName", "AWS::Route53::HostedZone": "Name", "AWS::Serverless::Api": "Name", "AWS::ApiGateway::RestApi": "Name",
	"AWS::Serverless::HttpApi": "Name", "AWS::Logs::LogGroup": "LogGroupName", "AWS::Logs::MetricFilter": "FilterName",
}

func (m *mapper) relate(out *resource.Resource, typ string, v any) {
	switch t := v.(type) {
	case string:
		if t != "" {
			out.Relationships = append(out.Relationships, resource.Relationship{Type: typ, TargetID: t})
		}
	case *unknown:
		for _, id := range t.refs {
			out.Relationships = append(out.Relationships, resource.Relationship{Type: typ, TargetID: m.rid(id)})
		}
		for _, id := range t.outer { // another template's of the stack
			out.Relationships = append(out.Relationships, resource.Relationship{Type: typ, TargetID: id})
		}
	case []any:
		for _, e := range t {
			m.relate(out, typ, e)
		}
	}
}

func s3Bucket(m *mapper, r *res, out *resource.Resource) {
	p := r.p
	s := &resource.ObjectStorage{}
	out.Facts.Storage = s
	// Block Public Access: new buckets have all four settings on since
	// April 2023; a configuration given turns off the settings it omits.
	// Block Public Access: all four settings on by default for new buckets
	// (since April 2023); a configuration given turns off those it omits.
	pab := []*bool{boolp(true), boolp(true), boolp(true), boolp(true)}
	switch _, st := look(p, "PublicAccessBlockConfiguration"); st {
	case ok:
		for i, k := range []string{"BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"} {
			pab[i] = m.boolean(p, boolp(false), "PublicAccessBlockConfiguration", k)
		}
	case unknownSt, bad:
		pab = []*bool{nil, nil, nil, nil}
	}
	byDefault := ""
	if _, st := look(p, "PublicAccessBlockConfiguration"); st == absent {
		byDefault = ", on by default since April 2023"
	}
	blockACLs, ignoreACLs, blockPolicy, restrict := pab[0], pab[1], pab[2], pab[3]
	s.PublicAccessBlocked = and3(pab...)
	// The bucket policy (AWS::S3::BucketPolicy of the template).
	policyPublic, transport := boolp(false), boolp(false)
	var publicPolicy *res
	var pols []*policy
	maybeDeployed := false
	for _, a := range m.attachedTo(r.id(), "AWS::S3::BucketPolicy") {
		done := m.on(a)
		pol := m.policyAt(a.p, "PolicyDocument")
		done()
		pols, maybeDeployed = append(pols, pol), maybeDeployed || a.maybe
		if pub := pol.Public(); pub != nil && *pub {
			publicPolicy = a
		}
		policyPublic = or3(policyPublic, maybe(a, pol.Public(), boolp(false)))
		transport = or3(transport, maybe(a, pol.SecureTransport(), boolp(false)))
	}
	out.Facts.ResourcePolicy = onlyDoc(pols, maybeDeployed)
	// Object ownership: BucketOwnerEnforced (ACLs disabled) is the default
	// since April 2023.
	ownership := "BucketOwnerEnforced"
	if rules, st := m.objs(p, "OwnershipControls", "Rules"); st == ok && len(rules) > 0 {
		ownership = m.s(rules[0], "ObjectOwnership")
	} else if st == unknownSt || st == bad {
		ownership = ""
	}
	if ownership != "" {
		s.UniformAccess = boolp(ownership == "BucketOwnerEnforced")
	}
	// A public canned ACL or policy that S3 refuses (ACLs disabled, Block
	// Public Access) grants nothing: S3 answers an error, the stack fails
	// and rolls back, and no public bucket is deployed. It is reported as
	// a warning; the Terraform mapping reads the same refusal the same way
	// (docs/iac.md).
	aclPublic := boolp(false)
	switch acl, st := m.str(p, "AccessControl"); st {
	case ok:
		if acl == "PublicRead" || acl == "PublicReadWrite" || acl == "AuthenticatedRead" {
			switch {
			case ownership == "BucketOwnerEnforced":
				m.wouldFail("AccessControl", "AccessControl %s is refused: ACLs are disabled by ObjectOwnership BucketOwnerEnforced (the default since April 2023)", acl)
			case blockACLs != nil && *blockACLs:
				m.wouldFail("AccessControl", "AccessControl %s is refused by Block Public Access (BlockPublicAcls%s)", acl, byDefault)
			case ownership == "":
				aclPublic = nil
			default:
				aclPublic = and3(not(ignoreACLs), not(blockACLs))
			}
		}
	case unknownSt, bad:
		aclPublic = nil
	}
	if policyPublic != nil && *policyPublic {
		switch {
		case blockPolicy != nil && *blockPolicy:
			done := m.on(publicPolicy)
			m.wouldFail("PolicyDocument", "the public bucket policy is refused by the Block Public Access of %s (BlockPublicPolicy%s)", r.id(), byDefault)
			done()
			policyPublic = boolp(false)
			// The refused policies are not deployed.
			kept := pols[:0]
			for _, pol := range pols {
				if pub := pol.Public(); pub == nil || !*pub {
					kept = append(kept, pol)
				}
			}
			out.Facts.ResourcePolicy = onlyDoc(kept, maybeDeployed)
		default:
			policyPublic = and3(not(restrict), not(blockPolicy))
		}
	}
	s.PublicAccess = or3(aclPublic, policyPublic)
	s.SecureTransportOnly = transport
	// Default encryption: SSE-S3 when BucketEncryption is absent (since
	// January 2023).
	switch rules, st := m.objs(p, "BucketEncryption", "ServerSideEncryptionConfiguration"); st {
	case absent:
		if _, bst := look(p, "BucketEncryption"); bst == absent {
			s.Encrypted, s.KeyManager = boolp(true), "provider"
		}
	case ok:
		enc, km := boolp(len(rules) > 0), ""
		for _, rule := range rules {
			alg, ast := m.str(rule, "ServerSideEncryptionByDefault", "SSEAlgorithm")
			key, kst := look(rule, "ServerSideEncryptionByDefault", "KMSMasterKeyID")
			switch {
			case ast != ok:
				enc = nil
			case strings.HasPrefix(alg, "aws:kms") && kst != absent:
				km = keyManager(key) // "" for a key a parameter names
			default:
				km = "provider"
			}
		}
		if enc != nil {
			s.Encrypted, s.KeyManager = enc, km
		}
	}
	switch st, sst := m.str(p, "VersioningConfiguration", "Status"); sst {
	case ok:
		s.Versioning = boolp(st == "Enabled")
	case absent:
		s.Versioning = boolp(false)
	}
	// Object Lock protects objects from deletion; MFA delete cannot be set
	// by CloudFormation, so the bucket deploys without it (as a live
	// bucket never configured with it reads: off) unless Object Lock is on.
	s.DeleteProtection = m.boolean(p, boolp(false), "ObjectLockEnabled")
	switch _, st := look(p, "LoggingConfiguration"); st {
	case ok:
		s.AccessLogging = boolp(true)
	case absent:
		s.AccessLogging = boolp(false)
	}
}

// netRule reads one security group rule (inline or an Ingress/Egress
// resource); ok is false when it cannot be known before deploy.
func (m *mapper) netRule(dir string, o map[string]any) (resource.FirewallRule, bool) {
	pv, pst := look(o, "IpProtocol")
	ps, _ := text(pv)
	if pst != ok {
		return resource.FirewallRule{}, false
	}
	proto := resource.NormProtocol(ps)
	from, to := 0, 65535
	if proto != "all" && proto != "icmp" && proto != "icmpv6" {
		f := m.integer(o, resource.Int(-1), "FromPort")
		t := m.integer(o, resource.Int(-1), "ToPort")
		if f == nil || t == nil {
			return resource.FirewallRule{}, false
		}
		if *f >= 0 {
			from = *f
		}
		if *t >= 0 {
			to = *t
		}
	}
	var srcs []string
	for _, k := range []string{"CidrIp", "CidrIpv6", "SourceSecurityGroupId", "SourceSecurityGroupName", "SourcePrefixListId",
		"DestinationSecurityGroupId", "DestinationPrefixListId"} {
		v, st := look(o, k)
		switch st {
		case ok:
			s, _ := text(v)
			srcs = append(srcs, strings.TrimSpace(s))
		case unknownSt:
			u := v.(*unknown)
			if u.open && (k == "CidrIp" || k == "CidrIpv6") {
				return resource.FirewallRule{}, false // a parameter: may be 0.0.0.0/0
			}
			srcs = append(srcs, u.text)
		}
	}
	return resource.FirewallRule{Direction: dir, Action: "allow", Protocol: proto, FromPort: from, ToPort: to, Sources: srcs}, true
}

func securityGroup(m *mapper, r *res, out *resource.Resource) {
	p := r.p
	fw := &resource.Firewall{Default: boolp(false)} // CloudFormation cannot create a default group
	out.Facts.Firewall = fw
	rules := []resource.FirewallRule{}
	known := true
	egress := false
	for _, dir := range []string{"ingress", "egress"} {
		key := "SecurityGroupIngress"
		if dir == "egress" {
			key = "SecurityGroupEgress"
		}
		inline, st := m.objs(p, key)
		if st == unknownSt || st == bad {
			known = false
		}
		typ := "AWS::EC2::SecurityGroup" + strings.ToUpper(dir[:1]) + dir[1:]
		for _, o := range inline {
			rule, ok := m.netRule(dir, o)
			known = known && ok
			rules = append(rules, rule)
		}
		for _, a := range m.attachedTo(r.id(), typ) {
			done := m.on(a)
			rule, ok := m.netRule(dir, a.p)
			done()
			known = known && ok && !a.maybe
			rules = append(rules, rule)
		}
		if dir == "egress" {
			// Only egress rules of the group's own remove the default
			// rule; AWS::EC2::SecurityGroupEgress resources add to it.
			egress = len(inline) > 0
		}
	}
	if !egress {
		// Without egress rules a group allows all outbound IPv4 traffic.
		rules = append(rules, resource.FirewallRule{Direction: "egress", Action: "allow", Protocol: "all", FromPort: 0, ToPort: 65535, Sources: []string{"0.0.0.0/0"}})
	}
	if known {
		fw.Rules = rules
	}
	m.relate(out, resource.RelInNetwork, p["VpcId"])
}

func instance(m *mapper, r *res, out *resource.Resource) {
	p := r.p
	c := &resource.Compute{}
	out.Facts.Compute = c
	// A public IP: asked for on a network interface, or given by the
	// subnet of the template (MapPublicIpOnLaunch defaults to false);
	// otherwise it depends on a subnet outside the template.
	nis, nst := m.objs(p, "NetworkInterfaces")
	var public []*bool
	for _, ni := range nis {
		if b := m.boolean(ni, nil, "AssociatePublicIpAddress"); b != nil {
			public = append(public, b)
		} else {
			public = append(public, m.subnetPublic(ni["SubnetId"]))
		}
		m.relate(out, resource.RelUsesInterface, ni["NetworkInterfaceId"])
	}
	if nst == absent {
		public = append(public, m.subnetPublic(p["SubnetId"]))
	}
	// An Elastic IP of the template associated with it.
	for _, e := range m.ofType("AWS::EC2::EIP", "AWS::EC2::EIPAssociation") {
		if contains(refsOf(e.p["InstanceId"]), r.id()) {
			public = append(public, maybe(e, boolp(true), nil))
		}
	}
	if nst == ok || nst == absent {
		c.PublicIP = or3(public...)
	}
	// An IPv6 address (every AWS IPv6 address is globally routable):
	// Ipv6AddressCount or Ipv6Addresses on the instance or on each of its
	// network interfaces, else the template's subnet's
	// AssignIpv6AddressOnCreation (false by default); unknown otherwise.
	var v6 []*bool
	for _, ni := range nis {
		v6 = append(v6, m.ipv6Of(ni, ni["SubnetId"]))
	}
	switch _, lt := look(p, "LaunchTemplate"); {
	case nst == absent && lt == absent:
		v6 = append(v6, m.ipv6Of(p, p["SubnetId"]))
	case nst != ok:
		v6 = append(v6, nil) // a launch template's or unreadable interfaces
	}
	c.PublicIPv6 = or3(v6...)
	if ip, ok := p["IamInstanceProfile"].(string); ok {
		c.Identity = ip
	}
	m.relate(out, resource.RelRunsAs, p["IamInstanceProfile"])
	c.InstanceProfile = m.instanceProfile(p)
	// Root and data volumes: encrypted when every block device says so;
	// unencrypted when one says not (EBS default encryption may still
	// apply: that is the account's fact); unknown otherwise.
	bds, _ := m.objs(p, "BlockDeviceMappings")
	var enc []*bool
	for _, bd := range bds {
		if _, st := look(bd, "Ebs"); st == ok {
			enc = append(enc, m.boolean(bd, nil, "Ebs", "Encrypted"))
		}
	}
	if len(enc) > 0 {
		c.DiskEncrypted = and3(enc...)
	}
	vols, _ := m.objs(p, "Volumes")
	for _, v := range vols {
		m.relate(out, resource.RelUsesDisk, v["VolumeId"])
	}
	// IMDSv2: the instance's metadata options, or those of the launch
	// template it uses; without either the AMI decides (unknown).
	if tok, st := m.str(p, "MetadataOptions", "HttpTokens"); st == ok {
		c.MetadataV2Required = boolp(tok == "required")
	} else if lt := m.targets(valueAt(p, "LaunchTemplate", "LaunchTemplateId"), "AWS::EC2::LaunchTemplate"); len(lt) == 1 {
		if t := m.byID[lt[0]]; t != nil {
			if tok, st := m.str(t.p, "LaunchTemplateData", "MetadataOptions", "HttpTokens"); st == ok {
				c.MetadataV2Required = boolp(tok == "required")
			}
		}
	}
	m.relate(out, resource.RelUsesFirewall, p["SecurityGroupIds"])
	// User data: the instance's, or that of the launch template it uses.
	ud, st := look(p, "UserData")
	if st == absent {
		if lt := m.targets(valueAt(p, "LaunchTemplate", "LaunchTemplateId"), "AWS::EC2::LaunchTemplate"); len(lt) == 1 {
			if t := m.byID[lt[0]]; t != nil {
				ud, st = look(t.p, "LaunchTemplateData", "UserData")
			}
		}
	}
	c.UserDataSecrets, c.UserDataSecretNames = userDataSecrets(ud, st)
}

// userDataSecrets reads a boot script: the credentials it assigns in the
// clear. A script known only in part (parameters without value, resource
// attributes) has its literal lines read: a credential found there is
// certain, none found leaves the fact unknown (a deploy-time part may be
// one).
func userDataSecrets(v any, st state) (*bool, []string) {
	switch st {
	case absent:
		return boolp(false), nil
	case ok:
	default:
		if u, isU := v.(*unknown); isU && u.text != "" {
			if found := secrets.Script(u.text); len(found) > 0 {
				return boolp(true), found
			}
		}
		return nil, nil
	}
	s, isText := text(v)
	if !isText {
		return nil, nil
	}
	found := secrets.Script(s)
	return boolp(len(found) > 0), found
}

// valueAt is the value at path, nil when absent.
func valueAt(p any, path ...string) any { v, _ := look(p, path...); return v }

// ipv6Of: whether an instance or one of its NetworkInterfaces entries (p)
// gets an IPv6 address: Ipv6Addresses listed or Ipv6AddressCount above 0;
// none when they are set to none; else the subnet's
// AssignIpv6AddressOnCreation when the subnet is the template's (false by
// default); unknown for a value known at deploy time or a subnet outside
// the template.
func (m *mapper) ipv6Of(p map[string]any, subnet any) *bool {
	addrs, ast := m.objs(p, "Ipv6Addresses")
	n := m.integer(p, nil, "Ipv6AddressCount")
	_, cst := look(p, "Ipv6AddressCount")
	switch {
	case len(addrs) > 0 || (n != nil && *n > 0):
		return boolp(true)
	case ast == unknownSt || ast == bad || cst == unknownSt || cst == bad:
		return nil
	case ast == ok || cst == ok:
		return boolp(false)
	}
	ids := m.targets(subnet, "AWS::EC2::Subnet")
	if len(ids) != 1 {
		return nil
	}
	return m.boolean(m.byID[ids[0]].p, boolp(false), "AssignIpv6AddressOnCreation")
}

// subnetPublic: whether instances launched in the subnet v names get a
// public IP, when the subnet is the template's; nil otherwise.
func (m *mapper) subnetPublic(v any) *bool {
	ids := m.targets(v, "AWS::EC2::Subnet")
	if len(ids) != 1 {
		return nil
	}
	s := m.byID[ids[0]]
	return m.boolean(s.p, boolp(false), "MapPublicIpOnLaunch")
}

func volume(m *mapper, r *res, out *resource.Resource) {
	p := r.p
	d := &resource.Disk{}
	out.Facts.Disk = d
	// Without Encrypted the account's EBS default encryption decides.
	d.Encrypted = m.boolean(p, nil, "Encrypted")
	if v, st := look(p, "KmsKeyId"); st != absent {
		d.KeyManager = keyManager(v)
		m.relate(out, resource.RelUsesKey, v)
	} else if d.Encrypted != nil && *d.Encrypted {
		d.KeyManager = "provider"
	}
	d.SizeGB = m.integer(p, nil, "Size")
	// Attached by an AWS::EC2::VolumeAttachment or an instance's Volumes.
	atts := m.attachedTo(r.id(), "AWS::EC2::VolumeAttachment")
	for _, a := range atts {
		if id := m.targets(a.p["InstanceId"], "AWS::EC2::Instance"); len(id) == 1 {
			d.AttachedTo = append(d.AttachedTo, m.rid(id[0]))
		}
	}
	for _, in := range m.ofType("AWS::EC2::Instance") {
		vols, _ := in.p["Volumes"].([]any)
		for _, v := range vols {
			if vo, _ := v.(map[string]any); contains(refsOf(vo["VolumeId"]), r.id()) {
				d.AttachedTo = append(d.AttachedTo, m.rid(in.id()))
				atts = append(atts, in)
			}
		}
	}
	d.Attached = boolp(len(atts) > 0)
}

func vpc(m *mapper, r *res, out *resource.Resource) {
	n := &resource.Network{Default: boolp(false)}
	out.Facts.Network = n
	// Flow logs of the template recording it (or one of its subnets).
	var logs []*bool
	for _, fl := range m.ofType("AWS::EC2::FlowLog") {
		for _, t := range m.targets(fl.p["ResourceId"], "AWS::EC2::VPC", "AWS::EC2::Subnet") {
			if t == r.id() || m.subnetOf(t) == r.id() {
				logs = append(logs, maybe(fl, boolp(true), nil))
			}
		}
	}
	logs = append(logs, boolp(false))
	n.FlowLogs = or3(logs...)
}

func (m *mapper) subnetOf(id string) string {
	s := m.byID[id]
	if s == nil || s.typ() != "AWS::EC2::Subnet" {
		return ""
	}
	if t := m.targets(s.p["VpcId"], "AWS::EC2::VPC"); len(t) == 1 {
		return t[0]
	}
	return ""
}

func flowLog(m *mapper, r *res, out *resource.Resource) {
	f := &resource.FlowLog{Enabled: boolp(true)} // a flow log exists only while on
	out.Facts.FlowLog = f
	v := r.p["ResourceId"]
	switch t := v.(type) {
	case string:
		f.Targets = []string{t}
	case *unknown:
		for _, id := range t.refs {
			f.Targets = append(f.Targets, m.rid(id))
		}
	}
	m.relate(out, resource.RelFlowLogsOf, v)
}

func rdsInstance(m *mapper, r *res, out *resource.Resource) {
	p := r.p
	d := &resource.Database{}
	out.Facts.Database = d
	d.Engine = strings.ToLower(m.s(p, "Engine"))
	// PubliclyAccessible's default depends on the VPC and the subnet
	// group: unknown when absent.
	d.PublicEndpoint = m.boolean(p, nil, "PubliclyAccessible")
	_, inCluster := p["DBClusterIdentifier"]
	_, restored := p["DBSnapshotIdentifier"]
	_, replica := p["SourceDBInstanceIdentifier"]
	switch {
	case inCluster:
		// An Aurora instance: storage, backups and deletion protection are the cluster's.
		if c := m.targets(p["DBClusterIdentifier"], "AWS::RDS::DBCluster"); len(c) == 1 {
			cp := m.byID[c[0]].p
			d.Encrypted, d.KeyManager = m.storageEncryption(cp)
		}
	case restored || replica:
		d.Encrypted = m.boolean(p, nil, "StorageEncrypted")
		if d.Encrypted == nil {
			if _, st := look(p, "KmsKeyId"); st != absent {
				d.Encrypted = boolp(true)
			}
		}
		if d.Encrypted != nil && *d.Encrypted {
			d.KeyManager = keyManager(p["KmsKeyId"])
		}
	default:
		d.Encrypted, d.KeyManager = m.storageEncryption(p)
		days := m.integer(p, resource.Int(1), "BackupRetentionPeriod")
		d.BackupRetentionDays = days
		if days != nil {
			d.BackupEnabled = boolp(*days > 0)
		}
		d.DeletionProtection = m.boolean(p, boolp(false), "DeletionProtection")
	}
	d.MultiAZ = m.boolean(p, boolp(false), "MultiAZ")
	d.AutoMinorUpgrade = m.boolean(p, boolp(true), "AutoMinorVersionUpgrade")
	m.relate(out, resource.RelUsesKey, p["KmsKeyId"])
	m.dbCredentials(d, r, "MasterUserPassword")
}

// storageEncryption: StorageEncrypted defaults to false (a KMS key given
// makes it true); the key manager is the key's.
func (m *mapper) storageEncryption(p map[string]any) (*bool, string) {
	enc := m.boolean(p, boolp(false), "StorageEncrypted")
	if mode, _ := p["EngineMode"].(string); mode == "serverless" {
		enc = boolp(true) // Aurora Serverless v1 is always encrypted
	}
	key, kst := look(p, "KmsKeyId")
	if kst != absent && enc != nil && !*enc {
		if _, given := p["StorageEncrypted"]; !given {
			enc = boolp(true)
		}
	}
	if enc == nil || !*enc {
		return enc, ""
	}
	if kst == absent {
		return enc, "provider"
	}
	return enc, keyManager(key)
}

func rdsCluster(m *mapper, r *res, out *resource.Resource) {
	p := r.p
	d := &resource.Database{}
	out.Facts.Database = d
	d.Engine = strings.ToLower(m.s(p, "Engine"))
	d.PublicEndpoint = m.boolean(p, nil, "PubliclyAccessible")
	if _, restored := p["SnapshotIdentifier"]; restored {
		d.Encrypted = m.boolean(p, nil, "StorageEncrypted")
	} else {
		d.Encrypted, d.KeyManager = m.storageEncryption(p)
	}
	days := m.integer(p, resource.Int(1), "BackupRetentionPeriod")
	d.BackupRetentionDays = days
	if days != nil {
		d.BackupEnabled = boolp(*days > 0)
	}
	d.DeletionProtection = m.boolean(p, boolp(false), "DeletionProtection")
	d.AutoMinorUpgrade = m.boolean(p, nil, "AutoMinorVersionUpgrade")
	m.relate(out, resource.RelUsesKey, p["KmsKeyId"])
	m.dbCredentials(d, r, "MasterUserPassword")
}

// clusterOfEngine maps a DocumentDB or Neptune cluster, which has the RDS
// cluster's properties and defaults without an Engine property.
func clusterOfEngine(engine string) func(m *mapper, r *res, out *resource.Resource) {
	return func(m *mapper, r *res, out *resource.Resource) {
		rdsCluster(m, r, out)
		if out.Facts.Database.Engine == "" {
			out.Facts.Database.Engine = engine
		}
	}
}

func kmsKey(m *mapper, r *res, out *resource.Resource) {
	p := r.p
	k := &resource.Key{CustomerManaged: boolp(true)}
	out.Facts.Key = k
	k.Enabled = m.boolean(p, boolp(true), "Enabled")
	spec, st := m.str(p, "KeySpec")
	switch st {
	case ok:
		k.Symmetric = boolp(spec == "SYMMETRIC_DEFAULT")
	case absent:
		k.Symmetric = boolp(true)
	}
	k.RotationEnabled = m.boolean(p, boolp(false), "EnableKeyRotation")
	if k.RotationEnabled != nil && *k.RotationEnabled {
		k.RotationPeriodDays = m.integer(p, resource.Int(365), "RotationPeriodInDays")
	}
	// Without KeyPolicy the default key policy lets only the account in.
	pol := m.policyAt(p, "KeyPolicy")
	k.PublicAccess = pol.Public()
	out.Facts.ResourcePolicy = onlyDoc([]*policy{pol}, false)
}

func trail(m *mapper, r *res, out *resource.Resource) {
	p := r.p
	a := &resource.AuditLog{}
	out.Facts.AuditLog = a
	a.Enabled = m.boolean(p, nil, "IsLogging")
	a.MultiRegion = m.boolean(p, boolp(false), "IsMultiRegionTrail")
	a.FileValidation = m.boolean(p, boolp(false), "EnableLogFileValidation")
	kmsKey := "KMSKeyId"
	if _, st := look(p, kmsKey); st == absent {
		kmsKey = "KmsKeyId" // as some templates (and scanners) spell it
	}
	switch v, st := look(p, kmsKey); st {
	case absent:
		a.EncryptedWithCMK = boolp(false)
	case ok, unknownSt:
		a.EncryptedWithCMK = boolp(keyManager(v) != "provider")
	}
	a.S3WriteEvents, a.S3ReadEvents = m.trailDataEvents(p)
	switch v := p["S3BucketName"].(type) {
	case string:
		a.Destination = v
		if b := m.targets(v, "AWS::S3::Bucket"); len(b) == 1 {
			m.relate(out, resource.RelLogsTo, m.rid(b[0]))
		} else {
			m.relate(out, resource.RelLogsTo, "arn:aws:s3:::"+v)
		}
	case *unknown:
		a.Destination = v.text
		m.relate(out, resource.RelLogsTo, v)
	}
}

const adminPolicyARN = "arn:aws:iam::aws:policy/AdministratorAccess"

// inlinePolicies reads a Policies list ({PolicyName, PolicyDocument}) and
// the AWS::IAM::Policy resources of the template attached to r.
func (m *mapper) inlinePolicies(r *res) (docs []resource.NamedPolicy, names []string, admin *bool) {
	admin = boolp(false)
	pols, st := m.objs(r.p, "Policies")
	if st == unknownSt || st == bad {
		admin = nil
	}
	add := func(name string, pol *policy, a *res) {
		names = append(names, name)
		var doc *resource.PolicyDocument
		if pol != nil {
			doc = pol.Doc
		}
		docs = append(docs, resource.NamedPolicy{Name: name, Document: doc})
		adm := pol.Admin()
		if a != nil {
			adm = maybe(a, adm, boolp(false))
		}
		admin = or3(admin, adm)
	}
	for _, o := range pols {
		add(m.s(o, "PolicyName"), m.policyAt(o, "PolicyDocument"), nil)
	}
	for _, a := range m.attachedTo(r.id(), "AWS::IAM::Policy") {
		name, _ := a.p["PolicyName"].(string)
		if name == "" {
			name = a.id()
		}
		done := m.on(a)
		pol := m.policyAt(a.p, "PolicyDocument")
		done()
		add(name, pol, a)
	}
	return docs, names, admin
}

// managedPolicies reads ManagedPolicyArns and the AWS::IAM::ManagedPolicy
// resources of the template naming r (has_policy to each).
func (m *mapper) managedPolicies(r *res, out *resource.Resource) (arns []string, admin *bool) {
	admin = boolp(false)
	l, st := m.listAt(r.p, "ManagedPolicyArns")
	if st == unknownSt || st == bad {
		admin = nil
	}
	for _, v := range l {
		switch t := v.(type) {
		case string:
			arns = append(arns, t)
			if t == adminPolicyARN {
				admin = boolp(true)
			}
		case *unknown:
			arns = append(arns, t.text)
			if t.open && (admin == nil || !*admin) {
				admin = nil
			}
		}
		m.relate(out, resource.RelHasPolicy, v)
	}
	for _, a := range m.attachedTo(r.id(), "AWS::IAM::ManagedPolicy") {
		if !contains(refsOf(l), a.id()) {
			arns = append(arns, "${"+a.id()+"}")
			m.relate(out, resource.RelHasPolicy, m.rid(a.id()))
		}
	}
	return arns, admin
}

func iamPrincipal(kind string) func(m *mapper, r *res, out *resource.Resource) {
	return func(m *mapper, r *res, out *resource.Resource) {
		p := r.p
		id := &resource.Identity{Kind: kind}
		out.Facts.Identity = id
		arns, attAdmin := m.managedPolicies(r, out)
		id.AttachedPolicies = arns
		docs, names, inAdmin := m.inlinePolicies(r)
		id.InlineDocuments, id.InlinePolicies = docs, names
		// The principal's own answer; derivation adds what its managed
		// policies (has_policy) and groups (member_of) grant.
		id.Admin = or3(attAdmin, inAdmin)
		if v, st := look(p, "PermissionsBoundary"); st == ok || st == unknownSt {
			if s, isStr := v.(string); isStr {
				id.PermissionsBoundary = s
			} else {
				id.PermissionsBoundary = v.(*unknown).text
			}
		}
		switch kind {
		case "role":
			if pol := m.policyAt(p, "AssumeRolePolicyDocument"); pol != nil && pol.Doc != nil {
				id.TrustPolicy = pol.Doc
				if pol.Doc.Error == "" && !pol.WhoUnknown {
					id.TrustsExternal = externalPrincipals(pol, m.opts.AccountID)
				}
			}
		case "user":
			// MFA is enrolled by the user after deploy, unless the template
			// creates the device (AWS::IAM::VirtualMFADevice naming the user).
			for _, a := range m.attachedTo(r.id(), "AWS::IAM::VirtualMFADevice") {
				id.MFAEnabled = maybe(a, boolp(true), nil)
			}
			// The access keys the template creates for the user (new at
			// deploy, so never stale); whether it has others is unknown,
			// so a user the template gives none stays unknown.
			var keys []resource.AccessKey
			known := true
			for _, a := range m.attachedTo(r.id(), "AWS::IAM::AccessKey") {
				done := m.on(a)
				status, st := m.str(a.p, "Status")
				done()
				if st == unknownSt || st == bad || a.maybe {
					known = false
					continue
				}
				keys = append(keys, resource.AccessKey{ID: m.rid(a.id()), Active: st == absent || status == "Active"})
			}
			if known {
				id.AccessKeys = keys
			}
			switch _, st := look(p, "LoginProfile"); st {
			case ok:
				id.ConsoleAccess = boolp(true)
			case absent:
				id.ConsoleAccess = boolp(false)
			}
			groups, _ := m.listAt(p, "Groups")
			for _, g := range groups {
				if s, isStr := g.(string); isStr {
					id.Groups = append(id.Groups, s)
				} else if u, isU := g.(*unknown); isU {
					id.Groups = append(id.Groups, u.text)
				}
				m.relate(out, resource.RelMemberOf, groupRef(m, g))
			}
			for _, a := range m.attachedTo(r.id(), "AWS::IAM::UserToGroupAddition") {
				g := a.p["GroupName"]
				if s, isStr := g.(string); isStr {
					id.Groups = append(id.Groups, s)
				}
				m.relate(out, resource.RelMemberOf, groupRef(m, g))
			}
		}
	}
}

// groupRef is what a user's group reference relates to: the template's
// group, else the name as written.
func groupRef(m *mapper, g any) any {
	if t := m.targets(g, "AWS::IAM::Group"); len(t) == 1 {
		return m.rid(t[0])
	}
	return g
}

// externalPrincipals: the AWS principals of a trust policy outside the
// account ("*" and other accounts), as the importer lists them. Without
// the account (Options.AccountID), only "*" is known to be outside.
func externalPrincipals(pol *policy, acct string) []string {
	var out []string
	for _, s := range pol.Doc.Statements {
		if s.Effect != "Allow" {
			continue
		}
		for _, pr := range s.Principals {
			if pr.Type != "AWS" && pr.Type != "*" {
				continue
			}
			if pr.ID == "*" {
				out = append(out, pr.ID)
				continue
			}
			if a := accountOf(pr.ID); a != "" && acct != "" && a != acct {
				out = append(out, pr.ID)
			}
		}
	}
	return out
}

var accountRE = regexp.MustCompile(`^(?:arn:[^:]+:iam::)?(\d{12})(?::|$)`)

func accountOf(s string) string {
	if m := accountRE.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return ""
}

func iamGroup(m *mapper, r *res, out *resource.Resource) {
	g := &resource.Group{}
	out.Facts.Group = g
	arns, attAdmin := m.managedPolicies(r, out)
	g.AttachedPolicies = arns
	docs, _, inAdmin := m.inlinePolicies(r)
	g.InlineDocuments = docs
	g.Admin = or3(attAdmin, inAdmin)
	for _, u := range m.ofType("AWS::IAM::User") {
		groups, _ := u.p["Groups"].([]any)
		if len(m.targets(groups, "AWS::IAM::Group")) > 0 && contains(m.targets(groups, "AWS::IAM::Group"), r.id()) {
			g.Members = append(g.Members, m.rid(u.id()))
		}
	}
	for _, a := range m.attachedTo(r.id(), "AWS::IAM::UserToGroupAddition") {
		users, _ := a.p["Users"].([]any)
		for _, u := range users {
			if s, isStr := u.(string); isStr {
				g.Members = append(g.Members, s)
			} else if t := m.targets(u, "AWS::IAM::User"); len(t) == 1 {
				g.Members = append(g.Members, m.rid(t[0]))
			}
		}
	}
}

// iamPolicy: an AWS::IAM::ManagedPolicy (customer-managed) or an
// AWS::IAM::Policy (inline in the principals it names; also joined onto
// those of the template).
func iamPolicy(managed string) func(m *mapper, r *res, out *resource.Resource) {
	return func(m *mapper, r *res, out *resource.Resource) {
		p := r.p
		pf := &resource.Policy{Managed: managed}
		out.Facts.Policy = pf
		pol := m.policyAt(p, "PolicyDocument")
		if pol != nil {
			pf.Document = pol.Doc
			pf.Admin = pol.Admin()
		}
		var known = true
		for _, k := range []string{"Roles", "Users", "Groups"} {
			l, st := m.listAt(p, k)
			if st == unknownSt || st == bad {
				known = false
			}
			for _, v := range l {
				if t := m.targets(v, identityTypes...); len(t) == 1 {
					pf.AttachedTo = append(pf.AttachedTo, m.rid(t[0]))
				} else if s, isStr := v.(string); isStr {
					pf.AttachedTo = append(pf.AttachedTo, s)
				} else if u, isU := v.(*unknown); isU {
					pf.AttachedTo = append(pf.AttachedTo, u.text)
				}
			}
		}
		if managed == "customer" {
			// Principals of the template naming it in ManagedPolicyArns.
			for _, o := range m.ofType(identityTypes...) {
				if arns, _ := o.p["ManagedPolicyArns"].([]any); contains(refsOf(arns), r.id()) && !contains(pf.AttachedTo, m.rid(o.id())) {
					pf.AttachedTo = append(pf.AttachedTo, m.rid(o.id()))
				}
			}
		}
		if len(pf.AttachedTo) > 0 {
			pf.Attached = boolp(true)
		} else if known && managed == "customer" {
			pf.Attached = boolp(false)
		}
	}
}

// lambda maps AWS::Lambda::Function and the SAM AWS::Serverless::Function
// (Globals merged in).
func lambda(m *mapper, r *res, out *resource.Resource) {
	p := r.p
	f := &resource.Function{}
	out.Facts.Function = f
	sam := r.typ() == "AWS::Serverless::Function"
	f.Runtime = m.s(p, "Runtime")
	f.RuntimeEndOfSupport = awsconfig.RuntimeEndOfSupport(f.Runtime)
	switch v := p["Role"].(type) {
	case string:
		f.Identity = v
	case *unknown:
		f.Identity = v.text
	}
	m.relate(out, resource.RelRunsAs, p["Role"])
	switch vars, st := look(p, "Environment", "Variables"); st {
	case absent:
		f.EnvironmentSecrets = boolp(false)
	case ok:
		vm, isMap := vars.(map[string]any)
		if !isMap {
			m.problem("Environment.Variables", "Environment.Variables is %s, not a mapping", describe(vars))
			break
		}
		for name, v := range vm {
			val, _ := text(v)
			if secrets.Name.MatchString(name) || secrets.Value.MatchString(val) {
				f.SecretVariables = append(f.SecretVariables, name)
			}
		}
		sort.Strings(f.SecretVariables)
		f.EnvironmentSecrets = boolp(len(f.SecretVariables) > 0)
	}
	switch subnets, st := look(p, "VpcConfig", "SubnetIds"); st {
	case absent:
		f.InVPC = boolp(false)
	case ok:
		l, _ := subnets.([]any)
		f.InVPC = boolp(len(l) > 0)
	}
	if sam {
		switch mode, st := m.str(p, "Tracing"); st {
		case ok:
			f.Tracing = boolp(mode == "Active")
		case absent:
			f.Tracing = boolp(false)
		}
	} else {
		switch mode, st := m.str(p, "TracingConfig", "Mode"); st {
		case ok:
			f.Tracing = boolp(mode == "Active")
		case absent:
			f.Tracing = boolp(false)
		}
	}
	// Who may invoke it: Lambda permissions and function URLs of the template.
	public := boolp(false)
	for _, a := range m.attachedTo(r.id(), "AWS::Lambda::Permission") {
		done := m.on(a)
		pr, pst := m.str(a.p, "Principal")
		done()
		var pub *bool
		switch {
		case pst != ok:
			pub = nil
		case pr == "*":
			_, arn := a.p["SourceArn"]
			_, acct := a.p["SourceAccount"]
			_, org := a.p["PrincipalOrgID"]
			pub = boolp(!arn && !acct && !org)
		default:
			pub = boolp(false)
		}
		public = or3(public, maybe(a, pub, boolp(false)))
	}
	urls := m.attachedTo(r.id(), "AWS::Lambda::Url")
	for _, a := range urls {
		done := m.on(a)
		auth, st := m.str(a.p, "AuthType")
		done()
		var pub *bool
		if st == ok {
			pub = boolp(auth == "NONE")
		}
		public = or3(public, maybe(a, pub, boolp(false)))
	}
	if sam {
		if _, st := look(p, "FunctionUrlConfig"); st == ok {
			auth, ast := m.str(p, "FunctionUrlConfig", "AuthType")
			var pub *bool
			if ast == ok {
				pub = boolp(auth == "NONE")
			}
			public = or3(public, pub)
		}
	}
	f.PublicInvocation = public
}

func eks(m *mapper, r *res, out *resource.Resource) {
	p := r.p
	k := &resource.Kubernetes{RBAC: boolp(true)} // EKS always authorizes with Kubernetes RBAC
	out.Facts.Kubernetes = k
	k.Version = m.s(p, "Version")
	k.PublicEndpoint = m.boolean(p, boolp(true), "ResourcesVpcConfig", "EndpointPublicAccess")
	if k.PublicEndpoint != nil && *k.PublicEndpoint {
		switch l, st := m.listAt(p, "ResourcesVpcConfig", "PublicAccessCidrs"); st {
		case absent:
			k.EndpointAllowedCIDRs = []string{"0.0.0.0/0"}
		case ok:
			for _, c := range l {
				if s, isStr := c.(string); isStr {
					k.EndpointAllowedCIDRs = append(k.EndpointAllowedCIDRs, s)
				}
			}
		}
	}
	switch types, st := m.objs(p, "Logging", "ClusterLogging", "EnabledTypes"); st {
	case absent:
		k.ControlPlaneLogging, k.AuditLogging = boolp(false), boolp(false)
	case ok:
		audit, api := false, false
		for _, t := range types {
			switch strings.ToLower(m.s(t, "Type")) {
			case "audit":
				audit = true
			case "api":
				api = true
			}
		}
		k.ControlPlaneLogging, k.AuditLogging = boolp(api || audit), boolp(audit)
	}
	switch enc, st := m.objs(p, "EncryptionConfig"); st {
	case absent:
		k.SecretsEncrypted = boolp(false)
	case ok:
		secrets := false
		for _, e := range enc {
			res, _ := e["Resources"].([]any)
			for _, x := range res {
				if x == "secrets" {
					if key, kst := look(e, "Provider", "KeyArn"); kst != absent {
						secrets = true
						m.relate(out, resource.RelUsesKey, key)
					}
				}
			}
		}
		k.SecretsEncrypted = boolp(secrets)
	}
	m.relate(out, resource.RelRunsAs, p["RoleArn"])
}

// lbAttrs reads a LoadBalancerAttributes list into key -> value.
func (m *mapper) lbAttrs(p map[string]any) (map[string]any, bool) {
	attrs := map[string]any{}
	l, st := m.objs(p, "LoadBalancerAttributes")
	if st == unknownSt || st == bad {
		return attrs, false
	}
	for _, o := range l {
		if k, ok := o["Key"].(string); ok {
			attrs[k] = o["Value"]
		}
	}
	return attrs, true
}

func (m *mapper) attrBool(attrs map[string]any, known bool, key string) *bool {
	if !known {
		return nil
	}
	return m.boolean(attrs, boolp(false), key)
}

func elbv2(m *mapper, r *res, out *resource.Resource) {
	p := r.p
	lb := &resource.LoadBalancer{}
	out.Facts.LoadBalancer = lb
	typ := m.s(p, "Type")
	switch scheme, st := m.str(p, "Scheme"); st {
	case ok:
		lb.Public = boolp(scheme == "internet-facing")
	case absent:
		if typ != "gateway" {
			lb.Public = boolp(true) // internet-facing by default
		}
	}
	attrs, known := m.lbAttrs(p)
	lb.AccessLogs = m.attrBool(attrs, known, "access_logs.s3.enabled")
	lb.DeletionProtection = m.attrBool(attrs, known, "deletion_protection.enabled")
	if typ == "" || typ == "application" {
		lb.DropInvalidHeaders = m.attrBool(attrs, known, "routing.http.drop_invalid_header_fields.enabled")
	}
	waf := boolp(false)
	for _, a := range m.attachedTo(r.id(), "AWS::WAFv2::WebACLAssociation") {
		waf = or3(waf, maybe(a, boolp(true), boolp(false)))
	}
	lb.WAF = waf
	m.relate(out, resource.RelUsesFirewall, p["SecurityGroups"])
	// Its listeners are resources of their own (listener_of), judged
	// there; a load balancer the template gives none serves nothing.
	if len(m.attachedTo(r.id(), "AWS::ElasticLoadBalancingV2::Listener")) == 0 {
		lb.Listeners, lb.HTTPListener, lb.WeakTLS = []resource.Listener{}, boolp(false), boolp(false)
	}
}

// listener: each listener is judged as a resource of its own, linked to
// its load balancer (listener_of), as the AWS Config importer does with a
// listener whose load balancer it has not read.
func listener(m *mapper, r *res, out *resource.Resource) {
	p := r.p
	lb := &resource.LoadBalancer{}
	out.Facts.LoadBalancer = lb
	if t := m.targets(p["LoadBalancerArn"], "AWS::ElasticLoadBalancingV2::LoadBalancer"); len(t) == 1 {
		out.Relationships = append(out.Relationships, resource.Relationship{Type: "listener_of", TargetID: m.rid(t[0])})
	}
	proto, pst := m.str(p, "Protocol")
	if pst != ok {
		return
	}
	l := resource.Listener{Protocol: strings.ToUpper(proto)}
	if port := m.integer(p, nil, "Port"); port != nil {
		l.Port = *port
	}
	l.TLSPolicy = m.s(p, "SslPolicy")
	l.MinTLSVersion = tlsOfPolicy(l.TLSPolicy)
	acts, ast := m.objs(p, "DefaultActions")
	if l.Protocol == "HTTP" && (ast == ok || ast == absent) {
		redirect := false
		for _, a := range acts {
			if m.s(a, "Type") == "redirect" && m.s(a, "RedirectConfig", "Protocol") == "HTTPS" {
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
// ("" for a name not known, and for none: the default policy has changed
// over time).
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

func classicELB(m *mapper, r *res, out *resource.Resource) {
	p := r.p
	lb := &resource.LoadBalancer{}
	out.Facts.LoadBalancer = lb
	switch scheme, st := m.str(p, "Scheme"); st {
	case ok:
		lb.Public = boolp(scheme == "internet-facing")
	case absent:
		lb.Public = boolp(true)
	}
	lb.AccessLogs = m.boolean(p, boolp(false), "AccessLoggingPolicy", "Enabled")
	ls, st := m.objs(p, "Listeners")
	if st != ok {
		return
	}
	httpL := false
	for _, l := range ls {
		proto := strings.ToUpper(m.s(l, "Protocol"))
		li := resource.Listener{Protocol: proto}
		if port := m.integer(l, nil, "LoadBalancerPort"); port != nil {
			li.Port = *port
		}
		if proto == "HTTP" {
			httpL = true
			li.RedirectsToHTTPS = boolp(false) // a classic load balancer cannot redirect
		}
		lb.Listeners = append(lb.Listeners, li)
	}
	lb.HTTPListener = boolp(httpL)
}

func queueOrTopic(m *mapper, r *res, out *resource.Resource, kind, policyType string) *resource.Queue {
	p := r.p
	q := &resource.Queue{Kind: kind}
	out.Facts.Queue = q
	key, kst := look(p, "KmsMasterKeyId")
	switch {
	case kst != absent:
		q.Encrypted, q.KeyManager = boolp(true), keyManager(key)
		m.relate(out, resource.RelUsesKey, key)
	case kind == "queue":
		// SSE-SQS is on by default for new queues (since October 2022).
		q.Encrypted = m.boolean(p, boolp(true), "SqsManagedSseEnabled")
		if q.Encrypted != nil && *q.Encrypted {
			q.KeyManager = "provider"
		}
	default:
		q.Encrypted = boolp(false)
	}
	public := boolp(false)
	var pols []*policy
	maybeDeployed := false
	for _, a := range m.attachedTo(r.id(), policyType) {
		done := m.on(a)
		pol := m.policyAt(a.p, "PolicyDocument")
		done()
		public = or3(public, maybe(a, pol.Public(), boolp(false)))
		pols, maybeDeployed = append(pols, pol), maybeDeployed || a.maybe
	}
	q.PublicPolicy = public
	out.Facts.ResourcePolicy = onlyDoc(pols, maybeDeployed)
	return q
}

func queue(m *mapper, r *res, out *resource.Resource) {
	queueOrTopic(m, r, out, "queue", "AWS::SQS::QueuePolicy")
}

func topic(m *mapper, r *res, out *resource.Resource) {
	queueOrTopic(m, r, out, "topic", "AWS::SNS::TopicPolicy")
}

func secret(m *mapper, r *res, out *resource.Resource) {
	p := r.p
	s := &resource.Secret{}
	out.Facts.Secret = s
	switch key, st := look(p, "KmsKeyId"); st {
	case absent:
		s.KeyManager = "provider" // aws/secretsmanager
	default:
		s.KeyManager = keyManager(key)
		m.relate(out, resource.RelUsesKey, key)
	}
	rotation := boolp(false)
	for _, a := range m.attachedTo(r.id(), "AWS::SecretsManager::RotationSchedule") {
		done := m.on(a)
		rotation = or3(rotation, maybe(a, boolp(true), boolp(false)))
		if days := m.integer(a.p, nil, "RotationRules", "AutomaticallyAfterDays"); days != nil {
			s.RotationPeriodDays = days
		} else if expr, st := m.str(a.p, "RotationRules", "ScheduleExpression"); st == ok {
			s.RotationPeriodDays = rateDays(expr)
		}
		done()
	}
	s.RotationEnabled = rotation
	public := boolp(false)
	var pols []*policy
	maybeDeployed := false
	for _, a := range m.attachedTo(r.id(), "AWS::SecretsManager::ResourcePolicy") {
		done := m.on(a)
		pol := m.policyAt(a.p, "ResourcePolicy")
		done()
		public = or3(public, maybe(a, pol.Public(), boolp(false)))
		pols, maybeDeployed = append(pols, pol), maybeDeployed || a.maybe
	}
	s.PublicAccess = public
	out.Facts.ResourcePolicy = onlyDoc(pols, maybeDeployed)
}

var rateRE = regexp.MustCompile(`^rate\((\d+) days?\)$`)

func rateDays(expr string) *int {
	if mm := rateRE.FindStringSubmatch(strings.TrimSpace(expr)); mm != nil {
		n := 0
		for _, c := range mm[1] {
			n = n*10 + int(c-'0')
			if n > 1<<20 {
				return nil
			}
		}
		return &n
	}
	return nil
}

func ecr(m *mapper, r *res, out *resource.Resource) {
	p := r.p
	g := &resource.Registry{}
	out.Facts.Registry = g
	g.ImageScanning = m.boolean(p, boolp(false), "ImageScanningConfiguration", "ScanOnPush")
	switch mut, st := m.str(p, "ImageTagMutability"); st {
	case ok:
		g.TagImmutable = boolp(strings.HasPrefix(mut, "IMMUTABLE"))
	case absent:
		g.TagImmutable = boolp(false)
	}
	switch enc, st := m.str(p, "EncryptionConfiguration", "EncryptionType"); st {
	case absent:
		g.KeyManager = "provider" // AES256
	case ok:
		if strings.HasPrefix(strings.ToUpper(enc), "KMS") {
			if key, kst := look(p, "EncryptionConfiguration", "KmsKey"); kst != absent {
				g.KeyManager = keyManager(key)
				m.relate(out, resource.RelUsesKey, key)
			} else {
				g.KeyManager = "provider" // aws/ecr
			}
		} else {
			g.KeyManager = "provider"
		}
	}
	pol := m.policyAt(p, "RepositoryPolicyText")
	g.Public = pol.Public()
	out.Facts.ResourcePolicy = onlyDoc([]*policy{pol}, false)
}

func distribution(m *mapper, r *res, out *resource.Resource) {
	dc, st := look(r.p, "DistributionConfig")
	c := &resource.CDN{}
	out.Facts.CDN = c
	if st != ok {
		return
	}
	https := func(p string) bool { return p == "redirect-to-https" || p == "https-only" }
	vpp, vst := m.str(dc, "DefaultCacheBehavior", "ViewerProtocolPolicy")
	only, known := https(vpp), vst == ok
	cbs, cst := m.objs(dc, "CacheBehaviors")
	known = known && (cst == ok || cst == absent)
	for _, cb := range cbs {
		v, st := m.str(cb, "ViewerProtocolPolicy")
		known = known && st == ok
		only = only && https(v)
	}
	if known {
		c.ViewerHTTPSOnly = boolp(only)
	}
	switch _, st := look(dc, "ViewerCertificate"); st {
	case absent:
		c.MinTLSVersion = "1.0" // the *.cloudfront.net certificate allows TLSv1
	case ok:
		if def := m.boolean(dc, nil, "ViewerCertificate", "CloudFrontDefaultCertificate"); def != nil && *def {
			c.MinTLSVersion = "1.0"
		} else {
			switch v, st := m.str(dc, "ViewerCertificate", "MinimumProtocolVersion"); st {
			case ok:
				c.MinTLSVersion = awsconfig.CloudFrontTLS(v)
			case absent:
				c.MinTLSVersion = "1.0" // the default is TLSv1
			}
		}
	}
	switch v, st := look(dc, "WebACLId"); st {
	case absent:
		c.WAF = boolp(false)
	case ok:
		c.WAF = boolp(v != "")
	case unknownSt:
		if !v.(*unknown).open {
			c.WAF = boolp(true) // a web ACL of the template
		}
	}
	switch _, st := look(dc, "Logging"); st {
	case absent:
		c.AccessLogs = m.logDelivery(r)
	case ok:
		c.AccessLogs = boolp(true)
	}
	origins, ost := m.objs(dc, "Origins")
	if ost != ok {
		return
	}
	originHTTPS, s3, oac := boolp(true), 0, 0
	for _, o := range origins {
		if _, st := look(o, "CustomOriginConfig"); st == ok {
			switch pol, st := m.str(o, "CustomOriginConfig", "OriginProtocolPolicy"); st {
			case ok:
				originHTTPS = and3(originHTTPS, boolp(pol == "https-only"))
			default:
				originHTTPS = and3(originHTTPS, nil)
			}
			continue
		}
		_, s3cfg := look(o, "S3OriginConfig")
		_, oacID := look(o, "OriginAccessControlId")
		if s3cfg == absent && oacID == absent {
			// Neither kind said: an S3 REST endpoint is an S3 origin; any
			// other name is not known to be either.
			if d, _ := o["DomainName"].(string); !strings.Contains(d, ".s3.") && !strings.HasSuffix(d, ".s3.amazonaws.com") {
				originHTTPS = and3(originHTTPS, nil)
				continue
			}
		}
		s3++
		if _, st := look(o, "OriginAccessControlId"); st != absent {
			oac++
		} else if v, st := look(o, "S3OriginConfig", "OriginAccessIdentity"); st == unknownSt || (st == ok && v != "") {
			oac++
		}
	}
	c.OriginHTTPSOnly = originHTTPS
	if s3 > 0 {
		c.OriginAccessControl = boolp(oac == s3)
	}
}

func apiStage(m *mapper, r *res, out *resource.Resource) {
	p := r.p
	a := &resource.APIGateway{}
	out.Facts.APIGateway = a
	if r.typ() == "AWS::Serverless::Api" {
		samAPI(m, r, a)
	}
	_, ast := look(p, "AccessLogSetting", "DestinationArn")
	exec := false
	ms, _ := m.objs(p, "MethodSettings")
	for _, s := range ms {
		if lvl := m.s(s, "LoggingLevel"); lvl == "INFO" || lvl == "ERROR" {
			exec = true
		}
	}
	a.Logging = boolp(ast != absent || exec)
	a.Tracing = m.boolean(p, boolp(false), "TracingEnabled")
	_, cst := look(p, "ClientCertificateId")
	a.ClientCertificate = boolp(cst != absent)
	waf := boolp(false)
	for _, w := range m.attachedTo(r.id(), "AWS::WAFv2::WebACLAssociation") {
		waf = or3(waf, maybe(w, boolp(true), boolp(false)))
	}
	a.WAF = waf
}

// apiDomain: AWS::ApiGateway::DomainName, whose SecurityPolicy sets its
// clients' minimum TLS version (left out: not documented for every endpoint
// type, unknown), as Terraform's aws_api_gateway_domain_name.
func apiDomain(m *mapper, r *res, out *resource.Resource) {
	a := &resource.APIGateway{}
	out.Facts.APIGateway = a
	if p, st := m.str(r.p, "SecurityPolicy"); st == ok {
		a.MinTLSVersion = awsnorm.APIGatewayTLS(p)
	}
}

// apiDomainV2: AWS::ApiGatewayV2::DomainName (HTTP and WebSocket APIs):
// each configuration's SecurityPolicy, TLS_1_2 (the only one) by default;
// the lowest counts.
func apiDomainV2(m *mapper, r *res, out *resource.Resource) {
	a := &resource.APIGateway{}
	out.Facts.APIGateway = a
	cfgs, st := m.objs(r.p, "DomainNameConfigurations")
	if st != ok && st != absent {
		return
	}
	low := "1.2"
	for _, c := range cfgs {
		p := "TLS_1_2"
		switch v, pst := m.str(c, "SecurityPolicy"); pst {
		case ok:
			p = v
		case absent:
		default:
			return
		}
		v := awsnorm.APIGatewayTLS(p)
		if v == "" {
			return
		}
		low = min(low, v)
	}
	a.MinTLSVersion = low
}

func apiStageV2(m *mapper, r *res, out *resource.Resource) {
	p := r.p
	a := &resource.APIGateway{}
	out.Facts.APIGateway = a
	_, ast := look(p, "AccessLogSettings", "DestinationArn")
	lvl := m.s(p, "DefaultRouteSettings", "LoggingLevel")
	a.Logging = boolp(ast != absent || lvl == "INFO" || lvl == "ERROR")
	_, cst := look(p, "ClientCertificateId")
	a.ClientCertificate = boolp(cst != absent)
}

func hostedZone(m *mapper, r *res, out *resource.Resource) {
	p := r.p
	z := &resource.DNSZone{}
	out.Facts.DNS = z
	switch vpcs, st := m.listAt(p, "VPCs"); st {
	case ok:
		z.Public = boolp(len(vpcs) == 0)
	case absent:
		z.Public = boolp(true)
	}
	switch _, st := look(p, "QueryLoggingConfig"); st {
	case ok:
		z.QueryLogging = boolp(true)
	case absent:
		z.QueryLogging = boolp(false)
	}
	dnssec := boolp(false)
	for _, a := range m.attachedTo(r.id(), "AWS::Route53::DNSSEC") {
		dnssec = or3(dnssec, maybe(a, boolp(true), boolp(false)))
	}
	z.DNSSEC = dnssec
}

// logDelivery: whether CloudWatch Logs delivers the resource's access logs
// (an AWS::Logs::DeliverySource of type ACCESS_LOGS for it, with an
// AWS::Logs::Delivery from that source), the newer way of logging a
// CloudFront distribution.
func (m *mapper) logDelivery(r *res) *bool {
	out := boolp(false)
	for _, src := range m.ofType("AWS::Logs::DeliverySource") {
		if m.s(src.p, "LogType") != "ACCESS_LOGS" {
			continue
		}
		if !contains(refsOf(src.p["ResourceArn"]), r.id()) {
			continue
		}
		name, _ := src.p["Name"].(string)
		for _, d := range m.ofType("AWS::Logs::Delivery") {
			v := d.p["DeliverySourceName"]
			if s, isStr := v.(string); (isStr && s == name && name != "") || contains(refsOf(v), src.id()) {
				out = or3(out, maybe(d, maybe(src, boolp(true), nil), nil))
			}
		}
	}
	return out
}

// restAPI: an API Gateway REST API is public unless every endpoint type is
// PRIVATE (EDGE by default); it requires authorization when every method
// of the template on it (AWS::ApiGateway::Method) has an authorization
// type other than NONE, OPTIONS (CORS preflight) aside.
func restAPI(m *mapper, r *res, out *resource.Resource) {
	p := r.p
	a := &resource.APIGateway{}
	out.Facts.APIGateway = a
	switch types, st := m.listAt(p, "EndpointConfiguration", "Types"); st {
	case absent:
		a.Public = boolp(true)
	case ok:
		public := len(types) == 0
		for _, t := range types {
			if s, isStr := t.(string); !isStr {
				public = true
			} else if !strings.EqualFold(s, "PRIVATE") {
				public = true
			}
		}
		a.Public = boolp(public)
	}
	var auth []*bool
	for _, meth := range m.ofType("AWS::ApiGateway::Method") {
		if !contains(m.targets(meth.p["RestApiId"], "AWS::ApiGateway::RestApi"), r.id()) {
			continue
		}
		meth.joined = true
		if v, _ := meth.p["HttpMethod"].(string); strings.EqualFold(v, "OPTIONS") {
			continue
		}
		done := m.on(meth)
		var need *bool
		switch t, st := m.str(meth.p, "AuthorizationType"); st {
		case ok:
			need = boolp(!strings.EqualFold(t, "NONE"))
		case absent:
			need = boolp(false) // NONE by default
		}
		if _, st := look(meth.p, "ApiKeyRequired"); st == ok && (need == nil || !*need) {
			if k := m.boolean(meth.p, nil, "ApiKeyRequired"); k != nil && *k {
				need = boolp(true)
			}
		}
		done()
		auth = append(auth, maybe(meth, need, boolp(true)))
	}
	if len(auth) > 0 {
		a.AuthRequired = and3(auth...)
	}
}

// samAPI: a SAM API is the REST API with its stage. It is public unless
// its endpoint type is PRIVATE (EDGE by default); without an OpenAPI
// definition its methods (from its functions' events) need authorization
// when Auth sets a default authorizer or requires an API key.
func samAPI(m *mapper, r *res, a *resource.APIGateway) {
	p := r.p
	ep, st := look(p, "EndpointConfiguration")
	if st == ok {
		if o, isMap := ep.(map[string]any); isMap {
			ep, st = look(o, "Type")
		}
	}
	switch st {
	case absent:
		a.Public = boolp(true)
	case ok:
		t, _ := text(ep)
		a.Public = boolp(!strings.EqualFold(t, "PRIVATE"))
	}
	// A custom domain's security policy (TLS_1_0 or TLS_1_2); without it
	// the minimum is the service's default, not the template's to say.
	if pol, st := m.str(p, "Domain", "SecurityPolicy"); st == ok && strings.HasPrefix(pol, "TLS_1_") {
		a.MinTLSVersion = "1." + strings.TrimPrefix(pol, "TLS_1_")
	}
	if _, st := look(p, "DefinitionBody"); st != absent {
		return
	}
	if _, st := look(p, "DefinitionUri"); st != absent {
		return
	}
	var need *bool
	switch v, st := m.str(p, "Auth", "DefaultAuthorizer"); st {
	case ok:
		need = boolp(v != "NONE")
	case absent:
		need = m.boolean(p, boolp(false), "Auth", "ApiKeyRequired")
	}
	a.AuthRequired = need
}

// on makes problems found until done is called name a (an attachment
// read for the resource being mapped).
func (m *mapper) on(a *res) (done func()) {
	cur := m.cur
	m.cur = a
	return func() { m.cur = cur }
}

// instanceProfile is whether an AWS::EC2::Instance has an IAM instance
// profile: its IamInstanceProfile, else its launch template's (a template
// outside the template file is unknown); none without either.
func (m *mapper) instanceProfile(p map[string]any) *bool {
	if _, st := look(p, "IamInstanceProfile"); st != absent {
		return boolp(st != bad)
	}
	if _, st := look(p, "LaunchTemplate"); st == absent {
		return boolp(false)
	}
	lt := m.targets(valueAt(p, "LaunchTemplate", "LaunchTemplateId"), "AWS::EC2::LaunchTemplate")
	if len(lt) != 1 || m.byID[lt[0]] == nil {
		return nil
	}
	switch _, st := look(m.byID[lt[0]].p, "LaunchTemplateData", "IamInstanceProfile"); st {
	case absent:
		return boolp(false)
	case ok:
		return boolp(true)
	}
	return nil
}
