package logs

import (
	"errors"
	"strings"
	"testing"
)

// TestEventTimeOneRule: an event without a valid event time (missing,
// empty, not a string, not a time) is reported by the reader with file,
// line and offset and skipped; the events around it are read. Every event
// the reader hands out normalizes, and the normalizers read the same time
// (logs.EventTime equals the OCSF time), so ingest and detect, which both
// read through this reader, apply one rule.
func TestEventTimeOneRule(t *testing.T) {
	dir := t.TempDir()
	good := ct("CreateUser", "good-1")
	noTime := strings.Replace(ct("CreateUser", "no-time"), `"eventTime":"2023-07-10T12:11:15Z",`, ``, 1)
	badTime := strings.Replace(ct("CreateUser", "bad-time"), `"eventTime":"2023-07-10T12:11:15Z"`, `"eventTime":"yesterday"`, 1)
	numTime := strings.Replace(ct("CreateUser", "num-time"), `"eventTime":"2023-07-10T12:11:15Z"`, `"eventTime":1709632800`, 1)
	if noTime == ct("CreateUser", "no-time") || badTime == ct("CreateUser", "bad-time") {
		t.Fatal("test events: eventTime not found in the template")
	}
	lines := []string{good, noTime, badTime, numTime, ct("CreateUser", "good-2")}
	// Azure with TimeGenerated only (Log Analytics casing), GCP with
	// receiveTimestamp only, M365 without a zone: all valid.
	az := `{"TimeGenerated":"2024-03-05T10:00:00Z","Category":"Administrative","OperationNameValue":"MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE","ResourceId":"/SUBSCRIPTIONS/0000/PROVIDERS/MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/1","ActivityStatusValue":"Success","Caller":"admin@contoso.com"}`
	gcp := `{"insertId":"b1","protoPayload":{"@type":"type.googleapis.com/google.cloud.audit.AuditLog","serviceName":"storage.googleapis.com","methodName":"storage.setIamPermissions","resourceName":"projects/_/buckets/b"},"receiveTimestamp":"2024-03-05T10:02:00.123456Z"}`
	gcpNone := strings.Replace(gcp, `"receiveTimestamp":"2024-03-05T10:02:00.123456Z"`, `"receiveTimestamp":""`, 1)
	p := writeFile(t, dir, "ct.jsonl", []byte(strings.Join(lines, "\n")+"\n"))
	writeFile(t, dir, "z-other.jsonl", []byte(az+"\n"+gcp+"\n"+gcpNone+"\n"))
	c := collect(t, dir)
	if len(c.recs) != 4 {
		t.Errorf("%d events read, want 4 (two good CloudTrail, Azure, GCP)", len(c.recs))
	}
	for _, r := range c.recs {
		ts, err := EventTime(r)
		if err != nil {
			t.Errorf("%s:%d: handed out without a time: %v", r.File, r.Line, err)
			continue
		}
		ev, err := Normalize(r)
		if err != nil {
			t.Errorf("%s:%d: normalize: %v", r.File, r.Line, err)
			continue
		}
		if got := ev.Common().Time; got != ts.UnixMilli() {
			t.Errorf("%s:%d: normalized time %d, EventTime %d", r.File, r.Line, got, ts.UnixMilli())
		}
	}
	want := map[int]int64{2: int64(len(good) + 1), 3: int64(len(good) + len(noTime) + 2), 4: int64(len(good) + len(noTime) + len(badTime) + 3)}
	got := map[int]int64{}
	for _, e := range c.errs {
		if !errors.Is(e.Err, ErrBadTime) {
			t.Errorf("unexpected error: %v", &e)
			continue
		}
		if e.File == p {
			got[e.Line] = e.Offset
		} else if e.Line != 3 || !strings.HasSuffix(e.File, "z-other.jsonl") {
			t.Errorf("bad time reported at %s:%d", e.File, e.Line)
		}
		if !strings.Contains(e.Error(), e.File) {
			t.Errorf("error does not name the file: %v", &e)
		}
	}
	for line, off := range want {
		if o, ok := got[line]; !ok || o != off {
			t.Errorf("line %d: reported %v at offset %d, want offset %d", line, ok, o, off)
		}
	}
}
