// Package awsiam evaluates AWS IAM requests the way AWS documents its policy
// evaluation logic (explicit deny, SCPs and RCPs down the organization tree,
// resource-based policies, identity policies, permission boundaries and
// session policies), over policies compiled once, and answers what the
// identity graph asks: is this principal allowed this action on this
// resource, and which of these actions can it perform on some resource.
package awsiam
