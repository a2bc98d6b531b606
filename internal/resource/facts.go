package resource

// Facts are the normalized cross-cloud facts of a resource. At most the
// sub-struct matching the resource's Class is set (and ResourcePolicy, on
// any class). Every leaf is optional:
// nil (omitted in JSON, undefined in Rego) means the input did not carry it,
// and rules report UNKNOWN rather than PASS or FAIL for it.
type Facts struct {
	Storage        *ObjectStorage  `json:"storage,omitempty"`
	Firewall       *Firewall       `json:"firewall,omitempty"`
	Compute        *Compute        `json:"compute,omitempty"`
	Database       *Database       `json:"database,omitempty"`
	Key            *Key            `json:"key,omitempty"`
	AuditLog       *AuditLog       `json:"audit_log,omitempty"`
	Identity       *Identity       `json:"identity,omitempty"`
	Binding        *Binding        `json:"binding,omitempty"`
	Account        *Account        `json:"account,omitempty"`
	PasswordPolicy *PasswordPolicy `json:"password_policy,omitempty"`
	KeyVault       *KeyVault       `json:"key_vault,omitempty"`
	Network        *Network        `json:"network,omitempty"`
	// Routing is set on route tables and routes (class other, reach.go).
	Routing *Routing `json:"routing,omitempty"`
	// Addressing and NetworkLink are read by reachability (netlink.go).
	Addressing  *Addressing  `json:"addressing,omitempty"`
	NetworkLink *NetworkLink `json:"network_link,omitempty"`
	// Exposure is set by derivation (internal/reach) on compute
	// instances, load balancers and load-balancer targets.
	Exposure *Exposure `json:"exposure,omitempty"`
	// Role is set on role definitions (class role): Azure role definitions,
	// GCP custom and predefined roles.
	Role *RoleDefinition `json:"role,omitempty"`

	Disk         *Disk         `json:"disk,omitempty"`
	Snapshot     *Snapshot     `json:"snapshot,omitempty"`
	Policy       *Policy       `json:"policy,omitempty"`
	Group        *Group        `json:"group,omitempty"`
	Function     *Function     `json:"function,omitempty"`
	Kubernetes   *Kubernetes   `json:"kubernetes,omitempty"`
	LoadBalancer *LoadBalancer `json:"load_balancer,omitempty"`
	Queue        *Queue        `json:"queue,omitempty"`
	Secret       *Secret       `json:"secret,omitempty"`
	Registry     *Registry     `json:"registry,omitempty"`
	DNS          *DNSZone      `json:"dns,omitempty"`
	CDN          *CDN          `json:"cdn,omitempty"`
	APIGateway   *APIGateway   `json:"api_gateway,omitempty"`
	FlowLog      *FlowLog      `json:"flow_log,omitempty"`
	OrgUnit      *OrgUnit      `json:"org_unit,omitempty"`
	OrgPolicy    *OrgPolicy    `json:"org_policy,omitempty"`
	// ConditionalAccess is set on Entra ID conditional access policies.
	ConditionalAccess *ConditionalAccess `json:"conditional_access,omitempty"`

	// Kubernetes objects (kubernetes.go).
	Workload   *KubernetesWorkload  `json:"workload,omitempty"`
	RBAC       *KubernetesRBAC      `json:"rbac,omitempty"`
	K8sService *KubernetesService   `json:"k8s_service,omitempty"`
	Namespace  *KubernetesNamespace `json:"namespace,omitempty"`

	// ResourcePolicy is the resource-based policy attached to an AWS
	// resource, parsed (S3 bucket policy, SQS queue and SNS topic access
	// policy, KMS key policy, Secrets Manager secret policy, Lambda function
	// policy, ECR repository policy); a role's trust policy is
	// Identity.TrustPolicy. nil when the input carries none (the resource
	// has none, or it was not exported); a document that did not parse
	// keeps its Error and Raw. The class facts' booleans (public access,
	// secure transport) are derived from it.
	ResourcePolicy *PolicyDocument `json:"resource_policy,omitempty"`

	// Data is set on data-bearing resources (object storage, databases,
	// disks, snapshots, queues, secrets, data warehouses, backup vaults):
	// where their data is stored and every path that copies it elsewhere,
	// and, once a governance policy is applied, how sensitive it is.
	Data *Data `json:"data,omitempty"`

	// Tagging is set by the governance step on every resource when the
	// policy has a tagging standard: whether a tagging rule applies to it,
	// the required tags it lacks and those whose value the rule does not
	// allow (empty lists when compliant).
	Tagging *Tagging `json:"tagging,omitempty"`
}

