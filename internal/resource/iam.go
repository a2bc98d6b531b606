package resource

// PolicyDocument is an AWS IAM policy document (identity, resource or trust
// policy) parsed into statements. A document that did not parse keeps its
// text in Raw and the reason in Error, and is never dropped.
type PolicyDocument struct {
	Version    string      `json:"version,omitempty"`
	ID         string      `json:"id,omitempty"`
	Statements []Statement `json:"statements"`
	// Error is why the document could not be parsed, "" when it parsed.
	Error string `json:"error,omitempty"`
	// Raw is the document text when it did not parse.
	Raw string `json:"raw,omitempty"`
}

// Statement is one statement of a policy document. Each list is as written,
// a single string becoming a one-element list.
type Statement struct {
	Sid          string      `json:"sid,omitempty"`
	Effect       string      `json:"effect"` // Allow | Deny
	Actions      []string    `json:"actions,omitempty"`
	NotActions   []string    `json:"not_actions,omitempty"`
	Resources    []string    `json:"resources,omitempty"`
	NotResources []string    `json:"not_resources,omitempty"`
	Principals   []Principal `json:"principals,omitempty"`
	// NotPrincipals are the principals a NotPrincipal element excludes.
	NotPrincipals []Principal `json:"not_principals,omitempty"`
	Conditions    []Condition `json:"conditions,omitempty"`
}

// Principal is one principal of a Principal element: Type is "*" for
// `"Principal": "*"`, else AWS, Service, Federated or CanonicalUser.
type Principal struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

// Condition is one key test of a Condition block: Operator such as
// StringEquals or ForAnyValue:StringLike (IfExists kept in the name).
type Condition struct {
	Operator string   `json:"operator"`
	Key      string   `json:"key"`
	Values   []string `json:"values"`
}

// NamedPolicy is a policy by name with its parsed document: an inline
// policy, or an organization policy (ID is then its resource ID).
type NamedPolicy struct {
	ID       string          `json:"id,omitempty"`
	Name     string          `json:"name"`
	Document *PolicyDocument `json:"document,omitempty"`
}

// Relationship types of the identity graph that no derivation reads.
const (
	// RelOwnedBy: an Entra application, service principal or group → a
	// principal that owns it (and so can add credentials or members).
	RelOwnedBy = "owned_by"
	// RelInstanceOf: an Entra service principal → its application.
	RelInstanceOf = "instance_of"
	// RelAttachedTo: an organization policy → a root, OU or account it is
	// attached to.
	RelAttachedTo = "attached_to"
	// RelGrantedTo: a binding → the principal it grants its role to (Entra
	// directory roles and application permissions).
	RelGrantedTo = "granted_to"
)

// OrgPolicy: an AWS Organizations authorization policy (class org_policy).
type OrgPolicy struct {
	// Kind: service_control_policy | resource_control_policy.
	Kind string `json:"kind"`
	// Managed is "aws" for an AWS-managed policy (FullAWSAccess), else "customer".
	Managed  string          `json:"managed,omitempty"`
	Document *PolicyDocument `json:"document,omitempty"`
	// Targets are the IDs of the roots, OUs and accounts the policy is
	// attached to (also RelAttachedTo).
	Targets []string `json:"targets,omitempty"`
	// Attached is true when the policy is attached somewhere, false when
	// the input lists no target, nil when it did not list them all.
	Attached *bool `json:"attached,omitempty"`
}

// OrgPolicies are the organization policies of one type over an AWS
// account, by level of the organization tree. A request is allowed only when
// at every level some policy allows it and no policy at any level denies it.
type OrgPolicies struct {
	// Applies is false when the policies do not restrict the account (the
	// organization's management account, or the policy type not enabled),
	// nil when unknown.
	Applies *bool `json:"applies,omitempty"`
	// Levels: the root, each OU down to the account's parent, the account.
	Levels []OrgPolicyLevel `json:"levels"`
	// Incomplete says why levels or policies may be missing (a parent or a
	// policy's targets not in the input): a deny found is certain, an
	// allow is not. Empty when the chain is complete.
	Incomplete []string `json:"incomplete,omitempty"`
}

// OrgPolicyLevel is one node of the tree (root, OU or the account) with the
// policies attached to it directly.
type OrgPolicyLevel struct {
	// Target is the resource ID of the root, OU or account.
	Target   string        `json:"target"`
	Policies []NamedPolicy `json:"policies"`
}

// ConditionalAccess: an Entra ID conditional access policy (class
// conditional_access). The lists hold object IDs, role template IDs and
// application IDs as Graph gives them ("All", "None", "GuestsOrExternalUsers"
// and "Office365" included); a list the input did not carry is nil.
type ConditionalAccess struct {
	// State: enabled | disabled | enabledForReportingButNotEnforced.
	State               string   `json:"state,omitempty"`
	IncludeUsers        []string `json:"include_users,omitempty"`
	ExcludeUsers        []string `json:"exclude_users,omitempty"`
	IncludeGroups       []string `json:"include_groups,omitempty"`
	ExcludeGroups       []string `json:"exclude_groups,omitempty"`
	IncludeRoles        []string `json:"include_roles,omitempty"`
	ExcludeRoles        []string `json:"exclude_roles,omitempty"`
	IncludeApplications []string `json:"include_applications,omitempty"`
	ExcludeApplications []string `json:"exclude_applications,omitempty"`
	// ClientAppTypes: all, browser, mobileAppsAndDesktopClients,
	// exchangeActiveSync, other (legacy authentication).
	ClientAppTypes []string `json:"client_app_types,omitempty"`
	// GrantControls are the built-in controls (mfa, block,
	// compliantDevice, ...); GrantOperator says whether all (AND) or one
	// (OR) of them is required.
	GrantControls []string `json:"grant_controls,omitempty"`
	GrantOperator string   `json:"grant_operator,omitempty"`
	// AuthenticationStrength is the ID of the authentication strength the
	// policy requires, "" when none.
	AuthenticationStrength string `json:"authentication_strength,omitempty"`
}
