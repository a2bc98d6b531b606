package awscollect

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	gdtypes "github.com/aws/aws-sdk-go-v2/service/guardduty/types"
	"github.com/aws/aws-sdk-go-v2/service/inspector2"
	i2types "github.com/aws/aws-sdk-go-v2/service/inspector2/types"
	"github.com/aws/aws-sdk-go-v2/service/securityhub"
	shtypes "github.com/aws/aws-sdk-go-v2/service/securityhub/types"
)

// The services' own findings are written under cli/findings/ in the shapes
// `aws guardduty get-findings` and `aws securityhub get-findings` print,
// which `vigil findings import` reads (it recognises each record by its
// content): guardduty-get-findings.<region>.json and
// securityhub-get-findings.<region>.json ({"Findings": [...]}), and
// inspector2-list-findings.<region>.json ({"findings": [...]}). Only the
// findings a team works on are read: GuardDuty's not archived, Security
// Hub's with record state ACTIVE, Inspector's ACTIVE. A region with none,
// or whose listing failed part-way (a partial list would read as findings
// closed), has no file.

// gdFindingsBatch is the most finding ids GetFindings takes at once.
const gdFindingsBatch = 50

// guardDutyFindings reads one detector's findings that are not archived.
func guardDutyFindings(ctx context.Context, t *Task, c *guardduty.Client, detector, arn string) error {
	var ids []string
	in := &guardduty.ListFindingsInput{
		DetectorId: aws.String(detector), MaxResults: aws.Int32(gdFindingsBatch),
		FindingCriteria: &gdtypes.FindingCriteria{Criterion: map[string]gdtypes.Condition{
			"service.archived": {Equals: []string{"false"}},
		}},
	}
	complete, err := pagesOf(ctx, t, "guardduty", "guardduty:ListFindings", arn, guardduty.NewListFindingsPaginator(guarddutyListFindings(c.ListFindings), in),
		func(o *guardduty.ListFindingsOutput) *string { return o.NextToken },
		func(o *guardduty.ListFindingsOutput) { ids = append(ids, o.FindingIds...) })
	if err != nil || !complete {
		return err
	}
	found := []gdtypes.Finding{}
	for start := 0; start < len(ids); start += gdFindingsBatch {
		out, err := c.GetFindings(ctx, &guardduty.GetFindingsInput{DetectorId: aws.String(detector), FindingIds: ids[start:min(start+gdFindingsBatch, len(ids))]})
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			t.Fail("guardduty", "guardduty:GetFindings", arn, err)
			return nil
		}
		found = append(found, out.Findings...)
	}
	if len(found) == 0 {
		return nil
	}
	t.CLI("findings/guardduty-get-findings."+t.Region+".json", map[string]any{"Findings": found})
	return nil
}

// securityHubFindings reads the region's active Security Hub findings
// (ASFF): its own controls' and those of the products it aggregates.
func securityHubFindings(ctx context.Context, t *Task, c *securityhub.Client) error {
	found := []shtypes.AwsSecurityFinding{}
	in := &securityhub.GetFindingsInput{
		MaxResults: aws.Int32(100),
		Filters: &shtypes.AwsSecurityFindingFilters{RecordState: []shtypes.StringFilter{
			{Comparison: shtypes.StringFilterComparisonEquals, Value: aws.String("ACTIVE")},
		}},
	}
	complete, err := pages(ctx, t, "securityhub", "securityhub:GetFindings", securityhub.NewGetFindingsPaginator(securityhubGetFindings(c.GetFindings), in),
		func(o *securityhub.GetFindingsOutput) *string { return o.NextToken },
		func(o *securityhub.GetFindingsOutput) { found = append(found, o.Findings...) })
	if err != nil || !complete || len(found) == 0 {
		return err
	}
	t.CLI("findings/securityhub-get-findings."+t.Region+".json", map[string]any{"Findings": found})
	return nil
}

// runInspector reads the region's active Amazon Inspector findings
// (package and code vulnerabilities, network reachability). A region
// where Inspector is not enabled answers with no findings.
func runInspector(ctx context.Context, t *Task) error {
	c := inspector2.NewFromConfig(t.Config)
	found := []i2types.Finding{}
	in := &inspector2.ListFindingsInput{
		MaxResults: aws.Int32(100),
		FilterCriteria: &i2types.FilterCriteria{FindingStatus: []i2types.StringFilter{
			{Comparison: i2types.StringComparisonEquals, Value: aws.String("ACTIVE")},
		}},
	}
	complete, err := pages(ctx, t, "inspector2", "inspector2:ListFindings", inspector2.NewListFindingsPaginator(inspector2ListFindings(c.ListFindings), in),
		func(o *inspector2.ListFindingsOutput) *string { return o.NextToken },
		func(o *inspector2.ListFindingsOutput) { found = append(found, o.Findings...) })
	if err != nil || !complete || len(found) == 0 {
		return err
	}
	t.CLI("findings/inspector2-list-findings."+t.Region+".json", map[string]any{"findings": found})
	return nil
}
