package gcpcollect

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"cloud.google.com/go/asset/apiv1/assetpb"
	"cloud.google.com/go/iam/apiv1/iampb"
	"cloud.google.com/go/resourcemanager/apiv3/resourcemanagerpb"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/vigil-sec/vigil/internal/collect"
	"github.com/vigil-sec/vigil/internal/collect/gcp/gcptest"
)

// syntheticOrg is a fake organization of n projects, each with buckets
// assets listed over pages of 100 and an IAM policy per bucket, answering
// every call after latency.
func syntheticOrg(n, buckets int, latency time.Duration) *gcptest.Server {
	f := gcptest.New()
	f.PageSize, f.Latency = 100, latency
	f.Orgs = []*resourcemanagerpb.Organization{{Name: "organizations/1", State: resourcemanagerpb.Organization_ACTIVE}}
	at := timestamppb.New(time.Date(2026, 11, 20, 4, 0, 0, 0, time.UTC))
	for i := range n {
		num := fmt.Sprintf("9%08d", i)
		id := fmt.Sprintf("proj-%03d", i)
		f.Projects = append(f.Projects, &resourcemanagerpb.Project{Name: "projects/" + num, ProjectId: id, State: resourcemanagerpb.Project_ACTIVE})
		anc := []string{"projects/" + num, "organizations/1"}
		data, _ := structpb.NewStruct(map[string]any{"projectNumber": num, "projectId": id, "lifecycleState": "ACTIVE"})
		res := []*assetpb.Asset{{Name: "//cloudresourcemanager.googleapis.com/projects/" + num, AssetType: "cloudresourcemanager.googleapis.com/Project",
			Resource: &assetpb.Resource{Version: "v1", DiscoveryName: "Project", Data: data, Location: "global"}, Ancestors: anc, UpdateTime: at}}
		pol := []*assetpb.Asset{{Name: res[0].Name, AssetType: res[0].AssetType, IamPolicy: &iampb.Policy{Version: 1,
			Bindings: []*iampb.Binding{{Role: "roles/owner", Members: []string{"user:owner@example.com"}}}}, Ancestors: anc, UpdateTime: at}}
		for b := range buckets {
			name := fmt.Sprintf("%s-bucket-%d", id, b)
			d, _ := structpb.NewStruct(map[string]any{"name": name, "location": "US", "iamConfiguration": map[string]any{"uniformBucketLevelAccess": map[string]any{"enabled": true}}})
			res = append(res, &assetpb.Asset{Name: "//storage.googleapis.com/" + name, AssetType: "storage.googleapis.com/Bucket",
				Resource: &assetpb.Resource{Version: "v1", DiscoveryName: "Bucket", Data: d, Location: "us"}, Ancestors: anc, UpdateTime: at})
			pol = append(pol, &assetpb.Asset{Name: "//storage.googleapis.com/" + name, AssetType: "storage.googleapis.com/Bucket",
				IamPolicy: &iampb.Policy{Version: 1, Bindings: []*iampb.Binding{{Role: "roles/storage.legacyBucketOwner", Members: []string{"projectOwner:" + id}}}}, Ancestors: anc, UpdateTime: at})
		}
		f.Assets["projects/"+num+" RESOURCE"] = res
		f.Assets["projects/"+num+" IAM_POLICY"] = pol
	}
	return f
}

// TestConcurrencyBound: the calls in flight never pass Concurrency, and
// reach it when there is enough to do.
func TestConcurrencyBound(t *testing.T) {
	f := syntheticOrg(24, 150, 20*time.Millisecond)
	opts := start(t, f)
	opts.Concurrency = 6
	rec := &collect.Recorder{}
	if err := Collect(context.Background(), opts, &collect.Mem{}, rec, nil); err != nil {
		t.Fatal(err)
	}
	if p := rec.PeakInFlight(); p > 6 || p < 6 {
		t.Errorf("peak in flight %d, want 6", p)
	}
	if len(rec.Failures()) != 0 {
		t.Errorf("failures: %v", rec.Failures())
	}
}

// BenchmarkCollect is the simulated organization: 80 projects (20
// accounts x 4 regions in AWS terms), 50 ms per call, 250 buckets each
// (3 pages per content type), default options; "throttled" answers the
// first two attempts of every fifth project's listings with
// ResourceExhausted (RetryInfo 2 ms), which the collector must wait out.
func BenchmarkCollect(b *testing.B) {
	for _, throttle := range []bool{false, true} {
		name := "plain"
		if throttle {
			name = "throttled"
		}
		b.Run(name, func(b *testing.B) {
			f := syntheticOrg(80, 250, 50*time.Millisecond)
			if throttle {
				for i, p := range f.Projects {
					for _, ct := range []string{"RESOURCE", "IAM_POLICY"} {
						if i%5 == 0 {
							f.Faults["ListAssets "+p.GetName()+" "+ct] = []error{gcptest.Throttled(), gcptest.Throttled(), nil}
						}
					}
				}
			}
			opts := start(b, f)
			opts.Concurrency = 0
			for b.Loop() {
				f.Reset() // the faults fire again
				rec := &collect.Recorder{}
				start := time.Now()
				if err := Collect(context.Background(), opts, &collect.Mem{}, rec, nil); err != nil {
					b.Fatal(err)
				}
				wall := time.Since(start)
				if fs := rec.Failures(); len(fs) > 0 {
					b.Fatalf("failures: %v", fs)
				}
				b.ReportMetric(float64(rec.Calls())/wall.Seconds(), "calls/s")
				b.ReportMetric(float64(rec.Calls()), "calls")
				b.ReportMetric(float64(rec.PeakInFlight()), "peak-in-flight")
			}
		})
	}
}

// TestUnwritableAsset: an asset JSON cannot hold (a NaN in its data, which
// the wire format allows) is reported and the rest of its listing written.
func TestUnwritableAsset(t *testing.T) {
	f := syntheticOrg(1, 3, 0)
	bad := f.Assets["projects/900000000 RESOURCE"][2]
	bad.Resource.Data.Fields["size"] = structpb.NewNumberValue(math.NaN())
	opts := start(t, f)
	var mem collect.Mem
	rec := &collect.Recorder{}
	if err := Collect(context.Background(), opts, &mem, rec, nil); err != nil {
		t.Fatal(err)
	}
	fs := rec.Failures()
	if len(fs) != 1 || fs[0].Resource != bad.Name || fs[0].Kind != collect.Failed || fs[0].Account != "proj-000" {
		t.Fatalf("failures %v, want one about %s", fs, bad.Name)
	}
	got := string(mem.File("gcp/proj-000/resource.json"))
	if strings.Count(got, "\n") != 3 || strings.Contains(got, bad.Name+`"`) {
		t.Errorf("want the 3 other assets, got:\n%s", got)
	}
}
