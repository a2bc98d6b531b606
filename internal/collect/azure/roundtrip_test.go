package azurecollect

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/collect"
	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/resource"
)

// TestRoundTripSampleOrg: the sample organization's Azure exports
// (examples/org/azure, made with `az graph query`) served as Resource
// Graph's answers; what the collector writes imports to the same
// resources and facts as the exports themselves: collect, save, import,
// same inventory.
func TestRoundTripSampleOrg(t *testing.T) {
	sample := filepath.Join("..", "..", "..", "examples", "org", "azure")
	subDirs, err := os.ReadDir(sample)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "errors"), os.DirFS(filepath.Join("testdata", "server", "errors"))); err != nil {
		t.Fatal(err)
	}
	routes := map[string]route{}
	var subs []any
	for _, d := range subDirs {
		if !d.IsDir() {
			continue
		}
		sub := d.Name()
		tenant := ""
		for _, tb := range tables {
			data, err := os.ReadFile(filepath.Join(sample, sub, tb.file))
			if err != nil {
				t.Fatal(err)
			}
			var rows []any
			var env struct{ Data []any }
			if json.Unmarshal(data, &rows) != nil { // resourcecontainers.json is az's --query data: a bare array
				if err := json.Unmarshal(data, &env); err != nil {
					t.Fatalf("%s/%s: %v", sub, tb.file, err)
				}
				rows = env.Data
			}
			for _, r := range rows {
				if tid, _ := r.(map[string]any)["tenantId"].(string); tid != "" && tenant == "" {
					tenant = tid
				}
			}
			body, err := json.Marshal(map[string]any{"totalRecords": len(rows), "count": len(rows), "data": rows, "resultTruncated": "false"})
			if err != nil {
				t.Fatal(err)
			}
			key := "RG " + strings.SplitN(tb.query(nil), " ", 2)[0] + " "
			if tb.tenantScope {
				key += "mg:<tenant> "
			}
			routes[key+sub] = route{Body: body}
		}
		// Defender for Cloud's settings and the management locks, saved
		// by az security setting list and az lock list (properties
		// flattened), served as the ARM lists return them.
		for _, l := range []struct{ file, path string }{
			{"securitysettings.json", "/providers/Microsoft.Security/settings"},
			{"locks.json", "/providers/Microsoft.Authorization/locks"},
			{"servervulnerabilityassessmentssettings.json", "/providers/Microsoft.Security/serverVulnerabilityAssessmentsSettings"},
		} {
			data, err := os.ReadFile(filepath.Join(sample, sub, l.file))
			if err != nil {
				continue
			}
			if bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) { // az rest: the ARM list itself
				routes["GET /subscriptions/"+sub+l.path] = route{Body: data}
				continue
			}
			var flat []map[string]any
			if err := json.Unmarshal(data, &flat); err != nil {
				t.Fatalf("%s/%s: %v", sub, l.file, err)
			}
			var rows []any
			for _, r := range flat {
				row, props := map[string]any{}, map[string]any{}
				for k, v := range r {
					switch k {
					case "id", "name", "type", "kind", "resourceGroup":
						// (resourceGroup: az's, kept so both sides
						// relate the lock to its group alike)
						row[k] = v
					default:
						props[k] = v
					}
				}
				row["properties"] = props
				rows = append(rows, row)
			}
			body, _ := json.Marshal(map[string]any{"value": rows})
			routes["GET /subscriptions/"+sub+l.path] = route{Body: body}
		}
		certRoutes(t, filepath.Join(sample, sub, "keyvaultcertificates.json"), routes)
		for k, r := range routes {
			if strings.Contains(k, "mg:<tenant>") {
				delete(routes, k)
				routes[strings.Replace(k, "<tenant>", tenant, 1)] = r
			}
		}
		subs = append(subs, map[string]any{"subscriptionId": sub, "tenantId": tenant, "id": "/subscriptions/" + sub})
	}
	body, _ := json.Marshal(map[string]any{"value": subs})
	routes["GET /subscriptions"] = route{Body: body}
	// The ARM lists and Graph are not in the sample: every other call is a
	// 404 (recorded, not looked at here).
	f := newFakeAzure(t, dir, routes)
	f.Lenient = true
	o := f.options()
	o.MaxRetries = -1
	o.KeyVaultCertificates = true
	o.KeyVaultEndpoint = func(vault string) string { return f.URL + "/vault/" + vault }
	mem, rec, err := run(t, f, o)
	if err != nil {
		t.Fatal(err)
	}
	for _, fl := range rec.Failures() {
		if fl.Service == "resourcegraph" {
			t.Errorf("Resource Graph failure: %s", fl)
		}
	}
	out := t.TempDir()
	for _, n := range mem.Names() {
		if err := collect.Dir(out).Write(context.Background(), n, mem.File(n)); err != nil {
			t.Fatal(err)
		}
	}
	want := sampleView(t, sample)
	got := sampleView(t, filepath.Join(out, "azure"))
	if len(want) < 50 {
		t.Fatalf("the sample gives %d resources", len(want))
	}
	t.Logf("%d resources compared, %d files collected", len(want), len(mem.Names()))
	for id, w := range want {
		g, ok := got[id]
		switch {
		case !ok:
			t.Errorf("%s: in the sample's inventory, not in the collected one", id)
		case !reflect.DeepEqual(g, w):
			gj, _ := json.Marshal(g)
			wj, _ := json.Marshal(w)
			t.Errorf("%s differs:\ncollected %s\nsample    %s", id, gj, wj)
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			t.Errorf("%s: collected, not in the sample's inventory", id)
		}
	}
}

