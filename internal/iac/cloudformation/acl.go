package cloudformation

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// networkACL: AWS::EC2::NetworkAcl with its AWS::EC2::NetworkAclEntry
// resources, as the AWS Config importer reads the ACL's entries; every
// ACL ends with AWS's deny-all entries (rule *).
func networkACL(m *mapper, r *res, out *resource.Resource) {
	fw := &resource.Firewall{Stateless: boolp(true), Default: boolp(false)} // CloudFormation cannot create a default ACL
	out.Facts.Firewall = fw
	rules := []resource.FirewallRule{}
	known := true
	for _, a := range m.attachedTo(r.id(), "AWS::EC2::NetworkAclEntry") {
		done := m.on(a)
		rule, good := m.aclEntry(a.p)
		done()
		known = known && good && !a.maybe
		rules = append(rules, rule...)
	}
	if known {
		for _, dir := range []string{"ingress", "egress"} {
			rules = append(rules, resource.FirewallRule{Direction: dir, Action: "deny", Protocol: "all", FromPort: 0, ToPort: 65535,
				Priority: 32767, Sources: []string{"0.0.0.0/0", "::/0"}})
		}
		fw.Rules = rules
	}
	// Associated with a subnet of the template; otherwise perhaps by
	// another stack: unknown.
	if len(m.attachedTo(r.id(), "AWS::EC2::SubnetNetworkAclAssociation")) > 0 {
		fw.InUse = boolp(true)
	}
	m.relate(out, resource.RelInNetwork, r.p["VpcId"])
}

// aclEntry reads an AWS::EC2::NetworkAclEntry (Egress false by default;
// Protocol a number, -1 all; PortRange for TCP and UDP); false when it
// cannot be known before deployment.
func (m *mapper) aclEntry(p map[string]any) ([]resource.FirewallRule, bool) {
	eg := m.boolean(p, boolp(false), "Egress")
	ps, pst := m.str(p, "Protocol")
	act, ast := m.str(p, "RuleAction")
	n := m.integer(p, nil, "RuleNumber")
	if eg == nil || pst != ok || ast != ok {
		return nil, false
	}
	if n == nil {
		n = resource.Int(1) // required; the entry is judged in its place anyway
		if _, st := look(p, "RuleNumber"); st != absent {
			return nil, false
		}
	}
	dir := "ingress"
	if *eg {
		dir = "egress"
	}
	proto := resource.NormProtocol(ps)
	from, to := 0, 65535
	if proto == "tcp" || proto == "udp" {
		f := m.integer(p, resource.Int(0), "PortRange", "From")
		t := m.integer(p, resource.Int(65535), "PortRange", "To")
		if f == nil || t == nil {
			return nil, false
		}
		from, to = *f, *t
	}
	var srcs []string
	for _, k := range []string{"CidrBlock", "Ipv6CidrBlock"} {
		switch v, st := m.str(p, k); st {
		case ok:
			srcs = append(srcs, strings.TrimSpace(v))
		case unknownSt, bad:
			return nil, false
		}
	}
	return []resource.FirewallRule{{Direction: dir, Action: strings.ToLower(act), Protocol: proto, FromPort: from, ToPort: to,
		Priority: *n, Sources: resource.NormSources(srcs)}}, true
}

// efsFileSystem: AWS::EFS::FileSystem (Encrypted false by default; the
// aws/elasticfilesystem key without KmsKeyId).
func efsFileSystem(m *mapper, r *res, out *resource.Resource) {
	d := &resource.Disk{}
	out.Facts.Disk = d
	d.Encrypted = m.boolean(r.p, boolp(false), "Encrypted")
	if v, st := look(r.p, "KmsKeyId"); st != absent {
		d.KeyManager = keyManager(v)
		m.relate(out, resource.RelUsesKey, v)
	} else if d.Encrypted != nil && *d.Encrypted {
		d.KeyManager = "provider"
	}
}

// trailDataEvents: whether the trail's EventSelectors (ReadWriteType All
// by default) or AdvancedEventSelectors log S3 object-level write and read
// events of every bucket (CIS AWS 4.8, 4.9); without selectors a trail
// logs management events only. Nil when a selector is unknown.
func (m *mapper) trailDataEvents(p map[string]any) (write, read *bool) {
	basic, bst := m.objs(p, "EventSelectors")
	adv, ast := m.objs(p, "AdvancedEventSelectors")
	if (bst != ok && bst != absent) || (ast != ok && ast != absent) {
		return nil, nil
	}
	w, rd := false, false
	for _, sel := range basic {
		rw, rst := m.str(sel, "ReadWriteType")
		if rst == absent {
			rw = "All"
		} else if rst != ok {
			return nil, nil
		}
		drs, _ := m.objs(sel, "DataResources")
		for _, dr := range drs {
			if m.s(dr, "Type") != "AWS::S3::Object" {
				continue
			}
			vals, vst := m.listAt(dr, "Values")
			if vst != ok {
				continue
			}
			for _, x := range vals {
				v, isText := text(x)
				if !isText {
					return nil, nil
				}
				if v == "arn:aws:s3" || v == "arn:aws:s3:::" {
					w = w || rw == "All" || rw == "WriteOnly"
					rd = rd || rw == "All" || rw == "ReadOnly"
				}
			}
		}
	}
	for _, sel := range adv {
		fields, _ := m.objs(sel, "FieldSelectors")
		data, s3, sw, sr := false, false, true, true
		for _, f := range fields {
			var eq []string
			l, _ := m.listAt(f, "Equals")
			for _, x := range l {
				if v, isText := text(x); isText {
					eq = append(eq, v)
				}
			}
			switch m.s(f, "Field") {
			case "eventCategory":
				data = contains(eq, "Data")
			case "resources.type":
				s3 = contains(eq, "AWS::S3::Object")
			case "resources.ARN":
				data = false // some buckets or objects only
			case "readOnly":
				if len(eq) == 1 {
					sr, sw = eq[0] == "true", eq[0] == "false"
				}
			}
		}
		if data && s3 {
			w, rd = w || sw, rd || sr
		}
	}
	return boolp(w), boolp(rd)
}
