package drift

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// Categories of changed attributes.
const (
	catEncryption = "encryption"
	catPublic     = "public-access"
	catNetwork    = "network"
	catIAM        = "iam"
	catLogging    = "logging"
	catVersioning = "versioning"
	catProtection = "data-protection"
	catConfig     = "configuration"
)

// diff is one fact both sides know with different values.
type diff struct {
	path, category string
	iac, live      any
	// detail adds to the message (the firewall rules only one side has).
	detail string
	// direction is Weaker when the live value is less secure than the
	// IaC's, Stricter when it is more, "" when that cannot be told.
	direction string
}

// Directions of a change (Finding.Direction).
const (
	Weaker   = "weaker"
	Stricter = "stricter"
)

// goodWhenTrue and badWhenTrue are the boolean facts whose true value is
// the secure one, and those whose true value is the exposed one, by
// their name (the last element of the path).
var (
	goodWhenTrue = map[string]bool{
		"encrypted": true, "public_access_blocked": true, "versioning": true, "access_logging": true,
		"secure_transport_only": true, "uniform_access": true, "delete_protection": true, "network_default_deny": true,
		"disk_encrypted": true, "metadata_v2_required": true, "secure_boot": true, "backup_enabled": true,
		"ssl_required": true, "auditing_enabled": true, "deletion_protection": true, "rotation_enabled": true,
		"multi_region": true, "all_services": true, "file_validation": true, "encrypted_with_cmk": true,
		"soft_delete": true, "purge_protection": true, "rbac_authorization": true, "flow_logs": true, "mfa_enabled": true,
	}
	badWhenTrue = map[string]bool{
		"public_access": true, "public_endpoint": true, "public_ip": true, "public_ipv6": true, "public_network": true, "ip_forwarding": true,
		"serial_port_enabled": true, "default_service_account": true, "default_service_account_full_access": true,
		"admin": true, "privileged": true, "public": true, "primitive": true, "console_access": true, "destination_public": true,
	}
)

// directionOf says whether the live value is weaker or stricter than the
// IaC's where the fact's meaning tells.
func directionOf(path string, iac, live any) string {
	leaf := path[strings.LastIndexByte(path, '.')+1:]
	l, isBool := live.(bool)
	switch {
	case isBool && goodWhenTrue[leaf]:
		return map[bool]string{true: Stricter, false: Weaker}[l]
	case isBool && badWhenTrue[leaf]:
		return map[bool]string{true: Weaker, false: Stricter}[l]
	case leaf == "key_manager":
		if live == "customer" {
			return Stricter
		}
		return Weaker
	case strings.HasPrefix(path, "firewall.") && (leaf == "ingress" || leaf == "egress"):
		a, b := set(iac), set(live)
		looser, tighter := false, false
		for r := range b {
			if !a[r] {
				looser = looser || strings.HasPrefix(r, "allow ")
				tighter = tighter || strings.HasPrefix(r, "deny ")
			}
		}
		for r := range a {
			if !b[r] {
				tighter = tighter || strings.HasPrefix(r, "allow ")
				looser = looser || strings.HasPrefix(r, "deny ")
			}
		}
		switch {
		case looser && !tighter:
			return Weaker
		case tighter && !looser:
			return Stricter
		}
	}
	return ""
}

// ignored are facts not compared: the state of the resource rather than
// its configuration (in use, last activity, keys and their ages, running
// state), what only one kind of source can know (credentials written in
// the source), and identifiers whose form differs between sources for the
// same value (a role name and its ARN).
var ignored = map[string]bool{
	"firewall.in_use": true, "firewall.default": true,
	"identity.kind": true, "identity.last_activity": true, "identity.password_last_used": true,
	"identity.access_keys": true, "identity.access_keys_known": true, "identity.policy_errors": true,
	"identity.instance_profiles": true,
	"compute.state":              true, "compute.identity": true, "compute.user_data_secrets": true, "compute.user_data_secret_names": true,
	"database.credentials_in_source": true, "database.credential_arguments": true, "database.engine": true,
	"key.expires":       true,
	"binding.principal": true, "binding.principal_type": true, "binding.role": true, "binding.role_name": true, "binding.scope": true,
	"binding.scope_level":   true,
	"audit_log.destination": true,
	"role.role_name":        true, "role.stage": true,
}

