# METADATA
# title: "Instance is not a Confidential VM"
# description: "Confidential Computing is not enabled on the instance (no confidentialInstanceConfig, or enableConfidentialCompute false), so its memory is not encrypted in use with keys the CPU holds. Instances of a machine family that cannot run as a Confidential VM (only N2D, C2D, C3D, C3 and A3 can) are not judged."
# scope: package
# custom:
#   id: gcp-instance-confidential-computing-disabled
#   severity: LOW
#   category: encryption
#   class: compute
#   providers: [gcp]
#   requires: [facts.compute.confidential_computing]
#   remediation: "Recreate the instance on a machine type that supports Confidential VM (N2D, C2D, C3D, C3, ...) with --confidential-compute-type=SEV (or SEV_SNP, TDX)."
#   frameworks:
#     cis-gcp-5.0: ["4.11"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.24"]
#     nist-800-53-r5: ["SC-28"]
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-10"]
package vigil.rules.gcp_instance_confidential_computing_disabled

# Machine families that can run as a Confidential VM (AMD SEV / SEV-SNP,
# Intel TDX).
confidential_families := {"n2d", "c2d", "c3d", "c3", "a3"}

unsupported(r) if {
	is_string(r.facts.compute.machine_type)
	r.facts.compute.machine_type != ""
	not confidential_type(r.facts.compute.machine_type)
}

# confidential_type(mt): the machine type's family (before the first "-")
# is one of confidential_families. The engine computes it in Go (native.go:
# its text is fingerprinted there).
confidential_type(mt) if split(mt, "-")[0] in confidential_families

fail contains r.id if {
	some r in input.resources.compute
	r.facts.compute.confidential_computing == false
	not unsupported(r)
}

skip contains r.id if {
	some r in input.resources.compute
	unsupported(r)
}

message[id] := "Confidential Computing is not enabled" if some id in fail
