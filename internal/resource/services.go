package resource

// Facts of the classes added for the services beyond the original core.
// As everywhere in Facts, nil or "" means the input did not say.

// Disk: EBS volume, Azure managed disk, GCE persistent disk.
type Disk struct {
	Encrypted *bool `json:"encrypted,omitempty"`
	// KeyManager is "provider" or "customer" (CMK/CMEK).
	KeyManager string `json:"key_manager,omitempty"`
	// Attached is true when the disk is attached to an instance.
	Attached *bool `json:"attached,omitempty"`
	// AttachedTo lists the instances using the disk.
	AttachedTo []string `json:"attached_to,omitempty"`
	// PublicNetworkAccess: Azure disk publicNetworkAccess / networkAccessPolicy AllowAll.
	PublicNetworkAccess *bool `json:"public_network_access,omitempty"`
	SizeGB              *int  `json:"size_gb,omitempty"`
	// CustomerSupplied: a GCE disk is encrypted with a customer-supplied
	// key (CSEK: diskEncryptionKey sha256, rawKey or rsaEncryptedKey),
	// false with a Cloud KMS key or Google's (CIS GCP 4.7).
	CustomerSupplied *bool `json:"customer_supplied,omitempty"`
}

// Snapshot: EBS snapshot, AMI, Azure snapshot or image, GCE snapshot or image.
type Snapshot struct {
	// Kind is "snapshot" or "image".
	Kind       string `json:"kind,omitempty"`
	Encrypted  *bool  `json:"encrypted,omitempty"`
	KeyManager string `json:"key_manager,omitempty"`
	// Public is true when anyone can use or copy it (createVolumePermission
	// group all, launch permission all, allUsers binding, public network access).
	Public *bool `json:"public,omitempty"`
	// SharedWith lists the other accounts/projects it is shared with.
	SharedWith []string `json:"shared_with,omitempty"`
	// CrossAccount is true when SharedWith names an account outside the owner's.
	CrossAccount *bool  `json:"cross_account,omitempty"`
	Created      string `json:"created,omitempty"` // RFC 3339
}

// Policy: an AWS IAM policy (managed or inline) with its parsed document.
type Policy struct {
	// Managed is "aws" for AWS-managed, "customer" for customer-managed,
	// "inline" for an inline policy.
	Managed  string          `json:"managed,omitempty"`
	Document *PolicyDocument `json:"document,omitempty"`
	// Admin is true when the document allows every action on every resource.
	Admin *bool `json:"admin,omitempty"`
	// AttachedTo lists the users, groups and roles the policy is attached to.
	AttachedTo []string `json:"attached_to,omitempty"`
	// Attached is true when AttachedTo is non-empty (attachmentCount > 0).
	Attached *bool `json:"attached,omitempty"`
}

// Group: IAM group, Entra ID group, Google group.
type Group struct {
	// Members are the group's direct members (IDs, or names the input
	// uses); nil when the input did not list them in full, empty when it
	// listed none (an empty list does not survive JSON: it reads back nil).
	Members          []string      `json:"members,omitempty"`
	AttachedPolicies []string      `json:"attached_policies,omitempty"`
	InlineDocuments  []NamedPolicy `json:"inline_documents,omitempty"`
	Admin            *bool         `json:"admin,omitempty"`
	// Public: Google group open to anyone / Entra group with public visibility.
	Public *bool `json:"public,omitempty"`
}

// Function: Lambda function, Azure Function App, Cloud Function.
type Function struct {
	Runtime string `json:"runtime,omitempty"`
	// RuntimeEndOfSupport is the runtime's end-of-support (deprecation)
	// date as the provider publishes it, RFC 3339 ("2024-06-12T00:00:00Z");
	// "" when the importer's table does not know the runtime. Rules compare
	// it with the scan time (input.now).
	RuntimeEndOfSupport string `json:"runtime_end_of_support,omitempty"`
	// PublicInvocation is true when anyone can invoke it (resource policy
	// Principal "*", function URL with auth NONE, allUsers invoker,
	// anonymous HTTP trigger with public network access).
	PublicInvocation *bool `json:"public_invocation,omitempty"`
	// Identity is the role ARN / managed identity / service account it runs as.
	Identity string `json:"identity,omitempty"`
	// EnvironmentSecrets is true when an environment variable's name or
	// value looks like a credential (the names are in SecretVariables).
	EnvironmentSecrets *bool    `json:"environment_secrets,omitempty"`
	SecretVariables    []string `json:"secret_variables,omitempty"`
	// InVPC: attached to a private network.
	InVPC *bool `json:"in_vpc,omitempty"`
	// PublicNetwork: reachable from the internet whoever may invoke it
	// (Cloud Functions / Cloud Run ingress ALLOW_ALL; false for internal
	// only or internal and Cloud Load Balancing).
	PublicNetwork *bool `json:"public_network,omitempty"`
	// HTTPSOnly: Function App httpsOnly; Cloud Functions ingress/security level.
	HTTPSOnly *bool `json:"https_only,omitempty"`
	Tracing   *bool `json:"tracing,omitempty"`
}

