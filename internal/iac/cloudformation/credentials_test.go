package cloudformation

import (
	"os"
	"path/filepath"
	"testing"
)

// TestCredentialsInSource: a database master password written in the
// template (a literal, a parameter's Default, Fn::Sub over one) is in the
// source, as in Terraform; a dynamic reference to Secrets Manager, a
// parameter without default or given with --parameter, another resource's
// attribute or a password the service manages is not.
func TestCredentialsInSource(t *testing.T) {
	tmpl := `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  DefaultPw:
    Type: String
    NoEcho: true
    Default: hunter2
  NoDefault:
    Type: String
    NoEcho: true
  Given:
    Type: String
    Default: in-the-template
Resources:
  Literal:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: postgres, MasterUsername: admin, MasterUserPassword: p4ssw0rd}
  ParamDefault:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: postgres, MasterUsername: admin, MasterUserPassword: !Ref DefaultPw}
  SubDefault:
    Type: AWS::RDS::DBCluster
    Properties: {Engine: aurora-postgresql, MasterUsername: admin, MasterUserPassword: !Sub "${DefaultPw}-${AWS::Region}"}
  NoDefaultParam:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: postgres, MasterUsername: admin, MasterUserPassword: !Ref NoDefault}
  GivenParam:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: postgres, MasterUsername: admin, MasterUserPassword: !Ref Given}
  Resolved:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: postgres, MasterUsername: admin, MasterUserPassword: "{{resolve:secretsmanager:prod/db:SecretString:password}}"}
  SubResolved:
    Type: AWS::RDS::DBCluster
    Properties: {Engine: aurora-mysql, MasterUsername: admin, MasterUserPassword: !Sub "{{resolve:secretsmanager:${Secret}:SecretString:password}}"}
  Managed:
    Type: AWS::RDS::DBCluster
    Properties: {Engine: aurora-mysql, MasterUsername: admin, ManageMasterUserPassword: true}
  Secret:
    Type: AWS::SecretsManager::Secret
    Properties: {GenerateSecretString: {PasswordLength: 30}}
`
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "db.yaml"), []byte(tmpl), 0o644); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, b := range readAll(t, dir, []string{"db.yaml"}, Options{Parameters: map[string]string{"Given": "from-ci"}}) {
		for _, p := range b.Problems {
			t.Errorf("problem: %s", p.Error())
		}
		for _, r := range b.Resources {
			if d := r.Facts.Database; d != nil {
				switch {
				case d.CredentialsInSource == nil:
					got[r.Location.Address] = "unknown"
				case *d.CredentialsInSource:
					got[r.Location.Address] = "true " + d.CredentialArguments[0]
				default:
					got[r.Location.Address] = "false"
				}
			}
		}
	}
	for id, want := range map[string]string{
		"Literal": "true MasterUserPassword", "ParamDefault": "true MasterUserPassword", "SubDefault": "true MasterUserPassword",
		"NoDefaultParam": "false", "GivenParam": "false", "Resolved": "false", "SubResolved": "false", "Managed": "false",
	} {
		if got[id] != want {
			t.Errorf("%s: credentials in source %q, want %q", id, got[id], want)
		}
	}
}
