package azure

import (
	"context"
	"regexp"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// FormatKeyVaultCertificates is the Key Vault data plane's certificates
// (CIS Azure 6.0 8.3.11), which Resource Graph and ARM do not carry: GET
// {vault}/certificates/{name} (a CertificateBundle, with its policy), GET
// {vault}/certificates/{name}/policy, GET {vault}/certificates (the list:
// no policy), and az keyvault certificate show / list (the same in camel
// case: policy.x509CertificateProperties.validityInMonths,
// attributes.expires); one object, an array of them or {"value": [...]}.
const FormatKeyVaultCertificates = "azure-keyvault-certificates"

// TypeKeyVaultCertificate is a Key Vault certificate. Its ID is the data
// plane's without the version (https://<vault>.vault.azure.net/
// certificates/<name>); Finalize gives it the subscription and region of
// the vault of that name when the input holds it.
const TypeKeyVaultCertificate = "Microsoft.KeyVault/vaults/certificates"

// certID matches a Key Vault certificate's data-plane ID: the vault, its
// DNS suffix (public and sovereign clouds), the certificate's name and
// what follows (a version, "policy", "pending").
var certID = regexp.MustCompile(`(?i)^https://([a-z0-9-]{3,24})\.(vault\.azure\.net|vault\.azure\.cn|vault\.usgovcloudapi\.net|vault\.microsoftazure\.de)(?::443)?/certificates/([0-9a-z-]{1,127})(?:/([^/?#]*))?/?$`)

// certItems returns the objects of a document that may hold certificates.
func certItems(doc any) []any {
	switch d := doc.(type) {
	case []any:
		return d
	case attr.M:
		if v := attr.Arr(d, "value"); v != nil {
			return v
		}
		return []any{d}
	}
	return nil
}

// DetectKeyVaultCertificates returns FormatKeyVaultCertificates when an
// object of doc has a Key Vault certificate's ID, else "".
func DetectKeyVaultCertificates(doc any) string {
	for _, it := range certItems(doc) {
		if o := attr.AsObj(it); o != nil && certID.MatchString(attr.Str(o, "id")) {
			return FormatKeyVaultCertificates
		}
	}
	return ""
}

// ParseKeyVaultCertificates imports the certificates of a document
// DetectKeyVaultCertificates accepted: class secret, with the expiry and
// enabled state of the certificate's attributes and the validity period of
// its policy (unknown when the input has no policy: a list entry). A
// pending operation (.../pending) is no certificate.
func ParseKeyVaultCertificates(ctx context.Context, path string, doc any) *attr.Result {
	res := &attr.Result{Format: FormatKeyVaultCertificates}
	for i, it := range certItems(doc) {
		if i%1024 == 0 && ctx.Err() != nil {
			return res
		}
		o := attr.AsObj(it)
		m := certID.FindStringSubmatch(attr.Str(o, "id"))
		if m == nil {
			res.Problems = append(res.Problems, attr.Problemf(0, 0, "item %d is not a Key Vault certificate (no https://<vault>.vault.azure.net/certificates/<name> id): not imported", i))
			continue
		}
		if strings.EqualFold(m[4], "pending") {
			continue
		}
		vault, suffix, name := strings.ToLower(m[1]), strings.ToLower(m[2]), m[3]
		id := "https://" + vault + "." + suffix + "/certificates/" + name
		c := &checker{ID: id}
		row := node{M: o, C: c}
		r := &resource.Resource{Provider: resource.Azure, Type: TypeKeyVaultCertificate, ID: id, Name: name,
			Raw: o, Source: path, Class: resource.ClassSecret}
		s := &resource.Secret{}
		r.Facts.Secret = s
		policy := row
		if !strings.EqualFold(m[4], "policy") {
			policy, _ = row.Obj("policy")
			certAttributes(s, row)
			if tv, st := row.Lookup("tags"); st == ok {
				r.Tags = attr.Tags(tv)
			}
		}
		if months, st := policy.Integer("x509_props", "validity_months"); st != absent {
			s.ValidityMonths = months
		} else {
			s.ValidityMonths = policy.I("x509CertificateProperties", "validityInMonths")
		}
		for _, p := range c.Problems {
			p.Path = path
			res.Problems = append(res.Problems, p)
		}
		res.Resources = append(res.Resources, r)
	}
	return res
}

// certAttributes reads a certificate's enabled state and expiry: the REST
// API's attributes.exp (Unix seconds) or az's attributes.expires (RFC
// 3339).
func certAttributes(s *resource.Secret, row node) {
	a, st := row.Obj("attributes")
	if st != ok {
		return
	}
	s.Enabled = a.B("enabled")
	if exp, est := a.Integer("exp"); est == ok && exp != nil && *exp > 0 {
		s.Expires, s.ExpirySet = unixRFC3339(int64(*exp)), resource.Bool(true)
		return
	}
	if v, est := a.Str("expires"); est == ok {
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			s.Expires, s.ExpirySet = t.UTC().Format(time.RFC3339), resource.Bool(true)
		}
	}
}

