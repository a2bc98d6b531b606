package resource

import "time"

// Provider is a cloud provider.
type Provider string

// Providers vigil knows.
const (
	AWS   Provider = "aws"
	Azure Provider = "azure"
	GCP   Provider = "gcp"
)

// Class names a normalized cross-cloud resource class. Rules select the
// resources they evaluate by class, so a rule written once for object_storage
// evaluates S3 buckets, Azure storage accounts and GCS buckets.
type Class string

// Classes of the normalized model. A resource whose native type maps to none
// of them has ClassOther and is kept in the inventory (rules may still read it
// through its native type and raw attributes).
const (
	ClassObjectStorage  Class = "object_storage"
	ClassFirewall       Class = "firewall"    // security group / NSG / VPC firewall rule
	ClassCompute        Class = "compute"     // VM instance
	ClassDatabase       Class = "database"    // managed SQL database server/instance
	ClassKey            Class = "key"         // KMS key / Key Vault key / Cloud KMS crypto key
	ClassAuditLog       Class = "audit_log"   // CloudTrail trail / activity-log diagnostic setting / audit config
	ClassIdentity       Class = "identity"    // user, role, service principal, service account, root
	ClassIAMBinding     Class = "iam_binding" // a grant: role assignment / IAM binding / attached policy
	ClassAccount        Class = "account"     // an AWS account, Azure subscription or GCP project itself
	ClassPasswordPolicy Class = "password_policy"
	ClassKeyVault       Class = "key_vault" // Azure Key Vault (container of keys/secrets)
	ClassNetwork        Class = "network"   // VPC / VNet / subnet (flow logs)
	ClassRole           Class = "role"      // a role definition (Azure role definitions; facts.role)
	ClassOther          Class = "other"
)

// Resource is one cloud resource in vigil's model.
type Resource struct {
	Provider Provider `json:"provider"`
	// Account is the AWS account ID, Azure subscription ID or GCP project (ID or number).
	Account string `json:"account"`
	// Region is the region or location; "global" for global resources.
	Region string `json:"region"`
	// Type is the cloud's own type name: AWS::S3::Bucket,
	// Microsoft.Storage/storageAccounts, storage.googleapis.com/Bucket.
	Type string `json:"type"`
	// ID is stable and unique: an ARN, an Azure resource ID or a Cloud Asset name.
	ID   string            `json:"id"`
	Name string            `json:"name"`
	Tags map[string]string `json:"tags,omitempty"`
	// Relationships to other resources, by their IDs.
	Relationships []Relationship `json:"relationships,omitempty"`
	// Raw holds the resource's attributes exactly as the export carried them.
	Raw map[string]any `json:"raw,omitempty"`
	// Source names the input the resource came from (file path, or "live").
	Source string `json:"source,omitempty"`
	// CapturedAt is when the export captured the resource, if it says.
	CapturedAt *time.Time `json:"captured_at,omitempty"`

	Class Class `json:"class"`
	Facts Facts `json:"facts"`
}

// Relationship links a resource to another.
type Relationship struct {
	Type     string `json:"type"` // e.g. "attached_to", "member_of", "contains", "uses_key"
	TargetID string `json:"target_id"`
}

// Ref is the short identity of a resource as it appears in findings.
type Ref struct {
	ID       string   `json:"id"`
	Type     string   `json:"type"`
	Provider Provider `json:"provider"`
	Account  string   `json:"account"`
	Region   string   `json:"region"`
	Name     string   `json:"name"`
}

// Ref returns the resource's short identity.
func (r *Resource) Ref() Ref {
	return Ref{ID: r.ID, Type: r.Type, Provider: r.Provider, Account: r.Account, Region: r.Region, Name: r.Name}
}

// Bool returns a pointer to b, for filling optional facts.
func Bool(b bool) *bool { return &b }

// Int returns a pointer to i, for filling optional facts.
func Int(i int) *int { return &i }
