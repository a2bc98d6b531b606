package azure

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// TestKeyVaultCertificates: CIS Azure 6.0 8.3.11 from the Key Vault data
// plane, as the REST API returns a certificate (with its policy), a
// policy alone and the list (no policy), and as az keyvault certificate
// show and list print them (camel case): the validity period is the
// policy's, unknown without one; the certificate takes the subscription
// and region of its vault.
func TestKeyVaultCertificates(t *testing.T) {
	const vaultID = "/subscriptions/0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-prod"
	vault := `{"id":"` + vaultID + `","name":"kv-prod","type":"microsoft.keyvault/vaults","location":"westeurope","subscriptionId":"0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d","properties":{"vaultUri":"https://kv-prod.vault.azure.net/"}}`
	for _, tc := range []struct {
		name, doc string
		want      map[string]string // certificate ID: validity/expires/enabled
	}{
		{"REST certificate bundle", `{"id":"https://kv-prod.vault.azure.net/certificates/web/5f3d9f6f7d3f4d5e9a3f2b1c0d9e8f7a",
			"kid":"https://kv-prod.vault.azure.net/keys/web/5f3d9f6f7d3f4d5e9a3f2b1c0d9e8f7a","x5t":"fLi3U52HunIVNXubkEnf8tP6Wbo","cer":"MIIC",
			"attributes":{"enabled":true,"nbf":1735689600,"exp":1798761600,"created":1735689600,"updated":1735689600,"recoveryLevel":"Recoverable+Purgeable"},
			"policy":{"id":"https://kv-prod.vault.azure.net/certificates/web/policy","key_props":{"exportable":true,"kty":"RSA","key_size":2048,"reuse_key":false},
			"x509_props":{"subject":"CN=web.example.com","ekus":["1.3.6.1.5.5.7.3.1"],"validity_months":24},"issuer":{"name":"Self"},
			"attributes":{"enabled":true,"created":1735689600,"updated":1735689600}}}`,
			map[string]string{"https://kv-prod.vault.azure.net/certificates/web": "24/2027-01-01T00:00:00Z/true"}},
		{"REST policy", `{"id":"https://KV-PROD.vault.azure.net/certificates/api/policy","x509_props":{"subject":"CN=api","validity_months":12},"issuer":{"name":"Self"},"attributes":{"enabled":false}}`,
			map[string]string{"https://kv-prod.vault.azure.net/certificates/api": "12//unknown"}},
		{"REST list, a pending operation left out", `{"value":[{"id":"https://kv-prod.vault.azure.net/certificates/old","x5t":"abc","attributes":{"enabled":false,"exp":1767225600}},
			{"id":"https://kv-prod.vault.azure.net/certificates/web/pending","status":"inProgress"}],"nextLink":null}`,
			map[string]string{"https://kv-prod.vault.azure.net/certificates/old": "unknown/2026-01-01T00:00:00Z/false"}},
		{"az keyvault certificate show", `{"attributes":{"created":"2025-01-01T00:00:00+00:00","enabled":true,"expires":"2026-07-01T00:00:00+00:00","notBefore":"2025-01-01T00:00:00+00:00"},
			"cer":"MIIC","id":"https://kv-prod.vault.azure.net/certificates/mtls/0123456789abcdef0123456789abcdef","name":"mtls",
			"policy":{"id":"https://kv-prod.vault.azure.net/certificates/mtls/policy","issuerParameters":{"name":"Self"},
			"x509CertificateProperties":{"subject":"CN=mtls","validityInMonths":6}},"tags":{"env":"prod"}}`,
			map[string]string{"https://kv-prod.vault.azure.net/certificates/mtls": "6/2026-07-01T00:00:00Z/true"}},
		{"az list of two, a policy of the wrong type", `[{"id":"https://kv-prod.vault.azure.net/certificates/a","attributes":{"enabled":true}},
			{"id":"https://kv-prod.vault.azure.net/certificates/b/0123","policy":{"x509CertificateProperties":{"validityInMonths":"many"}}}]`,
			map[string]string{"https://kv-prod.vault.azure.net/certificates/a": "unknown//true", "https://kv-prod.vault.azure.net/certificates/b": "unknown//unknown"}},
	} {
		var doc, vdoc any
		if err := attr.Decode([]byte(tc.doc), &doc); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if DetectKeyVaultCertificates(doc) != FormatKeyVaultCertificates || Detect(doc) != "" {
			t.Fatalf("%s: not detected as Key Vault certificates alone", tc.name)
		}
		res := ParseKeyVaultCertificates(context.Background(), "certs.json", doc)
		if err := attr.Decode([]byte(vault), &vdoc); err != nil {
			t.Fatal(err)
		}
		all := append(Parse(context.Background(), "resources.json", vdoc).Resources, res.Resources...)
		Finalize(all)
		if bad := strings.Contains(tc.name, "wrong type"); bad != (len(res.Problems) > 0) {
			t.Errorf("%s: problems %v", tc.name, res.Problems)
		}
		got := map[string]string{}
		for _, r := range res.Resources {
			s := r.Facts.Secret
			validity := "unknown"
			if s.ValidityMonths != nil {
				validity = strconv.Itoa(*s.ValidityMonths)
			}
			got[r.ID] = validity + "/" + s.Expires + "/" + show(s.Enabled)
			if r.Type != TypeKeyVaultCertificate || r.Class != resource.ClassSecret || r.Account != "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d" || r.Region != "westeurope" {
				t.Errorf("%s: %s type %s class %s account %q region %q", tc.name, r.ID, r.Type, r.Class, r.Account, r.Region)
			}
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s: certificates %v, want %v", tc.name, got, tc.want)
		}
		for id, w := range tc.want {
			if got[id] != w {
				t.Errorf("%s: %s validity/expires/enabled %q, want %q", tc.name, id, got[id], w)
			}
		}
	}
	// Not a certificate: a key's or a secret's data-plane ID, an ARM row.
	for _, doc := range []any{attr.M{"id": "https://kv-prod.vault.azure.net/keys/k"}, attr.M{"id": "https://kv.vault.azure.net/secrets/s/1"},
		attr.M{"id": "https://example.com/certificates/c"}, []any{attr.M{"id": vaultID, "type": "microsoft.keyvault/vaults"}}} {
		if f := DetectKeyVaultCertificates(doc); f != "" {
			t.Errorf("DetectKeyVaultCertificates(%v) = %q", doc, f)
		}
	}
}

