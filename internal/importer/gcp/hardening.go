package gcp

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// Hardening facts the CIS GCP benchmark checks on VM instances (project-wide
// SSH keys, OS Login, Confidential VM), Cloud SQL instances (database flags),
// networks (legacy mode) and BigQuery datasets (public access entries), read
// after the type's own normalizer.
func init() {
	vm, sql := normalizers[TypeInstance], normalizers[TypeSQLInstance]
	nw, ds := normalizers[TypeNetwork], normalizers[TypeBigQueryDataset]
	normalizers[TypeNetwork] = func(f *file, r *resource.Resource, d, asset node) {
		nw(f, r, d, asset)
		legacyNetwork(r, d)
	}
	normalizers[TypeBigQueryDataset] = func(f *file, r *resource.Resource, d, asset node) {
		ds(f, r, d, asset)
		datasetAccess(r, d)
	}
	normalizers[TypeInstance] = func(f *file, r *resource.Resource, d, asset node) {
		vm(f, r, d, asset)
		instanceHardening(r, d)
		osInventory(r, asset) // cis_osinventory.go
	}
	normalizers[TypeSQLInstance] = func(f *file, r *resource.Resource, d, asset node) {
		sql(f, r, d, asset)
		sqlFlags(r, d)
	}
}

// metadataBool reads a metadata value as GCE does (TRUE, true, 1, yes, y;
// FALSE, false, 0, no, n): nil for any other text.
func metadataBool(v string) *bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "1", "yes", "y":
		return boolp(true)
	case "false", "0", "no", "n":
		return boolp(false)
	}
	return nil
}

// MetadataBool is metadataBool for the IaC readers (tfmap), which read
// the same metadata keys from Terraform.
func MetadataBool(v string) *bool { return metadataBool(v) }

// instanceHardening reads metadata.items (block-project-ssh-keys: not set
// is false; enable-oslogin: not set leaves the project's value, unknown
// here) and confidentialInstanceConfig (absent: not a Confidential VM).
func instanceHardening(r *resource.Resource, d node) {
	c := r.Facts.Compute
	if c == nil || !d.present() {
		return
	}
	before := d.c.count()
	items, _ := d.objs("metadata", "items")
	block := boolp(false)
	var osLogin *bool
	for _, it := range items {
		switch it.s("key") {
		case "block-project-ssh-keys":
			block = metadataBool(it.s("value"))
		case "enable-oslogin":
			osLogin = metadataBool(it.s("value"))
		}
	}
	if d.c.count() == before { // an item of the wrong shape could be either key
		c.BlockProjectSSHKeys, c.OSLogin = block, osLogin
	}
	if mt := d.s("machineType"); mt != "" {
		c.MachineType = mt[strings.LastIndex(mt, "/")+1:]
	}
	cc, st := d.obj("confidentialInstanceConfig")
	switch st {
	case absent:
		c.ConfidentialComputing = boolp(false)
	case ok:
		on := cc.flag("enableConfidentialCompute")
		if t := cc.s("confidentialInstanceType"); t != "" && t != "CONFIDENTIAL_INSTANCE_TYPE_UNSPECIFIED" {
			on = boolp(true)
		}
		c.ConfidentialComputing = on
	}
}

// sqlFlags reads settings.databaseFlags ({name, value}): Google APIs omit
// an empty list, so a present settings object without it has no flag set.
// A flag of the wrong shape leaves them all unknown.
func sqlFlags(r *resource.Resource, d node) {
	db := r.Facts.Database
	if db == nil || !d.present() {
		return
	}
	s, st := d.obj("settings")
	if st != ok {
		return
	}
	before := s.c.count()
	list, _ := s.objs("databaseFlags")
	flags := make(map[string]string, len(list))
	for _, fl := range list {
		if name := fl.s("name"); name != "" {
			flags[strings.ToLower(name)] = fl.s("value")
		}
	}
	if s.c.count() == before {
		db.Flags, db.FlagsKnown = flags, boolp(true)
	}
}

// legacyNetwork: a legacy network has a single range (IPv4Range, which
// VPC networks do not have).
func legacyNetwork(r *resource.Resource, d node) {
	n := r.Facts.Network
	if n == nil || !d.present() {
		return
	}
	switch v, st := d.str("IPv4Range"); st {
	case ok:
		n.Legacy = boolp(v != "")
	case absent:
		n.Legacy = boolp(false)
	}
}

// datasetAccess: a BigQuery dataset is public when an access entry grants
// a role to allAuthenticatedUsers (specialGroup) or to allUsers or
// allAuthenticatedUsers (iamMember).
func datasetAccess(r *resource.Resource, d node) {
	db := r.Facts.Database
	if db == nil || !d.present() {
		return
	}
	before := d.c.count()
	entries, _ := d.objs("access")
	public := false
	for _, e := range entries {
		switch {
		case e.s("specialGroup") == "allAuthenticatedUsers":
			public = true
		case e.s("iamMember") == "allUsers" || e.s("iamMember") == "allAuthenticatedUsers":
			public = true
		}
	}
	if d.c.count() == before || public {
		db.PublicAccess = boolp(public)
	}
}