// Tagging is a resource's compliance with the policy's tagging standard.
type Tagging struct {
	// Selected is true when a tagging rule of the policy applies to the
	// resource; false when the policy has tagging rules but none selects
	// it (Missing and Invalid are then empty).
	Selected bool `json:"selected"`
	// Missing are the required tag keys (as the policy names them) the
	// resource does not carry.
	Missing []string `json:"missing"`
	// Invalid are the required tag keys whose value is not allowed.
	Invalid []string `json:"invalid"`
}

// Data is what governance knows about the data a resource holds.
type Data struct {
	// Locations lists where the data is at rest: the resource's own
	// location first (Path LocationPrimary), then one entry per place a
	// replication path carries a copy to. Sources fill Region, Path and
	// Target; derivation fills Country and Jurisdiction from the region
	// table.
	Locations []DataLocation `json:"locations,omitempty"`

	// The rest is set by the governance step from the user's policy file.

	// Classified is true when a classification rule of the policy matched
	// the resource's tags or labels, false when none did.
	Classified *bool `json:"classified,omitempty"`
	// Sensitivity is the policy's sensitivity class (public, internal,
	// confidential, restricted, or the policy's own names).
	Sensitivity string `json:"sensitivity,omitempty"`
	// Categories are regulated categories (personal-data, health-data...).
	Categories []string `json:"categories,omitempty"`
	// Residency is the verdict of the policy's residency rules over all
	// Locations: ResidencyAllowed, ResidencyBreach (a location is not
	// allowed), ResidencyUnrestricted (no residency rule applies to the
	// data's class), or empty when it cannot be told (a location whose
	// place is unknown, such as a replica's region before deploy).
	Residency string `json:"residency,omitempty"`
}

// Residency verdicts (Data.Residency).
const (
	ResidencyAllowed      = "allowed"
	ResidencyBreach       = "breach"
	ResidencyUnrestricted = "unrestricted"
)

// LocationPrimary is the Path of a data location that is the resource's
// own region.
const LocationPrimary = "primary"

// Replication paths derivation records from relationships (RelCopyOf).
const (
	PathSnapshotCopy = "snapshot-copy"
	PathImageCopy    = "image-copy"
)

// AddDataLocation records that r's data is at region through path (into
// target when the path names a destination resource), once: the same
// (region, path, target) already recorded is not added again.
func (r *Resource) AddDataLocation(region, path, target string) {
	if r.Facts.Data == nil {
		r.Facts.Data = &Data{}
	}
	for _, l := range r.Facts.Data.Locations {
		if l.Region == region && l.Path == path && l.Target == target {
			return
		}
	}
	r.Facts.Data.Locations = append(r.Facts.Data.Locations, DataLocation{Region: region, Path: path, Target: target})
}

// DataLocation is one place a resource's data is stored.
type DataLocation struct {
	// Region as the cloud names it (us-east-1, westeurope, europe-west1),
	// or a multi-region (EU, US, nam4) expanded into its member regions as
	// further entries with the same Path.
	Region string `json:"region"`
	// Path names how the data gets there: LocationPrimary, or a
	// replication path such as s3-replication, dynamodb-global-table,
	// rds-read-replica, backup-copy, snapshot-copy, geo-redundant-storage,
	// cosmosdb-region, sql-geo-replica, gcs-dual-region, gcs-multi-region.
	Path string `json:"path"`
	// Target is the destination resource's ID when the path names one.
	Target string `json:"target,omitempty"`
	// Country (ISO 3166-1 alpha-2) and Jurisdiction (EU, US, UK, ...) of
	// the region, from the shipped region table; empty when unknown.
	Country      string `json:"country,omitempty"`
	Jurisdiction string `json:"jurisdiction,omitempty"`
	// Allowed is set by the governance step: whether the policy allows
	// this resource's data classes in this place; nil when no residency
	// rule of the policy applies.
	Allowed *bool `json:"allowed,omitempty"`
}

