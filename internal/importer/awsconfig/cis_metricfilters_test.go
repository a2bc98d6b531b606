package awsconfig

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

const (
	mfPath    = "aws/111122223333/cli/logs-describe-metric-filters.us-east-1.json"
	alarmPath = "aws/111122223333/cli/cloudwatch-describe-alarms.us-east-1.json"
	trailLogs = "arn:aws:logs:us-east-1:111122223333:log-group:aws-cloudtrail-logs:*"
	// CIS AWS 7.0 5.5 and 5.13 filter patterns as the benchmark gives them.
	trailPattern = `{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }`
	routePattern = `{($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable)) }`
)

func metricFilter(group, name, pattern string) string {
	return `{"filterName":"` + name + `","logGroupName":"` + group + `","filterPattern":` + mustJSON(pattern) +
		`,"metricTransformations":[{"metricName":"` + name + `","metricNamespace":"CISBenchmark","metricValue":"1"}]}`
}

func metricAlarm(metric string, actions bool) string {
	acts := `[]`
	if actions {
		acts = `["arn:aws:sns:us-east-1:111122223333:security-alerts"]`
	}
	return `{"AlarmName":"` + metric + `-alarm","MetricName":"` + metric + `","Namespace":"CISBenchmark","ActionsEnabled":true,"AlarmActions":` + acts + `}`
}

func mustJSON(s string) string { b, _ := json.Marshal(s); return string(b) }

func cwTrail(multi *bool, logGroup string) attr.M {
	cfg := attr.M{"name": "t", "s3BucketName": "logs", "cloudWatchLogsLogGroupArn": logGroup}
	if multi != nil {
		cfg["isMultiRegionTrail"] = *multi
	}
	return attr.M{"resourceType": "AWS::CloudTrail::Trail", "resourceId": "t", "resourceName": "t",
		"ARN": "arn:aws:cloudtrail:us-east-1:111122223333:trail/t", "awsAccountId": "111122223333", "awsRegion": "us-east-1",
		"configuration": cfg}
}

// cisCLIFacts imports rs with CLI documents (by path), each one of the
// CIS CLI outputs, and returns the CIS facts of account 111122223333 (nil
// when it has none) and the problems.
func cisCLIFacts(t *testing.T, rs []*resource.Resource, files map[string]string) (*resource.AccountCIS, string) {
	t.Helper()
	var probs []string
	for path, doc := range files {
		var d any
		if err := json.Unmarshal([]byte(doc), &d); err != nil {
			t.Fatal(err)
		}
		if f := Detect(d); f == "" || f != detectCISCLI(attr.AsObj(d)) {
			t.Fatalf("%s: detected as %q", path, f)
		}
		r := Parse(context.Background(), path, d)
		rs = append(rs, r.Resources...)
		for _, p := range r.Problems {
			probs = append(probs, p.Err)
		}
	}
	for _, r := range rs {
		r.Raw = FinishRaw(r)
	}
	added, _ := Finalize(rs)
	for _, r := range added {
		if r.Account == "111122223333" && r.Facts.Account != nil && r.Facts.Account.CIS != nil {
			return r.Facts.Account.CIS, strings.Join(probs, "; ")
		}
	}
	return nil, strings.Join(probs, "; ")
}

// metricAlarms imports Config items and CLI files (by path) and returns
// the account's CIS 5.x facts and the problems.
func metricAlarms(t *testing.T, items []attr.M, files map[string]string) (*resource.MetricFilterAlarms, string) {
	t.Helper()
	c, probs := cisCLIFacts(t, parseItems1(t, items...).Resources, files)
	if c == nil {
		return nil, probs
	}
	return c.MetricFilterAlarms, probs
}

