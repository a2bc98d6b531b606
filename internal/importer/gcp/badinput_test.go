package gcp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

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
		return []any{"oops", true}
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

// parseLines imports assets (one NDJSON file) and returns the facts of
// every resource by ID, and the problems.
func parseLines(t *testing.T, assets []map[string]any) (map[string]map[string]string, []attr.Problem) {
	t.Helper()
	var buf bytes.Buffer
	for _, a := range assets {
		b, _ := json.Marshal(a)
		buf.Write(b)
		buf.WriteByte('\n')
	}
	res := ParseNDJSON(context.Background(), "x.json", buf.Bytes())
	out := map[string]map[string]string{}
	for _, r := range res.Resources {
		out[r.ID] = factsOf(r)
	}
	// With Raw dropped, the objects below each line's own are decoded as
	// attr.Objects (attr.LinesObjects): the same facts and problems.
	dropped := ParseNDJSON(attr.WithRawDropped(context.Background()), "x.json", buf.Bytes())
	got := map[string]map[string]string{}
	for _, r := range dropped.Resources {
		got[r.ID] = factsOf(r)
	}
	if !reflect.DeepEqual(got, out) || !reflect.DeepEqual(dropped.Problems, res.Problems) {
		t.Fatalf("%s: decoded as objects\n got %v %v\nwant %v %v", buf.Bytes(), got, dropped.Problems, out, res.Problems)
	}
	return out, res.Problems
}

func decodeLines(t *testing.T, data []byte) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		var m map[string]any
		if err := attr.Decode(l, &m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

// lbTypes are the assets joined into a load balancer's facts: a change to
// one of them is checked on the whole group, as the file holds it.
var lbTypes = map[string]bool{TypeForwardingRule: true, TypeGlobalForwarding: true, TypeTargetHTTPProxy: true,
	TypeTargetHTTPSProxy: true, TypeSSLPolicy: true, TypeURLMap: true, TypeBackendService: true,
	TypeRegionBackendSvc: true, TypeBackendBucket: true}

// Property: changing the type of any one field of an asset never changes a
// fact to another value; a fact it touches becomes unknown, and then a
// problem is reported. So a wrong type can never turn a FAIL into a PASS.
// Every asset of the sample organization and of testdata is changed, field
// by field; load balancer pieces are checked together, since their facts
// are joined.
func TestFieldTypeChangeNeverChangesAFact(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(sampleDir, "*", "*.json"))
	files = slices.DeleteFunc(files, func(f string) bool { // not exports
		return filepath.Base(f) == "accessapproval.json" || filepath.Base(f) == dlpDiscoveryFile
	})
	files = append(files, filepath.Join("testdata", "assets.ndjson"), filepath.Join("testdata", "replication.ndjson"))
	checked, groups := 0, 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := decodeLines(t, data)
		var lb []map[string]any
		var sets [][]map[string]any
		for _, a := range lines {
			if lbTypes[attr.AsStr(a["asset_type"])] {
				lb = append(lb, a)
			} else {
				sets = append(sets, []map[string]any{a})
			}
		}
		if len(lb) > 0 {
			sets = append(sets, lb)
		}
		for _, set := range sets {
			groups++
			want, problems := parseLines(t, set)
			if len(problems) > 0 {
				t.Fatalf("%s: baseline problems %+v", f, problems)
			}
			for i := range set {
				orig := set[i]
				mutable := deepCopy(orig)
				set[i] = mutable
				walk(mutable, "", func(path string, cur any, setv func(any)) {
					if (path == ".name" || path == ".asset_type") && len(set) == 1 {
						return // the asset's identity: a wrong type there is an asset that cannot be read
					}
					for _, m := range mutations(cur) {
						setv(m)
						got, problems := parseLines(t, set)
						setv(cur)
						checked++
						lost := false
						for id, w := range want {
							g, kept := got[id]
							if !kept {
								lost = true // a binding whose role or member could not be read
								continue
							}
							if g["class"] == string(resource.ClassOther) && w["class"] != g["class"] && len(problems) > 0 {
								continue // the field that decides the class was unreadable: unsupported, every fact unknown
							}
							for k, v := range g {
								if wv, had := w[k]; !had || wv != v {
									t.Errorf("%s: %s%s set to %v: %s = %s, was %s", f, orig["name"], path, m, k, v, w[k])
								}
							}
							for k := range w {
								if _, kept := g[k]; !kept {
									lost = true
								}
							}
						}
						for id, g := range got {
							if _, had := want[id]; !had && len(problems) == 0 {
								t.Errorf("%s: %s%s set to %v: new resource %s %v without a problem", f, orig["name"], path, m, id, g)
							}
						}
						if lost && len(problems) == 0 {
							t.Errorf("%s: %s%s set to %v made a fact unknown without a problem", f, orig["name"], path, m)
						}
						for _, p := range problems {
							if p.Line < 1 || (p.Field != "" && p.Resource == "") {
								t.Errorf("problem without line or resource: %+v", p)
							}
						}
					}
				})
				set[i] = orig
			}
		}
	}
	if groups < 120 {
		t.Errorf("only %d assets checked", groups)
	}
	t.Logf("%d mutations of %d asset groups", checked, groups)
}

