// Package awsconfig imports AWS's own exports: AWS Config configuration
// snapshots, history files and `aws configservice` outputs (lists of
// ConfigurationItems), the IAM credential report CSV, and a few small CLI
// outputs (account password policy, EBS default encryption, VPC flow logs).
package awsconfig
