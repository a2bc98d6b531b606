package azure

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// A field of the wrong type is a problem naming the file's resource and the
// field, and the facts that depend on it are unknown, never a value.
func TestWrongTypeIsALocatedProblem(t *testing.T) {
	const id = sp + "Microsoft.X/y/z"
	cases := []struct {
		name, typ, props, field string
		check                   func(*resource.Resource) string
	}{
		{"storage allowBlobPublicAccess", "microsoft.storage/storageaccounts", `{"allowBlobPublicAccess":"oops","supportsHttpsTrafficOnly":true}`,
			"properties.allowBlobPublicAccess", func(r *resource.Resource) string {
				s := r.Facts.Storage
				if s.PublicAccessBlocked != nil || s.PublicAccess != nil || !attr.Any(s.SecureTransportOnly) {
					return fmt.Sprintf("%+v", s)
				}
				return ""
			}},
		{"storage networkAcls", "microsoft.storage/storageaccounts", `{"networkAcls":"Deny"}`, "properties.networkAcls",
			func(r *resource.Resource) string {
				if r.Facts.Storage.NetworkDefaultDeny != nil {
					return "network_default_deny set"
				}
				return ""
			}},
		{"properties a string", "microsoft.keyvault/vaults", `"oops"`, "properties", func(r *resource.Resource) string {
			if r.Class != resource.ClassKeyVault || *r.Facts.KeyVault != (resource.KeyVault{}) {
				return fmt.Sprintf("%s %+v", r.Class, r.Facts.KeyVault)
			}
			return ""
		}},
		{"key vault purge protection", "microsoft.keyvault/vaults", `{"enablePurgeProtection":1,"publicNetworkAccess":"Disabled"}`,
			"properties.enablePurgeProtection", func(r *resource.Resource) string {
				kv := r.Facts.KeyVault
				if kv.PurgeProtection != nil || !attr.Any(attr.Not(kv.PublicNetwork)) {
					return fmt.Sprintf("%+v", kv)
				}
				return ""
			}},
		{"key vault publicNetworkAccess", "microsoft.keyvault/vaults", `{"publicNetworkAccess":7}`, "properties.publicNetworkAccess",
			func(r *resource.Resource) string {
				if r.Facts.KeyVault.PublicNetwork != nil {
					return "public_network set"
				}
				return ""
			}},
		{"NSG rule source", "microsoft.network/networksecuritygroups", `{"securityRules":[{"properties":{"protocol":"Tcp","destinationPortRange":"22","sourceAddressPrefix":5,"access":"Allow","direction":"Inbound","priority":100}}]}`,
			"properties.securityRules[0].properties.sourceAddressPrefix", func(r *resource.Resource) string {
				if r.Facts.Firewall.Rules != nil {
					return fmt.Sprintf("rules %+v: a dropped rule could hide an open port", r.Facts.Firewall.Rules)
				}
				return ""
			}},
		{"NSG rules an object", "microsoft.network/networksecuritygroups", `{"securityRules":{"a":1}}`, "properties.securityRules",
			func(r *resource.Resource) string {
				if r.Facts.Firewall.Rules != nil {
					return "rules set"
				}
				return ""
			}},
		{"role actions a string", "microsoft.authorization/roledefinitions", `{"type":"CustomRole","permissions":[{"actions":"*"}],"assignableScopes":["/"]}`,
			"properties.permissions[0].actions", func(r *resource.Resource) string {
				rd := r.Facts.Role
				if rd.FullAdmin != nil || rd.Permissions != nil || !attr.Any(rd.Custom) || !attr.Any(rd.SubscriptionScope) {
					return fmt.Sprintf("%+v", rd)
				}
				return ""
			}},
		{"role action a number", "microsoft.authorization/roledefinitions", `{"permissions":[{"actions":["*",3]}]}`,
			"properties.permissions[0].actions[1]", func(r *resource.Resource) string {
				if r.Facts.Role.FullAdmin != nil {
					return "full_admin set"
				}
				return ""
			}},
		{"disk network policy", "microsoft.compute/disks", `{"networkAccessPolicy":5,"publicNetworkAccess":"Enabled","diskState":"Unattached"}`,
			"properties.networkAccessPolicy", func(r *resource.Resource) string {
				d := r.Facts.Disk
				if d.PublicNetworkAccess != nil || d.Attached == nil {
					return fmt.Sprintf("%+v", d)
				}
				return ""
			}},
		{"disk state", "microsoft.compute/disks", `{"diskState":{"x":1}}`, "properties.diskState", func(r *resource.Resource) string {
			if r.Facts.Disk.Attached != nil {
				return "attached set"
			}
			return ""
		}},
		{"AKS access profile", "microsoft.containerservice/managedclusters", `{"apiServerAccessProfile":"private","enableRBAC":true}`,
			"properties.apiServerAccessProfile", func(r *resource.Resource) string {
				k := r.Facts.Kubernetes
				if k.PublicEndpoint != nil || k.EndpointAllowedCIDRs != nil || !attr.Any(k.RBAC) {
					return fmt.Sprintf("%+v", k)
				}
				return ""
			}},
		{"AKS authorized ranges", "microsoft.containerservice/managedclusters", `{"apiServerAccessProfile":{"authorizedIPRanges":"10.0.0.0/8"}}`,
			"properties.apiServerAccessProfile.authorizedIPRanges", func(r *resource.Resource) string {
				if r.Facts.Kubernetes.EndpointAllowedCIDRs != nil {
					return "cidrs set"
				}
				return ""
			}},
		{"AKS local accounts", "microsoft.containerservice/managedclusters", `{"disableLocalAccounts":"yes","aadProfile":{"managed":true}}`,
			"properties.disableLocalAccounts", func(r *resource.Resource) string {
				if r.Facts.Kubernetes.LegacyAuth != nil {
					return "legacy_auth set"
				}
				return ""
			}},
		{"app gateway listeners", "microsoft.network/applicationgateways", `{"httpListeners":[{"properties":{"protocol":80}}],"requestRoutingRules":[],"firewallPolicy":{"id":"x"}}`,
			"properties.httpListeners[0].properties.protocol", func(r *resource.Resource) string {
				lb := r.Facts.LoadBalancer
				if lb.HTTPListener != nil || lb.Listeners != nil || !attr.Any(lb.WAF) {
					return fmt.Sprintf("%+v", lb)
				}
				return ""
			}},
		{"app gateway WAF", "microsoft.network/applicationgateways", `{"webApplicationFirewallConfiguration":{"enabled":"on"}}`,
			"properties.webApplicationFirewallConfiguration.enabled", func(r *resource.Resource) string {
				if r.Facts.LoadBalancer.WAF != nil {
					return "waf set"
				}
				return ""
			}},
		{"function https", "microsoft.web/sites", `{"httpsOnly":"false"}`, "", func(r *resource.Resource) string {
			// "true"/"false" strings are read as booleans, as elsewhere.
			if r.Facts.Function == nil || r.Facts.Function.HTTPSOnly == nil || *r.Facts.Function.HTTPSOnly {
				return "httpsOnly \"false\" not read"
			}
			return ""
		}},
		{"function runtime", "microsoft.web/sites", `{"siteProperties":{"properties":[{"name":"LinuxFxVersion","value":3.8}]}}`,
			"properties.siteProperties.properties[0].value", func(r *resource.Resource) string {
				if f := r.Facts.Function; f.Runtime != "" || f.RuntimeEndOfSupport != "" {
					return fmt.Sprintf("%+v", f)
				}
				return ""
			}},
		{"service bus TLS", "microsoft.servicebus/namespaces", `{"minimumTlsVersion":1.2,"disableLocalAuth":"no"}`,
			"properties.minimumTlsVersion", func(r *resource.Resource) string {
				if q := r.Facts.Queue; q.MinTLSVersion != "" || q.LocalAuth != nil {
					return fmt.Sprintf("%+v", q)
				}
				return ""
			}},
		{"registry admin", "microsoft.containerregistry/registries", `{"adminUserEnabled":"sometimes","anonymousPullEnabled":0}`,
			"properties.adminUserEnabled", func(r *resource.Resource) string {
				if g := r.Facts.Registry; g.AdminUser != nil || g.Public != nil {
					return fmt.Sprintf("%+v", g)
				}
				return ""
			}},
		{"front door endpoints", "microsoft.network/frontdoors", `{"frontendEndpoints":[{"properties":{"webApplicationFirewallPolicyLink":"waf"}}]}`,
			"properties.frontendEndpoints[0].properties.webApplicationFirewallPolicyLink", func(r *resource.Resource) string {
				if r.Facts.CDN.WAF != nil {
					return "waf set"
				}
				return ""
			}},
		{"APIM TLS switch", "microsoft.apimanagement/service", `{"virtualNetworkType":"None","customProperties":{"Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls10":1,"Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls11":"False"}}`,
			"properties.customProperties.Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls10", func(r *resource.Resource) string {
				if r.Facts.APIGateway.MinTLSVersion != "" {
					return "min TLS set"
				}
				return ""
			}},
		{"deny permissions", "microsoft.authorization/denyassignments", `{"permissions":{"actions":["*"]},"scope":"/subscriptions/s"}`,
			"properties.permissions", func(r *resource.Resource) string {
				if b := r.Facts.Binding; b.DenyPermissions != nil || !attr.Any(b.Deny) {
					return fmt.Sprintf("%+v", b)
				}
				return ""
			}},
		{"subscription chain", "microsoft.resources/subscriptions", `{"managementGroupAncestorsChain":[{"name":7}]}`,
			"properties.managementGroupAncestorsChain[0].name", func(r *resource.Resource) string {
				if r.Facts.Account.Parent != "" {
					return "parent set"
				}
				return ""
			}},
		{"flow log enabled", "microsoft.network/networkwatchers/flowlogs", `{"enabled":"yes","targetResourceId":"/subscriptions/s/x"}`,
			"properties.enabled", func(r *resource.Resource) string {
				if r.Facts.FlowLog.Enabled != nil {
					return "enabled set"
				}
				return ""
			}},
		{"key expiry", "microsoft.keyvault/vaults/keys", `{"attributes":{"exp":"never"}}`, "properties.attributes.exp",
			func(r *resource.Resource) string {
				if r.Facts.Key.ExpirySet != nil {
					return "expiry_set set: a bad exp is not a missing one"
				}
				return ""
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			kind := ""
			if strings.HasPrefix(c.typ, "microsoft.web/") {
				kind = `,"kind":"functionapp,linux"`
			}
			doc := fmt.Sprintf(`[{"id":%q,"name":"z","type":%q%s,"location":"eastus","properties":%s}]`, id, c.typ, kind, c.props)
			res := parseDoc(t, doc)
			if len(res.Resources) != 1 {
				t.Fatalf("resources: %d", len(res.Resources))
			}
			if c.field == "" {
				if len(res.Problems) != 0 {
					t.Errorf("problems: %+v", res.Problems)
				}
			} else {
				found := false
				for _, p := range res.Problems {
					if p.Resource == id && p.Field == c.field && p.Err != "" {
						found = true
					}
				}
				if !found {
					t.Errorf("want a problem on %s of %s, got %+v", c.field, id, res.Problems)
				}
			}
			if msg := c.check(res.Resources[0]); msg != "" {
				t.Error(msg)
			}
		})
	}
}

