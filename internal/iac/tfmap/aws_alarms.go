package tfmap

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/awsconfig"
	"github.com/vigil-sec/vigil/internal/resource"
)

// CIS AWS 7.0 5.1-5.15 on Terraform: a multi-region aws_cloudtrail sending
// to a CloudWatch Logs log group (cloud_watch_logs_group_arn), an
// aws_cloudwatch_log_metric_filter on that group whose pattern matches the
// change, and an aws_cloudwatch_metric_alarm with an action on the
// filter's metric (metric_transformation name and namespace; metric_name
// given as a reference to the filter is the filter's id, its name). The
// patterns are judged by the AWS Config importer's reading
// (awsconfig.MetricPatternChanges), so a filter passes here when it would
// pass live. The facts are the account's (MetricFilterAlarms, and
// AuditLogging: a multi-region trail that logs, CIS AWS 4.1): known when
// the root module declares a trail, set on its AWS account resources, or on
// an account resource located at its first trail when it declares none. A
// log group, pattern, metric or alarm action known only at apply leaves the
// change unknown; log groups and alarms of other root modules are not seen,
// as they are another account scope.

const (
	logGroupType    = "aws_cloudwatch_log_group"
	metricFilterTyp = "aws_cloudwatch_log_metric_filter"
	metricAlarmType = "aws_cloudwatch_metric_alarm"
)

// metricAlarms sets the audit logging and CIS metric filter and alarm
// facts of the root module's accounts (see above); run after every
// instance is mapped.
func (m *mapper) metricAlarms() {
	trails := m.byType["aws_cloudtrail"]
	if len(trails) == 0 {
		return
	}
	byAcct := map[string][]*inst{}
	var accts []string
	for _, t := range trails {
		if t.out == nil {
			continue
		}
		if byAcct[t.out.Account] == nil {
			accts = append(accts, t.out.Account)
		}
		byAcct[t.out.Account] = append(byAcct[t.out.Account], t)
	}
	filters := m.byType[metricFilterTyp]
	patterns := map[*inst][]bool{}
	for _, acct := range accts {
		facts := &resource.MetricFilterAlarms{}
		for i := range awsconfig.MetricPatternChanges("") {
			var found []*bool
			for _, t := range byAcct[acct] {
				found = append(found, m.trailWatches(t, filters, i, patterns))
			}
			awsconfig.SetMetricChange(facts, i, or3(found...))
		}
		var logging []*bool // a multi-region trail logging: the account's audit logging (CIS AWS 4.1)
		for _, t := range byAcct[acct] {
			logging = append(logging, and3(boolAttr(t.a, "enable_logging", true), boolAttr(t.a, "is_multi_region_trail", false)))
		}
		audit := or3(logging...)
		placed := false
		for _, r := range m.all {
			if r.out == nil || r.out.Class != resource.ClassAccount || r.out.Provider != resource.AWS || r.out.Account != acct {
				continue
			}
			accountCIS(r.out).MetricFilterAlarms = facts
			r.out.Facts.Account.AuditLogging = audit
			placed = true
		}
		if !placed {
			t := byAcct[acct][0]
			a := *t.out
			a.ID, a.Type, a.Class = t.out.ID+"#account", "AWS::::Account", resource.ClassAccount
			a.Name, a.Region, a.Relationships, a.Raw, a.Tags = "account", "global", nil, nil, nil
			a.Facts = resource.Facts{}
			accountCIS(&a).MetricFilterAlarms = facts
			a.Facts.Account.AuditLogging = audit
			m.extra = append(m.extra, &a)
		}
	}
}

// accountCIS returns the account CIS facts of an account resource, made
// when absent.
func accountCIS(out *resource.Resource) *resource.AccountCIS {
	if out.Facts.Account == nil {
		out.Facts.Account = &resource.Account{}
	}
	if out.Facts.Account.CIS == nil {
		out.Facts.Account.CIS = &resource.AccountCIS{}
	}
	return out.Facts.Account.CIS
}

