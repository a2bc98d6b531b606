package awscollect

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	gdtypes "github.com/aws/aws-sdk-go-v2/service/guardduty/types"
	"github.com/aws/aws-sdk-go-v2/service/securityhub"
	shtypes "github.com/aws/aws-sdk-go-v2/service/securityhub/types"
)

// The services' own findings are written under cli/findings/ in the shapes
// `aws guardduty get-findings` and `aws securityhub get-findings` print,
// which `vigil findings import` reads (it recognises each record by its
// content): guardduty-get-findings.<region>.json and
// securityhub-get-findings.<region>.json, {"Findings": [...]}. Only the
// findings a team works on are read: GuardDuty's not archived, Security
// Hub's with record state ACTIVE. A listing that failed part-way writes
// nothing for the region (a partial list would read as findings closed).

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
	complete, err := pagesOf(ctx, t, "guardduty", "guardduty:ListFindings", arn, guardduty.NewListFindingsPaginator(c, in),
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
	complete, err := pages(ctx, t, "securityhub", "securityhub:GetFindings", securityhub.NewGetFindingsPaginator(c, in),
		func(o *securityhub.GetFindingsOutput) *string { return o.NextToken },
		func(o *securityhub.GetFindingsOutput) { found = append(found, o.Findings...) })
	if err != nil || !complete {
		return err
	}
	t.CLI("findings/securityhub-get-findings."+t.Region+".json", map[string]any{"Findings": found})
	return nil
}
