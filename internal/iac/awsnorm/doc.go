// Package awsnorm holds the readings of AWS settings that the Terraform
// and CloudFormation readers share once each has read its own syntax:
// CloudTrail S3 data event selectors and network ACL entries.
package awsnorm
