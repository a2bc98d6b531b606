package awscollect

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/collect"
	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/rules"
	"github.com/vigil-sec/vigil/internal/scan"
)

// The CIS AWS 7.0 5.x changes of testdata/more (logs and monitoring): the
// org-audit trail (multi-region, logging) sends to the us-east-1 log group
// aws-cloudtrail-logs-org-audit, which has a filter for every change but
// the Organizations one (5.15), over two pages; the alarms, over two pages
// too, watch every filter's metric, the VPC one through metric math, but
// the console authentication failures alarm (5.6) has its actions off.
// us-west-2 has neither filters nor alarms.
var logAlarmChanges = []struct {
	fact, rule string
	page       int // the page of its filter (1, 2; 0: none) and of its alarm
	alarmPage  int
	monitored  bool
}{
	{"unauthorized_api_calls", "aws-log-alarm-unauthorized-api-calls-missing", 1, 1, true},
	{"console_sign_in_without_mfa", "aws-log-alarm-console-sign-in-without-mfa-missing", 1, 1, true},
	{"root_usage", "aws-log-alarm-root-usage-missing", 1, 1, true},
	{"iam_policy_changes", "aws-log-alarm-iam-policy-changes-missing", 1, 1, true},
	{"cloudtrail_changes", "aws-log-alarm-cloudtrail-changes-missing", 1, 1, true},
	{"console_auth_failures", "aws-log-alarm-console-auth-failures-missing", 1, 1, false},
	{"cmk_disable_or_deletion", "aws-log-alarm-cmk-disable-or-deletion-missing", 1, 2, true},
	{"s3_bucket_policy_changes", "aws-log-alarm-s3-bucket-policy-changes-missing", 2, 2, true},
	{"config_changes", "aws-log-alarm-config-changes-missing", 2, 2, true},
	{"security_group_changes", "aws-log-alarm-security-group-changes-missing", 2, 2, true},
	{"nacl_changes", "aws-log-alarm-nacl-changes-missing", 2, 2, true},
	{"network_gateway_changes", "aws-log-alarm-network-gateway-changes-missing", 2, 2, true},
	{"route_table_changes", "aws-log-alarm-route-table-changes-missing", 2, 2, true},
	{"vpc_changes", "aws-log-alarm-vpc-changes-missing", 2, 2, true},
	{"organizations_changes", "aws-log-alarm-organizations-changes-missing", 0, 0, false},
}

var builtinEngine = sync.OnceValues(func() (*policy.Engine, error) {
	return policy.New(context.Background(), []policy.Source{{FS: rules.FS(), Name: "builtin", Builtin: true}})
})

