package awsnorm

import (
	"slices"
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/awsconfig"
	"github.com/vigil-sec/vigil/internal/resource"
)

// CIS AWS 7.0 5.1-5.15 and 4.1 from a configuration's trails, CloudWatch
// Logs metric filters and alarms, read by the Terraform and CloudFormation
// readers into the shapes below. A nil *bool or *string is a value known
// only at deploy time.

// Trail is a CloudTrail trail: On when it logs every region (logging,
// multi-region, deployed), and the log group it sends to (LogGroupARN:
// absent is nil with Sends false; Groups are the keys of the group, nil
// when known only at deploy; Region is the group's region, "" when the
// configuration does not say it).
type Trail struct {
	On     *bool
	Sends  bool
	Groups []string
	Region string
}

// MetricFilter is a metric filter: whether it is deployed, the keys of its
// log group (nil: known only at deploy), its pattern, the metrics it
// writes and its region ("" when the configuration does not say it): a
// filter names a log group of its own region, and writes metrics there.
type MetricFilter struct {
	Deployed *bool
	Groups   []string
	Pattern  *string
	Metrics  []Metric
	Region   string
}

// Metric is a metric's name and namespace.
type Metric struct{ Name, Namespace *string }

// Alarm is a metric alarm: whether it acts (deployed, actions enabled,
// with an alarm action) and the metrics it watches (its own, or those of
// its metric math), in its region ("" when the configuration does not say
// it): an alarm watches the metrics of its own region.
type Alarm struct {
	Acts    *bool
	Metrics []Metric
	Region  string
}

// TrailGroup reads a trail's log group ARN given as a literal: its name and
// region, and false when it is not a log group's ARN (CloudTrail refuses
// it).
func TrailGroup(arn string) (name, region string, isGroup bool) {
	parts := strings.Split(arn, ":")
	if len(parts) < 7 || parts[2] != "logs" || parts[5] != "log-group" || parts[6] == "" {
		return "", "", false
	}
	return parts[6], parts[3], true
}

// SameRegion compares two regions of a configuration: "" is a region the
// configuration does not say (a provider without one, a stack's), the
// same wherever it is unsaid (one provider, one stack) and unknown beside
// a named one.
func SameRegion(a, b string) *bool {
	if a != b && (a == "" || b == "") {
		return nil
	}
	return boolp(a == b)
}

// MetricAlarms computes the account's CIS facts from the configuration's
// trails, filters and alarms: AuditLogging (a trail that logs every
// region, CIS 4.1) and, per change of 5.1-5.15, whether a filter on the log
// group of such a trail matches it with an alarm that acts on its metric
// (patterns read as the AWS Config importer reads them).
func MetricAlarms(trails []Trail, filters []MetricFilter, alarms []Alarm) (audit *bool, m *resource.MetricFilterAlarms) {
	var on []*bool
	for _, t := range trails {
		on = append(on, t.On)
	}
	audit = resource.Or(on...)
	matches := make([][]bool, len(filters))
	for i, f := range filters {
		if f.Pattern != nil {
			matches[i] = awsconfig.MetricPatternChanges(*f.Pattern)
		}
	}
	m = &resource.MetricFilterAlarms{}
	for c := range awsconfig.MetricPatternChanges("") {
		var found []*bool
		for _, t := range trails {
			found = append(found, trailWatches(t, filters, matches, alarms, c))
		}
		awsconfig.SetMetricChange(m, c, resource.Or(found...))
	}
	return audit, m
}

// trailWatches: whether a filter of trail t's log group matches change c
// with an alarm acting on its metric.
func trailWatches(t Trail, filters []MetricFilter, matches [][]bool, alarms []Alarm, c int) *bool {
	if (t.On != nil && !*t.On) || !t.Sends {
		return boolp(false)
	}
	var matched []*bool
	for i, f := range filters {
		var same *bool // unknown while either log group is
		if t.Groups != nil && f.Groups != nil {
			if !slices.ContainsFunc(t.Groups, func(g string) bool { return slices.Contains(f.Groups, g) }) {
				continue
			}
			same = boolp(true)
		}
		var pattern *bool
		if matches[i] != nil {
			pattern = boolp(matches[i][c])
		}
		var watched []*bool
		if pattern == nil || *pattern {
			for _, fm := range f.Metrics {
				watched = append(watched, metricWatched(fm, f.Region, alarms))
			}
		}
		matched = append(matched, resource.And(f.Deployed, same, SameRegion(t.Region, f.Region), pattern, resource.Or(watched...)))
	}
	return resource.And(t.On, resource.Or(matched...))
}

// metricWatched: whether an alarm that acts watches metric fm of region.
func metricWatched(fm Metric, region string, alarms []Alarm) *bool {
	var out []*bool
	for _, a := range alarms {
		if a.Acts != nil && !*a.Acts {
			continue
		}
		for _, am := range a.Metrics {
			out = append(out, resource.And(a.Acts, SameRegion(a.Region, region), same(am.Name, fm.Name), same(am.Namespace, fm.Namespace)))
		}
	}
	return resource.Or(out...)
}

func same(a, b *string) *bool {
	if a == nil || b == nil {
		return nil
	}
	return boolp(*a == *b)
}

// Bool reads a boolean the way templates write it (true, or the string
// "true"); nil for anything else.
func Bool(v any) *bool {
	switch t := v.(type) {
	case bool:
		return boolp(t)
	case string:
		if t == "true" || t == "false" {
			return boolp(t == "true")
		}
	}
	return nil
}

// List is a list of blocks (or one block) as a list.
func List(v any) []any {
	switch t := v.(type) {
	case []any:
		return t
	case map[string]any:
		return []any{t}
	}
	return nil
}
