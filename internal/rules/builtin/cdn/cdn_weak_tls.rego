# METADATA
# title: "CDN accepts TLS versions below 1.2 from viewers"
# description: "The CloudFront distribution's viewer certificate security policy, the Front Door custom domain's minimum TLS version or the Cloud CDN frontend's SSL policy allows TLS 1.0 or 1.1."
# scope: package
# custom:
#   id: cdn-weak-tls
#   severity: MEDIUM
#   category: encryption
#   class: cdn
#   providers: [aws, azure, gcp]
#   requires: [facts.cdn.min_tls_version]
#   remediation: "Use TLSv1.2_2021 (or later) as the CloudFront minimum protocol version, minimum TLS 1.2 on Front Door custom domains, and a GCP SSL policy with min TLS 1.2 on the target HTTPS proxy."
#   frameworks:
#     cis-gcp-5.0: ["3.11"]
#     soc2: ["CC6.7"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["4.2.1"]
#     hipaa: ["164.312(e)(1)"]
#     nist-800-53-r5: ["SC-8"]
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-02"]
package vigil.rules.cdn_weak_tls

fail contains r.id if {
	some r in input.resources.cdn
	is_string(r.facts.cdn.min_tls_version) # what weak_tls requires, first: only these are converted for OPA
	weak_tls(r.facts.cdn.min_tls_version)
}

# weak_tls(v) is true for a minimum TLS version below 1.2 ("1.0", "1.1",
# and the raw spellings TLS1_0, TLSv1.1, ...).
weak_tls(v) if {
	is_string(v)
	n := tls_number(v)
	n < 1.2
}

tls_number(v) := to_number(m) if {
	m := regex.replace(upper(v), `^(TLS)?V?_?`, "")
	regex.match(`^[0-9]+(\.[0-9]+)?$`, m)
} else := to_number(concat(".", split(m, "_"))) if {
	m := regex.replace(upper(v), `^(TLS)?V?_?`, "")
	regex.match(`^[0-9]+_[0-9]+$`, m)
}

message[r.id] := sprintf("minimum viewer TLS version is %s", [r.facts.cdn.min_tls_version]) if {
	some r in input.resources.cdn
	r.id in fail
}
