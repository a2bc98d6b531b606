package lake

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/vigil-sec/vigil/internal/logs"
)

// TestM365CrossShapeDuplicates: the same Microsoft 365 audit records
// delivered by the Management Activity API (samples/m365_audit.json),
// exported from Purview or Search-UnifiedAuditLog (the AuditData column,
// written with other spacing), queried from Log Analytics / Sentinel's
// OfficeActivity table (JSON and CSV) and through Microsoft Graph's audit
// log queries are stored once, in either order and in separate ingests; a
// record whose outcome differs is stored.
func TestM365CrossShapeDuplicates(t *testing.T) {
	shapes := filepath.Join("..", "logs", "testdata", "shapes")
	api := filepath.Join(samples, "m365_audit.json")
	purview := filepath.Join(shapes, "m365_purview_export.csv")
	search := filepath.Join(shapes, "m365_search_unifiedauditlog.csv")
	// Log Analytics / Sentinel OfficeActivity rows (JSON and the portal's
	// CSV) and Graph audit log query records of the same records.
	officeActivity := filepath.Join(shapes, "m365_officeactivity.jsonl")
	officeCSV := filepath.Join(shapes, "m365_officeactivity_export.csv")
	graph := filepath.Join(shapes, "m365_graph_auditlog_records.json")
	graphPage := filepath.Join(shapes, "m365_graph_auditlog_page.json")
	per, _ := countRecords(t, api)
	want := per[logs.M365Audit]
	if want < 8 {
		t.Fatalf("%d records in %s, want at least 8", want, api)
	}
	for _, order := range [][]string{{api, purview, search, officeActivity, officeCSV, graph, graphPage}, {officeCSV, graphPage, search, officeActivity, purview, graph, api}} {
		l, err := Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range order {
			if _, errs := ingest(t, l, p); len(errs) > 0 {
				t.Fatalf("%s: %v", p, errs)
			}
		}
		if got := one(t, l, "SELECT count(*) FROM m365_audit"); got != itoa(want) {
			t.Errorf("order %v: %s rows, want %d (one per record)", order, got, want)
		}
		if got := one(t, l, "SELECT count(DISTINCT event_uid) FROM m365_audit"); got != itoa(want) {
			t.Errorf("order %v: %s distinct records, want %d", order, got, want)
		}
	}

	// The same record with one value changed is another event.
	dir := t.TempDir()
	changed := filepath.Join(dir, "changed.json")
	if err := os.WriteFile(changed, []byte(`{"CreationTime": "2024-05-06T08:12:41", "Id": "7f3e2a1b-4c5d-4e6f-8a9b-0c1d2e3f4a5b", "Operation": "UserLoggedIn", "OrganizationId": "4b2d7c1e-9f3a-4e8b-a6d5-0c1f2e3d4a5b", "RecordType": 15, "ResultStatus": "Failed", "UserId": "megan.bowen@contoso.com", "Workload": "AzureActiveDirectory"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ingest(t, l, api)
	st, errs := ingest(t, l, changed)
	if len(errs) > 0 || st.Stored[logs.M365Audit] != 1 {
		t.Errorf("a record of another content: stored %v, errors %v", st.Stored, errs)
	}
}
