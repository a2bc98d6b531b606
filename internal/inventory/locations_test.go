package inventory

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

func loc(region, path, target, country, jurisdiction string) resource.DataLocation {
	return resource.DataLocation{Region: region, Path: path, Target: target, Country: country, Jurisdiction: jurisdiction}
}

func TestLocations(t *testing.T) {
	const p = resource.LocationPrimary
	res := func(prov resource.Provider, class resource.Class, id, region string, data *resource.Data) *resource.Resource {
		return &resource.Resource{Provider: prov, ID: id, Class: class, Region: region, Facts: resource.Facts{Data: data}}
	}
	euMembers := func(path, target string, except ...string) []resource.DataLocation {
		var out []resource.DataLocation
		for _, m := range []struct{ r, c string }{
			{"europe-central2", "PL"}, {"europe-north1", "FI"}, {"europe-north2", "SE"}, {"europe-southwest1", "ES"},
			{"europe-west1", "BE"}, {"europe-west3", "DE"}, {"europe-west4", "NL"}, {"europe-west8", "IT"},
			{"europe-west9", "FR"}, {"europe-west10", "DE"}, {"europe-west12", "IT"},
		} {
			if !slices.Contains(except, m.r) {
				out = append(out, loc(m.r, path, target, m.c, "EU"))
			}
		}
		return out
	}
	cases := []struct {
		name string
		r    *resource.Resource
		want []resource.DataLocation // nil: no data facts
	}{
		{"s3 bucket", res(resource.AWS, resource.ClassObjectStorage, "b1", "eu-west-1", nil),
			[]resource.DataLocation{loc("eu-west-1", p, "", "IE", "EU")}},
		{"s3 replication: primary first", res(resource.AWS, resource.ClassObjectStorage, "b2", "eu-west-2",
			&resource.Data{Locations: []resource.DataLocation{{Region: "us-east-1", Path: "s3-replication", Target: "arn:aws:s3:::dst"}}}),
			[]resource.DataLocation{loc("eu-west-2", p, "", "GB", "UK"), loc("us-east-1", "s3-replication", "arn:aws:s3:::dst", "US", "US")}},
		{"azure GRS secondary", res(resource.Azure, resource.ClassObjectStorage, "sa", "westeurope",
			&resource.Data{Locations: []resource.DataLocation{{Region: "westeurope", Path: p}, {Region: "northeurope", Path: "geo-redundant-storage"}}}),
			[]resource.DataLocation{loc("westeurope", p, "", "NL", "EU"), loc("northeurope", "geo-redundant-storage", "", "IE", "EU")}},
		{"azure display name", res(resource.Azure, resource.ClassDatabase, "db", "UK South", nil),
			[]resource.DataLocation{loc("UK South", p, "", "GB", "UK")}},
		{"gcs EU multi-region", res(resource.GCP, resource.ClassObjectStorage, "gcs", "EU", nil),
			append([]resource.DataLocation{loc("EU", p, "", "", "EU")}, euMembers(p, "")...)},
		{"gcs NAM4 dual-region", res(resource.GCP, resource.ClassObjectStorage, "gcs2", "NAM4", nil),
			[]resource.DataLocation{loc("NAM4", p, "", "US", "US"), loc("us-central1", p, "", "US", "US"), loc("us-east1", p, "", "US", "US")}},
		{"gcs EUR7 spans EU and UK", res(resource.GCP, resource.ClassObjectStorage, "gcs3", "eur7", nil),
			[]resource.DataLocation{loc("eur7", p, "", "", ""), loc("europe-west2", p, "", "GB", "UK"), loc("europe-west3", p, "", "DE", "EU")}},
		{"gcp zonal disk", res(resource.GCP, resource.ClassDisk, "pd", "europe-west1-b", nil),
			[]resource.DataLocation{loc("europe-west1-b", p, "", "BE", "EU")}},
		{"unknown region stays unknown", res(resource.AWS, resource.ClassSecret, "s", "mars-north-1", nil),
			[]resource.DataLocation{loc("mars-north-1", p, "", "", "")}},
		{"global", res(resource.AWS, resource.ClassQueue, "q", "global", nil),
			[]resource.DataLocation{loc("global", p, "", "", "")}},
		{"no region: no location", res(resource.AWS, resource.ClassSnapshot, "snap", "", nil), nil},
		{"not data-bearing", res(resource.AWS, resource.ClassCompute, "vm", "eu-west-1", nil), nil},
		{"key vault", res(resource.Azure, resource.ClassKeyVault, "kv", "switzerlandnorth", nil),
			[]resource.DataLocation{loc("switzerlandnorth", p, "", "CH", "CH")}},
		{"data warehouse", res(resource.GCP, resource.ClassDataWarehouse, "bq", "US", nil),
			append([]resource.DataLocation{loc("US", p, "", "US", "US")}, func() []resource.DataLocation {
				var out []resource.DataLocation
				for _, m := range []string{"us-central1", "us-east1", "us-east4", "us-east5", "us-south1", "us-west1", "us-west2", "us-west3", "us-west4"} {
					out = append(out, loc(m, p, "", "US", "US"))
				}
				return out
			}()...)},
		{"backup copy to a multi-region", res(resource.GCP, resource.ClassBackupVault, "bv", "europe-west4",
			&resource.Data{Locations: []resource.DataLocation{{Region: "eu", Path: "backup-copy", Target: "vault2"}}}),
			append([]resource.DataLocation{loc("europe-west4", p, "", "NL", "EU"), loc("eu", "backup-copy", "vault2", "", "EU")}, euMembers("backup-copy", "vault2", "europe-west4")...)},
		{"a multi-region a source names by its path is expanded under that path, once", res(resource.GCP, resource.ClassObjectStorage, "gcs5", "eu",
			&resource.Data{Locations: []resource.DataLocation{{Region: "EU", Path: "gcs-multi-region"}}}),
			append([]resource.DataLocation{loc("eu", p, "", "", "EU"), loc("EU", "gcs-multi-region", "", "", "EU")}, euMembers("gcs-multi-region", "")...)},
		{"a member already listed is not repeated", res(resource.GCP, resource.ClassObjectStorage, "gcs4", "nam4",
			&resource.Data{Locations: []resource.DataLocation{{Region: "nam4", Path: p}, {Region: "us-east1", Path: p}}}),
			[]resource.DataLocation{loc("nam4", p, "", "US", "US"), loc("us-east1", p, "", "US", "US"), loc("us-central1", p, "", "US", "US")}},
		{"data set on another class is filled", res(resource.AWS, resource.ClassFunction, "fn", "eu-west-1",
			&resource.Data{Locations: []resource.DataLocation{{Region: "eu-west-3", Path: "copy"}}}),
			[]resource.DataLocation{loc("eu-west-3", "copy", "", "FR", "EU")}},
	}
	var rs []*resource.Resource
	for _, c := range cases {
		rs = append(rs, c.r)
	}
	Derive(rs)
	first, _ := json.Marshal(rs)
	for _, c := range cases {
		var got []resource.DataLocation
		if c.r.Facts.Data != nil {
			got = c.r.Facts.Data.Locations
		}
		if c.want == nil && c.r.Facts.Data != nil {
			t.Errorf("%s: data %+v, want none", c.name, c.r.Facts.Data)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got  %+v\n want %+v", c.name, got, c.want)
		}
	}
	Derive(rs)
	if second, _ := json.Marshal(rs); string(second) != string(first) {
		t.Errorf("not idempotent:\n%s\n%s", first, second)
	}
	// Two resources never share a location slice: appending to one leaves
	// the next alone.
	a, b := rs[0].Facts.Data, rs[3].Facts.Data
	a.Locations = append(a.Locations, loc("x", "y", "", "", ""))
	if b.Locations[0].Region != "UK South" {
		t.Error("primary locations share storage")
	}
}

