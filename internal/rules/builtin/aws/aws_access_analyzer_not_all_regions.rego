# METADATA
# title: "IAM Access Analyzer is not enabled in every region in use"
# description: "A region holding the account's resources has no active IAM Access Analyzer analyzer: resources shared outside the account or organization there go unnoticed. Known when the input holds an analyzer of the account in some region (AWS::AccessAnalyzer::Analyzer items). Also read from aws accessanalyzer list-analyzers per region, saved as accessanalyzer-list-analyzers.<region>.json (an empty list is a region without one; vigil collect writes them)."
# scope: package
# custom:
#   id: aws-access-analyzer-not-all-regions
#   severity: MEDIUM
#   category: identity
#   class: account
#   providers: [aws]
#   requires: [facts.account.cis.access_analyzer_all_regions]
#   remediation: "Create an external access analyzer in every region (aws accessanalyzer create-analyzer --analyzer-name default --type ACCOUNT --region REGION; ORGANIZATION from the delegated administrator)."
#   frameworks:
#     cis-aws-7.0: ["2.18"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.5.15"]
#     pci-dss-4.0: ["7.2"]
#     nist-800-53-r5: ["AC-6"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.aws_access_analyzer_not_all_regions

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.cis.access_analyzer_all_regions == false
}

message[r.id] := sprintf("no active IAM Access Analyzer in %s", [concat(", ", r.facts.account.cis.access_analyzer_missing_regions)]) if {
	some r in input.resources.account
	r.id in fail
}
