package gcp

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Data-bearing types read for governance, and the replication paths
// (resource.DataLocation Path) this importer yields.
const (
	TypeBigQueryDataset = "bigquery.googleapis.com/Dataset"
	TypeSpanner         = "spanner.googleapis.com/Instance"
	TypeBigtable        = "bigtableadmin.googleapis.com/Instance"
	TypeBigtableCluster = "bigtableadmin.googleapis.com/Cluster"
	TypeBackupVault     = "backupdr.googleapis.com/BackupVault"

	PathGCSDualRegion   = "gcs-dual-region"
	PathGCSMultiRegion  = "gcs-multi-region"
	PathCloudSQLReplica = "cloudsql-replica"
	PathBigtableCluster = "bigtable-cluster"
	PathSpannerReplica  = "spanner-replica"
)

// readPaths runs read, which records r's replication paths from d, and
// leaves them unknown (no Data) when a field on the way had the wrong
// type: a partial list could hide the path that carries data out.
func readPaths(r *resource.Resource, d node, read func()) {
	if !d.present() {
		return
	}
	before := d.c.count()
	read()
	if d.c.count() != before {
		r.Facts.Data = nil
	}
}

// bucketLocations: a dual-region bucket (locationType dual-region) keeps
// its data in two regions, a predefined pair (NAM4, EUR4) or the ones
// customPlacementConfig.dataLocations names; a multi-region bucket (EU,
// US, ASIA) anywhere in its multi-region. The region table expands the
// codes into their member regions.
func bucketLocations(r *resource.Resource, d node) {
	readPaths(r, d, func() {
		loc, _ := d.str("location")
		typ, _ := d.str("locationType")
		custom, _ := d.strs("customPlacementConfig", "dataLocations")
		switch {
		case strings.EqualFold(typ, "dual-region") && len(custom) > 0:
			for _, reg := range custom {
				attr.Replicate(r, strings.ToLower(reg), PathGCSDualRegion, "")
			}
		case strings.EqualFold(typ, "dual-region"):
			attr.Replicate(r, loc, PathGCSDualRegion, "")
		case strings.EqualFold(typ, "multi-region"):
			attr.Replicate(r, loc, PathGCSMultiRegion, "")
		}
	})
}

// bigQueryDataset: a BigQuery dataset, whose tables live in its location
// (a region or the US / EU multi-region: the resource's region).
func bigQueryDataset(_ *file, r *resource.Resource, d, _ node) {
	r.Class = resource.ClassDataWarehouse
	db := &resource.Database{Engine: "bigquery", Encrypted: boolp(true)}
	r.Facts.Database = db
	if !d.present() {
		return
	}
	if id := d.s("datasetReference", "datasetId"); id != "" {
		r.Name = id
	}
	if r.Region == "" || r.Region == "global" {
		if loc, st := d.str("location"); st == ok {
			r.Region = strings.ToLower(loc)
		}
	}
	switch key, st := d.str("defaultEncryptionConfiguration", "kmsKeyName"); {
	case st == bad:
		db.Encrypted, db.KeyManager = nil, ""
	case key != "":
		db.KeyManager = "customer"
		attr.Relate(r, resource.RelUsesKey, key)
	default:
		db.KeyManager = "provider"
	}
}

// spannerInstance: a Spanner instance; a multi-region configuration
// (config projects/P/instanceConfigs/nam-eur-asia1) replicates to every
// region of the configuration, named by the configuration's code.
func spannerInstance(_ *file, r *resource.Resource, d, _ node) {
	r.Class = resource.ClassDatabase
	r.Facts.Database = &resource.Database{Engine: "spanner", Encrypted: boolp(true)}
	readPaths(r, d, func() {
		cfg, _ := d.str("config")
		code := cfg[strings.LastIndex(cfg, "/")+1:]
		if code, found := strings.CutPrefix(code, "regional-"); found {
			if r.Region == "" || r.Region == "global" {
				r.Region = code
			}
			return
		}
		if code != "" {
			attr.Replicate(r, code, PathSpannerReplica, "")
		}
	})
}

// bigtableInstance: a Bigtable instance; its clusters (separate assets)
// each hold a replica, added by Finalize.
func bigtableInstance(_ *file, r *resource.Resource, _, _ node) {
	r.Class = resource.ClassDatabase
	r.Facts.Database = &resource.Database{Engine: "bigtable", Encrypted: boolp(true)}
}

// backupVault: a Backup and DR backup vault.
func backupVault(_ *file, r *resource.Resource, _, _ node) {
	r.Class = resource.ClassBackupVault
}

// sqlReplicas records a Cloud SQL instance's replicas (replicaNames, by
// instance name in the same project, or project:instance): their regions
// are resolved by Finalize from the replicas' own assets.
func sqlReplicas(r *resource.Resource, d node) {
	project := projectInName(r.ID)
	readPaths(r, d, func() {
		names, _ := d.strs("replicaNames")
		for _, n := range names {
			attr.Replicate(r, "", PathCloudSQLReplica, sqlInstanceName(project, n))
		}
	})
}

// sqlInstanceName returns a Cloud SQL instance's asset name from a name
// that is bare (same project) or project:instance.
func sqlInstanceName(project, n string) string {
	if p, inst, found := strings.Cut(n, ":"); found {
		project, n = p, inst
	}
	return "//cloudsql.googleapis.com/projects/" + project + "/instances/" + n
}

// finishReplication resolves the regions of Cloud SQL replicas from
// their own assets and puts each Bigtable cluster on its instance.
func finishReplication(byType map[string][]*resource.Resource) {
	sql := map[string]*resource.Resource{}
	for _, r := range byType[TypeSQLInstance] {
		sql[r.ID] = r
	}
	for _, r := range byType[TypeSQLInstance] {
		if r.Facts.Data == nil {
			continue
		}
		for i, l := range r.Facts.Data.Locations {
			if l.Path == PathCloudSQLReplica && l.Region == "" {
				if rep := sql[l.Target]; rep != nil && rep.Region != "global" {
					r.Facts.Data.Locations[i].Region = rep.Region
				}
			}
		}
	}
	instances := map[string]*resource.Resource{}
	for _, r := range byType[TypeBigtable] {
		instances[r.ID] = r
	}
	for _, c := range byType[TypeBigtableCluster] {
		i := strings.Index(c.ID, "/clusters/")
		if i < 0 {
			continue
		}
		if inst := instances[c.ID[:i]]; inst != nil && c.Region != "global" && c.Region != inst.Region {
			attr.Replicate(inst, c.Region, PathBigtableCluster, c.ID)
		}
	}
}
