package iac

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/rules"
	"github.com/vigil-sec/vigil/internal/scan"
)

// BenchmarkEngine measures compiling the built-in rule pack, which every
// vigil iac run pays at start-up.
func BenchmarkEngine(b *testing.B) {
	for b.Loop() {
		if _, err := policy.New(context.Background(), []policy.Source{{FS: rules.FS(), Name: "builtin", Builtin: true}}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScanManifests measures a scan of the Kubernetes reader's test
// manifests with the rule pack already compiled.
func BenchmarkScanManifests(b *testing.B) {
	e := builtinEngine(b)
	for b.Loop() {
		if _, err := Scan(context.Background(), e, Options{Paths: []string{filepath.Join("kubernetes", "testdata", "manifests")},
			Readers: Builtin(ReaderOptions{}), Scan: scan.Options{Now: testNow}}); err != nil {
			b.Fatal(err)
		}
	}
}