// flatten turns facts into path → JSON value, lists kept whole.
func flatten(prefix string, v any, out map[string]string) {
	if o, isObj := v.(map[string]any); isObj {
		for k, e := range o {
			flatten(prefix+"."+k, e, out)
		}
		return
	}
	if v == nil || v == "" {
		return // null and "" mean the input did not say, as an absent fact
	}
	b, _ := json.Marshal(v)
	out[prefix] = string(b)
}

func factsOf(r *resource.Resource) map[string]string {
	b, _ := json.Marshal(r.Facts)
	var v any
	_ = json.Unmarshal(b, &v)
	out := map[string]string{}
	flatten("facts", v, out)
	out["class"] = string(r.Class)
	return out
}

// mutations gives the values of another JSON type a field may be turned into.
func mutations(v any) []any {
	switch t := v.(type) {
	case string:
		if b := attr.AsBool(t); b != nil {
			return []any{42.0, map[string]any{}} // true/false text and booleans read alike
		}
		return []any{42.0, true, map[string]any{}}
	case float64:
		return []any{"oops"}
	case bool:
		return []any{"oops", 1.0}
	case map[string]any:
		return []any{"oops", []any{}}
	case []any:
		return []any{"oops", map[string]any{"x": 1.0}}
	}
	return nil
}

