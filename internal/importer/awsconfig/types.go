package awsconfig

// The table of normalizers by resource type, kept apart from the decoding so that adding a type
// touches only this file and the file of its normalizer.

// normalizers maps the AWS Config resource types vigil reads to the
// function that fills their class and facts. A type whose resources stay
// of class other (a GuardDuty detector, read for the account's facts) is
// listed as unsupported; so is every type missing here.
var normalizers = map[string]normalizer{
	"AWS::S3::Bucket":                           s3Bucket,
	"AWS::EC2::SecurityGroup":                   securityGroup,
	"AWS::EC2::Instance":                        instance,
	"AWS::EC2::VPC":                             vpc,
	"AWS::EC2::Volume":                          volume,
	"AWS::EC2::FlowLog":                         flowLog,
	"AWS::EC2::RouteTable":                      routeTable,
	"AWS::EC2::NetworkAcl":                      classedNetworkACL,
	TypeEFS:                                     efsFileSystem,
	"AWS::RDS::DBInstance":                      rdsInstance,
	TypeRDSCluster:                              rdsCluster,
	TypeCacheReplicationGroup:                   cacheReplicationGroup,
	TypeOpenSearchDomain:                        searchDomain("opensearch"),
	TypeElasticsearchDomain:                     searchDomain("elasticsearch"),
	"AWS::RDS::DBSnapshot":                      rdsSnapshot("encrypted", "DBSnapshotAttributes"),
	"AWS::RDS::DBClusterSnapshot":               rdsSnapshot("storageEncrypted", "DBClusterSnapshotAttributes"),
	"AWS::KMS::Key":                             kmsKey,
	"AWS::CloudTrail::Trail":                    trail,
	"AWS::IAM::User":                            iamPrincipal("user"),
	"AWS::IAM::Role":                            iamPrincipal("role"),
	"AWS::IAM::Group":                           iamGroup,
	"AWS::IAM::Policy":                          iamPolicy,
	"AWS::GuardDuty::Detector":                  func(*item) {},
	"AWS::S3::AccountPublicAccessBlock":         accountPublicAccessBlock,
	"AWS::Lambda::Function":                     lambdaFunction,
	"AWS::EKS::Cluster":                         eksCluster,
	"AWS::ElasticLoadBalancingV2::LoadBalancer": elbv2LoadBalancer,
	"AWS::ElasticLoadBalancingV2::Listener":     elbv2Listener,
	"AWS::ElasticLoadBalancing::LoadBalancer":   classicLoadBalancer,
	"AWS::SQS::Queue":                           sqsQueue,
	"AWS::SNS::Topic":                           snsTopic,
	TypeKinesisStream:                           kinesisStream,
	"AWS::SecretsManager::Secret":               secret,
	"AWS::ECR::Repository":                      ecrRepository,
	TypeHostedZone:                              hostedZone,
	"AWS::CloudFront::Distribution":             distribution,
	"AWS::ApiGateway::Stage":                    apiStage,
	"AWS::ApiGatewayV2::Stage":                  apiStageV2,
	TypeDynamoDBTable:                           dynamoDBTable,
	TypeDynamoDBGlobal:                          dynamoDBGlobalTable,
	TypeRedshiftCluster:                         redshiftCluster,
	TypeBackupVault:                             backupVault,
}
