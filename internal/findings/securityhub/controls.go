package securityhub

// vigilRules maps Security Hub controls (SecurityControlId) to the vigil
// rule that checks the same thing, for merging the two findings on one
// resource into one.
var vigilRules = map[string]string{
	"CloudTrail.1": "aws-cloudtrail-not-multi-region",
	"CloudTrail.2": "aws-cloudtrail-not-encrypted-with-kms",
	"CloudTrail.4": "aws-cloudtrail-log-validation-disabled",
	"EC2.2":        "aws-default-security-group-not-restricted",
	"EC2.6":        "aws-vpc-flow-logs-disabled",
	"EC2.7":        "aws-ebs-default-encryption-disabled",
	"EC2.8":        "aws-ec2-imdsv1-allowed",
	"EKS.1":        "kubernetes-public-endpoint",
	"IAM.4":        "aws-root-access-keys",
	"IAM.5":        "aws-user-console-without-mfa",
	"IAM.7":        "aws-password-policy-weak",
	"IAM.8":        "identity-unused-credentials",
	"IAM.9":        "aws-root-mfa-disabled",
	"KMS.4":        "key-rotation-disabled",
	"RDS.2":        "database-public-endpoint",
	"RDS.3":        "database-unencrypted",
	"S3.1":         "aws-s3-account-public-access-block-disabled",
	"S3.5":         "storage-insecure-transport",
	"S3.8":         "storage-public-access-not-blocked",
	"S3.9":         "storage-access-logging-disabled",
}
