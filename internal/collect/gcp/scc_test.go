package gcpcollect

import (
	"context"
	"path/filepath"
	"testing"

	"google.golang.org/grpc/codes"
	grpcstatus "google.golang.org/grpc/status"

	"github.com/vigil-sec/vigil/internal/collect"
	"github.com/vigil-sec/vigil/internal/collect/gcp/gcptest"
	"github.com/vigil-sec/vigil/internal/findings"
	findingsload "github.com/vigil-sec/vigil/internal/findings/load"
)

// TestCollectedSCCFindings: Security Command Center's active findings of
// the organization (not of its projects again) are written where and as
// vigil findings import reads them; an inactive one is not asked for; a
// scope where SCC is not active is no failure, a denied listing is.
func TestCollectedSCCFindings(t *testing.T) {
	f := load(t, filepath.Join("testdata", "server"))
	opts := start(t, f)
	var mem collect.Mem
	rec := &collect.Recorder{}
	if err := Collect(context.Background(), opts, &mem, rec, nil); err != nil {
		t.Fatal(err)
	}
	name := "gcp/organization-100000000001/findings/scc-list-findings.json"
	res := findingsload.Data(name, mem.File(name))
	if len(res.Problems) != 0 || len(res.Findings) != 2 {
		t.Fatalf("%d findings, problems %v; want the two active ones", len(res.Findings), res.Problems)
	}
	for _, fd := range res.Findings {
		if fd.Product != findings.SCC || fd.Status == findings.Resolved || fd.Resource.ID == "" { // active (one muted: suppressed)
			t.Errorf("%s: %s %s on %q", fd.ID, fd.Product, fd.Status, fd.Resource.ID)
		}
	}
	methods, _ := f.Counts()
	if n := methods["/google.cloud.securitycenter.v1.SecurityCenter/ListFindings"]; n != 1 {
		t.Errorf("ListFindings called %d times, want once (the organization covers its projects)", n)
	}

	// Not active in the organization: nothing written, no failure; denied: a failure.
	checkListingFaults(t, "ListFindings organizations/100000000001/sources/-", name, permSCCFindings, []listingFault{
		{"not active", grpcstatus.Error(codes.FailedPrecondition, "Security Command Center is not activated for this resource"), false},
		{"denied", gcptest.Denied(), true},
	})
}

// listingFault is one error a listing answers with, and whether the
// collection must record it as a failure.
type listingFault struct {
	name string
	err  error
	fail bool
}

// checkListingFaults collects the test server's organization once for each
// fault, with the listing named by key answering that error: the file the
// listing writes must be absent, and a failure of call recorded exactly when
// the fault says so.
func checkListingFaults(t *testing.T, key, file, call string, faults []listingFault) {
	t.Helper()
	for _, tc := range faults {
		f := load(t, filepath.Join("testdata", "server"))
		f.Faults[key] = []error{tc.err}
		opts := start(t, f)
		var mem collect.Mem
		rec := &collect.Recorder{}
		if err := Collect(context.Background(), opts, &mem, rec, nil); err != nil {
			t.Fatal(err)
		}
		if mem.File(file) != nil {
			t.Errorf("%s: %s written", tc.name, file)
		}
		failed := false
		for _, fl := range rec.Failures() {
			if fl.Call == call {
				failed = true
			}
		}
		if failed != tc.fail {
			t.Errorf("%s: failure recorded %v, want %v (%v)", tc.name, failed, tc.fail, rec.Failures())
		}
	}
}
