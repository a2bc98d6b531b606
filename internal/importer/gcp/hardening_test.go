package gcp

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// hardeningLines are Cloud Asset export lines of VM and Cloud SQL instances
// with the fields the CIS hardening facts come from, as the Compute Engine
// and Cloud SQL Admin APIs write them.
var hardeningLines = []string{
	// project-wide keys blocked, OS Login on, Confidential VM (SEV)
	`{"name":"//compute.googleapis.com/projects/p/zones/z/instances/good","asset_type":"compute.googleapis.com/Instance","resource":{"data":{"name":"good","metadata":{"items":[{"key":"block-project-ssh-keys","value":"TRUE"},{"key":"enable-oslogin","value":"true"}]},"confidentialInstanceConfig":{"enableConfidentialCompute":true,"confidentialInstanceType":"SEV"}}}}`,
	// no metadata items, no confidential config: keys allowed, OS Login the project's, not confidential
	`{"name":"//compute.googleapis.com/projects/p/zones/z/instances/plain","asset_type":"compute.googleapis.com/Instance","resource":{"data":{"name":"plain","metadata":{"fingerprint":"x"}}}}`,
	// OS Login turned off on the instance; confidential type without the boolean (SEV_SNP)
	`{"name":"//compute.googleapis.com/projects/p/zones/z/instances/off","asset_type":"compute.googleapis.com/Instance","resource":{"data":{"name":"off","metadata":{"items":[{"key":"enable-oslogin","value":"FALSE"},{"key":"block-project-ssh-keys","value":"false"}]},"confidentialInstanceConfig":{"confidentialInstanceType":"SEV_SNP"}}}}`,
	// a metadata item of the wrong shape: both metadata facts unknown
	`{"name":"//compute.googleapis.com/projects/p/zones/z/instances/bad","asset_type":"compute.googleapis.com/Instance","resource":{"data":{"name":"bad","metadata":{"items":["block-project-ssh-keys=TRUE"]}}}}`,
	`{"name":"//cloudsql.googleapis.com/projects/p/instances/pg","asset_type":"sqladmin.googleapis.com/Instance","resource":{"data":{"databaseVersion":"POSTGRES_16","settings":{"databaseFlags":[{"name":"log_connections","value":"on"},{"name":"Log_Statement","value":"ddl"}]}}}}`,
	`{"name":"//cloudsql.googleapis.com/projects/p/instances/none","asset_type":"sqladmin.googleapis.com/Instance","resource":{"data":{"databaseVersion":"MYSQL_8_0","settings":{"tier":"db-f1-micro"}}}}`,
	`{"name":"//cloudsql.googleapis.com/projects/p/instances/nosettings","asset_type":"sqladmin.googleapis.com/Instance","resource":{"data":{"databaseVersion":"SQLSERVER_2022_STANDARD"}}}`,
	`{"name":"//cloudsql.googleapis.com/projects/p/instances/badflag","asset_type":"sqladmin.googleapis.com/Instance","resource":{"data":{"databaseVersion":"MYSQL_8_0","settings":{"databaseFlags":[{"name":"local_infile","value":"off"},"skip_show_database"]}}}}`,
	`{"name":"//compute.googleapis.com/projects/p/global/networks/legacy","asset_type":"compute.googleapis.com/Network","resource":{"data":{"name":"legacy","IPv4Range":"10.240.0.0/16","gatewayIPv4":"10.240.0.1"}}}`,
	`{"name":"//compute.googleapis.com/projects/p/global/networks/vpc","asset_type":"compute.googleapis.com/Network","resource":{"data":{"name":"vpc","autoCreateSubnetworks":false,"subnetworks":["x"]}}}`,
	`{"name":"//bigquery.googleapis.com/projects/p/datasets/open","asset_type":"bigquery.googleapis.com/Dataset","resource":{"data":{"access":[{"role":"OWNER","specialGroup":"projectOwners"},{"role":"READER","specialGroup":"allAuthenticatedUsers"}]}}}`,
	`{"name":"//bigquery.googleapis.com/projects/p/datasets/anon","asset_type":"bigquery.googleapis.com/Dataset","resource":{"data":{"access":[{"role":"READER","iamMember":"allUsers"}]}}}`,
	`{"name":"//bigquery.googleapis.com/projects/p/datasets/private","asset_type":"bigquery.googleapis.com/Dataset","resource":{"data":{"access":[{"role":"OWNER","specialGroup":"projectOwners"},{"role":"READER","domain":"example.com"}]}}}`,
}

func TestHardeningFacts(t *testing.T) {
	res := ParseNDJSON(context.Background(), "hardening.ndjson", []byte(strings.Join(hardeningLines, "\n")))
	by := map[string]*resource.Resource{}
	for _, r := range res.Resources {
		by[r.Name] = r
	}
	b := func(v bool) *bool { return &v }
	vms := []struct {
		name                  string
		block, osLogin, confi *bool
	}{
		{"good", b(true), b(true), b(true)},
		{"plain", b(false), nil, b(false)},
		{"off", b(false), b(false), b(true)},
		{"bad", nil, nil, b(false)},
	}
	for _, w := range vms {
		r := by[w.name]
		if r == nil || r.Facts.Compute == nil {
			t.Fatalf("instance %s not read: %+v", w.name, r)
		}
		c := r.Facts.Compute
		if !reflect.DeepEqual(c.BlockProjectSSHKeys, w.block) || !reflect.DeepEqual(c.OSLogin, w.osLogin) ||
			!reflect.DeepEqual(c.ConfidentialComputing, w.confi) {
			t.Errorf("%s: block-project-ssh-keys %v, os login %v, confidential %v; want %v, %v, %v", w.name,
				show(c.BlockProjectSSHKeys), show(c.OSLogin), show(c.ConfidentialComputing), show(w.block), show(w.osLogin), show(w.confi))
		}
	}
	dbs := []struct {
		name  string
		flags map[string]string
		known bool
	}{
		{"pg", map[string]string{"log_connections": "on", "log_statement": "ddl"}, true},
		{"none", map[string]string{}, true},
		{"nosettings", nil, false},
		{"badflag", nil, false},
	}
	for _, w := range dbs {
		db := by[w.name].Facts.Database
		if db == nil {
			t.Fatalf("%s: no database facts", w.name)
		}
		if got := db.FlagsKnown != nil && *db.FlagsKnown; got != w.known || !reflect.DeepEqual(db.Flags, w.flags) {
			t.Errorf("%s: flags %v (known %v), want %v (known %v)", w.name, db.Flags, got, w.flags, w.known)
		}
	}
	for name, want := range map[string]bool{"legacy": true, "vpc": false} {
		if n := by[name].Facts.Network; n == nil || n.Legacy == nil || *n.Legacy != want {
			t.Errorf("network %s: legacy %+v, want %v", name, n, want)
		}
	}
	for name, want := range map[string]bool{"open": true, "anon": true, "private": false} {
		if db := by[name].Facts.Database; db == nil || db.PublicAccess == nil || *db.PublicAccess != want {
			t.Errorf("dataset %s: public %+v, want %v", name, db, want)
		}
	}
	if len(res.Problems) != 2 {
		t.Errorf("problems %v, want the two wrong-shaped items", res.Problems)
	}
}

func show(b *bool) string {
	if b == nil {
		return "unknown"
	}
	if *b {
		return "true"
	}
	return "false"
}
