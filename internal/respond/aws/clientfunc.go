package awsrespond

// The SDK's paginators take a one-method interface; handed the *Client, they would make the linker
// keep every operation of the service (internal/collect/aws/clientfunc.go says why). They get a method
// value instead.

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// ec2DescribeSecurityGroupRules is ec2.Client.DescribeSecurityGroupRules as the interface its paginator takes.
type ec2DescribeSecurityGroupRules func(context.Context, *ec2.DescribeSecurityGroupRulesInput, ...func(*ec2.Options)) (*ec2.DescribeSecurityGroupRulesOutput, error)

func (f ec2DescribeSecurityGroupRules) DescribeSecurityGroupRules(ctx context.Context, in *ec2.DescribeSecurityGroupRulesInput, o ...func(*ec2.Options)) (*ec2.DescribeSecurityGroupRulesOutput, error) {
	return f(ctx, in, o...)
}

// iamListAccessKeys is iam.Client.ListAccessKeys as the interface its paginator takes.
type iamListAccessKeys func(context.Context, *iam.ListAccessKeysInput, ...func(*iam.Options)) (*iam.ListAccessKeysOutput, error)

func (f iamListAccessKeys) ListAccessKeys(ctx context.Context, in *iam.ListAccessKeysInput, o ...func(*iam.Options)) (*iam.ListAccessKeysOutput, error) {
	return f(ctx, in, o...)
}
