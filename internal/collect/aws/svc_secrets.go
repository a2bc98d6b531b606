package awscollect

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// runSecrets collects the region's secrets as `aws secretsmanager
// describe-secret` prints them (secretsmanager-describe-secret/<name>.<region>.json:
// rotation, key) and their resource policies as `aws secretsmanager
// get-resource-policy` prints them
// (secretsmanager-get-resource-policy/<name>.<region>.json). The
// description is made from the ListSecrets entry, which carries the same
// fields, rather than one more call per secret.
func runSecrets(ctx context.Context, t *Task) error {
	c := secretsmanager.NewFromConfig(t.Config)
	var secrets []types.SecretListEntry
	_, err := pages(ctx, t, "secretsmanager", "secretsmanager:ListSecrets",
		secretsmanager.NewListSecretsPaginator(secretsmanagerListSecrets(c.ListSecrets), &secretsmanager.ListSecretsInput{}),
		func(o *secretsmanager.ListSecretsOutput) *string { return o.NextToken },
		func(o *secretsmanager.ListSecretsOutput) { secrets = append(secrets, o.SecretList...) })
	if err != nil {
		return err
	}
	return each(ctx, secrets, func(s types.SecretListEntry) {
		arn, file := str(s.ARN), cliName(str(s.Name), t.Region)
		t.CLI("secretsmanager-describe-secret/"+file, describeSecretCLI(s))
		pol, err := c.GetResourcePolicy(ctx, &secretsmanager.GetResourcePolicyInput{SecretId: s.ARN})
		var nf *types.ResourceNotFoundException
		switch {
		case errors.As(err, &nf):
			// Deleted since the listing.
		case err != nil:
			t.Fail("secretsmanager", "secretsmanager:GetResourcePolicy", arn, err)
		default:
			// Without ResourcePolicy the secret has none.
			t.CLI("secretsmanager-get-resource-policy/"+file, omitNil(map[string]any{
				"ARN": pol.ARN, "Name": pol.Name, "ResourcePolicy": pol.ResourcePolicy, "PolicyName": pol.PolicyName}))
		}
	})
}

// describeSecretCLI is what describe-secret prints for the secret of a
// ListSecrets entry (its SecretVersionsToStages is describe-secret's
// VersionIdsToStages).
func describeSecretCLI(s types.SecretListEntry) map[string]any {
	m := map[string]any{
		"ARN": s.ARN, "Name": s.Name, "Description": s.Description, "KmsKeyId": s.KmsKeyId,
		"RotationEnabled": s.RotationEnabled, "RotationLambdaARN": s.RotationLambdaARN,
		"LastRotatedDate": cliTime(s.LastRotatedDate), "LastChangedDate": cliTime(s.LastChangedDate),
		"LastAccessedDate": cliTime(s.LastAccessedDate), "DeletedDate": cliTime(s.DeletedDate),
		"NextRotationDate": cliTime(s.NextRotationDate), "OwningService": s.OwningService,
		"CreatedDate": cliTime(s.CreatedDate), "PrimaryRegion": s.PrimaryRegion, "Type": s.Type,
	}
	if r := s.RotationRules; r != nil {
		m["RotationRules"] = omitNil(map[string]any{"AutomaticallyAfterDays": r.AutomaticallyAfterDays,
			"Duration": r.Duration, "ScheduleExpression": r.ScheduleExpression})
	}
	if s.Tags != nil {
		tags := []map[string]any{}
		for _, tg := range s.Tags {
			tags = append(tags, map[string]any{"Key": str(tg.Key), "Value": str(tg.Value)})
		}
		m["Tags"] = tags
	}
	if s.SecretVersionsToStages != nil {
		m["VersionIdsToStages"] = s.SecretVersionsToStages
	}
	return omitNil(m)
}
