package cost

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// writeFOCUS writes n rows of a FOCUS 1.0 export with the 44 columns of the
// sample (AWS's FOCUS export) to path: 200 resources over 30 days, 12
// services, tags on two thirds of the rows.
func writeFOCUS(tb testing.TB, path string, n int) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	w := csv.NewWriter(bw)
	w.Write(focusHeader)
	services := []string{"Amazon Elastic Compute Cloud", "Amazon Simple Storage Service", "Amazon Relational Database Service",
		"AWS Lambda", "Amazon GuardDuty", "AWS Key Management Service", "Amazon CloudFront", "Amazon DynamoDB",
		"AWS CloudTrail", "AWS Config", "Amazon Elastic Kubernetes Service", "Amazon Virtual Private Cloud"}
	tags := []string{`{"env":"prod","owner":"data-eng"}`, `{"owner":"web"}`, `{}`}
	rec := make([]string, len(focusHeader))
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		day := start.AddDate(0, 0, i%30)
		svc := services[i%len(services)]
		cost := strconv.FormatFloat(float64(i%997)/13.0, 'f', 6, 64)
		for j := range rec {
			rec[j] = ""
		}
		set := func(col, v string) { rec[focusIndex[col]] = v }
		set("BilledCost", cost)
		set("EffectiveCost", cost)
		set("ListCost", cost)
		set("BillingAccountId", "111122223333")
		set("BillingAccountName", "nw-prod")
		set("BillingCurrency", "USD")
		set("BillingPeriodStart", "2026-11-01T00:00:00Z")
		set("BillingPeriodEnd", "2026-12-01T00:00:00Z")
		set("ChargeCategory", "Usage")
		set("ChargeDescription", "BoxUsage:m6i.xlarge in us-east-1")
		set("ChargeFrequency", "Usage-Based")
		set("ChargePeriodStart", day.Format(time.RFC3339))
		set("ChargePeriodEnd", day.AddDate(0, 0, 1).Format(time.RFC3339))
		set("ConsumedQuantity", "24")
		set("ConsumedUnit", "Hrs")
		set("PricingQuantity", "24")
		set("PricingUnit", "Hrs")
		set("ProviderName", "AWS")
		set("PublisherName", "Amazon Web Services, Inc.")
		set("InvoiceIssuerName", "Amazon Web Services, Inc.")
		set("RegionId", "us-east-1")
		set("RegionName", "US East (N. Virginia)")
		set("ResourceId", fmt.Sprintf("arn:aws:ec2:us-east-1:111122223333:instance/i-%017x", i%200))
		set("ServiceCategory", "Compute")
		set("ServiceName", svc)
		set("SkuId", "SKU123")
		set("SubAccountId", fmt.Sprintf("1111222233%02d", i%7))
		set("SubAccountName", "nw-prod")
		set("Tags", tags[i%3])
		set("x_ServiceCode", "AmazonEC2")
		set("x_UsageType", "USE1-BoxUsage:m6i.xlarge")
		w.Write(rec)
	}
	w.Flush()
	if err := bw.Flush(); err != nil {
		tb.Fatal(err)
	}
}

var focusHeader = []string{"AvailabilityZone", "BilledCost", "BillingAccountId", "BillingAccountName", "BillingCurrency",
	"BillingPeriodEnd", "BillingPeriodStart", "ChargeCategory", "ChargeClass", "ChargeDescription",
	"ChargeFrequency", "ChargePeriodEnd", "ChargePeriodStart", "CommitmentDiscountCategory",
	"CommitmentDiscountId", "CommitmentDiscountName", "CommitmentDiscountType", "ConsumedQuantity",
	"ConsumedUnit", "ContractedCost", "ContractedUnitPrice", "EffectiveCost", "InvoiceIssuerName",
	"ListCost", "ListUnitPrice", "PricingCategory", "PricingQuantity", "PricingUnit", "ProviderName",
	"PublisherName", "RegionId", "RegionName", "ResourceId", "ResourceName", "ResourceType",
	"ServiceCategory", "ServiceName", "SkuId", "SkuPriceId", "SubAccountId", "SubAccountName", "Tags",
	"x_ServiceCode", "x_UsageType"}

