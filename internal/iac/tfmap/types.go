package tfmap

import (
	"github.com/vigil-sec/vigil/internal/importer/gcp"
	"github.com/vigil-sec/vigil/internal/resource"
)

// mappers are the resource types mapped, by Terraform type.
var mappers = map[string]typeMapper{}

// attachments are the split resources joined onto what they configure.
var attachments = map[string]attachment{}

func init() {
	gcpIAMTypes()
	for _, tables := range []struct {
		provider resource.Provider
		types    map[string]typeMapper
		attach   map[string]attachment
	}{{resource.AWS, awsTypes, awsAttachments}, {resource.Azure, azureTypes, azureAttachments}, {resource.GCP, gcpTypes, gcpAttachments}} {
		for k, v := range tables.types {
			v.provider = tables.provider
			mappers[k] = v
		}
		for k, v := range tables.attach {
			attachments[k] = v
		}
	}
}

func on(attr string, types ...string) attachment {
	return attachment{on: map[string][]string{attr: types}}
}

var awsTypes = map[string]typeMapper{
	"aws_s3_bucket":                      {native: "AWS::S3::Bucket", class: resource.ClassObjectStorage, fill: s3Bucket},
	"aws_s3_account_public_access_block": {native: "AWS::::Account", class: resource.ClassAccount, fill: s3AccountBlock},
	"aws_ebs_encryption_by_default":      {native: "AWS::::Account", class: resource.ClassAccount, fill: ebsDefaultEncryption},
	"aws_security_group":                 {native: "AWS::EC2::SecurityGroup", class: resource.ClassFirewall, fill: securityGroup},
	"aws_default_security_group":         {native: "AWS::EC2::SecurityGroup", class: resource.ClassFirewall, fill: securityGroup},
	"aws_instance":                       {native: "AWS::EC2::Instance", class: resource.ClassCompute, fill: instance},
	"aws_launch_template":                {native: "AWS::EC2::LaunchTemplate", class: resource.ClassCompute, fill: launchTemplate},
	"aws_launch_configuration":           {native: "AWS::AutoScaling::LaunchConfiguration", class: resource.ClassCompute, fill: launchConfiguration},
	"aws_ebs_volume":                     {native: "AWS::EC2::Volume", class: resource.ClassDisk, fill: volume},
	"aws_vpc":                            {native: "AWS::EC2::VPC", class: resource.ClassNetwork, fill: vpc},
	"aws_default_vpc":                    {native: "AWS::EC2::VPC", class: resource.ClassNetwork, fill: vpc},
	"aws_flow_log":                       {native: "AWS::EC2::FlowLog", class: resource.ClassFlowLog, fill: flowLog},
	"aws_db_instance":                    {native: "AWS::RDS::DBInstance", class: resource.ClassDatabase, fill: rdsInstance},
	"aws_rds_cluster_instance":           {native: "AWS::RDS::DBInstance", class: resource.ClassDatabase, fill: rdsInstance},
	"aws_rds_cluster":                    {native: "AWS::RDS::DBCluster", class: resource.ClassDatabase, fill: rdsCluster},
	"aws_kinesis_stream":                 {native: "AWS::Kinesis::Stream", class: resource.ClassQueue, fill: kinesisStream},
	"aws_elasticache_replication_group":  {native: "AWS::ElastiCache::ReplicationGroup", class: resource.ClassDatabase, fill: cacheReplicationGroup},
	"aws_elasticache_cluster":            {native: "AWS::ElastiCache::CacheCluster", class: resource.ClassDatabase, fill: cacheCluster},
	"aws_opensearch_domain":              {native: "AWS::OpenSearch::Domain", class: resource.ClassDatabase, fill: searchDomain},
	"aws_elasticsearch_domain":           {native: "AWS::Elasticsearch::Domain", class: resource.ClassDatabase, fill: searchDomain},
	"aws_docdb_cluster": {native: "AWS::RDS::DBCluster", class: resource.ClassDatabase, fill: func(m *mapper, r *inst, out *resource.Resource) {
		dbCluster(m, r, out, "docdb", "kms_key_id")
	}},
	"aws_neptune_cluster": {native: "AWS::RDS::DBCluster", class: resource.ClassDatabase, fill: func(m *mapper, r *inst, out *resource.Resource) {
		dbCluster(m, r, out, "neptune", "kms_key_arn")
	}},
	"aws_kms_key":                         {native: "AWS::KMS::Key", class: resource.ClassKey, fill: kmsKey},
	"aws_cloudtrail":                      {native: "AWS::CloudTrail::Trail", class: resource.ClassAuditLog, fill: trail},
	"aws_iam_user":                        {native: "AWS::IAM::User", class: resource.ClassIdentity, fill: iamUser},
	"aws_iam_role":                        {native: "AWS::IAM::Role", class: resource.ClassIdentity, fill: iamRole},
	"aws_iam_group":                       {native: "AWS::IAM::Group", class: resource.ClassGroup, fill: iamGroup},
	"aws_iam_policy":                      {native: "AWS::IAM::Policy", class: resource.ClassIAMPolicy, fill: iamPolicy},
	"aws_iam_user_policy":                 {native: "AWS::IAM::Policy", class: resource.ClassIAMPolicy, fill: inlinePolicy},
	"aws_iam_role_policy":                 {native: "AWS::IAM::Policy", class: resource.ClassIAMPolicy, fill: inlinePolicy},
	"aws_iam_group_policy":                {native: "AWS::IAM::Policy", class: resource.ClassIAMPolicy, fill: inlinePolicy},
	"aws_lambda_function":                 {native: "AWS::Lambda::Function", class: resource.ClassFunction, fill: lambda},
	"aws_eks_cluster":                     {native: "AWS::EKS::Cluster", class: resource.ClassKubernetes, fill: eks},
	"aws_lb":                              {native: "AWS::ElasticLoadBalancingV2::LoadBalancer", class: resource.ClassLoadBalancer, fill: elbv2},
	"aws_alb":                             {native: "AWS::ElasticLoadBalancingV2::LoadBalancer", class: resource.ClassLoadBalancer, fill: elbv2},
	"aws_lb_listener":                     {native: "AWS::ElasticLoadBalancingV2::Listener", class: resource.ClassLoadBalancer, fill: listener},
	"aws_alb_listener":                    {native: "AWS::ElasticLoadBalancingV2::Listener", class: resource.ClassLoadBalancer, fill: listener},
	"aws_elb":                             {native: "AWS::ElasticLoadBalancing::LoadBalancer", class: resource.ClassLoadBalancer, fill: classicELB},
	"aws_sqs_queue":                       {native: "AWS::SQS::Queue", class: resource.ClassQueue, fill: queue},
	"aws_sns_topic":                       {native: "AWS::SNS::Topic", class: resource.ClassQueue, fill: topic},
	"aws_secretsmanager_secret":           {native: "AWS::SecretsManager::Secret", class: resource.ClassSecret, fill: secret},
	"aws_ecr_repository":                  {native: "AWS::ECR::Repository", class: resource.ClassContainerRegistry, fill: ecr},
	"aws_cloudfront_distribution":         {native: "AWS::CloudFront::Distribution", class: resource.ClassCDN, fill: distribution},
	"aws_api_gateway_stage":               {native: "AWS::ApiGateway::Stage", class: resource.ClassAPIGateway, fill: apiStage},
	"aws_apigatewayv2_stage":              {native: "AWS::ApiGatewayV2::Stage", class: resource.ClassAPIGateway, fill: apiStageV2},
	"aws_security_group_rule":             {native: "AWS::EC2::SecurityGroup", class: resource.ClassFirewall, fill: standalone([]string{"security_group_id"}, sgTypes, sgRuleAlone)},
	"aws_vpc_security_group_ingress_rule": {native: "AWS::EC2::SecurityGroup", class: resource.ClassFirewall, fill: standalone([]string{"security_group_id"}, sgTypes, sgRuleAlone)},
	"aws_vpc_security_group_egress_rule":  {native: "AWS::EC2::SecurityGroup", class: resource.ClassFirewall, fill: standalone([]string{"security_group_id"}, sgTypes, sgRuleAlone)},
	"aws_iam_account_password_policy":     {native: "AWS::IAM::AccountPasswordPolicy", class: resource.ClassPasswordPolicy, fill: passwordPolicy},
	"aws_ebs_snapshot":                    {native: "AWS::EC2::Snapshot", class: resource.ClassSnapshot, fill: ebsSnapshot},
	"aws_guardduty_detector":              {native: "AWS::::Account", class: resource.ClassAccount, fill: guardDuty},
	"aws_account_alternate_contact":       {native: "AWS::::Account", class: resource.ClassAccount, fill: alternateContact},
	"aws_api_gateway_rest_api":            {native: "AWS::ApiGateway::RestApi", class: resource.ClassAPIGateway, fill: restAPI},
	"aws_api_gateway_domain_name":         {native: "AWS::ApiGateway::DomainName", class: resource.ClassAPIGateway, fill: apiDomain},
	"aws_apigatewayv2_domain_name":        {native: "AWS::ApiGatewayV2::DomainName", class: resource.ClassAPIGateway, fill: apiDomainV2},
	"aws_route53_zone":                    {native: "AWS::Route53::HostedZone", class: resource.ClassDNSZone, fill: hostedZone},
	"aws_dynamodb_table":                  {native: "AWS::DynamoDB::Table", class: resource.ClassDatabase, fill: dynamoDBTable},
	"aws_network_acl":                     {native: "AWS::EC2::NetworkAcl", class: resource.ClassNetworkACL, fill: networkACL},
	"aws_route_table":                     {native: "AWS::EC2::RouteTable", class: resource.ClassOther, fill: routeTable},
	"aws_default_route_table":             {native: "AWS::EC2::RouteTable", class: resource.ClassOther, fill: routeTable},
	"aws_vpc_peering_connection":          {native: "AWS::EC2::VPCPeeringConnection", class: resource.ClassOther, fill: vpcPeering},
	"aws_default_network_acl":             {native: "AWS::EC2::NetworkAcl", class: resource.ClassNetworkACL, fill: networkACL},
	"aws_network_acl_rule":                {native: "AWS::EC2::NetworkAcl", class: resource.ClassNetworkACL, fill: standalone([]string{"network_acl_id"}, naclTypes, naclRuleAlone)},
	"aws_efs_file_system":                 {native: "AWS::EFS::FileSystem", class: resource.ClassDisk, fill: efsFileSystem},
}

