package azurecollect

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/collect"
	"github.com/vigil-sec/vigil/internal/importer"
)

// TestKeyVaultCertificates: with KeyVaultCertificates, the collector lists
// each key vault's certificates on the data plane (two pages) and adds
// each one's policy as GET .../certificates/{name} returns it; a policy
// refused leaves that certificate without one and is a recorded failure;
// the importer reads the file as the vault's certificates, with the
// policy's validity period and the vault's subscription. Without the
// option no data-plane call is made.
func TestKeyVaultCertificates(t *testing.T) {
	const sub = "aaaaaaaa-0000-4000-8000-000000000001"
	routes := loadRoutes(t)
	routes["GET /vault/kv-prod/certificates"] = route{Body: []byte(`{"value":[{"id":"https://kv-prod.vault.azure.net/certificates/web","x5t":"fLi3U52HunIVNXubkEnf8tP6Wbo",
		"attributes":{"enabled":true,"nbf":1735689600,"exp":1798761600,"created":1735689600,"updated":1735689600},"tags":{}}],
		"nextLink":"{{base}}/vault/kv-prod/certificates?api-version=7.4&$skiptoken=p2"}`)}
	routes["GET /vault/kv-prod/certificates p2"] = route{Body: []byte(`{"value":[{"id":"https://kv-prod.vault.azure.net/certificates/old",
		"attributes":{"enabled":true,"exp":1767225600}}],"nextLink":null}`)}
	routes["GET /vault/kv-prod/certificates/web/policy"] = route{Body: []byte(`{"id":"https://kv-prod.vault.azure.net/certificates/web/policy",
		"key_props":{"exportable":true,"kty":"RSA","key_size":2048,"reuse_key":false},"x509_props":{"subject":"CN=web","validity_months":24},
		"issuer":{"name":"Self"},"attributes":{"enabled":true,"created":1735689600,"updated":1735689600}}`)}
	routes["GET /vault/kv-prod/certificates/old/policy"] = route{File: "errors/arm-403.json", Status: []int{403}}
	f := newFakeAzure(t, filepath.Join("testdata", "server"), routes) // {{base}}: the server
	opts := f.options()

	mem, _, err := run(t, f, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range mem.Names() {
		if strings.HasSuffix(n, "keyvaultcertificates.json") {
			t.Errorf("%s written without KeyVaultCertificates", n)
		}
	}

	opts.KeyVaultCertificates = true
	opts.KeyVaultEndpoint = func(vault string) string { return f.URL + "/vault/" + vault }
	mem, rec, err := run(t, f, opts)
	if err != nil {
		t.Fatal(err)
	}
	name := "azure/" + sub + "/keyvaultcertificates.json"
	var got struct {
		Value []map[string]any `json:"value"`
	}
	if err := json.Unmarshal(mem.File(name), &got); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(got.Value) != 2 || got.Value[0]["policy"] == nil || got.Value[1]["policy"] != nil {
		t.Errorf("%s: %s, want web with its policy and old without", name, mem.File(name))
	}
	failed := 0
	for _, fl := range rec.Failures() {
		if fl.Call == certPolicyCall {
			failed++
			if !strings.HasSuffix(fl.Resource, "/vaults/kv-prod/certificates/old") || fl.Account != sub {
				t.Errorf("failure %+v", fl)
			}
		}
	}
	if failed != 1 {
		t.Errorf("%d policy failures recorded, want 1: %+v", failed, rec.Failures())
	}

	// The importer reads what was written.
	dir := t.TempDir()
	if err := writeMem(mem, dir); err != nil {
		t.Fatal(err)
	}
	inv, err := importer.Load(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	validity := map[string]string{}
	for _, r := range inv.Resources {
		if r.Type == "Microsoft.KeyVault/vaults/certificates" {
			v := "unknown"
			if m := r.Facts.Secret.ValidityMonths; m != nil {
				v = strings.Repeat("x", *m)
			}
			validity[r.Name] = r.Account + " " + v
		}
	}
	if validity["web"] != sub+" "+strings.Repeat("x", 24) || validity["old"] != sub+" unknown" || len(validity) != 2 {
		t.Errorf("imported certificates %v", validity)
	}
}

// writeMem writes the files of a Mem sink under dir.
func writeMem(mem *collect.Mem, dir string) error {
	d := collect.Dir(dir)
	for _, n := range mem.Names() {
		if err := d.Write(context.Background(), n, mem.File(n)); err != nil {
			return err
		}
	}
	return nil
}

// TestKeyVaultScope: a vault's data-plane tokens are for its own cloud's
// Key Vault audience, read from its vaultUri: the public cloud's, Azure
// China's, Azure Government's, Azure Germany's; the public cloud's for
// anything else.
func TestKeyVaultScope(t *testing.T) {
	for uri, want := range map[string]string{
		"https://kv-prod.vault.azure.net/":           "https://vault.azure.net/.default",
		"https://kv-cn.vault.azure.cn/":              "https://vault.azure.cn/.default",
		"https://KV-GOV.VAULT.USGOVCLOUDAPI.NET:443": "https://vault.usgovcloudapi.net/.default",
		"https://kv-de.vault.microsoftazure.de/":     "https://vault.microsoftazure.de/.default",
		"https://kv.example.com/":                    "https://vault.azure.net/.default",
		"":                                           "https://vault.azure.net/.default",
	} {
		if got := keyVaultScope(uri); got != want {
			t.Errorf("%q: scope %s, want %s", uri, got, want)
		}
	}
}
