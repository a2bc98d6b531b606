// Package awsconfig imports AWS's own exports: AWS Config configuration
// snapshots, history files and `aws configservice` outputs (lists of
// ConfigurationItems), the IAM credential report CSV, and AWS CLI outputs
// (cli.go, collected.go: the ones `vigil collect` writes too).
package awsconfig
