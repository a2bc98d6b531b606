package arm

import (
	"testing"
)

func TestDetect(t *testing.T) {
	cases := []struct {
		path, head string
		want       bool
	}{
		{"azuredeploy.json", `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": []}`, true},
		{"sub.json", `{"$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#"}`, true},
		{"main.jsonc", "// bicep build\n{\"contentVersion\": \"1.0.0.0\", \"resources\": {}}", true},
		{"nested/x.JSON", `{"contentVersion": "1.0.0.0", "resources": []}`, true},
		{"azuredeploy.parameters.json", `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "contentVersion": "1.0.0.0", "parameters": {}}`, false},
		{"params.json", `{"contentVersion": "1.0.0.0", "parameters": {"a": {"value": 1}}}`, false},
		{"azuredeploy.yaml", `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"}`, false},
		{"package.json", `{"name": "x", "version": "1.0.0"}`, false},
		{"cfn.json", `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}`, false},
		{"plan.json", `{"format_version": "1.2", "resource_changes": []}`, false},
	}
	for _, c := range cases {
		if got := Detect(c.path, []byte(c.head)); got != c.want {
			t.Errorf("Detect(%s) = %v, want %v", c.path, got, c.want)
		}
	}
}