var focusIndex = func() map[string]int {
	m := map[string]int{}
	for i, c := range focusHeader {
		m[c] = i
	}
	return m
}()

// BenchmarkIngest: vigil cost ingest of a 200,000-row FOCUS CSV export
// (44 columns, ~95 MB) into a new lake, reported as rows/s. Target:
// at least 500,000 rows/s.
func BenchmarkIngest(b *testing.B) {
	const n = 200_000
	dir := b.TempDir()
	src := filepath.Join(dir, "focus.csv")
	writeFOCUS(b, src, n)
	b.ResetTimer()
	var rows int
	start := time.Now()
	for i := 0; i < b.N; i++ {
		st, err := Ingest(context.Background(), filepath.Join(dir, fmt.Sprintf("lake%d", i)), []string{src}, IngestOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if st.Total() != n {
			b.Fatalf("%d rows stored, want %d", st.Total(), n)
		}
		rows += st.Total()
	}
	b.ReportMetric(float64(rows)/time.Since(start).Seconds(), "rows/s")
}

// BenchmarkQueryMonth: a month of a 10-million-row export (written as the
// lake's Parquet directly) queried by service and day through the cost view.
// Target: under 1 s per query.
func BenchmarkQueryMonth(b *testing.B) {
	const n = 10_000_000
	lakeDir := b.TempDir()
	part := filepath.Join(lakeDir, "cost", "format=focus")
	if err := os.MkdirAll(part, 0o755); err != nil {
		b.Fatal(err)
	}
	f, err := os.Create(filepath.Join(part, "part-bench.parquet"))
	if err != nil {
		b.Fatal(err)
	}
	w := NewWriter(f)
	rows := make([]Row, 0, 100_000)
	services := []string{"Amazon Elastic Compute Cloud", "Amazon Simple Storage Service", "Amazon Relational Database Service",
		"AWS Lambda", "Amazon GuardDuty", "AWS Key Management Service", "Amazon CloudFront", "Amazon DynamoDB",
		"AWS CloudTrail", "AWS Config", "Amazon Elastic Kubernetes Service", "Amazon Virtual Private Cloud"}
	tagSets := []map[string]string{{"env": "prod", "owner": "data-eng"}, {"owner": "web"}, {}}
	start := DayOf(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	resources := make([]string, 5000)
	for i := range resources {
		resources[i] = fmt.Sprintf("arn:aws:ec2:us-east-1:111122223333:instance/i-%017x", i)
	}
	for i := 0; i < n; i++ {
		rows = append(rows, Row{Provider: "aws", Format: "focus", BillingAccount: "111122223333", Account: "111122223333",
			Service: services[i%len(services)], ServiceCategory: "Compute", SKU: "BoxUsage", ChargeType: "usage",
			ResourceID: resources[i%len(resources)], Region: "us-east-1", Day: start + int32(i*30/n), Cost: float64(i%997) / 13,
			Currency: "USD", Usage: 24, UsageUnit: "Hrs", Tags: tagSets[i%3]})
		if len(rows) == cap(rows) || i == n-1 {
			if _, err := w.Write(rows); err != nil {
				b.Fatal(err)
			}
			rows = rows[:0]
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	ctx := context.Background()
	db, err := DB(ctx, lakeDir)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := db.QueryContext(ctx, "SELECT service, day, sum(cost) FROM cost WHERE day BETWEEN DATE '2026-11-01' AND DATE '2026-11-30' GROUP BY service, day ORDER BY service, day")
		if err != nil {
			b.Fatal(err)
		}
		k := 0
		for r.Next() {
			k++
		}
		r.Close()
		if k != 12*30 {
			b.Fatalf("%d groups", k)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/query")
}
