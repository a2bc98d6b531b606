# METADATA
# title: "Compute Engine disk is not encrypted with a customer-supplied key"
# description: "The persistent disk is encrypted with a Cloud KMS key or Google's, not with a key the organization supplies (CSEK) and Google never stores: Google, or anyone acting through the project's Cloud KMS, can decrypt it. CIS asks for CSEK on critical VMs' disks; vigil cannot tell which VMs are critical, so it reports every disk and leaves the others to a suppression."
# scope: package
# custom:
#   id: gcp-disk-no-csek
#   severity: LOW
#   category: encryption
#   class: disk
#   providers: [gcp]
#   applies_to:
#     type: [compute.googleapis.com/Disk, compute.googleapis.com/RegionDisk]
#   requires: [facts.disk.customer_supplied]
#   remediation: "Create the critical VMs' disks with a customer-supplied key (gcloud compute disks create DISK --csek-key-file=KEYS.json, or from a snapshot re-encrypted with it) and keep the keys outside Google Cloud; suppress the finding with the reason on disks of VMs that are not critical."
#   frameworks:
#     cis-gcp-5.0: ["4.7"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["3.6.1"]
#     nist-800-53-r5: ["SC-12", "SC-28"]
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-01"]
package vigil.rules.gcp_disk_no_csek

fail contains r.id if {
	some r in input.resources.disk
	r.facts.disk.customer_supplied == false
}

message[id] := "encrypted with a Cloud KMS or Google-managed key, not a customer-supplied one" if some id in fail