// finishCertificates gives each Key Vault certificate the subscription
// and region of its vault (by name: vault names are global), when the
// input holds the vault, and marks the vault secrets of the same vault and
// name as the certificates' own (certificate_backed): Key Vault keeps each
// certificate's PFX or PEM as such a secret, which ARM lists with the
// others.
func finishCertificates(certs, vaults, secrets []*resource.Resource) {
	if len(certs) == 0 {
		return
	}
	byName := make(map[string]*resource.Resource, len(vaults))
	for _, v := range vaults {
		byName[strings.ToLower(v.Name)] = v
	}
	backed := map[[2]string]bool{}
	for _, c := range certs {
		m := certID.FindStringSubmatch(c.ID)
		if m == nil {
			continue
		}
		backed[[2]string{strings.ToLower(m[1]), strings.ToLower(m[3])}] = true
		if v := byName[strings.ToLower(m[1])]; v != nil {
			c.Account, c.Region = v.Account, v.Region
		}
	}
	for _, s := range secrets {
		vault, name, ok := vaultSecretName(s.ID)
		if ok && s.Facts.Secret != nil && backed[[2]string{vault, name}] {
			s.Facts.Secret.CertificateBacked = resource.Bool(true)
		}
	}
}

// vaultSecretName reads the vault and secret names, lower case, of an ARM
// secret ID (.../providers/Microsoft.KeyVault/vaults/<vault>/secrets/<name>).
func vaultSecretName(id string) (vault, name string, ok bool) {
	low := strings.ToLower(id)
	i := strings.LastIndex(low, "/providers/microsoft.keyvault/vaults/")
	if i < 0 {
		return "", "", false
	}
	vault, rest, found := strings.Cut(low[i+len("/providers/microsoft.keyvault/vaults/"):], "/secrets/")
	if !found || vault == "" || rest == "" || strings.Contains(rest, "/") {
		return "", "", false
	}
	return vault, rest, true
}

// certFile is the file vigil collect writes a subscription's certificates
// to (azure/<subscription>/keyvaultcertificates.json).
const certFile = "keyvaultcertificates.json"

// ParseByName reads the Azure listings known by their file name when
// their content says nothing of what they are: an empty lock listing
// (parseEmptyLockListing), and a keyvaultcertificates.json that holds no
// certificate: an empty list is a subscription without certificates (no
// resource), anything else an input problem (the certificates it should
// hold are missing). It returns nil and "" for other files, and nil with
// the reason for a file to skip.
func ParseByName(ctx context.Context, path, base string, doc any) (*attr.Result, string) {
	if strings.EqualFold(base, certFile) {
		res := &attr.Result{Format: FormatKeyVaultCertificates}
		if !emptyList(doc) { // a list with certificates would have been detected
			res.Problems = append(res.Problems, attr.Problemf(0, 0, "%s holds no Key Vault certificate list (an array or {\"value\": [...]} of certificates with their https://<vault>.vault.azure.net/certificates/<name> ids): nothing imported", certFile))
		}
		return res, ""
	}
	if res, why := parseEmptyListing(ctx, path, doc, vaListingFile, TypeServerVASetting, "listing of Defender's vulnerability assessment settings"); res != nil || why != "" {
		return res, why
	}
	if res, why := parseEmptyListing(ctx, path, doc, nspListingFile, TypeNSPAssociation, "listing of network security perimeter associations"); res != nil || why != "" {
		return res, why
	}
	if res, why := parseEmptyListing(ctx, path, doc, resourceDiagListingFile, TypeDiagnosticSetting, "listing of key vaults' and Databricks workspaces' diagnostic settings"); res != nil || why != "" {
		return res, why
	}
	return parseEmptyLockListing(ctx, path, doc)
}
