package azure

import (
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/inventory"
	"github.com/vigil-sec/vigil/internal/resource"
)

// TestSnapshotCopyAcrossRegions: a snapshot copied into another region
// (createOption CopyStart) gives its source snapshot a data location there
// through snapshot-copy; a snapshot taken from a disk (createOption Copy of
// a disk, same region) adds none.
func TestSnapshotCopyAcrossRegions(t *testing.T) {
	res := parseDoc(t, `{"count":3,"data":[
{"id":"`+sp+`Microsoft.Compute/disks/d1","name":"d1","type":"microsoft.compute/disks","location":"westeurope","properties":{"diskState":"Unattached"}},
{"id":"`+sp+`Microsoft.Compute/snapshots/src","name":"src","type":"microsoft.compute/snapshots","location":"westeurope","properties":{"creationData":{"createOption":"Copy","sourceResourceId":"`+sp+`Microsoft.Compute/disks/d1"}}},
{"id":"`+sp+`Microsoft.Compute/snapshots/dr","name":"dr","type":"microsoft.compute/snapshots","location":"eastus","properties":{"creationData":{"createOption":"CopyStart","sourceResourceId":"`+sp+`Microsoft.Compute/snapshots/src"}}}
]}`)
	inventory.Derive(res.Resources)
	m := byName(res)
	want := resource.DataLocation{Region: "eastus", Path: resource.PathSnapshotCopy, Target: sp + "Microsoft.Compute/snapshots/dr", Country: "US", Jurisdiction: "US"}
	var got []resource.DataLocation
	for _, l := range m["src"].Facts.Data.Locations {
		if l.Path != resource.LocationPrimary {
			got = append(got, l)
		}
	}
	if len(got) != 1 || got[0].Region != want.Region || got[0].Path != want.Path || !equalFoldID(got[0].Target, want.Target) || got[0].Jurisdiction != "US" {
		t.Errorf("source snapshot copies = %+v, want %+v", got, want)
	}
	for _, name := range []string{"d1", "dr"} {
		for _, l := range m[name].Facts.Data.Locations {
			if l.Path != resource.LocationPrimary {
				t.Errorf("%s has a copy location %+v", name, l)
			}
		}
	}
}

func equalFoldID(a, b string) bool { return strings.EqualFold(a, b) }
