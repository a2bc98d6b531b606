package awscollect

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	"github.com/aws/aws-sdk-go-v2/service/guardduty/types"
)

// runGuardDuty collects the region's detectors as AWS Config items
// (AWS::GuardDuty::Detector); the importer makes the account's
// threat_detection fact from their Enable. A detector whose GetDetector
// failed is left out rather than written without Enable, which the
// importer would count as a detector that is off. The detector IDs are
// written as `aws guardduty list-detectors` prints them
// (guardduty-list-detectors.<region>.json: {"DetectorIds": [...]}) when
// every page was read, an empty list included: the importer tells from
// it a region without a detector from one whose detectors were not read.
func runGuardDuty(ctx context.Context, t *Task) error {
	c := guardduty.NewFromConfig(t.Config)
	ids := []string{}
	complete, err := pages(ctx, t, "guardduty", "guardduty:ListDetectors", guardduty.NewListDetectorsPaginator(guarddutyListDetectors(c.ListDetectors), &guardduty.ListDetectorsInput{}),
		func(o *guardduty.ListDetectorsOutput) *string { return o.NextToken },
		func(o *guardduty.ListDetectorsOutput) { ids = append(ids, o.DetectorIds...) })
	if err != nil {
		return err
	}
	if complete {
		t.CLI("guardduty-list-detectors."+t.Region+".json", map[string]any{"DetectorIds": ids})
	}
	return each(ctx, ids, func(id string) {
		arn := t.ARN("guardduty", t.Region, t.Account, "detector/"+id)
		d, err := c.GetDetector(ctx, &guardduty.GetDetectorInput{DetectorId: aws.String(id)})
		if err != nil {
			t.Fail("guardduty", "guardduty:GetDetector", arn, err)
			return
		}
		t.Item(detectorItem(id, arn, d))
		_ = guardDutyFindings(ctx, t, c, id, arn) // ctx's end is each's to return
	})
}

func enabled(s types.DataSourceStatus) bool { return s == types.DataSourceStatusEnabled }

// detectorItem is a detector as AWS Config records it (CloudFormation's
// property names: Enable, DataSources, Features).
func detectorItem(id, arn string, d *guardduty.GetDetectorOutput) Item {
	cfg := map[string]any{
		"Id": id, "Enable": d.Status == types.DetectorStatusEnabled,
		"FindingPublishingFrequency": enum(d.FindingPublishingFrequency),
	}
	if ds := d.DataSources; ds != nil {
		m := map[string]any{}
		if ds.S3Logs != nil {
			m["S3Logs"] = map[string]any{"Enable": enabled(ds.S3Logs.Status)}
		}
		if k := ds.Kubernetes; k != nil && k.AuditLogs != nil {
			m["Kubernetes"] = map[string]any{"AuditLogs": map[string]any{"Enable": enabled(k.AuditLogs.Status)}}
		}
		if mp := ds.MalwareProtection; mp != nil && mp.ScanEc2InstanceWithFindings != nil && mp.ScanEc2InstanceWithFindings.EbsVolumes != nil {
			m["MalwareProtection"] = map[string]any{"ScanEc2InstanceWithFindings": map[string]any{
				"EbsVolumes": enabled(mp.ScanEc2InstanceWithFindings.EbsVolumes.Status)}}
		}
		cfg["DataSources"] = m
	}
	feats := []map[string]any{}
	for _, f := range d.Features {
		feats = append(feats, omitNil(map[string]any{"Name": enum(f.Name), "Status": enum(f.Status)}))
	}
	cfg["Features"] = feats
	tags := []map[string]any{}
	for _, k := range sortedKeys(d.Tags) {
		tags = append(tags, map[string]any{"Key": k, "Value": d.Tags[k]})
	}
	cfg["Tags"] = tags
	return Item{
		ResourceType: "AWS::GuardDuty::Detector", ResourceID: id, ResourceName: id, ARN: arn, AZ: "Regional",
		Tags: d.Tags, Configuration: omitNil(cfg),
	}
}