// Kubernetes: EKS, AKS, GKE cluster.
type Kubernetes struct {
	Version string `json:"version,omitempty"`
	// PublicEndpoint is true when the API server is reachable from the internet.
	PublicEndpoint *bool `json:"public_endpoint,omitempty"`
	// EndpointAllowedCIDRs restricts a public endpoint ("0.0.0.0/0" = anyone).
	EndpointAllowedCIDRs []string `json:"endpoint_allowed_cidrs,omitempty"`
	// ControlPlaneLogging: EKS api/audit log types, AKS diagnostic settings, GKE logging service.
	ControlPlaneLogging *bool `json:"control_plane_logging,omitempty"`
	// AuditLogging is true when the API server audit log is collected.
	AuditLogging  *bool `json:"audit_logging,omitempty"`
	NetworkPolicy *bool `json:"network_policy,omitempty"`
	RBAC          *bool `json:"rbac,omitempty"`
	// LegacyAuth: basic auth / client certificate / AKS local accounts / ABAC.
	LegacyAuth      *bool `json:"legacy_auth,omitempty"`
	NodeAutoUpgrade *bool `json:"node_auto_upgrade,omitempty"`
	// SecretsEncrypted: envelope encryption of Kubernetes secrets with a KMS key.
	SecretsEncrypted *bool `json:"secrets_encrypted,omitempty"`
	PrivateNodes     *bool `json:"private_nodes,omitempty"`
}

// LoadBalancer: ELB/ALB/NLB, Azure Load Balancer / Application Gateway, GCP
// forwarding rule / target proxy / URL map.
type LoadBalancer struct {
	// Public: internet-facing scheme / public frontend IP / external scheme.
	Public    *bool      `json:"public,omitempty"`
	Listeners []Listener `json:"listeners,omitempty"`
	// HTTPListener is true when a listener accepts plain HTTP without redirecting.
	HTTPListener *bool `json:"http_listener,omitempty"`
	// WeakTLS is true when a TLS listener's policy allows TLS below 1.2.
	WeakTLS    *bool `json:"weak_tls,omitempty"`
	AccessLogs *bool `json:"access_logs,omitempty"`
	WAF        *bool `json:"waf,omitempty"`
	// DropInvalidHeaders: ALB routing.http.drop_invalid_header_fields.
	DropInvalidHeaders *bool `json:"drop_invalid_headers,omitempty"`
	DeletionProtection *bool `json:"deletion_protection,omitempty"`
	// Azure Application Gateway: HTTP2 (enableHttp2); the request body
	// inspection and bot protection (Microsoft_BotManagerRuleSet) of its WAF
	// policy (azurecis.go).
	HTTP2               *bool `json:"http2,omitempty"`
	WAFRequestBodyCheck *bool `json:"waf_request_body_check,omitempty"`
	WAFBotProtection    *bool `json:"waf_bot_protection,omitempty"`
}

// Listener is one front-end listener of a load balancer.
type Listener struct {
	Protocol string `json:"protocol"` // HTTP, HTTPS, TCP, TLS, UDP
	Port     int    `json:"port,omitempty"`
	// TLSPolicy is the SSL/TLS policy name, MinTLSVersion such as "1.2".
	TLSPolicy     string `json:"tls_policy,omitempty"`
	MinTLSVersion string `json:"min_tls_version,omitempty"`
	// RedirectsToHTTPS: an HTTP listener whose default action redirects.
	RedirectsToHTTPS *bool `json:"redirects_to_https,omitempty"`
	// Forwards are the targets the listener sends traffic to (through a
	// target group or backend pool), when the inventory tells.
	Forwards []Forward `json:"forwards,omitempty"`
	// Frontend is the address the listener receives on, or the public IP
	// resource holding it (an Azure load balancer rule's frontend public
	// IP, an Azure Firewall DNAT rule's destination address, a GCP
	// forwarding rule's address); "" when the inventory does not say.
	Frontend string `json:"frontend,omitempty"`
}

