# METADATA
# title: "Internet-facing load balancer serves plain HTTP"
# description: "An internet-facing load balancer (ALB/CLB, Application Gateway, GCP external HTTP load balancer) has an HTTP listener that serves requests instead of redirecting them to HTTPS, so traffic and session cookies cross the internet unencrypted. An HTTP listener that redirects to HTTPS, and internal load balancers, are not reported."
# scope: package
# custom:
#   id: lb-http-listener
#   severity: MEDIUM
#   category: encryption
#   class: load_balancer
#   providers: [aws, azure, gcp]
#   requires: [facts.load_balancer.public, facts.load_balancer.http_listener]
#   remediation: "Change the HTTP listener's default action to a redirect to HTTPS (ALB redirect action, Application Gateway redirect configuration, GCP URL map httpsRedirect), or remove it and serve HTTPS only."
#   frameworks:
#     soc2: ["CC6.7"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["4.2.1"]
#     hipaa: ["164.312(e)(1)"]
#     nist-800-53-r5: ["SC-8"]
package vigil.rules.lb_http_listener

fail contains r.id if {
	some r in input.resources.load_balancer
	r.facts.load_balancer.public == true
	serves_http(r.facts.load_balancer)
}

serves_http(lb) if lb.http_listener == true

serves_http(lb) if {
	some l in lb.listeners
	upper(l.protocol) == "HTTP"
	l.redirects_to_https == false
}

message[id] := "an internet-facing HTTP listener serves requests without redirecting to HTTPS" if some id in fail
