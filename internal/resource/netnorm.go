package resource

// The normal forms of FirewallRule fields, shared by every source: export
// importers and IaC readers write protocols, ports and sources the same way.

import (
	"net/netip"
	"strconv"
	"strings"
)

// Any-address forms of the clouds, normalized to both "0.0.0.0/0" and "::/0".
var anySource = map[string]bool{"*": true, "internet": true, "any": true, "0.0.0.0": true, "0.0.0.0/0": true, "::/0": true}

// NormSources normalizes firewall source addresses: "*", "Internet", "Any"
// and "0.0.0.0" become "0.0.0.0/0" and "::/0"; any other prefix of length 0
// ("34.15.11.3/0", which Azure and GCP accept as written) is every address of
// its family too and becomes "0.0.0.0/0" or "::/0"; other values are kept
// (service tags, CIDRs, host addresses). The result has no duplicates.
func NormSources(in []string) []string {
	out := make([]string, 0, len(in))
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, s := range in {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		l := strings.ToLower(s)
		switch {
		case l == "0.0.0.0/0":
			add("0.0.0.0/0")
		case l == "::/0":
			add("::/0")
		case anySource[l]:
			add("0.0.0.0/0")
			add("::/0")
		case strings.HasSuffix(l, "/0"):
			if pf, err := netip.ParsePrefix(l); err == nil && pf.Addr().Is4() {
				add("0.0.0.0/0")
			} else if err == nil {
				add("::/0")
			} else {
				add(s)
			}
		default:
			add(s)
		}
	}
	return out
}

// ParsePortRange parses "22", "1000-2000", "*" or "" (all). ok is false when the
// text is not a port or range.
func ParsePortRange(s string) (from, to int, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" || s == "*" {
		return 0, 65535, true
	}
	a, b, isRange := strings.Cut(s, "-")
	f, err := strconv.Atoi(strings.TrimSpace(a))
	if err != nil || f < 0 || f > 65535 {
		return 0, 0, false
	}
	if !isRange {
		return f, f, true
	}
	t, err := strconv.Atoi(strings.TrimSpace(b))
	if err != nil || t < f || t > 65535 {
		return 0, 0, false
	}
	return f, t, true
}

// NormProtocol normalizes a protocol name or number: "-1", "*", "all" -> "all";
// "6" -> "tcp", "17" -> "udp", "1" -> "icmp"; names are lower-cased.
func NormProtocol(p string) string {
	switch l := strings.ToLower(strings.TrimSpace(p)); l {
	case "-1", "*", "all", "any", "":
		return "all"
	case "6":
		return "tcp"
	case "17":
		return "udp"
	case "1":
		return "icmp"
	case "58":
		return "icmpv6"
	default:
		return l
	}
}

// PortedRules returns rule with its port range, as Azure NSG rules give
// both: a rule of any protocol ("*") over a narrower range than every port
// admits TCP and UDP on those ports only (ICMP has no ports), so it is two
// rules, tcp and udp; Protocol "all" keeps meaning every port of every
// protocol, as the AWS and GCP sources write it.
func PortedRules(rule FirewallRule) []FirewallRule {
	if rule.Protocol != "all" || (rule.FromPort <= 0 && rule.ToPort >= 65535) {
		return []FirewallRule{rule}
	}
	udp := rule
	rule.Protocol, udp.Protocol = "tcp", "udp"
	return []FirewallRule{rule, udp}
}
