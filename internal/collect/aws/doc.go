// Package awscollect collects a live AWS organization through the official
// SDK (aws-sdk-go-v2), read-only, into the exports the awsconfig importer
// reads: AWS Config snapshots, the IAM credential report and CLI outputs.
package awscollect
