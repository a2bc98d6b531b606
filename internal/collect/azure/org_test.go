package azurecollect

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/collect"
)

// orgRoutes is a simulated organization: subs subscriptions of accounts
// storage accounts each (every ARM and Graph answer delayed by latency).
func orgRoutes(t testing.TB, subs, accounts int, latency time.Duration) map[string]route {
	rs := map[string]route{}
	js := func(v any) []byte {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	empty := js(map[string]any{"value": []any{}})
	rgEmpty := js(map[string]any{"totalRecords": 0, "count": 0, "data": []any{}, "resultTruncated": "false"})
	var subList, allRows []any
	var subIDs []string
	for i := range subs {
		sub := fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i)
		subList = append(subList, map[string]any{"subscriptionId": sub, "tenantId": tenantID, "id": "/subscriptions/" + sub})
		var rows []any
		for a := range accounts {
			id := fmt.Sprintf("/subscriptions/%s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st%d", sub, a)
			rows = append(rows, map[string]any{"id": id, "name": fmt.Sprintf("st%d", a), "type": "microsoft.storage/storageaccounts",
				"subscriptionId": sub, "location": "eastus", "properties": map[string]any{"allowBlobPublicAccess": false}})
			rs["GET "+id+"/blobServices"] = route{Delay: latency, Body: js(map[string]any{"value": []any{map[string]any{
				"id": id + "/blobServices/default", "name": "default", "type": "Microsoft.Storage/storageAccounts/blobServices",
				"properties": map[string]any{"isVersioningEnabled": a%2 == 0}}}})}
			rs["GET "+id+"/blobServices/default/containers"] = route{Delay: latency, Body: empty}
			rs["GET "+id+"/fileServices"] = route{Delay: latency, Body: js(map[string]any{"value": []any{map[string]any{
				"id": id + "/fileServices/default", "name": "default", "type": "Microsoft.Storage/storageAccounts/fileServices",
				"properties": map[string]any{"shareDeleteRetentionPolicy": map[string]any{"enabled": a%2 == 0, "days": 7}}}}})}
		}
		allRows = append(allRows, rows...)
		subIDs = append(subIDs, sub)
		rs["GET /subscriptions/"+sub+"/providers/Microsoft.Insights/diagnosticSettings"] = route{Delay: latency, Body: empty}
		rs["GET /subscriptions/"+sub+"/providers/Microsoft.Security/pricings"] = route{Delay: latency, Body: empty}
		rs["GET /subscriptions/"+sub+"/providers/Microsoft.Security/settings"] = route{Delay: latency, Body: empty}
		rs["GET /subscriptions/"+sub+"/providers/Microsoft.Authorization/locks"] = route{Delay: latency, Body: empty}
		rs["GET /subscriptions/"+sub+"/providers/Microsoft.Security/serverVulnerabilityAssessmentsSettings"] = route{Delay: latency, Body: empty}
	}
	all := strings.Join(subIDs, ",")
	rs["RG resources "+all] = route{Delay: latency, Body: js(map[string]any{"totalRecords": len(allRows), "count": len(allRows), "data": allRows, "resultTruncated": "false"})}
	rs["RG resourcecontainers mg:"+tenantID+" "+all] = route{Delay: latency, Body: rgEmpty}
	rs["RG authorizationresources "+all] = route{Delay: latency, Body: rgEmpty}
	rs["RG securityresources "+all] = route{Delay: latency, Body: rgEmpty}
	rs["RG policyresources mg:"+tenantID+" "+all] = route{Delay: latency, Body: rgEmpty}
	rs["GET /subscriptions"] = route{Delay: latency, Body: js(map[string]any{"value": subList})}
	for _, l := range entraLists {
		rs["GET /v1.0"+l.path] = route{Delay: latency, Body: empty}
	}
	for _, d := range tenantDiagnostics {
		rs["GET "+d.path] = route{Delay: latency, Body: empty}
	}
	rs["GET "+mcsbDefinitionPath] = route{Delay: latency, Body: js(map[string]any{"id": mcsbDefinitionPath, "properties": map[string]any{}})}
	return rs
}

// TestOrgInFlight: a simulated organization of 20 subscriptions with 50 ms
// per call keeps at least 50 calls in flight, never more than Concurrency,
// and finishes well under a minute.
func TestOrgInFlight(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	f := newFakeAzure(t, filepath.Join("testdata", "server"), orgRoutes(t, 20, 20, 50*time.Millisecond))
	o := f.options()
	o.Concurrency = 64
	start := time.Now()
	_, rec, err := run(t, f, o)
	if err != nil {
		t.Fatal(err)
	}
	wall := time.Since(start)
	if len(rec.Failures()) > 0 {
		t.Errorf("failures: %v", rec.Failures())
	}
	if p := rec.PeakInFlight(); p < 50 || p > int64(o.Concurrency) {
		t.Errorf("peak in flight %d, want 50..%d", p, o.Concurrency)
	}
	if wall > 60*time.Second {
		t.Errorf("took %s", wall)
	}
	t.Logf("%d calls in %s (%.0f calls/s), peak %d in flight", rec.Calls(), wall.Round(time.Millisecond), float64(rec.Calls())/wall.Seconds(), rec.PeakInFlight())
}

// BenchmarkCollectOrg: 20 subscriptions of 50 storage accounts, 50 ms per
// call: wall time, calls per second, peak calls in flight.
func BenchmarkCollectOrg(b *testing.B) {
	routes := orgRoutes(b, 20, 50, 50*time.Millisecond)
	for b.Loop() {
		f := newFakeAzure(b, filepath.Join("testdata", "server"), routes)
		o := f.options()
		o.Concurrency = 0 // the default
		start := time.Now()
		_, rec, err := run(b, f, o)
		if err != nil {
			b.Fatal(err)
		}
		wall := time.Since(start)
		b.ReportMetric(float64(rec.Calls())/wall.Seconds(), "calls/s")
		b.ReportMetric(float64(rec.Calls()), "calls")
		b.ReportMetric(float64(rec.PeakInFlight()), "peak-in-flight")
		if n := len(rec.Failures()); n > 0 {
			b.Fatalf("%d failures: %v", n, rec.Failures()[0])
		}
	}
}

