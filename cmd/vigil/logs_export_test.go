package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// vigil logs export: an empty lake says so with exit 2; after an ingest the
// Security Lake layout is written and reported.
func TestLogsExportSecurityLake(t *testing.T) {
	lake, out := t.TempDir(), t.TempDir()
	if code, _ := runCLI(t, "logs", "export", "--lake", lake, out); code != exitUsage {
		t.Errorf("empty lake: exit %d, want %d", code, exitUsage)
	}
	if code, _ := runCLI(t, "logs", "ingest", "--lake", lake, "../../internal/logs/testdata/samples"); code != 0 {
		t.Fatalf("ingest: exit %d", code)
	}
	code, msg := runCLI(t, "logs", "export", "--lake", lake, out)
	if code != 0 || !strings.Contains(msg, "exported") {
		t.Fatalf("export: exit %d, output %q", code, msg)
	}
	files, _ := filepath.Glob(filepath.Join(out, "ext", "vigil-aws_cloudtrail-api_activity", "region=*", "accountId=*", "eventDay=*", "*.parquet"))
	if len(files) == 0 {
		t.Errorf("no CloudTrail API Activity files in the Security Lake layout under %s", out)
	}
}