type sampleResource struct {
	Account, Region, Type, Name string
	Class                       resource.Class
	Facts                       resource.Facts
	Rel                         []resource.Relationship
}

// sampleView imports the files under dir (collect.sh is skipped by the
// importer) and keys each resource's identity, class, facts and
// relationships by ID.
func sampleView(t *testing.T, dir string) map[string]sampleResource {
	t.Helper()
	inv, err := importer.Load(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Errors) > 0 {
		t.Errorf("%s: input problems %v", dir, inv.Errors)
	}
	m := map[string]sampleResource{}
	for _, r := range inv.Resources {
		m[strings.ToLower(r.ID)] = sampleResource{r.Account, r.Region, r.Type, r.Name, r.Class, r.Facts, r.Relationships}
	}
	return m
}

// certRoutes serves the certificates az keyvault certificate show saved
// (a JSON array) as the Key Vault data plane returns them to the
// collector: each vault's list (id without version, attributes in Unix
// seconds, tags) and each certificate's policy (snake case), under
// /vault/<vault>/.
func certRoutes(t *testing.T, file string, routes map[string]route) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		return
	}
	var certs []struct {
		ID         string
		Name       string
		Tags       map[string]string
		Attributes struct {
			Enabled          bool
			Created, Expires time.Time
		}
		Policy struct {
			ID                        string
			X509CertificateProperties struct {
				Subject          string
				ValidityInMonths int
			}
		}
	}
	if err := json.Unmarshal(data, &certs); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	lists := map[string][]any{}
	for _, c := range certs {
		vault := strings.TrimPrefix(c.ID, "https://")
		vault = vault[:strings.IndexByte(vault, '.')]
		lists[vault] = append(lists[vault], map[string]any{
			"id": c.ID[:strings.LastIndexByte(c.ID, '/')], "tags": c.Tags,
			"attributes": map[string]any{"enabled": c.Attributes.Enabled, "created": c.Attributes.Created.Unix(), "exp": c.Attributes.Expires.Unix()},
		})
		p, _ := json.Marshal(map[string]any{"id": c.Policy.ID, "issuer": map[string]any{"name": "Self"},
			"x509_props": map[string]any{"subject": c.Policy.X509CertificateProperties.Subject, "validity_months": c.Policy.X509CertificateProperties.ValidityInMonths}})
		routes["GET /vault/"+vault+"/certificates/"+c.Name+"/policy"] = route{Body: p}
	}
	for vault, l := range lists {
		body, _ := json.Marshal(map[string]any{"value": l, "nextLink": nil})
		routes["GET /vault/"+vault+"/certificates"] = route{Body: body}
	}
}
