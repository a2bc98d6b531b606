# METADATA
# title: "Managed database does not require TLS"
# description: "The database accepts unencrypted client connections, so queries, results and credentials may cross the network in clear text."
# scope: package
# custom:
#   id: database-ssl-not-required
#   severity: MEDIUM
#   category: encryption
#   class: database
#   providers: [aws, azure, gcp]
#   requires: [facts.database.ssl_required]
#   remediation: "Enforce SSL/TLS connections (Azure require_secure_transport / sslEnforcement=Enabled, Cloud SQL sslMode=ENCRYPTED_ONLY or requireSsl=true, ElastiCache TransitEncryptionEnabled with TransitEncryptionMode required, OpenSearch DomainEndpointOptions.EnforceHTTPS)."
#   frameworks:
#     cis-gcp-5.0: ["6.4"]
#     soc2: ["CC6.7"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["4.2.1"]
#     hipaa: ["164.312(e)(1)"]
#     nist-800-53-r5: ["SC-8"]
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-02"]
package vigil.rules.database_ssl_not_required

fail contains r.id if {
	some r in input.resources.database
	r.facts.database.ssl_required == false
}

# On AWS the fact is read for ElastiCache replication groups and OpenSearch
# domains only (an RDS database enforces TLS through its parameter group,
# which vigil does not read yet; DynamoDB answers over HTTPS alone): an AWS
# database without it is not judged, rather than UNKNOWN.
skip contains r.id if {
	some r in input.resources.database
	r.provider == "aws"
	not has_ssl_required(r)
}

has_ssl_required(r) if r.facts.database.ssl_required != null

message[id] := "unencrypted client connections are accepted" if some id in fail