// TestKeyVaultCertificatesFile: keyvaultcertificates.json, known by its
// name: an empty list is a subscription without certificates; anything
// else that holds no certificate, and an item that is not one, is an
// input problem (the certificates it should hold would be missing
// silently).
func TestKeyVaultCertificatesFile(t *testing.T) {
	for _, tc := range []struct {
		doc      string
		problems int
	}{
		{`[]`, 0}, {`{"value": []}`, 0}, {`{}`, 1}, {`{"value": {}}`, 1}, {`["oops"]`, 1},
	} {
		var doc any
		if err := attr.Decode([]byte(tc.doc), &doc); err != nil {
			t.Fatal(err)
		}
		res, why := ParseByName(context.Background(), "azure/s/keyvaultcertificates.json", "keyvaultcertificates.json", doc)
		if res == nil || why != "" || len(res.Resources) != 0 || len(res.Problems) != tc.problems {
			t.Errorf("%s: result %+v, skip %q; want %d problems", tc.doc, res, why, tc.problems)
		}
	}
	// An item that is not a certificate beside one that is.
	var doc any
	if err := attr.Decode([]byte(`[{"id":"https://kv1.vault.azure.net/certificates/a"},"oops",{"id":42}]`), &doc); err != nil {
		t.Fatal(err)
	}
	if res := ParseKeyVaultCertificates(context.Background(), "c.json", doc); len(res.Resources) != 1 || len(res.Problems) != 2 {
		t.Errorf("resources %d, problems %v; want 1 and 2", len(res.Resources), res.Problems)
	}
}

// TestCertificateBackedSecrets: Key Vault keeps each certificate's PFX as
// a secret of the same name, which ARM lists with the vault's secrets: the
// secret of a certificate the input holds (same vault, name in another
// case) is certificate_backed; another secret, and a secret of the same
// name in another vault, are not known to be.
func TestCertificateBackedSecrets(t *testing.T) {
	const sub = "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d"
	vault := func(name string) string {
		return `{"id":"/subscriptions/` + sub + `/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/` + name + `","name":"` + name + `","type":"microsoft.keyvault/vaults","location":"westeurope","subscriptionId":"` + sub + `","properties":{"vaultUri":"https://` + name + `.vault.azure.net/"}}`
	}
	secret := func(v, name, contentType string) string {
		return `{"id":"/subscriptions/` + sub + `/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/` + v + `/secrets/` + name + `","name":"` + v + `/` + name + `","type":"Microsoft.KeyVault/vaults/secrets","location":"westeurope","subscriptionId":"` + sub + `",` +
			`"properties":{"contentType":"` + contentType + `","attributes":{"enabled":true,"exp":1798761600,"created":1735689600,"updated":1735689600},"secretUri":"https://` + v + `.vault.azure.net/secrets/` + name + `"}}`
	}
	rows := `[` + vault("kv-prod") + `,` + vault("kv-dev") + `,` + secret("kv-prod", "Web", "application/x-pkcs12") + `,` + secret("kv-prod", "db", "text/plain") + `,` +
		secret("kv-dev", "web", "application/x-pkcs12") + `]`
	certs := `{"value":[{"id":"https://kv-prod.vault.azure.net/certificates/web","attributes":{"enabled":true,"exp":1798761600}}]}`
	var rdoc, cdoc any
	if err := attr.Decode([]byte(rows), &rdoc); err != nil {
		t.Fatal(err)
	}
	if err := attr.Decode([]byte(certs), &cdoc); err != nil {
		t.Fatal(err)
	}
	all := append(Parse(context.Background(), "resources.json", rdoc).Resources, ParseKeyVaultCertificates(context.Background(), "keyvaultcertificates.json", cdoc).Resources...)
	Finalize(all)
	got := map[string]string{}
	for _, r := range all {
		if r.Type == TypeKeyVaultSecret {
			got[r.Name] = show(r.Facts.Secret.CertificateBacked)
		}
	}
	want := map[string]string{"kv-prod/Web": "true", "kv-prod/db": "unknown", "kv-dev/web": "unknown"}
	if len(got) != len(want) {
		t.Fatalf("secrets %v, want %v", got, want)
	}
	for n, w := range want {
		if got[n] != w {
			t.Errorf("%s: certificate_backed %s, want %s", n, got[n], w)
		}
	}
}
