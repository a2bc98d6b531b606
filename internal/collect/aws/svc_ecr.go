package awscollect

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"
)

// runECR collects the region's ECR repositories as AWS Config records them
// (AWS::ECR::Repository with CloudFormation's property names:
// RepositoryName, ImageScanningConfiguration, ImageTagMutability,
// EncryptionConfiguration, RepositoryPolicyText), for registry-public
// (CIS AWS 2.21), image scanning, tag immutability and the registry's key.
// A repository without a policy has RepositoryPolicyText "" (no document:
// not public); one whose GetRepositoryPolicy failed has none (unknown).
func runECR(ctx context.Context, t *Task) error {
	c := ecr.NewFromConfig(t.Config)
	var repos []ecrtypes.Repository
	if _, err := pages(ctx, t, "ecr", "ecr:DescribeRepositories",
		ecr.NewDescribeRepositoriesPaginator(ecrDescribeRepositories(c.DescribeRepositories), &ecr.DescribeRepositoriesInput{}),
		func(o *ecr.DescribeRepositoriesOutput) *string { return o.NextToken },
		func(o *ecr.DescribeRepositoriesOutput) { repos = append(repos, o.Repositories...) }); err != nil {
		return err
	}
	return each(ctx, repos, func(r ecrtypes.Repository) {
		policy, known := repositoryPolicy(ctx, t, c, r)
		t.Item(repositoryItem(r, policy, known))
	})
}

// repositoryPolicy reads a repository's policy text: "" for none; known
// false when the call failed (reported).
func repositoryPolicy(ctx context.Context, t *Task, c *ecr.Client, r ecrtypes.Repository) (string, bool) {
	out, err := c.GetRepositoryPolicy(ctx, &ecr.GetRepositoryPolicyInput{RepositoryName: r.RepositoryName, RegistryId: r.RegistryId})
	switch {
	case err == nil:
		return aws.ToString(out.PolicyText), true
	case isCode(err, "RepositoryPolicyNotFoundException"):
		return "", true
	}
	if ctx.Err() == nil {
		t.Fail("ecr", "ecr:GetRepositoryPolicy", aws.ToString(r.RepositoryArn), err)
	}
	return "", false
}

// repositoryItem is a repository as AWS Config records it.
func repositoryItem(r ecrtypes.Repository, policy string, known bool) Item {
	cfg := map[string]any{"RepositoryName": r.RepositoryName, "Arn": r.RepositoryArn, "ImageTagMutability": enum(r.ImageTagMutability)}
	if s := r.ImageScanningConfiguration; s != nil {
		cfg["ImageScanningConfiguration"] = map[string]any{"ScanOnPush": s.ScanOnPush}
	}
	if e := r.EncryptionConfiguration; e != nil {
		cfg["EncryptionConfiguration"] = omitNil(map[string]any{"EncryptionType": enum(e.EncryptionType), "KmsKey": e.KmsKey})
	}
	if known {
		cfg["RepositoryPolicyText"] = policy
	}
	name := aws.ToString(r.RepositoryName)
	return Item{ResourceType: "AWS::ECR::Repository", ResourceID: name, ResourceName: name, ARN: aws.ToString(r.RepositoryArn),
		Created: r.CreatedAt, Configuration: omitNil(cfg)}
}
