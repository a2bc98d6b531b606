# METADATA
# title: "Root user has no hardware MFA device"
# description: "The AWS account root user's MFA is not a hardware device: the credential report says root has no MFA, or the account's virtual MFA devices (aws iam list-virtual-mfa-devices) include root's (serial mfa/root-account-mfa-device or user ARN :root). A virtual device lives on a phone or computer that can be lost, compromised or backed up elsewhere. Known when the input holds the credential report and, for a root user with MFA, the whole list of virtual MFA devices."
# scope: package
# custom:
#   id: aws-root-hardware-mfa-missing
#   severity: MEDIUM
#   category: identity
#   class: account
#   providers: [aws]
#   requires: [facts.account.cis.root_hardware_mfa]
#   remediation: "Sign in as the root user, register a FIDO security key or hardware TOTP token as its MFA device (IAM console > Security credentials), then deactivate and delete the virtual device; or centralize root access in AWS Organizations and remove the member accounts' root credentials."
#   frameworks:
#     cis-aws-7.0: ["2.6"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.5"]
#     pci-dss-4.0: ["8.4.1"]
#     nist-800-53-r5: ["IA-2(1)"]
#     nist-csf-2.0: ["PR.AA-03"]
package vigil.rules.aws_root_hardware_mfa_missing

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.cis.root_hardware_mfa == false
}

message[id] := "the root user has no hardware MFA device (none, or a virtual one)" if some id in fail
