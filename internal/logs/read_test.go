package logs

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/tidwall/gjson"
)

func corpus(t testing.TB, parts ...string) string {
	t.Helper()
	p := filepath.Join(append([]string{"..", "..", "..", "shared", "corpus", "logs"}, parts...)...)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("corpus not present (%s): %v", p, err)
	}
	return p
}

type collected struct {
	recs []Record
	errs []InputError
}

func collect(t testing.TB, paths ...string) *collected {
	t.Helper()
	c := &collected{}
	err := Walk(context.Background(), paths, func(r Record) error {
		c.recs = append(c.recs, r)
		return nil
	}, func(e InputError) { c.errs = append(c.errs, e) })
	if err != nil {
		t.Fatalf("Walk: %v", err)
	}
	return c
}

func (c *collected) bySource() map[Source]int {
	m := map[Source]int{}
	for _, r := range c.recs {
		m[r.Source]++
	}
	return m
}

func (c *collected) failures() []InputError {
	var out []InputError
	for _, e := range c.errs {
		if !e.Skipped {
			out = append(out, e)
		}
	}
	return out
}

func TestCorpusSources(t *testing.T) {
	cases := []struct {
		dir  []string
		src  Source
		want int
	}{
		{[]string{"aws_cloudtrail", "invictus-aws_dataset"}, AWSCloudTrail, 2900},
		{[]string{"aws_cloudtrail", "elastic"}, AWSCloudTrail, 3},
		{[]string{"azure_activitylogs", "elastic"}, AzureActivity, 3},
		{[]string{"azure_auditlogs", "elastic"}, AzureAudit, 3},
		{[]string{"azure_signinlogs", "elastic"}, AzureSignIn, 5},
		{[]string{"gcp_audit", "elastic"}, GCPAudit, 5},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.dir, "/"), func(t *testing.T) {
			c := collect(t, corpus(t, tc.dir...))
			if len(c.errs) != 0 {
				t.Fatalf("unexpected input errors: %v", c.errs)
			}
			got := c.bySource()
			if got[tc.src] != tc.want || len(got) != 1 {
				t.Fatalf("got %v, want %d %s", got, tc.want, tc.src)
			}
			for _, r := range c.recs {
				if !gjson.ValidBytes(r.Raw) || r.Raw[0] != '{' || r.Raw[len(r.Raw)-1] != '}' {
					t.Fatalf("%s:%d: Raw is not one JSON object: %.80q", r.File, r.Line, r.Raw)
				}
				if r.Line < 1 || r.Offset < 0 {
					t.Fatalf("bad position %d/%d", r.Line, r.Offset)
				}
			}
		})
	}
}

