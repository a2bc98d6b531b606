// Package awsrespond is vigil respond's AWS remediation: S3 block public
// access and public bucket-policy statements, IAM access keys and attached
// policies, EC2 instance quarantine and security group rules, through the
// official SDK clients, each action planned, idempotent and reversible.
package awsrespond
