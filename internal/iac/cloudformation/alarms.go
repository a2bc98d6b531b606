package cloudformation

import (
	"github.com/vigil-sec/vigil/internal/iac/awsnorm"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/source"
)

// CIS AWS 7.0 5.1-5.15 on CloudFormation, as the Terraform reader reads
// them (awsnorm.MetricAlarms): a multi-region AWS::CloudTrail::Trail
// sending to a log group (CloudWatchLogsLogGroupArn), an
// AWS::Logs::MetricFilter on that group (LogGroupName: a literal or a Ref
// of the AWS::Logs::LogGroup) whose FilterPattern matches the change, and
// an AWS::CloudWatch::Alarm with an action on the filter's metric
// (MetricTransformations' MetricName and MetricNamespace; MetricName given
// as a Ref of the filter is the filter's name). The template is an account
// scope of its own, so the facts (with AuditLogging: a multi-region trail
// that logs, CIS AWS 4.1) are set on an account resource located at its
// first trail. A value known only at deploy, or a resource whose Condition
// is undecided, leaves the change unknown.

// alarmInputs are the trails, metric filters and alarms of a stack and
// the stacks nested in it, judged together; first is the first trail's
// resource, where the account resource is located.
type alarmInputs struct {
	trails  []awsnorm.Trail
	filters []awsnorm.MetricFilter
	alarms  []awsnorm.Alarm
	first   *resource.Resource
}

// metricAlarms adds the template's account resource with the audit
// logging and CIS metric filter and alarm facts, when the template (or a
// stack nested in it) declares a trail.
func (m *mapper) metricAlarms(batch *source.Batch) {
	in := m.alarms
	if in.first == nil {
		return
	}
	audit, facts := awsnorm.MetricAlarms(in.trails, in.filters, in.alarms)
	a := *in.first
	a.ID, a.Type, a.Class = in.first.ID+"#account", "AWS::::Account", resource.ClassAccount
	a.Name, a.Region, a.Relationships, a.Raw, a.Tags = "account", "global", nil, nil, nil
	a.Facts = resource.Facts{Account: &resource.Account{AuditLogging: audit, CIS: &resource.AccountCIS{MetricFilterAlarms: facts}}}
	batch.Resources = append(batch.Resources, &a)
}

// addAlarmInputs adds the template's trails, metric filters and alarms to
// m.alarms.
func (m *mapper) addAlarmInputs() {
	in := m.alarms
	for _, t := range m.types["AWS::CloudTrail::Trail"] {
		if t.out == nil {
			continue
		}
		if in.first == nil {
			in.first = t.out
		}
		tr := awsnorm.Trail{On: and3(deployed(t), boolProp(t.p, "IsLogging", nil), boolProp(t.p, "IsMultiRegionTrail", boolp(false)))}
		switch v, st := look(t.p, "CloudWatchLogsLogGroupArn"); {
		case st == absent:
		case st == ok:
			s, _ := v.(string)
			name, region, isGroup := awsnorm.TrailGroup(s)
			tr.Sends, tr.Groups, tr.Region = isGroup, m.logGroupKeys(name), region
		default:
			tr.Sends, tr.Groups = true, m.logGroupKeys(v)
		}
		in.trails = append(in.trails, tr)
	}
	for _, f := range m.types["AWS::Logs::MetricFilter"] {
		mf := awsnorm.MetricFilter{Deployed: deployed(f), Groups: m.logGroupKeys(f.p["LogGroupName"]), Pattern: strProp(f.p, "FilterPattern")}
		if _, st := look(f.p, "FilterPattern"); st == absent {
			mf.Pattern = new(string) // matches every event, none of the changes'
		}
		ts, _ := look(f.p, "MetricTransformations")
		for _, t := range awsnorm.List(ts) {
			mf.Metrics = append(mf.Metrics, awsnorm.Metric{Name: strProp(t, "MetricName"), Namespace: strProp(t, "MetricNamespace")})
		}
		in.filters = append(in.filters, mf)
	}
	for _, a := range m.types["AWS::CloudWatch::Alarm"] {
		al := awsnorm.Alarm{Acts: and3(deployed(a), boolProp(a.p, "ActionsEnabled", boolp(true)), hasActions(a.p))}
		if v, st := look(a.p, "MetricName"); st != absent {
			al.Metrics = append(al.Metrics, awsnorm.Metric{Name: m.metricName(v), Namespace: strProp(a.p, "Namespace")})
		}
		qs, _ := look(a.p, "Metrics")
		for _, q := range awsnorm.List(qs) {
			if v, st := look(q, "MetricStat", "Metric", "MetricName"); st != absent {
				al.Metrics = append(al.Metrics, awsnorm.Metric{Name: m.metricName(v), Namespace: strProp(q, "MetricStat", "Metric", "Namespace")})
			}
		}
		in.alarms = append(in.alarms, al)
	}
}

// deployed is true for a resource deployed with the stack, nil when its
// Condition is undecided.
func deployed(r *res) *bool {
	if r.maybe {
		return nil
	}
	return boolp(true)
}

// metricName is an alarm's MetricName: a literal, or a Ref of a metric
// filter of the template, which is the filter's name.
func (m *mapper) metricName(v any) *string {
	if s, isText := text(v); isText {
		return &s
	}
	if ids := m.targets(v, "AWS::Logs::MetricFilter"); len(ids) == 1 {
		return strProp(m.byID[ids[0]].p, "FilterName")
	}
	return nil
}

// logGroupKeys names the log group v designates: the resource ID of an
// AWS::Logs::LogGroup of the template (or of an enclosing stack's, passed
// as a parameter), or its literal name; nil when it is known only at
// deploy.
func (m *mapper) logGroupKeys(v any) []string {
	if ids := m.targets(v, "AWS::Logs::LogGroup"); len(ids) > 0 {
		for i, id := range ids {
			ids[i] = m.rid(id) // unique across the nested stacks
		}
		return ids
	}
	if u, isU := v.(*unknown); isU && len(u.outer) > 0 {
		return u.outer // an enclosing stack's resource
	}
	if s, isStr := v.(string); isStr && s != "" {
		return []string{"name:" + s}
	}
	return nil
}

// strProp reads a string property without reporting: nil when absent,
// unknown or not text.
func strProp(p any, path ...string) *string {
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

// boolProp reads a boolean property without reporting (the type's mapper
// reports a wrong one): def when absent (IsLogging is required: nil), nil
// when unknown or wrong.
func boolProp(p any, k string, def *bool) *bool {
	v, st := look(p, k)
	switch st {
	case absent:
		return def
	case ok:
		return awsnorm.Bool(v)
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
