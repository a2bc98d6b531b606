package logs

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Microsoft 365 audit records are recognised in the shapes the Office 365
// Management Activity API delivers them (a content blob is one JSON array)
// and as JSON lines; look-alikes are not.
func TestM365Detection(t *testing.T) {
	dir := t.TempDir()
	rec := func(op string, rt int) string {
		return `{"CreationTime":"2024-05-06T08:12:41","Id":"7f3e2a1b-4c5d-4e6f-8a9b-0c1d2e3f4a5b","Operation":"` + op + `","OrganizationId":"4b2d7c1e-9f3a-4e8b-a6d5-0c1f2e3d4a5b","RecordType":` + strconv.Itoa(rt) + `,"ResultStatus":"Succeeded","UserKey":"k","UserType":0,"Version":1,"Workload":"SharePoint","UserId":"u@contoso.com"}`
	}
	writeFile(t, dir, "blob.json", []byte("["+rec("FileAccessed", 6)+",\n"+rec("FileDownloaded", 6)+"]"))
	writeFile(t, dir, "lines.jsonl", []byte(rec("UserLoggedIn", 15)+"\n"+rec("Set-Mailbox", 1)+"\n"))
	// A Log Analytics OfficeActivity row is read as the record it holds;
	// other objects with an Operation field are not records.
	writeFile(t, dir, "other.json", []byte(`[{"TimeGenerated":"2024-05-06T08:12:41Z","Operation":"FileAccessed","OfficeWorkload":"SharePoint"},{"Operation":"x","CreationTime":"y"}]`))
	c := collect(t, dir)
	if got := c.bySource(); got[M365Audit] != 5 || len(got) != 1 {
		t.Errorf("sources %v, want 5 m365_audit records", got)
	}
	for _, r := range c.recs {
		if filepath.Base(r.File) == "other.json" {
			if r.Shape != "Log Analytics OfficeActivity row" || !strings.Contains(string(r.Raw), `"CreationTime":"2024-05-06T08:12:41Z"`) || !strings.Contains(string(r.Raw), `"Workload":"SharePoint"`) {
				t.Errorf("OfficeActivity row read as %q: %s", r.Shape, r.Raw)
			}
		} else if !strings.HasPrefix(string(r.Raw), `{"CreationTime"`) || !strings.HasSuffix(string(r.Raw), "}") {
			t.Errorf("%s:%d: raw is not the record: %s", r.File, r.Line, r.Raw)
		}
		if filepath.Base(r.File) == "lines.jsonl" && r.Line == 0 {
			t.Errorf("JSON lines record without a line number")
		}
		if _, err := Normalize(r); err != nil {
			t.Errorf("%s:%d: %v", r.File, r.Line, err)
		}
	}
	skipped := false
	for _, e := range c.errs {
		if filepath.Base(e.File) == "other.json" && e.Skipped {
			skipped = true
		}
	}
	if !skipped || len(c.failures()) != 0 {
		t.Errorf("other.json not skipped or unexpected failures: %v", c.errs)
	}
}
