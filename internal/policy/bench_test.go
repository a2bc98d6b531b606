package policy

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

func syntheticResources(n int) []*resource.Resource {
	out := make([]*resource.Resource, 0, n)
	for i := range n {
		pub := i%10 == 0
		r := bucket(fmt.Sprintf("arn:aws:s3:::bucket-%d", i), resource.AWS, &pub)
		r.Account, r.Region, r.Tags = "111122223333", "eu-west-1", map[string]string{"env": "prod"}
		r.Facts.Storage.Encrypted = resource.Bool(true)
		r.Facts.Storage.Versioning = resource.Bool(i%2 == 0)
		out = append(out, r)
	}
	return out
}

// BenchmarkNewInput measures building the rules' input document.
func BenchmarkNewInput(b *testing.B) {
	rs := syntheticResources(100_000)
	b.ResetTimer()
	for range b.N {
		if _, err := NewInput(rs, testNow); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(rs)*b.N)/b.Elapsed().Seconds(), "resources/s")
}

// BenchmarkEvaluate measures evaluating the test pack over a prepared input.
func BenchmarkEvaluate(b *testing.B) {
	ctx := context.Background()
	e, err := New(ctx, []Source{{FS: os.DirFS("testdata/pack"), Name: "p"}})
	if err != nil {
		b.Fatal(err)
	}
	rs := syntheticResources(100_000)
	in, err := NewInput(rs, testNow)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if _, err := e.EvaluateInput(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(rs)*b.N)/b.Elapsed().Seconds(), "resources/s")
}
