// Package tfmap maps evaluated Terraform resource instances, read from HCL
// or from plan and state JSON, to vigil's resource model: one class and
// typed facts per resource, split resources joined onto what they configure.
//
// Facts mean what the export importers' facts mean for the same native type
// (AWS::S3::Bucket, Microsoft.Storage/storageAccounts, ...), so the built-in
// rules judge Terraform as they judge live inventories. An absent argument
// takes the provider's documented default (what deploys with the current
// major version); a value known only after apply (Unknown) leaves the facts
// that depend on it nil, and a value of the wrong type is a problem naming
// the address and the attribute, with the same effect. References (Unknown
// Refs) and literal names and IDs are resolved within a root module: a
// bucket policy joins its bucket, an IAM member its bucket, a rule its group.
// A split resource whose parent is outside the configuration is judged on
// what it says alone (a rule opening SSH); data sources are not resources,
// but aws_iam_policy_document and google_iam_policy ones are read where a
// policy refers to them.
package tfmap
