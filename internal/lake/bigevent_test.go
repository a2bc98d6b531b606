package lake

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A large event must not be copied into the Parquet statistics: with min/max
// bounds on the raw and ocsf columns, a 4 MB event made a file many times its
// compressed size. The part file stays close to the compressed event size,
// and the event reads back whole.
func TestLargeEventFileSize(t *testing.T) {
	dir := t.TempDir()
	l, _ := Open(dir)
	in := t.TempDir()
	// Incompressible-ish payload: distinct numbers, 3.9 MB (just under
	// the largest event logs.MaxEventBytes lets through).
	var b strings.Builder
	for i := 0; b.Len() < 4<<20-100<<10; i++ {
		fmt.Fprintf(&b, "%d-%x,", i, i*2654435761)
	}
	ev := fmt.Sprintf(`{"Records":[{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/u","accountId":"111122223333","userName":"u"},"eventTime":"2024-03-14T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"PutBucketPolicy","awsRegion":"us-east-1","sourceIPAddress":"192.0.2.1","userAgent":"aws-cli/2.15.0","requestParameters":{"bucketName":"b","blob":%q},"responseElements":null,"requestID":"R1","eventID":"e-1","readOnly":false,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111122223333"}]}`, b.String())
	if err := os.WriteFile(filepath.Join(in, "big.json"), []byte(ev), 0o644); err != nil {
		t.Fatal(err)
	}
	st, errs := ingest(t, l, in)
	if len(errs) != 0 || st.Stored["aws_cloudtrail"] != 1 {
		t.Fatalf("ingest: %+v %v", st, errs)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "source=aws_cloudtrail", "date=*", "*.parquet"))
	if len(files) != 1 {
		t.Fatalf("part files: %v", files)
	}
	fi, err := os.Stat(files[0])
	if err != nil {
		t.Fatal(err)
	}
	// raw and ocsf each hold the 4 MB value once, zstd-compressed (about 1.5 MB
	// each for this payload); bounds would add four more copies uncompressed.
	t.Logf("part file of one %d-byte event: %d bytes", len(ev), fi.Size())
	if fi.Size() > 6<<20 {
		t.Errorf("part file of one 4 MB event is %d bytes: statistics copy the event", fi.Size())
	}
	if n := one(t, l, "SELECT length(raw) FROM events"); n != fmt.Sprint(len(ev)-len(`{"Records":[`)-len(`]}`)) {
		t.Errorf("raw length %s, want %d", n, len(ev)-14)
	}
}

// Progress reports rising counts and ends with every file and event.
func TestIngestProgress(t *testing.T) {
	l, _ := Open(t.TempDir())
	input := writeCloudTrailFiles(t, 6, 300)
	var seen []IngestProgress
	st, err := l.Ingest(t.Context(), []string{input}, IngestOptions{
		Progress:      func(p IngestProgress) { seen = append(seen, p) },
		ProgressEvery: time.Nanosecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) < 2 {
		t.Fatalf("progress called %d times", len(seen))
	}
	for i := 1; i < len(seen); i++ {
		if seen[i].Events < seen[i-1].Events || seen[i].Files < seen[i-1].Files {
			t.Errorf("progress went back: %+v then %+v", seen[i-1], seen[i])
		}
	}
	last := seen[len(seen)-1]
	if last.Files != st.Files || last.Events != 1800 || st.Stored["aws_cloudtrail"] != 1800 {
		t.Errorf("last progress %+v, stats %+v", last, st)
	}
}