var awsAttachments = map[string]attachment{
	"aws_s3_bucket_public_access_block":                  on("bucket", bucketTypes...),
	"aws_s3_bucket_server_side_encryption_configuration": on("bucket", bucketTypes...),
	"aws_s3_bucket_versioning":                           on("bucket", bucketTypes...),
	"aws_s3_bucket_logging":                              on("bucket", bucketTypes...),
	"aws_s3_bucket_policy":                               on("bucket", bucketTypes...),
	"aws_s3_bucket_acl":                                  on("bucket", bucketTypes...),
	"aws_s3_bucket_ownership_controls":                   on("bucket", bucketTypes...),
	"aws_s3_bucket_replication_configuration":            on("bucket", bucketTypes...),
	"aws_security_group_rule":                            on("security_group_id", sgTypes...),
	"aws_vpc_security_group_ingress_rule":                on("security_group_id", sgTypes...),
	"aws_vpc_security_group_egress_rule":                 on("security_group_id", sgTypes...),
	"aws_volume_attachment":                              on("volume_id", "aws_ebs_volume"),
	"aws_iam_user_policy_attachment":                     {on: map[string][]string{"user": userTypes, "policy_arn": policyTypes}},
	"aws_iam_role_policy_attachment":                     {on: map[string][]string{"role": roleTypes, "policy_arn": policyTypes}},
	"aws_iam_group_policy_attachment":                    {on: map[string][]string{"group": groupTypes, "policy_arn": policyTypes}},
	"aws_iam_policy_attachment":                          {on: map[string][]string{"users": userTypes, "roles": roleTypes, "groups": groupTypes, "policy_arn": policyTypes}},
	"aws_iam_user_policy":                                {on: map[string][]string{"user": userTypes}, own: true},
	"aws_iam_role_policy":                                {on: map[string][]string{"role": roleTypes}, own: true},
	"aws_iam_group_policy":                               {on: map[string][]string{"group": groupTypes}, own: true},
	"aws_iam_user_login_profile":                         on("user", userTypes...),
	"aws_iam_access_key":                                 on("user", userTypes...),
	"aws_iam_user_group_membership":                      on("user", userTypes...),
	"aws_iam_group_membership":                           on("group", groupTypes...),
	"aws_kms_key_policy":                                 on("key_id", "aws_kms_key"),
	"aws_lambda_permission":                              on("function_name", "aws_lambda_function"),
	"aws_lambda_function_url":                            on("function_name", "aws_lambda_function"),
	"aws_wafv2_web_acl_association":                      on("resource_arn", "aws_lb", "aws_alb", "aws_api_gateway_stage"),
	"aws_wafregional_web_acl_association":                on("resource_arn", "aws_lb", "aws_alb", "aws_api_gateway_stage"),
	"aws_lb_listener":                                    {on: map[string][]string{"load_balancer_arn": {"aws_lb", "aws_alb"}}, own: true},
	"aws_alb_listener":                                   {on: map[string][]string{"load_balancer_arn": {"aws_lb", "aws_alb"}}, own: true},
	"aws_sqs_queue_policy":                               on("queue_url", "aws_sqs_queue"),
	"aws_sns_topic_policy":                               on("arn", "aws_sns_topic"),
	"aws_secretsmanager_secret_rotation":                 on("secret_id", "aws_secretsmanager_secret"),
	"aws_secretsmanager_secret_policy":                   on("secret_arn", "aws_secretsmanager_secret"),
	"aws_ecr_repository_policy":                          on("repository", "aws_ecr_repository"),
	"aws_api_gateway_method_settings":                    on("stage_name", "aws_api_gateway_stage"),
	"aws_snapshot_create_volume_permission":              on("snapshot_id", "aws_ebs_snapshot"),
	"aws_api_gateway_method":                             on("rest_api_id", "aws_api_gateway_rest_api"),
	"aws_route53_query_log":                              on("zone_id", "aws_route53_zone"),
	"aws_route":                                          on("route_table_id", "aws_route_table", "aws_default_route_table", "aws_vpc", "aws_default_vpc"),
	"aws_route_table_association":                        on("route_table_id", routeTableTypes...),
	"aws_main_route_table_association":                   on("route_table_id", routeTableTypes...),
	"aws_route53_hosted_zone_dnssec":                     on("hosted_zone_id", "aws_route53_zone"),
	"aws_network_acl_rule":                               on("network_acl_id", naclTypes...),
	"aws_network_acl_association":                        on("network_acl_id", naclTypes...),
}

