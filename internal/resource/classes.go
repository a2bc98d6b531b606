package resource

// Classes of the normalized model. This is the one list of classes: the
// rule engine, rule metadata checks, docs and the inventory summary read it
// through Classes and ClassInfo.
const (
	ClassObjectStorage     Class = "object_storage"     // S3 bucket, storage account, GCS bucket
	ClassFirewall          Class = "firewall"           // security group / NSG / VPC firewall rule
	ClassNetworkACL        Class = "network_acl"        // AWS network ACL (stateless, rules by number)
	ClassCompute           Class = "compute"            // VM instance
	ClassDatabase          Class = "database"           // managed SQL database server/instance
	ClassKey               Class = "key"                // KMS key / Key Vault key / Cloud KMS crypto key
	ClassAuditLog          Class = "audit_log"          // CloudTrail trail / activity-log diagnostic setting / audit config
	ClassIdentity          Class = "identity"           // user, role, service principal, service account, root
	ClassIAMBinding        Class = "iam_binding"        // a grant: role assignment / IAM binding / deny assignment
	ClassAccount           Class = "account"            // an AWS account, Azure subscription or GCP project itself
	ClassPasswordPolicy    Class = "password_policy"    // AWS account password policy
	ClassKeyVault          Class = "key_vault"          // Azure Key Vault (container of keys/secrets)
	ClassNetwork           Class = "network"            // VPC / VNet / subnet (flow logs)
	ClassRole              Class = "role"               // a role definition (Azure role definition, GCP custom role)
	ClassDisk              Class = "disk"               // EBS volume, managed disk, persistent disk
	ClassSnapshot          Class = "snapshot"           // EBS snapshot, AMI, disk snapshot, machine image
	ClassIAMPolicy         Class = "iam_policy"         // AWS managed or inline policy document
	ClassGroup             Class = "group"              // IAM group, Entra group, Google group
	ClassFunction          Class = "function"           // Lambda, Function App, Cloud Function / Cloud Run function
	ClassKubernetes        Class = "kubernetes_cluster" // EKS, AKS, GKE
	ClassLoadBalancer      Class = "load_balancer"      // ELB/ALB/NLB, Azure LB / Application Gateway, GCP forwarding rule / proxy
	ClassQueue             Class = "queue"              // SQS queue, SNS topic, Service Bus, Pub/Sub topic
	ClassSecret            Class = "secret"             // Secrets Manager secret, Key Vault secret, Secret Manager secret
	ClassContainerRegistry Class = "container_registry" // ECR repository, ACR, Artifact Registry
	ClassDNSZone           Class = "dns_zone"           // Route 53 hosted zone, Azure DNS zone, Cloud DNS managed zone
	ClassCDN               Class = "cdn"                // CloudFront distribution, Front Door / CDN profile, Cloud CDN backend
	ClassAPIGateway        Class = "api_gateway"        // API Gateway stage / API, API Management, GCP API Gateway
	ClassFlowLog           Class = "flow_log"           // a flow-log configuration (AWS FlowLog, NSG/VNet flow log)
	ClassOrgUnit           Class = "org_unit"           // organization, folder, management group, AWS OU
	ClassOrgPolicy         Class = "org_policy"         // AWS Organizations service control / resource control policy
	ClassConditionalAccess Class = "conditional_access" // Entra ID conditional access policy
	ClassDataWarehouse     Class = "data_warehouse"     // Redshift cluster, Synapse workspace, BigQuery dataset
	ClassBackupVault       Class = "backup_vault"       // AWS Backup vault, Recovery Services vault, GCP backup vault
	// Kubernetes objects from manifests and Helm charts (provider kubernetes).
	ClassKubernetesWorkload  Class = "kubernetes_workload"  // Pod, Deployment, DaemonSet, StatefulSet, ReplicaSet, Job, CronJob
	ClassKubernetesRBAC      Class = "kubernetes_rbac"      // Role, ClusterRole, RoleBinding, ClusterRoleBinding
	ClassKubernetesService   Class = "kubernetes_service"   // Service
	ClassKubernetesNamespace Class = "kubernetes_namespace" // a namespace with its network-policy coverage
	// ClassOther is a resource a source keeps for derivation (a network
	// interface, a CLI output being joined) that no rule evaluates. Types
	// that end up with it are listed as unsupported in the summary.
	ClassOther Class = "other"
)

// ClassInfo describes a class: its name, what it holds, and the key of its
// facts under Facts (facts.<FactsKey> in Rego), "" when it has none.
type ClassInfo struct {
	Class    Class  `json:"class"`
	Doc      string `json:"doc"`
	FactsKey string `json:"facts_key,omitempty"`
}

