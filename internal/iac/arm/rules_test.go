package arm_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/iac/arm"
	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/rules"
	"github.com/vigil-sec/vigil/internal/scan"
	"github.com/vigil-sec/vigil/internal/source"
)

// scanTemplates writes the templates under a temporary root, scans them
// through the reader with the built-in rules (scan.Run, the exported seam)
// and returns the findings by file.
func scanTemplates(t *testing.T, templates map[string]string, opts arm.Options) map[string][]finding.Finding {
	t.Helper()
	root := t.TempDir()
	var files []string
	for name, text := range templates {
		if err := os.WriteFile(filepath.Join(root, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if arm.Detect(name, []byte(text)) {
			files = append(files, name)
		}
	}
	sort.Strings(files)
	e, err := policy.New(context.Background(), []policy.Source{{FS: rules.FS(), Name: "builtin", Builtin: true}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := scan.Run(context.Background(), e, scan.Options{Sources: []source.Source{arm.New(root, files, opts)},
		Logger: slog.New(slog.DiscardHandler), Now: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]finding.Finding{}
	for _, f := range res.Report.Findings {
		if f.Resource.Location == nil {
			continue
		}
		out[f.Resource.Location.File] = append(out[f.Resource.Location.File], f)
	}
	return out
}

// status returns the status of a rule's findings on a file, "" when none.
func status(fs []finding.Finding, rule string) (string, string) {
	var st []string
	where := ""
	for _, f := range fs {
		if f.RuleID == rule {
			st = append(st, string(f.Status))
			where = fmt.Sprintf("%s:%d-%d %s", f.Resource.Location.File, f.Resource.Location.StartLine, f.Resource.Location.EndLine,
				f.Resource.Location.Address)
		}
	}
	return strings.Join(st, ","), where
}

const storageTemplate = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "https": { "type": "bool", "defaultValue": %s },
    "tls": { "type": "string"%s }
  },
  "resources": [
    {
      "type": "Microsoft.Storage/storageAccounts",
      "apiVersion": "2023-01-01",
      "name": "store",
      "location": "westeurope",
      "kind": "StorageV2",
      "sku": { "name": "Standard_LRS" },
      "properties": {
        "supportsHttpsTrafficOnly": "[parameters('https')]",
        "minimumTlsVersion": "[parameters('tls')]"
      }
    }
  ]
}
`

// TestRulesJudgeTemplates: the built-in rules FAIL the bad template, PASS
// the good one, and say UNKNOWN where a parameter has no value, located
// at the resource's lines.
func TestRulesJudgeTemplates(t *testing.T) {
	got := scanTemplates(t, map[string]string{
		"bad.json":     fmt.Sprintf(storageTemplate, "false", `, "defaultValue": "TLS1_0"`),
		"good.json":    fmt.Sprintf(storageTemplate, "true", `, "defaultValue": "TLS1_2"`),
		"unknown.json": fmt.Sprintf(storageTemplate, "true", ""),
	}, arm.Options{})
	for _, c := range []struct{ file, rule, want string }{
		{"bad.json", "storage-insecure-transport", "FAIL"},
		{"good.json", "storage-insecure-transport", "PASS"},
		{"bad.json", "azure-storage-min-tls", "FAIL"},
		{"good.json", "azure-storage-min-tls", "PASS"},
		{"unknown.json", "azure-storage-min-tls", "UNKNOWN"},
		{"unknown.json", "storage-insecure-transport", "PASS"},
	} {
		st, where := status(got[c.file], c.rule)
		if st != c.want {
			t.Errorf("%s %s: %q, want %q", c.file, c.rule, st, c.want)
			continue
		}
		if where != c.file+":9-20 store" && where != c.file+":9-20 Microsoft.Storage/storageAccounts/store" {
			t.Errorf("%s %s located at %s", c.file, c.rule, where)
		}
	}
}

// vaultTemplate is a key vault at an API version (%s), with the
// enableRbacAuthorization property (%s, "" for none).
const vaultTemplate = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "api": { "type": "string", "defaultValue": "2023-07-01" } },
  "resources": [
    {
      "type": "Microsoft.KeyVault/vaults",
      "apiVersion": "%s",
      "name": "kv",
      "location": "westeurope",
      "properties": { "tenantId": "00000000-0000-0000-0000-000000000001", "sku": { "family": "A", "name": "standard" }%s }
    }
  ]
}`

// TestKeyVaultRBACDefault: a vault a template creates without
// enableRbacAuthorization uses Azure RBAC from API version 2026-02-01 and
// access policies before it (CIS Azure 6.0 8.3.6); set, the property decides.
func TestKeyVaultRBACDefault(t *testing.T) {
	got := scanTemplates(t, map[string]string{
		"old.json":      fmt.Sprintf(vaultTemplate, "2023-07-01", ""),
		"new.json":      fmt.Sprintf(vaultTemplate, "2026-02-01", ""),
		"preview.json":  fmt.Sprintf(vaultTemplate, "2026-04-01-preview", ""),
		"newoff.json":   fmt.Sprintf(vaultTemplate, "2026-02-01", `, "enableRbacAuthorization": false`),
		"oldon.json":    fmt.Sprintf(vaultTemplate, "2023-07-01", `, "enableRbacAuthorization": true`),
		"unknown.json":  fmt.Sprintf(vaultTemplate, "[parameters('api')]", ""),
		"unknown2.json": fmt.Sprintf(vaultTemplate, "[reference('x').apiVersion]", ""),
	}, arm.Options{})
	for file, want := range map[string]string{
		"old.json": "FAIL", "new.json": "PASS", "preview.json": "PASS", "newoff.json": "FAIL", "oldon.json": "PASS",
		"unknown.json": "FAIL", "unknown2.json": "UNKNOWN",
	} {
		if st, _ := status(got[file], "azure-keyvault-rbac-disabled"); st != want {
			t.Errorf("%s: azure-keyvault-rbac-disabled %q, want %q", file, st, want)
		}
	}
}