// scanFindings scans a collected directory with the built-in rules.
func scanFindings(t *testing.T, dir string) []finding.Finding {
	t.Helper()
	e, err := builtinEngine()
	if err != nil {
		t.Fatal(err)
	}
	res, err := scan.Run(context.Background(), e, scan.Options{Paths: []string{dir},
		Now: time.Date(2026, 11, 24, 6, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	return res.Report.Findings
}

// logAlarmStatuses returns the account's status for each aws-log-alarm
// rule in a scan of a collected directory.
func logAlarmStatuses(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	for _, f := range scanFindings(t, dir) {
		if strings.HasPrefix(f.RuleID, "aws-log-alarm-") && f.Resource.ID == account {
			got[f.RuleID] = string(f.Status)
		}
	}
	return got
}

// ruleStatuses returns one rule's status by resource ID in a scan of a
// collected directory.
func ruleStatuses(t *testing.T, dir, rule string) map[string]string {
	t.Helper()
	got := map[string]string{}
	for _, f := range scanFindings(t, dir) {
		if f.RuleID == rule {
			got[f.Resource.ID] = string(f.Status)
		}
	}
	return got
}

// TestMetricAlarmsRoundTrip: collect (filters and alarms over two pages,
// CloudWatch in its RPC v2 CBOR protocol), import, scan: CIS AWS 5.1-5.15
// pass for the changes monitored and fail for the two that are not.
func TestMetricAlarmsRoundTrip(t *testing.T) {
	dir, fails, srv := collectMore(t, nil)
	for _, f := range fails {
		t.Errorf("unexpected failure: %s", f)
	}
	pages := map[string]bool{}
	for _, r := range srv.Requests() {
		if r.Key() == "logs:DescribeMetricFilters" || r.Key() == "monitoring:DescribeAlarms" {
			pages[r.Key()+" "+r.Region+" "+r.Token] = true
			if r.Service == "monitoring" && r.Protocol != "rpcv2cbor" {
				t.Errorf("DescribeAlarms sent in protocol %s, want the RPC v2 CBOR protocol", r.Protocol)
			}
		}
	}
	for _, p := range []string{"logs:DescribeMetricFilters us-east-1 mf-p2", "monitoring:DescribeAlarms us-east-1 al-p2",
		"logs:DescribeMetricFilters us-west-2 ", "monitoring:DescribeAlarms us-west-2 "} {
		if !pages[p] {
			t.Errorf("no request %q among %v", p, pages)
		}
	}
	rs := imported(t, dir)
	var wants []factWant
	for _, c := range logAlarmChanges {
		wants = append(wants, factWant{account, "account.cis.metric_filter_alarms." + c.fact, c.monitored})
	}
	checkFacts(t, rs, wants)
	got := logAlarmStatuses(t, dir)
	for _, c := range logAlarmChanges {
		want := "FAIL"
		if c.monitored {
			want = "PASS"
		}
		if got[c.rule] != want {
			t.Errorf("%s = %q, want %s", c.rule, got[c.rule], want)
		}
	}
	if len(got) != len(logAlarmChanges) {
		t.Errorf("%d aws-log-alarm findings on %s, want %d: %v", len(got), account, len(logAlarmChanges), got)
	}
}

// TestMetricAlarmsFaults: a listing denied, throttled or failing part-way
// is reported, and the changes it could have decided are unknown, never
// missing: a partial listing (written with the page token it stopped at)
// still proves what it holds, and a change no filter of a whole filter
// listing matches is still missing. A region other than the log group's
// changes nothing.
func TestMetricAlarmsFaults(t *testing.T) {
	type want func(filterPage, alarmPage int, monitored bool) any
	known := func(_, _ int, m bool) any { return m }
	cases := []struct {
		name, key, region, token, fault string
		fail                            string
		files                           map[string]string // CLI output -> its page token ("": whole; "-": not written)
		facts                           want
		rules                           bool
	}{
		{"alarms second page denied", "monitoring:DescribeAlarms", "us-east-1", "al-p2", "denied",
			"cloudwatch:DescribeAlarms us-east-1 " + string(collect.Denied),
			map[string]string{"cli/cloudwatch-describe-alarms.us-east-1.json": "al-p2", "cli/logs-describe-metric-filters.us-east-1.json": ""},
			func(fp, ap int, m bool) any {
				switch {
				case fp == 0:
					return false // no filter in a whole listing
				case ap == 1 && m:
					return true // its alarm was on the page read
				}
				return nil
			}, true},
		{"alarms throttled", "monitoring:DescribeAlarms", "us-east-1", "", "throttle",
			"cloudwatch:DescribeAlarms us-east-1 " + string(collect.Throttled),
			map[string]string{"cli/cloudwatch-describe-alarms.us-east-1.json": "-", "cli/logs-describe-metric-filters.us-east-1.json": ""},
			func(fp, _ int, _ bool) any {
				if fp == 0 {
					return false
				}
				return nil
			}, false},
		{"filters second page fails", "logs:DescribeMetricFilters", "us-east-1", "mf-p2", "500",
			"logs:DescribeMetricFilters us-east-1 " + string(collect.Failed),
			map[string]string{"cli/logs-describe-metric-filters.us-east-1.json": "mf-p2", "cli/cloudwatch-describe-alarms.us-east-1.json": ""},
			func(fp, _ int, m bool) any {
				if fp == 1 && m {
					return true
				}
				return nil
			}, true},
		{"filters denied", "logs:DescribeMetricFilters", "us-east-1", "", "denied",
			"logs:DescribeMetricFilters us-east-1 " + string(collect.Denied),
			map[string]string{"cli/logs-describe-metric-filters.us-east-1.json": "-"},
			func(int, int, bool) any { return nil }, false},
		{"another region's alarms denied", "monitoring:DescribeAlarms", "us-west-2", "", "denied",
			"cloudwatch:DescribeAlarms us-west-2 " + string(collect.Denied),
			map[string]string{"cli/cloudwatch-describe-alarms.us-west-2.json": "-", "cli/cloudwatch-describe-alarms.us-east-1.json": ""},
			known, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir, fails, _ := collectMore(t, func(r fakeReq) string {
				if r.Key() == c.key && r.Region == c.region && r.Token == c.token {
					return c.fault
				}
				return ""
			})
			var got []string
			for _, f := range fails {
				got = append(got, f.Call+" "+f.Region+" "+string(f.Kind))
			}
			if mustJSON(got) != mustJSON([]string{c.fail}) {
				t.Errorf("failures = %v, want [%s]", got, c.fail)
			}
			out := readCLI(t, dir)
			for name, token := range c.files {
				v, written := out[name]
				switch {
				case token == "-" && written:
					t.Errorf("%s written although its listing's first page failed", name)
				case token != "-" && !written:
					t.Errorf("%s not written", name)
				case token != "-":
					m, _ := v.(map[string]any)
					got, _ := m["nextToken"].(string)
					if s, ok := m["NextToken"].(string); ok {
						got = s
					}
					if got != token {
						t.Errorf("%s: page token %q, want %q", name, got, token)
					}
				}
			}
			rs := imported(t, dir)
			var wants []factWant
			for _, ch := range logAlarmChanges {
				wants = append(wants, factWant{account, "account.cis.metric_filter_alarms." + ch.fact, c.facts(ch.page, ch.alarmPage, ch.monitored)})
			}
			checkFacts(t, rs, wants)
			if !c.rules {
				return
			}
			statuses := logAlarmStatuses(t, dir)
			for _, ch := range logAlarmChanges {
				want := map[any]string{true: "PASS", false: "FAIL", nil: "UNKNOWN"}[c.facts(ch.page, ch.alarmPage, ch.monitored)]
				if statuses[ch.rule] != want {
					t.Errorf("%s = %q, want %s", ch.rule, statuses[ch.rule], want)
				}
			}
		})
	}
}

// readCLI reads the CLI outputs moreOutput keeps, by path under the account.
func readCLI(t *testing.T, dir string) map[string]any {
	t.Helper()
	var out struct {
		CLI map[string]any `json:"cli"`
	}
	if err := json.Unmarshal(moreOutput(t, dir), &out); err != nil {
		t.Fatal(err)
	}
	return out.CLI
}