// Queue: SQS queue, SNS topic, Service Bus namespace, Event Hubs, Pub/Sub topic.
type Queue struct {
	// Kind is "queue" or "topic".
	Kind       string `json:"kind,omitempty"`
	Encrypted  *bool  `json:"encrypted,omitempty"`
	KeyManager string `json:"key_manager,omitempty"`
	// PublicPolicy is true when the access policy lets anyone send, receive or subscribe.
	PublicPolicy *bool `json:"public_policy,omitempty"`
	// PublicNetwork: Azure publicNetworkAccess enabled with no network rules.
	PublicNetwork *bool `json:"public_network,omitempty"`
	// LocalAuth: Azure SAS keys enabled (disableLocalAuth false).
	LocalAuth     *bool  `json:"local_auth,omitempty"`
	MinTLSVersion string `json:"min_tls_version,omitempty"`
}

// Secret: Secrets Manager secret, Key Vault secret, Secret Manager secret.
type Secret struct {
	RotationEnabled    *bool  `json:"rotation_enabled,omitempty"`
	RotationPeriodDays *int   `json:"rotation_period_days,omitempty"`
	LastRotated        string `json:"last_rotated,omitempty"` // RFC 3339
	// PublicAccess is true when the resource policy lets anyone read it.
	PublicAccess *bool  `json:"public_access,omitempty"`
	ExpirySet    *bool  `json:"expiry_set,omitempty"`
	Expires      string `json:"expires,omitempty"`
	KeyManager   string `json:"key_manager,omitempty"`
	Enabled      *bool  `json:"enabled,omitempty"`
	// ValidityMonths: a Key Vault certificate's validity period, in
	// months, as its issuance policy sets it (x509_props.validity_months;
	// CIS Azure 6.0 8.3.11). Known when the input holds the certificate's
	// policy (Key Vault data plane: GET {vault}/certificates/{name} or
	// .../policy, az keyvault certificate show; Terraform's
	// certificate_policy).
	ValidityMonths *int `json:"validity_months,omitempty"`
	// CertificateBacked: an Azure Key Vault secret is the one Key Vault
	// keeps for a certificate of the same name (its PFX or PEM, expiring
	// with it and renewed by the certificate's policy): true when the
	// input holds that certificate in the same vault; nil otherwise.
	CertificateBacked *bool `json:"certificate_backed,omitempty"`
}

// Registry: ECR repository, Azure Container Registry, Artifact Registry repository.
type Registry struct {
	Public        *bool `json:"public,omitempty"`
	ImageScanning *bool `json:"image_scanning,omitempty"`
	TagImmutable  *bool `json:"tag_immutable,omitempty"`
	// AdminUser: ACR admin user enabled.
	AdminUser     *bool  `json:"admin_user,omitempty"`
	PublicNetwork *bool  `json:"public_network,omitempty"`
	KeyManager    string `json:"key_manager,omitempty"`
}

// DNSZone: Route 53 hosted zone, Azure DNS zone, Cloud DNS managed zone.
type DNSZone struct {
	Public *bool `json:"public,omitempty"`
	DNSSEC *bool `json:"dnssec,omitempty"`
	// DNSSECAlgorithm: the signing algorithm (GCP rsasha1 is weak).
	DNSSECAlgorithm string `json:"dnssec_algorithm,omitempty"`
	QueryLogging    *bool  `json:"query_logging,omitempty"`
	// DanglingRecords lists records pointing at resources that no longer
	// exist (a CNAME to a deleted bucket or app), where the data allows.
	DanglingRecords []string `json:"dangling_records,omitempty"`
	// Records are the zone's record sets, when the input lists them (nil:
	// not exported). inventory.Derive reads them for DanglingRecords.
	Records []DNSRecord `json:"records,omitempty"`
}

// DNSRecord is one record set of a DNS zone.
type DNSRecord struct {
	// Name is the fully qualified name, lower case, without the final dot.
	Name string `json:"name"`
	// Type is the record type: A, AAAA, CNAME, TXT, ...
	Type string `json:"type"`
	// Targets are the values (for a CNAME or an alias, the host names it
	// points at, lower case, without the final dot).
	Targets []string `json:"targets,omitempty"`
	// Alias: an alias record (Route 53 alias, Azure alias record set) whose
	// target is a host name or a resource rather than literal values.
	Alias bool `json:"alias,omitempty"`
}

