package cloudformation

import (
	"os"
	"path/filepath"
	"testing"
)

// TestInstanceIPv6: compute.public_ipv6 of AWS::EC2::Instance where the
// template says so (Ipv6AddressCount, Ipv6Addresses, on the instance or a
// network interface; the template's subnet's AssignIpv6AddressOnCreation);
// unknown stays unknown (a parameter, a subnet outside the template, a
// launch template). Expected answers written before the code.
func TestInstanceIPv6(t *testing.T) {
	tmpl := `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Count: {Type: Number}
Resources:
  V6Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: vpc-1, CidrBlock: 10.0.1.0/24, AssignIpv6AddressOnCreation: true}
  V4Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: vpc-1, CidrBlock: 10.0.2.0/24}
  Counted:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-1, Ipv6AddressCount: 1}
  Listed:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-1, Ipv6Addresses: [{Ipv6Address: "2600:1f18::10"}]}
  Zero:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-1, Ipv6AddressCount: 0}
  FromParameter:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-1, Ipv6AddressCount: !Ref Count}
  InV6Subnet:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-1, SubnetId: !Ref V6Subnet}
  InV4Subnet:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-1, SubnetId: !Ref V4Subnet}
  OutsideSubnet:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-1, SubnetId: subnet-0abc}
  Interface:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-1
      NetworkInterfaces:
        - {DeviceIndex: "0", SubnetId: !Ref V4Subnet, Ipv6AddressCount: 2}
  FromTemplate:
    Type: AWS::EC2::Instance
    Properties:
      LaunchTemplate: {LaunchTemplateId: lt-1, Version: "1"}
`
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ec2.yaml"), []byte(tmpl), 0o644); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, b := range readAll(t, dir, []string{"ec2.yaml"}, Options{}) {
		for _, r := range b.Resources {
			if c := r.Facts.Compute; c != nil {
				got[r.Location.Address] = map[bool]string{true: "true", false: "false"}[c.PublicIPv6 != nil && *c.PublicIPv6]
				if c.PublicIPv6 == nil {
					got[r.Location.Address] = "unknown"
				}
			}
		}
	}
	for id, want := range map[string]string{
		"Counted": "true", "Listed": "true", "Zero": "false", "FromParameter": "unknown", "InV6Subnet": "true",
		"InV4Subnet": "false", "OutsideSubnet": "unknown", "Interface": "true", "FromTemplate": "unknown",
	} {
		if got[id] != want {
			t.Errorf("%s: public_ipv6 %q, want %q", id, got[id], want)
		}
	}
}
