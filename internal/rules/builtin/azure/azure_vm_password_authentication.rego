# METADATA
# title: "Linux virtual machine accepts SSH password logins"
# description: "The Linux VM or scale set has password authentication enabled (osProfile.linuxConfiguration.disablePasswordAuthentication false; Terraform disable_password_authentication = false): SSH accepts passwords, which can be guessed or reused, instead of keys only. Windows VMs are not judged."
# scope: package
# custom:
#   id: azure-vm-password-authentication
#   severity: MEDIUM
#   category: identity
#   class: compute
#   providers: [azure]
#   applies_to:
#     facts.compute.os_type: [linux, null]
#   requires: [facts.compute.password_authentication]
#   remediation: "Use SSH keys only: set disablePasswordAuthentication to true in the VM's (or scale set profile's) linuxConfiguration (Terraform: disable_password_authentication = true with an admin_ssh_key, no admin_password)."
#   frameworks:
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.5"]
#     pci-dss-4.0: ["8.3.1"]
#     nist-800-53-r5: ["IA-2", "IA-5"]
#     nist-csf-2.0: ["PR.AA-03"]
package vigil.rules.azure_vm_password_authentication

# (A comparison only: the engine evaluates the rule in Go.)
fail contains r.id if {
	some r in input.resources.compute
	r.facts.compute.password_authentication == true
}

message[id] := "SSH password authentication is enabled" if some id in fail
