package lake

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportSecurityLake ingests the samples of every source, exports them in
// the Security Lake custom-source layout and reads the files back with DuckDB
// using the partition columns: every stored event comes back once, in a file
// holding one OCSF class, under its source, region, account and day, with
// the OCSF attributes as nested columns.
func TestExportSecurityLake(t *testing.T) {
	ctx := context.Background()
	l, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	st, _ := ingest(t, l, samples)
	stored := 0
	for _, n := range st.Stored {
		stored += n
	}
	if stored == 0 {
		t.Fatal("nothing ingested from the samples")
	}
	out := t.TempDir()
	ex, err := l.ExportSecurityLake(ctx, out)
	if err != nil {
		t.Fatalf("ExportSecurityLake: %v", err)
	}
	if ex.Events != stored || ex.Files == 0 {
		t.Fatalf("exported %d events in %d files, want %d events", ex.Events, ex.Files, stored)
	}
	files, _ := filepath.Glob(filepath.Join(out, "ext", "*", "region=*", "accountId=*", "eventDay=*", "*.parquet"))
	if len(files) != ex.Files {
		t.Fatalf("%d files in the layout, stats say %d", len(files), ex.Files)
	}
	for _, f := range files {
		if strings.Contains(filepath.Base(f), ".tmp-") {
			t.Errorf("temporary file left: %s", f)
		}
	}

	db, err := l.DB(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	glob := sqlString(filepath.Join(out, "ext", "*", "*", "*", "*", "*.parquet"))
	read := "read_parquet(" + glob + ", hive_partitioning = true, union_by_name = true, filename = true,\n" +
		"  hive_types = {'region': VARCHAR, 'accountId': VARCHAR, 'eventDay': VARCHAR})"
	var n, classes, perFile int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM "+read).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != stored {
		t.Errorf("read back %d events, want %d", n, stored)
	}
	// One OCSF class per file.
	if err := db.QueryRowContext(ctx, "SELECT max(c) FROM (SELECT count(DISTINCT class_uid) c FROM "+read+" GROUP BY filename)").Scan(&perFile); err != nil {
		t.Fatal(err)
	}
	if perFile != 1 {
		t.Errorf("a file holds %d OCSF classes, want 1", perFile)
	}
	if err := db.QueryRowContext(ctx, "SELECT count(DISTINCT class_uid) FROM "+read).Scan(&classes); err != nil {
		t.Fatal(err)
	}
	if classes < 2 {
		t.Errorf("samples exported %d OCSF classes, want several", classes)
	}
	// The partition columns agree with the events, and the OCSF attributes
	// are nested columns (cloud.account.uid), not JSON text.
	var mismatch int
	q := `SELECT count(*) FROM ` + read + ` WHERE
	  coalesce(nullif(cloud.region, ''), 'global') <> region
	  OR strftime(make_timestamp(("time")::BIGINT * 1000), '%Y%m%d') <> eventDay`
	if err := db.QueryRowContext(ctx, q).Scan(&mismatch); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	if mismatch != 0 {
		t.Errorf("%d events filed under another region or day than their own", mismatch)
	}
	// Account ids stay text in every file (Azure subscription ids are not
	// turned into UUIDs), so the files of one source union by name.
	var cloudType string
	if err := db.QueryRowContext(ctx, "SELECT column_type FROM (DESCRIBE SELECT cloud FROM "+read+")").Scan(&cloudType); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(cloudType, "uid VARCHAR") {
		t.Errorf("cloud column type %s: want account uid VARCHAR", cloudType)
	}
	var acct string
	if err := db.QueryRowContext(ctx, `SELECT accountId FROM `+read+` WHERE class_uid = 6003 AND cloud.provider = 'AWS' AND cloud.account.uid IS NOT NULL LIMIT 1`).Scan(&acct); err != nil {
		t.Fatalf("no AWS API Activity with an account read back: %v", err)
	}
	if acct == "unknown" || acct == "" {
		t.Errorf("AWS event filed under accountId=%q", acct)
	}
	// Sorted by time inside each file.
	var unsorted int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT "time" < lag("time") OVER (PARTITION BY filename ORDER BY file_row_number) AS back FROM read_parquet(`+glob+`, filename = true, file_row_number = true, union_by_name = true)) WHERE back`).Scan(&unsorted); err != nil {
		t.Fatal(err)
	}
	if unsorted != 0 {
		t.Errorf("%d events out of time order in their file", unsorted)
	}
	// Exporting again writes the same files.
	if _, err := l.ExportSecurityLake(ctx, out); err != nil {
		t.Fatal(err)
	}
	again, _ := filepath.Glob(filepath.Join(out, "ext", "*", "*", "*", "*", "*"))
	if len(again) != len(files) {
		t.Errorf("second export: %d files, want %d", len(again), len(files))
	}
	if _, err := os.Stat(filepath.Join(out, "ext", "vigil-aws_cloudtrail-api_activity")); err != nil {
		t.Errorf("source folder: %v", err)
	}
}
