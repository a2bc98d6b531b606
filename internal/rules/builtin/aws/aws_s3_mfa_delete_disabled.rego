# METADATA
# title: "S3 bucket does not require MFA to delete object versions"
# description: "MFA delete is off in the bucket's versioning configuration (isMfaDeleteEnabled false), so whoever holds the bucket owner's credentials can permanently delete object versions or suspend versioning without a second factor. Only the root user can enable it, with its MFA device. isMfaDeleteEnabled null (what AWS Config and vigil collect write when GetBucketVersioning returns no MFADelete element: the bucket was never configured with MFA delete) is off too; a bucket whose versioning configuration was not read is UNKNOWN."
# scope: package
# custom:
#   id: aws-s3-mfa-delete-disabled
#   severity: LOW
#   category: resilience
#   class: object_storage
#   providers: [aws]
#   applies_to:
#     type: [AWS::S3::Bucket]
#   requires: [facts.storage.delete_protection]
#   remediation: "As the root user with its MFA device, enable versioning with MFA delete (aws s3api put-bucket-versioning --bucket BUCKET --versioning-configuration Status=Enabled,MFADelete=Enabled --mfa 'SERIAL CODE'), on the buckets whose versions must survive a credential compromise."
#   frameworks:
#     cis-aws-7.0: ["3.1.2"]
#     soc2: ["A1.2"]
#     iso27001-2022: ["A.8.13"]
#     nist-800-53-r5: ["CP-9"]
#     gdpr: ["Art.32(1)(c)"]
#     nist-csf-2.0: ["PR.DS-11"]
package vigil.rules.aws_s3_mfa_delete_disabled

fail contains r.id if {
	some r in input.resources.object_storage
	r.type == "AWS::S3::Bucket"
	r.facts.storage.delete_protection == false
}

message[id] := "MFA delete is not enabled" if some id in fail