func deepCopy(v map[string]any) map[string]any {
	b, _ := json.Marshal(v)
	var out map[string]any
	_ = attr.Decode(b, &out)
	return out
}

// Case by case: a wrong-typed field is a problem naming the asset and the
// field, and the facts it decides are unknown while the others are kept.
func TestWrongTypeIsALocatedProblem(t *testing.T) {
	const name = "//x.googleapis.com/projects/p/things/t"
	cases := []struct {
		name, typ, data, field string
		check                  func(*resource.Resource) string
	}{
		{"bucket iamConfiguration a string", TypeBucket, `{"iamConfiguration":"enforced","versioning":{"enabled":true}}`,
			"resource.data.iamConfiguration", func(r *resource.Resource) string {
				s := r.Facts.Storage
				if s.PublicAccessBlocked != nil || s.UniformAccess != nil || !isTrue(s.Versioning) {
					return fmt.Sprintf("%+v", s)
				}
				return ""
			}},
		{"bucket logging a number", TypeBucket, `{"logging":{"logBucket":7}}`, "resource.data.logging.logBucket",
			func(r *resource.Resource) string {
				if r.Facts.Storage.AccessLogging != nil {
					return "access_logging set"
				}
				return ""
			}},
		{"firewall sourceRanges a string", TypeFirewall, `{"direction":"INGRESS","sourceRanges":"0.0.0.0/0","allowed":[{"IPProtocol":"tcp","ports":["22"]}]}`,
			"resource.data.sourceRanges", func(r *resource.Resource) string {
				if r.Facts.Firewall.Rules != nil {
					return fmt.Sprintf("rules %+v: a rule without its sources could hide an open port", r.Facts.Firewall.Rules)
				}
				return ""
			}},
		{"firewall port a number", TypeFirewall, `{"sourceRanges":["0.0.0.0/0"],"allowed":[{"IPProtocol":"tcp","ports":[22]}]}`,
			"resource.data.allowed[0].ports[0]", func(r *resource.Resource) string {
				if r.Facts.Firewall.Rules != nil {
					return "rules set"
				}
				return ""
			}},
		{"instance accessConfigs an object", TypeInstance, `{"networkInterfaces":[{"accessConfigs":{"natIP":"1.2.3.4"}}],"canIpForward":false}`,
			"resource.data.networkInterfaces[0].accessConfigs", func(r *resource.Resource) string {
				c := r.Facts.Compute
				if c.PublicIP != nil || c.IPForwarding == nil {
					return fmt.Sprintf("%+v", c)
				}
				return ""
			}},
		{"sql ipv4Enabled text", TypeSQLInstance, `{"settings":{"ipConfiguration":{"ipv4Enabled":"yes","sslMode":"ENCRYPTED_ONLY"}}}`,
			"resource.data.settings.ipConfiguration.ipv4Enabled", func(r *resource.Resource) string {
				d := r.Facts.Database
				if d.PublicEndpoint != nil || !isTrue(d.SSLRequired) {
					return fmt.Sprintf("%+v", d)
				}
				return ""
			}},
		{"disk users a string", TypeDisk, `{"users":"https://x/instances/i","diskEncryptionKey":{"kmsKeyName":"k"}}`,
			"resource.data.users", func(r *resource.Resource) string {
				d := r.Facts.Disk
				if d.Attached != nil || d.KeyManager != "customer" {
					return fmt.Sprintf("%+v", d)
				}
				return ""
			}},
		{"disk key an array", TypeDisk, `{"diskEncryptionKey":["k"]}`, "resource.data.diskEncryptionKey",
			func(r *resource.Resource) string {
				if r.Facts.Disk.KeyManager != "" {
					return "key manager set"
				}
				return ""
			}},
		{"function env a string", TypeCloudFunction, `{"runtime":"nodejs22","environmentVariables":"DB_PASSWORD=x"}`,
			"resource.data.environmentVariables", func(r *resource.Resource) string {
				f := r.Facts.Function
				if f.EnvironmentSecrets != nil || f.Runtime != "nodejs22" {
					return fmt.Sprintf("%+v", f)
				}
				return ""
			}},
		{"function ingress a number", TypeCloudFunction, `{"ingressSettings":1}`, "resource.data.ingressSettings",
			func(r *resource.Resource) string {
				if r.Facts.Function.PublicNetwork != nil {
					return "public_network set"
				}
				return ""
			}},
		{"cluster private config a string", TypeCluster, `{"privateClusterConfig":"private","legacyAbac":{"enabled":false}}`,
			"resource.data.privateClusterConfig", func(r *resource.Resource) string {
				k := r.Facts.Kubernetes
				if k.PublicEndpoint != nil || k.PrivateNodes != nil || k.LegacyAuth == nil {
					return fmt.Sprintf("%+v", k)
				}
				return ""
			}},
		{"cluster ABAC text", TypeCluster, `{"legacyAbac":{"enabled":"on"}}`, "resource.data.legacyAbac.enabled",
			func(r *resource.Resource) string {
				if r.Facts.Kubernetes.LegacyAuth != nil {
					return "legacy_auth set"
				}
				return ""
			}},
		{"node pools an object", TypeCluster, `{"nodePools":{"management":{"autoUpgrade":true}}}`, "resource.data.nodePools",
			func(r *resource.Resource) string {
				if r.Facts.Kubernetes.NodeAutoUpgrade != nil {
					return "node_auto_upgrade set"
				}
				return ""
			}},
		{"backend logConfig a string", TypeBackendService, `{"logConfig":"on","securityPolicy":"p"}`, "resource.data.logConfig",
			func(r *resource.Resource) string {
				lb := r.Facts.LoadBalancer
				if lb.AccessLogs != nil || !isTrue(lb.WAF) {
					return fmt.Sprintf("%+v", lb)
				}
				return ""
			}},
		{"topic key a number", TypeTopic, `{"kmsKeyName":5}`, "resource.data.kmsKeyName", func(r *resource.Resource) string {
			if r.Facts.Queue.KeyManager != "" {
				return "key manager set"
			}
			return ""
		}},
		{"secret rotation a string", TypeSecret, `{"rotation":"30d","replication":{"automatic":{}}}`, "resource.data.rotation",
			func(r *resource.Resource) string {
				s := r.Facts.Secret
				if s.RotationEnabled != nil || s.KeyManager != "provider" {
					return fmt.Sprintf("%+v", s)
				}
				return ""
			}},
		{"secret rotation period not a duration", TypeSecret, `{"rotation":{"rotationPeriod":"monthly"}}`, "resource.data.rotation.rotationPeriod",
			func(r *resource.Resource) string {
				if r.Facts.Secret.RotationEnabled != nil {
					return "rotation_enabled set"
				}
				return ""
			}},
		{"registry scanning state a number", TypeRepository, `{"vulnerabilityScanningConfig":{"enablementState":2},"format":"DOCKER","dockerConfig":{"immutableTags":true}}`,
			"resource.data.vulnerabilityScanningConfig.enablementState", func(r *resource.Resource) string {
				g := r.Facts.Registry
				if g.ImageScanning != nil || !isTrue(g.TagImmutable) {
					return fmt.Sprintf("%+v", g)
				}
				return ""
			}},
		{"zone dnssec a string", TypeManagedZone, `{"visibility":"public","dnssecConfig":"on"}`, "resource.data.dnssecConfig",
			func(r *resource.Resource) string {
				z := r.Facts.DNS
				if z.DNSSEC != nil || !isTrue(z.Public) {
					return fmt.Sprintf("%+v", z)
				}
				return ""
			}},
		{"zone visibility a boolean", TypeManagedZone, `{"visibility":true,"dnssecConfig":{"state":"off"}}`, "resource.data.visibility",
			func(r *resource.Resource) string {
				if r.Facts.DNS.Public != nil || r.Facts.DNS.DNSSEC != nil {
					return fmt.Sprintf("%+v", r.Facts.DNS)
				}
				return ""
			}},
		{"role permissions a string", TypeRole, `{"includedPermissions":"resourcemanager.projects.setIamPolicy","stage":"GA"}`,
			"resource.data.includedPermissions", func(r *resource.Resource) string {
				rd := r.Facts.Role
				if rd.FullAdmin != nil || rd.Stage != "GA" || !isTrue(rd.Custom) {
					return fmt.Sprintf("%+v", rd)
				}
				return ""
			}},
		{"role permission a number", TypeRole, `{"includedPermissions":["a.b.c",7]}`, "resource.data.includedPermissions[1]",
			func(r *resource.Resource) string {
				if r.Facts.Role.FullAdmin != nil || r.Facts.Role.IncludedPermissions != nil {
					return "permissions set"
				}
				return ""
			}},
		{"resource data a string", TypeCluster, `"oops"`, "resource.data", func(r *resource.Resource) string {
			if r.Class != resource.ClassKubernetes || len(factsOf(r)) != 1 {
				return fmt.Sprintf("%s %+v", r.Class, r.Facts.Kubernetes)
			}
			return ""
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			line := fmt.Sprintf(`{"name":%q,"asset_type":%q,"resource":{"data":%s}}`, name, c.typ, c.data)
			res := ParseNDJSON(context.Background(), "x.json", []byte(line))
			if len(res.Resources) != 1 {
				t.Fatalf("resources: %d", len(res.Resources))
			}
			if len(res.Problems) != 1 || res.Problems[0].Field != c.field || res.Problems[0].Resource != name || res.Problems[0].Line != 1 {
				t.Errorf("problems: %+v", res.Problems)
			}
			if msg := c.check(res.Resources[0]); msg != "" {
				t.Error(msg)
			}
		})
	}
}

