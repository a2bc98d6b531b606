# METADATA
# title: "Service Bus or Event Hubs namespace accepts TLS below 1.2"
# description: "The namespace's minimum TLS version is 1.0 or 1.1, so clients may connect with deprecated protocol versions."
# scope: package
# custom:
#   id: queue-weak-tls
#   severity: MEDIUM
#   category: encryption
#   class: queue
#   providers: [azure]
#   requires: [facts.queue.min_tls_version]
#   remediation: "Set the namespace's minimumTlsVersion to 1.2."
#   frameworks:
#     soc2: ["CC6.7"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["4.2.1"]
#     hipaa: ["164.312(e)(1)"]
#     nist-800-53-r5: ["SC-8"]
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-02"]
package vigil.rules.queue_weak_tls

fail contains r.id if {
	some r in input.resources.queue
	is_string(r.facts.queue.min_tls_version) # what weak_tls requires, first: only these are converted for OPA
	weak_tls(r.facts.queue.min_tls_version)
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

message[r.id] := sprintf("minimum TLS version is %s", [r.facts.queue.min_tls_version]) if {
	some r in input.resources.queue
	r.id in fail
}
