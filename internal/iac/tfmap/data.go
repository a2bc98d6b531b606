package tfmap

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/regions"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Replication paths (resource.DataLocation Path), named as the export
// importers name them, so governance rules judge a configuration before
// deploy as they judge the deployed resources.

// replicate records a replication path on out (see
// resource.DataLocation); a path with neither region nor target says
// nothing.
func replicate(out *resource.Resource, region, path, target string) {
	if region == "" && target == "" && path != "geo-redundant-storage" {
		return
	}
	out.AddDataLocation(region, path, target)
}

// s3Replication reads aws_s3_bucket_replication_configuration resources
// on the bucket (and the deprecated inline replication_configuration
// block): every enabled rule's destination bucket, whose region is its
// provider configuration's when the bucket is in the configuration,
// unknown otherwise.
func s3Replication(m *mapper, r *inst, out *resource.Resource) {
	type src struct {
		in    *inst
		rules []string
	}
	srcs := []src{{r, []string{"replication_configuration", "rules"}}}
	for _, a := range m.attachedTo(r, "aws_s3_bucket_replication_configuration") {
		srcs = append(srcs, src{a, []string{"rule"}})
	}
	for _, sc := range srcs {
		m.cur = sc.in
		rules, _ := m.blocks(sc.in.a, sc.rules...)
		for _, rule := range rules {
			if st, sst := m.str(rule, "status"); sst == ok && !strings.EqualFold(st, "Enabled") {
				continue
			}
			dests, _ := m.blocks(rule, "destination")
			for _, d := range dests {
				v, st := look(d, "bucket")
				if st == absent || st == bad {
					continue
				}
				region, target := "", ""
				if s, isStr := v.(string); isStr {
					target = s
				}
				for _, t := range m.targets(v, bucketTypes...) {
					region = t.in.Region
					if name, isStr := t.a["bucket"].(string); isStr && name != "" {
						target = "arn:aws:s3:::" + name
					} else {
						target = rid(t.in)
					}
				}
				if target == "" {
					target = "(known after apply)"
				}
				replicate(out, region, "s3-replication", target)
			}
		}
	}
	m.cur = r
}

// dynamoDBTable: aws_dynamodb_table. Its replica blocks (global tables
// version 2019.11.21) each keep a full copy in region_name.
func dynamoDBTable(m *mapper, r *inst, out *resource.Resource) {
	d := &resource.Database{Engine: "dynamodb", PublicEndpoint: boolp(false), Encrypted: boolp(true), KeyManager: "provider"}
	out.Facts.Database = d
	sse, _ := m.blocks(r.a, "server_side_encryption")
	for _, b := range sse {
		if on := m.boolean(b, boolp(false), "enabled"); on != nil && *on {
			d.KeyManager = "provider" // aws/dynamodb unless a key is named
			if key, st := look(b, "kms_key_arn"); st != absent {
				d.KeyManager = keyManager(key)
			}
		}
	}
	d.BackupEnabled = boolp(false)
	if pitr, _ := m.blocks(r.a, "point_in_time_recovery"); len(pitr) > 0 {
		d.BackupEnabled = m.boolean(pitr[0], boolp(false), "enabled")
	}
	d.DeletionProtection = m.boolean(r.a, boolp(false), "deletion_protection_enabled")
	replicas, _ := m.blocks(r.a, "replica")
	for _, rep := range replicas {
		if reg, st := m.str(rep, "region_name"); st == ok && reg != "" && reg != out.Region {
			replicate(out, reg, "dynamodb-global-table", "")
		}
	}
}

// azureStorageReplication: account_replication_type GRS, RAGRS, GZRS or
// RAGZRS keeps a copy in the location's paired region (from the shipped
// region table; empty when the location is not known before apply).
func azureStorageReplication(m *mapper, r *inst, out *resource.Resource) {
	if loc, st := m.str(r.a, "location"); st == ok && loc != "" {
		out.Region = strings.ToLower(strings.ReplaceAll(loc, " ", ""))
	}
	typ, st := m.str(r.a, "account_replication_type")
	if st != ok {
		return
	}
	switch strings.ToUpper(typ) {
	case "GRS", "RAGRS", "GZRS", "RAGZRS":
		pair := ""
		if reg, found := regions.Lookup("azure", out.Region); found && out.Region != "" {
			pair = reg.Pair
		}
		replicate(out, pair, "geo-redundant-storage", "")
	}
}

// gcsLocation: a google_storage_bucket's location is a region, a dual-
// region (NAM4, EUR4, or a custom_placement_config's data_locations) or a
// multi-region (EU, US, ASIA), told apart by the region table.
func gcsLocation(m *mapper, r *inst, out *resource.Resource) {
	loc, st := m.str(r.a, "location")
	if st != ok || loc == "" {
		return
	}
	out.Region = strings.ToLower(loc)
	var custom []string
	if cp, _ := m.blocks(r.a, "custom_placement_config"); len(cp) > 0 {
		custom, _, _ = m.strs(cp[0], "data_locations")
	}
	if len(custom) > 0 {
		for _, c := range custom {
			replicate(out, strings.ToLower(c), "gcs-dual-region", "")
		}
		return
	}
	reg, found := regions.Lookup("gcp", loc)
	if !found || !reg.Multi() {
		return
	}
	path := "gcs-multi-region"
	if len(reg.Members) == 2 {
		path = "gcs-dual-region"
	}
	replicate(out, strings.ToUpper(loc), path, "")
}

// IsDataAddr reports whether a Terraform address names a data source
// (data.aws_iam_policy_document.p, module.m["k"].data.aws_ami.a) rather
// than a managed resource, whatever its modules are called (a module
// named "data" holds managed resources: module.data.aws_s3_bucket.b).
func IsDataAddr(addr string) bool {
	for strings.HasPrefix(addr, "module.") {
		rest := addr[len("module."):]
		depth, cut := 0, -1
		for i := 0; i < len(rest) && cut < 0; i++ {
			switch rest[i] {
			case '[':
				depth++
			case ']':
				depth--
			case '.':
				if depth == 0 {
					cut = i
				}
			}
		}
		if cut < 0 {
			return false
		}
		addr = rest[cut+1:]
	}
	return strings.HasPrefix(addr, "data.")
}
