package resource

// AccountCIS holds the account-level settings the CIS Foundations
// Benchmarks check that no other account fact holds (Account.CIS). As
// everywhere in Facts, nil means the input did not show it. A *Missing
// list names the regions in use (the regions holding the account's
// resources) that lack the service, sorted.
type AccountCIS struct {
	// ConfigAllRegions: every region in use has an AWS Config recorder
	// that is recording (CIS AWS 4.3). Known when the input holds the
	// account's configuration recorders (AWS::Config::ConfigurationRecorder
	// items or `aws configservice describe-configuration-recorders` output).
	ConfigAllRegions     *bool    `json:"config_all_regions,omitempty"`
	ConfigMissingRegions []string `json:"config_missing_regions,omitempty"`
	// OrgGuardrails: a member account of an AWS organization has at least
	// one baseline authorization policy over it, a service or resource
	// control policy other than the AWS-managed FullAWSAccess and
	// RCPFullAWSAccess that every node carries by default (CIS AWS 7.0
	// 2.1.2); set by internal/importer/awsorg from the policies attached
	// to the root, the OUs above the account and the account; false only
	// when that chain is complete in the input; nil for the management
	// account, which no such policy restricts.
	OrgGuardrails *bool `json:"org_guardrails,omitempty"`
	// ManagementAccount: the account is its AWS organization's management
	// account (set by internal/importer/awsorg when the organization names
	// it). ManagementWorkloads are the workload resources the inventory
	// holds in it (compute instances, functions, Kubernetes clusters,
	// databases, data warehouses, load balancers, and buckets other than
	// an audit trail's destination; CIS AWS 7.0 2.1.3), at most
	// maxManagementWorkloads of them, ManagementWorkloadCount all of
	// them; set by inventory.Derive on a management account.
	ManagementAccount       *bool    `json:"management_account,omitempty"`
	ManagementWorkloads     []string `json:"management_workloads,omitempty"`
	ManagementWorkloadCount *int     `json:"management_workload_count,omitempty"`
	// SecurityHubAllRegions: every region in use has Security Hub enabled
	// (`aws securityhub describe-hub` per region; CIS AWS 5.16). Known when
	// the input holds a hub of the account in some region.
	SecurityHubAllRegions     *bool    `json:"security_hub_all_regions,omitempty"`
	SecurityHubMissingRegions []string `json:"security_hub_missing_regions,omitempty"`
	// MacieAllBucketRegions: Amazon Macie is enabled (not paused) in every
	// region holding the account's S3 buckets (`aws macie2
	// get-macie-session` per region; CIS AWS 3.1.3). Known when the input
	// holds a Macie session of the account in some region; a region
	// without one counts as without Macie (the call answers "Macie is not
	// enabled" there).
	MacieAllBucketRegions *bool    `json:"macie_all_bucket_regions,omitempty"`
	MacieMissingRegions   []string `json:"macie_missing_regions,omitempty"`
	// AccessAnalyzerAllRegions: every region in use has an active IAM
	// Access Analyzer (`aws accessanalyzer list-analyzers` per region,
	// whose empty list is a region without one; CIS AWS 2.18).
	AccessAnalyzerAllRegions     *bool    `json:"access_analyzer_all_regions,omitempty"`
	AccessAnalyzerMissingRegions []string `json:"access_analyzer_missing_regions,omitempty"`
	// SupportRole: an IAM role (or user or group) of the account has the
	// AWSSupportAccess managed policy attached (CIS AWS 2.15); known when
	// the input holds the account's IAM roles.
	SupportRole *bool `json:"support_role,omitempty"`
	// CloudShellFullAccess: an IAM user, group or role of the account has
	// the AWSCloudShellFullAccess managed policy attached (CIS AWS 2.20;
	// CloudShellHolders names them); known when the input holds the
	// account's IAM principals with their attached policies.
	CloudShellFullAccess *bool    `json:"cloud_shell_full_access,omitempty"`
	CloudShellHolders    []string `json:"cloud_shell_holders,omitempty"`
	// RootHardwareMFA: the root user's MFA device is a hardware one (CIS
	// AWS 2.6): false when the credential report says root has no MFA or
	// `aws iam list-virtual-mfa-devices` lists root's virtual device; true
	// when root has MFA and a whole list has no device of root's.
	RootHardwareMFA *bool `json:"root_hardware_mfa,omitempty"`
	// SAMLProvider: the account has an IAM SAML identity provider, as
	// identity federation (IAM Identity Center creates one in every account
	// it assigns) gives it (CIS AWS 2.19): false when `aws iam
	// list-saml-providers` lists none; unknown without the listing.
	SAMLProvider *bool `json:"saml_provider,omitempty"`
	// MetricFilterAlarms: per change CIS AWS 7.0 section 5 wants monitored
	// (5.1-5.15), whether a metric filter on the CloudWatch Logs log group
	// of a multi-region trail matches it and an alarm with an action
	// watches the filter's metric. Known when the input holds the
	// account's trails and, for a trail sending to CloudWatch Logs, the
	// metric filters and alarms of the log group's region.
	MetricFilterAlarms *MetricFilterAlarms `json:"metric_filter_alarms,omitempty"`
	// ServerCertificates are the account's IAM server certificates (`aws
	// iam list-server-certificates`; CIS AWS 2.17), nil when not read.
	ServerCertificates []ServerCertificate `json:"server_certificates,omitempty"`
	// ServerCertificatesListed: the input holds the account's whole server
	// certificate listing (an empty one included: an account without
	// any), so ServerCertificates are all of them; nil when not read.
	ServerCertificatesListed *bool `json:"server_certificates_listed,omitempty"`

	// GCP project settings (CIS GCP 5.0).
	// LogSinkAllEntries: a log sink of the project (or an aggregated sink
	// of a folder or organization above it, includeChildren) exports every
	// log entry (no filter; CIS GCP 2.3). Known when the input holds the
	// project's sinks.
	LogSinkAllEntries *bool `json:"log_sink_all_entries,omitempty"`
	// LogMetricAlerts: per CIS GCP 2.5-2.12 change, whether a log-based
	// metric of the project matches it and an enabled alert policy
	// watches that metric. Known when the input holds the project's
	// log-based metrics.
	LogMetricAlerts *LogMetricAlerts `json:"log_metric_alerts,omitempty"`
	// OSLogin: the project's common instance metadata sets enable-oslogin
	// TRUE (CIS GCP 4.4); false when it is not set or not true. Known when
	// the export holds the project's compute.googleapis.com/Project asset.
	OSLogin *bool `json:"os_login,omitempty"`
	// CloudAssetAPI: the project enables the Cloud Asset Inventory API
	// (serviceusage.googleapis.com/Service cloudasset.googleapis.com in
	// state ENABLED; CIS GCP 2.14). Known when the export holds the
	// project's services.
	CloudAssetAPI *bool `json:"cloud_asset_api,omitempty"`
	// AccessApproval: the project requires explicit approval before
	// Google personnel access its content (CIS GCP 2.16): its Access
	// Approval settings enroll its services, or an ancestor folder or the
	// organization enrolls some (enrolledAncestor). False when its settings
	// (`gcloud access-approval settings get`) enroll nothing; unknown
	// without them.
	AccessApproval *bool `json:"access_approval,omitempty"`
	// BigQueryData: the project holds BigQuery datasets in the input
	// (bigquery.googleapis.com/Dataset assets); unset otherwise.
	BigQueryData *bool `json:"bigquery_data,omitempty"`
	// BigQueryDiscovery: the project's BigQuery data is profiled
	// (classified) by Sensitive Data Protection (CIS GCP 5.0 7.4): a RUNNING
	// discovery configuration with a BigQuery target that is not disabled,
	// of the project or starting at a folder above it or its organization
	// (BigQueryDiscoveryConfigs names them). False when the input holds the
	// DLP API's discovery configuration listing of the project and of its
	// organization (dlpdiscoveryconfigs.json) and none covers it; unknown
	// without them.
	BigQueryDiscovery        *bool    `json:"bigquery_discovery,omitempty"`
	BigQueryDiscoveryConfigs []string `json:"bigquery_discovery_configs,omitempty"`
	// VPCServiceControls: the project is a resource of an enforced regular
	// VPC Service Controls perimeter that restricts at least one service
	// (CIS GCP 3.8; VPCServicePerimeters names them). Known when the input
	// holds the access policies of the project's organization (`gcloud
	// asset export --content-type=access-policy`): false when none of their
	// perimeters holds the project.
	VPCServiceControls   *bool    `json:"vpc_service_controls,omitempty"`
	VPCServicePerimeters []string `json:"vpc_service_perimeters,omitempty"`

	// Azure subscription settings (CIS Azure 6.0), known when the input
	// holds rows of the subscription's resources table.
	// BastionHost: the subscription has an Azure Bastion host
	// (Microsoft.Network/bastionHosts; CIS Azure 8.4.1).
	BastionHost *bool `json:"bastion_host,omitempty"`
	// AppInsights: the subscription has an Application Insights
	// component (Microsoft.Insights/components; CIS Azure 6.1.3.1).
	AppInsights *bool `json:"app_insights,omitempty"`
	// EASM: the input holds a Microsoft Defender External Attack Surface
	// Management workspace (Microsoft.Easm/workspaces) in some subscription:
	// one workspace discovers the organization's whole internet-facing
	// surface, whichever subscription holds it (CIS Azure 6.0 8.1.16).
	EASM *bool `json:"easm,omitempty"`
	// IoTHubsDefender: every IoT hub (Microsoft.Devices/IotHubs) of the
	// subscription is protected by Microsoft Defender for IoT, an enabled
	// IoT security solution (Microsoft.Security/iotSecuritySolutions, in
	// any subscription of the input) listing it in its iotHubs (CIS Azure
	// 6.0 8.2.1); IoTHubsWithoutDefender are those that are not. Nil when
	// the subscription holds no IoT hub, or a solution row of the input
	// could not be read and some hub is not known protected. IoTHub: the
	// subscription holds an IoT hub (nil otherwise).
	IoTHub *bool `json:"iot_hub,omitempty"`
	// MCSBAssigned: the Microsoft Cloud Security Benchmark initiative
	// (Defender for Cloud's default policy set) is assigned at the
	// subscription or a management group above it; MCSBPoliciesEnabled:
	// assigned with none of its non-deprecated policies' effects set to
	// Disabled (CIS Azure 6.0 8.1.11), MCSBDisabledPolicies naming the
	// effect parameters (and policyEffect overrides) that are, and
	// MCSBDisabledDeprecated those of policies the initiative has
	// deprecated (not counted; from the initiative's definition in the
	// input, else the importer's list). Known when the input holds the
	// subscription's policy assignments (Resource Graph's PolicyResources
	// table).
	MCSBAssigned           *bool    `json:"mcsb_assigned,omitempty"`
	MCSBPoliciesEnabled    *bool    `json:"mcsb_policies_enabled,omitempty"`
	MCSBDisabledPolicies   []string `json:"mcsb_disabled_policies,omitempty"`
	MCSBDisabledDeprecated []string `json:"mcsb_disabled_deprecated,omitempty"`
	// NSPSecured: every PaaS resource of the subscription of a type
	// onboarded to network security perimeters (storage accounts, key
	// vaults, SQL servers, Cosmos DB accounts, Event Hubs namespaces, Log
	// Analytics workspaces, AI Search services, Azure AI services) is
	// associated with a perimeter of the input in Enforced access mode
	// (CIS Azure 6.0 7.16); NSPUnsecured are those that are not (with the
	// mode of a Learning or Audit association). Nil when the subscription
	// holds none, or when a perimeter's associations are not in the input.
	NSPSecured             *bool    `json:"nsp_secured,omitempty"`
	NSPUnsecured           []string `json:"nsp_unsecured,omitempty"`
	IoTHubsDefender        *bool    `json:"iot_hubs_defender,omitempty"`
	IoTHubsWithoutDefender []string `json:"iot_hubs_without_defender,omitempty"`
	// VPNP2SEntraOnly: no virtual network gateway of the subscription has
	// a point-to-site configuration authenticating VPN clients otherwise
	// than with Microsoft Entra ID (vpnAuthenticationTypes other than
	// AAD alone; CIS Azure 7.9); VPNP2SOtherAuth names those that do,
	// with their authentication types.
	VPNP2SEntraOnly *bool    `json:"vpn_p2s_entra_only,omitempty"`
	VPNP2SOtherAuth []string `json:"vpn_p2s_other_auth,omitempty"`
	// LockAdminRole: a custom role assignable at the subscription (or the
	// root) allows administering resource locks (CIS Azure 5.5); known
	// when the input holds role definitions.
	LockAdminRole *bool `json:"lock_admin_role,omitempty"`

	// APIKeys are a GCP project's API keys (apikeys.googleapis.com/Key
	// assets; CIS GCP 1.13-1.16), sorted by name; nil when the export
	// holds none (or one could not be read).
	APIKeys []APIKey `json:"api_keys,omitempty"`
}

