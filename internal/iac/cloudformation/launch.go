package cloudformation

import (
	"slices"

	"github.com/vigil-sec/vigil/internal/resource"
)

// launchTemplate: AWS::EC2::LaunchTemplate, judged as the machines it
// launches (an Auto Scaling group's, a fleet's) with an instance's facts.
// A template an AWS::EC2::Instance of the template file launches from is
// judged through that instance instead, so a concern is reported once.
func launchTemplate(m *mapper, r *res, out *resource.Resource) {
	for _, in := range m.ofType("AWS::EC2::Instance") {
		if slices.Contains(m.targets(valueAt(in.p, "LaunchTemplate", "LaunchTemplateId"), "AWS::EC2::LaunchTemplate"), r.id()) {
			r.out, r.joined = nil, true
			return
		}
	}
	d, _ := look(r.p, "LaunchTemplateData")
	c := &resource.Compute{}
	out.Facts.Compute = c
	c.MetadataV2Required = m.launchMetadataV2(d)
	// A public IP only when an interface asks for one; otherwise the
	// subnet decides (one of the group's, outside the template).
	nis, nst := m.objs(d, "NetworkInterfaces")
	var public []*bool
	for _, ni := range nis {
		public = append(public, m.boolean(ni, nil, "AssociatePublicIpAddress"))
	}
	if nst != ok || len(nis) == 0 {
		public = append(public, nil)
	}
	c.PublicIP = or3(public...)
	c.DiskEncrypted = m.mappingsEncrypted(d)
	c.InstanceProfile = present(d, "IamInstanceProfile")
	c.UserDataSecrets, c.UserDataSecretNames = userDataSecrets(look(d, "UserData"))
	m.relate(out, resource.RelUsesFirewall, valueAt(d, "SecurityGroupIds"))
}

// launchConfiguration: AWS::AutoScaling::LaunchConfiguration, judged the
// same way; a public IP without AssociatePublicIpAddress follows the
// group's subnets (unknown).
func launchConfiguration(m *mapper, r *res, out *resource.Resource) {
	c := &resource.Compute{}
	out.Facts.Compute = c
	c.MetadataV2Required = m.launchMetadataV2(r.p)
	c.PublicIP = m.boolean(r.p, nil, "AssociatePublicIpAddress")
	c.DiskEncrypted = m.mappingsEncrypted(r.p)
	c.InstanceProfile = present(r.p, "IamInstanceProfile")
	c.UserDataSecrets, c.UserDataSecretNames = userDataSecrets(look(r.p, "UserData"))
	m.relate(out, resource.RelUsesFirewall, r.p["SecurityGroups"])
}

// launchMetadataV2: MetadataOptions require IMDSv2 (HttpTokens required,
// or HttpEndpoint disabled: no metadata service); without HttpTokens the
// AMI decides (unknown).
func (m *mapper) launchMetadataV2(p any) *bool {
	en, est := m.str(p, "MetadataOptions", "HttpEndpoint")
	tok, tst := m.str(p, "MetadataOptions", "HttpTokens")
	switch {
	case est == ok && en == "disabled", tst == ok && tok == "required":
		return boolp(true)
	case tst == ok && est != unknownSt && est != bad:
		return boolp(false)
	}
	return nil
}

// mappingsEncrypted: every EBS block device mapping says Encrypted; an
// unmapped root volume takes the AMI's and the account's encryption
// (unknown), so without a mapping saying false it is unknown.
func (m *mapper) mappingsEncrypted(p any) *bool {
	bds, st := m.objs(p, "BlockDeviceMappings")
	enc := []*bool{nil}
	if st == ok {
		enc = nil
		for _, bd := range bds {
			if _, est := look(bd, "Ebs"); est == ok {
				enc = append(enc, m.boolean(bd, nil, "Ebs", "Encrypted"))
			}
		}
		if len(enc) == 0 {
			enc = append(enc, nil)
		}
	}
	return and3(enc...)
}

// present: whether the property at path is set (unknown when it may be).
func present(p any, path ...string) *bool {
	switch _, st := look(p, path...); st {
	case absent:
		return boolp(false)
	case ok, unknownSt:
		return boolp(true)
	}
	return nil
}
