# METADATA
# title: "RDS automatic minor version upgrade is disabled"
# description: "The RDS instance does not receive minor engine versions automatically, so security patches of the database engine are not applied."
# scope: package
# custom:
#   id: aws-rds-auto-minor-upgrade-disabled
#   severity: LOW
#   category: resilience
#   class: database
#   providers: [aws]
#   requires: [facts.database.auto_minor_upgrade]
#   remediation: "Enable AutoMinorVersionUpgrade on the instance (aws rds modify-db-instance --auto-minor-version-upgrade)."
#   frameworks:
#     cis-aws-7.0: ["3.2.2"]
#     soc2: ["CC7.1"]
#     iso27001-2022: ["A.8.8"]
#     pci-dss-4.0: ["6.3.3"]
#     nist-800-53-r5: ["SI-2"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.PS-02"]
package vigil.rules.aws_rds_auto_minor_upgrade_disabled

fail contains r.id if {
	some r in input.resources.database
	r.facts.database.auto_minor_upgrade == false
}

message[id] := "automatic minor version upgrade is disabled" if some id in fail
