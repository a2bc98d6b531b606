# METADATA
# title: "Expired SSL/TLS server certificates are stored in IAM"
# description: "An IAM server certificate of the account has expired: it can still be deployed to a load balancer or CloudFront by mistake, breaking TLS for its clients. Known when the input holds the account's whole certificate listing: aws iam list-server-certificates saved as aws/ACCOUNT/cli/iam-list-server-certificates.json (vigil collect writes it, an empty list included: an account without any passes), or AWS::IAM::ServerCertificate items (expiry from Expiration or the certificate body); a listing cut short still fails on an expired certificate it holds."
# scope: package
# custom:
#   id: aws-iam-expired-server-certificate
#   severity: LOW
#   category: encryption
#   class: account
#   providers: [aws]
#   requires: [facts.account.cis.server_certificates_listed]
#   remediation: "Delete the expired certificates (aws iam delete-server-certificate --server-certificate-name NAME) after checking nothing uses them; prefer AWS Certificate Manager, which renews them."
#   frameworks:
#     cis-aws-7.0: ["2.17"]
#     soc2: ["CC6.7"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["4.2.1"]
#     nist-800-53-r5: ["SC-12"]
#     nist-csf-2.0: ["PR.DS-02"]
package vigil.rules.aws_iam_expired_server_certificate

import data.vigil.lib.time as t

expired(r) := [c.name |
	some c in r.facts.account.cis.server_certificates
	t.valid(c.expiration)
	time.parse_rfc3339_ns(c.expiration) < t.now_ns
]

fail contains r.id if {
	some r in input.resources.account
	count(expired(r)) > 0
}

message[r.id] := sprintf("expired server certificates: %s", [concat(", ", sort(expired(r)))]) if {
	some r in input.resources.account
	r.id in fail
}
