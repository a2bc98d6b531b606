package vigil.rules.lb_http_listener_test

import data.vigil.rules.lb_http_listener as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"load_balancer": [{"id": "r1", "provider": provider, "type": type, "facts": {"load_balancer": facts}}]}}

test_fail_alb_http_forward if {
	"r1" in rule.fail with input as one("aws", {"public": true, "http_listener": true, "listeners": [{"protocol": "HTTP", "port": 80, "redirects_to_https": false}]})
}

test_fail_app_gateway_port_80 if {
	"r1" in rule.fail with input as one("azure", {"public": true, "http_listener": true})
}

test_fail_listener_without_redirect if {
	"r1" in rule.fail with input as one("gcp", {"public": true, "http_listener": false, "listeners": [{"protocol": "HTTP", "port": 80, "redirects_to_https": false}]})
}

test_pass_http_redirects_to_https if {
	inp := one("aws", {"public": true, "http_listener": false, "listeners": [{"protocol": "HTTP", "port": 80, "redirects_to_https": true}, {"protocol": "HTTPS", "port": 443, "min_tls_version": "1.2"}]})
	not "r1" in rule.fail with input as inp
}

test_pass_internal_http if {
	inp := one("azure", {"public": false, "http_listener": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_scheme_not_exported if {
	inp := one("gcp", {"http_listener": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_listeners_not_judged if {
	inp := one("aws", {"public": true})
	not "r1" in rule.fail with input as inp
}