// FuzzReadPage: any body of an ARM, Resource Graph or Graph page is read
// without a panic, and what is kept of it is written back as JSON.
func FuzzReadPage(f *testing.F) {
	dir := filepath.Join("testdata", "server")
	for _, sub := range []string{"arm", "graph", "rg", "errors"} {
		files, _ := filepath.Glob(filepath.Join(dir, sub, "*.json"))
		for _, p := range files {
			body, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(body, sub == "graph")
		}
	}
	f.Add([]byte(`{"value":"x","nextLink":5}`), false)
	f.Add([]byte(`null`), false)
	f.Add([]byte(`{"value":[{"id":7,"type":[]},null],"@odata.nextLink":"https://graph.example/v1.0/users?$skiptoken=1"}`), true)
	first, _ := url.Parse("https://127.0.0.1:1/v1.0/users")
	f.Fuzz(func(t *testing.T, body []byte, graph bool) {
		field := "nextLink"
		if graph {
			field = "@odata.nextLink"
		}
		var guard collect.PageGuard
		m, rows, next, err := readPage(body, field, first, &guard)
		if err == nil && next != "" {
			if u, perr := url.Parse(next); perr != nil || u.Host != first.Host {
				t.Errorf("next link %q to another host accepted", next)
			}
		}
		_ = rowsOfType(rows, "Microsoft.Storage/storageAccounts")
		if m != nil {
			if _, err := json.Marshal(entraExport{Responses: map[string]any{"/x": m}}); err != nil {
				t.Errorf("page not written back: %v", err)
			}
		}
		if _, err := json.Marshal(map[string]any{"value": rows}); err != nil {
			t.Errorf("rows not written back: %v", err)
		}
	})
}

// TestGraphBatch: per-object Graph requests go twenty to a $batch; an
// answer with more pages is followed, a 429 answer is asked again in the
// next round, a 403 answer is a denied failure naming the object, and the
// others are kept.
func TestGraphBatch(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "errors"), os.DirFS(filepath.Join("testdata", "server", "errors"))); err != nil {
		t.Fatal(err)
	}
	js := func(v any) []byte {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	empty := js(map[string]any{"value": []any{}})
	routes := map[string]route{"GET /subscriptions": {Body: empty}}
	for _, l := range entraLists {
		routes["GET /v1.0"+l.path] = route{Body: empty}
	}
	for _, d := range tenantDiagnostics {
		routes["GET "+d.path] = route{Body: empty}
	}
	var groups []any
	id := func(i int) string { return fmt.Sprintf("9a8b7c6d-0000-4000-8000-%012d", i) }
	member := map[string]any{"@odata.type": "#microsoft.graph.user", "id": "5e6f7a8b-0000-4000-8000-000000000031"}
	for i := range 25 {
		groups = append(groups, map[string]any{"id": id(i), "displayName": fmt.Sprintf("g%d", i)})
		routes["GET /v1.0/groups/"+id(i)+"/owners"] = route{Body: empty}
		routes["GET /v1.0/groups/"+id(i)+"/members"] = route{Body: js(map[string]any{"value": []any{member}})}
	}
	routes["GET /v1.0/groups"] = route{Body: js(map[string]any{"value": groups})}
	routes["GET /v1.0/groups/"+id(3)+"/members"] = route{Body: js(map[string]any{"value": []any{member},
		"@odata.nextLink": "{{base}}/v1.0/groups/" + id(3) + "/members?$skiptoken=p2"})}
	routes["GET /v1.0/groups/"+id(3)+"/members p2"] = route{Body: js(map[string]any{"value": []any{member}})}
	routes["GET /v1.0/groups/"+id(5)+"/members"] = route{Status: []int{429, 200}, Body: js(map[string]any{"value": []any{member}}), Error: "errors/graph-429.json"}
	routes["GET /v1.0/groups/"+id(7)+"/members"] = route{Status: []int{403}}
	f := newFakeAzure(t, dir, routes)
	o := f.options()
	o.TenantID = tenantID
	mem, rec, err := run(t, f, o)
	if err != nil {
		t.Fatal(err)
	}
	fails := rec.Failures()
	if len(fails) != 1 || fails[0].Kind != collect.Denied || fails[0].Call != "GET /groups/{id}/members" || fails[0].Resource != "/tenants/"+tenantID+"/groups/"+id(7) {
		t.Errorf("failures = %v, want the denied members of group 7", fails)
	}
	var entra entraExport
	if err := json.Unmarshal(mem.File("azure/entra-"+tenantID+".json"), &entra); err != nil {
		t.Fatal(err)
	}
	for i := range 25 {
		_, ok := entra.Responses["/groups/"+id(i)+"/members"]
		if ok != (i != 7) {
			t.Errorf("group %d members in the export: %v", i, ok)
		}
	}
	if pages, _ := entra.Responses["/groups/"+id(3)+"/members"].([]any); len(pages) != 2 {
		t.Errorf("group 3 members: %d pages, want 2", len(pages))
	}
	batches := 0
	for _, r := range f.Requests() {
		if strings.HasSuffix(r, "/$batch") {
			batches++
		}
	}
	if batches != 4 { // 50 requests: 3 batches, then one for the throttled one
		t.Errorf("%d $batch requests, want 4", batches)
	}
}
