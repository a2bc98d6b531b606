package cloudformation

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUserDataSecrets: the boot script of an EC2 instance (its UserData or
// its launch template's), base64 or a Fn::Base64 over Fn::Sub, is read for
// credentials in the clear, as Terraform's user_data: a literal assignment
// is found even when other parts are known only at deploy time; a
// password taken from a parameter without value leaves it unknown.
func TestUserDataSecrets(t *testing.T) {
	tmpl := `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Endpoint: {Type: String}
  DbPassword: {Type: String, NoEcho: true}
Resources:
  Literal:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-12345678
      UserData:
        Fn::Base64: !Sub |
          #!/bin/bash
          export DB_PASSWORD=hunter2
          export API_URL=${Endpoint}
  FromParameter:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-12345678
      UserData:
        Fn::Base64: !Sub |
          #!/bin/bash
          export DB_PASSWORD=${DbPassword}
  Clean:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-12345678
      UserData:
        Fn::Base64: |
          #!/bin/bash
          yum install -y nginx
  NoUserData:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-12345678}
  FromTemplate:
    Type: AWS::EC2::Instance
    Properties:
      LaunchTemplate: {LaunchTemplateId: !Ref Template, Version: "1"}
  Template:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        UserData:
          Fn::Base64: |
            #!/bin/bash
            aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE
`
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ec2.yaml"), []byte(tmpl), 0o644); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, b := range readAll(t, dir, []string{"ec2.yaml"}, Options{}) {
		for _, r := range b.Resources {
			c := r.Facts.Compute
			if c == nil {
				continue
			}
			switch {
			case c.UserDataSecrets == nil:
				got[r.Location.Address] = "unknown"
			case *c.UserDataSecrets:
				got[r.Location.Address] = "true " + strings.Join(c.UserDataSecretNames, ",")
			default:
				got[r.Location.Address] = "false"
			}
		}
	}
	for id, want := range map[string]string{
		"Literal": "true DB_PASSWORD", "FromParameter": "unknown", "Clean": "false", "NoUserData": "false",
		"FromTemplate": "true (AWS access key)",
	} {
		if got[id] != want {
			t.Errorf("%s: user data secrets %q, want %q", id, got[id], want)
		}
	}
}
