package detect

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigil-sec/vigil/internal/logs"
)

// BenchmarkDetectCloudTrailLarge measures steady-state throughput: the
// invictus events (real CloudTrail, about 1.3 KB each) are written 100 times
// over into 8 CloudTrail log files of {"Records":[...]} (about 290,000
// events), then read and evaluated with every loadable SigmaHQ cloud rule,
// as BenchmarkDetectCloudTrail does for the 2,900-event original, where
// per-file and start-up costs weigh more.
func BenchmarkDetectCloudTrailLarge(b *testing.B) {
	files := largeTrailFiles(b)
	rules := corpus(b, "sigma-cloud")
	for _, bc := range []struct {
		name       string
		noBuiltins bool
	}{{"sigmahq", true}, {"sigmahq+builtin", false}} {
		b.Run(bc.name, func(b *testing.B) {
			benchRun(b, files, Config{RuleDirs: []string{rules}, NoBuiltins: bc.noBuiltins})
		})
	}
}

// largeTrailFiles writes the invictus CloudTrail events 100 times over into
// 8 {"Records":[...]} files (about 290,000 events) and returns their paths.
func largeTrailFiles(b *testing.B) []string {
	b.Helper()
	data := corpus(b, "logs", "aws_cloudtrail", "invictus-aws_dataset")
	ctx := context.Background()
	var raws [][]byte
	if err := logs.Walk(ctx, []string{data}, func(r logs.Record) error {
		if r.Source == logs.AWSCloudTrail {
			raws = append(raws, bytes.Clone(r.Raw))
		}
		return nil
	}, nil); err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	const copies, nfiles = 100, 8
	var files []string
	for f := range nfiles {
		var buf bytes.Buffer
		buf.WriteString(`{"Records":[`)
		first := true
		for c := f; c < copies; c += nfiles {
			for _, raw := range raws {
				if !first {
					buf.WriteByte(',')
				}
				first = false
				buf.Write(raw)
			}
		}
		buf.WriteString("]}")
		p := filepath.Join(dir, fmt.Sprintf("ct-%d.json", f))
		if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
			b.Fatal(err)
		}
		files = append(files, p)
	}
	return files
}
