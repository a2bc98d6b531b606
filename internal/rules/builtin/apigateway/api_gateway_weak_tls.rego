# METADATA
# title: "API gateway accepts TLS versions below 1.2"
# description: "The API Gateway custom domain uses the TLS_1_0 security policy, or the API Management gateway still accepts TLS 1.0 or 1.1, so clients may connect with deprecated protocol versions."
# scope: package
# custom:
#   id: api-gateway-weak-tls
#   severity: MEDIUM
#   category: encryption
#   class: api_gateway
#   providers: [aws, azure]
#   requires: [facts.api_gateway.min_tls_version]
#   remediation: "Use the TLS_1_2 security policy on API Gateway custom domains; disable TLS 1.0 and 1.1 (and the SSL 3.0 / weak ciphers) in the API Management protocol settings."
#   frameworks:
#     soc2: ["CC6.7"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["4.2.1"]
#     hipaa: ["164.312(e)(1)"]
#     nist-800-53-r5: ["SC-8"]
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-02"]
package vigil.rules.api_gateway_weak_tls

fail contains r.id if {
	some r in input.resources.api_gateway
	is_string(r.facts.api_gateway.min_tls_version) # what weak_tls requires, first: only these are converted for OPA
	weak_tls(r.facts.api_gateway.min_tls_version)
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

message[r.id] := sprintf("minimum TLS version is %s", [r.facts.api_gateway.min_tls_version]) if {
	some r in input.resources.api_gateway
	r.id in fail
}
