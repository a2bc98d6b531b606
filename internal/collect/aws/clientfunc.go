package awscollect

// The SDK's paginators take a one-method interface (rds.DescribeDBInstancesAPIClient and the like).
// Handing them the service's *Client converts the client to an interface, and vigil also links calls
// of methods by name through reflect (text/template's field evaluation, GORM, copier), after which the
// linker keeps every exported method of every type converted to an interface: each service's every
// operation, with its serializers, validators and middleware types (one EC2 paginator: 822
// operations, 2,356 itabs and 39 MB of executable). The runtime reads every itab and its types at each
// start, whatever the command (docs/iac.md, "Start-up"). The types below hand the paginators a method
// value instead, so only the operations vigil calls are linked. A paginator or waiter given a *Client
// directly brings the whole service back (TestPaginatorsTakeMethodValues).

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/efs"
	"github.com/aws/aws-sdk-go-v2/service/eks"
	elbv1 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/inspector2"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/securityhub"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

// iamListServerCertificates is iam.Client.ListServerCertificates as the interface its paginator takes.
type iamListServerCertificates func(context.Context, *iam.ListServerCertificatesInput, ...func(*iam.Options)) (*iam.ListServerCertificatesOutput, error)

func (f iamListServerCertificates) ListServerCertificates(ctx context.Context, in *iam.ListServerCertificatesInput, o ...func(*iam.Options)) (*iam.ListServerCertificatesOutput, error) {
	return f(ctx, in, o...)
}

// iamListVirtualMFADevices is iam.Client.ListVirtualMFADevices as the interface its paginator takes.
type iamListVirtualMFADevices func(context.Context, *iam.ListVirtualMFADevicesInput, ...func(*iam.Options)) (*iam.ListVirtualMFADevicesOutput, error)

func (f iamListVirtualMFADevices) ListVirtualMFADevices(ctx context.Context, in *iam.ListVirtualMFADevicesInput, o ...func(*iam.Options)) (*iam.ListVirtualMFADevicesOutput, error) {
	return f(ctx, in, o...)
}

// accessanalyzerListAnalyzers is accessanalyzer.Client.ListAnalyzers as the interface its paginator takes.
type accessanalyzerListAnalyzers func(context.Context, *accessanalyzer.ListAnalyzersInput, ...func(*accessanalyzer.Options)) (*accessanalyzer.ListAnalyzersOutput, error)

func (f accessanalyzerListAnalyzers) ListAnalyzers(ctx context.Context, in *accessanalyzer.ListAnalyzersInput, o ...func(*accessanalyzer.Options)) (*accessanalyzer.ListAnalyzersOutput, error) {
	return f(ctx, in, o...)
}

// apigatewayGetRestApis is apigateway.Client.GetRestApis as the interface its paginator takes.
type apigatewayGetRestApis func(context.Context, *apigateway.GetRestApisInput, ...func(*apigateway.Options)) (*apigateway.GetRestApisOutput, error)

func (f apigatewayGetRestApis) GetRestApis(ctx context.Context, in *apigateway.GetRestApisInput, o ...func(*apigateway.Options)) (*apigateway.GetRestApisOutput, error) {
	return f(ctx, in, o...)
}

// apigatewayGetResources is apigateway.Client.GetResources as the interface its paginator takes.
type apigatewayGetResources func(context.Context, *apigateway.GetResourcesInput, ...func(*apigateway.Options)) (*apigateway.GetResourcesOutput, error)

func (f apigatewayGetResources) GetResources(ctx context.Context, in *apigateway.GetResourcesInput, o ...func(*apigateway.Options)) (*apigateway.GetResourcesOutput, error) {
	return f(ctx, in, o...)
}

// apigatewayGetVpcLinks is apigateway.Client.GetVpcLinks as the interface its paginator takes.
type apigatewayGetVpcLinks func(context.Context, *apigateway.GetVpcLinksInput, ...func(*apigateway.Options)) (*apigateway.GetVpcLinksOutput, error)

func (f apigatewayGetVpcLinks) GetVpcLinks(ctx context.Context, in *apigateway.GetVpcLinksInput, o ...func(*apigateway.Options)) (*apigateway.GetVpcLinksOutput, error) {
	return f(ctx, in, o...)
}

// cloudfrontListDistributions is cloudfront.Client.ListDistributions as the interface its paginator takes.
type cloudfrontListDistributions func(context.Context, *cloudfront.ListDistributionsInput, ...func(*cloudfront.Options)) (*cloudfront.ListDistributionsOutput, error)

func (f cloudfrontListDistributions) ListDistributions(ctx context.Context, in *cloudfront.ListDistributionsInput, o ...func(*cloudfront.Options)) (*cloudfront.ListDistributionsOutput, error) {
	return f(ctx, in, o...)
}

