package awsnorm

import "testing"

func TestMetricAlarms(t *testing.T) {
	str := func(s string) *string { return &s }
	root := `{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }`
	metric := Metric{Name: str("RootUsage"), Namespace: str("CIS")}
	filter := MetricFilter{Deployed: boolp(true), Groups: []string{"g"}, Pattern: str(root), Metrics: []Metric{metric}}
	alarm := Alarm{Acts: boolp(true), Metrics: []Metric{metric}}
	on := Trail{On: boolp(true), Sends: true, Groups: []string{"g"}}
	show := func(b *bool) string {
		if b == nil {
			return "unknown"
		}
		if *b {
			return "true"
		}
		return "false"
	}
	for _, c := range []struct {
		name                string
		trails              []Trail
		filters             []MetricFilter
		alarms              []Alarm
		audit, root, unauth string
	}{
		{"watched", []Trail{on}, []MetricFilter{filter}, []Alarm{alarm}, "true", "true", "false"},
		{"single region", []Trail{{On: boolp(false), Sends: true, Groups: []string{"g"}}}, []MetricFilter{filter}, []Alarm{alarm}, "false", "false", "false"},
		{"no logs", []Trail{{On: boolp(true)}}, []MetricFilter{filter}, []Alarm{alarm}, "true", "false", "false"},
		{"other group", []Trail{on}, []MetricFilter{{Deployed: boolp(true), Groups: []string{"h"}, Pattern: str(root), Metrics: []Metric{metric}}}, []Alarm{alarm}, "true", "false", "false"},
		{"group at apply", []Trail{on}, []MetricFilter{{Deployed: boolp(true), Pattern: str(root), Metrics: []Metric{metric}}}, []Alarm{alarm}, "true", "unknown", "false"},
		{"alarm without action", []Trail{on}, []MetricFilter{filter}, []Alarm{{Acts: boolp(false), Metrics: []Metric{metric}}}, "true", "false", "false"},
		{"other namespace", []Trail{on}, []MetricFilter{filter}, []Alarm{{Acts: boolp(true), Metrics: []Metric{{Name: str("RootUsage"), Namespace: str("Other")}}}}, "true", "false", "false"},
		{"alarm maybe deployed", []Trail{on}, []MetricFilter{filter}, []Alarm{{Metrics: []Metric{metric}}}, "true", "unknown", "false"},
		{"one region named", []Trail{{On: boolp(true), Sends: true, Groups: []string{"g"}, Region: "us-east-1"}},
			[]MetricFilter{{Deployed: boolp(true), Groups: []string{"g"}, Pattern: str(root), Metrics: []Metric{metric}, Region: "us-east-1"}},
			[]Alarm{{Acts: boolp(true), Metrics: []Metric{metric}, Region: "us-east-1"}}, "true", "true", "false"},
		{"alarm in another region", []Trail{on}, []MetricFilter{filter}, []Alarm{{Acts: boolp(true), Metrics: []Metric{metric}, Region: "eu-west-1"}}, "true", "unknown", "false"},
		{"alarm in the filter's region", []Trail{on}, []MetricFilter{{Deployed: boolp(true), Groups: []string{"g"}, Pattern: str(root), Metrics: []Metric{metric}, Region: "us-east-1"}},
			[]Alarm{{Acts: boolp(true), Metrics: []Metric{metric}, Region: "eu-west-1"}, {Acts: boolp(true), Metrics: []Metric{metric}, Region: "us-east-1"}}, "true", "unknown", "false"},
		{"filter in another region", []Trail{{On: boolp(true), Sends: true, Groups: []string{"g"}, Region: "us-east-1"}},
			[]MetricFilter{{Deployed: boolp(true), Groups: []string{"g"}, Pattern: str(root), Metrics: []Metric{metric}, Region: "eu-west-1"}},
			[]Alarm{{Acts: boolp(true), Metrics: []Metric{metric}, Region: "eu-west-1"}}, "true", "false", "false"},
		{"alarm region differs", []Trail{{On: boolp(true), Sends: true, Groups: []string{"g"}, Region: "us-east-1"}},
			[]MetricFilter{{Deployed: boolp(true), Groups: []string{"g"}, Pattern: str(root), Metrics: []Metric{metric}, Region: "us-east-1"}},
			[]Alarm{{Acts: boolp(true), Metrics: []Metric{metric}, Region: "eu-west-1"}}, "true", "false", "false"},
	} {
		audit, m := MetricAlarms(c.trails, c.filters, c.alarms)
		if got := [3]string{show(audit), show(m.RootUsage), show(m.UnauthorizedAPICalls)}; got != [3]string{c.audit, c.root, c.unauth} {
			t.Errorf("%s: audit, root usage, unauthorized calls = %v, want %v", c.name, got, [3]string{c.audit, c.root, c.unauth})
		}
	}
}
