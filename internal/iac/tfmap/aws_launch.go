package tfmap

import (
	"slices"

	"github.com/vigil-sec/vigil/internal/resource"
)

// launchTemplate: aws_launch_template, judged as the machines it launches
// (an Auto Scaling group's, an EKS node group's, a fleet's), with the facts
// an instance has: IMDSv2, public IP, encrypted volumes, instance profile,
// boot script. A template an aws_instance of the configuration launches
// from is judged through that instance instead (its metadata options are
// the instance's), so a concern is reported once.
func launchTemplate(m *mapper, r *inst, out *resource.Resource) {
	for _, i := range m.byType["aws_instance"] {
		if lt, st := look(i.a, "launch_template"); st == ok && slices.Contains(m.targets(firstOf(lt, "id", "name"), "aws_launch_template"), r) {
			out.Class = ""
			return
		}
	}
	c := &resource.Compute{}
	out.Facts.Compute = c
	c.MetadataV2Required = m.metadataV2(r.a, r.a["image_id"])
	// A public IP only when an interface asks for one; otherwise the
	// subnet decides (one of the group's, outside the template).
	nis, nst := m.blocks(r.a, "network_interfaces")
	var public []*bool
	for _, ni := range nis {
		public = append(public, m.boolean(ni, nil, "associate_public_ip_address"))
	}
	if nst != ok || len(nis) == 0 {
		public = append(public, nil)
	}
	c.PublicIP = or3(public...)
	// Volumes: every EBS mapping must say encrypted; an unmapped root
	// volume takes the AMI's and the account's encryption (unknown).
	bds, bst := m.blocks(r.a, "block_device_mappings")
	def := m.ebsDefault(r)
	var enc []*bool
	for _, bd := range bds {
		ebs, est := m.blocks(bd, "ebs")
		for _, e := range ebs {
			enc = append(enc, m.ebsEncrypted(e, def))
		}
		if est != ok && est != absent {
			enc = append(enc, nil)
		}
	}
	if bst != ok || len(enc) == 0 {
		enc = append(enc, nil)
	}
	c.DiskEncrypted = and3(enc...)
	if def != nil && *def {
		c.DiskEncrypted = def // every new volume of the region, the root one too
	}
	switch _, st := look(r.a, "iam_instance_profile"); st {
	case absent:
		c.InstanceProfile = boolp(false)
	case ok:
		c.InstanceProfile = boolp(true)
	}
	// The template's user_data is base64, as EC2 takes it.
	c.UserDataSecrets, c.UserDataSecretNames = m.bootSecrets(r.a, "user_data")
	m.relate(out, resource.RelUsesFirewall, r.a["vpc_security_group_ids"], sgTypes...)
}

// launchConfiguration: aws_launch_configuration, the Auto Scaling group's
// older form of a launch template, judged the same way. Its http_tokens
// default to optional, and a public IP without associate_public_ip_address
// follows the group's subnets (unknown).
func launchConfiguration(m *mapper, r *inst, out *resource.Resource) {
	c := &resource.Compute{}
	out.Facts.Compute = c
	c.MetadataV2Required = m.metadataV2(r.a, r.a["image_id"])
	c.PublicIP = m.boolean(r.a, nil, "associate_public_ip_address")
	def := m.ebsDefault(r)
	var enc []*bool
	for _, k := range []string{"root_block_device", "ebs_block_device"} {
		bs, st := m.blocks(r.a, k)
		if st == unknownSt || st == bad || (k == "root_block_device" && st == absent) {
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
	switch _, st := look(r.a, "iam_instance_profile"); st {
	case absent:
		c.InstanceProfile = boolp(false)
	case ok, unknownSt:
		c.InstanceProfile = boolp(true)
	}
	c.UserDataSecrets, c.UserDataSecretNames = m.bootSecrets(r.a, "user_data", "user_data_base64")
	m.relate(out, resource.RelUsesFirewall, r.a["security_groups"], sgTypes...)
}
