package tfmap

import "github.com/vigil-sec/vigil/internal/resource"

// Instance is one evaluated Terraform resource instance: a resource block
// after count/for_each expansion, or one resource of a plan or state.
type Instance struct {
	// Type is the Terraform resource type (aws_s3_bucket), Name its block
	// label and Address its full address (module.x.aws_s3_bucket.y["k"]).
	Type, Name, Address string
	// Mode is "managed" for resource blocks, "data" for data sources.
	Mode string
	// Attrs are the evaluated arguments. Values are string, float64, bool,
	// nil, []any and map[string]any; a nested block is always a []any of
	// map[string]any (one element per block), as in plan JSON; a value not
	// known before apply is an Unknown.
	Attrs map[string]any
	// Region is the region or location of the provider configuration that
	// manages the resource, "" when not known.
	Region string
	// Account is the account (AWS account ID, Azure subscription, GCP
	// project) the provider configuration managing the resource deploys
	// to, "" when it does not say.
	Account string `json:",omitempty"`
	// DefaultTags are the tags (AWS provider default_tags) or labels
	// (Google provider default_labels) the provider configuration adds to
	// every resource it manages; the resource's own win.
	DefaultTags map[string]any `json:",omitempty"`
	// Location is where the resource block is (File relative to the
	// scanned root, lines, Address, module call sites).
	Location resource.Location
	// Written says, for top-level arguments named like a credential
	// (password, admin_password...) whose value is a known string,
	// whether that value is written in the configuration's own files (a
	// literal, a variable default, terraform.tfvars) rather than supplied
	// at scan time or read from a resource, data source or secret store.
	// An argument not in it (all of them in a plan or state without the
	// configuration) has an unknown provenance.
	Written map[string]bool `json:",omitempty"`
}

// Unknown is a value that cannot be known before apply (a computed
// attribute, a variable without a value). Refs are the addresses of the
// resources the expression refers to (aws_s3_bucket.b, module.m.aws_kms_key.k["x"]),
// so a split resource whose bucket = aws_s3_bucket.b.id can be joined onto
// aws_s3_bucket.b although the ID itself is unknown.
type Unknown struct {
	Refs []string
	// Text is a string template (a user_data heredoc) with its known
	// parts filled in and the others written ${...}, when the reader has
	// it; "" otherwise.
	Text string `json:",omitempty"`
}