// TestMetricFilterAlarms: CIS AWS 7.0 5.x from a multi-region trail's log
// group, its region's metric filters and alarms. A change is monitored
// when a filter holds every term of the benchmark's pattern and an alarm
// with an action watches its metric; not monitored when the region's
// filters (and, for a matching filter, alarms) were read whole without
// that; unknown otherwise, never false by default.
func TestMetricFilterAlarms(t *testing.T) {
	yes, no := boolp(true), boolp(false)
	filters := func(fs ...string) string { return `{"metricFilters":[` + strings.Join(fs, ",") + `]}` }
	alarms := func(as ...string) string {
		return `{"MetricAlarms":[` + strings.Join(as, ",") + `],"CompositeAlarms":[]}`
	}
	trailF := metricFilter("aws-cloudtrail-logs", "CloudTrailChanges", trailPattern)
	routeF := metricFilter("aws-cloudtrail-logs", "RouteTableChanges", routePattern)
	// CreateRoute missing: CreateRouteTable alone does not make it
	partialRoute := metricFilter("aws-cloudtrail-logs", "RouteTableChanges", strings.Replace(routePattern, "($.eventName = CreateRoute) || ", "", 1))
	otherGroup := metricFilter("app-logs", "CloudTrailChanges", trailPattern)
	cases := []struct {
		name         string
		items        []attr.M
		files        map[string]string
		trail, route string // cloudtrail_changes, route_table_changes
		problem      string
	}{
		{"filter and alarm with action", []attr.M{cwTrail(yes, trailLogs)},
			map[string]string{mfPath: filters(trailF, routeF), alarmPath: alarms(metricAlarm("CloudTrailChanges", true))}, "true", "false", ""},
		{"alarm without action", []attr.M{cwTrail(yes, trailLogs)},
			map[string]string{mfPath: filters(trailF), alarmPath: alarms(metricAlarm("CloudTrailChanges", false))}, "false", "false", ""},
		{"a pattern lacking one event", []attr.M{cwTrail(yes, trailLogs)},
			map[string]string{mfPath: filters(partialRoute), alarmPath: alarms(metricAlarm("RouteTableChanges", true))}, "false", "false", ""},
		{"filter on another log group", []attr.M{cwTrail(yes, trailLogs)},
			map[string]string{mfPath: filters(otherGroup), alarmPath: alarms(metricAlarm("CloudTrailChanges", true))}, "false", "false", ""},
		{"filters not read", []attr.M{cwTrail(yes, trailLogs)},
			map[string]string{alarmPath: alarms(metricAlarm("CloudTrailChanges", true))}, "nil", "nil", ""},
		{"alarms not read", []attr.M{cwTrail(yes, trailLogs)},
			map[string]string{mfPath: filters(trailF)}, "nil", "false", ""},
		{"a page of the filters", []attr.M{cwTrail(yes, trailLogs)},
			map[string]string{mfPath: `{"metricFilters":[` + routeF + `],"nextToken":"abc"}`, alarmPath: alarms()}, "nil", "nil", ""},
		{"single-region trail", []attr.M{cwTrail(no, trailLogs)},
			map[string]string{mfPath: filters(trailF), alarmPath: alarms(metricAlarm("CloudTrailChanges", true))}, "false", "false", ""},
		{"no log group", []attr.M{cwTrail(yes, "")}, nil, "false", "false", ""},
		{"multi-region unknown", []attr.M{cwTrail(nil, trailLogs)},
			map[string]string{mfPath: filters(trailF), alarmPath: alarms(metricAlarm("CloudTrailChanges", true))}, "nil", "false", ""},
		{"alarm as a Config item", []attr.M{cwTrail(yes, trailLogs), {"resourceType": "AWS::CloudWatch::Alarm", "resourceId": "a",
			"resourceName": "a", "awsAccountId": "111122223333", "awsRegion": "us-east-1", "configuration": attr.M{
				"alarmName": "a", "metricName": "CloudTrailChanges", "namespace": "CISBenchmark", "actionsEnabled": true,
				"alarmActions": []any{"arn:aws:sns:us-east-1:111122223333:security-alerts"}}}},
			map[string]string{mfPath: filters(trailF)}, "true", "false", ""},
		{"a filter without metric", []attr.M{cwTrail(yes, trailLogs)},
			map[string]string{mfPath: `{"metricFilters":[{"filterName":"x","logGroupName":"aws-cloudtrail-logs","filterPattern":"{}"}]}`, alarmPath: alarms()},
			"nil", "nil", "metricFilters[0] has no logGroupName or metric transformation"},
		{"filters of the wrong type", []attr.M{cwTrail(yes, trailLogs)},
			map[string]string{mfPath: `{"metricFilters":{"a":1}}`, alarmPath: alarms()}, "nil", "nil", "metricFilters is an object, not a list"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, probs := metricAlarms(t, c.items, c.files)
			if m == nil {
				t.Fatalf("no metric filter facts (problems: %s)", probs)
			}
			if got := fmtB(m.CloudTrailChanges) + " " + fmtB(m.RouteTableChanges); got != c.trail+" "+c.route {
				t.Errorf("cloudtrail_changes route_table_changes = %s, want %s %s (problems: %s)", got, c.trail, c.route, probs)
			}
			if (c.problem == "") != (probs == "") || !strings.Contains(probs, c.problem) {
				t.Errorf("problems %q, want %q", probs, c.problem)
			}
		})
	}
	// Without trails nothing is known.
	if m, _ := metricAlarms(t, []attr.M{cisItem("111122223333", "us-east-1", "AWS::EC2::VPC", "vpc-1", attr.M{"vpcId": "vpc-1"})},
		map[string]string{mfPath: filters(trailF)}); m != nil {
		t.Errorf("facts without any trail: %+v", m)
	}
}