// ObjectStorage: S3 bucket, Azure storage account, GCS bucket.
type ObjectStorage struct {
	// DeleteLock and ReadOnlyLock: an Azure Resource Manager lock of level
	// CanNotDelete or ReadOnly (both prevent deletion), or of level
	// ReadOnly, applies to the Azure storage account: on the account, its
	// resource group or its subscription (CIS Azure 6.0 9.3.9, 9.3.10).
	// Known when the input holds the subscription's locks
	// (Microsoft.Authorization/locks rows) or its empty lock listing (a
	// locks.json holding [] or {"value": []} under a directory named after
	// the subscription: both false); without either they are unknown.
	DeleteLock   *bool `json:"delete_lock,omitempty"`
	ReadOnlyLock *bool `json:"read_only_lock,omitempty"`
	// PublicAccess is true when the ACL, policy or IAM binding grants anonymous
	// or all-authenticated-users access (S3 policy Principal "*" without
	// condition, ACL AllUsers; Azure container publicAccess; GCS allUsers).
	PublicAccess *bool `json:"public_access,omitempty"`
	// PublicAccessBlocked is true when a guard prevents public access whatever
	// the ACLs say (S3 Block Public Access all four settings; Azure
	// allowBlobPublicAccess=false; GCS publicAccessPrevention=enforced).
	PublicAccessBlocked *bool `json:"public_access_blocked,omitempty"`
	Encrypted           *bool `json:"encrypted,omitempty"`
	// KeyManager is "provider" (cloud-managed key) or "customer" (CMK/CMEK).
	KeyManager    string `json:"key_manager,omitempty"`
	Versioning    *bool  `json:"versioning,omitempty"`
	AccessLogging *bool  `json:"access_logging,omitempty"`
	// SecureTransportOnly is true when plain HTTP is refused (S3 policy
	// aws:SecureTransport deny; Azure supportsHttpsTrafficOnly).
	SecureTransportOnly *bool `json:"secure_transport_only,omitempty"`
	// MinTLSVersion such as "1.2" (Azure minimumTlsVersion TLS1_2 -> "1.2").
	MinTLSVersion string `json:"min_tls_version,omitempty"`
	// UniformAccess: GCS uniform bucket-level access; S3 ObjectOwnership BucketOwnerEnforced.
	UniformAccess *bool `json:"uniform_access,omitempty"`
	// SoftDelete / MFA delete / retention protection against deletion.
	DeleteProtection *bool `json:"delete_protection,omitempty"`
	// NetworkDefaultDeny: Azure networkAcls.defaultAction == Deny.
	NetworkDefaultDeny *bool `json:"network_default_deny,omitempty"`
	// Azure storage account settings: allowSharedKeyAccess (null means
	// allowed), publicNetworkAccess Enabled, an approved private endpoint
	// connection, networkAcls.bypass naming AzureServices,
	// allowCrossTenantReplication, defaultToOAuthAuthentication (null
	// means false).
	SharedKeyAccess        *bool `json:"shared_key_access,omitempty"`
	PublicNetwork          *bool `json:"public_network,omitempty"`
	PrivateEndpoint        *bool `json:"private_endpoint,omitempty"`
	TrustedServicesBypass  *bool `json:"trusted_services_bypass,omitempty"`
	CrossTenantReplication *bool `json:"cross_tenant_replication,omitempty"`
	DefaultOAuth           *bool `json:"default_oauth,omitempty"`
	// KeyExpirationPolicy: an Azure key expiration policy
	// (keyPolicy.keyExpirationPeriodInDays), which raises key rotation
	// reminders; KeysCreated: when the older of the account's two access
	// keys was created (keyCreationTime), RFC 3339.
	KeyExpirationPolicy *bool  `json:"key_expiration_policy,omitempty"`
	KeysCreated         string `json:"keys_created,omitempty"`
	// Files: Azure Files settings (azurecis.go). GeoRedundant: sku.name
	// GRS, RAGRS, GZRS or RAGZRS.
	Files        *FileService `json:"files,omitempty"`
	GeoRedundant *bool        `json:"geo_redundant,omitempty"`
	// RetentionLocked: a GCS bucket's retention policy is locked (Bucket
	// Lock; false without a retention policy). LogSinkDestination: a log
	// sink of the export writes to the bucket (known when the export
	// holds log sinks). CIS GCP 2.4.
	RetentionLocked    *bool `json:"retention_locked,omitempty"`
	LogSinkDestination *bool `json:"log_sink_destination,omitempty"`
}

// Firewall: AWS security group, Azure network security group, GCP firewall rule.
type Firewall struct {
	Rules []FirewallRule `json:"rules"`
	// Default is true for a default security group / default network rule.
	Default *bool `json:"default,omitempty"`
	// InUse is true when attached to something (ENI, subnet, NIC, instances).
	InUse *bool `json:"in_use,omitempty"`
	// Stateless is true for an AWS network ACL (ordered rules by number,
	// kept as class other with these facts).
	Stateless *bool `json:"stateless,omitempty"`
	// TargetTags and TargetServiceAccounts limit a GCP firewall rule to
	// the VMs with one of the network tags or service accounts; both
	// empty: every VM of its network.
	TargetTags            []string `json:"target_tags,omitempty"`
	TargetServiceAccounts []string `json:"target_service_accounts,omitempty"`
}

// FirewallRule is one normalized rule. Ports: FromPort..ToPort inclusive;
// 0..65535 for all ports (and for protocols without ports, Protocol "all").
type FirewallRule struct {
	Direction string   `json:"direction"` // "ingress" | "egress"
	Action    string   `json:"action"`    // "allow" | "deny"
	Protocol  string   `json:"protocol"`  // "tcp" | "udp" | "icmp" | "all" | other name/number
	FromPort  int      `json:"from_port"`
	ToPort    int      `json:"to_port"`
	Sources   []string `json:"sources"` // CIDRs; "0.0.0.0/0" and "::/0" for any ("*", "Internet", "Any" are normalized to both)
	Priority  int      `json:"priority,omitempty"`
	Disabled  bool     `json:"disabled,omitempty"`
}

