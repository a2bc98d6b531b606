// Package awsiam evaluates AWS IAM requests as AWS documents its policy
// evaluation logic (explicit deny, SCPs, RCPs, resource, identity, boundary
// and session policies) over an inventory's typed identity data.
package awsiam