var azureTypes = map[string]typeMapper{
	"azurerm_storage_account":                        {native: "Microsoft.Storage/storageAccounts", class: resource.ClassObjectStorage, fill: storageAccount},
	"azurerm_network_security_group":                 {native: "Microsoft.Network/networkSecurityGroups", class: resource.ClassFirewall, fill: nsg},
	"azurerm_linux_virtual_machine":                  {native: "Microsoft.Compute/virtualMachines", class: resource.ClassCompute, fill: azureVM},
	"azurerm_windows_virtual_machine":                {native: "Microsoft.Compute/virtualMachines", class: resource.ClassCompute, fill: azureVM},
	"azurerm_virtual_machine":                        {native: "Microsoft.Compute/virtualMachines", class: resource.ClassCompute, fill: azureVM},
	"azurerm_linux_virtual_machine_scale_set":        {native: "Microsoft.Compute/virtualMachineScaleSets", class: resource.ClassCompute, fill: azureVMSS},
	"azurerm_windows_virtual_machine_scale_set":      {native: "Microsoft.Compute/virtualMachineScaleSets", class: resource.ClassCompute, fill: azureVMSS},
	"azurerm_orchestrated_virtual_machine_scale_set": {native: "Microsoft.Compute/virtualMachineScaleSets", class: resource.ClassCompute, fill: azureVMSS},
	"azurerm_virtual_machine_scale_set":              {native: "Microsoft.Compute/virtualMachineScaleSets", class: resource.ClassCompute, fill: azureVMSS},
	"azurerm_managed_disk":                           {native: "Microsoft.Compute/disks", class: resource.ClassDisk, fill: managedDisk},
	"azurerm_mssql_server":                           {native: "Microsoft.Sql/servers", class: resource.ClassDatabase, fill: mssqlServer},
	"azurerm_redis_cache":                            {native: "Microsoft.Cache/Redis", class: resource.ClassDatabase, fill: azureRedisCache},
	"azurerm_postgresql_flexible_server":             {native: "Microsoft.DBforPostgreSQL/flexibleServers", class: resource.ClassDatabase, fill: flexibleServer("postgresql")},
	"azurerm_mysql_flexible_server":                  {native: "Microsoft.DBforMySQL/flexibleServers", class: resource.ClassDatabase, fill: flexibleServer("mysql")},
	"azurerm_postgresql_server":                      {native: "Microsoft.DBforPostgreSQL/servers", class: resource.ClassDatabase, fill: singleServer("postgresql")},
	"azurerm_mysql_server":                           {native: "Microsoft.DBforMySQL/servers", class: resource.ClassDatabase, fill: singleServer("mysql")},
	"azurerm_mariadb_server":                         {native: "Microsoft.DBforMariaDB/servers", class: resource.ClassDatabase, fill: singleServer("mariadb")},
	"azurerm_key_vault":                              {native: "Microsoft.KeyVault/vaults", class: resource.ClassKeyVault, fill: keyVault},
	"azurerm_key_vault_key":                          {native: "Microsoft.KeyVault/vaults/keys", class: resource.ClassKey, fill: vaultKey},
	"azurerm_key_vault_secret":                       {native: "Microsoft.KeyVault/vaults/secrets", class: resource.ClassSecret, fill: vaultSecret},
	"azurerm_key_vault_certificate":                  {native: "Microsoft.KeyVault/vaults/certificates", class: resource.ClassSecret, fill: vaultCertificate},
	"azurerm_kubernetes_cluster":                     {native: "Microsoft.ContainerService/managedClusters", class: resource.ClassKubernetes, fill: aks},
	"azurerm_monitor_diagnostic_setting":             {native: "Microsoft.Insights/diagnosticSettings", class: resource.ClassAuditLog, fill: diagnosticSetting},
	"azurerm_monitor_log_profile":                    {native: "Microsoft.Insights/logprofiles", class: resource.ClassAuditLog, fill: logProfile},
	"azurerm_role_assignment":                        {native: "Microsoft.Authorization/roleAssignments", class: resource.ClassIAMBinding, fill: roleAssignment},
	"azurerm_role_definition":                        {native: "Microsoft.Authorization/roleDefinitions", class: resource.ClassRole, fill: roleDefinition},
	"azurerm_linux_function_app":                     {native: "Microsoft.Web/sites", class: resource.ClassFunction, fill: functionApp},
	"azurerm_windows_function_app":                   {native: "Microsoft.Web/sites", class: resource.ClassFunction, fill: functionApp},
	"azurerm_function_app":                           {native: "Microsoft.Web/sites", class: resource.ClassFunction, fill: functionApp},
	"azurerm_container_registry":                     {native: "Microsoft.ContainerRegistry/registries", class: resource.ClassContainerRegistry, fill: containerRegistry},
	"azurerm_network_watcher_flow_log":               {native: "Microsoft.Network/networkWatchers/flowLogs", class: resource.ClassFlowLog, fill: azureFlowLog},
	"azurerm_network_security_rule":                  {native: "Microsoft.Network/networkSecurityGroups", class: resource.ClassFirewall, fill: standalone([]string{"network_security_group_name"}, nsgTypes, nsgRuleAlone)},
	"azurerm_storage_container":                      {native: "Microsoft.Storage/storageAccounts/blobServices/containers", class: resource.ClassObjectStorage, fill: standalone([]string{"storage_account_name", "storage_account_id"}, storageTypes, containerAlone)},
	"azurerm_storage_account_network_rules":          {native: "Microsoft.Storage/storageAccounts", class: resource.ClassObjectStorage, fill: standalone([]string{"storage_account_name", "storage_account_id"}, storageTypes, networkRulesAlone)},
	"azurerm_sql_server":                             {native: "Microsoft.Sql/servers", class: resource.ClassDatabase, fill: mssqlServer},
	"azurerm_application_gateway":                    {native: "Microsoft.Network/applicationGateways", class: resource.ClassLoadBalancer, fill: appGateway},
	"azurerm_security_center_subscription_pricing":   {native: "Microsoft.Resources/subscriptions", class: resource.ClassAccount, fill: defenderPricing},
	"azurerm_security_center_contact":                {native: "Microsoft.Resources/subscriptions", class: resource.ClassAccount, fill: securityContact},
	"azurerm_servicebus_namespace":                   {native: "Microsoft.ServiceBus/namespaces", class: resource.ClassQueue, fill: messaging},
	"azurerm_eventhub_namespace":                     {native: "Microsoft.EventHub/namespaces", class: resource.ClassQueue, fill: messaging},
	"azurerm_virtual_network":                        {native: "Microsoft.Network/virtualNetworks", class: resource.ClassNetwork, fill: vnet},
}