// Compute: EC2 instance, Azure VM, GCE instance.
type Compute struct {
	PublicIP *bool `json:"public_ip,omitempty"`
	// PublicIPv6: the instance has a public IPv6 address (AWS: any IPv6
	// address on one of its network interfaces, every one globally
	// routable; GCP: an IPv6 access config); nil when the source does not
	// say. On GCP, PublicIP counts an external address of either family.
	PublicIPv6 *bool `json:"public_ipv6,omitempty"`
	// Identity attached: instance profile ARN, managed identity type, service account email.
	Identity string `json:"identity,omitempty"`
	// DefaultServiceAccount is true when a GCE VM uses the default compute SA.
	DefaultServiceAccount *bool `json:"default_service_account,omitempty"`
	// DefaultServiceAccountFullAccess: default SA with cloud-platform scope.
	DefaultServiceAccountFullAccess *bool `json:"default_service_account_full_access,omitempty"`
	DiskEncrypted                   *bool `json:"disk_encrypted,omitempty"`
	// MetadataV2Required: AWS IMDSv2 HttpTokens=required.
	MetadataV2Required *bool `json:"metadata_v2_required,omitempty"`
	// SerialPortEnabled: GCE serial-port-enable metadata.
	SerialPortEnabled *bool `json:"serial_port_enabled,omitempty"`
	// IPForwarding: GCE canIpForward.
	IPForwarding *bool `json:"ip_forwarding,omitempty"`
	// BlockProjectSSHKeys: GCE metadata block-project-ssh-keys (false when
	// the instance does not set it). OSLogin: GCE instance metadata
	// enable-oslogin when the instance sets it (nil: the project's value
	// applies). ConfidentialComputing: GCE Confidential VM.
	BlockProjectSSHKeys   *bool `json:"block_project_ssh_keys,omitempty"`
	OSLogin               *bool `json:"os_login,omitempty"`
	ConfidentialComputing *bool `json:"confidential_computing,omitempty"`
	// MachineType: a GCE VM's machine type (n2d-standard-2), whose family
	// tells whether it can be a Confidential VM.
	MachineType string `json:"machine_type,omitempty"`
	// InstanceProfile: an AWS EC2 instance has an IAM instance profile.
	InstanceProfile *bool `json:"instance_profile,omitempty"`
	// ShieldedVM / secure boot.
	SecureBoot *bool  `json:"secure_boot,omitempty"`
	State      string `json:"state,omitempty"`
	// NetworkTags are a GCE VM's network tags (firewall targets).
	NetworkTags []string `json:"network_tags,omitempty"`
	// UserDataSecrets is true when the instance's user data (AWS
	// user_data, Azure custom_data, GCE startup-script metadata) holds a
	// credential in the clear (IaC sources; the names are in
	// UserDataSecretNames).
	UserDataSecrets     *bool    `json:"user_data_secrets,omitempty"`
	UserDataSecretNames []string `json:"user_data_secret_names,omitempty"`
	// PatchAssessment: an Azure VM's patch assessment mode is
	// AutomaticByPlatform (missing updates assessed every 24 hours).
	PatchAssessment *bool `json:"patch_assessment,omitempty"`
	// OSType: an Azure VM's or scale set's operating system, "linux" or
	// "windows" (its OS configuration or OS disk; empty when the source
	// does not say). PasswordAuthentication: a Linux VM or scale set
	// accepts SSH logins with a password (disablePasswordAuthentication
	// false); nil for Windows, which has no other login.
	OSType                 string `json:"os_type,omitempty"`
	PasswordAuthentication *bool  `json:"password_authentication,omitempty"`
	// OSUpdatesPending: how many package updates a GCE VM's OS inventory
	// (VM Manager's OS Config agent; Cloud Asset Inventory's os-inventory
	// content) lists as available and not installed (CIS GCP 5.0 4.12);
	// nil without an inventory listing the VM's packages.
	OSUpdatesPending *int `json:"os_updates_pending,omitempty"`
}

