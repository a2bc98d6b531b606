package awscollect

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
)

// runCloudTrail collects the trails whose home region is the task's region
// (a multi-region trail is recorded once, where it was created) as AWS
// Config items (AWS::CloudTrail::Trail), with their status (TrailStatus:
// isLogging) and event selectors in the supplementary configuration.
func runCloudTrail(ctx context.Context, t *Task) error {
	c := cloudtrail.NewFromConfig(t.Config)
	out, err := c.DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{IncludeShadowTrails: aws.Bool(false)})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		t.Fail("cloudtrail", "cloudtrail:DescribeTrails", "", err)
		return nil
	}
	var trails []types.Trail
	for _, tr := range out.TrailList {
		if tr.HomeRegion == nil || *tr.HomeRegion == t.Region {
			trails = append(trails, tr)
		}
	}
	tags := trailTags(ctx, t, c, trails)
	return each(ctx, trails, func(tr types.Trail) {
		arn := str(tr.TrailARN)
		var status *cloudtrail.GetTrailStatusOutput
		if st, err := c.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: aws.String(arn)}); err != nil {
			t.Fail("cloudtrail", "cloudtrail:GetTrailStatus", arn, err)
		} else {
			status = st
		}
		var sel *cloudtrail.GetEventSelectorsOutput
		if es, err := c.GetEventSelectors(ctx, &cloudtrail.GetEventSelectorsInput{TrailName: aws.String(arn)}); err != nil {
			t.Fail("cloudtrail", "cloudtrail:GetEventSelectors", arn, err)
		} else {
			sel = es
		}
		it := trailItem(tr, status, sel)
		it.Tags = tags[arn]
		t.Item(it)
	})
}

// trailTags reads the trails' tags, 20 trails a call (ListTags' limit);
// the trails of a failed call have none in the result.
func trailTags(ctx context.Context, t *Task, c *cloudtrail.Client, trails []types.Trail) map[string]map[string]string {
	out := map[string]map[string]string{}
	for start := 0; start < len(trails); start += 20 {
		var arns []string
		for _, tr := range trails[start:min(start+20, len(trails))] {
			arns = append(arns, str(tr.TrailARN))
		}
		complete, err := pages(ctx, t, "cloudtrail", "cloudtrail:ListTags",
			cloudtrail.NewListTagsPaginator(cloudtrailListTags(c.ListTags), &cloudtrail.ListTagsInput{ResourceIdList: arns}),
			func(o *cloudtrail.ListTagsOutput) *string { return o.NextToken },
			func(o *cloudtrail.ListTagsOutput) {
				for _, r := range o.ResourceTagList {
					m := map[string]string{}
					for _, tg := range r.TagsList {
						m[str(tg.Key)] = str(tg.Value)
					}
					out[str(r.ResourceId)] = m
				}
			})
		if err != nil || !complete {
			for _, a := range arns {
				delete(out, a)
			}
		}
	}
	return out
}

// trailItem is a trail as AWS Config records it: DescribeTrails' fields in
// the configuration; GetTrailStatus (TrailStatus) and GetEventSelectors
// (EventSelectors, AdvancedEventSelectors) in the supplementary
// configuration, left out when nil (the call failed).
func trailItem(tr types.Trail, status *cloudtrail.GetTrailStatusOutput, sel *cloudtrail.GetEventSelectorsOutput) Item {
	cfg := map[string]any{
		"name": tr.Name, "s3BucketName": tr.S3BucketName, "s3KeyPrefix": tr.S3KeyPrefix, "snsTopicName": tr.SnsTopicName,
		"snsTopicARN": tr.SnsTopicARN, "includeGlobalServiceEvents": tr.IncludeGlobalServiceEvents,
		"isMultiRegionTrail": tr.IsMultiRegionTrail, "homeRegion": tr.HomeRegion, "trailARN": tr.TrailARN,
		"logFileValidationEnabled": tr.LogFileValidationEnabled, "cloudWatchLogsLogGroupArn": tr.CloudWatchLogsLogGroupArn,
		"cloudWatchLogsRoleArn": tr.CloudWatchLogsRoleArn, "kmsKeyId": tr.KmsKeyId,
		"hasCustomEventSelectors": tr.HasCustomEventSelectors, "hasInsightSelectors": tr.HasInsightSelectors,
		"isOrganizationTrail": tr.IsOrganizationTrail,
	}
	it := Item{
		ResourceType: "AWS::CloudTrail::Trail", ResourceID: str(tr.Name), ResourceName: str(tr.Name), ARN: str(tr.TrailARN),
		AZ: "Regional", Configuration: omitNil(cfg),
	}
	if tr.S3BucketName != nil {
		it.Relationships = []Relationship{{ResourceType: "AWS::S3::Bucket", ResourceID: *tr.S3BucketName, ResourceName: *tr.S3BucketName, Name: "Is associated with Bucket"}}
	}
	supp := map[string]any{}
	if status != nil {
		supp["TrailStatus"] = omitNil(map[string]any{
			"isLogging": status.IsLogging, "latestDeliveryError": status.LatestDeliveryError,
			"latestDeliveryTime": cfgTime(status.LatestDeliveryTime), "latestNotificationError": status.LatestNotificationError,
			"latestCloudWatchLogsDeliveryError": status.LatestCloudWatchLogsDeliveryError,
			"latestCloudWatchLogsDeliveryTime":  cfgTime(status.LatestCloudWatchLogsDeliveryTime),
			"latestDigestDeliveryTime":          cfgTime(status.LatestDigestDeliveryTime),
			"startLoggingTime":                  cfgTime(status.StartLoggingTime), "stopLoggingTime": cfgTime(status.StopLoggingTime),
		})
	}
	if sel != nil {
		es := []map[string]any{}
		for _, s := range sel.EventSelectors {
			drs := []map[string]any{}
			for _, d := range s.DataResources {
				drs = append(drs, map[string]any{"type": str(d.Type), "values": nonNil(d.Values)})
			}
			es = append(es, omitNil(map[string]any{
				"readWriteType": enum(s.ReadWriteType), "includeManagementEvents": s.IncludeManagementEvents,
				"dataResources": drs, "excludeManagementEventSources": nonNil(s.ExcludeManagementEventSources),
			}))
		}
		supp["EventSelectors"] = es
		if len(sel.AdvancedEventSelectors) > 0 {
			as := []map[string]any{}
			for _, a := range sel.AdvancedEventSelectors {
				fs := []map[string]any{}
				for _, f := range a.FieldSelectors {
					fs = append(fs, omitNil(map[string]any{
						"field": f.Field, "equals": f.Equals, "startsWith": f.StartsWith, "endsWith": f.EndsWith,
						"notEquals": f.NotEquals, "notStartsWith": f.NotStartsWith, "notEndsWith": f.NotEndsWith,
					}))
				}
				as = append(as, omitNil(map[string]any{"name": a.Name, "fieldSelectors": fs}))
			}
			supp["AdvancedEventSelectors"] = as
		}
	}
	if len(supp) > 0 {
		it.Supplementary = supp
	}
	return it
}
