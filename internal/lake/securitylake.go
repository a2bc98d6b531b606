package lake

import (
	"bufio"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// SecurityLakeStats counts what ExportSecurityLake wrote.
type SecurityLakeStats struct {
	Files  int // Parquet files written (one per source, class, region, account and day)
	Events int
}

// slGroup is one Security Lake file: the events of one source and OCSF class
// in one region, account and day.
type slGroup struct {
	source, class, region, account, day string
	classUID                            int64
}

// slGroupsSQL lists the export's files; slEventsSQL selects one file's OCSF
// events, sorted by time. The day is computed from the epoch (UTC) so no
// time-zone extension is needed. The filter on the partition columns source
// and date (the UTC day, as eventDay) lets DuckDB read only that day's files.
const slGroupsSQL = `SELECT DISTINCT source, class_uid, class_name,
  coalesce(nullif(region, ''), 'global'), coalesce(nullif(account_uid, ''), 'unknown'),
  strftime(make_timestamp(epoch_us("time")), '%Y%m%d')
FROM events ORDER BY 1, 2, 4, 5, 6`

const slEventsSQL = `SELECT ocsf FROM events WHERE source = ? AND "date" = strptime(?, '%Y%m%d')::DATE AND class_uid = ?
  AND coalesce(nullif(region, ''), 'global') = ? AND coalesce(nullif(account_uid, ''), 'unknown') = ?
  AND strftime(make_timestamp(epoch_us("time")), '%Y%m%d') = ?
ORDER BY "time", event_hash`

// ExportSecurityLake writes the lake's events under out in Amazon Security
// Lake's custom-source layout:
//
//	out/ext/<source name>/region=<region>/accountId=<account>/eventDay=<YYYYMMDD>/<file>.parquet
//
// A Security Lake custom source carries one OCSF class, so the source name is
// vigil-<log source>-<class> (vigil-aws_cloudtrail-api_activity). Each file
// holds the full OCSF events as nested columns (not JSON text), sorted by
// time. Events without a region are filed under region=global, without an
// account under accountId=unknown. Files are written atomically and named by
// their content, so exporting again rewrites nothing.
func (l *Lake) ExportSecurityLake(ctx context.Context, out string) (SecurityLakeStats, error) {
	var st SecurityLakeStats
	db, err := l.DB(ctx)
	if err != nil {
		return st, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, slGroupsSQL)
	if err != nil {
		return st, fmt.Errorf("lake: security lake export: %w", err)
	}
	var groups []slGroup
	for rows.Next() {
		var g slGroup
		if err := rows.Scan(&g.source, &g.classUID, &g.class, &g.region, &g.account, &g.day); err != nil {
			rows.Close()
			return st, fmt.Errorf("lake: security lake export: %w", err)
		}
		groups = append(groups, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return st, fmt.Errorf("lake: security lake export: %w", err)
	}
	tmpDir, err := os.MkdirTemp("", "vigil-securitylake-")
	if err != nil {
		return st, fmt.Errorf("lake: %w", err)
	}
	defer os.RemoveAll(tmpDir)
	for _, g := range groups {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		n, err := exportGroup(ctx, db, tmpDir, out, g)
		if err != nil {
			return st, err
		}
		st.Files++
		st.Events += n
	}
	return st, nil
}

// slSourceName is the Security Lake custom-source name of a log source and
// OCSF class: letters, digits, '-' and '_' only.
func slSourceName(source, class string) string {
	return "vigil-" + slPart(source) + "-" + slPart(strings.ToLower(strings.ReplaceAll(class, " ", "_")))
}

// slPart makes a partition value safe as one directory name.
func slPart(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, s)
}

// exportGroup writes one group's events as newline-delimited JSON to a
// temporary file, then lets DuckDB infer the nested schema from every event
// and write the Parquet file.
func exportGroup(ctx context.Context, db *sql.DB, tmpDir, out string, g slGroup) (int, error) {
	rows, err := db.QueryContext(ctx, slEventsSQL, g.source, g.day, g.classUID, g.region, g.account, g.day)
	if err != nil {
		return 0, fmt.Errorf("lake: security lake export: %w", err)
	}
	jsonPath := filepath.Join(tmpDir, "events.json")
	f, err := os.Create(jsonPath)
	if err != nil {
		rows.Close()
		return 0, fmt.Errorf("lake: %w", err)
	}
	w := bufio.NewWriter(f)
	h := sha256.New()
	n := 0
	for rows.Next() {
		var ev string
		if err := rows.Scan(&ev); err != nil {
			rows.Close()
			f.Close()
			return 0, fmt.Errorf("lake: security lake export: %w", err)
		}
		w.WriteString(ev)
		w.WriteByte('\n')
		io.WriteString(h, ev)
		n++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		f.Close()
		return 0, fmt.Errorf("lake: security lake export: %w", err)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return 0, fmt.Errorf("lake: %w", err)
	}
	if err := f.Close(); err != nil {
		return 0, fmt.Errorf("lake: %w", err)
	}
	dir := filepath.Join(out, "ext", slSourceName(g.source, g.class),
		"region="+slPart(g.region), "accountId="+slPart(g.account), "eventDay="+g.day)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, fmt.Errorf("lake: %w", err)
	}
	final := filepath.Join(dir, "vigil-"+hex.EncodeToString(h.Sum(nil)[:12])+".parquet")
	if _, err := os.Stat(final); err == nil {
		return n, nil // same content already exported
	}
	tmp := filepath.Join(dir, fmt.Sprintf(".tmp-export-%d.parquet", time.Now().UnixNano()))
	// The nested schema comes from the JSON types of every event
	// (json_group_structure), not from guesses on string values (read_json
	// would make UUID-like account ids UUIDs and date-like strings
	// timestamps, so the same attribute would change type between files).
	src := "read_ndjson_objects(" + sqlString(jsonPath) + ")"
	var structure string
	if err := db.QueryRowContext(ctx, "SELECT json_group_structure(json)::VARCHAR FROM "+src).Scan(&structure); err != nil {
		return 0, fmt.Errorf("lake: write %s: %w", final, err)
	}
	q := fmt.Sprintf("COPY (SELECT unnest(json_transform(json, %s)) FROM %s) TO %s (FORMAT PARQUET, COMPRESSION ZSTD)",
		sqlString(structure), src, sqlString(tmp))
	if _, err := db.ExecContext(ctx, q); err != nil {
		os.Remove(tmp)
		return 0, fmt.Errorf("lake: write %s: %w", final, err)
	}
	if err := os.Rename(tmp, final); err != nil {
		os.Remove(tmp)
		return 0, fmt.Errorf("lake: %w", err)
	}
	syncDir(dir)
	return n, nil
}
