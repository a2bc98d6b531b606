# METADATA
# title: "AWS Config is not recording in every region in use"
# description: "A region holding the account's resources has no AWS Config configuration recorder, or its recorder is stopped: configuration changes there are not recorded. Known when the input holds the account's configuration recorders (vigil collect, or AWS Config's own AWS::Config::ConfigurationRecorder items)."
# scope: package
# custom:
#   id: aws-config-not-all-regions
#   severity: MEDIUM
#   category: logging
#   class: account
#   providers: [aws]
#   requires: [facts.account.cis.config_all_regions]
#   remediation: "Set up AWS Config in every region, recording all resource types (aws configservice put-configuration-recorder ... --recording-group allSupported=true,includeGlobalResourceTypes=true; put-delivery-channel; start-configuration-recorder), or deploy it to all regions with a StackSet or AWS Organizations."
#   frameworks:
#     cis-aws-7.0: ["4.3"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.9"]
#     pci-dss-4.0: ["10.2.1"]
#     nist-800-53-r5: ["CM-8", "CM-3"]
#     nist-csf-2.0: ["ID.AM-08"]
package vigil.rules.aws_config_not_all_regions

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.cis.config_all_regions == false
}

message[r.id] := sprintf("no recording AWS Config recorder in %s", [concat(", ", r.facts.account.cis.config_missing_regions)]) if {
	some r in input.resources.account
	r.id in fail
}