// walk calls f with a setter for every field and array element under v.
func walk(v any, path string, f func(path string, cur any, set func(any))) {
	switch t := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			e := t[k]
			f(path+"."+k, e, func(n any) { t[k] = n })
			walk(e, path+"."+k, f)
		}
	case []any:
		for i, e := range t {
			f(fmt.Sprintf("%s[%d]", path, i), e, func(n any) { t[i] = n })
			walk(e, fmt.Sprintf("%s[%d]", path, i), f)
		}
	}
}

func deepCopy(v any) any {
	b, _ := json.Marshal(v)
	var out any
	_ = attr.Decode(b, &out)
	return out
}

// Property: changing the type of any one field of a row never changes a
// fact to another value; a fact it touches becomes unknown, and then a
// problem is reported. So a wrong type can never turn a FAIL into a PASS.
func TestFieldTypeChangeNeverChangesAFact(t *testing.T) {
	var rows []map[string]any
	files, _ := filepath.Glob(filepath.Join(sampleDir, "*", "*.json"))
	more, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, f := range append(files, more...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, rowsOf(t, data)...)
	}
	for _, doc := range []string{rbacRows, containerRows, computeRows, serviceRows} {
		rows = append(rows, rowsOf(t, []byte(doc))...)
	}
	if len(rows) < 150 {
		t.Fatalf("only %d rows", len(rows))
	}
	checked := 0
	for _, row := range rows {
		base, _ := normalize("x.json", rowItem{m: deepCopy(row).(map[string]any)}, nil, false)
		if base == nil {
			continue
		}
		want := factsOf(base)
		mutable := deepCopy(row).(map[string]any)
		walk(mutable, "", func(path string, cur any, set func(any)) {
			if path == ".id" || path == ".type" {
				return // the row's identity: a wrong type there is a row without an ID or type
			}
			for _, m := range mutations(cur) {
				set(m)
				r, problems := normalizeBoth(t, deepCopy(mutable).(map[string]any))
				set(cur)
				checked++
				got := factsOf(r)
				if got["class"] == string(resource.ClassOther) && want["class"] != got["class"] && len(problems) > 0 {
					// The field that decides the class (a web site's kind) had the
					// wrong type: the row is listed as unsupported, every fact unknown.
					continue
				}
				lost := false
				for k, v := range got {
					if w, had := want[k]; !had || w != v {
						t.Errorf("%s: %s set to %v: %s = %s, was %s", base.ID, path, m, k, v, want[k])
					}
				}
				for k := range want {
					if _, kept := got[k]; !kept {
						lost = true
					}
				}
				if lost && len(problems) == 0 {
					t.Errorf("%s: %s set to %v made a fact unknown without a problem", base.ID, path, m)
				}
			}
		})
	}
	t.Logf("%d mutations of %d rows", checked, len(rows))
}