var (
	vmTypes         = []string{"azurerm_linux_virtual_machine", "azurerm_windows_virtual_machine", "azurerm_virtual_machine"}
	sqlServerTypes  = []string{"azurerm_mssql_server", "azurerm_sql_server"}
	flexTypes       = []string{"azurerm_postgresql_flexible_server", "azurerm_mysql_flexible_server"}
	singleTypes     = []string{"azurerm_postgresql_server", "azurerm_mysql_server", "azurerm_mariadb_server"}
	diagTargetTypes = []string{"azurerm_kubernetes_cluster", "azurerm_key_vault"}
)

var azureAttachments = map[string]attachment{
	"azurerm_storage_container":                         {on: map[string][]string{"storage_account_name": storageTypes, "storage_account_id": storageTypes}},
	"azurerm_storage_account_network_rules":             {on: map[string][]string{"storage_account_id": storageTypes, "storage_account_name": storageTypes}},
	"azurerm_storage_account_customer_managed_key":      on("storage_account_id", storageTypes...),
	"azurerm_network_security_rule":                     on("network_security_group_name", nsgTypes...),
	"azurerm_virtual_machine_data_disk_attachment":      on("managed_disk_id", "azurerm_managed_disk"),
	"azurerm_mssql_firewall_rule":                       on("server_id", sqlServerTypes...),
	"azurerm_sql_firewall_rule":                         on("server_name", sqlServerTypes...),
	"azurerm_mssql_server_extended_auditing_policy":     on("server_id", sqlServerTypes...),
	"azurerm_mssql_server_security_alert_policy":        on("server_name", sqlServerTypes...),
	"azurerm_postgresql_flexible_server_firewall_rule":  on("server_id", flexTypes...),
	"azurerm_mysql_flexible_server_firewall_rule":       {on: map[string][]string{"server_id": flexTypes, "server_name": flexTypes}},
	"azurerm_postgresql_flexible_server_configuration":  on("server_id", flexTypes...),
	"azurerm_mysql_flexible_server_configuration":       {on: map[string][]string{"server_id": flexTypes, "server_name": flexTypes}},
	"azurerm_postgresql_firewall_rule":                  on("server_name", singleTypes...),
	"azurerm_mysql_firewall_rule":                       on("server_name", singleTypes...),
	"azurerm_mariadb_firewall_rule":                     on("server_name", singleTypes...),
	"azurerm_servicebus_namespace_customer_managed_key": on("namespace_id", "azurerm_servicebus_namespace"),
	"azurerm_eventhub_namespace_customer_managed_key":   on("eventhub_namespace_id", "azurerm_eventhub_namespace"),
	"azurerm_monitor_diagnostic_setting":                on("target_resource_id", diagTargetTypes...),
	"azurerm_management_lock":                           on("scope", "azurerm_storage_account", "azurerm_resource_group"),
}

