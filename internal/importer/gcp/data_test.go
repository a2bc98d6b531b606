package gcp

import (
	"reflect"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// paths returns r's replication paths as region|path|target (primary
// locations, added by derivation, left out).
func paths(r *resource.Resource) []string {
	if r.Facts.Data == nil {
		return nil
	}
	var out []string
	for _, l := range r.Facts.Data.Locations {
		if l.Path != resource.LocationPrimary {
			out = append(out, l.Region+"|"+l.Path+"|"+l.Target)
		}
	}
	return out
}

// Every replication path of the Cloud Asset lines in
// testdata/replication.ndjson.
func TestReplicationPaths(t *testing.T) {
	m, _, _ := load(t, "replication.ndjson")
	const sql = "//cloudsql.googleapis.com/projects/acme-prod/instances/"
	for _, tc := range []struct {
		id    string
		class resource.Class
		want  []string
	}{
		{"//storage.googleapis.com/acme-eu-multi", resource.ClassObjectStorage, []string{"EU|gcs-multi-region|"}},
		{"//storage.googleapis.com/acme-nam4", resource.ClassObjectStorage, []string{"NAM4|gcs-dual-region|"}},
		{"//storage.googleapis.com/acme-custom-dual", resource.ClassObjectStorage, []string{"europe-west1|gcs-dual-region|", "europe-west4|gcs-dual-region|"}},
		{"//storage.googleapis.com/acme-regional", resource.ClassObjectStorage, nil},
		{"//bigquery.googleapis.com/projects/acme-prod/datasets/analytics_eu", resource.ClassDataWarehouse, nil},
		// A replica's region from its own asset; one not exported keeps its name.
		{sql + "ledger", resource.ClassDatabase, []string{"us-central1|cloudsql-replica|" + sql + "ledger-replica-us", "|cloudsql-replica|" + sql + "ledger-replica-missing"}},
		{sql + "ledger-replica-us", resource.ClassDatabase, nil},
		{"//spanner.googleapis.com/projects/acme-prod/instances/catalog", resource.ClassDatabase, []string{"eur3|spanner-replica|"}},
		{"//bigtableadmin.googleapis.com/projects/acme-prod/instances/events", resource.ClassDatabase, []string{
			"europe-west1-b|bigtable-cluster|//bigtableadmin.googleapis.com/projects/acme-prod/instances/events/clusters/events-c1",
			"us-east1-c|bigtable-cluster|//bigtableadmin.googleapis.com/projects/acme-prod/instances/events/clusters/events-c2"}},
		{"//backupdr.googleapis.com/projects/acme-prod/locations/europe-west1/backupVaults/bv-prod", resource.ClassBackupVault, nil},
	} {
		r := m[tc.id]
		if r == nil {
			t.Fatalf("missing %s", tc.id)
		}
		if r.Class != tc.class {
			t.Errorf("%s: class %s, want %s", tc.id, r.Class, tc.class)
		}
		if got := paths(r); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: paths\n got %q\nwant %q", tc.id, got, tc.want)
		}
	}
	ds := m["//bigquery.googleapis.com/projects/acme-prod/datasets/analytics_eu"]
	if ds.Region != "eu" || ds.Name != "analytics_eu" || ds.Facts.Database == nil || ds.Facts.Database.Engine != "bigquery" {
		t.Errorf("dataset %s %s %+v", ds.Region, ds.Name, ds.Facts.Database)
	}
}

// A Compute Engine snapshot or image is a global resource: its data is
// where storageLocations says (the sample's snapshots: the US
// multi-region, expanded into its member regions, all in the US).
func TestSnapshotStorageLocations(t *testing.T) {
	m := loadSample(t)
	r := m["//compute.googleapis.com/projects/nw-analytics-prod/global/snapshots/nw-etl-worker-1-20261120"]
	if r == nil || r.Facts.Data == nil || len(r.Facts.Data.Locations) < 2 {
		t.Fatalf("snapshot data = %+v", r)
	}
	first := r.Facts.Data.Locations[0]
	if first.Region != "us" || first.Path != resource.LocationPrimary || first.Jurisdiction != "US" {
		t.Errorf("first location %+v, want the US multi-region, primary", first)
	}
	for _, l := range r.Facts.Data.Locations {
		if l.Region == "global" || l.Jurisdiction != "US" {
			t.Errorf("location %+v: want only US places, never global", l)
		}
	}
}
