package arm

import (
	"path/filepath"
	"strings"
	"testing"
)

// Parameter values come from the defaults, then the parameters file beside
// the template, then Options.ParameterFiles, then Options.Parameters
// (converted to the declared type); a Key Vault reference is unknown.
func TestParameterSources(t *testing.T) {
	root := writeFiles(t, map[string]string{
		"app/main.json": head + `  "parameters": {
    "a": {"type": "string", "defaultValue": "default-a"},
    "b": {"type": "string", "defaultValue": "default-b"},
    "c": {"type": "string", "defaultValue": "default-c"},
    "n": {"type": "int", "defaultValue": 1},
    "on": {"type": "bool", "defaultValue": false},
    "list": {"type": "array", "defaultValue": []},
    "secret": {"type": "securestring", "defaultValue": "nope"},
    "e": {"type": "string", "defaultValue": "default-e"}
  },
  "resources": [
    {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "st", "location": "westeurope",
     "tags": {"a": "[parameters('a')]", "b": "[parameters('b')]", "c": "[parameters('c')]", "e": "[parameters('e')]",
       "n": "[string(add(parameters('n'), 1))]", "on": "[string(parameters('on'))]", "list": "[join(parameters('list'), '+')]",
       "secret": "[if(empty(parameters('secret')), 'empty', 'set')]"}}
  ]
}
`,
		"app/main.parameters.json": `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "contentVersion": "1.0.0.0", "parameters": {"a": {"value": "beside-a"}, "b": {"value": "beside-b"},
  "secret": {"reference": {"keyVault": {"id": "/subscriptions/x/resourceGroups/y/providers/Microsoft.KeyVault/vaults/z"}, "secretName": "s"}}}}`,
		"shared.parameters.json": `{"contentVersion": "1.0.0.0", "parameters": {"b": {"value": "file-b"}, "c": {"value": "file-c"}, "undeclared": {"value": 1}}}`,
	})
	bs := readAll(t, root, []string{"app/main.json"}, Options{
		ParameterFiles: []string{filepath.Join(root, "shared.parameters.json")},
		Parameters:     map[string]string{"c": "option-c", "n": "41", "on": "true", "list": `["x", "y"]`},
	})
	if ps := problems(bs); len(ps) > 0 {
		t.Fatalf("problems: %q", ps)
	}
	tags := bs[0].Resources[0].Tags
	want := map[string]string{"a": "beside-a", "b": "file-b", "c": "option-c", "e": "default-e", "n": "42", "on": "True",
		"list": "x+y", "secret": ""}
	for k, v := range want {
		if tags[k] != v {
			t.Errorf("tag %s = %q, want %q (tags %v)", k, tags[k], v, tags)
		}
	}
	// A value of the wrong type for the declared type is a problem.
	bs = readAll(t, root, []string{"app/main.json"}, Options{Parameters: map[string]string{"n": "many"}})
	if ps := problems(bs); len(ps) != 1 || !strings.Contains(ps[0], `parameter n is an int: "many" is not`) {
		t.Errorf("problems %q", ps)
	}
	// A parameters file that does not parse is a problem naming it.
	root2 := writeFiles(t, map[string]string{"t.json": goodStorage, "t.parameters.json": "{\n  \"parameters\": {\n    \"a\": \n}"})
	bs = readAll(t, root2, []string{"t.json"}, Options{})
	if ps := problems(bs); len(ps) != 1 || !strings.HasPrefix(ps[0], "t.parameters.json:4: json:") || resourcesOf(bs) != 1 {
		t.Errorf("problems %q, %d resources", ps, resourcesOf(bs))
	}
}

// The deployment context of the options makes the subscription, resource
// group and location known: the account, region and IDs follow.
func TestDeploymentContext(t *testing.T) {
	root := writeFiles(t, map[string]string{"t.json": head + `  "resources": [
    { "type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01",
      "name": "[concat('st', subscription().subscriptionId)]", "location": "[resourceGroup().location]",
      "tags": { "rg": "[resourceGroup().name]", "tenant": "[tenant().tenantId]" } }
  ]
}
`})
	const sub = "00000000-1111-2222-3333-444444444444"
	bs := readAll(t, root, []string{"t.json"}, Options{SubscriptionID: sub, ResourceGroup: "rg-app", Location: "westeurope", TenantID: "tid"})
	r := bs[0].Resources[0]
	if r.Account != sub || r.Region != "westeurope" || r.Name != "st"+sub || r.Tags["rg"] != "rg-app" || r.Tags["tenant"] != "tid" {
		t.Errorf("account %q region %q name %q tags %v", r.Account, r.Region, r.Name, r.Tags)
	}
	wantID := "/subscriptions/" + sub + "/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/st" + sub
	if len(r.Aliases) != 1 || r.Aliases[0] != wantID {
		t.Errorf("aliases %v, want %s", r.Aliases, wantID)
	}
	if len(r.Relationships) != 1 || r.Relationships[0].TargetID != "/subscriptions/"+sub+"/resourceGroups/rg-app" {
		t.Errorf("relationships %v", r.Relationships)
	}
}
