package cloudformation

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/awsconfig"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/source"
)

// CIS AWS 7.0 5.1-5.15 on CloudFormation, as the Terraform reader reads
// them (tfmap/aws_alarms.go): a multi-region AWS::CloudTrail::Trail
// sending to a log group (CloudWatchLogsLogGroupArn), an
// AWS::Logs::MetricFilter on that group (LogGroupName: a literal or a Ref
// of the AWS::Logs::LogGroup) whose FilterPattern matches the change, and
// an AWS::CloudWatch::Alarm with an action on the filter's metric
// (MetricTransformations' MetricName and MetricNamespace; MetricName given
// as a Ref of the filter is the filter's name). The template is an account
// scope of its own, so the facts (with AuditLogging: a multi-region trail
// that logs, CIS AWS 4.1) are set on an account resource located at its
// first trail. A value known only at deploy, or a resource whose
// Condition is undecided, leaves the change unknown.

const (
	cfnLogGroup     = "AWS::Logs::LogGroup"
	cfnMetricFilter = "AWS::Logs::MetricFilter"
	cfnAlarm        = "AWS::CloudWatch::Alarm"
)

// metricAlarms adds the template's account resource with the audit
// logging and CIS metric filter and alarm facts, when the template
// declares a trail.
func (m *mapper) metricAlarms(batch *source.Batch) {
	var trails []*res
	for _, t := range m.types["AWS::CloudTrail::Trail"] {
		if t.out != nil {
			trails = append(trails, t)
		}
	}
	if len(trails) == 0 {
		return
	}
	patterns := map[*res][]bool{}
	facts := &resource.MetricFilterAlarms{}
	for i := range awsconfig.MetricPatternChanges("") {
		var found []*bool
		for _, t := range trails {
			found = append(found, m.trailWatches(t, i, patterns))
		}
		awsconfig.SetMetricChange(facts, i, or3(found...))
	}
	var logging []*bool // a multi-region trail logging: the account's audit logging (CIS AWS 4.1)
	for _, t := range trails {
		logging = append(logging, and3(deployed(t), boolProp(t.p, "IsLogging", nil), boolProp(t.p, "IsMultiRegionTrail", boolp(false))))
	}
	t := trails[0]
	a := *t.out
	a.ID, a.Type, a.Class = t.out.ID+"#account", "AWS::::Account", resource.ClassAccount
	a.Name, a.Region, a.Relationships, a.Raw, a.Tags = "account", "global", nil, nil, nil
	a.Facts = resource.Facts{Account: &resource.Account{AuditLogging: or3(logging...),
		CIS: &resource.AccountCIS{MetricFilterAlarms: facts}}}
	batch.Resources = append(batch.Resources, &a)
}

// deployed is true for a resource deployed with the stack, nil when its
// Condition is undecided.
func deployed(r *res) *bool {
	if r.maybe {
		return nil
	}
	return boolp(true)
}

// trailWatches: whether a filter of trail t's log group matches change i
// with an alarm on its metric; false for a trail that is single-region,
// stopped or sends nothing to CloudWatch Logs.
func (m *mapper) trailWatches(t *res, i int, patterns map[*res][]bool) *bool {
	on := and3(deployed(t), boolProp(t.p, "IsLogging", nil), boolProp(t.p, "IsMultiRegionTrail", boolp(false)))
	if on != nil && !*on {
		return boolp(false)
	}
	v, st := look(t.p, "CloudWatchLogsLogGroupArn")
	if st == absent {
		return boolp(false)
	}
	var group []string
	if s, isStr := v.(string); isStr {
		parts := strings.Split(s, ":")
		if len(parts) < 7 || parts[2] != "logs" || parts[5] != "log-group" || parts[6] == "" {
			return and3(on, boolp(false))
		}
		group = m.logGroupKeys(parts[6])
	} else {
		group = m.logGroupKeys(v)
	}
	var matched []*bool
	for _, f := range m.types[cfnMetricFilter] {
		var same *bool
		if fg := m.logGroupKeys(f.p["LogGroupName"]); group != nil && fg != nil {
			if !overlap(group, fg) {
				continue
			}
			same = boolp(true)
		}
		matched = append(matched, and3(deployed(f), same, m.filterMatches(f, i, patterns)))
	}
	return and3(on, or3(matched...))
}

