package azurecollect

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"sync"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"

	"github.com/vigil-sec/vigil/internal/collect"
)

// The Key Vault data plane's certificate calls (CIS Azure 6.0 8.3.11: a
// certificate's validity period is in its policy, which neither Resource
// Graph nor ARM carries).
const (
	keyVaultAPIVersion = "7.4"
	certListCall       = "keyvault:GetCertificates"
	certPolicyCall     = "keyvault:GetCertificatePolicy"
)

// keyVaultDomains are Key Vault's DNS suffixes in the public and sovereign
// clouds (Azure China, Azure Government, Azure Germany): a vault's tokens
// are for the audience of its own cloud (https://<suffix>).
var keyVaultDomains = []string{"vault.azure.net", "vault.azure.cn", "vault.usgovcloudapi.net", "vault.microsoftazure.de"}

// keyVaultScope is the token scope of a vault's data plane, from its
// vaultUri (https://<vault>.<suffix>/): its cloud's Key Vault audience;
// the public cloud's for a URI of no known suffix.
func keyVaultScope(vaultURI string) string {
	if u, err := url.Parse(vaultURI); err == nil {
		host := strings.ToLower(u.Hostname())
		for _, d := range keyVaultDomains {
			if strings.HasSuffix(host, "."+d) {
				return "https://" + d + "/.default"
			}
		}
	}
	return "https://" + keyVaultDomains[0] + "/.default"
}

// keyVaultClient is the data-plane client of one cloud: a bearer token for
// scope (keyVaultScope), with the collector's transport, retry and
// recording policies.
func (c *collector) keyVaultClient(scope string) (*azcore.Client, error) {
	o := c.clientOptions()
	return azcore.NewClient(moduleName+".keyvault", moduleVersion, runtime.PipelineOptions{
		PerRetry: []policy.Policy{runtime.NewBearerTokenPolicy(c.cred, []string{scope}, nil)},
	}, &o)
}

// vaultEndpoint is a vault row's data-plane base URL: Options.KeyVaultEndpoint's
// (tests), else the row's properties.vaultUri, else the public cloud's.
func (c *collector) vaultEndpoint(row map[string]any) string {
	name, _ := row["name"].(string)
	if c.opts.KeyVaultEndpoint != nil {
		return strings.TrimRight(c.opts.KeyVaultEndpoint(name), "/")
	}
	props, _ := row["properties"].(map[string]any)
	if u, _ := props["vaultUri"].(string); strings.HasPrefix(u, "https://") {
		return strings.TrimRight(u, "/")
	}
	return "https://" + name + ".vault.azure.net"
}

// vaultCertificates lists the certificates of every key vault of the
// subscription's resources rows and adds each one's policy (GET
// .../certificates/{name}/policy) as the policy member GET
// .../certificates/{name} returns, and writes them as
// azure/<subscription>/keyvaultcertificates.json ({"value": [...]}). A
// vault whose list fails gives nothing (and a failure); a certificate
// whose policy fails is kept without it (its validity unknown).
func (c *collector) vaultCertificates(ctx context.Context, s subscription, resources []any) {
	var vaults []map[string]any
	for _, r := range resources {
		m, _ := r.(map[string]any)
		if t, _ := m["type"].(string); strings.EqualFold(t, "Microsoft.KeyVault/vaults") {
			vaults = append(vaults, m)
		}
	}
	if len(vaults) == 0 {
		return
	}
	clients := map[string]*azcore.Client{} // by token scope: a sovereign cloud's vaults take its audience's tokens
	out := make([][]any, len(vaults))
	var wg sync.WaitGroup
	for i, v := range vaults {
		props, _ := v["properties"].(map[string]any)
		uri, _ := props["vaultUri"].(string)
		scope := keyVaultScope(uri)
		kv := clients[scope]
		if kv == nil {
			var err error
			if kv, err = c.keyVaultClient(scope); err != nil {
				id, _ := v["id"].(string)
				c.fail(ctx, s.id, "Microsoft.KeyVault", certListCall, id, err)
				continue
			}
			clients[scope] = kv
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = c.vaultCertificatesOf(ctx, s, kv.Pipeline(), v)
		}()
	}
	wg.Wait()
	var rows []any
	for _, o := range out {
		rows = append(rows, o...)
	}
	if len(rows) > 0 {
		c.write(ctx, s.id, "azure/"+collect.SafeSegment(s.id)+"/keyvaultcertificates.json", map[string]any{"value": rows})
	}
}

// vaultCertificatesOf lists one vault's certificates with their policies.
func (c *collector) vaultCertificatesOf(ctx context.Context, s subscription, pl runtime.Pipeline, vault map[string]any) []any {
	vaultID, _ := vault["id"].(string)
	base := c.vaultEndpoint(vault)
	certs, err := c.listPages(ctx, pl, base+"/certificates?api-version="+keyVaultAPIVersion, "nextLink")
	if err != nil {
		c.fail(ctx, s.id, "Microsoft.KeyVault", certListCall, vaultID, err)
		return nil
	}
	var wg sync.WaitGroup
	for _, ci := range certs {
		cert, _ := ci.(map[string]any)
		id, _ := cert["id"].(string)
		name := id[strings.LastIndexByte(id, '/')+1:]
		if cert == nil || name == "" {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			u := base + "/certificates/" + url.PathEscape(name) + "/policy?api-version=" + keyVaultAPIVersion
			body, err := c.get(ctx, pl, u)
			var p map[string]any
			if err == nil {
				d := json.NewDecoder(bytes.NewReader(body))
				d.UseNumber() // numbers written back as they came
				if err = d.Decode(&p); err == nil && p == nil {
					err = errors.New("the policy is not a JSON object")
				}
			}
			if err != nil {
				c.fail(ctx, s.id, "Microsoft.KeyVault", certPolicyCall, vaultID+"/certificates/"+name, err)
				return
			}
			cert["policy"] = p // the list's own decoded row: written once, by this goroutine
		}()
	}
	wg.Wait()
	return certs
}