// cloudtrailListTags is cloudtrail.Client.ListTags as the interface its paginator takes.
type cloudtrailListTags func(context.Context, *cloudtrail.ListTagsInput, ...func(*cloudtrail.Options)) (*cloudtrail.ListTagsOutput, error)

func (f cloudtrailListTags) ListTags(ctx context.Context, in *cloudtrail.ListTagsInput, o ...func(*cloudtrail.Options)) (*cloudtrail.ListTagsOutput, error) {
	return f(ctx, in, o...)
}

// cloudwatchlogsDescribeMetricFilters is cloudwatchlogs.Client.DescribeMetricFilters as the interface its paginator takes.
type cloudwatchlogsDescribeMetricFilters func(context.Context, *cloudwatchlogs.DescribeMetricFiltersInput, ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.DescribeMetricFiltersOutput, error)

func (f cloudwatchlogsDescribeMetricFilters) DescribeMetricFilters(ctx context.Context, in *cloudwatchlogs.DescribeMetricFiltersInput, o ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.DescribeMetricFiltersOutput, error) {
	return f(ctx, in, o...)
}

// cloudwatchDescribeAlarms is cloudwatch.Client.DescribeAlarms as the interface its paginator takes.
type cloudwatchDescribeAlarms func(context.Context, *cloudwatch.DescribeAlarmsInput, ...func(*cloudwatch.Options)) (*cloudwatch.DescribeAlarmsOutput, error)

func (f cloudwatchDescribeAlarms) DescribeAlarms(ctx context.Context, in *cloudwatch.DescribeAlarmsInput, o ...func(*cloudwatch.Options)) (*cloudwatch.DescribeAlarmsOutput, error) {
	return f(ctx, in, o...)
}

// ecrDescribeRepositories is ecr.Client.DescribeRepositories as the interface its paginator takes.
type ecrDescribeRepositories func(context.Context, *ecr.DescribeRepositoriesInput, ...func(*ecr.Options)) (*ecr.DescribeRepositoriesOutput, error)

func (f ecrDescribeRepositories) DescribeRepositories(ctx context.Context, in *ecr.DescribeRepositoriesInput, o ...func(*ecr.Options)) (*ecr.DescribeRepositoriesOutput, error) {
	return f(ctx, in, o...)
}

// efsDescribeFileSystems is efs.Client.DescribeFileSystems as the interface its paginator takes.
type efsDescribeFileSystems func(context.Context, *efs.DescribeFileSystemsInput, ...func(*efs.Options)) (*efs.DescribeFileSystemsOutput, error)

func (f efsDescribeFileSystems) DescribeFileSystems(ctx context.Context, in *efs.DescribeFileSystemsInput, o ...func(*efs.Options)) (*efs.DescribeFileSystemsOutput, error) {
	return f(ctx, in, o...)
}

// eksListClusters is eks.Client.ListClusters as the interface its paginator takes.
type eksListClusters func(context.Context, *eks.ListClustersInput, ...func(*eks.Options)) (*eks.ListClustersOutput, error)

func (f eksListClusters) ListClusters(ctx context.Context, in *eks.ListClustersInput, o ...func(*eks.Options)) (*eks.ListClustersOutput, error) {
	return f(ctx, in, o...)
}

// elbDescribeLoadBalancers is elbv1.Client.DescribeLoadBalancers as the interface its paginator takes.
type elbDescribeLoadBalancers func(context.Context, *elbv1.DescribeLoadBalancersInput, ...func(*elbv1.Options)) (*elbv1.DescribeLoadBalancersOutput, error)

func (f elbDescribeLoadBalancers) DescribeLoadBalancers(ctx context.Context, in *elbv1.DescribeLoadBalancersInput, o ...func(*elbv1.Options)) (*elbv1.DescribeLoadBalancersOutput, error) {
	return f(ctx, in, o...)
}

// elbv2DescribeLoadBalancers is elbv2.Client.DescribeLoadBalancers as the interface its paginator takes.
type elbv2DescribeLoadBalancers func(context.Context, *elbv2.DescribeLoadBalancersInput, ...func(*elbv2.Options)) (*elbv2.DescribeLoadBalancersOutput, error)

func (f elbv2DescribeLoadBalancers) DescribeLoadBalancers(ctx context.Context, in *elbv2.DescribeLoadBalancersInput, o ...func(*elbv2.Options)) (*elbv2.DescribeLoadBalancersOutput, error) {
	return f(ctx, in, o...)
}

// elbv2DescribeListeners is elbv2.Client.DescribeListeners as the interface its paginator takes.
type elbv2DescribeListeners func(context.Context, *elbv2.DescribeListenersInput, ...func(*elbv2.Options)) (*elbv2.DescribeListenersOutput, error)