// APIKey is a GCP API key: its display name (else its ID), when it was
// created (RFC 3339), and whether it may call only some APIs
// (restrictions.apiTargets) and be used only by some callers (browser,
// server, Android or iOS application restrictions).
type APIKey struct {
	Name          string `json:"name"`
	Created       string `json:"created,omitempty"`
	APIRestricted bool   `json:"api_restricted"`
	AppRestricted bool   `json:"app_restricted"`
}

// ServerCertificate is an IAM server certificate: its name and when it
// expires (RFC 3339).
type ServerCertificate struct {
	Name       string `json:"name"`
	Expiration string `json:"expiration,omitempty"`
}

// LogMetricAlerts tell, per change CIS GCP section 2 wants monitored,
// whether a log-based metric's filter matches it and an enabled alerting
// policy's condition watches the metric.
type LogMetricAlerts struct {
	ProjectOwnership  *bool `json:"project_ownership,omitempty"`   // 2.5
	AuditConfig       *bool `json:"audit_config,omitempty"`        // 2.6
	CustomRole        *bool `json:"custom_role,omitempty"`         // 2.7
	FirewallRule      *bool `json:"firewall_rule,omitempty"`       // 2.8
	Route             *bool `json:"route,omitempty"`               // 2.9
	Network           *bool `json:"network,omitempty"`             // 2.10
	StorageIAM        *bool `json:"storage_iam,omitempty"`         // 2.11
	SQLInstanceConfig *bool `json:"sql_instance_config,omitempty"` // 2.12
}

