package gcp

import (
	"context"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// CIS GCP 5.0 7.4: BigQuery data classified by Sensitive Data Protection's
// discovery ("Verify there is a discovery scan configuration either for the
// organization or project"). Cloud Asset Inventory does not export
// discovery configurations; they are the DLP API's list responses,
// `GET https://dlp.googleapis.com/v2/projects/P/locations/L/discoveryConfigs`
// (a project's) and `.../v2/organizations/O/locations/L/discoveryConfigs`
// (the organization's and its folders'), saved as dlpdiscoveryconfigs.json
// in gcp/P/ or gcp/organization-O/ (one list response, or an array of them
// for several locations):
//
//	{"discoveryConfigs": [{"name": "organizations/O/locations/global/discoveryConfigs/c1",
//	  "orgConfig": {"location": {"organizationId": "O"}, "projectId": "dlp-host"},
//	  "targets": [{"bigQueryTarget": {"filter": {"otherTables": {}}, "cadence": {}}}],
//	  "status": "RUNNING"}]}
//
// A project's BigQuery data is profiled when a RUNNING configuration with a
// BigQuery target that is not `disabled` is the project's own or starts at
// its organization or a folder above it (orgConfig.location). A list
// without such a configuration is known to be none only for the scope it
// lists: the project is judged not profiled when the input holds its own
// listing and its organization's (folder configurations are listed under
// the organization), or its own alone for a project in no organization.

// Sensitive Data Protection discovery listing.
const (
	FormatDLPDiscovery = "gcp-dlp-discovery-configs"
	TypeDLPDiscovery   = "dlp.googleapis.com/DiscoveryConfigListing"
	dlpDiscoveryFile   = "dlpdiscoveryconfigs.json"
	// Raw keys of a listing resource.
	dlpScope      = "scope"      // projects/P or organizations/O: what was listed
	dlpCovers     = "covers"     // starting locations of running BigQuery profiling
	dlpConfigs    = "configs"    // those configurations' names
	dlpUnreadable = "unreadable" // a configuration could not be read
)

var dlpConfigName = regexp.MustCompile(`^(projects|organizations)/([^/]+)/locations/[^/]+/discoveryConfigs/[^/]+$`)

// DetectDLPDiscovery returns FormatDLPDiscovery for a DLP discovery
// configuration list response (or an array of them) naming at least one
// configuration; an empty listing is told by its file name (ParseByName).
func DetectDLPDiscovery(doc any) string {
	for _, l := range dlpLists(doc) {
		for _, c := range attr.Objs(l, "discoveryConfigs") {
			if dlpConfigName.MatchString(attr.Str(c, "name")) {
				return FormatDLPDiscovery
			}
		}
	}
	return ""
}

// dlpLists are the list responses of a document: one object, or an array.
func dlpLists(doc any) []attr.M {
	switch d := doc.(type) {
	case attr.M:
		return []attr.M{d}
	case []any:
		var out []attr.M
		for _, e := range d {
			if m := attr.AsObj(e); m != nil {
				out = append(out, m)
			}
		}
		if len(out) == len(d) {
			return out
		}
	}
	return nil
}

// ParseByName reads a document that only its file name tells: a DLP
// discovery configuration listing (dlpdiscoveryconfigs.json) of the
// project or organization its directory is named after (gcp/P/,
// gcp/organization-O/), an empty one ({} or {"discoveryConfigs": []})
// included. It returns nil for other names.
func ParseByName(ctx context.Context, path, base string, doc any) *attr.Result {
	if !strings.EqualFold(base, dlpDiscoveryFile) || dlpLists(doc) == nil {
		return nil
	}
	dir := filepath.Base(filepath.Dir(path))
	scope := "projects/" + dir
	if org, ok := strings.CutPrefix(dir, "organization-"); ok {
		scope = "organizations/" + org
	}
	return parseDLPDiscovery(ctx, path, doc, scope)
}

// ParseDLPDiscovery reads a discovery configuration listing named by its
// configurations (DetectDLPDiscovery).
func ParseDLPDiscovery(ctx context.Context, path string, doc any) *attr.Result {
	if r := ParseByName(ctx, path, filepath.Base(path), doc); r != nil {
		return r
	}
	scope := ""
	for _, l := range dlpLists(doc) {
		for _, c := range attr.Objs(l, "discoveryConfigs") {
			if m := dlpConfigName.FindStringSubmatch(attr.Str(c, "name")); m != nil && scope == "" {
				scope = m[1] + "/" + m[2]
			}
		}
	}
	return parseDLPDiscovery(ctx, path, doc, scope)
}

// parseDLPDiscovery reads a listing of scope into one resource of class
// other whose Raw says which starting locations running BigQuery
// profiling covers; finishDLPDiscovery sets the projects' facts from it.
func parseDLPDiscovery(_ context.Context, path string, doc any, scope string) *attr.Result {
	res := &attr.Result{Format: FormatDLPDiscovery}
	r := &resource.Resource{Provider: resource.GCP, Region: "global", Type: TypeDLPDiscovery,
		ID: "//dlp.googleapis.com/" + scope + "/discoveryConfigs", Name: "discoveryConfigs", Source: path, Class: resource.ClassOther}
	if p, isProject := strings.CutPrefix(scope, "projects/"); isProject {
		r.Account = p
	}
	res.AddUnsupported(r) // read for the projects' CIS facts, judged by no rule
	c := &checker{name: r.ID}
	var covers, configs []any
	for _, l := range dlpLists(doc) {
		list := node{m: l, c: c}
		cfgs, _ := list.objs("discoveryConfigs")
		for _, cfg := range cfgs {
			if !dlpProfilesBigQuery(cfg) {
				continue
			}
			name := cfg.s("name")
			start := scope
			if oc, st := cfg.obj("orgConfig"); st == ok {
				loc := oc.o("location")
				if f := loc.s("folderId"); f != "" {
					start = "folders/" + f
				} else if o := loc.s("organizationId"); o != "" {
					start = "organizations/" + o
				}
			}
			covers = append(covers, start)
			configs = append(configs, name)
		}
	}
	r.Raw = attr.M{dlpScope: scope, dlpCovers: covers, dlpConfigs: configs}
	if c.count() > 0 {
		r.Raw[dlpUnreadable] = true
	}
	for _, p := range c.problems {
		p.Path = path
		res.Problems = append(res.Problems, p)
	}
	res.Resources = append(res.Resources, r)
	return res
}

// dlpProfilesBigQuery says whether a discovery configuration is running and
// has a BigQuery target that profiles (not `disabled`).
func dlpProfilesBigQuery(cfg node) bool {
	if !strings.EqualFold(cfg.s("status"), "RUNNING") {
		return false
	}
	targets, _ := cfg.objs("targets")
	for _, t := range targets {
		if bq, st := t.obj("bigQueryTarget"); st == ok && !bq.has("disabled") {
			return true
		}
	}
	return false
}

// finishDLPDiscovery sets each project's BigQueryData (it holds BigQuery
// datasets in the input) and BigQueryDiscovery: true when a running
// BigQuery profiling configuration of the project, of a folder above it or
// of its organization covers it; false when the input lists the project's
// configurations and its organization's (or the project's alone when it
// is in no organization) and none does; unknown otherwise, or when a
// listing that could decide it was not read whole.
func finishDLPDiscovery(all []*resource.Resource, cis map[string]*resource.AccountCIS) {
	listed, unreadable := map[string]bool{}, map[string]bool{}
	covered := map[string][]string{} // starting location -> configuration names
	datasets := map[string]bool{}    // projects with BigQuery datasets
	for _, r := range all {
		if r.Provider != resource.GCP {
			continue
		}
		if r.Type == TypeBigQueryDataset && r.Account != "" {
			datasets[r.Account] = true
		}
		if r.Type != TypeDLPDiscovery {
			continue
		}
		scope := attr.Str(r.Raw, dlpScope)
		listed[scope] = true
		if b := attr.Bool(r.Raw, dlpUnreadable); b != nil && *b {
			unreadable[scope] = true
		}
		names := attr.Strs(r.Raw, dlpConfigs)
		for i, start := range attr.Strs(r.Raw, dlpCovers) {
			if i < len(names) {
				covered[start] = append(covered[start], names[i])
			}
		}
	}
	if len(listed) == 0 && len(datasets) == 0 {
		return
	}
	for _, r := range all {
		if r.Provider != resource.GCP || r.Type != TypeProject || r.Account == "" {
			continue
		}
		own := []string{"projects/" + r.Account}
		if num := assetData(r).lstr("projectNumber"); num != "" {
			own = append(own, "projects/"+num)
		}
		org, scopes := "", slices.Clone(own)
		for _, a := range attr.Strs(r.Raw, "ancestors") {
			if strings.HasPrefix(a, "organizations/") {
				org = a
			}
			if strings.HasPrefix(a, "organizations/") || strings.HasPrefix(a, "folders/") {
				scopes = append(scopes, a)
			}
		}
		var by []string
		ownListed, bad := false, unreadable[org]
		for _, s := range scopes {
			by = append(by, covered[s]...)
		}
		for _, s := range own {
			ownListed = ownListed || listed[s]
			bad = bad || unreadable[s]
		}
		var v *bool
		switch {
		case len(by) > 0:
			v = resource.Bool(true)
		case bad:
		case ownListed && (org == "" || listed[org]):
			v = resource.Bool(false)
		}
		if v == nil && !datasets[r.Account] {
			continue
		}
		if cis[r.Account] == nil {
			cis[r.Account] = &resource.AccountCIS{}
		}
		c := cis[r.Account]
		if datasets[r.Account] {
			c.BigQueryData = resource.Bool(true)
		}
		slices.Sort(by)
		c.BigQueryDiscovery, c.BigQueryDiscoveryConfigs = v, slices.Compact(by)
	}
}
