package detect

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tidwall/gjson"

	"github.com/vigil-sec/vigil/internal/logs"
)

// BenchmarkDetectCloudTrailLarge measures steady-state throughput: the
// invictus events (real CloudTrail, about 1.3 KB each) are written 100 times
// over into 8 CloudTrail log files of {"Records":[...]} (about 290,000
// events), then read and evaluated with every loadable SigmaHQ cloud rule,
// as BenchmarkDetectCloudTrail does for the 2,900-event original, where
// per-file and start-up costs weigh more. Each copy is its own events (its
// own eventIDs, an hour after the copy before it; the set spans 55
// minutes), so that de-duplication does not drop the copies and the
// correlations see a stream in time order, as from a real trail.
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
func largeTrailFiles(b testing.TB) []string { return trailFiles(b, b.TempDir(), 0, 100, 8) }

// trailFiles writes copies first, first+1, ... first+copies-1 of the
// invictus CloudTrail events (see copyOf) into nfiles {"Records":[...]}
// files in dir, in order, and returns their paths.
func trailFiles(b testing.TB, dir string, first, copies, nfiles int) []string {
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
	var files []string
	for f := range nfiles {
		var buf bytes.Buffer
		buf.WriteString(`{"Records":[`)
		firstEv := true
		for c := first + f*copies/nfiles; c < first+(f+1)*copies/nfiles; c++ {
			for _, raw := range raws {
				if !firstEv {
					buf.WriteByte(',')
				}
				firstEv = false
				buf.Write(copyOf(b, raw, c))
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

// copyOf returns copy c of a CloudTrail event: its eventID suffixed with
// the copy number and its eventTime c hours later.
func copyOf(b testing.TB, raw []byte, c int) []byte {
	if c == 0 {
		return raw
	}
	out := raw
	if v := gjson.GetBytes(out, "eventTime"); v.Index > 0 {
		t, err := time.Parse(time.RFC3339, v.Str)
		if err != nil {
			b.Fatal(err)
		}
		ts := `"` + t.Add(time.Duration(c)*time.Hour).Format(time.RFC3339) + `"`
		out = append(append(append([]byte(nil), out[:v.Index]...), ts...), out[v.Index+len(v.Raw):]...)
	}
	if v := gjson.GetBytes(out, "eventID"); v.Index > 0 {
		id := fmt.Sprintf(`"%s-%03d"`, v.Str, c)
		out = append(append(append([]byte(nil), out[:v.Index]...), id...), out[v.Index+len(v.Raw):]...)
	}
	return out
}
