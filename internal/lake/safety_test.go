package lake

import (
	"bytes"
	"context"
	stdjson "encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"

	"github.com/vigil-sec/vigil/internal/logs"
)

func TestIngestIdempotent(t *testing.T) {
	l, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	per, files := countRecords(t, samples)
	events := 0
	for _, n := range per {
		events += n
	}
	first, _ := ingest(t, l, samples)
	stored := 0
	for _, n := range first.Stored {
		stored += n
	}
	if stored != events || first.Files != files {
		t.Fatalf("first ingest: %+v, want %d events from %d files", first, events, files)
	}
	count := func() string { return one(t, l, "SELECT count(*) FROM events") }
	if c := count(); c != itoa(events) {
		t.Fatalf("count after first ingest: %s", c)
	}

	// Same files again: recognised by content, nothing read or written.
	second, _ := ingest(t, l, samples)
	if second.AlreadyDone != files || second.Files != 0 || second.PartsWritten != 0 {
		t.Fatalf("second ingest: %+v", second)
	}
	// The same events under another name and compressed: the file is new,
	// its events are not.
	data, err := os.ReadFile(filepath.Join(samples, "gcp_audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "copy.jsonl.gz")
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(data)
	zw.Close()
	os.WriteFile(p, b.Bytes(), 0o644)
	gcpPer, _ := countRecords(t, filepath.Join(samples, "gcp_audit.jsonl"))
	third, _ := ingest(t, l, p)
	if third.Files != 1 || third.Duplicates != gcpPer[logs.GCPAudit] || len(third.Stored) != 0 {
		t.Fatalf("renamed copy: %+v", third)
	}
	// Forced re-read: every event is a duplicate.
	forced, err := l.Ingest(context.Background(), []string{samples}, IngestOptions{Force: true})
	if err != nil || forced.Duplicates != events || forced.PartsWritten != 0 {
		t.Fatalf("forced: %+v %v", forced, err)
	}
	if c := count(); c != itoa(events) {
		t.Fatalf("count after re-ingests: %s", c)
	}
}

// A crash can leave a hidden temporary part file and events stored without
// their file being recorded. Neither may show in queries or cause duplicates.
func TestCrashLeftovers(t *testing.T) {
	dir := t.TempDir()
	l, _ := Open(dir)
	per, files := countRecords(t, samples)
	events := 0
	for _, n := range per {
		events += n
	}
	ingest(t, l, samples)
	part := filepath.Join(dir, "source=gcp_audit", "date=2024-03-14")
	if err := os.WriteFile(filepath.Join(part, ".tmp-part-0123.parquet-999"), []byte("PAR1 half a file"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(dir, manifestDir)); err != nil {
		t.Fatal(err)
	}
	st, _ := ingest(t, l, samples)
	if st.Files != files || st.Duplicates != events || st.PartsWritten != 0 {
		t.Fatalf("re-ingest after lost manifest: %+v", st)
	}
	// The next ingest removes the leftover under its lock.
	if st.LeftoversRemoved != 1 {
		t.Errorf("leftovers removed: %d, want 1", st.LeftoversRemoved)
	}
	if left, _ := filepath.Glob(filepath.Join(part, ".tmp-*")); len(left) != 0 {
		t.Errorf("temporary files still there: %v", left)
	}
	if c := one(t, l, "SELECT count(*) FROM events"); c != itoa(events) {
		t.Fatalf("count: %s", c)
	}
}

const ctTemplate = `{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLE%[1]d","arn":"arn:aws:iam::111122223333:user/u%[2]d","accountId":"111122223333","userName":"u%[2]d"},"eventTime":"%[3]s","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1","sourceIPAddress":"192.0.2.%[4]d","userAgent":"aws-cli/2.15.0","requestParameters":{"bucketName":"b","key":"k/%[1]d"},"responseElements":null,"requestID":"R%[1]d","eventID":"e-%[1]d","readOnly":true,"eventType":"AwsApiCall","managementEvent":false,"recipientAccountId":"111122223333"}`

// writeCloudTrailFiles writes files×per distinct events as CloudTrail log
// files in the S3 layout; it returns the directory.
func writeCloudTrailFiles(t *testing.T, files, per int) string {
	root := t.TempDir()
	base := time.Date(2024, 3, 14, 0, 0, 0, 0, time.UTC)
	n := 0
	for f := 0; f < files; f++ {
		var recs []string
		for i := 0; i < per; i++ {
			ts := base.Add(time.Duration(n) * 7 * time.Second).Format(time.RFC3339)
			recs = append(recs, fmt.Sprintf(ctTemplate, n, n%50, ts, n%250))
			n++
		}
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write([]byte(`{"Records":[` + strings.Join(recs, ",") + `]}`))
		zw.Close()
		day := base.Add(time.Duration(n) * 7 * time.Second)
		dir := filepath.Join(root, "AWSLogs", "111122223333", "CloudTrail", "us-east-1", day.Format("2006/01/02"))
		os.MkdirAll(dir, 0o755)
		name := fmt.Sprintf("111122223333_CloudTrail_us-east-1_%sZ_%04d.json.gz", day.Format("20060102T1504"), f)
		if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// TestHelperIngestProcess is the child of TestKillMidIngest.
func TestHelperIngestProcess(t *testing.T) {
	lakeDir, input := os.Getenv("VIGIL_TEST_LAKE"), os.Getenv("VIGIL_TEST_INPUT")
	if lakeDir == "" {
		t.Skip("helper process only")
	}
	l, _ := Open(lakeDir)
	if _, err := l.Ingest(context.Background(), []string{input}, IngestOptions{FlushBytes: 1 << 20}); err != nil {
		t.Fatal(err)
	}
}

// TestKillMidIngest kills an ingest with SIGKILL while it writes part files,
// then checks that what was written is readable and that ingesting again
// stores every event exactly once.
func TestKillMidIngest(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	const files, per = 40, 500
	input := writeCloudTrailFiles(t, files, per)
	lakeDir := t.TempDir()
	for attempt := 0; attempt < 3; attempt++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperIngestProcess$")
		cmd.Env = append(os.Environ(), "VIGIL_TEST_LAKE="+lakeDir, "VIGIL_TEST_INPUT="+input)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait for the first committed part file, then kill.
		deadline := time.Now().Add(60 * time.Second)
		for time.Now().Before(deadline) {
			m, _ := filepath.Glob(Glob(lakeDir, "*"))
			if len(m) > attempt {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		if cmd.ProcessState.Success() {
			t.Logf("attempt %d: child finished before the kill", attempt)
		}
	}
	l, _ := Open(lakeDir)
	before, _ := strconv.Atoi(one(t, l, "SELECT count(*) FROM events"))
	if before >= files*per {
		t.Fatalf("all %d events were stored before a kill landed: the test did not interrupt an ingest", before)
	}
	if d := one(t, l, "SELECT count(*) - count(DISTINCT event_hash) FROM events"); d != "0" {
		t.Fatalf("%s duplicate events after kills", d)
	}
	st, errs := ingest(t, l, input)
	if len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
	if got := one(t, l, "SELECT count(*) FROM events"); got != strconv.Itoa(files*per) {
		t.Fatalf("after kill (had %d) and re-ingest: %s events, want %d (stats %+v)", before, got, files*per, st)
	}
	if d := one(t, l, "SELECT count(*) - count(DISTINCT event_uid) FROM events"); d != "0" {
		t.Fatalf("%s duplicate events", d)
	}
	// Row for row the same as an uninterrupted ingest of the same input.
	clean, _ := Open(t.TempDir())
	ingest(t, clean, input)
	const rowsHash = "SELECT md5(string_agg(event_hash || md5(raw) || md5(ocsf) || epoch_ms(\"time\")::VARCHAR, ',' ORDER BY event_hash)) FROM events"
	if a, b := one(t, l, rowsHash), one(t, clean, rowsHash); a != b {
		t.Errorf("rows after kill and re-ingest differ from an uninterrupted ingest (%s vs %s)", a, b)
	}
	if left, _ := filepath.Glob(filepath.Join(lakeDir, "source=*", "date=*", ".tmp-*")); len(left) != 0 {
		t.Errorf("temporary files of the killed runs left after re-ingest: %v", left)
	}
	t.Logf("killed with %d of %d events stored; re-ingest stored %d, skipped %d duplicates", before, files*per, st.Stored["aws_cloudtrail"], st.Duplicates)
}

func TestIngestLock(t *testing.T) {
	l, _ := Open(t.TempDir())
	unlock, err := l.lock()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Ingest(context.Background(), []string{samples}, IngestOptions{}); !errors.Is(err, ErrBusy) {
		t.Fatalf("concurrent ingest: %v", err)
	}
	unlock()
	if _, err := l.Ingest(context.Background(), []string{samples}, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
}

// A lake that cannot be written fails the ingest with an error (no hang) and
// records no input file as ingested.
func TestIngestLakeWriteError(t *testing.T) {
	dir := t.TempDir()
	l, _ := Open(dir)
	if err := os.WriteFile(filepath.Join(dir, "source=gcp_audit"), []byte("not a directory"), 0o644); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := l.Ingest(context.Background(), []string{samples}, IngestOptions{})
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "source=gcp_audit") {
			t.Fatalf("want an error naming the partition, got %v", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("ingest hung after a write error")
	}
	if m, _ := filepath.Glob(filepath.Join(dir, manifestDir, "*.jsonl")); len(m) != 0 {
		t.Fatalf("files recorded as ingested after a failed ingest: %v", m)
	}
}

// Parts are written in the background while the next buffer fills: a part
// that cannot be written (its partition's parent is a dangling symlink, so
// reading the partition finds nothing but creating it fails) still fails the
// ingest, names the partition, and records no file as ingested.
func TestIngestBackgroundWriteError(t *testing.T) {
	dir := t.TempDir()
	l, _ := Open(dir)
	if err := os.Symlink(filepath.Join(dir, "missing"), filepath.Join(dir, "source=gcp_audit")); err != nil {
		t.Fatal(err)
	}
	// Tiny buffers: parts are written while reading goes on.
	st, err := l.Ingest(context.Background(), []string{samples}, IngestOptions{FlushBytes: 1})
	if err == nil || !strings.Contains(err.Error(), "source=gcp_audit") {
		t.Fatalf("want an error naming the partition, got %v (%+v)", err, st)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, manifestDir, "*.jsonl")); len(m) != 0 {
		t.Fatalf("files recorded as ingested after a failed ingest: %v", m)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "source=*", "date=*", ".tmp-*")); len(m) != 0 {
		t.Fatalf("temporary files left: %v", m)
	}
}

// The events and OCSF encodings of an ingest are copied into arena chunks
// that are used again once the parts referring to them are written, and
// the parts' Parquet writers are reused: with small buffers (a part every
// few thousand events) chunks and writers are reused many times, and every
// stored row is still its own event's.
func TestIngestRecyclesArenas(t *testing.T) {
	input := writeCloudTrailFiles(t, 40, 500)
	want := map[string]string{}
	row := func(cells ...string) string { return strings.Join(cells, "\n") }
	if err := logs.Walk(context.Background(), []string{input}, func(r logs.Record) error {
		ev, err := logs.Normalize(r)
		if err != nil {
			t.Fatal(err)
		}
		b, err := stdjson.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		c := ev.Common()
		want[EventHashOf(r.Source, r.Raw)] = row(string(r.Raw), string(b), time.UnixMilli(c.Time).UTC().Format(time.RFC3339Nano),
			c.Metadata.UID, c.Cloud.Account.UID, c.Actor.User.Name, c.SrcEndpoint.IP, c.API.Operation)
		return nil
	}, nil); err != nil {
		t.Fatal(err)
	}
	l, _ := Open(t.TempDir())
	pool := &chunkPool{}
	st, err := l.ingest(context.Background(), []string{input}, IngestOptions{FlushBytes: 2 << 20}, pool)
	if err != nil {
		t.Fatal(err)
	}
	if st.PartsWritten < 5 || pool.reused < 5 {
		t.Fatalf("%d parts written, %d chunks reused: the test does not recycle chunks", st.PartsWritten, pool.reused)
	}
	got := query(t, l, "SELECT event_hash, raw, ocsf, time, event_uid, account_uid, actor_user_name, src_ip, api_operation FROM events")
	if len(got) != len(want) || len(want) != 40*500 {
		t.Fatalf("%d rows, want %d", len(got), len(want))
	}
	for _, r := range got {
		if w := want[r[0]]; row(r[1:]...) != w {
			t.Fatalf("event %s: stored\n%s\nwant\n%s", r[0], row(r[1:]...), w)
		}
	}
}

// TestLastBufferSplit: the last buffer's one partition is written as two
// part files, one per writer (with two or more CPUs), holding every event
// once; a forced re-ingest finds them all in either file.
func TestLastBufferSplit(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("one writer: nothing to split for")
	}
	input := writeCloudTrailFiles(t, 8, 500) // 4,000 events of 2024-03-14
	l, _ := Open(t.TempDir())
	st, errs := ingest(t, l, input)
	if len(errs) != 0 || st.Stored["aws_cloudtrail"] != 4000 {
		t.Fatalf("ingest: %+v %v", st, errs)
	}
	parts, _ := filepath.Glob(filepath.Join(l.Dir, "source=aws_cloudtrail", "date=2024-03-14", "*.parquet"))
	if len(parts) != 2 || st.PartsWritten != 2 {
		t.Fatalf("%d part files (%d written), want the partition's 4,000 rows in 2", len(parts), st.PartsWritten)
	}
	if got := one(t, l, "SELECT count(DISTINCT event_hash) || ' ' || count(*) FROM events"); got != "4000 4000" {
		t.Fatalf("distinct events and rows: %s", got)
	}
	for _, p := range parts {
		if n := one(t, l, "SELECT count(*) FROM read_parquet('"+p+"')"); n != "2000" {
			t.Errorf("%s holds %s rows, want 2000", p, n)
		}
	}
	forced, err := l.Ingest(context.Background(), []string{input}, IngestOptions{Force: true})
	if err != nil || forced.Duplicates != 4000 || forced.PartsWritten != 0 {
		t.Fatalf("forced re-ingest: %+v %v", forced, err)
	}
}

// TestIngestSameSizeAndContent: files are hashed after they are handed to
// the reader when their size is new, before when a file of their size was
// ingested or read before. A copy of a file in the same run is read once;
// a file of an ingested file's size but other content is ingested; its
// copy in a later run is recognised.
func TestIngestSameSizeAndContent(t *testing.T) {
	dir := t.TempDir()
	a := `{"Records":[` + fmt.Sprintf(ctTemplate, 1, 1, "2024-03-14T10:00:00Z", 1) + `]}`
	b := strings.Replace(a, "10:00:00Z", "11:00:00Z", 1) // same size, another event
	c := strings.Replace(a, "10:00:00Z", "12:00:00Z", 1)
	if len(a) != len(b) || a == b {
		t.Fatal("test files")
	}
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	l, _ := Open(t.TempDir())
	st, errs := ingest(t, l, write("a.json", a), write("a-copy.json", a))
	if len(errs) != 0 || st.Files != 1 || st.AlreadyDone != 1 || st.Stored["aws_cloudtrail"] != 1 {
		t.Fatalf("a and its copy: %+v %v", st, errs)
	}
	st, _ = ingest(t, l, write("b.json", b), write("a-again.json", a))
	if st.Files != 1 || st.AlreadyDone != 1 || st.Stored["aws_cloudtrail"] != 1 || st.Duplicates != 0 {
		t.Fatalf("b (size of a) and a again: %+v", st)
	}
	st, _ = ingest(t, l, write("b-copy.json", b), write("c.json", c))
	if st.Files != 1 || st.AlreadyDone != 1 || st.Stored["aws_cloudtrail"] != 1 {
		t.Fatalf("b's copy and c: %+v", st)
	}
	if got := one(t, l, "SELECT count(*) FROM events"); got != "3" {
		t.Fatalf("%s events, want 3", got)
	}
}

// TestManifestOldEntries: a lake whose manifest records files by SHA-256
// only (written before the BLAKE3 entries) still skips them; new entries
// give the BLAKE3.
func TestManifestOldEntries(t *testing.T) {
	dir := t.TempDir()
	a := `{"Records":[` + fmt.Sprintf(ctTemplate, 1, 1, "2024-03-14T10:00:00Z", 1) + `]}`
	b := strings.Replace(a, "10:00:00Z", "11:00:00Z", 1) // a's size
	pa, pb := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")
	os.WriteFile(pa, []byte(a), 0o644)
	os.WriteFile(pb, []byte(b), 0o644)
	l, _ := Open(t.TempDir())
	ingest(t, l, pa)
	ms, _ := filepath.Glob(filepath.Join(l.Dir, manifestDir, "*.jsonl"))
	if len(ms) != 1 {
		t.Fatalf("manifests %v", ms)
	}
	var m manifestEntry
	data, _ := os.ReadFile(ms[0])
	if err := stdjson.Unmarshal(data, &m); err != nil || len(m.BLAKE3) != 64 || m.SHA256 != "" || m.Size != int64(len(a)) {
		t.Fatalf("new entry %s: %+v %v", data, m, err)
	}
	// As an older vigil wrote it.
	old := fmt.Sprintf(`{"sha256":%q,"path":%q,"size":%d,"events":1,"ingested":"2026-12-01T00:00:00Z"}`+"\n", sha256Hex([]byte(a)), pa, len(a))
	if err := os.WriteFile(ms[0], []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	st, _ := ingest(t, l, pa, pb)
	if st.AlreadyDone != 1 || st.Files != 1 || st.Stored["aws_cloudtrail"] != 1 {
		t.Fatalf("a (old entry) and b: %+v", st)
	}
}
