# METADATA
# title: Network helpers
# description: Shared helpers for firewall rules over the normalized facts.firewall.rules entries.
# scope: package
package vigil.lib.net

# Source addresses that mean "anywhere on the internet". Importers normalize
# "*", "Internet" and "Any" to both 0.0.0.0/0 and ::/0; the raw spellings are
# accepted too so custom importers and IaC input behave the same.
internet_sources := {"0.0.0.0/0", "::/0", "*", "Internet", "internet", "Any", "any", "0.0.0.0-255.255.255.255"}

# Protocol spellings that carry TCP traffic (AWS uses "-1" for all, "6" for TCP).
tcp_protocols := {"tcp", "TCP", "Tcp", "6", "all", "ALL", "All", "*", "-1"}

all_protocols := {"all", "ALL", "All", "*", "-1"}

# Protocols with ports (a full 0-65535 range of these opens every port;
# ICMP rules carry 0-65535 too but have no ports).
port_protocols := tcp_protocols | {"udp", "UDP", "Udp", "17"}

# internet_source(s) is true when the CIDR or tag s means any address.
internet_source(s) if s in internet_sources

# from_internet(r) is true when one of the rule's sources is the internet.
from_internet(r) if {
	some s in r.sources
	internet_source(s)
}

# active_ingress(r) is an enabled inbound rule.
active_ingress(r) if {
	r.direction == "ingress"
	not r.disabled == true
}

# covers_port(r, port) is true when a TCP (or all-protocol) rule's port range
# includes port. An all-protocol rule covers every port whatever its range.
covers_port(r, _) if r.protocol in all_protocols

covers_port(r, port) if {
	r.protocol in tcp_protocols
	is_number(r.from_port)
	is_number(r.to_port)
	r.from_port <= port
	port <= r.to_port
}

# port_range(r) is [from, to] of the ports a TCP or all-protocol rule
# admits (all protocols: 0-65535); undefined for other protocols.
port_range(r) := [0, 65535] if r.protocol in all_protocols

port_range(r) := [r.from_port, r.to_port] if {
	not r.protocol in all_protocols
	r.protocol in tcp_protocols
	is_number(r.from_port)
	is_number(r.to_port)
}

# covers_all_ports(r) is true for protocol "all" or a full 0-65535 TCP/UDP range.
covers_all_ports(r) if r.protocol in all_protocols

covers_all_ports(r) if {
	r.protocol in port_protocols
	is_number(r.from_port)
	is_number(r.to_port)
	r.from_port <= 0
	r.to_port >= 65535
}

# open_to_internet(r) is an enabled ingress allow rule from any address.
open_to_internet(r) if {
	active_ingress(r)
	r.action == "allow"
	from_internet(r)
}

# shadowed(rules, allow, port) is true when a deny rule that takes precedence
# (a lower priority number, as in Azure NSGs) blocks the same port from the
# internet before the allow rule is reached.
shadowed(rules, allow, port) if {
	some d in rules
	active_ingress(d)
	d.action == "deny"
	from_internet(d)
	covers_port(d, port)
	is_number(d.priority)
	is_number(allow.priority)
	d.priority > 0
	d.priority < allow.priority
}

# exposes_port(fw, port) is true when the firewall facts allow port from the internet.
exposes_port(fw, port) if {
	some r in fw.rules
	open_to_internet(r)
	covers_port(r, port)
	not shadowed(fw.rules, r, port)
}

# exposes_any_port(fw, ports) is true when any of ports is open from the internet.
# exposes_port's conditions, with the rule's own ones (open_to_internet) tested
# once per rule rather than once per port.
exposes_any_port(fw, ports) if {
	some r in fw.rules
	open_to_internet(r)
	some port in ports
	covers_port(r, port)
	not shadowed(fw.rules, r, port)
}

# exposed_ports(fw, ports) is the set of the given ports that the firewall
# facts allow from the internet.
exposed_ports(fw, ports) := {port | some port in ports; exposes_port(fw, port)}

# exposes_all_ports(fw) is true when an allow rule opens every port (or
# every protocol) from the internet.
exposes_all_ports(fw) if {
	some r in fw.rules
	open_to_internet(r)
	covers_all_ports(r)
	not shadowed(fw.rules, r, 0)
}

# rules_known(fw) is true when the firewall's rules were exported (an empty
# list means "no rules", a missing one means "not known").
rules_known(fw) if is_array(fw.rules)

# exposure_note(r, ports) says what reachability found for a resource
# flagged for TCP ports (the empty set: any port and protocol), from its
# facts.exposure (computed by vigil from routes, network ACLs, NSGs,
# firewalls, public IPs and listeners): effectively exposed and on what,
# not exposed, or undecided and why. "" when there is no exposure fact
# (IaC without its network, custom input): the rule's signal stands alone.
exposure_note(r, ports) := sprintf("; effectively exposed: the internet reaches %s on %s", [exposure_reaches(r), concat(", ", sort(reached))]) if {
	reached := reached_ports(r.facts.exposure, ports)
	count(reached) > 0
} else := sprintf("; not effectively exposed: no path from the internet reaches %s (unattached, no route to an internet gateway, or denied by a network ACL, NSG or firewall rule)", [exposure_subject(r)]) if {
	r.facts.exposure.internet == false
} else := "; not effectively exposed on these ports: the internet reaches it on other ports only" if {
	r.facts.exposure.internet == true
} else := sprintf("; effective exposure undecided: %s", [concat("; ", r.facts.exposure.undecided)]) if {
	count(r.facts.exposure.undecided) > 0
} else := ""

# exposure_subject(r): what a not-exposed note speaks of.
exposure_subject(r) := "a resource it filters" if {
	r.facts.firewall
} else := "it"

# exposure_reaches(r): what a firewall lets the internet reach, or "it"
# for the resource itself.
exposure_reaches(r) := concat(", ", r.facts.exposure.exposes) if {
	count(r.facts.exposure.exposes) > 0
} else := "it"

# reached_ports(e, ports) is the set of "tcp/22", "tcp/0-65535", "udp/53"
# ranges of the exposure e's paths that include one of the TCP ports (any
# path when ports is empty).
reached_ports(e, ports) := {sprintf("%s/%s", [p.protocol, port_text(p)]) |
	some p in e.paths
	path_hits(p, ports)
}

path_hits(_, ports) if count(ports) == 0

path_hits(p, ports) if {
	p.protocol == "tcp"
	some port in ports
	p.from_port <= port
	port <= p.to_port
}

port_text(p) := sprintf("%d", [p.from_port]) if p.from_port == p.to_port

port_text(p) := sprintf("%d-%d", [p.from_port, p.to_port]) if p.from_port != p.to_port

# reachable_on(r, ports) is true when the resource's exposure has a TCP path
# from the internet that includes one of ports. A path found stands even
# when the verdict is undecided (an input problem may hide other paths, not
# remove this one).
reachable_on(r, ports) if {
	not r.facts.exposure.internet == false
	some p in r.facts.exposure.paths
	path_hits(p, ports)
	count(ports) > 0
}

# first_path(r, ports) is "; path: hop -> hop" for the first exposure path
# of r that includes one of the TCP ports, naming what each hop allows.
first_path(r, ports) := sprintf("; path: %s", [concat(" -> ", [h.allows | some h in p.hops])]) if {
	paths := [p | some p in r.facts.exposure.paths; path_hits(p, ports); count(ports) > 0]
	count(paths) > 0
	p := paths[0]
} else := ""