var gcpTypes = map[string]typeMapper{
	"google_storage_bucket":                 {native: "storage.googleapis.com/Bucket", class: resource.ClassObjectStorage, fill: gcsBucket},
	"google_compute_firewall":               {native: "compute.googleapis.com/Firewall", class: resource.ClassFirewall, fill: gcpFirewall},
	"google_compute_global_forwarding_rule": {native: "compute.googleapis.com/GlobalForwardingRule", class: resource.ClassLoadBalancer, fill: gcpForwardingRule},
	"google_compute_forwarding_rule":        {native: "compute.googleapis.com/ForwardingRule", class: resource.ClassLoadBalancer, fill: gcpForwardingRule},
	"google_compute_backend_service":        {native: "compute.googleapis.com/BackendService", class: resource.ClassLoadBalancer, fill: gcpBackendService},
	"google_compute_region_backend_service": {native: "compute.googleapis.com/RegionBackendService", class: resource.ClassLoadBalancer, fill: gcpBackendService},
	"google_compute_instance":               {native: "compute.googleapis.com/Instance", class: resource.ClassCompute, fill: gceInstance},
	"google_compute_disk":                   {native: "compute.googleapis.com/Disk", class: resource.ClassDisk, fill: gceDisk},
	"google_sql_database_instance":          {native: "sqladmin.googleapis.com/Instance", class: resource.ClassDatabase, fill: sqlInstance},
	"google_redis_instance":                 {native: "redis.googleapis.com/Instance", class: resource.ClassDatabase, fill: gcpRedisInstance},
	"google_kms_crypto_key":                 {native: "cloudkms.googleapis.com/CryptoKey", class: resource.ClassKey, fill: cryptoKey},
	"google_container_cluster":              {native: "container.googleapis.com/Cluster", class: resource.ClassKubernetes, fill: gkeCluster},
	"google_service_account":                {native: "iam.googleapis.com/ServiceAccount", class: resource.ClassIdentity, fill: serviceAccount},
	"google_compute_network":                {native: "compute.googleapis.com/Network", class: resource.ClassNetwork, fill: gcpNetwork},
	"google_compute_subnetwork":             {native: "compute.googleapis.com/Subnetwork", class: resource.ClassNetwork, fill: subnetwork},
	"google_dns_managed_zone":               {native: "dns.googleapis.com/ManagedZone", class: resource.ClassDNSZone, fill: managedZone},
	"google_cloudfunctions_function":        {native: "cloudfunctions.googleapis.com/CloudFunction", class: resource.ClassFunction, fill: cloudFunction},
	"google_cloudfunctions2_function":       {native: "cloudfunctions.googleapis.com/Function", class: resource.ClassFunction, fill: cloudFunction},
	"google_pubsub_topic":                   {native: "pubsub.googleapis.com/Topic", class: resource.ClassQueue, fill: pubsubTopic},
	"google_secret_manager_secret":          {native: "secretmanager.googleapis.com/Secret", class: resource.ClassSecret, fill: gcpSecret},
	"google_artifact_registry_repository":   {native: "artifactregistry.googleapis.com/Repository", class: resource.ClassContainerRegistry, fill: artifactRepository},
	"google_cloud_run_service":              {native: "run.googleapis.com/Service", class: resource.ClassFunction, fill: cloudRun},
	"google_cloud_run_v2_service":           {native: "run.googleapis.com/Service", class: resource.ClassFunction, fill: cloudRun},
	"google_project":                        {native: "cloudresourcemanager.googleapis.com/Project", class: resource.ClassAccount, fill: project},
	"google_project_iam_audit_config":       {native: typeAuditConfig, class: resource.ClassAuditLog, fill: auditConfig},
	"google_compute_project_metadata":       {native: gcp.TypeComputeProject, class: resource.ClassAccount, fill: projectMetadata},
	"google_compute_project_metadata_item":  {native: gcp.TypeComputeProject, class: resource.ClassAccount, fill: projectMetadataItem},
	"google_bigquery_dataset":               {native: gcp.TypeBigQueryDataset, class: resource.ClassDataWarehouse, fill: bigQueryDataset},
	"google_bigquery_table":                 {native: gcp.TypeBigQueryTable, class: resource.ClassDataWarehouse, fill: bigQueryTable},

	// App Engine standard versions (CIS GCP 5.0 4.10: handlers' security levels).
	"google_app_engine_standard_app_version": {native: gcp.TypeAppEngineVersion, class: resource.ClassFunction, fill: appEngineVersion},
	// A project's Access Approval settings (CIS GCP 5.0 2.16).
	"google_project_access_approval_settings": {native: gcp.TypeAccessApproval, class: resource.ClassAccount, fill: accessApproval},
}