// CDN: CloudFront distribution, Front Door / CDN endpoint, Cloud CDN backend.
type CDN struct {
	// ViewerHTTPSOnly: HTTP viewers are redirected or refused.
	ViewerHTTPSOnly *bool  `json:"viewer_https_only,omitempty"`
	MinTLSVersion   string `json:"min_tls_version,omitempty"`
	WAF             *bool  `json:"waf,omitempty"`
	AccessLogs      *bool  `json:"access_logs,omitempty"`
	// OriginHTTPSOnly: connections to the origin use HTTPS.
	OriginHTTPSOnly *bool `json:"origin_https_only,omitempty"`
	// OriginAccessControl: an S3 origin accessed through OAC/OAI only.
	OriginAccessControl *bool `json:"origin_access_control,omitempty"`
	// Origins: where it forwards requests, read by reachability.
	Origins []Origin `json:"origins,omitempty"`
}

// APIGateway: API Gateway REST/HTTP stage, Azure API Management, GCP API Gateway.
type APIGateway struct {
	// AuthRequired is false when some route or method needs no authorization.
	AuthRequired *bool `json:"auth_required,omitempty"`
	Logging      *bool `json:"logging,omitempty"`
	WAF          *bool `json:"waf,omitempty"`
	Public       *bool `json:"public,omitempty"`
	// ClientCertificate: stage has a client certificate for the backend.
	ClientCertificate *bool  `json:"client_certificate,omitempty"`
	MinTLSVersion     string `json:"min_tls_version,omitempty"`
	Tracing           *bool  `json:"tracing,omitempty"`
	// Origins: the HTTP backends its integrations forward to, read by
	// reachability.
	Origins []Origin `json:"origins,omitempty"`
}

// FlowLog: a flow-log configuration; RelFlowLogsOf points at what it records.
type FlowLog struct {
	Enabled *bool `json:"enabled,omitempty"`
	// Targets are the IDs (or aliases) of the networks, subnets, interfaces
	// or firewalls whose traffic it records.
	Targets       []string `json:"targets,omitempty"`
	RetentionDays *int     `json:"retention_days,omitempty"`
}

// OrgUnit: AWS organization root/OU, Azure management group, GCP
// organization or folder, Microsoft Entra ID tenant.
type OrgUnit struct {
	// Kind: organization | root (AWS) | folder | management_group | organizational_unit | tenant (Entra ID).
	Kind   string `json:"kind"`
	Parent string `json:"parent,omitempty"`
	// EssentialContacts: the GCP organization's own essential contacts
	// subscribe, together, to the LEGAL, SECURITY, SUSPENSION, TECHNICAL
	// and TECHNICAL_INCIDENTS notifications (or ALL); known when the input
	// holds essential contacts (CIS GCP 1.17).
	EssentialContacts *bool `json:"essential_contacts,omitempty"`
	// Tenant: a Microsoft Entra ID tenant's settings (kind tenant).
	Tenant *EntraTenant `json:"tenant,omitempty"`
	// RootCredentialsManagement: an AWS organization has IAM's
	// centralized root access for member accounts (aws iam
	// list-organizations-features: EnabledFeatures holds
	// RootCredentialsManagement; CIS AWS 7.0 2.1.1); known when the input
	// holds that output.
	RootCredentialsManagement *bool `json:"root_credentials_management,omitempty"`
	// DelegatedAdministrators: the AWS organization's member accounts
	// registered as delegated administrators of an Organizations-
	// integrated service (aws organizations
	// list-delegated-administrators; CIS AWS 7.0 2.1.6), their account
	// IDs; DelegatedAdministration is false when the complete listing is
	// empty, nil when the input has no listing.
	DelegatedAdministration *bool    `json:"delegated_administration,omitempty"`
	DelegatedAdministrators []string `json:"delegated_administrators,omitempty"`
	// PolicyDelegation: the AWS organization's resource-based delegation
	// policy (aws organizations describe-resource-policy) lets a member
	// account manage the organization's policies (organizations:CreatePolicy,
	// UpdatePolicy, AttachPolicy... CIS AWS 7.0 2.1.5); false when the
	// organization has no such policy (ResourcePolicy null) or it delegates
	// no policy management; unknown when the document lacks it.
	PolicyDelegation *bool `json:"policy_delegation,omitempty"`
}
