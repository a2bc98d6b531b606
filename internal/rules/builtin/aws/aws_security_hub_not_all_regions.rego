# METADATA
# title: "Security Hub is not enabled in every region in use"
# description: "A region holding the account's resources has no AWS Security Hub hub: its findings and security standard checks are not aggregated there. Known when the input holds a hub of the account in some region (aws securityhub describe-hub per region, or AWS::SecurityHub::Hub items); a region whose describe-hub output is absent counts as without a hub."
# scope: package
# custom:
#   id: aws-security-hub-not-all-regions
#   severity: MEDIUM
#   category: monitoring
#   class: account
#   providers: [aws]
#   requires: [facts.account.cis.security_hub_all_regions]
#   remediation: "Enable Security Hub in every region (aws securityhub enable-security-hub --region REGION), preferably from a delegated administrator with central configuration."
#   frameworks:
#     cis-aws-7.0: ["5.16"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.16"]
#     pci-dss-4.0: ["10.4"]
#     nist-800-53-r5: ["SI-4"]
#     nist-csf-2.0: ["DE.CM-09"]
package vigil.rules.aws_security_hub_not_all_regions

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.cis.security_hub_all_regions == false
}

message[r.id] := sprintf("Security Hub is not enabled in %s", [concat(", ", r.facts.account.cis.security_hub_missing_regions)]) if {
	some r in input.resources.account
	r.id in fail
}