func (f elbv2DescribeListeners) DescribeListeners(ctx context.Context, in *elbv2.DescribeListenersInput, o ...func(*elbv2.Options)) (*elbv2.DescribeListenersOutput, error) {
	return f(ctx, in, o...)
}

// guarddutyListFindings is guardduty.Client.ListFindings as the interface its paginator takes.
type guarddutyListFindings func(context.Context, *guardduty.ListFindingsInput, ...func(*guardduty.Options)) (*guardduty.ListFindingsOutput, error)

func (f guarddutyListFindings) ListFindings(ctx context.Context, in *guardduty.ListFindingsInput, o ...func(*guardduty.Options)) (*guardduty.ListFindingsOutput, error) {
	return f(ctx, in, o...)
}

// securityhubGetFindings is securityhub.Client.GetFindings as the interface its paginator takes.
type securityhubGetFindings func(context.Context, *securityhub.GetFindingsInput, ...func(*securityhub.Options)) (*securityhub.GetFindingsOutput, error)

func (f securityhubGetFindings) GetFindings(ctx context.Context, in *securityhub.GetFindingsInput, o ...func(*securityhub.Options)) (*securityhub.GetFindingsOutput, error) {
	return f(ctx, in, o...)
}

// inspector2ListFindings is inspector2.Client.ListFindings as the interface its paginator takes.
type inspector2ListFindings func(context.Context, *inspector2.ListFindingsInput, ...func(*inspector2.Options)) (*inspector2.ListFindingsOutput, error)

func (f inspector2ListFindings) ListFindings(ctx context.Context, in *inspector2.ListFindingsInput, o ...func(*inspector2.Options)) (*inspector2.ListFindingsOutput, error) {
	return f(ctx, in, o...)
}

// guarddutyListDetectors is guardduty.Client.ListDetectors as the interface its paginator takes.
type guarddutyListDetectors func(context.Context, *guardduty.ListDetectorsInput, ...func(*guardduty.Options)) (*guardduty.ListDetectorsOutput, error)

func (f guarddutyListDetectors) ListDetectors(ctx context.Context, in *guardduty.ListDetectorsInput, o ...func(*guardduty.Options)) (*guardduty.ListDetectorsOutput, error) {
	return f(ctx, in, o...)
}

// kmsListKeys is kms.Client.ListKeys as the interface its paginator takes.
type kmsListKeys func(context.Context, *kms.ListKeysInput, ...func(*kms.Options)) (*kms.ListKeysOutput, error)

func (f kmsListKeys) ListKeys(ctx context.Context, in *kms.ListKeysInput, o ...func(*kms.Options)) (*kms.ListKeysOutput, error) {
	return f(ctx, in, o...)
}

// lambdaListFunctions is lambda.Client.ListFunctions as the interface its paginator takes.
type lambdaListFunctions func(context.Context, *lambda.ListFunctionsInput, ...func(*lambda.Options)) (*lambda.ListFunctionsOutput, error)

func (f lambdaListFunctions) ListFunctions(ctx context.Context, in *lambda.ListFunctionsInput, o ...func(*lambda.Options)) (*lambda.ListFunctionsOutput, error) {
	return f(ctx, in, o...)
}

// lambdaListFunctionUrlConfigs is lambda.Client.ListFunctionUrlConfigs as the interface its paginator takes.
type lambdaListFunctionUrlConfigs func(context.Context, *lambda.ListFunctionUrlConfigsInput, ...func(*lambda.Options)) (*lambda.ListFunctionUrlConfigsOutput, error)

func (f lambdaListFunctionUrlConfigs) ListFunctionUrlConfigs(ctx context.Context, in *lambda.ListFunctionUrlConfigsInput, o ...func(*lambda.Options)) (*lambda.ListFunctionUrlConfigsOutput, error) {
	return f(ctx, in, o...)
}

// rdsDescribeDBInstances is rds.Client.DescribeDBInstances as the interface its paginator takes.
type rdsDescribeDBInstances func(context.Context, *rds.DescribeDBInstancesInput, ...func(*rds.Options)) (*rds.DescribeDBInstancesOutput, error)

func (f rdsDescribeDBInstances) DescribeDBInstances(ctx context.Context, in *rds.DescribeDBInstancesInput, o ...func(*rds.Options)) (*rds.DescribeDBInstancesOutput, error) {
	return f(ctx, in, o...)
}

// rdsDescribeDBClusters is rds.Client.DescribeDBClusters as the interface its paginator takes.
type rdsDescribeDBClusters func(context.Context, *rds.DescribeDBClustersInput, ...func(*rds.Options)) (*rds.DescribeDBClustersOutput, error)

