package awscollect

import (
	"context"
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/macie2"
	"github.com/aws/aws-sdk-go-v2/service/macie2/types"
)

// runMacie collects the region's Amazon Macie session as `aws macie2
// get-macie-session` prints it (macie2-get-macie-session.<region>.json:
// status ENABLED or PAUSED). A region where Macie was never enabled
// answers AccessDeniedException "Macie is not enabled": it has no file,
// as Security Hub's regions without a hub have none (that is its state,
// not a failed call); any other denial is reported.
func runMacie(ctx context.Context, t *Task) error {
	s, err := macie2.NewFromConfig(t.Config).GetMacieSession(ctx, &macie2.GetMacieSessionInput{})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if !macieNotEnabled(err) {
			t.Fail("macie2", "macie2:GetMacieSession", "", err)
		}
		return nil
	}
	t.CLI("macie2-get-macie-session."+t.Region+".json", omitNil(map[string]any{
		"createdAt": cliTime(s.CreatedAt), "findingPublishingFrequency": enum(s.FindingPublishingFrequency),
		"serviceRole": s.ServiceRole, "status": enum(s.Status), "updatedAt": cliTime(s.UpdatedAt),
	}))
	return nil
}

// macieNotEnabled tells Macie's answer for an account that never enabled
// it in the region from a denial of the call.
func macieNotEnabled(err error) bool {
	var ad *types.AccessDeniedException
	return errors.As(err, &ad) && strings.Contains(strings.ToLower(ad.ErrorMessage()), "not enabled")
}
