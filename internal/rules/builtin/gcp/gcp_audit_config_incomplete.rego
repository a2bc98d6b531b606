# METADATA
# title: "Cloud Audit Logs do not cover all services"
# description: "The project's audit configuration does not enable DATA_READ, DATA_WRITE and ADMIN_READ logs for allServices."
# scope: package
# custom:
#   id: gcp-audit-config-incomplete
#   severity: MEDIUM
#   category: logging
#   class: audit_log
#   providers: [gcp]
#   requires: [facts.audit_log.all_services]
#   remediation: "Add an auditConfigs entry for service allServices with log types ADMIN_READ, DATA_READ and DATA_WRITE and no exempted members."
#   frameworks:
#     cis-gcp-5.0: ["2.1"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15"]
#     pci-dss-4.0: ["10.2.1"]
#     hipaa: ["164.312(b)"]
#     nist-800-53-r5: ["AU-2", "AU-12"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["PR.PS-04", "DE.CM-03"]
package vigil.rules.gcp_audit_config_incomplete

fail contains r.id if {
	some r in input.resources.audit_log
	r.facts.audit_log.all_services == false
}

message[id] := "audit logs are not enabled for all services and log types" if some id in fail