// normalizeBoth normalizes the row decoded as a map and, from its text,
// decoded along rowShape with its objects as attr.Objects (as ParseShaped
// decodes rows when Raw is dropped): the facts and problems must be the
// same.
func normalizeBoth(t *testing.T, row map[string]any) (*resource.Resource, []attr.Problem) {
	t.Helper()
	data, err := json.Marshal(map[string]any{"count": 1, "data": []any{row}})
	if err != nil {
		t.Fatal(err)
	}
	r, problems := normalize("x.json", rowItem{m: row}, nil, false)
	_, items, ok := attr.DecodeShapedObjects(data, "data", rowShape)
	if !ok || len(items) != 1 {
		t.Fatalf("%s: DecodeShapedObjects refused the row", data)
	}
	ro, oproblems := normalize("x.json", rowItem{e: items[0]}, nil, true)
	if (r == nil) != (ro == nil) {
		t.Fatalf("%s: decoded as objects: %v, as maps %v", data, ro, r)
	}
	if r != nil && (!reflect.DeepEqual(factsOf(r), factsOf(ro)) || !reflect.DeepEqual(problems, oproblems) ||
		!reflect.DeepEqual(r.Tags, ro.Tags) || !reflect.DeepEqual(r.Relationships, ro.Relationships) || !reflect.DeepEqual(r.Aliases, ro.Aliases)) {
		t.Fatalf("%s: decoded as objects\n got %v %v %v\nwant %v %v %v", data, factsOf(ro), oproblems, ro.Relationships, factsOf(r), problems, r.Relationships)
	}
	return r, problems
}

