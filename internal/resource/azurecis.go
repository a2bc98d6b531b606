package resource

// DefenderPlans are the Microsoft Defender for Cloud plans of an Azure
// subscription, one per Microsoft.Security/pricings row: true when the
// plan's pricingTier is Standard (On), false when Free (Off), absent when
// the export has no row for the plan (or the row could not be read).
type DefenderPlans struct {
	CSPM                 *bool `json:"cspm,omitempty"`                    // CloudPosture
	APIs                 *bool `json:"apis,omitempty"`                    // Api
	Servers              *bool `json:"servers,omitempty"`                 // VirtualMachines
	Containers           *bool `json:"containers,omitempty"`              // Containers
	Storage              *bool `json:"storage,omitempty"`                 // StorageAccounts
	AppServices          *bool `json:"app_services,omitempty"`            // AppServices
	CosmosDB             *bool `json:"cosmos_db,omitempty"`               // CosmosDbs
	OpenSourceDatabases  *bool `json:"open_source_databases,omitempty"`   // OpenSourceRelationalDatabases
	SQLDatabases         *bool `json:"sql_databases,omitempty"`           // SqlServers
	SQLServersOnMachines *bool `json:"sql_servers_on_machines,omitempty"` // SqlServerVirtualMachines
	KeyVaults            *bool `json:"key_vaults,omitempty"`              // KeyVaults
	ResourceManager      *bool `json:"resource_manager,omitempty"`        // Arm
	// ServersAgentlessScanning and ServersFIM: the Defender for Servers
	// plan's AgentlessVmScanning and FileIntegrityMonitoring extensions are
	// enabled (false when the plan is Free, or Standard with the extension
	// listed as disabled or not listed; absent when the row lists no
	// extensions; CIS Azure 6.0 8.1.3.4, 8.1.3.5).
	ServersAgentlessScanning *bool `json:"servers_agentless_scanning,omitempty"`
	ServersFIM               *bool `json:"servers_fim,omitempty"`
	// ServersEndpointProtection: the Defender for Servers plan's endpoint
	// protection component, the Microsoft Defender for Endpoint
	// integration (the subscription's Microsoft.Security/settings/WDATP
	// row, properties.enabled; CIS Azure 6.0 8.1.3.3): false when the
	// setting is disabled or the plan is Free; absent when the input has
	// no WDATP setting row (or it could not be read) and the plan is not
	// known to be Free.
	ServersEndpointProtection *bool `json:"servers_endpoint_protection,omitempty"`
	// ServersVulnerabilityAssessment: the Defender for Servers plan's
	// vulnerability assessment for machines component (the subscription's
	// Microsoft.Security/serverVulnerabilityAssessmentsSettings: an
	// AzureServersSetting selecting a provider, MdeTvm; CIS Azure 6.0
	// 8.1.3.2): false when the settings were listed without one or the plan
	// is Free; absent when the input has no listing of the settings (or a
	// row could not be read) and the plan is not known to be Free.
	ServersVulnerabilityAssessment *bool `json:"servers_vulnerability_assessment,omitempty"`
}

// SecurityNotifications are the email notifications of a subscription's
// Microsoft Defender for Cloud security contacts.
type SecurityNotifications struct {
	// OwnerNotified: notificationsByRole is On and its roles include Owner.
	OwnerNotified *bool `json:"owner_notified,omitempty"`
	// AlertNotifications: alerts are emailed from some minimal severity
	// (a notificationsSources entry of sourceType Alert, or the older
	// alertNotifications state On).
	AlertNotifications *bool `json:"alert_notifications,omitempty"`
	// AttackPathNotifications: attack paths are emailed from some minimal
	// risk level (a notificationsSources entry of sourceType AttackPath).
	AttackPathNotifications *bool `json:"attack_path_notifications,omitempty"`
}

// ActivityLogAlerts tell, per operation of CIS Azure section 6.1.2, whether
// an enabled activity log alert of the subscription (microsoft.insights/
// activityLogAlerts whose scopes include the subscription) fires on it.
// Known when the export holds activity log alert rows; absent otherwise.
type ActivityLogAlerts struct {
	PolicyAssignmentWrite  *bool `json:"policy_assignment_write,omitempty"`
	PolicyAssignmentDelete *bool `json:"policy_assignment_delete,omitempty"`
	NSGWrite               *bool `json:"nsg_write,omitempty"`
	NSGDelete              *bool `json:"nsg_delete,omitempty"`
	SecuritySolutionWrite  *bool `json:"security_solution_write,omitempty"`
	SecuritySolutionDelete *bool `json:"security_solution_delete,omitempty"`
	SQLFirewallRuleWrite   *bool `json:"sql_firewall_rule_write,omitempty"`
	SQLFirewallRuleDelete  *bool `json:"sql_firewall_rule_delete,omitempty"`
	PublicIPWrite          *bool `json:"public_ip_write,omitempty"`
	PublicIPDelete         *bool `json:"public_ip_delete,omitempty"`
	ServiceHealth          *bool `json:"service_health,omitempty"`
}