// filterMatches: whether filter f's pattern matches change i and an alarm
// with an action watches one of its metrics.
func (m *mapper) filterMatches(f *res, i int, patterns map[*res][]bool) *bool {
	var matches *bool
	switch v, st := look(f.p, "FilterPattern"); st {
	case ok:
		p, done := patterns[f]
		if !done {
			s, _ := v.(string)
			p = awsconfig.MetricPatternChanges(s)
			patterns[f] = p
		}
		matches = boolp(p[i])
	case absent:
		matches = boolp(false)
	}
	if matches != nil && !*matches {
		return matches
	}
	var watched []*bool
	ts, _ := look(f.p, "MetricTransformations")
	for _, t := range asList(ts) {
		watched = append(watched, m.metricWatched(f, t))
	}
	return and3(matches, or3(watched...))
}

// metricWatched: whether an alarm with an action watches the metric of
// transformation t of filter f.
func (m *mapper) metricWatched(f *res, t any) *bool {
	name, nameSt := look(t, "MetricName")
	ns, nsSt := look(t, "MetricNamespace")
	if nameSt != ok || nsSt != ok {
		return nil
	}
	var out []*bool
	for _, a := range m.types[cfnAlarm] {
		act := and3(deployed(a), boolProp(a.p, "ActionsEnabled", boolp(true)), hasActions(a.p))
		if act != nil && !*act {
			continue
		}
		metrics := [][2]any{{a.p["MetricName"], a.p["Namespace"]}}
		qs, _ := look(a.p, "Metrics")
		for _, q := range asList(qs) {
			metric, _ := look(q, "MetricStat", "Metric")
			metrics = append(metrics, [2]any{valueAt(metric, "MetricName"), valueAt(metric, "Namespace")})
		}
		for _, mt := range metrics {
			if mt[0] == nil {
				continue
			}
			out = append(out, and3(act, m.sameMetric(f, mt[0], name), sameText(mt[1], ns)))
		}
	}
	return or3(out...)
}

// sameMetric: whether an alarm's MetricName v names metric name of filter
// f: a literal, or a Ref of the filter (its name).
func (m *mapper) sameMetric(f *res, v, name any) *bool {
	if u, isU := v.(*unknown); isU {
		if contains(u.refs, f.id()) {
			return sameText(f.p["FilterName"], name)
		}
		if len(m.targets(u, cfnMetricFilter)) > 0 {
			return boolp(false) // another filter's name
		}
		return nil
	}
	return sameText(v, name)
}

// sameText: whether two values are the same text; nil when either is
// unknown.
func sameText(a, b any) *bool {
	sa, okA := text(a)
	sb, okB := text(b)
	if !okA || !okB {
		return nil
	}
	return boolp(sa == sb)
}

// logGroupKeys names the log group v designates: the logical ID of an
// AWS::Logs::LogGroup of the template, or its literal name; nil when it is
// known only at deploy.
func (m *mapper) logGroupKeys(v any) []string {
	if ids := m.targets(v, cfnLogGroup); len(ids) > 0 {
		return ids
	}
	if s, isStr := v.(string); isStr && s != "" {
		return []string{"name:" + s}
	}
	return nil
}

func overlap(a, b []string) bool {
	for _, x := range a {
		if contains(b, x) {
			return true
		}
	}
	return false
}

// boolProp reads a boolean property without reporting (the type's mapper
// reports a wrong one): def when absent (IsLogging is required: nil), nil
// when unknown or wrong.
func boolProp(p any, k string, def *bool) *bool {
	v, st := look(p, k)
	switch st {
	case absent:
		return def
	case ok:
		switch t := v.(type) {
		case bool:
			return boolp(t)
		case string:
			if t == "true" || t == "false" {
				return boolp(t == "true")
			}
		}
	}
	return nil
}

// hasActions: whether an alarm has an alarm action.
func hasActions(p map[string]any) *bool {
	v, st := look(p, "AlarmActions")
	switch st {
	case absent:
		return boolp(false)
	case ok:
		l, isList := v.([]any)
		return boolp(isList && len(l) > 0)
	}
	return nil
}

// asList is a list property (or one object) as a list.
func asList(v any) []any {
	switch t := v.(type) {
	case []any:
		return t
	case map[string]any:
		return []any{t}
	}
	return nil
}