// Database: RDS instance, Azure SQL server / PostgreSQL / MySQL server, Cloud SQL instance.
type Database struct {
	Engine              string `json:"engine,omitempty"`
	PublicEndpoint      *bool  `json:"public_endpoint,omitempty"`
	Encrypted           *bool  `json:"encrypted,omitempty"`
	KeyManager          string `json:"key_manager,omitempty"`
	BackupEnabled       *bool  `json:"backup_enabled,omitempty"`
	BackupRetentionDays *int   `json:"backup_retention_days,omitempty"`
	SSLRequired         *bool  `json:"ssl_required,omitempty"`
	AuditingEnabled     *bool  `json:"auditing_enabled,omitempty"`
	// ThreatAlerts: an Azure SQL server's security alert policy (Microsoft
	// Defender for SQL threat detection) is enabled with no alert type
	// disabled; ThreatAlertRecipients: its alerts are mailed to someone
	// (addresses, or the subscription's administrators). Nil when the
	// input does not show the server's policy (IaC: none in the
	// configuration, since the subscription's Defender plan may enable it).
	ThreatAlerts          *bool `json:"threat_alerts,omitempty"`
	ThreatAlertRecipients *bool `json:"threat_alert_recipients,omitempty"`
	// AuthorizedNetworks lists CIDRs allowed to reach the endpoint (Cloud SQL
	// authorized networks, Azure SQL firewall rules).
	AuthorizedNetworks []string `json:"authorized_networks,omitempty"`
	MultiAZ            *bool    `json:"multi_az,omitempty"`
	DeletionProtection *bool    `json:"deletion_protection,omitempty"`
	AutoMinorUpgrade   *bool    `json:"auto_minor_upgrade,omitempty"`
	// CredentialsInSource is true when an administrator or user password
	// of the database is written in the IaC source (a literal, a variable
	// default, a tfvars value Terraform loads by itself), false when each
	// one comes from elsewhere (a variable without value, a generated
	// password, a secret store, a value given at scan time) or none is
	// set; IaC sources only. CredentialArguments names the arguments.
	CredentialsInSource *bool    `json:"credentials_in_source,omitempty"`
	CredentialArguments []string `json:"credential_arguments,omitempty"`
	// Flags are the engine flags set on the instance, lowercase name ->
	// value as written (Cloud SQL settings.databaseFlags); FlagsKnown is
	// true when the input shows them (so no entry means the default).
	Flags      map[string]string `json:"flags,omitempty"`
	FlagsKnown *bool             `json:"flags_known,omitempty"`
	// PublicAccess: a BigQuery dataset's access entries grant allUsers or
	// allAuthenticatedUsers a role.
	PublicAccess *bool `json:"public_access,omitempty"`
	// Databricks: an Azure Databricks workspace's network and logging
	// settings (azurecis.go).
	Databricks *DatabricksWorkspace `json:"databricks,omitempty"`
}

// Key: KMS key, Key Vault key, Cloud KMS crypto key.
type Key struct {
	// CustomerManaged is false for AWS-managed keys, which rotation rules skip.
	CustomerManaged    *bool  `json:"customer_managed,omitempty"`
	RotationEnabled    *bool  `json:"rotation_enabled,omitempty"`
	RotationPeriodDays *int   `json:"rotation_period_days,omitempty"`
	Enabled            *bool  `json:"enabled,omitempty"`
	Symmetric          *bool  `json:"symmetric,omitempty"`
	Expires            string `json:"expires,omitempty"` // RFC 3339, when the key has an expiry
	// ExpirySet is true when the key has an expiry date, false when the
	// export shows the key's attributes without one, nil when unknown.
	ExpirySet    *bool `json:"expiry_set,omitempty"`
	PublicAccess *bool `json:"public_access,omitempty"`
}

// AuditLog: CloudTrail trail; Azure subscription activity-log diagnostic
// setting; GCP project audit config (from the project's IAM policy auditConfigs).
type AuditLog struct {
	Enabled     *bool `json:"enabled,omitempty"`
	MultiRegion *bool `json:"multi_region,omitempty"`
	// AllServices: GCP auditConfig for allServices with DATA_READ+DATA_WRITE+ADMIN_READ;
	// Azure diagnostic setting with every category; CloudTrail management events read+write.
	AllServices       *bool  `json:"all_services,omitempty"`
	RetentionDays     *int   `json:"retention_days,omitempty"`
	FileValidation    *bool  `json:"file_validation,omitempty"`
	EncryptedWithCMK  *bool  `json:"encrypted_with_cmk,omitempty"`
	Destination       string `json:"destination,omitempty"`
	DestinationPublic *bool  `json:"destination_public,omitempty"`
	// DestinationAccessLogging: the trail's S3 bucket has server access
	// logging (the bucket's access_logging; set by inventory.Derive).
	DestinationAccessLogging *bool `json:"destination_access_logging,omitempty"`
	// S3WriteEvents / S3ReadEvents: the CloudTrail trail's event selectors
	// log S3 object-level write / read data events of every bucket.
	S3WriteEvents *bool `json:"s3_write_events,omitempty"`
	S3ReadEvents  *bool `json:"s3_read_events,omitempty"`
}