// trailWatches: whether a filter of trail t's log group matches change i
// with an alarm on its metric; false for a trail that is single-region,
// stopped or sends nothing to CloudWatch Logs.
func (m *mapper) trailWatches(t *inst, filters []*inst, i int, patterns map[*inst][]bool) *bool {
	on := and3(boolAttr(t.a, "enable_logging", true), boolAttr(t.a, "is_multi_region_trail", false))
	if on != nil && !*on {
		return boolp(false)
	}
	v, st := look(t.a, "cloud_watch_logs_group_arn")
	if st == absent {
		return boolp(false)
	}
	var group []string
	if s, isStr := v.(string); isStr {
		parts := strings.Split(s, ":")
		if len(parts) < 7 || parts[2] != "logs" || parts[5] != "log-group" || parts[6] == "" {
			return and3(on, boolp(false)) // not a log group's ARN: CloudTrail refuses it
		}
		group = m.logGroupKeys(parts[6])
	} else {
		group = m.logGroupKeys(v)
	}
	var matched []*bool
	for _, f := range filters {
		var same *bool // unknown while either log group is
		if fg := m.logGroupKeys(f.a["log_group_name"]); group != nil && fg != nil {
			if !overlap(group, fg) {
				continue
			}
			same = boolp(true)
		}
		matched = append(matched, and3(same, m.filterMatches(f, i, patterns)))
	}
	return and3(on, or3(matched...))
}

// filterMatches: whether filter f's pattern matches change i and an
// alarm with an action watches one of its metrics.
func (m *mapper) filterMatches(f *inst, i int, patterns map[*inst][]bool) *bool {
	var matches *bool
	switch v, st := look(f.a, "pattern"); st {
	case ok:
		p, done := patterns[f]
		if !done {
			s, _ := v.(string)
			p = awsconfig.MetricPatternChanges(s)
			patterns[f] = p
		}
		matches = boolp(p[i])
	case absent:
		matches = boolp(false) // an empty pattern matches every event, not the change's
	}
	if matches != nil && !*matches {
		return matches
	}
	ts, _ := look1(f.a, "metric_transformation")
	var watched []*bool
	for _, t := range asList(ts) {
		watched = append(watched, m.metricWatched(f, t))
	}
	return and3(matches, or3(watched...))
}

// metricWatched: whether an alarm with an action watches the metric of
// transformation t of filter f (name and namespace).
func (m *mapper) metricWatched(f *inst, t any) *bool {
	name, nameSt := look(t, "name")
	ns, nsSt := look(t, "namespace")
	if nameSt != ok || nsSt != ok {
		return nil
	}
	var out []*bool
	for _, a := range m.byType[metricAlarmType] {
		act := and3(boolAttr(a.a, "actions_enabled", true), hasActions(a.a))
		if act != nil && !*act {
			continue
		}
		metrics := [][2]any{{a.a["metric_name"], a.a["namespace"]}}
		qs, _ := look1(a.a, "metric_query")
		for _, q := range asList(qs) {
			mv, _ := look(q, "metric")
			metrics = append(metrics, [2]any{valueAt(mv, "metric_name"), valueAt(mv, "namespace")})
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

// sameMetric: whether an alarm's metric_name v names metric name of
// filter f: a literal, or a reference to the filter (its id, which is its
// name).
func (m *mapper) sameMetric(f *inst, v, name any) *bool {
	if u, isU := unknownOf(v); isU {
		for _, r := range u.Refs {
			if r == f.in.Address || r == f.base {
				return sameText(f.a["name"], name)
			}
		}
		if len(u.Refs) > 0 && len(m.targets(v, metricFilterTyp)) > 0 {
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

// logGroupKeys names the log group v designates: the address of a
// aws_cloudwatch_log_group of the configuration, or its literal name;
// nil when it is known only at apply.
func (m *mapper) logGroupKeys(v any) []string {
	var out []string
	for _, g := range m.targets(v, logGroupType) {
		out = append(out, g.in.Address)
	}
	if len(out) > 0 {
		return out
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

// boolAttr reads a boolean argument without reporting (the type's mapper
// reports a wrong one): def when absent, nil when unknown or wrong.
func boolAttr(p any, k string, def bool) *bool {
	v, st := look(p, k)
	switch st {
	case absent:
		return boolp(def)
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

// hasActions: whether an alarm has an alarm action (an element known
// only at apply is one).
func hasActions(a map[string]any) *bool {
	v, st := look1(a, "alarm_actions")
	switch st {
	case absent:
		return boolp(false)
	case ok:
		l, isList := v.([]any)
		return boolp(isList && len(l) > 0)
	}
	return nil
}

// asList is a block list (or one block) as a list.
func asList(v any) []any {
	switch t := v.(type) {
	case []any:
		return t
	case map[string]any:
		return []any{t}
	}
	return nil
}

// valueAt is the value of key k of a block (nil when absent).
func valueAt(b any, k string) any {
	v, _ := look(b, k)
	return v
}
