package awsnorm

import (
	"slices"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// BasicS3 reports whether a basic event selector's S3 object data
// resource logs writes and reads of every bucket: a value arn:aws:s3 (or
// arn:aws:s3:::) under ReadWriteType All (also when empty), WriteOnly or
// ReadOnly, as the AWS Config importer reads GetEventSelectors.
func BasicS3(readWrite string, values []string) (write, read bool) {
	if readWrite == "" {
		readWrite = "All"
	}
	for _, v := range values {
		if v == "arn:aws:s3" || v == "arn:aws:s3:::" {
			write = write || readWrite == "All" || readWrite == "WriteOnly"
			read = read || readWrite == "All" || readWrite == "ReadOnly"
		}
	}
	return write, read
}

// Field is one field selector of an advanced event selector.
type Field struct {
	Name   string
	Equals []string
}

// AdvancedS3 reports whether an advanced event selector logs S3 object
// writes and reads of every bucket: eventCategory Data and resources.type
// AWS::S3::Object, no resources.ARN condition (some buckets only), and
// readOnly (absent: both) choosing reads or writes.
func AdvancedS3(fields []Field) (write, read bool) {
	data, s3 := false, false
	write, read = true, true
	for _, f := range fields {
		switch f.Name {
		case "eventCategory":
			data = slices.Contains(f.Equals, "Data")
		case "resources.type":
			s3 = slices.Contains(f.Equals, "AWS::S3::Object")
		case "resources.ARN":
			return false, false
		case "readOnly":
			if len(f.Equals) == 1 {
				read, write = f.Equals[0] == "true", f.Equals[0] == "false"
			}
		}
	}
	if !data || !s3 {
		return false, false
	}
	return write, read
}

// NACLEntry is the firewall rule of a network ACL entry: direction,
// protocol (a name or number, -1 all), action, rule number, ports (all
// for protocols without ports: from and to are read for TCP and UDP
// only) and its IPv4 and IPv6 CIDR.
func NACLEntry(egress bool, protocol, action string, number, from, to int, cidrs []string) resource.FirewallRule {
	dir := "ingress"
	if egress {
		dir = "egress"
	}
	proto := resource.NormProtocol(protocol)
	if proto != "tcp" && proto != "udp" {
		from, to = 0, 65535
	}
	var srcs []string
	for _, c := range cidrs {
		srcs = append(srcs, strings.TrimSpace(c))
	}
	return resource.FirewallRule{Direction: dir, Action: strings.ToLower(action), Protocol: proto, FromPort: from, ToPort: to,
		Priority: number, Sources: resource.NormSources(srcs)}
}

// NACLDefaultDeny are the entries every network ACL ends with (rule *):
// deny all traffic in and out.
func NACLDefaultDeny() []resource.FirewallRule {
	var out []resource.FirewallRule
	for _, dir := range []string{"ingress", "egress"} {
		out = append(out, resource.FirewallRule{Direction: dir, Action: "deny", Protocol: "all", FromPort: 0, ToPort: 65535,
			Priority: 32767, Sources: []string{"0.0.0.0/0", "::/0"}})
	}
	return out
}

// TCPorUDP reports whether a network ACL protocol has ports.
func TCPorUDP(protocol string) bool {
	p := resource.NormProtocol(protocol)
	return p == "tcp" || p == "udp"
}

// CacheCluster is an ElastiCache cluster outside a replication group, as
// its template says: engine, node type, in-transit encryption (nil when
// unknown), az mode, snapshot retention days (nil when unknown).
type CacheCluster struct {
	Engine, NodeType, AZMode string
	Transit                  *bool
	Retention                *int
}

// Database is what deploys: a Memcached cluster or a single-node Redis OSS
// one, which CreateCacheCluster cannot encrypt at rest (Memcached keeps
// nothing at rest: not judged); in transit only Memcached can be. Snapshots
// are Redis OSS's only, none on a cache.t1.micro node (not judged). Nodes
// are in one zone unless a Memcached cluster asks for "cross-az".
func (c CacheCluster) Database() *resource.Database {
	d := &resource.Database{Engine: strings.ToLower(c.Engine), PublicEndpoint: boolp(false)}
	switch d.Engine {
	case "memcached":
		d.SSLRequired = c.Transit
		d.MultiAZ = boolp(c.AZMode == "cross-az")
	case "redis":
		d.Encrypted, d.SSLRequired, d.MultiAZ = boolp(false), boolp(false), boolp(false)
		if c.NodeType != "cache.t1.micro" && c.Retention != nil {
			d.BackupRetentionDays = c.Retention
			d.BackupEnabled = boolp(*c.Retention > 0)
		}
	}
	return d
}

func boolp(b bool) *bool { return &b }

// GatewayHop is the next hop kind of a route to a gateway, as the AWS
// Config importer reads gatewayId: "local" for the VPC's own range, an
// internet gateway (igw-..., or internet true when the reader resolved it
// to one), a virtual private gateway (vgw-..., or vpn), else "other".
func GatewayHop(target string, internet, vpn bool) string {
	switch {
	case target == "local":
		return "local"
	case internet || strings.HasPrefix(target, "igw-"):
		return "internet"
	case vpn || strings.HasPrefix(target, "vgw-"):
		return "vpn"
	}
	return "other"
}

// PeeringLink is a VPC peering connection joining the networks ids (the
// requester's, then the accepter's), with their CIDR blocks when both are
// known (nil prefixes: one side's are not).
func PeeringLink(ids []string, prefixes [][]string) *resource.NetworkLink {
	l := &resource.NetworkLink{Kind: resource.LinkPeering, Networks: ids}
	if len(prefixes) == 2 && prefixes[0] != nil && prefixes[1] != nil {
		l.NetworkPrefixes = prefixes
	}
	return l
}

// APIGatewayTLS is the minimum TLS version of an API Gateway custom
// domain's security policy, as Terraform and CloudFormation name it: the
// legacy TLS_1_0 and TLS_1_2, or an enhanced SecurityPolicy_TLS13_... /
// SecurityPolicy_TLS12_... policy; "" for a name it does not know.
func APIGatewayTLS(policy string) string {
	p := strings.ToUpper(policy)
	switch {
	case p == "TLS_1_0":
		return "1.0"
	case p == "TLS_1_2":
		return "1.2"
	case strings.HasPrefix(p, "SECURITYPOLICY_TLS13_"), strings.HasPrefix(p, "SECURITYPOLICY_TLS12_"):
		// The enhanced policies name their lowest version after the
		// highest (SecurityPolicy_TLS13_1_2_...: TLS 1.3 and 1.2), else
		// the version they are named after.
		rest := p[len("SECURITYPOLICY_TLS13_"):]
		if len(rest) >= 3 && rest[0] == '1' && rest[1] == '_' && rest[2] >= '0' && rest[2] <= '3' {
			return "1." + rest[2:3]
		}
		return "1." + p[len("SECURITYPOLICY_TLS1"):len("SECURITYPOLICY_TLS1")+1]
	}
	return ""
}
