# METADATA
# title: "IoT hubs without Microsoft Defender for IoT"
# description: "An IoT hub (Microsoft.Devices/IotHubs) of the subscription is not protected by Microsoft Defender for IoT: no enabled IoT security solution (Microsoft.Security/iotSecuritySolutions, a row of Resource Graph's resources table that onboarding the hub in the portal's Defender for IoT blade creates) lists it in properties.iotHubs, so the devices' and the hub's security recommendations and threat detections are not raised (CIS Azure 6.0 8.2.1, Manual). A solution in another subscription of the input counts. A subscription without IoT hubs is not judged; when a solution row of the input could not be read the subscription is UNKNOWN."
# scope: package
# custom:
#   id: azure-defender-iot-hub-disabled
#   severity: MEDIUM
#   category: monitoring
#   class: account
#   providers: [azure]
#   applies_to:
#     facts.account.cis.iot_hub: [true]
#   requires: [facts.account.cis.iot_hubs_defender]
#   remediation: "Enable Defender for IoT on each hub: IoT Hub > Defender for IoT > Overview > Secure your IoT solution (or create a Microsoft.Security/iotSecuritySolutions resource listing the hub's ID in iotHubs, with status Enabled: Set-AzIotSecuritySolution, Terraform azurerm_iot_security_solution)."
#   frameworks:
#     cis-azure-6.0: ["8.2.1"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.16"]
#     nist-800-53-r5: ["SI-4"]
#     nist-csf-2.0: ["DE.CM-01", "DE.CM-09"]
package vigil.rules.azure_defender_iot_hub_disabled

fail contains r.id if {
	some r in input.resources.account
	r.provider == "azure"
	r.facts.account.cis.iot_hubs_defender == false
}

message[r.id] := sprintf("IoT hubs without Defender for IoT: %s", [concat(", ", r.facts.account.cis.iot_hubs_without_defender)]) if {
	some r in input.resources.account
	r.id in fail
}