// Identity: IAM user / role / root, Entra user / service principal, GCP service account.
type Identity struct {
	// Kind: root | user | role | group | service_principal | service_account | managed_identity
	Kind          string `json:"kind"`
	ConsoleAccess *bool  `json:"console_access,omitempty"`
	MFAEnabled    *bool  `json:"mfa_enabled,omitempty"`
	// PasswordLastUsed / LastActivity, RFC 3339.
	PasswordLastUsed string      `json:"password_last_used,omitempty"`
	LastActivity     string      `json:"last_activity,omitempty"`
	AccessKeys       []AccessKey `json:"access_keys,omitempty"`
	// AccessKeysKnown is true when the input enumerates the identity's keys
	// (so an empty AccessKeys means "none", not "not exported").
	AccessKeysKnown *bool `json:"access_keys_known,omitempty"`
	// Admin is true when the identity holds full administrative rights
	// (AdministratorAccess / "*:*" policy, Owner, roles/owner).
	Admin *bool `json:"admin,omitempty"`
	// AttachedPolicies / directly attached policy names or ARNs.
	AttachedPolicies []string `json:"attached_policies,omitempty"`
	// InlinePolicies names, and whether any grants "*" on "*".
	InlinePolicies []string `json:"inline_policies,omitempty"`
	// TrustsExternal: a role whose trust policy allows another account / "*".
	TrustsExternal []string `json:"trusts_external,omitempty"`
	Disabled       *bool    `json:"disabled,omitempty"`
	Guest          *bool    `json:"guest,omitempty"`
	// AzureRoles: an Entra ID user holds an Azure RBAC role, directly or
	// through a group it is a direct member of (set by inventory.Derive
	// when the inventory holds Azure role assignments).
	AzureRoles *bool `json:"azure_roles,omitempty"`
	// VMAccess: an Entra ID user's effective Azure RBAC permissions let it
	// sign in to or control some virtual machine of the inventory (set by
	// inventory.Derive; CIS Azure 6.0 3.1.1).
	VMAccess *bool `json:"vm_access,omitempty"`

	// Typed identity data for effective-permission evaluation (AWS).
	// InlineDocuments are the identity's inline policies, parsed.
	InlineDocuments []NamedPolicy `json:"inline_documents,omitempty"`
	// Groups the identity is a member of (IDs or names; also RelMemberOf).
	Groups []string `json:"groups,omitempty"`
	// TrustPolicy is a role's assume-role policy document.
	TrustPolicy *PolicyDocument `json:"trust_policy,omitempty"`
	// PermissionsBoundary is the ARN of the boundary policy, "" when none.
	PermissionsBoundary string `json:"permissions_boundary,omitempty"`
	// InstanceProfiles are the instance profile ARNs a role is in.
	InstanceProfiles []string `json:"instance_profiles,omitempty"`
	// PolicyErrors lists the identity's policies that did not parse.
	PolicyErrors []string `json:"policy_errors,omitempty"`
	// FederatedCredentials are the external identities an Entra application
	// or managed identity trusts (workload identity federation).
	FederatedCredentials []FederatedCredential `json:"federated_credentials,omitempty"`
}

// FederatedCredential lets tokens of an external identity provider sign in
// as the identity: Issuer and Subject must match the token's iss and sub.
type FederatedCredential struct {
	Name      string   `json:"name,omitempty"`
	Issuer    string   `json:"issuer"`
	Subject   string   `json:"subject"`
	Audiences []string `json:"audiences,omitempty"`
}

// AccessKey: IAM access key, service-account key, service-principal credential.
type AccessKey struct {
	ID       string `json:"id,omitempty"`
	Active   bool   `json:"active"`
	Created  string `json:"created,omitempty"`   // RFC 3339
	LastUsed string `json:"last_used,omitempty"` // RFC 3339, "" when never or unknown
	// UserManaged is false for GCP system-managed SA keys.
	UserManaged *bool `json:"user_managed,omitempty"`
}

