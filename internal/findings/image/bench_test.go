package image_test

import (
	"archive/tar"
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/vigil-sec/vigil/internal/findings/image"
	"github.com/vigil-sec/vigil/internal/findings/image/imagetest"
)

var benchMB = flag.Int("image-mb", 50, "BenchmarkScanImage: the size of the generated image's files in MB (the issue's figure is 500)")

// BenchmarkScanImage scans a generated Alpine image whose files hold
// -image-mb megabytes over ten layers (half random bytes, half text; 1 MiB
// files, 300 npm packages, the apk database) against the test database:
//
//	go test ./internal/findings/image -run '^$' -bench ScanImage -benchtime 1x -image-mb 500
func BenchmarkScanImage(b *testing.B) {
	dir := b.TempDir()
	target := genImage(b, dir, *benchMB)
	st, err := os.Stat(target)
	if err != nil {
		b.Fatal(err)
	}
	db, err := image.OpenDB(imagetest.WriteDB(b, b.TempDir(), testVulns...))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	b.ResetTimer()
	for range b.N {
		start, cpu0 := time.Now(), cpuTime()
		res, err := image.Scan(context.Background(), db, target, image.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Matches) != 3 {
			b.Fatalf("%d matches, want 3", len(res.Matches))
		}
		b.ReportMetric(float64(st.Size())/1e6/time.Since(start).Seconds(), "tarball-MB/s")
		b.ReportMetric(float64(res.Packages), "packages")
		// The machine is shared: the CPU time is the figure to compare.
		b.ReportMetric((cpuTime() - cpu0).Seconds(), "cpu-s")
	}
	b.ReportMetric(float64(st.Size())/1e6, "tarball-MB")
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// genImage writes a docker-archive of about mb megabytes of files.
func genImage(b *testing.B, dir string, mb int) string {
	b.Helper()
	const layers = 10
	rng := rand.New(rand.NewChaCha8([32]byte{1}))
	text := []byte("the quick brown fox jumps over the lazy dog; lorem ipsum dolor sit amet\n")
	img := empty.Image
	for l := range layers {
		files := map[string]string{}
		if l == 0 {
			files = alpineFiles()
			for i := range 300 {
				n := fmt.Sprintf("pkg%03d", i)
				files["/usr/lib/node_modules/"+n+"/package.json"] = imagetest.NodePackage(n, "1.0.0")
			}
		}
		p := filepath.Join(dir, fmt.Sprintf("layer%d.tar", l))
		f, err := os.Create(p)
		if err != nil {
			b.Fatal(err)
		}
		tw := tar.NewWriter(f)
		for path, body := range files {
			hdr := &tar.Header{Name: path[1:], Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(body))}
			if err := tw.WriteHeader(hdr); err != nil {
				b.Fatal(err)
			}
			if _, err := io.WriteString(tw, body); err != nil {
				b.Fatal(err)
			}
		}
		buf := make([]byte, 1<<20)
		for i := range mb / layers {
			if i%2 == 0 {
				for j := 0; j < len(buf); j += 8 {
					v := rng.Uint64()
					for k := range 8 {
						buf[j+k] = byte(v >> (8 * k))
					}
				}
			} else {
				for j := 0; j < len(buf); j += copy(buf[j:], text) {
				}
			}
			hdr := &tar.Header{Name: fmt.Sprintf("opt/data/l%d/f%04d.bin", l, i), Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(buf))}
			if err := tw.WriteHeader(hdr); err != nil {
				b.Fatal(err)
			}
			if _, err := tw.Write(buf); err != nil {
				b.Fatal(err)
			}
		}
		if err := tw.Close(); err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
		layer, err := tarball.LayerFromFile(p, tarball.WithCompressionLevel(1))
		if err != nil {
			b.Fatal(err)
		}
		if img, err = mutate.AppendLayers(img, layer); err != nil {
			b.Fatal(err)
		}
	}
	cf, err := img.ConfigFile()
	if err != nil {
		b.Fatal(err)
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", "amd64"
	if img, err = mutate.ConfigFile(img, cf); err != nil {
		b.Fatal(err)
	}
	tag, err := name.NewTag("registry.test/big:1")
	if err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(dir, "big.tar")
	if err := tarball.WriteToFile(out, tag, img); err != nil {
		b.Fatal(err)
	}
	var _ v1.Image = img
	return out
}
