package gcpcollect

import (
	"context"
	"path/filepath"
	"testing"

	"cloud.google.com/go/asset/apiv1/assetpb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/vigil-sec/vigil/internal/collect"
	"github.com/vigil-sec/vigil/internal/collect/gcp/gcptest"
	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/findings"
	findingsload "github.com/vigil-sec/vigil/internal/findings/load"
)

const occurrencesFile = "gcp/web-prod/findings/artifact-analysis-occurrences.json"

// TestCollectedArtifactOccurrences: each project's Artifact Analysis
// vulnerability occurrences (not its discovery ones) are written where and
// as vigil findings import reads them, with package, versions and CVE; a
// project where the API is not enabled is no failure, a denied listing is.
func TestCollectedArtifactOccurrences(t *testing.T) {
	f := load(t, filepath.Join("testdata", "server"))
	opts := start(t, f)
	var mem collect.Mem
	rec := &collect.Recorder{}
	if err := Collect(context.Background(), opts, &mem, rec, nil); err != nil {
		t.Fatal(err)
	}
	res := findingsload.Data(occurrencesFile, mem.File(occurrencesFile))
	if len(res.Problems) != 0 || len(res.Findings) != 2 {
		t.Fatalf("%d findings, problems %v; want the two vulnerability occurrences", len(res.Findings), res.Problems)
	}
	byCVE := map[string]findings.Finding{}
	for _, fd := range res.Findings {
		if fd.Product != findings.ArtifactAnalysis || fd.Kind != findings.Vulnerability {
			t.Errorf("%s: %s %s", fd.ID, fd.Product, fd.Kind)
		}
		byCVE[fd.Title] = fd
	}
	crit, ok := byCVE["CVE-2024-45337"]
	if !ok || crit.Severity != finding.Critical {
		t.Fatalf("CVE-2024-45337: %+v", crit)
	}
	methods, _ := f.Counts()
	// Every active project of the discovery is asked once, by project ID.
	if n := methods["/grafeas.v1.Grafeas/ListOccurrences"]; n != 6 {
		t.Errorf("ListOccurrences called %d times, want once per active project (6)", n)
	}

	checkListingFaults(t, "ListOccurrences projects/web-prod", occurrencesFile, permOccurrence, []listingFault{
		{"not enabled", gcptest.ServiceDisabled("web-prod"), false},
		{"denied", gcptest.Denied(), true},
	})
}

// TestArtifactOccurrencesOfOrganizationProjects: with an organization as
// the only scope, the projects its listing found are asked for their
// occurrences, written under each project's ID.
func TestArtifactOccurrencesOfOrganizationProjects(t *testing.T) {
	f := load(t, filepath.Join("testdata", "server"))
	data, err := structpb.NewStruct(map[string]any{"projectId": "web-prod", "projectNumber": "200000000001", "lifecycleState": "ACTIVE"})
	if err != nil {
		t.Fatal(err)
	}
	key := "organizations/100000000001 RESOURCE"
	f.Assets[key] = append(f.Assets[key], &assetpb.Asset{Name: "//cloudresourcemanager.googleapis.com/projects/200000000001",
		AssetType: "cloudresourcemanager.googleapis.com/Project", Resource: &assetpb.Resource{Version: "v1", Data: data}})
	opts := start(t, f)
	opts.Scope = []string{"organizations/100000000001"}
	var mem collect.Mem
	if err := Collect(context.Background(), opts, &mem, &collect.Recorder{}, nil); err != nil {
		t.Fatal(err)
	}
	if res := findingsload.Data(occurrencesFile, mem.File(occurrencesFile)); len(res.Findings) != 2 {
		t.Fatalf("%d findings (%v); want the project's two vulnerability occurrences", len(res.Findings), res.Problems)
	}
	methods, _ := f.Counts()
	if n := methods["/grafeas.v1.Grafeas/ListOccurrences"]; n != 1 {
		t.Errorf("ListOccurrences called %d times, want once (the one project found)", n)
	}
}
