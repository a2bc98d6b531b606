package governance

import (
	"context"
	"fmt"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// BenchmarkApply1M applies classification, residency and tagging to
// 1,000,000 data stores with two locations each.
func BenchmarkApply1M(b *testing.B) {
	pol, err := Parse("p.yaml", []byte(good))
	if err != nil {
		b.Fatal(err)
	}
	const n = 1_000_000
	rs := make([]*resource.Resource, n)
	vals := []string{"restricted", "confidential", "internal", ""}
	for i := range rs {
		tags := map[string]string{"Name": fmt.Sprint("r", i), "env": "prod"}
		if v := vals[i%4]; v != "" {
			tags["data-classification"] = v
		}
		if i%3 == 0 {
			tags["data-category"] = "personal-data"
		}
		rs[i] = &resource.Resource{Provider: "aws", Class: resource.ClassObjectStorage, ID: fmt.Sprint("b", i), Tags: tags,
			Facts: resource.Facts{Data: &resource.Data{Locations: []resource.DataLocation{
				{Region: "eu-west-1", Path: "primary", Country: "IE", Jurisdiction: "EU"},
				{Region: "us-east-1", Path: "s3-replication", Country: "US", Jurisdiction: "US"},
			}}}}
	}
	b.ResetTimer()
	for range b.N {
		if err := Apply(context.Background(), pol, rs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/resource")
}
