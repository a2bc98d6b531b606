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

exposed_fw := {"facts": {"exposure": {
	"internet": true,
	"exposes": ["i-1", "i-2"],
	"paths": [
		{"protocol": "tcp", "family": "ipv4", "from_port": 22, "to_port": 22, "hops": []},
		{"protocol": "udp", "family": "ipv4", "from_port": 53, "to_port": 53, "hops": []},
	],
}}}

test_exposure_note_exposed_on_the_port if {
	net.exposure_note(exposed_fw, {22}) == "; effectively exposed: the internet reaches i-1, i-2 on tcp/22"
}

test_exposure_note_any_port_lists_every_path if {
	net.exposure_note(exposed_fw, set()) == "; effectively exposed: the internet reaches i-1, i-2 on tcp/22, udp/53"
}

test_exposure_note_other_ports_only if {
	net.exposure_note(exposed_fw, {3389}) == "; not effectively exposed on these ports: the internet reaches it on other ports only"
}

test_exposure_note_udp_path_is_not_a_tcp_port if {
	net.exposure_note(exposed_fw, {53}) == "; not effectively exposed on these ports: the internet reaches it on other ports only"
}

test_exposure_note_not_exposed if {
	startswith(net.exposure_note({"facts": {"exposure": {"internet": false}}}, {22}), "; not effectively exposed: no path")
}

test_exposure_note_undecided if {
	net.exposure_note({"facts": {"exposure": {"undecided": ["no route table"]}}}, {22}) == "; effective exposure undecided: no route table"
}

test_exposure_note_without_fact if {
	net.exposure_note({"facts": {}}, {22}) == ""
}

test_exposure_note_of_the_resource_itself if {
	vm := {"facts": {"exposure": {"internet": true, "paths": [{"protocol": "tcp", "from_port": 0, "to_port": 65535}]}}}
	net.exposure_note(vm, {3389}) == "; effectively exposed: the internet reaches it on tcp/0-65535"
}

test_reachable_on if {
	net.reachable_on(exposed_fw, {22, 3389})
	not net.reachable_on(exposed_fw, {3389})
	not net.reachable_on(exposed_fw, {53})
	not net.reachable_on({"facts": {"exposure": {"internet": false, "paths": [{"protocol": "tcp", "from_port": 22, "to_port": 22}]}}}, {22})
	net.reachable_on({"facts": {"exposure": {"undecided": ["an input problem"], "paths": [{"protocol": "tcp", "from_port": 22, "to_port": 22}]}}}, {22})
}