// Raw must be the exact bytes of each Records element, at the offset given.
func TestCloudTrailRawIsExactElement(t *testing.T) {
	dir := corpus(t, "aws_cloudtrail", "invictus-aws_dataset")
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) == 0 {
		t.Skip("no invictus files")
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	gjson.GetBytes(data, "Records").ForEach(func(_, v gjson.Result) bool {
		want = append(want, v.Raw)
		return true
	})
	c := collect(t, files[0])
	if len(c.recs) != len(want) || len(want) == 0 {
		t.Fatalf("got %d records, want %d", len(c.recs), len(want))
	}
	for i, r := range c.recs {
		if string(r.Raw) != want[i] {
			t.Fatalf("record %d differs", i)
		}
		if !bytes.Equal(data[r.Offset:r.Offset+int64(len(r.Raw))], r.Raw) {
			t.Fatalf("record %d: offset %d does not point at the event", i, r.Offset)
		}
	}
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func gz(t testing.TB, data []byte) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const ctEvent = `{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/a"},"eventTime":"2023-07-10T12:11:15Z","eventSource":"iam.amazonaws.com","eventName":"%s","awsRegion":"us-east-1","sourceIPAddress":"192.0.2.1","eventID":"%s"}`

func ct(name, id string) string {
	return strings.Replace(strings.Replace(ctEvent, "%s", name, 1), "%s", id, 1)
}

func TestS3LayoutGzipAndTruncation(t *testing.T) {
	dir := t.TempDir()
	var recs []string
	for i := 0; i < 500; i++ {
		recs = append(recs, ct("CreateUser", strings.Repeat("x", i%7)+string(rune('a'+i%26))+strings.Repeat("0", i%13)))
	}
	file := []byte(`{"Records":[` + strings.Join(recs, ",") + `]}`)
	key := "AWSLogs/111122223333/CloudTrail/us-east-1/2023/07/10/111122223333_CloudTrail_us-east-1_20230710T1220Z_abc.json.gz"
	writeFile(t, dir, key, gz(t, file))
	c := collect(t, dir)
	if len(c.errs) != 0 || len(c.recs) != 500 {
		t.Fatalf("gzip: %d records, errors %v", len(c.recs), c.errs)
	}
	if string(c.recs[499].Raw) != recs[499] {
		t.Fatalf("last record differs")
	}

	// Truncate the compressed file: the records before the cut are still
	// delivered and the truncation is reported with the file name.
	z := gz(t, file)
	p := writeFile(t, t.TempDir(), "trunc.json.gz", z[:len(z)*2/3])
	c = collect(t, p)
	if len(c.recs) == 0 || len(c.recs) >= 500 {
		t.Fatalf("truncated gzip: %d records delivered", len(c.recs))
	}
	f := c.failures()
	if len(f) != 1 || f[0].File != p || f[0].Offset <= 0 {
		t.Fatalf("truncated gzip: want one error with its offset, got %v", c.errs)
	}
	for i, r := range c.recs {
		if string(r.Raw) != recs[i] {
			t.Fatalf("record %d differs after truncation", i)
		}
	}
}

func TestFormats(t *testing.T) {
	dir := t.TempDir()
	inner := ct("ConsoleLogin", "e1")
	eb := `{"version":"0","id":"6f87d04b","detail-type":"AWS Console Sign In via CloudTrail","source":"aws.signin","account":"111122223333","time":"2023-07-10T12:11:15Z","region":"us-east-1","resources":[],"detail":` + inner + `}`
	pretty := "{\n  \"Records\": [\n    " + ct("A", "1") + ",\n    " + ct("B", "2") + "\n  ]\n}\n"
	azure := `{"records":[{"time":"2024-01-01T00:00:00Z","resourceId":"/SUBSCRIPTIONS/X","operationName":"MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE","category":"Administrative"},{"time":"2024-01-01T00:00:00Z","category":"SignInLogs","operationName":"Sign-in activity","properties":{}},{"time":"2024-01-01T00:00:00Z","category":"AuditLogs","operationName":"Add member to role"},{"category":"FunctionAppLogs","operationName":"Microsoft.Web/sites/functions/log","resourceId":"/x"},{"time":"2024-01-01T00:00:00Z","category":"StorageRead","operationName":"GetBlob","resourceId":"/x"}]}`
	gcpArr := `[{"insertId":"1","logName":"projects/p/logs/cloudaudit.googleapis.com%2Factivity","protoPayload":{"@type":"type.googleapis.com/google.cloud.audit.AuditLog","methodName":"SetIamPolicy"},"timestamp":"2024-01-01T00:00:00Z"},
 {"insertId":"2","logName":"projects/p/logs/cloudaudit.googleapis.com%2Fdata_access","protoPayload":{"@type":"type.googleapis.com/google.cloud.audit.AuditLog","methodName":"storage.objects.get"},"timestamp":"2024-01-01T00:00:01Z"}]`
	writeFile(t, dir, "eb.json", []byte(eb+"\n"))
	writeFile(t, dir, "pretty.json", []byte(pretty))
	writeFile(t, dir, "azure.json", []byte(azure))
	writeFile(t, dir, "gcp.json", []byte(gcpArr))
	writeFile(t, dir, "README.md", []byte("# not a log\n"))
	writeFile(t, dir, "other.json", []byte(`{"hello":"world"}`))
	writeFile(t, dir, ".hidden/x.json", []byte(ct("Hidden", "h")))

	c := collect(t, dir)
	got := c.bySource()
	want := map[Source]int{AWSCloudTrail: 3, AzureActivity: 1, AzureSignIn: 1, AzureAudit: 1, AzureResource: 1, GCPAudit: 2}
	for s, n := range want {
		if got[s] != n {
			t.Errorf("%s: got %d, want %d (all %v)", s, got[s], n, got)
		}
	}
	for _, r := range c.recs {
		if strings.HasSuffix(r.File, "eb.json") && string(r.Raw) != inner {
			t.Errorf("EventBridge Raw is not the inner event: %s", r.Raw)
		}
		if strings.HasSuffix(r.File, "pretty.json") && r.Line != 3 && r.Line != 4 {
			t.Errorf("pretty: line %d", r.Line)
		}
	}
	if f := c.failures(); len(f) != 0 {
		t.Errorf("unexpected failures: %v", f)
	}
	skipped := map[string]bool{}
	for _, e := range c.errs {
		if e.Skipped {
			if !errors.Is(e.Err, ErrNotAuditLog) {
				t.Errorf("skip without ErrNotAuditLog: %v", e)
			}
			skipped[filepath.Base(e.File)] = true
		}
	}
	for _, n := range []string{"README.md", "other.json", "azure.json"} {
		if !skipped[n] {
			t.Errorf("%s not reported as skipped: %v", n, c.errs)
		}
	}
}

func TestMalformedLineAndMissingFile(t *testing.T) {
	dir := t.TempDir()
	lines := ct("A", "1") + "\n" + `{"eventVersion":"1.08","eventSource":` + "\n\n" + ct("B", "2") + "\r\n" + `{"eventVersion":"1.08","eventName":"C", bad}` + "\n" + ct("D", "4")
	p := writeFile(t, dir, "lines.jsonl", []byte(lines))
	missing := filepath.Join(dir, "nope.json")
	c := collect(t, p, missing)
	if len(c.recs) != 3 {
		t.Fatalf("got %d records, want 3", len(c.recs))
	}
	if c.recs[1].Line != 4 || c.recs[2].Line != 6 {
		t.Errorf("lines: %d %d", c.recs[1].Line, c.recs[2].Line)
	}
	f := c.failures()
	if len(f) != 3 {
		t.Fatalf("want 3 failures, got %v", f)
	}
	// Unreadable paths are reported while listing, before reading.
	f = append(f[1:], f[0])
	if f[0].Line != 2 || f[0].File != p || !errors.Is(f[0].Err, ErrMalformed) {
		t.Errorf("first error: %+v", f[0])
	}
	if f[1].Line != 5 || !errors.Is(f[1].Err, ErrMalformed) {
		t.Errorf("second error: %+v", f[1])
	}
	if f[2].File != missing || !errors.Is(f[2].Err, os.ErrNotExist) {
		t.Errorf("missing file: %+v", f[2])
	}
	if !strings.Contains(f[0].Error(), "lines.jsonl:2") {
		t.Errorf("error text lacks file:line: %s", f[0].Error())
	}
}

func TestHugeLine(t *testing.T) {
	big := strings.Repeat("A", 50<<20)
	ev := `{"eventVersion":"1.08","eventSource":"s3.amazonaws.com","eventName":"PutObject","requestParameters":{"blob":"` + big + `"},"eventID":"big"}`
	bad := `{"eventVersion":"1.08","eventSource":"s3.amazonaws.com","x":"` + big + "\n"
	data := ct("A", "1") + "\n" + ev + "\n" + bad + ct("B", "2") + "\n"
	p := writeFile(t, t.TempDir(), "big.jsonl", []byte(data))
	c := collect(t, p)
	// The valid 50 MB event is beyond MaxEventBytes: reported and skipped;
	// the malformed one is reported; the events around them are read.
	if len(c.recs) != 2 || c.recs[1].Line != 4 {
		t.Fatalf("got %d records (want 2, the second on line 4): %+v", len(c.recs), c.recs)
	}
	f := c.failures()
	if len(f) != 2 || f[0].Line != 2 || !errors.Is(f[0].Err, ErrTooLarge) || f[1].Line != 3 || !errors.Is(f[1].Err, ErrMalformed) {
		t.Fatalf("want line 2 too large and line 3 malformed, got %v", f)
	}
	// Just under the limit: read.
	okEv := `{"eventVersion":"1.08","eventTime":"2023-07-10T12:11:15Z","eventSource":"s3.amazonaws.com","eventName":"PutObject","requestParameters":{"blob":"` + strings.Repeat("A", MaxEventBytes-250) + `"},"eventID":"ok"}`
	c = collect(t, writeFile(t, t.TempDir(), "ok.jsonl", []byte(okEv+"\n"+ct("B", "2")+"\n")))
	if len(c.recs) != 2 || len(c.recs[0].Raw) != len(okEv) || len(c.failures()) != 0 {
		t.Fatalf("an event under the limit: %d records, failures %v", len(c.recs), c.failures())
	}
}

func TestStopAndCancel(t *testing.T) {
	p := writeFile(t, t.TempDir(), "l.jsonl", []byte(ct("A", "1")+"\n"+ct("B", "2")+"\n"))
	stop := errors.New("stop here")
	n := 0
	err := ReadFile(context.Background(), p, func(Record) error { n++; return stop }, nil)
	if !errors.Is(err, stop) || n != 1 {
		t.Fatalf("fn error not returned: %v after %d", err, n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Walk(ctx, []string{p}, func(Record) error { return nil }, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled walk: %v", err)
	}
}

func TestTruncatedGzipJSONLines(t *testing.T) {
	var lines []string
	for i := 0; i < 2000; i++ {
		lines = append(lines, ct("GetUser", "id-"+strings.Repeat("9", i%17)+string(rune('a'+i%26))))
	}
	z := gz(t, []byte(strings.Join(lines, "\n")+"\n"))
	p := writeFile(t, t.TempDir(), "lines.jsonl.gz", z[:len(z)/2])
	c := collect(t, p)
	f := c.failures()
	if len(c.recs) == 0 || len(c.recs) >= 2000 || len(f) != 1 || !strings.Contains(f[0].Error(), "unexpected EOF") {
		t.Fatalf("%d records, failures %v", len(c.recs), f)
	}
	for i, r := range c.recs {
		if string(r.Raw) != lines[i] || r.Line != i+1 {
			t.Fatalf("record %d: line %d differs", i, r.Line)
		}
	}
}

// S3 event notifications share CloudTrail's {"Records":[...]} wrapper and
// eventVersion; they are not audit events.
func TestS3NotificationIsNotCloudTrail(t *testing.T) {
	n := `{"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1","eventTime":"2024-01-01T00:00:00.000Z","eventName":"ObjectCreated:Put","userIdentity":{"principalId":"AWS:AIDAEXAMPLE"},"s3":{"bucket":{"name":"b"},"object":{"key":"k"}}}]}`
	p := writeFile(t, t.TempDir(), "notification.json", []byte(n))
	c := collect(t, p)
	if len(c.recs) != 0 || len(c.errs) != 1 || !c.errs[0].Skipped {
		t.Fatalf("records %d, errors %v", len(c.recs), c.errs)
	}
	p = writeFile(t, t.TempDir(), "line.jsonl", []byte(`{"eventVersion":"2.1","eventSource":"aws:sqs","eventName":"x"}`+"\n"))
	if c := collect(t, p); len(c.recs) != 0 {
		t.Fatalf("SQS record taken as CloudTrail")
	}
}

// TestFormatTolerance: each source is recognised by the fields that identify
// it, not by one optional field (issue 7): a GCP LogEntry whose protoPayload
// lost its @type, or that arrives without logName (as some log sinks and
// SIEM exports deliver it), CloudTrail with and without the Records wrapper,
// Azure records in PascalCase (Log Analytics export) and camelCase.
func TestFormatTolerance(t *testing.T) {
	dir := t.TempDir()
	// gcloud logging read --format=json output with @type stripped by a
	// pipeline that flattens protobuf Any types, and no logName.
	gcpNoType := `{"insertId":"-x1y2z3e4","protoPayload":{"authenticationInfo":{"principalEmail":"dev@example.com"},"requestMetadata":{"callerIp":"203.0.113.7","callerSuppliedUserAgent":"google-cloud-sdk gcloud/460.0.0"},"serviceName":"cloudresourcemanager.googleapis.com","methodName":"SetIamPolicy","resourceName":"projects/prod-123","serviceData":{"policyDelta":{"bindingDeltas":[{"action":"ADD","role":"roles/owner","member":"user:attacker@gmail.com"}]}}},"resource":{"type":"project","labels":{"project_id":"prod-123"}},"timestamp":"2024-03-05T10:00:00.123Z","severity":"NOTICE","logName":"projects/prod-123/logs/cloudaudit.googleapis.com%2Factivity"}`
	gcpNoTypeNoLog := `{"insertId":"a9","protoPayload":{"serviceName":"compute.googleapis.com","methodName":"v1.compute.firewalls.insert","resourceName":"projects/prod-123/global/firewalls/allow-all","authenticationInfo":{"principalEmail":"dev@example.com"}},"resource":{"type":"gce_firewall_rule","labels":{"project_id":"prod-123"}},"timestamp":"2024-03-05T10:01:00Z"}`
	gcpTypeNoLog := `{"insertId":"b1","protoPayload":{"@type":"type.googleapis.com/google.cloud.audit.AuditLog","serviceName":"storage.googleapis.com","methodName":"storage.setIamPermissions","resourceName":"projects/_/buckets/b"},"timestamp":"2024-03-05T10:02:00Z"}`
	// Not an audit log: a protoPayload of another type (App Engine request log).
	gcpRequestLog := `{"insertId":"c1","protoPayload":{"@type":"type.googleapis.com/google.appengine.logging.v1.RequestLog","method":"GET","resource":"/"},"timestamp":"2024-03-05T10:02:00Z"}`
	writeFile(t, dir, "gcp.jsonl", []byte(strings.Join([]string{gcpNoType, gcpNoTypeNoLog, gcpTypeNoLog}, "\n")+"\n"))
	writeFile(t, dir, "gae.jsonl", []byte(gcpRequestLog+"\n"))
	writeFile(t, dir, "ct-bare.jsonl", []byte(ct("CreateUser", "u1")+"\n"+ct("AttachUserPolicy", "u2")+"\n"))
	writeFile(t, dir, "ct-records.json", []byte(`{"Records":[`+ct("CreateUser", "r1")+`]}`))
	azPascal := `{"TimeGenerated":"2024-03-05T10:00:00Z","Category":"Administrative","OperationNameValue":"MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE","ResourceId":"/SUBSCRIPTIONS/0000/PROVIDERS/MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/1","ActivityStatusValue":"Success","Caller":"admin@contoso.com"}`
	azCamel := `{"time":"2024-03-05T10:00:00Z","category":"Administrative","operationName":"MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE","resourceId":"/SUBSCRIPTIONS/0000/PROVIDERS/MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/1","resultType":"Success","caller":"admin@contoso.com"}`
	writeFile(t, dir, "az.jsonl", []byte(azPascal+"\n"+azCamel+"\n"))

	c := collect(t, dir)
	got := c.bySource()
	want := map[Source]int{GCPAudit: 3, AWSCloudTrail: 3, AzureActivity: 2}
	for s, n := range want {
		if got[s] != n {
			t.Errorf("%s: got %d, want %d (all %v; errors %v)", s, got[s], n, got, c.errs)
		}
	}
	for _, r := range c.recs {
		if r.Source != GCPAudit {
			continue
		}
		ev, err := Normalize(r)
		if err != nil {
			t.Errorf("%s:%d: normalize: %v", r.File, r.Line, err)
			continue
		}
		if ev == nil {
			t.Errorf("%s:%d: nil event", r.File, r.Line)
		}
	}
	var gaeSkipped bool
	for _, e := range c.errs {
		if strings.HasSuffix(e.File, "gae.jsonl") && e.Skipped && errors.Is(e.Err, ErrNotAuditLog) {
			gaeSkipped = true
			if e.Offset < 0 {
				t.Errorf("unrecognised event reported without offset: %v", e)
			}
		}
	}
	if !gaeSkipped {
		t.Errorf("an App Engine request log is not reported as not an audit log: %v", c.errs)
	}

	// Unrecognised after recognised events: reported with the file, the
	// line and the byte offset of the first unrecognised event.
	dir = t.TempDir()
	first := ct("CreateUser", "m1")
	mixed := writeFile(t, dir, "mixed.jsonl", []byte(first+"\n"+gcpRequestLog+"\n"+ct("CreateUser", "m2")+"\n"))
	c = collect(t, mixed)
	if len(c.recs) != 2 {
		t.Errorf("%d CloudTrail events read around the unrecognised one, want 2", len(c.recs))
	}
	var found bool
	for _, e := range c.errs {
		if e.File == mixed && errors.Is(e.Err, ErrNotAuditLog) {
			found = true
			if e.Line != 2 || e.Offset != int64(len(first)+1) {
				t.Errorf("unrecognised event reported at line %d offset %d, want line 2 offset %d", e.Line, e.Offset, len(first)+1)
			}
			if msg := e.Error(); !strings.Contains(msg, mixed+":2 (offset ") {
				t.Errorf("message %q does not name file, line and offset", msg)
			}
		}
	}
	if !found {
		t.Errorf("unrecognised event not reported: %v", c.errs)
	}
}
