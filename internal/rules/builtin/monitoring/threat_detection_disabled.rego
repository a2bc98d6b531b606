# METADATA
# title: "Threat detection service is not enabled"
# description: "GuardDuty (AWS), Microsoft Defender for Cloud plans (Azure) or Security Command Center (GCP) is not enabled for the account, so known attack patterns go undetected. AWS: read from AWS::GuardDuty::Detector items or aws guardduty list-detectors per region, saved in a file whose name has the region (vigil collect writes them)."
# scope: package
# custom:
#   id: threat-detection-disabled
#   severity: MEDIUM
#   category: monitoring
#   class: account
#   providers: [aws, azure, gcp]
#   requires: [facts.account.threat_detection]
#   remediation: "Enable GuardDuty in every region / turn on Microsoft Defender for Cloud plans / activate Security Command Center for the project or organization."
#   frameworks:
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.16"]
#     pci-dss-4.0: ["11.5.1"]
#     hipaa: ["164.308(a)(1)(ii)(D)"]
#     nist-800-53-r5: ["SI-4"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["DE.CM-09", "DE.AE-02"]
package vigil.rules.threat_detection_disabled

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.threat_detection == false
}

message[id] := "no threat detection service is enabled" if some id in fail
