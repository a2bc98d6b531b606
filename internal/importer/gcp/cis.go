package gcp

import (
	"encoding/json"
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Cloud Asset types of a project's logging and alerting read for the CIS
// project facts (projectCIS): the REST resources of the Logging and
// Monitoring APIs.
const (
	TypeLogSink     = "logging.googleapis.com/LogSink"
	TypeLogMetric   = "logging.googleapis.com/LogMetric"
	TypeAlertPolicy = "monitoring.googleapis.com/AlertPolicy"
	// TypeComputeProject is the Compute Engine view of a project, with its
	// common instance metadata.
	TypeComputeProject = "compute.googleapis.com/Project"
)

// logChanges are the changes of CIS GCP 5.0 2.5-2.12 a log-based metric's
// filter must match: each is a list of alternatives, each alternative a
// list of fragments that must all appear in the filter (lowercased, with
// spaces and quotes removed).
var logChanges = []struct {
	set  func(*resource.LogMetricAlerts, *bool)
	alts [][]string
}{
	{func(l *resource.LogMetricAlerts, b *bool) { l.ProjectOwnership = b },
		[][]string{{"projectownership"}, {"projectownerinvitee"}, {"bindingdeltas.role=roles/owner"}}},
	{func(l *resource.LogMetricAlerts, b *bool) { l.AuditConfig = b },
		[][]string{{"auditconfigdeltas"}, {"setiampolicy", "updatemask=auditconfigs"}}},
	{func(l *resource.LogMetricAlerts, b *bool) { l.CustomRole = b },
		[][]string{{"resource.type=iam_role"}}},
	{func(l *resource.LogMetricAlerts, b *bool) { l.FirewallRule = b },
		[][]string{{"resource.type=gce_firewall_rule"}}},
	{func(l *resource.LogMetricAlerts, b *bool) { l.Route = b },
		[][]string{{"resource.type=gce_route"}}},
	{func(l *resource.LogMetricAlerts, b *bool) { l.Network = b },
		[][]string{{"resource.type=gce_network"}}},
	{func(l *resource.LogMetricAlerts, b *bool) { l.StorageIAM = b },
		[][]string{{"resource.type=gcs_bucket", "storage.setiampermissions"}}},
	{func(l *resource.LogMetricAlerts, b *bool) { l.SQLInstanceConfig = b },
		[][]string{{"cloudsql.instances.update"}}},
}

// normFilter lowercases a logging filter and drops its spaces and quotes.
func normFilter(f string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\n', '\r', '"', '\'':
			return -1
		}
		return r
	}, strings.ToLower(f))
}

func matchesChange(filter string, alts [][]string) bool {
	for _, alt := range alts {
		all := true
		for _, frag := range alt {
			all = all && strings.Contains(filter, frag)
		}
		if all {
			return true
		}
	}
	return false
}

// watches reports whether an alert policy's conditions name the user
// log-based metric name (logging.googleapis.com/user/<name>).
func watches(conditions string, name string) bool {
	ref := "logging.googleapis.com/user/" + name
	for rest := conditions; ; {
		i := strings.Index(rest, ref)
		if i < 0 {
			return false
		}
		rest = rest[i+len(ref):]
		if rest == "" {
			return true
		}
		c := rest[0]
		if !(c == '_' || c == '-' || c == '.' || c == '/' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return true
		}
	}
}

// projectCIS computes the CIS facts of each project from its log sinks,
// log-based metrics and alert policies (and the aggregated sinks of the
// folders and organization above it, by the project's ancestors). A
// project with no logging asset gets none: the export did not include
// them.
func projectCIS(byType map[string][]*resource.Resource, projects map[string]*resource.Resource) map[string]*resource.AccountCIS {
	out := map[string]*resource.AccountCIS{}
	logging := map[string]bool{}
	allEntries := map[string]bool{}
	aggregated := map[string]bool{} // "organizations/N", "folders/N" with a sink of every entry for their children
	for _, s := range byType[TypeLogSink] {
		d := assetData(s)
		every := strings.TrimSpace(d.lstr("filter")) == "" && !attr.Any(d.lbool("disabled")) && d.lstr("destination") != ""
		name := strings.TrimPrefix(s.ID, "//logging.googleapis.com/")
		if i := strings.Index(name, "/sinks/"); i > 0 && !strings.HasPrefix(name, "projects/") {
			if every && attr.Any(d.lbool("includeChildren")) {
				aggregated[name[:i]] = true
			}
			continue
		}
		if s.Account == "" {
			continue
		}
		logging[s.Account] = true
		allEntries[s.Account] = allEntries[s.Account] || every
	}
	type metric struct{ name, filter string }
	metrics := map[string][]metric{}
	for _, m := range byType[TypeLogMetric] {
		if m.Account == "" {
			continue
		}
		logging[m.Account] = true
		d := assetData(m)
		name := d.lstr("name")
		if i := strings.LastIndex(name, "/metrics/"); i >= 0 {
			name = name[i+len("/metrics/"):]
		}
		if name == "" {
			name = m.Name
		}
		metrics[m.Account] = append(metrics[m.Account], metric{name, normFilter(d.lstr("filter"))})
	}
	alertsKnown := map[string]bool{}
	var alerts = map[string][]string{}
	for _, a := range byType[TypeAlertPolicy] {
		if a.Account == "" {
			continue
		}
		alertsKnown[a.Account] = true
		d := assetData(a)
		if b := d.lbool("enabled"); b != nil && !*b {
			continue
		}
		conditions, _ := d.exact("conditions")
		cond, _ := json.Marshal(conditions)
		alerts[a.Account] = append(alerts[a.Account], string(cond))
	}
	// OS Login from the project's common instance metadata; instances
	// that do not set enable-oslogin themselves follow it.
	osLogin := map[string]*bool{}
	for _, cp := range byType[TypeComputeProject] {
		if cp.Account == "" {
			continue
		}
		d := assetData(cp)
		if !d.present() {
			continue
		}
		on := resource.Bool(false)
		for _, it := range d.lobjs("commonInstanceMetadata", "items") {
			if strings.EqualFold(attr.Str(it, "key"), "enable-oslogin") {
				on = metadataBool(attr.Str(it, "value"))
			}
		}
		if on != nil {
			osLogin[cp.Account] = on
			out[cp.Account] = &resource.AccountCIS{OSLogin: on}
		}
	}
	for _, in := range byType[TypeInstance] {
		if c := in.Facts.Compute; c != nil && c.OSLogin == nil && osLogin[in.Account] != nil {
			c.OSLogin = resource.Bool(*osLogin[in.Account])
		}
	}
	for p := range logging {
		c := out[p]
		if c == nil {
			c = &resource.AccountCIS{}
			out[p] = c
		}
		c.LogMetricAlerts = &resource.LogMetricAlerts{}
		every := allEntries[p]
		if pr := projects[p]; pr != nil {
			for _, anc := range attr.Strs(pr.Raw, "ancestors") {
				every = every || aggregated[anc]
			}
		}
		c.LogSinkAllEntries = resource.Bool(every)
		for _, ch := range logChanges {
			matched, alerted := false, false
			for _, m := range metrics[p] {
				if !matchesChange(m.filter, ch.alts) {
					continue
				}
				matched = true
				for _, cond := range alerts[p] {
					alerted = alerted || watches(cond, m.name)
				}
			}
			switch {
			case alerted:
				ch.set(c.LogMetricAlerts, resource.Bool(true))
			case !matched || alertsKnown[p]:
				ch.set(c.LogMetricAlerts, resource.Bool(false))
			}
		}
	}
	return out
}
