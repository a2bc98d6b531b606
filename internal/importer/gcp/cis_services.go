package gcp

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// More facts of CIS GCP 5.0: the Cloud Asset Inventory API enabled per
// project (2.14) and the encryption of BigQuery tables (7.2).

// Cloud Asset types read for them.
const (
	// TypeService is an API a project enables (Service Usage's Service,
	// class other), read for the project's CIS facts.
	TypeService = "serviceusage.googleapis.com/Service"
	// TypeBigQueryTable is a BigQuery table, a data warehouse; views and
	// external tables, which hold no data of their own, are kept as class
	// other.
	TypeBigQueryTable = "bigquery.googleapis.com/Table"
	cloudAssetAPI     = "cloudasset.googleapis.com"
)

func init() {
	normalizers[TypeService] = func(_ *file, _ *resource.Resource, _, _ node) {}
	normalizers[TypeBigQueryTable] = bigQueryTable
}

// bigQueryTable reads a table's encryption: a Cloud KMS key
// (encryptionConfiguration.kmsKeyName) is customer-managed, none is
// Google-managed; unknown when the field has the wrong type.
func bigQueryTable(_ *file, r *resource.Resource, d, _ node) {
	if !d.present() {
		r.Class = resource.ClassDataWarehouse
		r.Facts.Database = &resource.Database{Engine: "bigquery"}
		return
	}
	switch strings.ToUpper(d.s("type")) {
	case "VIEW", "EXTERNAL":
		return
	}
	r.Class = resource.ClassDataWarehouse
	db := &resource.Database{Engine: "bigquery", Encrypted: boolp(true)}
	r.Facts.Database = db
	if id := d.s("tableReference", "tableId"); id != "" {
		r.Name = id
	}
	switch key, st := d.str("encryptionConfiguration", "kmsKeyName"); {
	case st == bad:
	case key != "":
		db.KeyManager = "customer"
		attr.Relate(r, resource.RelUsesKey, keyName(key))
	default:
		db.KeyManager = "provider"
	}
}

// finishServices sets each project's CloudAssetAPI from its Service
// assets: true when cloudasset.googleapis.com is ENABLED, false when the
// export holds the project's services, every one readable (its name and
// state), and that one is not among the enabled.
func finishServices(all []*resource.Resource, cis map[string]*resource.AccountCIS) {
	known, bad, enabled := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, r := range all {
		if r.Provider != resource.GCP || r.Type != TypeService || r.Account == "" {
			continue
		}
		known[r.Account] = true
		d := read(r)
		name := d.s("config", "name")
		if name == "" {
			name = d.s("name")
			name = name[strings.LastIndex(name, "/")+1:]
		}
		state, st := d.str("state")
		if !d.present() || name == "" || st != ok || d.c.count() > 0 {
			bad[r.Account] = true
			continue
		}
		if name == cloudAssetAPI && strings.EqualFold(state, "ENABLED") {
			enabled[r.Account] = true
		}
	}
	for p := range known {
		var v *bool
		switch {
		case enabled[p]:
			v = resource.Bool(true)
		case !bad[p]:
			v = resource.Bool(false)
		default:
			continue
		}
		if cis[p] == nil {
			cis[p] = &resource.AccountCIS{}
		}
		cis[p].CloudAssetAPI = v
	}
}
