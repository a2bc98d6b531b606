package iac

import (
	"context"
	"testing"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/scan"
)

// TestCredentialsSameRule: database-credentials-in-source judges the
// Terraform, CloudFormation and ARM readers alike: a password given as a
// variable's or parameter's default fails, one from a secret store passes.
func TestCredentialsSameRule(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"tf/main.tf": `variable "pw" {
  default = "hunter2"
}

data "aws_secretsmanager_secret_version" "db" {
  secret_id = "prod/db"
}

resource "aws_db_instance" "bad" {
  password = var.pw
}

resource "aws_db_instance" "good" {
  password = data.aws_secretsmanager_secret_version.db.secret_string
}
`,
		"cfn/db.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Pw: {Type: String, NoEcho: true, Default: hunter2}
Resources:
  Bad:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: postgres, MasterUsername: admin, MasterUserPassword: !Ref Pw}
  Good:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: postgres, MasterUsername: admin, MasterUserPassword: "{{resolve:secretsmanager:prod/db:SecretString:password}}"}
`,
		"arm/db.json": `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {"pw": {"type": "securestring", "defaultValue": "hunter2"}, "secret": {"type": "securestring"}},
  "resources": [
    {"type": "Microsoft.Sql/servers", "apiVersion": "2022-05-01-preview", "name": "bad", "location": "westeurope",
     "properties": {"administratorLogin": "sqladmin", "administratorLoginPassword": "[parameters('pw')]"}},
    {"type": "Microsoft.Sql/servers", "apiVersion": "2022-05-01-preview", "name": "good", "location": "westeurope",
     "properties": {"administratorLogin": "sqladmin", "administratorLoginPassword": "[parameters('secret')]"}}
  ]
}`,
	})
	res, err := Scan(context.Background(), builtinEngine(t), Options{Paths: []string{dir}, Scan: scan.Options{Now: testNow}})
	if err != nil {
		t.Fatal(err)
	}
	got := byResource(res.Report.Findings, "database-credentials-in-source")
	for id, want := range map[string]finding.Status{
		"tf:aws_db_instance.bad": finding.Fail, "tf:aws_db_instance.good": finding.Pass,
		"cfn/db.yaml:Bad": finding.Fail, "cfn/db.yaml:Good": finding.Pass,
		"arm/db.json:Microsoft.Sql/servers/bad": finding.Fail, "arm/db.json:Microsoft.Sql/servers/good": finding.Pass,
	} {
		if f, ok := got[id]; !ok || f.Status != want {
			t.Errorf("%s: %q, want %s (findings on %v)", id, f.Status, want, keys(got))
		}
	}
}
