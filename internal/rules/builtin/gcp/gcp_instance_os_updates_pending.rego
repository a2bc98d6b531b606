# METADATA
# title: "VM has OS updates available that are not installed"
# description: "The VM's OS inventory, which VM Manager's OS Config agent reports, lists package updates available and not installed: the VM does not run the latest operating system updates, security fixes included (CIS GCP 5.0 4.12, Manual). Read from the VMs' OS inventories (a Cloud Asset Inventory export of the os-inventory content type, gcloud asset export --content-type=os-inventory, which vigil collect writes as gcp/PROJECT/os_inventory.json); a VM without an inventory (VM Manager not enabled through the enable-osconfig metadata, the agent not running, or the content not exported) is UNKNOWN."
# scope: package
# custom:
#   id: gcp-instance-os-updates-pending
#   severity: MEDIUM
#   category: resilience
#   class: compute
#   providers: [gcp]
#   applies_to:
#     type: [compute.googleapis.com/Instance]
#   requires: [facts.compute.os_updates_pending]
#   remediation: "Install the available updates (a VM Manager patch job: gcloud compute os-config patch-jobs execute --instance-filter-names=zones/ZONE/instances/VM, or a patch deployment on a schedule), and keep VM Manager enabled (metadata enable-osconfig=TRUE) so the inventory keeps reporting."
#   frameworks:
#     cis-gcp-5.0: ["4.12"]
#     soc2: ["CC7.1"]
#     iso27001-2022: ["A.8.8"]
#     pci-dss-4.0: ["6.3.3"]
#     hipaa: ["164.308(a)(1)(ii)(B)"]
#     nist-800-53-r5: ["SI-2"]
#     nist-csf-2.0: ["PR.PS-02"]
package vigil.rules.gcp_instance_os_updates_pending

fail contains r.id if {
	some r in input.resources.compute
	r.type == "compute.googleapis.com/Instance"
	r.facts.compute.os_updates_pending > 0
}

message[r.id] := sprintf("%d OS package updates are available and not installed (VM Manager's OS inventory)", [r.facts.compute.os_updates_pending]) if {
	some r in input.resources.compute
	r.id in fail
}