// IAM policies of the wrong shape: the public fact and the binding facts
// the unreadable part decides are unknown.
func TestWrongTypedIAMPolicy(t *testing.T) {
	const b = "//storage.googleapis.com/b"
	for _, tc := range []struct{ policy, field string }{
		{`{"bindings":"allUsers"}`, "iam_policy.bindings"},
		{`{"bindings":[{"role":"roles/storage.objectViewer","members":"allUsers"}]}`, "iam_policy.bindings[0].members"},
		{`{"bindings":[{"role":"roles/storage.objectViewer","members":["user:a@x.example",7]}]}`, "iam_policy.bindings[0].members[1]"},
		{`{"bindings":[{"role":"roles/owner","members":["allUsers"]},{"role":5,"members":["user:b@x.example"]}]}`, "iam_policy.bindings[1].role"},
	} {
		line := fmt.Sprintf(`{"name":%q,"asset_type":"storage.googleapis.com/Bucket","iam_policy":%s}`, b, tc.policy)
		res := ParseNDJSON(context.Background(), "x.json", []byte(line))
		if len(res.Problems) != 1 || res.Problems[0].Field != tc.field {
			t.Errorf("%s: problems %+v", tc.policy, res.Problems)
		}
		bucket := res.Resources[0].Facts.Storage
		if strings.Contains(tc.policy, `"roles/owner","members":["allUsers"]`) {
			if !isTrue(bucket.PublicAccess) {
				t.Errorf("%s: an allUsers grant read whole is public: %+v", tc.policy, bucket)
			}
		} else if bucket.PublicAccess != nil {
			t.Errorf("%s: public_access %v from an unreadable policy", tc.policy, *bucket.PublicAccess)
		}
		for _, r := range res.Resources[1:] {
			if bd := r.Facts.Binding; bd.Role == "" && (bd.Primitive != nil || bd.Privileged != nil) {
				t.Errorf("%s: binding with an unreadable role has role facts: %+v", tc.policy, bd)
			}
		}
	}
}

// A custom role with a million permissions is read whole, without a panic.
func TestRoleWithAMillionPermissions(t *testing.T) {
	var sb strings.Builder
	sb.WriteString(`{"name":"//iam.googleapis.com/organizations/1/roles/huge","asset_type":"iam.googleapis.com/Role","resource":{"data":{"name":"organizations/1/roles/huge","stage":"GA","includedPermissions":[`)
	const n = 1_000_000
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, `"fake%d.things.get",`, i)
	}
	sb.WriteString(`"resourcemanager.organizations.setIamPolicy"]}}}`)
	res := ParseNDJSON(context.Background(), "x.json", []byte(sb.String()))
	if len(res.Problems) != 0 || len(res.Resources) != 1 {
		t.Fatalf("problems %+v", res.Problems)
	}
	rd := res.Resources[0].Facts.Role
	if len(rd.IncludedPermissions) != n+1 || !isTrue(rd.FullAdmin) {
		t.Errorf("role: %d permissions, full admin %v", len(rd.IncludedPermissions), rd.FullAdmin)
	}
}
