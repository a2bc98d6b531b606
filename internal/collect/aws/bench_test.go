package awscollect

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/collect"
)

// benchOrg writes the response files of a synthetic organization of n
// accounts (the caller 111122223333 and n-1 members under the root) and
// the given regions, every account and region holding what the test
// organization's management account holds in us-east-1; the other
// answers come from testdata and testdata/more. It returns the
// directories to serve, most specific first.
func benchOrg(t testing.TB, n int, regions []string) []string {
	t.Helper()
	dir := t.TempDir()
	write := func(name, data string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	copyAs := func(from, to string) {
		b, err := os.ReadFile(filepath.Join("testdata", from))
		if err != nil {
			t.Fatal(err)
		}
		write(to, string(b))
	}
	var accts []string
	for i := 0; i < n; i++ {
		id := mgmt
		if i > 0 {
			id = fmt.Sprintf("2000000000%02d", i)
		}
		accts = append(accts, fmt.Sprintf(`{"Id":%q,"Arn":"arn:aws:organizations::111122223333:account/o-a1b2c3d4e5/%s","Email":"a%d@example.com","Name":"account-%d","Status":"ACTIVE","State":"ACTIVE","JoinedMethod":"CREATED","JoinedTimestamp":1641000000.0}`, id, id, i, i))
	}
	write("organizations/ListAccountsForParent.r-ab12.json", `{"Accounts":[`+strings.Join(accts, ",")+`]}`)
	write("organizations/ListOrganizationalUnitsForParent.r-ab12.json", `{"OrganizationalUnits":[]}`)
	var items []string
	for _, r := range regions {
		items = append(items, "<item><regionName>"+r+"</regionName><regionEndpoint>ec2."+r+".amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>")
	}
	write("ec2/DescribeRegions.xml", `<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><regionInfo>`+strings.Join(items, "")+`</regionInfo></DescribeRegionsResponse>`)
	copyAs("iam/GetAccountAuthorizationDetails."+member+".xml", "iam/GetAccountAuthorizationDetails.xml")
	copyAs("iam/GetCredentialReport."+member+".xml", "iam/GetCredentialReport.xml")
	copyAs("s3/ListBuckets."+member+".xml", "s3/ListBuckets.xml")
	files, _ := filepath.Glob(filepath.Join("testdata", "ec2", "*."+mgmt+".us-east-1.xml"))
	for _, f := range files {
		base := filepath.Base(f)
		copyAs(filepath.Join("ec2", base), filepath.Join("ec2", strings.TrimSuffix(base, "."+mgmt+".us-east-1.xml")+".xml"))
	}
	return []string{dir, "testdata", filepath.Join("testdata", "more")}
}

// collectOrgBench collects the synthetic organization with latency per
// call and one request in every throttleEvery answered "slow down" (0:
// none), and returns the recorder and the wall time.
func collectOrgBench(t testing.TB, accounts int, regions []string, latency time.Duration, throttleEvery int64) (*collect.Recorder, *fakeAWS, time.Duration) {
	t.Helper()
	srv := newFakeAWS(t, benchOrg(t, accounts, regions)...)
	srv.Latency = latency
	var seq atomic.Int64
	if throttleEvery > 0 {
		srv.Fault = func(r fakeReq) string {
			if r.Service != "sts" && seq.Add(1)%throttleEvery == 0 {
				return "throttle"
			}
			return ""
		}
	}
	opts := testOptions(t, srv, mgmt)
	opts.RoleName = "VigilReadOnly"
	opts.MaxAttempts = 6
	rec := collect.NewRecorder(nil)
	start := time.Now()
	if err := Collect(context.Background(), opts, &collect.Mem{}, rec, nil); err != nil {
		t.Fatal(err)
	}
	return rec, srv, time.Since(start)
}

// BenchmarkCollect: 20 accounts x 4 regions, every service, 50 ms per
// call, with 1 request in 200 throttled (answered "slow down", which the
// SDK's adaptive retry honours by slowing that client) and without. It reports the wall time of one
// collection, API calls per second and the most calls in flight; the
// collector must keep at least 50 in flight and finish under 60 s.
//
//	go test ./internal/collect/aws -run '^$' -bench Collect -benchtime 1x
func BenchmarkCollect(b *testing.B) {
	regions := []string{"us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"}
	for _, c := range []struct {
		name  string
		every int64
	}{{"throttled-1-in-200", 200}, {"no-throttling", 0}} {
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				rec, srv, wall := collectOrgBench(b, 20, regions, 50*time.Millisecond, c.every)
				if m := srv.Missing(); len(m) > 0 {
					b.Fatalf("requests without a response file: %v", m)
				}
				calls := rec.Calls()
				b.ReportMetric(wall.Seconds(), "wall-s")
				b.ReportMetric(float64(calls), "calls")
				b.ReportMetric(float64(calls)/wall.Seconds(), "calls/s")
				b.ReportMetric(float64(rec.PeakInFlight()), "peak-in-flight")
				b.ReportMetric(float64(len(rec.Failures())), "failures")
				if p := rec.PeakInFlight(); p < 50 {
					b.Errorf("peak in flight %d, want at least 50", p)
				}
				if wall > 60*time.Second {
					b.Errorf("collected in %v, want under 60 s", wall)
				}
			}
		})
	}
}

// TestCollectKeepsCallsInFlight: a smaller organization with latency keeps
// the calls in flight at the bound and never above it.
func TestCollectKeepsCallsInFlight(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: 2 s of simulated latency")
	}
	rec, srv, wall := collectOrgBench(t, 6, []string{"us-east-1", "eu-west-1"}, 50*time.Millisecond, 200)
	if m := srv.Missing(); len(m) > 0 {
		t.Fatalf("requests without a response file: %v", m)
	}
	t.Logf("%d calls in %v (%.0f/s), peak in flight %d (server %d)", rec.Calls(), wall, float64(rec.Calls())/wall.Seconds(), rec.PeakInFlight(), srv.Peak())
	if p := rec.PeakInFlight(); p < 50 || p > 64 {
		t.Errorf("peak in flight %d, want between 50 and the bound 64", p)
	}
	if p := srv.Peak(); p > 64 {
		t.Errorf("the server saw %d requests at once, above the bound 64", p)
	}
	if f := rec.Failures(); len(f) > 0 {
		t.Errorf("failures: %v", f)
	}
}