// FileService is an Azure storage account's file service (its
// fileServices/default row).
type FileService struct {
	// SoftDelete: shareDeleteRetentionPolicy.enabled (unset is off).
	SoftDelete *bool `json:"soft_delete,omitempty"`
	// SMBVersions and SMBChannelEncryption: the SMB protocol versions and
	// channel encryption algorithms clients may use (protocolSettings.smb
	// versions and channelEncryption; unset, every one the service
	// supports).
	SMBVersions          []string `json:"smb_versions,omitempty"`
	SMBChannelEncryption []string `json:"smb_channel_encryption,omitempty"`
}

// DatabricksWorkspace holds the settings of an Azure Databricks workspace
// (Microsoft.Databricks/workspaces) CIS Azure 6.0 section 2.1 checks.
type DatabricksWorkspace struct {
	// VNetInjection: the clusters run in the customer's VNet
	// (parameters.customVirtualNetworkId).
	VNetInjection *bool `json:"vnet_injection,omitempty"`
	// NoPublicIP: secure cluster connectivity, cluster nodes without
	// public IPs (parameters.enableNoPublicIp).
	NoPublicIP *bool `json:"no_public_ip,omitempty"`
	// PrivateEndpoint: an approved private endpoint connection.
	PrivateEndpoint *bool `json:"private_endpoint,omitempty"`
	// DiagnosticLogs: a diagnostic setting of the workspace sends some of
	// its logs to a destination.
	DiagnosticLogs *bool `json:"diagnostic_logs,omitempty"`
	// VNet and Subnets: an injected workspace's VNet (resource ID) and its
	// public and private subnets (parameters customVirtualNetworkId,
	// customPublicSubnetName, customPrivateSubnetName).
	VNet    string   `json:"vnet,omitempty"`
	Subnets []string `json:"subnets,omitempty"`
	// SubnetsNSG: both subnets have a network security group, from the
	// VNet's row (CIS Azure 6.0 2.1.2); known when the inventory holds
	// the VNet with its subnets.
	SubnetsNSG *bool `json:"subnets_nsg,omitempty"`
}

// EntraTenant holds the Microsoft Entra ID tenant settings CIS Azure 6.0
// section 5.1 checks, each nil when the export lacks the Graph response
// that tells it.
type EntraTenant struct {
	// SecurityDefaults: security defaults are enabled
	// (/policies/identitySecurityDefaultsEnforcementPolicy isEnabled; 5.1.1).
	SecurityDefaults *bool `json:"security_defaults,omitempty"`
	// DeviceJoinMFA: users must complete multifactor authentication to
	// register or join devices (/policies/deviceRegistrationPolicy
	// multiFactorAuthConfiguration required; 5.1.2).
	DeviceJoinMFA *bool `json:"device_join_mfa,omitempty"`
	// ConditionalAccessMFA: an enabled conditional access policy requires
	// multifactor authentication (grant control mfa or an authentication
	// strength, not one of several controls to choose from) of all users
	// for all applications; ConditionalAccessDeviceMFA: of all users for
	// the user action "register or join devices". Known when the tenant's
	// policies were read in full (/identity/conditionalAccess/policies).
	ConditionalAccessMFA       *bool `json:"conditional_access_mfa,omitempty"`
	ConditionalAccessDeviceMFA *bool `json:"conditional_access_device_mfa,omitempty"`
	// ActivityLogsExported: a diagnostic setting of the tenant
	// (/providers/microsoft.aadiam/diagnosticSettings, an ARM listing)
	// sends its audit and sign-in logs (AuditLogs and SignInLogs, or
	// every category) to a destination (6.1.1.8); GraphActivityLogsExported:
	// its Microsoft Graph activity logs (MicrosoftGraphActivityLogs;
	// 6.1.1.7). Known when the listing was read (an empty one: a tenant
	// without settings); MissingActivityLogs names the categories of the
	// two no setting sends.
	ActivityLogsExported      *bool    `json:"activity_logs_exported,omitempty"`
	GraphActivityLogsExported *bool    `json:"graph_activity_logs_exported,omitempty"`
	MissingActivityLogs       []string `json:"missing_activity_logs,omitempty"`
	// IntuneLogsExported: a diagnostic setting of Intune
	// (/providers/microsoft.intune/diagnosticSettings, an ARM listing at
	// the tenant's root) sends its audit and operational logs and its
	// device and compliance inventories (AuditLogs, OperationalLogs,
	// DeviceComplianceOrg, Devices, or every category) to a Log Analytics
	// workspace (6.1.1.9). Known as ActivityLogsExported is;
	// MissingIntuneLogs names the categories no setting sends there.
	IntuneLogsExported *bool    `json:"intune_logs_exported,omitempty"`
	MissingIntuneLogs  []string `json:"missing_intune_logs,omitempty"`
}
