package vigil.lib.net_test

import data.vigil.lib.net

test_internet_sources if {
	net.internet_source("0.0.0.0/0")
	net.internet_source("::/0")
	not net.internet_source("10.0.0.0/8")
}

test_covers_port_tcp_range if {
	net.covers_port({"protocol": "tcp", "from_port": 20, "to_port": 25}, 22)
	not net.covers_port({"protocol": "tcp", "from_port": 23, "to_port": 25}, 22)
	not net.covers_port({"protocol": "udp", "from_port": 0, "to_port": 65535}, 22)
}

test_covers_port_all_protocols if {
	net.covers_port({"protocol": "all", "from_port": 0, "to_port": 0}, 3389)
	net.covers_port({"protocol": "-1"}, 22)
}

test_exposes_port_ignores_egress_deny_and_disabled if {
	fw := {"rules": [
		{"direction": "egress", "action": "allow", "protocol": "tcp", "from_port": 22, "to_port": 22, "sources": ["0.0.0.0/0"]},
		{"direction": "ingress", "action": "deny", "protocol": "tcp", "from_port": 22, "to_port": 22, "sources": ["0.0.0.0/0"]},
		{"direction": "ingress", "action": "allow", "protocol": "tcp", "from_port": 22, "to_port": 22, "sources": ["0.0.0.0/0"], "disabled": true},
		{"direction": "ingress", "action": "allow", "protocol": "tcp", "from_port": 22, "to_port": 22, "sources": ["10.0.0.0/8"]},
	]}
	not net.exposes_port(fw, 22)
}

test_exposes_port_open if {
	net.exposes_port({"rules": [{"direction": "ingress", "action": "allow", "protocol": "tcp", "from_port": 0, "to_port": 1024, "sources": ["::/0"]}]}, 22)
}

test_deny_with_higher_precedence_shadows_allow if {
	fw := {"rules": [
		{"direction": "ingress", "action": "deny", "protocol": "all", "from_port": 0, "to_port": 65535, "sources": ["0.0.0.0/0", "::/0"], "priority": 100},
		{"direction": "ingress", "action": "allow", "protocol": "tcp", "from_port": 22, "to_port": 22, "sources": ["0.0.0.0/0", "::/0"], "priority": 200},
	]}
	not net.exposes_port(fw, 22)
	not net.exposes_all_ports(fw)
}

test_deny_with_lower_precedence_does_not_shadow if {
	net.exposes_port(
		{"rules": [
			{"direction": "ingress", "action": "deny", "protocol": "all", "from_port": 0, "to_port": 65535, "sources": ["0.0.0.0/0"], "priority": 4000},
			{"direction": "ingress", "action": "allow", "protocol": "tcp", "from_port": 22, "to_port": 22, "sources": ["0.0.0.0/0"], "priority": 200},
		]},
		22,
	)
}

test_exposes_all_ports if {
	net.exposes_all_ports({"rules": [{"direction": "ingress", "action": "allow", "protocol": "tcp", "from_port": 0, "to_port": 65535, "sources": ["0.0.0.0/0"]}]})
	not net.exposes_all_ports({"rules": [{"direction": "ingress", "action": "allow", "protocol": "tcp", "from_port": 1, "to_port": 1024, "sources": ["0.0.0.0/0"]}]})
}

test_rules_known if {
	net.rules_known({"rules": []})
	not net.rules_known({})
	not net.rules_known({"rules": null})
}

test_port_range if {
	net.port_range({"protocol": "all", "from_port": 0, "to_port": 0}) == [0, 65535]
	net.port_range({"protocol": "tcp", "from_port": 20, "to_port": 25}) == [20, 25]
	not net.port_range({"protocol": "udp", "from_port": 20, "to_port": 25})
	not net.port_range({"protocol": "tcp"})
}

test_icmp_full_range_is_not_all_ports if {
	not net.exposes_all_ports({"rules": [{"direction": "ingress", "action": "allow", "protocol": "icmp", "from_port": 0, "to_port": 65535, "sources": ["0.0.0.0/0"]}]})
	net.exposes_all_ports({"rules": [{"direction": "ingress", "action": "allow", "protocol": "udp", "from_port": 0, "to_port": 65535, "sources": ["0.0.0.0/0"]}]})
}