func rowsOf(t *testing.T, data []byte) []map[string]any {
	t.Helper()
	var doc any
	if err := attr.Decode(data, &doc); err != nil {
		t.Fatal(err)
	}
	var list []any
	switch d := doc.(type) {
	case map[string]any:
		list = attr.Arr(d, "data")
		if list == nil {
			list = attr.Arr(d, "value")
		}
	case []any:
		list = d
	}
	out := make([]map[string]any, 0, len(list))
	for _, e := range list {
		if o, isObj := e.(map[string]any); isObj {
			out = append(out, o)
		}
	}
	return out
}

// A row whose id or type has the wrong type is reported, never a panic.
func TestRowIdentityOfTheWrongType(t *testing.T) {
	res := parseDoc(t, `{"count":3,"data":[{"id":"/subscriptions/s/providers/Microsoft.Storage/storageAccounts/a","type":"microsoft.storage/storageaccounts"},{"id":12,"type":"x"},{"id":"/subscriptions/s/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/b","type":7,"tags":"prod"}]}`)
	if len(res.Resources) != 2 {
		t.Fatalf("resources: %d", len(res.Resources))
	}
	fields := map[string]bool{}
	for _, p := range res.Problems {
		fields[p.Field] = true
	}
	if !fields["type"] || !fields["tags"] || len(res.Problems) != 3 {
		t.Errorf("problems: %+v", res.Problems)
	}
	if r := res.Resources[1]; r.Class != resource.ClassOther || !hasKey(res.Unsupported, r.ID) {
		t.Errorf("a row without a readable type is unsupported: %+v", r)
	}
}

func hasKey(m map[string]string, k string) bool { _, ok := m[k]; return ok }

// A Resource Graph result whose data is not a list is detected and
// reported, never skipped as an unknown file nor read as zero resources.
func TestEnvelopeDataOfTheWrongType(t *testing.T) {
	for _, data := range []string{`{"columns":[],"rows":[]}`, `{"0":{"id":"/subscriptions/s/providers/Microsoft.Storage/storageAccounts/a","type":"microsoft.storage/storageaccounts"}}`, `"oops"`, `null`, `7`} {
		res := parseDoc(t, `{"count":1,"data":`+data+`,"skip_token":null,"total_records":1}`)
		if len(res.Resources) != 0 || len(res.Problems) != 1 || res.Problems[0].Field != "data" {
			t.Errorf("data %s: %d resources, problems %+v", data, len(res.Resources), res.Problems)
		}
	}
	if res := parseDoc(t, `{"count":0,"data":[],"skip_token":null,"total_records":0}`); len(res.Problems) != 0 {
		t.Errorf("empty result: %+v", res.Problems)
	}
}

// A role definition with a million actions is read whole, without a panic.
func TestRoleWithAMillionActions(t *testing.T) {
	var sb strings.Builder
	sb.WriteString(`[{"id":"/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/r","type":"microsoft.authorization/roledefinitions","properties":{"roleName":"huge","type":"CustomRole","assignableScopes":["/subscriptions/s"],"permissions":[{"actions":[`)
	const n = 1_000_000
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, `"Microsoft.Fake/r%d/read",`, i)
	}
	sb.WriteString(`"*"],"notActions":[]}]}}]`)
	res := parseDoc(t, sb.String())
	if len(res.Problems) != 0 || len(res.Resources) != 1 {
		t.Fatalf("problems %+v", res.Problems)
	}
	rd := res.Resources[0].Facts.Role
	if len(rd.Actions) != n+1 || len(rd.Permissions[0].Actions) != n+1 {
		t.Errorf("actions: %d", len(rd.Actions))
	}
	eqBool(t, "full_admin", rd.FullAdmin, b(true))
}