func TestDataClasses(t *testing.T) {
	for _, c := range DataClasses() {
		if !DataBearing(c) {
			t.Errorf("%s", c)
		}
	}
	if DataBearing(resource.ClassCompute) || !DataBearing(resource.ClassObjectStorage) {
		t.Error("DataBearing")
	}
}

// BenchmarkLocations derives the data locations of an inventory of
// data-bearing resources over 40 regions of the three clouds (the
// residency target is 1,000,000 resources per scan); ns/op is per
// resource.
func BenchmarkLocations(b *testing.B) {
	regionsOf := map[resource.Provider][]string{
		resource.AWS:   {"us-east-1", "eu-west-1", "eu-west-2", "ap-southeast-2", "eu-central-1", "us-west-2", "sa-east-1", "ap-northeast-1", "ca-central-1", "eu-north-1", "me-central-1", "af-south-1", "us-east-1a"},
		resource.Azure: {"westeurope", "northeurope", "eastus", "uksouth", "germanywestcentral", "japaneast", "australiaeast", "brazilsouth", "francecentral", "switzerlandnorth", "West Europe", "centralindia", "southeastasia"},
		resource.GCP:   {"europe-west1", "us-central1", "EU", "US", "NAM4", "asia-northeast1", "europe-west2", "eur4", "us-east1-b", "australia-southeast1", "europe-west3", "asia-south1", "me-central2", "northamerica-northeast1"},
	}
	classes := []resource.Class{resource.ClassObjectStorage, resource.ClassDatabase, resource.ClassDisk, resource.ClassSnapshot, resource.ClassQueue, resource.ClassSecret}
	const n = 100_000
	make := func() []*resource.Resource {
		rs := make([]*resource.Resource, n)
		i := 0
		for i < n {
			for _, p := range []resource.Provider{resource.AWS, resource.Azure, resource.GCP} {
				regs := regionsOf[p]
				if i == n {
					break
				}
				r := &resource.Resource{Provider: p, ID: fmt.Sprintf("%s-%d", p, i), Class: classes[i%len(classes)], Region: regs[i%len(regs)]}
				if i%10 == 0 { // one in ten replicates somewhere
					r.Facts.Data = &resource.Data{Locations: []resource.DataLocation{{Region: regs[(i+1)%len(regs)], Path: "replication"}}}
				}
				rs[i] = r
				i++
			}
		}
		return rs
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		rs := make()
		d := newDeriver(rs)
		b.StartTimer()
		d.locations()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/resource")
}
