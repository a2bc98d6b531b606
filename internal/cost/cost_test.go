package cost

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/vigil-sec/vigil/internal/lake"
	"github.com/vigil-sec/vigil/internal/testkit"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	testkit.Golden(t, filepath.Join("testdata", name), got, *update)
}

func jsonOf(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

// TestCostColumnsMatchRow keeps lake.CostColumns (the view) and Row (the
// files) in step.
func TestCostColumnsMatchRow(t *testing.T) {
	schema := parquet.SchemaOf(Row{})
	var got []string
	for _, f := range schema.Fields() {
		got = append(got, f.Name())
	}
	var want []string
	for _, c := range lake.CostColumns {
		want = append(want, c.Name)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Row columns %v\nlake.CostColumns %v", got, want)
	}
}

func sampleInventory(t *testing.T) *Inventory {
	t.Helper()
	inv, err := LoadInventory("testdata/findings.json")
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

// TestSampleReports: the sample exports of every format ingest and query,
// and the report, anomalies and idle resources match their golden files.
func TestSampleReports(t *testing.T) {
	ctx := context.Background()
	dir := ingestSamples(t)
	db, err := DB(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	inv := sampleInventory(t)
	rep, err := BuildReport(ctx, db, ReportOptions{RequireTags: []string{"owner"}, Inventory: inv})
	if err != nil {
		t.Fatal(err)
	}
	var tab bytes.Buffer
	if err := WriteReport(&tab, rep); err != nil {
		t.Fatal(err)
	}
	golden(t, "report.golden.txt", tab.Bytes())
	golden(t, "report.golden.json", jsonOf(t, rep))

	alerts, err := LoadAlerts("testdata/correlation/alerts.jsonl", func(p Problem) { t.Error(p.Error()) })
	if err != nil {
		t.Fatal(err)
	}
	anoms, err := Detect(ctx, db, AnomalyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fs := Correlate(anoms, alerts, inv)
	// The planted GPU spike of the dev account on 2026-11-20 is the one
	// anomaly of the samples, and the GPU launch alert correlates with it.
	if len(fs) != 1 || fs[0].Anomaly.Account != "444455556666" || fs[0].Anomaly.Day != "2026-11-20" || len(fs[0].Alerts) != 1 || fs[0].RuleID != RuleAnomalyCorrelated {
		t.Errorf("sample anomalies: %s", jsonOf(t, fs))
	}
	tab.Reset()
	if err := WriteFindings(&tab, fs); err != nil {
		t.Fatal(err)
	}
	golden(t, "anomalies.golden.txt", tab.Bytes())
	golden(t, "anomalies.golden.json", jsonOf(t, fs))

	idle, err := FindIdleExposed(ctx, db, inv, IdleOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tab.Reset()
	if err := WriteIdle(&tab, idle); err != nil {
		t.Fatal(err)
	}
	golden(t, "idle.golden.txt", tab.Bytes())
	for _, x := range idle {
		if x.Resource.ID == "arn:aws:s3:::nw-dev-scratch" {
			t.Error("nw-dev-scratch serves requests: not idle")
		}
	}
}

// lakeWith writes rows as one part file of a new lake.
func lakeWith(t testing.TB, rows []Row) string {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, lake.CostDir, "format=focus")
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(p, "part-test.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	w := NewWriter(f)
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return dir
}

// steady returns 30 days of spend around daily with ±5% deterministic
// noise for one series.
func steady(provider, account, service, res string, daily float64) []Row {
	var out []Row
	start := DayOf(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC))
	for d := int32(0); d < 30; d++ {
		noise := 0.05 * math.Sin(float64(d)*1.7+float64(len(service)))
		out = append(out, Row{Provider: provider, Format: "focus", Account: account, Service: service, ResourceID: res,
			Day: start + d, Cost: daily * (1 + noise), Currency: "USD", SKU: "BoxUsage"})
	}
	return out
}

func spike(provider, account, service, res string, day int, cost float64) Row {
	return Row{Provider: provider, Format: "focus", Account: account, Service: service, ResourceID: res,
		Day: DayOf(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)) + int32(day), Cost: cost, Currency: "USD", SKU: "BoxUsage:p3.2xlarge"}
}

// TestCorrelation: an injected spend anomaly with a coinciding detection
// alert is exactly one correlated finding naming both; an anomaly without
// an alert stays an uncorrelated anomaly; steady spend raises nothing.
func TestCorrelation(t *testing.T) {
	ctx := context.Background()
	var rows []Row
	rows = append(rows, steady("aws", "444455556666", "AmazonEC2", "i-0aaa", 40)...)
	rows = append(rows, steady("aws", "444455556666", "AmazonS3", "bucket-a", 300)...)
	rows = append(rows, steady("aws", "111122223333", "AmazonEC2", "i-0bbb", 900)...)
	rows = append(rows, steady("azure", "sub-1", "Virtual Machines", "/subscriptions/sub-1/vm", 55)...)
	rows = append(rows, steady("gcp", "proj-1", "Compute Engine", "projects/proj-1/instances/x", 120)...)
	// The GPU spike on 2026-11-20 is day 50 of this series; here day 19
	// (2026-10-20) of the test month, where the alert is moved too.
	rows = append(rows, spike("aws", "444455556666", "AmazonEC2", "i-0f1e2d3c4b5a69788", 19, 280))
	// An anomaly without any alert: Azure VMs triple on 2026-10-25.
	rows = append(rows, spike("azure", "sub-1", "Virtual Machines", "/subscriptions/sub-1/vm2", 24, 130))
	db, err := DB(ctx, lakeWith(t, rows))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	anoms, err := Detect(ctx, db, AnomalyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	alerts, err := LoadAlerts("testdata/correlation/alerts.jsonl", func(p Problem) { t.Error(p.Error()) })
	if err != nil {
		t.Fatal(err)
	}
	for i := range alerts {
		alerts[i].Time = time.Date(2026, 10, 20, 0, 41, 7, 0, time.UTC)
	}
	// A second alert in another account the same day does not correlate.
	other := alerts[0]
	other.Account = "111122223333"
	alerts = append(alerts, other)
	fs := Correlate(anoms, alerts, nil)
	if len(fs) != 2 {
		t.Fatalf("want 2 anomalies (the EC2 spike and the Azure one), got %s", jsonOf(t, fs))
	}
	var corr, plain *CostFinding
	for i := range fs {
		switch fs[i].Anomaly.Provider {
		case "aws":
			corr = &fs[i]
		case "azure":
			plain = &fs[i]
		}
	}
	if corr == nil || plain == nil {
		t.Fatalf("anomalies: %s", jsonOf(t, fs))
	}
	if corr.RuleID != RuleAnomalyCorrelated || corr.Severity != "HIGH" || len(corr.Alerts) != 1 || corr.Anomaly.Day != "2026-10-20" {
		t.Errorf("the EC2 spike with the GPU alert: %s", jsonOf(t, corr))
	}
	if !strings.Contains(corr.Message, "AWS GPU Or Accelerated Instances Launched") || !strings.Contains(corr.Message, "AmazonEC2") ||
		!strings.Contains(corr.Message, "i-0f1e2d3c4b5a69788") {
		t.Errorf("the correlated finding names the spike and the alert: %s", corr.Message)
	}
	if plain.RuleID != RuleAnomaly || plain.Severity != "MEDIUM" || len(plain.Alerts) != 0 {
		t.Errorf("the Azure anomaly without an alert: %s", jsonOf(t, plain))
	}
	// An alert two days after the anomaly day is outside the window.
	alerts[0].Time = time.Date(2026, 10, 22, 0, 0, 0, 0, time.UTC)
	if fs := Correlate(anoms, alerts[:1], nil); fs[0].RuleID == RuleAnomalyCorrelated && fs[0].Anomaly.Provider == "aws" || fs[1].RuleID == RuleAnomalyCorrelated {
		t.Errorf("an alert two days later correlates: %s", jsonOf(t, fs))
	}
}

// TestSteadySpendNoAlarm: a month of steady, noisy spend of many series
// gives no anomaly.
func TestSteadySpendNoAlarm(t *testing.T) {
	ctx := context.Background()
	var rows []Row
	for i, daily := range []float64{0.5, 3, 19, 22, 140, 800, 12000} {
		rows = append(rows, steady("aws", "111122223333", "svc"+strings.Repeat("x", i), "r", daily)...)
	}
	db, err := DB(ctx, lakeWith(t, rows))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	anoms, err := Detect(ctx, db, AnomalyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(anoms) != 0 {
		t.Errorf("false alarms on steady spend: %s", jsonOf(t, anoms))
	}
}

func TestDetectSeriesRule(t *testing.T) {
	days := map[string]float64{}
	for i := 0; i < 14; i++ {
		days[time.Date(2026, 11, 1+i, 0, 0, 0, 0, time.UTC).Format("2006-01-02")] = 100
	}
	days["2026-11-15"] = 125 // +25: above MinDelta (20) but below MinRatio (1.5)
	days["2026-11-16"] = 160 // +60 and 1.6x: an anomaly
	got := detectSeries(days, AnomalyOptions{Window: 14, MinHistory: 7, K: 5, MinDelta: 20, MinRatio: 1.5})
	if len(got) != 1 || got[0].Day != "2026-11-16" || got[0].Baseline != 100 {
		t.Errorf("got %+v", got)
	}
	// A missing day counts as 0 spend, never as an anomaly.
	delete(days, "2026-11-10")
	if got := detectSeries(days, AnomalyOptions{Window: 14, MinHistory: 7, K: 5, MinDelta: 20, MinRatio: 1.5}); len(got) != 1 {
		t.Errorf("with a gap: %+v", got)
	}
}