var gcpAttachments = map[string]attachment{
	"google_sql_user":                on("instance", "google_sql_database_instance"),
	"google_storage_bucket_acl":      on("bucket", gcsTypes...),
	"google_compute_attached_disk":   on("disk", "google_compute_disk"),
	"google_container_node_pool":     on("cluster", "google_container_cluster"),
	"google_service_account_key":     on("service_account_id", "google_service_account"),
	"google_bigquery_dataset_access": on("dataset_id", "google_bigquery_dataset"),
}

// gcpIAM registers the google_<x>_iam_binding, _member and _policy types
// of a resource as IAM bindings, joined onto it where they name one of
// the configuration.
func gcpIAM(prefix, level, attr string, types ...string) {
	for _, kind := range []string{"_iam_binding", "_iam_member", "_iam_policy"} {
		gcpTypes[prefix+kind] = typeMapper{native: typeBinding, class: resource.ClassIAMBinding, fill: iamBinding(level, attr, types...)}
		if len(types) > 0 {
			gcpAttachments[prefix+kind] = attachment{on: map[string][]string{attr: types}, own: true}
		}
	}
}

func gcpIAMTypes() {
	gcpIAM("google_project", "account", "project")
	gcpIAM("google_folder", "folder", "folder")
	gcpIAM("google_organization", "organization", "org_id")
	gcpIAM("google_storage_bucket", "resource", "bucket", gcsTypes...)
	gcpIAM("google_kms_crypto_key", "resource", "crypto_key_id", cryptoKeyType...)
	gcpIAM("google_service_account", "resource", "service_account_id", "google_service_account")
	gcpIAM("google_cloudfunctions_function", "resource", "cloud_function", "google_cloudfunctions_function")
	gcpIAM("google_cloudfunctions2_function", "resource", "cloud_function", "google_cloudfunctions2_function")
	gcpIAM("google_pubsub_topic", "resource", "topic", "google_pubsub_topic")
	gcpIAM("google_cloud_run_service", "resource", "service", "google_cloud_run_service")
	gcpIAM("google_cloud_run_v2_service", "resource", "name", "google_cloud_run_v2_service")
	gcpIAM("google_secret_manager_secret", "resource", "secret_id", "google_secret_manager_secret")
	gcpIAM("google_artifact_registry_repository", "resource", "repository", "google_artifact_registry_repository")
	gcpIAM("google_bigquery_dataset", "resource", "dataset_id", "google_bigquery_dataset")
}
