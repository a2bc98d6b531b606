package awscollect

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/service/securityhub"
	"github.com/aws/aws-sdk-go-v2/service/securityhub/types"
)

// runSecurityHub collects whether Security Hub is enabled in the region
// and its enabled standards, as `aws securityhub describe-hub` and `aws
// securityhub get-enabled-standards` print them
// (securityhub-describe-hub.<region>.json,
// securityhub-get-enabled-standards.<region>.json). A region where the
// account is not subscribed (InvalidAccessException) has neither file:
// that is its state, not a failed call. The awsconfig importer keeps the
// hub and the standards as resources without facts (listed among the
// unsupported types).
func runSecurityHub(ctx context.Context, t *Task) error {
	c := securityhub.NewFromConfig(t.Config)
	hub, err := c.DescribeHub(ctx, &securityhub.DescribeHubInput{})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var ia *types.InvalidAccessException
		if !errors.As(err, &ia) {
			t.Fail("securityhub", "securityhub:DescribeHub", "", err)
		}
		return nil
	}
	t.CLI("securityhub-describe-hub."+t.Region+".json", omitNil(map[string]any{
		"HubArn": hub.HubArn, "SubscribedAt": hub.SubscribedAt, "AutoEnableControls": hub.AutoEnableControls,
		"ControlFindingGenerator": enum(hub.ControlFindingGenerator),
	}))
	subs := []map[string]any{}
	complete, err := pages(ctx, t, "securityhub", "securityhub:GetEnabledStandards",
		securityhub.NewGetEnabledStandardsPaginator(securityhubGetEnabledStandards(c.GetEnabledStandards), &securityhub.GetEnabledStandardsInput{}),
		func(o *securityhub.GetEnabledStandardsOutput) *string { return o.NextToken },
		func(o *securityhub.GetEnabledStandardsOutput) {
			for _, s := range o.StandardsSubscriptions {
				subs = append(subs, standardsSubscription(s))
			}
		})
	if err != nil {
		return err
	}
	if complete { // a partial list would hide the standards not read
		t.CLI("securityhub-get-enabled-standards."+t.Region+".json", map[string]any{"StandardsSubscriptions": subs})
	}
	return securityHubFindings(ctx, t, c)
}

func standardsSubscription(s types.StandardsSubscription) map[string]any {
	m := map[string]any{
		"StandardsSubscriptionArn": s.StandardsSubscriptionArn, "StandardsArn": s.StandardsArn,
		"StandardsInput": s.StandardsInput, "StandardsStatus": enum(s.StandardsStatus),
		"StandardsControlsUpdatable": enum(s.StandardsControlsUpdatable),
	}
	if r := s.StandardsStatusReason; r != nil {
		m["StandardsStatusReason"] = map[string]any{"StatusReasonCode": string(r.StatusReasonCode)}
	}
	if s.StandardsInput == nil {
		m["StandardsInput"] = map[string]string{}
	}
	return omitNil(m)
}