// compareFacts returns the facts of r (IaC) and l (inventory) that both
// know and that differ, in path order. Facts are compared as rules read
// them (the JSON form of the class's facts, and the resource policy):
// lists as sets, firewall rules per direction as sets of single-source
// rules, so an IPv4 and an IPv6 range written as one rule or two compare
// equal.
func compareFacts(r, l *resource.Resource) []diff {
	a, b := flatten(r), flatten(l)
	paths := make([]string, 0, len(a))
	for p := range a {
		if _, both := b[p]; both {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	var out []diff
	for _, p := range paths {
		x, y := a[p], b[p]
		if reflect.DeepEqual(x, y) {
			continue
		}
		d := diff{path: p, category: categoryOf(p), iac: x, live: y, direction: directionOf(p, x, y)}
		if strings.HasPrefix(p, "firewall.") && (strings.HasSuffix(p, ".ingress") || strings.HasSuffix(p, ".egress")) {
			d.detail = ruleDetail(x, y)
		}
		out = append(out, d)
	}
	return out
}

// flatten returns the leaf facts of r's class and its resource policy by
// path; unknown facts (nil, an empty string) are left out.
func flatten(r *resource.Resource) map[string]any {
	out := map[string]any{}
	k := resource.FactsKey(r.Class)
	i, found := factsField[k]
	if !found {
		return out
	}
	if v := reflect.ValueOf(r.Facts).Field(i); !v.IsNil() {
		var sub map[string]any
		if b, err := json.Marshal(v.Interface()); err == nil && json.Unmarshal(b, &sub) == nil {
			walk(k, sub, out)
		}
	}
	if rp := r.Facts.ResourcePolicy; rp != nil {
		var m map[string]any
		if b, err := json.Marshal(rp); err == nil && json.Unmarshal(b, &m) == nil {
			if st, ok := m["statements"]; ok {
				out["resource_policy"] = canonList(st)
			}
		}
	}
	return out
}

// factsField maps a facts key (storage, firewall...) to the index of its
// field in resource.Facts, so that only the class's own facts are encoded.
var factsField = func() map[string]int {
	m := map[string]int{}
	t := reflect.TypeOf(resource.Facts{})
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if t.Field(i).Type.Kind() == reflect.Pointer {
			m[name] = i
		}
	}
	return m
}()

func walk(prefix string, m map[string]any, out map[string]any) {
	for k, v := range m {
		p := prefix + "." + k
		if ignored[p] {
			continue
		}
		switch t := v.(type) {
		case nil:
		case string:
			if t != "" {
				out[p] = t
			}
		case map[string]any:
			walk(p, t, out)
		case []any:
			if p == "firewall.rules" {
				for dir, rules := range firewallRules(t) {
					out["firewall."+dir] = rules
				}
				continue
			}
			out[p] = canonList(t)
		default:
			out[p] = t
		}
	}
}

// canonList returns a list as a sorted set of strings (objects in their
// JSON form, keys sorted), so that order does not count.
func canonList(v any) []any {
	l, _ := v.([]any)
	ss := make([]string, 0, len(l))
	for _, e := range l {
		if s, ok := e.(string); ok {
			ss = append(ss, s)
			continue
		}
		b, _ := json.Marshal(e) // maps marshal with sorted keys
		ss = append(ss, string(b))
	}
	sort.Strings(ss)
	ss = dedup(ss)
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func dedup(ss []string) []string {
	out := ss[:0]
	for i, s := range ss {
		if i == 0 || s != ss[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// firewallRules returns the rules per direction ("ingress", "egress") as
// sorted descriptions of one source each: "allow tcp/22 from 0.0.0.0/0".
func firewallRules(rules []any) map[string][]any {
	by := map[string][]string{"ingress": {}, "egress": {}}
	for _, x := range rules {
		b, _ := json.Marshal(x)
		var r resource.FirewallRule
		if json.Unmarshal(b, &r) != nil {
			continue
		}
		dir := r.Direction
		if dir != "egress" {
			dir = "ingress"
		}
		head := r.Action + " " + r.Protocol
		if r.Protocol != "all" && r.Protocol != "icmp" || r.FromPort != 0 || r.ToPort != 65535 {
			if r.FromPort == r.ToPort {
				head += fmt.Sprintf("/%d", r.FromPort)
			} else {
				head += fmt.Sprintf("/%d-%d", r.FromPort, r.ToPort)
			}
		}
		if r.Priority != 0 {
			head += fmt.Sprintf(" priority %d", r.Priority)
		}
		if r.Disabled {
			head += " disabled"
		}
		word := " from "
		if dir == "egress" {
			word = " to "
		}
		srcs := r.Sources
		if len(srcs) == 0 {
			srcs = []string{"(none)"}
		}
		for _, s := range srcs {
			by[dir] = append(by[dir], head+word+s)
		}
	}
	out := map[string][]any{}
	for dir, ss := range by {
		sort.Strings(ss)
		ss = dedup(ss)
		l := make([]any, len(ss))
		for i, s := range ss {
			l[i] = s
		}
		out[dir] = l
	}
	return out
}

// ruleDetail names the rules only one side has.
func ruleDetail(iac, live any) string {
	a, b := set(iac), set(live)
	var only, extra []string
	for s := range a {
		if !b[s] {
			only = append(only, s)
		}
	}
	for s := range b {
		if !a[s] {
			extra = append(extra, s)
		}
	}
	sort.Strings(only)
	sort.Strings(extra)
	var parts []string
	if len(extra) > 0 {
		parts = append(parts, "only in the inventory: "+strings.Join(extra, "; "))
	}
	if len(only) > 0 {
		parts = append(parts, "only in the IaC: "+strings.Join(only, "; "))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}

func set(v any) map[string]bool {
	m := map[string]bool{}
	l, _ := v.([]any)
	for _, e := range l {
		if s, ok := e.(string); ok {
			m[s] = true
		}
	}
	return m
}

// categoryOf files a fact under what it protects.
func categoryOf(p string) string {
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(p, w) {
				return true
			}
		}
		return false
	}
	switch {
	case has("encrypt", "key_manager", "cmk", "tls", "ssl", "secure_transport", "rotation", "https"):
		return catEncryption
	case has("public", "uniform_access", "authorized_networks", "allow_blob", "anonymous"):
		return catPublic
	case has("log", "audit"):
		return catLogging
	case strings.HasPrefix(p, "firewall.") || has("network", "ingress", "egress", "ip_forwarding", "source_ranges"):
		return catNetwork
	case strings.HasPrefix(p, "binding.") || strings.HasPrefix(p, "role.") || has("policy", "policies", "admin", "trust", "privileged", "principal", "permission", "rbac", "service_account", "mfa", "console", "groups"):
		return catIAM
	case has("versioning"):
		return catVersioning
	case has("delete", "deletion", "backup", "purge", "soft_delete", "multi_az"):
		return catProtection
	}
	return catConfig
}

// show formats a value for messages.
func show(v any) string {
	switch t := v.(type) {
	case []any:
		if len(t) == 0 {
			return "[]"
		}
		ss := make([]string, len(t))
		for i, e := range t {
			ss[i] = fmt.Sprint(e)
		}
		return "[" + strings.Join(ss, "; ") + "]"
	case string:
		return fmt.Sprintf("%q", t)
	case float64:
		return fmt.Sprint(t)
	}
	return fmt.Sprint(v)
}