// Binding is one grant of a role to a principal at a scope.
type Binding struct {
	Principal     string `json:"principal"`                // arn / objectId / "user:x@y", "allUsers"
	PrincipalType string `json:"principal_type,omitempty"` // User, Group, ServicePrincipal, serviceAccount, ...
	Role          string `json:"role"`                     // role name or ARN or roles/owner
	RoleName      string `json:"role_name,omitempty"`      // human name: Owner, Contributor
	Scope         string `json:"scope"`                    // resource ID the grant applies to
	// ScopeLevel: organization | account (subscription/project) | resource_group | resource;
	// for an Entra ID directory role: directory (tenant-wide, scope "/"),
	// administrative_unit, or resource (one directory object or application)
	ScopeLevel string `json:"scope_level,omitempty"`
	// Primitive is true for GCP basic roles (owner/editor/viewer) and Azure
	// classic admin / Owner / Contributor at subscription scope.
	Primitive *bool `json:"primitive,omitempty"`
	// Privileged is true for full-admin roles (Owner, roles/owner,
	// AdministratorAccess, User Access Administrator).
	Privileged *bool `json:"privileged,omitempty"`
	// Public is true when the principal is allUsers / allAuthenticatedUsers / "*".
	Public *bool `json:"public,omitempty"`
	// Condition restricts the grant (GCP IAM condition; Azure ABAC
	// condition, whose Title is empty and Expression the condition text).
	Condition *BindingCondition `json:"condition,omitempty"`
	// Eligible is true for a role the principal may activate but does not
	// hold until it does (an Entra PIM eligible assignment).
	Eligible *bool `json:"eligible,omitempty"`
	// Deny is true for an Azure deny assignment: DenyPermissions are denied
	// to Principal at Scope except to ExcludedPrincipals.
	Deny               *bool            `json:"deny,omitempty"`
	DenyPermissions    []RolePermission `json:"deny_permissions,omitempty"`
	ExcludedPrincipals []string         `json:"excluded_principals,omitempty"`
	// ExcludedPrincipalTypes are the kinds of ExcludedPrincipals, index by
	// index, as PrincipalType ("" where the input does not say); nil when
	// the input gives no kind.
	ExcludedPrincipalTypes []string `json:"excluded_principal_types,omitempty"`
	// ChildScopes is false for a deny that applies at Scope only, not to
	// the scopes below it (Azure doNotApplyToChildScopes); nil when the
	// input does not say, the deny then applying below Scope (the default).
	ChildScopes *bool `json:"child_scopes,omitempty"`
}

// BindingCondition is a condition on a grant.
type BindingCondition struct {
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
	Expression  string `json:"expression"`
	// Version is the condition language version (Azure conditionVersion).
	Version string `json:"version,omitempty"`
}

// Account: AWS account, Azure subscription, GCP project.
type Account struct {
	// SecurityContacts configured (AWS alternate contact SECURITY, Azure
	// security contact email, GCP essential contacts).
	SecurityContact *bool `json:"security_contact,omitempty"`
	// Defender / GuardDuty / Security Command Center enabled.
	ThreatDetection *bool `json:"threat_detection,omitempty"`
	// AuditLogging is set by the importer when it can tell from the account's
	// own export whether audit logging is configured (for GCP from auditConfigs).
	AuditLogging *bool `json:"audit_logging,omitempty"`
	// EBSDefaultEncryption etc.
	DefaultEncryption *bool `json:"default_encryption,omitempty"`
	// StoragePublicAccessBlocked: an account-wide guard against public
	// object storage (S3 account-level Block Public Access, all four
	// settings). Derivation carries it onto the account's buckets.
	StoragePublicAccessBlocked *bool `json:"storage_public_access_blocked,omitempty"`
	// Parent is the ID of the organization node above the account (GCP
	// folder/organization, Azure management group, AWS OU); also RelChildOf.
	Parent string `json:"parent,omitempty"`
	// SCPs and RCPs are the AWS Organizations service control and resource
	// control policies over the account, root first; nil when no
	// organization data was read.
	SCPs *OrgPolicies `json:"scps,omitempty"`
	RCPs *OrgPolicies `json:"rcps,omitempty"`
	// Azure subscription settings (azurecis.go): Defender plans, security
	// contact notifications, activity log alerts, and the number of
	// Owner role assignments at subscription scope.
	Defender       *DefenderPlans         `json:"defender,omitempty"`
	Notifications  *SecurityNotifications `json:"security_notifications,omitempty"`
	ActivityAlerts *ActivityLogAlerts     `json:"activity_alerts,omitempty"`
	Owners         *int                   `json:"owners,omitempty"`
	// NetworkWatcherEveryRegion: every region holding resources of the
	// subscription has a network watcher; the regions without one are
	// NetworkWatcherMissing.
	NetworkWatcherEveryRegion *bool    `json:"network_watcher_every_region,omitempty"`
	NetworkWatcherMissing     []string `json:"network_watcher_missing,omitempty"`
	// CIS: account-level settings of the CIS benchmarks (cis.go).
	CIS *AccountCIS `json:"cis,omitempty"`
}

// PasswordPolicy: AWS account password policy; Entra password policy.
type PasswordPolicy struct {
	MinLength       *int  `json:"min_length,omitempty"`
	ReusePrevention *int  `json:"reuse_prevention,omitempty"`
	MaxAgeDays      *int  `json:"max_age_days,omitempty"`
	RequireSymbols  *bool `json:"require_symbols,omitempty"`
	RequireNumbers  *bool `json:"require_numbers,omitempty"`
	RequireUpper    *bool `json:"require_upper,omitempty"`
	RequireLower    *bool `json:"require_lower,omitempty"`
}

