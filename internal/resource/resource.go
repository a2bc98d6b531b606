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
// evaluates S3 buckets, Azure storage accounts and GCS buckets. The list of
// classes is kept once, in classes.go.
type Class string

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
	// Raw holds the resource's attributes exactly as the export carried them,
	// for the sources' own finishers: inventory.Collect drops it once they
	// ran (inventory.Options.KeepRaw keeps it); no rule or derivation reads it.
	Raw map[string]any `json:"raw,omitempty"`
	// Source names the input the resource came from (file path, or "live").
	Source string `json:"source,omitempty"`
	// CapturedAt is when the export captured the resource, if it says.
	CapturedAt *time.Time `json:"captured_at,omitempty"`
	// Location is where in a source file the resource is defined (IaC).
	Location *Location `json:"location,omitempty"`
	// Aliases are other identifiers the same resource is referred to by in
	// relationships (an AWS resourceId beside its ARN, a GCP email beside
	// the asset name). Derivation resolves relationship targets through them.
	Aliases []string `json:"aliases,omitempty"`

	Class Class `json:"class"`
	Facts Facts `json:"facts"`
}

// Relationship links a resource to another. TargetID is the target's ID or
// one of its Aliases.
type Relationship struct {
	Type     string `json:"type"` // one of the Rel* constants, or a source's own
	TargetID string `json:"target_id"`
}

// Relationship types that cross-resource derivation reads. Every source
// states these the same way, whatever its export calls them.
const (
	// RelUsesDisk: a compute instance → a block disk it has attached.
	RelUsesDisk = "uses_disk"
	// RelHasPolicy: a user, group or role → a managed policy attached to it.
	RelHasPolicy = "has_policy"
	// RelMemberOf: a user (or group) → a group it belongs to.
	RelMemberOf = "member_of"
	// RelFlowLogsOf: a flow-log resource → the network, subnet, interface
	// or firewall whose traffic it records.
	RelFlowLogsOf = "flow_logs_of"
	// RelInNetwork: a subnet, interface or instance → its network.
	RelInNetwork = "in_network"
	// RelUsesInterface: a compute instance → a network interface.
	RelUsesInterface = "uses_interface"
	// RelUsesPublicIP: an instance, interface or load balancer → a public IP.
	RelUsesPublicIP = "uses_public_ip"
	// RelUsesFirewall: a network, subnet, interface or instance → a
	// firewall (security group, NSG) applied to it; on a network, applied
	// to one of its subnets (a flow log on it counts for the network).
	RelUsesFirewall = "uses_firewall"
	// RelUsesKey: a resource → the encryption key protecting it.
	RelUsesKey = "uses_key"
	// RelChildOf: a project, subscription, folder or account → its parent
	// in the organization hierarchy.
	RelChildOf = "child_of"
	// RelRunsAs: a principal → an identity it runs as (instance profile
	// role, managed identity, service account).
	RelRunsAs = "runs_as"
	// RelLogsTo: an audit log → the bucket or workspace it delivers to.
	RelLogsTo = "logs_to"
	// RelCopyOf: a snapshot or image → the snapshot or image it was copied
	// from (EC2 CopySnapshot and CopyImage, RDS snapshot copies, Azure
	// snapshot copies). Derivation records the copy's region as a place
	// the source's data is in (PathSnapshotCopy, PathImageCopy).
	RelCopyOf = "copy_of"
)

// Location is where a resource is defined in a source file (1-based lines).
// IaC sources set it; File is relative to the scanned root, with slashes.
type Location struct {
	File      string `json:"file"`
	StartLine int    `json:"start_line,omitempty"`
	EndLine   int    `json:"end_line,omitempty"`
	// Address names the resource in its source: a Terraform address
	// (module.x.aws_s3_bucket.y["key"]), a CloudFormation logical ID, an
	// ARM resource name, a Kubernetes kind/namespace/name.
	Address string `json:"address,omitempty"`
	// Calls are the call sites that instantiate the resource, outermost
	// first (the Terraform module blocks it comes through), so an inline
	// suppression on a module block covers the module's resources.
	Calls []Location `json:"calls,omitempty"`
	// FactLines are, for a resource, the lines of File holding the field
	// each fact was read from, where the reader knows it (a Kubernetes
	// container's securityContext.privileged in a manifest or a Helm
	// template), by fact path as rules require it
	// ("facts.workload.privileged").
	FactLines map[string]int `json:"-"`
	// Line is, on a finding's copy of its resource's location, the line of
	// the field the finding is about (the first fact its rule requires that
	// has a line); 0 when not known.
	Line int `json:"line,omitempty"`
}

// Ref is the short identity of a resource as it appears in findings.
type Ref struct {
	ID       string   `json:"id"`
	Type     string   `json:"type"`
	Provider Provider `json:"provider"`
	Account  string   `json:"account"`
	Region   string   `json:"region"`
	Name     string   `json:"name"`
	// Tags are the resource's tags or labels (shared with the Resource,
	// not copied): playbooks route findings by them (owner, env).
	Tags map[string]string `json:"tags,omitempty"`
	// Location is where the resource is defined (IaC sources), nil otherwise.
	Location *Location `json:"location,omitempty"`
}

// Ref returns the resource's short identity.
func (r *Resource) Ref() Ref {
	return Ref{ID: r.ID, Type: r.Type, Provider: r.Provider, Account: r.Account, Region: r.Region, Name: r.Name, Tags: r.Tags, Location: r.Location}
}

// Bool returns a pointer to b, for filling optional facts.
func Bool(b bool) *bool { return &b }

// Int returns a pointer to i, for filling optional facts.
func Int(i int) *int { return &i }

// And is the conjunction of facts that may be unknown (nil): false when any
// is false, else unknown when any is unknown, else true.
func And(bs ...*bool) *bool {
	unknown := false
	for _, b := range bs {
		if b == nil {
			unknown = true
		} else if !*b {
			return Bool(false)
		}
	}
	if unknown {
		return nil
	}
	return Bool(true)
}

// Or is the disjunction of facts that may be unknown (nil): true when any
// is true, else unknown when any is unknown, else false.
func Or(bs ...*bool) *bool {
	unknown := false
	for _, b := range bs {
		if b == nil {
			unknown = true
		} else if *b {
			return Bool(true)
		}
	}
	if unknown {
		return nil
	}
	return Bool(false)
}

// Not negates a fact, keeping unknown (nil).
func Not(b *bool) *bool {
	if b == nil {
		return nil
	}
	return Bool(!*b)
}