// TestMetricChangesPatterns: each of the benchmark's 15 filter patterns
// (as CIS AWS 7.0 gives them, spacing and quoting varied) matches its
// change and only its change.
func TestMetricChangesPatterns(t *testing.T) {
	patterns := cisPatterns()
	if len(patterns) != len(metricChanges) {
		t.Fatalf("%d patterns for %d changes", len(patterns), len(metricChanges))
	}
	for i, p := range patterns {
		norm, terms := patternTerms(p)
		for j, c := range metricChanges {
			got := matchesTerms(norm, terms, c.terms)
			if got != (i == j) {
				t.Errorf("pattern 5.%d matches change 5.%d: %v", i+1, j+1, got)
			}
		}
	}
}

// cisPatterns are the filter patterns of CIS AWS 7.0 5.1-5.15.
func cisPatterns() []string {
	return []string{
		`{($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }`,
		`{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }`,
		`{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }`,
		`{($.eventSource=iam.amazonaws.com) && (($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy))}`,
		trailPattern,
		`{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }`,
		`{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }`,
		`{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }`,
		`{ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel) ||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }`,
		`{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }`,
		`{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }`,
		`{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }`,
		routePattern,
		`{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }`,
		`{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) }`,
	}
}

// FuzzMetricAlarms: a CIS CLI listing of any shape (metric filters,
// alarms, virtual MFA devices), with a trail sending to its region, never
// panics and never decides a change without a filter that holds all its
// terms.
func FuzzMetricAlarms(f *testing.F) {
	f.Add(`{"metricFilters":[` + metricFilter("aws-cloudtrail-logs", "m", trailPattern) + `]}`)
	f.Add(`{"metricFilters":[{"logGroupName":7,"metricTransformations":{"metricName":1}}],"nextToken":null}`)
	f.Add(`{"MetricAlarms":[` + metricAlarm("m", true) + `,{"Metrics":[{"MetricStat":{"Metric":{"MetricName":"m","Namespace":"CISBenchmark"}}}],"AlarmActions":["x"]},3],"CompositeAlarms":[]}`)
	f.Add(`{"MetricAlarms":{"AlarmActions":null}}`)
	f.Add(`{"VirtualMFADevices":[{"SerialNumber":"arn:aws:iam::111122223333:mfa/root-account-mfa-device"},{"User":7},"x"],"IsTruncated":"no"}`)
	f.Fuzz(func(t *testing.T, doc string) {
		var d any
		if json.Unmarshal([]byte(doc), &d) != nil || detectCISCLI(attr.AsObj(d)) == "" || Detect(d) != detectCISCLI(attr.AsObj(d)) {
			return
		}
		rs := parseItems1(t, cwTrail(boolp(true), trailLogs)).Resources
		for _, p := range []string{mfPath, alarmPath} {
			rs = append(rs, Parse(context.Background(), p, d).Resources...)
		}
		added, _ := Finalize(rs)
		for _, r := range added {
			if r.Facts.Account == nil || r.Facts.Account.CIS == nil || r.Facts.Account.CIS.MetricFilterAlarms == nil {
				continue
			}
			// one document cannot be both the filters and the alarms
			if m := r.Facts.Account.CIS.MetricFilterAlarms; m.CloudTrailChanges != nil && *m.CloudTrailChanges {
				t.Fatalf("monitored from one listing alone: %s", doc)
			}
		}
	})
}