func (f rdsDescribeDBClusters) DescribeDBClusters(ctx context.Context, in *rds.DescribeDBClustersInput, o ...func(*rds.Options)) (*rds.DescribeDBClustersOutput, error) {
	return f(ctx, in, o...)
}

// rdsDescribeDBSnapshots is rds.Client.DescribeDBSnapshots as the interface its paginator takes.
type rdsDescribeDBSnapshots func(context.Context, *rds.DescribeDBSnapshotsInput, ...func(*rds.Options)) (*rds.DescribeDBSnapshotsOutput, error)

func (f rdsDescribeDBSnapshots) DescribeDBSnapshots(ctx context.Context, in *rds.DescribeDBSnapshotsInput, o ...func(*rds.Options)) (*rds.DescribeDBSnapshotsOutput, error) {
	return f(ctx, in, o...)
}

// rdsDescribeDBClusterSnapshots is rds.Client.DescribeDBClusterSnapshots as the interface its paginator takes.
type rdsDescribeDBClusterSnapshots func(context.Context, *rds.DescribeDBClusterSnapshotsInput, ...func(*rds.Options)) (*rds.DescribeDBClusterSnapshotsOutput, error)

func (f rdsDescribeDBClusterSnapshots) DescribeDBClusterSnapshots(ctx context.Context, in *rds.DescribeDBClusterSnapshotsInput, o ...func(*rds.Options)) (*rds.DescribeDBClusterSnapshotsOutput, error) {
	return f(ctx, in, o...)
}

// route53ListHostedZones is route53.Client.ListHostedZones as the interface its paginator takes.
type route53ListHostedZones func(context.Context, *route53.ListHostedZonesInput, ...func(*route53.Options)) (*route53.ListHostedZonesOutput, error)

func (f route53ListHostedZones) ListHostedZones(ctx context.Context, in *route53.ListHostedZonesInput, o ...func(*route53.Options)) (*route53.ListHostedZonesOutput, error) {
	return f(ctx, in, o...)
}

// route53ListQueryLoggingConfigs is route53.Client.ListQueryLoggingConfigs as the interface its paginator takes.
type route53ListQueryLoggingConfigs func(context.Context, *route53.ListQueryLoggingConfigsInput, ...func(*route53.Options)) (*route53.ListQueryLoggingConfigsOutput, error)

func (f route53ListQueryLoggingConfigs) ListQueryLoggingConfigs(ctx context.Context, in *route53.ListQueryLoggingConfigsInput, o ...func(*route53.Options)) (*route53.ListQueryLoggingConfigsOutput, error) {
	return f(ctx, in, o...)
}

// secretsmanagerListSecrets is secretsmanager.Client.ListSecrets as the interface its paginator takes.
type secretsmanagerListSecrets func(context.Context, *secretsmanager.ListSecretsInput, ...func(*secretsmanager.Options)) (*secretsmanager.ListSecretsOutput, error)

func (f secretsmanagerListSecrets) ListSecrets(ctx context.Context, in *secretsmanager.ListSecretsInput, o ...func(*secretsmanager.Options)) (*secretsmanager.ListSecretsOutput, error) {
	return f(ctx, in, o...)
}

// securityhubGetEnabledStandards is securityhub.Client.GetEnabledStandards as the interface its paginator takes.
type securityhubGetEnabledStandards func(context.Context, *securityhub.GetEnabledStandardsInput, ...func(*securityhub.Options)) (*securityhub.GetEnabledStandardsOutput, error)

func (f securityhubGetEnabledStandards) GetEnabledStandards(ctx context.Context, in *securityhub.GetEnabledStandardsInput, o ...func(*securityhub.Options)) (*securityhub.GetEnabledStandardsOutput, error) {
	return f(ctx, in, o...)
}

// snsListTopics is sns.Client.ListTopics as the interface its paginator takes.
type snsListTopics func(context.Context, *sns.ListTopicsInput, ...func(*sns.Options)) (*sns.ListTopicsOutput, error)

func (f snsListTopics) ListTopics(ctx context.Context, in *sns.ListTopicsInput, o ...func(*sns.Options)) (*sns.ListTopicsOutput, error) {
	return f(ctx, in, o...)
}

// sqsListQueues is sqs.Client.ListQueues as the interface its paginator takes.
type sqsListQueues func(context.Context, *sqs.ListQueuesInput, ...func(*sqs.Options)) (*sqs.ListQueuesOutput, error)

func (f sqsListQueues) ListQueues(ctx context.Context, in *sqs.ListQueuesInput, o ...func(*sqs.Options)) (*sqs.ListQueuesOutput, error) {
	return f(ctx, in, o...)
}