// MetricFilterAlarms tell, per change CIS AWS 7.0 section 5 wants
// monitored, whether a CloudWatch Logs metric filter of a multi-region
// trail's log group matches it (the benchmark's filter pattern: every
// event, field and value it names) and an alarm with an enabled action
// watches the filter's metric.
type MetricFilterAlarms struct {
	UnauthorizedAPICalls    *bool `json:"unauthorized_api_calls,omitempty"`      // 5.1
	ConsoleSignInWithoutMFA *bool `json:"console_sign_in_without_mfa,omitempty"` // 5.2
	RootUsage               *bool `json:"root_usage,omitempty"`                  // 5.3
	IAMPolicyChanges        *bool `json:"iam_policy_changes,omitempty"`          // 5.4
	CloudTrailChanges       *bool `json:"cloudtrail_changes,omitempty"`          // 5.5
	ConsoleAuthFailures     *bool `json:"console_auth_failures,omitempty"`       // 5.6
	CMKDisableOrDeletion    *bool `json:"cmk_disable_or_deletion,omitempty"`     // 5.7
	S3BucketPolicyChanges   *bool `json:"s3_bucket_policy_changes,omitempty"`    // 5.8
	ConfigChanges           *bool `json:"config_changes,omitempty"`              // 5.9
	SecurityGroupChanges    *bool `json:"security_group_changes,omitempty"`      // 5.10
	NACLChanges             *bool `json:"nacl_changes,omitempty"`                // 5.11
	NetworkGatewayChanges   *bool `json:"network_gateway_changes,omitempty"`     // 5.12
	RouteTableChanges       *bool `json:"route_table_changes,omitempty"`         // 5.13
	VPCChanges              *bool `json:"vpc_changes,omitempty"`                 // 5.14
	OrganizationsChanges    *bool `json:"organizations_changes,omitempty"`       // 5.15
}
