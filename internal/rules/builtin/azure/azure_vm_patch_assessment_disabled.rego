# METADATA
# title: "Azure VM is not assessed periodically for missing OS updates"
# description: "The VM's patch assessment mode (osProfile windowsConfiguration or linuxConfiguration patchSettings.assessmentMode) is not AutomaticByPlatform, so Azure Update Manager and Defender for Cloud do not check its operating system for missing updates every 24 hours (the built-in policy 'Machines should be configured to periodically check for missing system updates'); unset is ImageDefault. A VM without an OS profile in the input (attached from a specialized disk) is UNKNOWN."
# scope: package
# custom:
#   id: azure-vm-patch-assessment-disabled
#   severity: LOW
#   category: resilience
#   class: compute
#   providers: [azure]
#   applies_to:
#     type: [Microsoft.Compute/virtualMachines]
#   requires: [facts.compute.patch_assessment]
#   remediation: "Set the VM's patch assessment mode to AutomaticByPlatform (az vm update --set osProfile.windowsConfiguration.patchSettings.assessmentMode=AutomaticByPlatform, or linuxConfiguration), or assign the policy 'Configure periodic checking for missing system updates on azure virtual machines' with a remediation task."
#   frameworks:
#     cis-azure-6.0: ["8.1.10"]
#     soc2: ["CC7.1"]
#     iso27001-2022: ["A.8.8"]
#     pci-dss-4.0: ["6.3.3"]
#     nist-800-53-r5: ["SI-2", "RA-5"]
#     nist-csf-2.0: ["ID.RA-01"]
package vigil.rules.azure_vm_patch_assessment_disabled

fail contains r.id if {
	some r in input.resources.compute
	r.type == "Microsoft.Compute/virtualMachines"
	r.facts.compute.patch_assessment == false
}

message[id] := "patch assessment mode is not AutomaticByPlatform: missing OS updates are not assessed periodically" if some id in fail
