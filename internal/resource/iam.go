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

// NamedPolicy is an inline policy: its name and parsed document.
type NamedPolicy struct {
	Name     string          `json:"name"`
	Document *PolicyDocument `json:"document,omitempty"`
}
