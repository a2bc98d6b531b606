package tfmap

import (
	"github.com/vigil-sec/vigil/internal/iac/awsnorm"
	"github.com/vigil-sec/vigil/internal/resource"
)

// CIS AWS 7.0 5.1-5.15 on Terraform: a multi-region aws_cloudtrail sending
// to a CloudWatch Logs log group (cloud_watch_logs_group_arn), an
// aws_cloudwatch_log_metric_filter on that group whose pattern matches the
// change, and an aws_cloudwatch_metric_alarm with an action on the
// filter's metric (metric_transformation name and namespace; metric_name
// given as a reference to the filter is the filter's id, its name). The
// patterns are judged by the AWS Config importer's reading, so a filter
// passes here when it would pass live (awsnorm.MetricAlarms). The facts are
// the account's (MetricFilterAlarms, and AuditLogging: a multi-region
// trail that logs, CIS AWS 4.1): known when the root module declares a
// trail, set on its first AWS account resource, or on an account resource
// located at its first trail when it declares none. A log group, pattern,
// metric or alarm action known only at apply leaves the change unknown;
// log groups and alarms of other root modules are not seen, as they are
// another account scope. Regions are compared as live: a filter reads a
// log group of its provider's region, an alarm watches the metrics of its
// provider's region (awsnorm.SameRegion).

const (
	logGroupType    = "aws_cloudwatch_log_group"
	metricFilterTyp = "aws_cloudwatch_log_metric_filter"
)

// metricAlarms sets the audit logging and CIS metric filter and alarm
// facts of the root module's accounts (see above); run after every
// instance is mapped.
func (m *mapper) metricAlarms() {
	byAcct := map[string][]*inst{}
	var accts []string
	for _, t := range m.byType["aws_cloudtrail"] {
		if t.out == nil {
			continue
		}
		if byAcct[t.out.Account] == nil {
			accts = append(accts, t.out.Account)
		}
		byAcct[t.out.Account] = append(byAcct[t.out.Account], t)
	}
	if len(accts) == 0 {
		return
	}
	var filters []awsnorm.MetricFilter
	for _, f := range m.byType[metricFilterTyp] {
		mf := awsnorm.MetricFilter{Deployed: boolp(true), Groups: m.logGroupKeys(f.a["log_group_name"]), Pattern: pattern(f.a), Region: f.in.Region}
		ts, _ := look1(f.a, "metric_transformation")
		for _, t := range awsnorm.List(ts) {
			mf.Metrics = append(mf.Metrics, awsnorm.Metric{Name: strAttr(t, "name"), Namespace: strAttr(t, "namespace")})
		}
		filters = append(filters, mf)
	}
	var alarms []awsnorm.Alarm
	for _, a := range m.byType["aws_cloudwatch_metric_alarm"] {
		al := awsnorm.Alarm{Acts: and3(boolAttr(a.a, "actions_enabled", true), hasActions(a.a)), Region: a.in.Region}
		if v, st := look(a.a, "metric_name"); st != absent {
			al.Metrics = append(al.Metrics, awsnorm.Metric{Name: m.metricName(v), Namespace: strAttr(a.a, "namespace")})
		}
		qs, _ := look1(a.a, "metric_query")
		for _, q := range awsnorm.List(qs) {
			if v, st := look(q, "metric", "metric_name"); st != absent {
				al.Metrics = append(al.Metrics, awsnorm.Metric{Name: m.metricName(v), Namespace: strAttr(q, "metric", "namespace")})
			}
		}
		alarms = append(alarms, al)
	}
	for _, acct := range accts {
		var trails []awsnorm.Trail
		for _, t := range byAcct[acct] {
			tr := awsnorm.Trail{On: and3(boolAttr(t.a, "enable_logging", true), boolAttr(t.a, "is_multi_region_trail", false))}
			switch v, st := look(t.a, "cloud_watch_logs_group_arn"); {
			case st == absent:
			case st == ok:
				s, _ := v.(string)
				name, region, isGroup := awsnorm.TrailGroup(s)
				tr.Sends, tr.Groups, tr.Region = isGroup, m.logGroupKeys(name), region
			default:
				tr.Sends, tr.Groups = true, m.logGroupKeys(v)
				if gs := m.targets(v, logGroupType); len(gs) > 0 {
					tr.Region = gs[0].in.Region
				}
			}
			trails = append(trails, tr)
		}
		audit, facts := awsnorm.MetricAlarms(trails, filters, alarms)
		// The facts are the account's: on its first account resource
		// only, so that each is reported once (a detector, the EBS
		// default encryption and the account's Block Public Access
		// are three resources of one account).
		placed := false
		for _, r := range m.all {
			if r.out == nil || r.out.Class != resource.ClassAccount || r.out.Provider != resource.AWS || r.out.Account != acct {
				continue
			}
			accountCIS(r.out).MetricFilterAlarms = facts
			r.out.Facts.Account.AuditLogging = audit
			placed = true
			break
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

// metricName is an alarm's metric_name: a literal, or a reference to a
// metric filter of the configuration, which is the filter's id: its name.
func (m *mapper) metricName(v any) *string {
	if s, isText := text(v); isText {
		return &s
	}
	if fs := m.targets(v, metricFilterTyp); len(fs) == 1 {
		return strAttr(fs[0].a, "name")
	}
	return nil
}

// logGroupKeys names the log group v designates: the address of an
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

// strAttr reads a string without reporting: the text at path, nil when
// absent, unknown or not text.
func strAttr(p any, path ...string) *string {
	v, st := look(p, path...)
	if st != ok {
		return nil
	}
	s, isText := text(v)
	if !isText {
		return nil
	}
	return &s
}

// pattern is a metric filter's pattern ("" when absent, which matches
// every event and none of the changes'), nil when known only at apply.
func pattern(a map[string]any) *string {
	if _, st := look(a, "pattern"); st == absent {
		return new(string)
	}
	return strAttr(a, "pattern")
}

// boolAttr reads a boolean argument without reporting (the type's mapper
// reports a wrong one): def when absent, nil when unknown or wrong.
func boolAttr(p any, k string, def bool) *bool {
	v, st := look(p, k)
	switch st {
	case absent:
		return boolp(def)
	case ok:
		return awsnorm.Bool(v)
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
