package awscollect

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logstypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// CIS AWS 7.0 5.1-5.15 (a metric filter on the log group a multi-region
// trail sends to, with an alarm on its metric) read the region's
// CloudWatch Logs metric filters and CloudWatch metric alarms, which AWS
// Config does not record, as the CLI prints them:
//
//	aws logs describe-metric-filters   logs-describe-metric-filters.<region>.json
//	aws cloudwatch describe-alarms     cloudwatch-describe-alarms.<region>.json
//
// (the metric alarms only: DescribeAlarms without AlarmTypes). A listing
// that failed part-way is written with what was read and the page token it
// stopped at (nextToken / NextToken, as the CLI prints a truncated
// listing): the importer then counts the filters and alarms read but takes
// the region's listing as partial, so a change it does not find monitored
// there is unknown, not missing. A listing whose first page failed writes
// nothing: the region's facts are unknown.

// runMetricFilters writes the region's CloudWatch Logs metric filters.
func runMetricFilters(ctx context.Context, t *Task) error {
	c := cloudwatchlogs.NewFromConfig(t.Config)
	list := []logstypes.MetricFilter{}
	var next *string
	complete, err := pages(ctx, t, "logs", "logs:DescribeMetricFilters",
		cloudwatchlogs.NewDescribeMetricFiltersPaginator(cloudwatchlogsDescribeMetricFilters(c.DescribeMetricFilters), &cloudwatchlogs.DescribeMetricFiltersInput{}),
		func(o *cloudwatchlogs.DescribeMetricFiltersOutput) *string { return o.NextToken },
		func(o *cloudwatchlogs.DescribeMetricFiltersOutput) {
			list = append(list, o.MetricFilters...)
			next = o.NextToken
		})
	if err != nil {
		return err
	}
	writeListing(t, "logs-describe-metric-filters."+t.Region+".json", true,
		map[string]any{"metricFilters": list}, "nextToken", complete, next)
	return nil
}

// runAlarms writes the region's CloudWatch metric alarms.
func runAlarms(ctx context.Context, t *Task) error {
	c := cloudwatch.NewFromConfig(t.Config)
	list := []cwtypes.MetricAlarm{}
	var next *string
	complete, err := pages(ctx, t, "cloudwatch", "cloudwatch:DescribeAlarms",
		cloudwatch.NewDescribeAlarmsPaginator(cloudwatchDescribeAlarms(c.DescribeAlarms), &cloudwatch.DescribeAlarmsInput{}),
		func(o *cloudwatch.DescribeAlarmsOutput) *string { return o.NextToken },
		func(o *cloudwatch.DescribeAlarmsOutput) {
			list = append(list, o.MetricAlarms...)
			next = o.NextToken
		})
	if err != nil {
		return err
	}
	writeListing(t, "cloudwatch-describe-alarms."+t.Region+".json", false,
		map[string]any{"MetricAlarms": list}, "NextToken", complete, next)
	return nil
}

// writeListing writes a region's listing in the CLI's shape (lower: the
// service's members in lower camel case): whole when complete, else with
// the page token it stopped at under tokenKey, and not at all when its
// first page failed (next nil).
func writeListing(t *Task, name string, lower bool, out map[string]any, tokenKey string, complete bool, next *string) {
	if !complete {
		if next == nil || *next == "" {
			return
		}
		out[tokenKey] = *next
	}
	t.CLI(name, cliForm(out, lower))
}