var classInfo = []ClassInfo{
	{ClassObjectStorage, "object storage: S3 bucket, Azure storage account, GCS bucket", "storage"},
	{ClassFirewall, "firewall: security group, network security group, VPC firewall rule", "firewall"},
	{ClassNetworkACL, "network ACL: AWS network ACL (stateless rules in rule-number order, firewall facts with stateless true)", "firewall"},
	{ClassCompute, "compute instance: EC2 instance, Azure VM, GCE instance", "compute"},
	{ClassDatabase, "managed database: RDS, DynamoDB, Azure SQL / PostgreSQL / MySQL / Cosmos DB, Cloud SQL, Spanner, Bigtable", "database"},
	{ClassKey, "encryption key: KMS key, Key Vault key, Cloud KMS crypto key", "key"},
	{ClassAuditLog, "audit log: CloudTrail trail, activity-log diagnostic setting, GCP audit config", "audit_log"},
	{ClassIdentity, "identity: IAM user/role/root, Entra user/service principal/managed identity, GCP service account", "identity"},
	{ClassIAMBinding, "grant: Azure role assignment or deny assignment, GCP IAM binding", "binding"},
	{ClassAccount, "account: AWS account, Azure subscription, GCP project", "account"},
	{ClassPasswordPolicy, "password policy: AWS account password policy", "password_policy"},
	{ClassKeyVault, "key vault: Azure Key Vault", "key_vault"},
	{ClassNetwork, "network: VPC, VNet, GCP network or subnetwork", "network"},
	{ClassRole, "role definition: Azure role definition, GCP custom or predefined role", "role"},
	{ClassDisk, "block disk: EBS volume, Azure managed disk, GCE persistent disk", "disk"},
	{ClassSnapshot, "snapshot or image: EBS snapshot, AMI, Azure snapshot/image, GCE snapshot/image", "snapshot"},
	{ClassIAMPolicy, "IAM policy: AWS managed or inline policy with its parsed document", "policy"},
	{ClassGroup, "group: IAM group, Entra ID group, Google group", "group"},
	{ClassFunction, "serverless function: Lambda, Azure Function App, Cloud Function", "function"},
	{ClassKubernetes, "Kubernetes cluster: EKS, AKS, GKE", "kubernetes"},
	{ClassLoadBalancer, "load balancer: ELB/ALB/NLB, Azure Load Balancer / Application Gateway, GCP forwarding rule / target proxy", "load_balancer"},
	{ClassQueue, "queue or topic: SQS, SNS, Service Bus, Event Hubs, Pub/Sub", "queue"},
	{ClassSecret, "secret: Secrets Manager secret, Key Vault secret, Secret Manager secret", "secret"},
	{ClassContainerRegistry, "container registry: ECR repository, Azure Container Registry, Artifact Registry", "registry"},
	{ClassDNSZone, "DNS zone: Route 53 hosted zone, Azure DNS zone, Cloud DNS managed zone", "dns"},
	{ClassCDN, "CDN / front door: CloudFront distribution, Azure Front Door / CDN endpoint, Cloud CDN backend", "cdn"},
	{ClassAPIGateway, "API gateway: API Gateway stage, API Management service, GCP API Gateway", "api_gateway"},
	{ClassFlowLog, "flow log configuration: AWS flow log, NSG / VNet flow log", "flow_log"},
	{ClassOrgUnit, "organization node: AWS organization/root/OU, Azure management group, GCP organization/folder", "org_unit"},
	{ClassOrgPolicy, "organization policy: AWS Organizations service control or resource control policy with its parsed document and targets", "org_policy"},
	{ClassConditionalAccess, "conditional access policy: Entra ID policy with the users, roles and applications it covers and the controls it requires", "conditional_access"},
	{ClassDataWarehouse, "data warehouse: Redshift cluster, Azure Synapse workspace, BigQuery dataset (database facts where they apply)", "database"},
	{ClassBackupVault, "backup vault: AWS Backup vault, Azure Recovery Services / Data Protection backup vault, GCP Backup and DR backup vault", ""},
	{ClassKubernetesWorkload, "Kubernetes workload: Pod, Deployment, DaemonSet, StatefulSet, ReplicaSet, ReplicationController, Job, CronJob (pod spec per container)", "workload"},
	{ClassKubernetesRBAC, "Kubernetes RBAC object: Role, ClusterRole (rules), RoleBinding, ClusterRoleBinding (role and subjects)", "rbac"},
	{ClassKubernetesService, "Kubernetes Service: type, external IPs, load balancer source ranges", "k8s_service"},
	{ClassKubernetesNamespace, "Kubernetes namespace: declared or used by the scanned manifests, with its default-deny NetworkPolicy coverage", "namespace"},
}

// Classes lists every class rules may declare, in a stable order (ClassOther
// is not among them: no rule evaluates it).
func Classes() []ClassInfo { return append([]ClassInfo(nil), classInfo...) }

// KnownClass reports whether c is a class rules may declare.
func KnownClass(c Class) bool {
	for _, ci := range classInfo {
		if ci.Class == c {
			return true
		}
	}
	return false
}

// FactsKey returns the key of c's facts under Facts, "" when unknown.
func FactsKey(c Class) string {
	for _, ci := range classInfo {
		if ci.Class == c {
			return ci.FactsKey
		}
	}
	return ""
}
