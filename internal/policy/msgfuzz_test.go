package policy

import (
	"strconv"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// messageSeeds are texts of a message of the Go form (onGo: the engine
// computes them on the Go fields) and near misses OPA computes.
var messageSeeds = []struct {
	text string
	onGo bool
}{
	{`"constant"`, true},
	{`label`, true},
	{`r.name`, true},
	{`r.tags.owner`, true},
	{`sprintf("%s in %s", [r.id, r.region])`, true},
	{`sprintf("%d rules, %s", [n, label])`, true},
	{`sprintf("%v", [r.facts.firewall.default])`, true},
	{`sprintf("%s: %v", [r.id, r.facts.firewall.target_tags])`, true},
	{`concat(", ", r.facts.firewall.target_tags)`, true},
	{`concat(" ", [label, r.id, r.account])`, true},
	{`kind(r)`, true},
	{`concat(", ", sort(public(r)))`, true},
	{`concat("", ["from ", concat(", ", sort(public(r))), "!"])`, true},
	{`concat(", ", sort(named(r)))`, true},
	{`concat(", ", sort(ports(r)))`, true},
	{`sprintf("%d days", [limits[r.provider]])`, true},
	{`object.get(r.tags, "owner", r.id)`, true},
	{`sprintf("%s/%s", [r.account, object.get(r.tags, "env", r.region)])`, true},
	{`sprintf("%s/%s", [r.account, object.get(r.tags, "env", "none")])`, true},
	// Array comprehensions joined: over the resource's list (a function of
	// the element with an else chain, object.get of it), unrolled over
	// constant keys (count(object.get(...)), sprintf of the key's value),
	// the element itself; a default whose count meets the comparison is
	// OPA's.
	{`concat("; ", [rule_text(k) | some k in r.facts.firewall.rules; not k.action == "deny"])`, true},
	{`concat(",", [p | some k in ["target_tags", "rules", "default"]; count(object.get(r.facts.firewall, k, [])) > 0; p := k])`, true},
	{`concat(",", [p | some k in ["owner", "env"]; count(object.get(r.tags, k, "")) > 0; p := sprintf("%s=%s", [k, r.tags[k]])])`, true},
	{`concat(" ", [x | some x in r.facts.firewall.target_tags])`, true},
	{`concat(",", [concat("+", [s | some s in k.sources]) | some k in r.facts.firewall.rules])`, true},
	// substring as OPA cuts it: in runes (a name with non-ASCII and
	// invalid UTF-8), a negative length taking the rest, an offset past
	// the end, the whole string; a negative offset (OPA's error) and a
	// computed length are OPA's.
	{`substring(r.name, 0, 2)`, true},
	{`sprintf("%s|%s|%s|%s", [substring(r.name, 1, -1), substring(r.account, 5, 100), substring(r.name, 10, 1), substring(r.name, 0, 99)])`, true},
	{`sprintf("%s at %s", [substring(object.get(r.tags, "owner", "nobody"), 1, 2), substring(r.tags.env, 0, 3)])`, true},
	{`substring(r.name, -1, 2)`, false},
	{`substring(r.name, 0, count(r.id))`, false},
	{`concat(",", [p | some k in ["owner"]; count(object.get(r.tags, k, [])) == 0; p := k])`, false},
	{`concat(", ", sort(deny_sources(r)))`, false}, // a body, not the direct form's
	{`upper(r.name)`, false},
	{`sprintf("%s", [count(r.facts.firewall.rules)])`, false},
	{`concat(", ", [s | some s in public(r)])`, false},
}

// messageModule is a firewall rule failing every resource whose message is
// text, with the module's constants and functions the seeds use.
func messageModule(text string) string {
	return header("m", "firewall", "") + `limits := {"aws": 3, "gcp": 5}

label := "rule"

n := 7

kind(r) := sprintf("%q", [r.name]) if r.facts.firewall.default == true else := "custom"

public(r) := {s |
	some k in r.facts.firewall.rules
	k.direction == "ingress"
	not k.action == "deny"
	some s in k.sources
}

named(r) := {x.protocol | some x in r.facts.firewall.rules}

rule_text(k) := sprintf("%s/%d", [object.get(k, "protocol", "any"), k.from_port]) if k.direction == "ingress"

else := k.direction

ports(r) := {k.from_port | some k in r.facts.firewall.rules}

deny_sources(r) := {s |
	some k in r.facts.firewall.rules
	k.action == "deny"
	some s in k.sources
} if {
	r.name != ""
}

fail contains r.id if {
	some r in input.resources.firewall
	r.type != "Z"
}

message[r.id] := ` + text + ` if {
	some r in input.resources.firewall
	r.id in fail
}
`
}

// messageInventory holds firewalls with every field the seeds read
// present, absent, empty and of odd values.
func messageInventory() []*resource.Resource {
	rule := func(dir, action, proto string, from int, srcs ...string) resource.FirewallRule {
		return resource.FirewallRule{Direction: dir, Action: action, Protocol: proto, FromPort: from, ToPort: from, Sources: srcs}
	}
	fw := func(id string, p resource.Provider, name string, tags map[string]string, f *resource.Firewall) *resource.Resource {
		return &resource.Resource{ID: id, Name: name, Provider: p, Class: resource.ClassFirewall, Type: "T", Account: "acct-" + id, Region: "eu",
			Tags: tags, Facts: resource.Facts{Firewall: f}}
	}
	return []*resource.Resource{
		fw("a", resource.AWS, "web", map[string]string{"owner": "ops", "env": "prod"}, &resource.Firewall{Default: resource.Bool(true), TargetTags: []string{"b", "a"},
			Rules: []resource.FirewallRule{rule("ingress", "allow", "tcp", 443, "0.0.0.0/0", "10.0.0.0/8", "0.0.0.0/0"), rule("ingress", "deny", "udp", 53, "1.2.3.4")}}),
		fw("b", resource.GCP, "", map[string]string{"env": ""}, &resource.Firewall{Default: resource.Bool(false), TargetTags: []string{},
			Rules: []resource.FirewallRule{rule("egress", "allow", "", 0), rule("ingress", "allow", "all", 0, "z", "Z", "a b", "é")}}),
		fw("c", resource.AWS, "na\"me\n", nil, &resource.Firewall{}),
		fw("d", resource.GCP, "x", map[string]string{"owner": ""}, nil),
		fw("e", resource.Azure, "azure", nil, &resource.Firewall{Rules: []resource.FirewallRule{rule("ingress", "allow", "tcp", 22, "::/0")}}),
		fw("g", resource.AWS, "zé\xffxyz", map[string]string{"owner": "ålice", "env": "pr"}, &resource.Firewall{}),
		fw("f", resource.AWS, "dup", map[string]string{}, &resource.Firewall{Rules: []resource.FirewallRule{
			rule("ingress", "allow", "tcp", 80, "b", "a"), rule("ingress", "allow", "udp", 80, "a", "c"), rule("ingress", "deny", "TCP", 8080, "b")}}),
	}
}

// TestMessageSeedsOnGo: the seeds of the Go form are computed on the Go
// fields (a seed that falls back to OPA would make the fuzz target compare
// OPA with itself), the others are left to OPA, and both agree.
func TestMessageSeedsOnGo(t *testing.T) {
	for _, s := range messageSeeds {
		dir := writePack(t, map[string]string{"m.rego": messageModule(s.text)})
		direct, opa := directAndOPA(t, dir)
		if got := direct.goMessages[0] != nil; got != s.onGo {
			t.Errorf("%s: computed on the Go fields %v, want %v", s.text, got, s.onGo)
		}
		compareEngines(t, direct, opa, messageInventory())
	}
}

// FuzzGoMessagesMatchOPA: whatever a rule's message text says, the engine
// never panics and words every failing resource as OPA does (or leaves it
// without a message as OPA does): the texts the engine computes on the Go
// fields (gomessage.go) are compared with OPA's over firewalls with
// fields present, absent, empty and odd. FuzzDirectMatchesOPA covers the
// verdicts; `go test -fuzz FuzzGoMessagesMatchOPA ./internal/policy`
// explores more.
func FuzzGoMessagesMatchOPA(f *testing.F) {
	for _, s := range messageSeeds {
		f.Add(s.text)
	}
	inv := messageInventory()
	f.Fuzz(func(t *testing.T, text string) {
		dir := writePack(t, map[string]string{"m.rego": messageModule(text)})
		fuzzSameAsOPA(t, dir, inv, "message "+strconv.Quote(text))
	})
}
