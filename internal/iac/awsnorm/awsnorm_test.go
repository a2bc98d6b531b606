package awsnorm

import "testing"

func TestBasicS3(t *testing.T) {
	for _, c := range []struct {
		rw          string
		values      []string
		write, read bool
	}{
		{"", []string{"arn:aws:s3"}, true, true},
		{"WriteOnly", []string{"arn:aws:s3:::"}, true, false},
		{"ReadOnly", []string{"arn:aws:s3"}, false, true},
		{"All", []string{"arn:aws:s3:::logs/"}, false, false},
	} {
		if w, r := BasicS3(c.rw, c.values); w != c.write || r != c.read {
			t.Errorf("BasicS3(%q, %v) = %v, %v; want %v, %v", c.rw, c.values, w, r, c.write, c.read)
		}
	}
}

func TestAdvancedS3(t *testing.T) {
	data := Field{"eventCategory", []string{"Data"}}
	s3 := Field{"resources.type", []string{"AWS::S3::Object"}}
	for _, c := range []struct {
		fields      []Field
		write, read bool
	}{
		{[]Field{data, s3}, true, true},
		{[]Field{data, s3, {"readOnly", []string{"true"}}}, false, true},
		{[]Field{data, s3, {"resources.ARN", []string{"arn:aws:s3:::b/"}}}, false, false},
		{[]Field{s3}, false, false},
	} {
		if w, r := AdvancedS3(c.fields); w != c.write || r != c.read {
			t.Errorf("AdvancedS3(%v) = %v, %v; want %v, %v", c.fields, w, r, c.write, c.read)
		}
	}
}

func TestNACLEntry(t *testing.T) {
	r := NACLEntry(false, "6", "ALLOW", 100, 22, 22, []string{" 0.0.0.0/0"})
	if r.Direction != "ingress" || r.Protocol != "tcp" || r.Action != "allow" || r.FromPort != 22 || r.ToPort != 22 || r.Priority != 100 || len(r.Sources) != 1 || r.Sources[0] != "0.0.0.0/0" {
		t.Errorf("tcp entry: %+v", r)
	}
	if r := NACLEntry(true, "-1", "deny", 5, 22, 22, nil); r.Direction != "egress" || r.Protocol != "all" || r.FromPort != 0 || r.ToPort != 65535 {
		t.Errorf("all-protocol entry keeps its ports: %+v", r)
	}
	if d := NACLDefaultDeny(); len(d) != 2 || d[0].Action != "deny" || d[1].Direction != "egress" {
		t.Errorf("default deny: %+v", d)
	}
}

func TestCacheCluster(t *testing.T) {
	days := func(n int) *int { return &n }
	yes, no := true, false
	for _, c := range []struct {
		in   CacheCluster
		want string // encrypted ssl multi_az backup_enabled, "-" for not judged
	}{
		{CacheCluster{Engine: "redis", NodeType: "cache.m5.large", Retention: days(0)}, "false false false false"},
		{CacheCluster{Engine: "Redis", NodeType: "cache.m5.large", Retention: days(7)}, "false false false true"},
		{CacheCluster{Engine: "redis", NodeType: "cache.t1.micro", Retention: days(0)}, "false false false -"},
		{CacheCluster{Engine: "memcached", Transit: &yes, AZMode: "cross-az"}, "- true true -"},
		{CacheCluster{Engine: "memcached", Transit: &no}, "- false false -"},
	} {
		d := c.in.Database()
		s := func(b *bool) string {
			if b == nil {
				return "-"
			}
			if *b {
				return "true"
			}
			return "false"
		}
		if got := s(d.Encrypted) + " " + s(d.SSLRequired) + " " + s(d.MultiAZ) + " " + s(d.BackupEnabled); got != c.want || *d.PublicEndpoint {
			t.Errorf("%+v: %s, want %s (public %v)", c.in, got, c.want, *d.PublicEndpoint)
		}
	}
}

func TestGatewayHop(t *testing.T) {
	for _, c := range []struct {
		target        string
		internet, vpn bool
		want          string
	}{
		{"local", false, false, "local"}, {"igw-1", false, false, "internet"}, {"vgw-1", false, false, "vpn"},
		{"x.tf:aws_internet_gateway.e", true, false, "internet"}, {"stack.yaml:Vgw", false, true, "vpn"},
		{"tgw-1", false, false, "other"}, {"", false, false, "other"},
	} {
		if got := GatewayHop(c.target, c.internet, c.vpn); got != c.want {
			t.Errorf("GatewayHop(%q, %v, %v) = %q, want %q", c.target, c.internet, c.vpn, got, c.want)
		}
	}
	if l := PeeringLink([]string{"a", "b"}, [][]string{{"10.0.0.0/16"}, nil}); l.NetworkPrefixes != nil || len(l.Networks) != 2 {
		t.Errorf("one side's prefixes unknown: %+v", l)
	}
}

// TestAPIGatewayTLS: the minimum TLS version of API Gateway's legacy and
// enhanced security policies.
func TestAPIGatewayTLS(t *testing.T) {
	for policy, want := range map[string]string{
		"TLS_1_0": "1.0", "TLS_1_2": "1.2", "tls_1_2": "1.2",
		"SecurityPolicy_TLS13_1_3_2025_09": "1.3", "SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09": "1.2",
		"SecurityPolicy_TLS12_PFS_2025_EDGE": "1.2", "SecurityPolicy_TLS13_2025_EDGE": "1.3", "SSL_3": "",
	} {
		if got := APIGatewayTLS(policy); got != want {
			t.Errorf("APIGatewayTLS(%q) = %q, want %q", policy, got, want)
		}
	}
}
