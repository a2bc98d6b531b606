package arm

import (
	"os"
	"path/filepath"
	"testing"
)

// TestCredentialsInSource: an administrator password written in the ARM
// template (a literal, a parameter's defaultValue, a variable made of
// them) is in the source, as in Terraform and CloudFormation; a secure
// parameter without default, one given in a parameters file or with
// --parameter, or a value read with reference() is not.
func TestCredentialsInSource(t *testing.T) {
	tmpl := `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "defaultPw": {"type": "securestring", "defaultValue": "hunter2"},
    "noDefault": {"type": "securestring"},
    "given": {"type": "securestring", "defaultValue": "in-the-template"},
    "fromFile": {"type": "securestring", "defaultValue": "in-the-template"}
  },
  "variables": {"pw": "[concat(parameters('defaultPw'), '!')]"},
  "resources": [
    {"type": "Microsoft.Sql/servers", "apiVersion": "2022-05-01-preview", "name": "literal", "location": "westeurope",
     "properties": {"administratorLogin": "sqladmin", "administratorLoginPassword": "p4ssw0rd"}},
    {"type": "Microsoft.Sql/servers", "apiVersion": "2022-05-01-preview", "name": "default", "location": "westeurope",
     "properties": {"administratorLogin": "sqladmin", "administratorLoginPassword": "[parameters('defaultPw')]"}},
    {"type": "Microsoft.DBforPostgreSQL/flexibleServers", "apiVersion": "2022-12-01", "name": "variable", "location": "westeurope",
     "properties": {"administratorLogin": "pgadmin", "administratorLoginPassword": "[variables('pw')]"}},
    {"type": "Microsoft.Sql/servers", "apiVersion": "2022-05-01-preview", "name": "nodefault", "location": "westeurope",
     "properties": {"administratorLogin": "sqladmin", "administratorLoginPassword": "[parameters('noDefault')]"}},
    {"type": "Microsoft.Sql/servers", "apiVersion": "2022-05-01-preview", "name": "given", "location": "westeurope",
     "properties": {"administratorLogin": "sqladmin", "administratorLoginPassword": "[parameters('given')]"}},
    {"type": "Microsoft.Sql/servers", "apiVersion": "2022-05-01-preview", "name": "fromfile", "location": "westeurope",
     "properties": {"administratorLogin": "sqladmin", "administratorLoginPassword": "[parameters('fromFile')]"}},
    {"type": "Microsoft.DBforMySQL/flexibleServers", "apiVersion": "2021-05-01", "name": "referenced", "location": "westeurope",
     "properties": {"administratorLogin": "admin", "administratorLoginPassword": "[reference(resourceId('Microsoft.KeyVault/vaults/secrets', 'kv', 'db'), '2022-07-01').value]"}},
    {"type": "Microsoft.Sql/servers", "apiVersion": "2022-05-01-preview", "name": "aadonly", "location": "westeurope",
     "properties": {"administrators": {"azureADOnlyAuthentication": true, "login": "dba", "sid": "00000000-0000-0000-0000-000000000001"}}}
  ]
}`
	params := `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "contentVersion": "1.0.0.0",
  "parameters": {"fromFile": {"reference": {"keyVault": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv"}, "secretName": "db"}}}}`
	dir := t.TempDir()
	for name, s := range map[string]string{"db.json": tmpl, "db.parameters.json": params} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got := map[string]string{}
	for _, b := range readAll(t, dir, []string{"db.json"}, Options{Parameters: map[string]string{"given": "from-ci"}}) {
		for _, p := range b.Problems {
			t.Logf("problem: %s", p.Error())
		}
		for _, r := range b.Resources {
			if d := r.Facts.Database; d != nil {
				switch {
				case d.CredentialsInSource == nil:
					got[r.Name] = "unknown"
				case *d.CredentialsInSource:
					got[r.Name] = "true " + d.CredentialArguments[0]
				default:
					got[r.Name] = "false"
				}
			}
		}
	}
	for name, want := range map[string]string{
		"literal": "true administratorLoginPassword", "default": "true administratorLoginPassword", "variable": "true administratorLoginPassword",
		"nodefault": "false", "given": "false", "fromfile": "false", "referenced": "false", "aadonly": "false",
	} {
		if got[name] != want {
			t.Errorf("%s: credentials in source %q, want %q (all: %v)", name, got[name], want, got)
		}
	}
}
