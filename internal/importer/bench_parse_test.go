package importer

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
)

// BenchmarkParse measures each cloud's files of the 100,000-resource
// inventory of -load-mix parsed alone (detect, decode, normalize, the
// file's own joins, Raw dropped as importer.Files drops it) on one core,
// without the merge, finishers and derivation of BenchmarkLoad: CPU
// milliseconds per pass over the cloud's files, for before/after pairs of
// one format's parser (less noisy on a loaded machine than the whole
// import).
func BenchmarkParse(b *testing.B) {
	dir := benchInventory(b, 100000)
	for _, cloud := range []string{"aws", "azure", "gcp"} {
		b.Run(cloud, func(b *testing.B) {
			ents, err := os.ReadDir(filepath.Join(dir, cloud))
			if err != nil {
				b.Fatal(err)
			}
			paths := make([]string, len(ents))
			files := make([][]byte, len(ents))
			for i, e := range ents {
				paths[i] = filepath.Join(dir, cloud, e.Name())
				if files[i], err = os.ReadFile(paths[i]); err != nil {
					b.Fatal(err)
				}
			}
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
			ctx := attr.WithRawDropped(context.Background())
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := cpuTime()
			for b.Loop() {
				for i, data := range files {
					fr := parseData(ctx, paths[i], data)
					if fr.res == nil || len(fr.res.Resources) == 0 {
						b.Fatalf("%s: nothing imported (%s)", paths[i], fr.skip)
					}
					pruneRaw(fr.res.Resources)
				}
			}
			if cpu := cpuTime() - cpu0; cpu > 0 {
				b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
			}
		})
	}
}
