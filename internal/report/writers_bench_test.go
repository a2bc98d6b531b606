package report

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

// largeReport is a report of about n findings over 64 rules, a mix of
// statuses as a real scan produces (mostly PASS, some FAIL and UNKNOWN, a
// few muted), with long Azure-style IDs.
func largeReport(n int) *Report {
	const nRules = 64
	rules := make([]finding.RuleInfo, nRules)
	sevs := []finding.Severity{finding.Critical, finding.High, finding.Medium, finding.Low, finding.Info}
	for i := range rules {
		rules[i] = finding.RuleInfo{ID: fmt.Sprintf("bench-rule-%02d", i), Title: fmt.Sprintf("Benchmark rule %d is not satisfied", i),
			Description: "A synthetic rule for the writer benchmarks.", Severity: sevs[i%len(sevs)], Category: "exposure",
			Providers:   []resource.Provider{resource.AWS, resource.Azure, resource.GCP},
			Remediation: "Fix the synthetic misconfiguration by following the documented procedure.",
			Frameworks:  map[string][]string{"cis-aws-7.0": {fmt.Sprintf("3.%d", i)}, "soc2": {"CC6.1"}, "iso27001-2022": {"A.8.3"}}}
	}
	provs := []resource.Provider{resource.AWS, resource.Azure, resource.GCP}
	fs := make([]finding.Finding, 0, n)
	for i := range n {
		ri := rules[i%nRules]
		p := provs[i%3]
		var ref resource.Ref
		switch p {
		case resource.AWS:
			ref = resource.Ref{ID: fmt.Sprintf("arn:aws:s3:::bench-bucket-%d", i), Type: "AWS::S3::Bucket", Provider: p,
				Account: "111122223333", Region: "us-east-1", Name: fmt.Sprintf("bench-bucket-%d", i)}
		case resource.Azure:
			ref = resource.Ref{ID: fmt.Sprintf("/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-%d/providers/Microsoft.Storage/storageAccounts/benchsa%d", i%50, i),
				Type: "Microsoft.Storage/storageAccounts", Provider: p, Account: "0b1f6471-1bf0-4dda-aec3-cb9272f09590", Region: "westeurope", Name: fmt.Sprintf("benchsa%d", i)}
		default:
			ref = resource.Ref{ID: fmt.Sprintf("//storage.googleapis.com/bench-gcs-%d", i), Type: "storage.googleapis.com/Bucket", Provider: p,
				Account: "bench-project", Region: "eu", Name: fmt.Sprintf("bench-gcs-%d", i)}
		}
		st := finding.Pass
		msg := ""
		switch i % 10 {
		case 0, 1, 2:
			st, msg = finding.Fail, fmt.Sprintf("setting %d is off", i%7)
		case 3:
			st = finding.Unknown
		}
		f := finding.Finding{RuleID: ri.ID, Title: ri.Title, Category: ri.Category, Severity: ri.Severity, Status: st,
			Message: msg, Resource: ref, Remediation: ri.Remediation,
			Frameworks: []finding.Reference{{Framework: "cis-aws-7.0", Control: ri.Frameworks["cis-aws-7.0"][0]}, {Framework: "iso27001-2022", Control: "A.8.3"}, {Framework: "soc2", Control: "CC6.1"}}}
		if st == finding.Fail && i%97 == 0 {
			f.Suppressed = &finding.Suppression{Reason: "accepted risk", Expires: "2027-01-01"}
		}
		fs = append(fs, f)
	}
	r := Build(fs, rules, fixedNow)
	r.Version = "bench"
	r.Color = ColorNever
	r.ListPassing = true
	r.Inputs = []string{"bench"}
	r.Summary.Inventory = &finding.InventorySummary{Resources: n / nRules, Files: map[string]int{"aws-config-snapshot": 20}}
	return r
}

var (
	benchReportOnce sync.Once
	benchReport     *Report
)

// BenchmarkWrite writes a 250,000-finding report in every format to
// /dev/null (a real file, so system calls count). Metrics: findings/s and
// extra-live-MiB, the most live heap the writer held beyond the report itself
// (sampled at each garbage collection): a streaming writer keeps it small
// whatever the number of findings.
func BenchmarkWrite(b *testing.B) {
	benchReportOnce.Do(func() { benchReport = largeReport(250_000) })
	r := benchReport
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer devnull.Close()
	for _, format := range Formats {
		b.Run(format, func(b *testing.B) {
			runtime.GC()
			base := liveHeap()
			var peak uint64
			for range b.N {
				sw := &sampler{w: devnull, base: base}
				if err := Write(context.Background(), sw, format, r); err != nil {
					b.Fatal(err)
				}
				peak = max(peak, sw.peak)
				b.ReportMetric(float64(sw.writes), "writes/op")
			}
			b.ReportMetric(float64(len(r.Findings))*float64(b.N)/b.Elapsed().Seconds(), "findings/s")
			b.ReportMetric(float64(peak)/(1<<20), "extra-live-MiB")
		})
	}
}

// sampler forwards writes and samples the live heap (as of the last
// collection) every 256 writes.
type sampler struct {
	w          io.Writer
	base, peak uint64
	writes     int
}

func (s *sampler) Write(p []byte) (int, error) {
	s.writes++
	if s.writes == 1 || s.writes%256 == 0 {
		if l := liveHeap(); l > s.base && l-s.base > s.peak {
			s.peak = l - s.base
		}
	}
	return s.w.Write(p)
}

var liveSample = []metrics.Sample{{Name: "/gc/heap/live:bytes"}}

func liveHeap() uint64 {
	metrics.Read(liveSample)
	return liveSample[0].Value.Uint64()
}

// BenchmarkWriteCompactJSON: the JSON report of 250,000 findings on 50,000
// resources, its PASS findings held compactly as a scan holds them (each
// resource the resource of about three PASS findings).
func BenchmarkWriteCompactJSON(b *testing.B) {
	r := compactReport(sharedResourcesReport(250_000, 50_000, false))
	b.ResetTimer()
	for range b.N {
		if err := Write(context.Background(), io.Discard, "json", r); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(r.Passes.Len()+len(r.Findings))*float64(b.N)/b.Elapsed().Seconds(), "findings/s")
}
