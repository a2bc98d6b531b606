package cloudformation

import (
	"github.com/vigil-sec/vigil/internal/iac/awsnorm"
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
		fw.Rules = append(rules, awsnorm.NACLDefaultDeny()...)
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
		// RuleNumber is required (the stack fails without it): the entry is
		// read as the ACL's first.
		n = resource.Int(1)
		if _, st := look(p, "RuleNumber"); st != absent {
			return nil, false
		}
	}
	from, to := 0, 65535
	if awsnorm.TCPorUDP(ps) {
		f := m.integer(p, resource.Int(0), "PortRange", "From")
		t := m.integer(p, resource.Int(65535), "PortRange", "To")
		if f == nil || t == nil {
			return nil, false
		}
		from, to = *f, *t
	}
	var cidrs []string
	for _, k := range []string{"CidrBlock", "Ipv6CidrBlock"} {
		switch v, st := m.str(p, k); st {
		case ok:
			cidrs = append(cidrs, v)
		case unknownSt, bad:
			return nil, false
		}
	}
	return []resource.FirewallRule{awsnorm.NACLEntry(*eg, ps, act, *n, from, to, cidrs)}, true
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
		if rst != ok && rst != absent {
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
			var vs []string
			for _, x := range vals {
				v, isText := text(x)
				if !isText {
					return nil, nil
				}
				vs = append(vs, v)
			}
			sw, sr := awsnorm.BasicS3(rw, vs)
			w, rd = w || sw, rd || sr
		}
	}
	for _, sel := range adv {
		objs, _ := m.objs(sel, "FieldSelectors")
		var fields []awsnorm.Field
		for _, f := range objs {
			var eq []string
			l, _ := m.listAt(f, "Equals")
			for _, x := range l {
				if v, isText := text(x); isText {
					eq = append(eq, v)
				}
			}
			fields = append(fields, awsnorm.Field{Name: m.s(f, "Field"), Equals: eq})
		}
		sw, sr := awsnorm.AdvancedS3(fields)
		w, rd = w || sw, rd || sr
	}
	return boolp(w), boolp(rd)
}