// KeyVault: Azure Key Vault; (future: AWS Secrets Manager, GCP Secret Manager).
type KeyVault struct {
	SoftDelete        *bool `json:"soft_delete,omitempty"`
	PurgeProtection   *bool `json:"purge_protection,omitempty"`
	RBACAuthorization *bool `json:"rbac_authorization,omitempty"`
	PublicNetwork     *bool `json:"public_network,omitempty"`
	// PrivateEndpoint: an approved private endpoint connection.
	PrivateEndpoint *bool `json:"private_endpoint,omitempty"`
	// Logging: a diagnostic setting of the vault sends its audit logs
	// (category AuditEvent, or group audit or allLogs) somewhere.
	Logging *bool `json:"logging,omitempty"`
}

// Network: VPC, VNet, GCP network/subnetwork.
type Network struct {
	FlowLogs *bool `json:"flow_logs,omitempty"`
	Default  *bool `json:"default,omitempty"`
	// Legacy: a GCP legacy network (one IPv4 range, no subnetworks).
	Legacy *bool `json:"legacy,omitempty"`
	// Peerings are an Azure VNet's or a GCP network's peerings (netlink.go).
	Peerings []Peering `json:"peerings,omitempty"`
	// PrivateGoogleAccess etc. may be added as rules need them.
	// DDoSProtection: Azure VNet enableDdosProtection (DDoS Network
	// Protection plan associated).
	DDoSProtection *bool `json:"ddos_protection,omitempty"`
	// SubnetsNSG: every subnet of an Azure VNet that can have a network
	// security group has one; SubnetsWithoutNSG names those without.
	SubnetsNSG        *bool    `json:"subnets_nsg,omitempty"`
	SubnetsWithoutNSG []string `json:"subnets_without_nsg,omitempty"`
	// DNSLogging: a Cloud DNS server policy with query logging applies to
	// the GCP VPC network.
	DNSLogging *bool `json:"dns_logging,omitempty"`
	// PeeringRoutesLeastAccess (CIS AWS 7.0 6.6): no route of the AWS
	// VPC's route tables sends to a VPC peering connection all addresses
	// (0.0.0.0/0, ::/0) or a range covering a whole CIDR block of the peer
	// VPC; PeeringBroadRoutes names those that do ("rtb-1: 10.1.0.0/16 ->
	// pcx-1"). Derived from the route tables in the network and the
	// peering connections (their VPCs' CIDR blocks); false only on such a
	// route, nil when the network has no route table in the inventory, one
	// could not be read, or a peering route's peer ranges are not known.
	// VPCEndpoints: an AWS VPC has a VPC endpoint in use (gateway or
	// interface: AWS services reached without the internet; CIS AWS 7.0
	// 6.8); false when the input holds VPC endpoints (AWS::EC2::VPCEndpoint
	// items) of the VPC's account and region but none in it; unknown when
	// it holds none of that region. GCP: a Private Service Connect
	// endpoint for Google APIs (a global forwarding rule targeting all-apis
	// or vpc-sc) is in the VPC network (CIS GCP 5.0 3.9); false when the
	// input holds global forwarding rules of the network's project but no
	// such endpoint in it; unknown when it holds none of that project.
	VPCEndpoints             *bool    `json:"vpc_endpoints,omitempty"`
	PeeringRoutesLeastAccess *bool    `json:"peering_routes_least_access,omitempty"`
	PeeringBroadRoutes       []string `json:"peering_broad_routes,omitempty"`
}

// RoleDefinition: an Azure role definition (authorizationresources
// roledefinitions). Assignments of it are iam_binding resources.
type RoleDefinition struct {
	// Custom is true for a customer-defined role (Azure CustomRole).
	Custom *bool `json:"custom,omitempty"`
	// FullAdmin is true when the role allows every action ("*").
	FullAdmin        *bool    `json:"full_admin,omitempty"`
	Actions          []string `json:"actions,omitempty"`
	AssignableScopes []string `json:"assignable_scopes,omitempty"`
	// SubscriptionScope is true when an assignable scope is a subscription,
	// a management group or the root ("/").
	SubscriptionScope *bool `json:"subscription_scope,omitempty"`
	// Permissions are the role's permission blocks as defined (Azure:
	// actions, notActions, dataActions, notDataActions per block).
	Permissions []RolePermission `json:"permissions,omitempty"`
	// IncludedPermissions are a GCP role's permissions.
	IncludedPermissions []string `json:"included_permissions,omitempty"`
	// Stage is a GCP role's launch stage (GA, BETA, DISABLED, ...).
	Stage string `json:"stage,omitempty"`
	// Name of the role (Azure roleName, GCP title).
	RoleName string `json:"role_name,omitempty"`
}

// RolePermission is one Azure permission block of a role definition or a
// deny assignment.
type RolePermission struct {
	Actions        []string `json:"actions,omitempty"`
	NotActions     []string `json:"not_actions,omitempty"`
	DataActions    []string `json:"data_actions,omitempty"`
	NotDataActions []string `json:"not_data_actions,omitempty"`
}
