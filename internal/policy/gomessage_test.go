package policy

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/rules"
)

// TestNativeLibFingerprints: the Go code of each native helper follows the
// Rego text it was written from. When this fails, a library function a
// native helper computes changed: make the Go helper (gomessage.go) compute
// what the new Rego computes, then set the fingerprint to the one printed.
// Until then the engine leaves those messages to OPA (never wrong, slower).
func TestNativeLibFingerprints(t *testing.T) {
	for pkg, nl := range nativeLibs {
		m := builtinLibModule(t, pkg)
		if got := libFingerprint(m, nl.rules); got != nl.fingerprint {
			t.Errorf("%s: the Rego text of %v changed (fingerprint %s, the Go helpers follow %s): update the Go helpers and the fingerprint",
				pkg, nl.rules, got, nl.fingerprint)
		}
	}
	if got := libFingerprint(builtinLibModule(t, "data.vigil.lib.net"), []string{"exposed_ports"}); got != exposedPortsFingerprint {
		t.Errorf("data.vigil.lib.net: the Rego text of exposed_ports changed (fingerprint %s, msgPorts follows %s): update msgPorts and the fingerprint",
			got, exposedPortsFingerprint)
	}
	if got := libFingerprint(builtinLibModule(t, "data.vigil.lib.time"), timeLibRules); got != timeLibFingerprint {
		t.Errorf("data.vigil.lib.time: the Rego text of %v changed (fingerprint %s, the Go time functions follow %s): update gotime.go and the fingerprint",
			timeLibRules, got, timeLibFingerprint)
	}
}

func builtinLibModule(t *testing.T, pkg string) *ast.Module {
	t.Helper()
	var found *ast.Module
	err := fs.WalkDir(rules.FS(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(rules.FS(), path)
		if err != nil {
			return err
		}
		m, err := ast.ParseModuleWithOpts(path, string(b), ast.ParserOptions{ProcessAnnotation: true})
		if err == nil && m.Package.Path.String() == pkg {
			found = m
		}
		return nil
	})
	if err != nil || found == nil {
		t.Fatalf("library %s: %v", pkg, err)
	}
	return found
}

// TestGoMessagesMatchOPA compares messages computed on the Go fields
// (sprintf and concat of constants and references, the native lib/net
// helpers with literal, empty and module sets of ports) with OPA's over
// resources whose exposure is absent, empty, decided either way, undecided,
// with paths that hit and miss the ports, and fields that are absent or not
// strings.
func TestGoMessagesMatchOPA(t *testing.T) {
	net, err := fs.ReadFile(rules.FS(), "lib/net.rego")
	if err != nil {
		t.Fatal(err)
	}
	messages := []string{
		`concat("", ["public", net.exposure_note(r, set())])`,
		`concat("", ["ssh", net.exposure_note(r, {22})])`,
		`concat("", ["admin", net.exposure_note(r, admin_ports), net.first_path(r, admin_ports)])`,
		`concat("", ["none", net.first_path(r, set())])`,
		`sprintf("%s on %s (%d rules, %v, %s)", [r.id, r.facts.compute.identity, r.facts.compute.public_ip, r.facts.compute, label])`,
		`sprintf("%s in %s", [r.facts.compute.identity, r.region])`,
		`concat(" / ", [r.facts.compute.identity, sprintf("%d", [r.facts.compute.public_ip])])`,
		`sprintf("%v %s", [r.facts.compute.public_ip, r.tags.env])`,
		`r.facts.compute.identity`,
		"sprintf(\"%s is granted in %s\", [who, r.region]) if {\n\tsome r in input.resources.compute\n\tr.id in fail\n\twho := object.get(r.facts.compute, \"identity\", r.type)\n}\n#",
		"concat(\"-\", [who, r.id]) if {\n\tsome r in input.resources.compute\n\tr.id in fail\n\twho := object.get(r.facts.compute, \"identity\", r.name)\n}\n#",
		// lib/net's exposed_ports: assigned, in a port list and as
		// exposure_note's ports; inline; assigned and unused (undefined
		// without a firewall: no message).
		"sprintf(\"db port(s) %s%s\", [concat(\", \", [sprintf(\"%d\", [p]) | some p in sort(ports)]), net.exposure_note(r, ports)]) if {\n\tsome r in input.resources.compute\n" +
			"\tr.id in fail\n\tports := net.exposed_ports(r.facts.firewall, db_ports)\n}\n#",
		`concat("", [sprintf("port %s (HTTP/HTTPS)", [concat(" and ", [sprintf("%d", [p]) | some p in sort(net.exposed_ports(r.facts.firewall, {443, 80}))])]), net.exposure_note(r, {80, 443})])`,
		"r.id if {\n\tsome r in input.resources.compute\n\tr.id in fail\n\tunused := net.exposed_ports(r.facts.firewall, {22})\n}\n#",
		// concat of a list of strings of the resource (absent, empty,
		// several).
		`sprintf("reaches %s; undecided: %s", [concat(", ", r.facts.exposure.exposes), concat("; ", r.facts.exposure.undecided)])`,
		`concat("|", r.facts.exposure.exposes)`,
		// A function of the module with an else chain: the first link
		// whose conditions hold and whose text is defined.
		"sprintf(\"identity is %s\", [value(r)]) if {\n\tsome r in input.resources.compute\n\tr.id in fail\n}\n\n" +
			"value(r) := sprintf(\"%q\", [r.facts.compute.identity]) if r.facts.compute.identity\n\nelse := \"not set\"\n#",
		"sprintf(\"%s/%s\", [v(r), r.id]) if {\n\tsome r in input.resources.compute\n\tr.id in fail\n}\n\n" +
			"v(x) := sprintf(\"%s %v\", [x.facts.compute.identity, x.facts.exposure.internet]) if {\n\tnot x.facts.compute.public_ip == false\n}\n\n" +
			"else := x.tags.env if startswith(x.region, \"eu\")\n\nelse := x.facts.compute.identity\n#",
		// A function of a sub-object of the resource with an else chain,
		// assigned and inline (undefined when the sub-object is).
		"msg if {\n\tsome r in input.resources.compute\n\tr.id in fail\n\tmsg := describe(r.facts.compute)\n}\n\n" +
			"describe(c) := sprintf(\"identity %s\", [c.identity]) if count(c.identity) > 0\n\nelse := \"no identity\"\n#",
		"sprintf(\"%s!\", [reach(r.facts.exposure)]) if {\n\tsome r in input.resources.compute\n\tr.id in fail\n}\n\n" +
			"reach(e) := concat(\", \", e.exposes) if {\n\tcount(e.exposes) > 0\n\tnot e.internet == false\n}\n\nelse := \"none\"\n#",
		// Several definitions, each with its conditions: exclusive, and
		// overlapping with the same text; a constant object of integers
		// indexed by a field (a key it lacks: undefined).
		"\"no public IP flag\" if {\n\tsome r in input.resources.compute\n\tr.id in fail\n\tnot r.facts.compute.public_ip\n}\n\n" +
			"message[x.id] := sprintf(\"%s: %d days (in %s)\", [x.id, max_days[x.provider], x.region]) if {\n\tsome x in input.resources.compute\n\tx.facts.compute.public_ip == true\n}\n\n" +
			"max_days := {\"aws\": 365, \"gcp\": 90}\n#",
		"\"same\" if {\n\tsome r in input.resources.compute\n\tr.id in fail\n\tstartswith(r.id, \"fw\")\n}\n\n" +
			"message[r.id] := \"same\" if {\n\tsome r in input.resources.compute\n\tr.facts.firewall\n}\n\n" +
			"message[r.id] := sprintf(\"%d\", [max_days[r.provider]]) if {\n\tsome r in input.resources.compute\n\tnot r.facts.firewall\n}\n\n" +
			"max_days := {\"gcp\": 90}\n#",
		// A reference assigned (an alias, undefined: no message), an
		// array comprehension over a constant list of keys with
		// count(object.get(...)) and sprintf of a joined list, joined.
		"concat(\"; \", parts) if {\n\tsome r in input.resources.compute\n\tr.id in fail\n\tc := r.facts.compute\n" +
			"\tparts := [p |\n\t\tsome k in [\"identity\", \"public_ipv6\", \"public_ip\"]\n\t\tcount(object.get(c, k, [])) > 0\n" +
			"\t\tp := sprintf(\"%s: %v\", [k, c[k]])\n\t]\n}\n#",
		"concat(\"|\", [p | some k in [\"exposes\", \"undecided\"]; count(object.get(e, k, [])) > 0; p := sprintf(\"%s=%s\", [k, concat(\",\", e[k])])]) if {\n" +
			"\tsome r in input.resources.compute\n\tr.id in fail\n\te := r.facts.exposure\n}\n#",
		// A comprehension over a list of the resource, its elements
		// filtered and passed to a function of the module with an else
		// chain (object.get with a constant default, a bare element),
		// nested over each element's own list.
		"msg if {\n\tsome r in input.resources.compute\n\tr.id in fail\n" +
			"\tps := [hop(p) | some p in r.facts.exposure.paths; p.protocol != \"icmp\"]\n" +
			"\tmsg := sprintf(\"%s: %s\", [kind(r.facts.compute), concat(\"; \", ps)])\n}\n\n" +
			"hop(p) := sprintf(\"%s %d via %s\", [p.protocol, p.from_port, concat(\" > \", [h.allows | some h in p.hops])]) if p.from_port >= p.to_port\n\n" +
			"else := sprintf(\"%s %d-%d (%s)\", [p.protocol, p.from_port, p.to_port, object.get(p, \"family\", \"any\")]) if p.family\n\n" +
			"else := object.get(p, \"protocol\", \"none\")\n\n" +
			"kind(c) := sprintf(\"%s (%s)\", [object.get(c, \"identity\", \"anonymous\"), c.identity]) if count(object.get(c, \"identity\", \"\")) > 0\n\n" +
			"else := object.get(c, \"identity\", \"anonymous\")\n#",
	}
	files := map[string]string{"net.rego": string(net)}
	for i, msg := range messages {
		id := fmt.Sprintf("m%d", i)
		files[id+".rego"] = header(id, "compute", "") + "import data.vigil.lib.net\n\nadmin_ports := {22, 3389}\n\ndb_ports := {5432, 3306, 1433}\n\nlabel := \"L\"\n\n" +
			"fail contains r.id if {\n\tsome r in input.resources.compute\n\tr.type == \"T\"\n}\n\n" +
			"message[r.id] := " + msg + " if {\n\tsome r in input.resources.compute\n\tr.id in fail\n}\n"
		if strings.HasSuffix(msg, "#") { // the message with its own body
			files[id+".rego"] = header(id, "compute", "") + "import data.vigil.lib.net\n\ndb_ports := {5432, 3306, 1433}\n\n" +
				"fail contains r.id if {\n\tsome r in input.resources.compute\n\tr.type == \"T\"\n}\n\n" +
				"message[r.id] := " + strings.TrimSuffix(msg, "#")
		}
	}
	dir := writePack(t, files)
	direct, opa := directAndOPA(t, dir)
	for i, r := range direct.rules {
		if direct.goMessages[i] == nil {
			t.Errorf("rule %s: the message is not computed on the Go fields", r.ID)
		}
	}
	path := func(proto string, from, to int, hops ...string) resource.ExposurePath {
		p := resource.ExposurePath{Protocol: proto, Family: "ipv4", FromPort: from, ToPort: to}
		for _, h := range hops {
			p.Hops = append(p.Hops, resource.Hop{Resource: "x", Allows: h})
		}
		return p
	}
	rule := func(action, proto string, from, to, prio int, src string) resource.FirewallRule {
		return resource.FirewallRule{Direction: "ingress", Action: action, Protocol: proto, FromPort: from, ToPort: to, Priority: prio, Sources: []string{src}}
	}
	vm := func(id string, f resource.Facts) *resource.Resource {
		return &resource.Resource{ID: id, Provider: resource.AWS, Class: resource.ClassCompute, Type: "T", Region: "eu-west-1", Facts: f,
			Tags: map[string]string{"env": "prod"}}
	}
	inv := []*resource.Resource{
		vm("bare", resource.Facts{}),
		vm("empty", resource.Facts{Exposure: &resource.Exposure{}, Compute: &resource.Compute{}}),
		vm("closed", resource.Facts{Exposure: &resource.Exposure{Internet: resource.Bool(false)}, Compute: &resource.Compute{Identity: "role/a", PublicIP: resource.Bool(true)}}),
		vm("closed-fw", resource.Facts{Exposure: &resource.Exposure{Internet: resource.Bool(false)}, Firewall: &resource.Firewall{}}),
		vm("other-ports", resource.Facts{Exposure: &resource.Exposure{Internet: resource.Bool(true), Paths: []resource.ExposurePath{path("tcp", 443, 443, "a", "b")}}}),
		vm("open", resource.Facts{Exposure: &resource.Exposure{Internet: resource.Bool(true), Paths: []resource.ExposurePath{
			path("udp", 22, 22, "u"), path("tcp", 0, 65535, "igw", "sg rule 1"), path("tcp", 22, 22), path("tcp", 0, 65535, "again"),
		}}}),
		vm("exposes", resource.Facts{Firewall: &resource.Firewall{}, Exposure: &resource.Exposure{Internet: resource.Bool(true), Exposes: []string{"i-2", "i-1"},
			Paths: []resource.ExposurePath{path("tcp", 3389, 3390, "nsg")}}}),
		vm("undecided", resource.Facts{Exposure: &resource.Exposure{Undecided: []string{"no route table", "NACL unreadable"}, Paths: []resource.ExposurePath{path("icmp", 0, 0)}}}),
		vm("paths", resource.Facts{Compute: &resource.Compute{Identity: "sa@x"}, Exposure: &resource.Exposure{Exposes: []string{}, Paths: []resource.ExposurePath{
			path("tcp", 22, 22, "igw", "sg"), {Protocol: "tcp", FromPort: 80, ToPort: 90}, path("udp", 53, 60), {FromPort: 1, ToPort: 2}, path("icmp", 0, 0), path("tcp", 5, 5),
		}}}),
		vm("other-type", resource.Facts{Compute: &resource.Compute{Identity: "x"}}),
		// Firewalls: ports opened from the internet, a rule shadowed by a
		// deny, a disabled rule, UDP only, all protocols.
		vm("fw-open", resource.Facts{Firewall: &resource.Firewall{Rules: []resource.FirewallRule{
			rule("allow", "tcp", 3306, 5432, 100, "0.0.0.0/0"), rule("allow", "tcp", 80, 80, 100, "::/0"), rule("deny", "tcp", 3306, 3306, 50, "*"),
		}}, Exposure: &resource.Exposure{Internet: resource.Bool(true), Paths: []resource.ExposurePath{path("tcp", 5432, 5432, "sg")}}}),
		vm("fw-all", resource.Facts{Firewall: &resource.Firewall{Rules: []resource.FirewallRule{rule("allow", "all", 0, 0, 0, "Internet")}}}),
		vm("fw-closed", resource.Facts{Firewall: &resource.Firewall{Rules: []resource.FirewallRule{
			rule("allow", "udp", 0, 65535, 0, "0.0.0.0/0"), rule("allow", "tcp", 443, 443, 0, "10.0.0.0/8"),
		}}}),
		vm("fw-disabled", resource.Facts{Firewall: &resource.Firewall{Rules: []resource.FirewallRule{
			{Direction: "ingress", Action: "allow", Protocol: "tcp", FromPort: 0, ToPort: 65535, Sources: []string{"0.0.0.0/0"}, Disabled: true},
		}}}),
		vm("fw-empty", resource.Facts{Firewall: &resource.Firewall{}}),
	}
	inv[len(inv)-1].Type = "U"
	compareEngines(t, direct, opa, inv)
}

// TestGoMessageDefsConflict: two definitions of a message that hold for
// one resource with different texts are an error on the Go fields, as in
// OPA (a partial object's key with two values).
func TestGoMessageDefsConflict(t *testing.T) {
	src := header("c", "compute", "") + "fail contains r.id if {\n\tsome r in input.resources.compute\n\tr.type == \"T\"\n}\n\n" +
		"message[r.id] := \"one\" if {\n\tsome r in input.resources.compute\n\tr.region == \"eu-west-1\"\n}\n\n" +
		"message[r.id] := \"two\" if {\n\tsome r in input.resources.compute\n\tr.facts.compute.public_ip == true\n}\n"
	direct, opa := directAndOPA(t, writePack(t, map[string]string{"c.rego": src}))
	if direct.goMessages[0] == nil {
		t.Fatal("the message is not computed on the Go fields")
	}
	vm := func(id string, public bool) *resource.Resource {
		return &resource.Resource{ID: id, Provider: resource.AWS, Class: resource.ClassCompute, Type: "T", Region: "eu-west-1",
			Facts: resource.Facts{Compute: &resource.Compute{PublicIP: resource.Bool(public)}}}
	}
	compareEngines(t, direct, opa, []*resource.Resource{vm("a", false)})
	both := []*resource.Resource{vm("a", false), vm("b", true)}
	for name, e := range map[string]*Engine{"Go": direct, "OPA": opa} {
		if _, err := e.Evaluate(context.Background(), both, testNow); err == nil {
			t.Errorf("%s: no error for two messages of one resource", name)
		}
	}
}

// TestNativePredicateFingerprints: every built-in rule module that defines
// a native predicate's function (native.go) has the Rego text the Go code
// follows, so the engine computes it. When this fails, a rule changed its
// helper: make the Go predicate compute what the Rego does, then set the
// fingerprint to the one printed (until then OPA evaluates the rule).
func TestNativePredicateFingerprints(t *testing.T) {
	found := map[string]int{}
	err := fs.WalkDir(rules.FS(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, "_test.rego") || !strings.HasSuffix(path, ".rego") {
			return err
		}
		b, err := fs.ReadFile(rules.FS(), path)
		if err != nil {
			return err
		}
		m, err := ast.ParseModuleWithOpts(path, string(b), ast.ParserOptions{ProcessAnnotation: true})
		if err != nil {
			return err
		}
		mc := newModCtx(m, nil, 0)
		for name, np := range nativePreds {
			if len(mc.funcs[name]) == 0 {
				continue
			}
			found[name]++
			if got := funcFingerprint(mc.funcs, np.deps); got != np.fingerprint {
				t.Errorf("%s: the Rego text of %v differs from the one %s follows (fingerprint %s, want %s)", path, np.deps, name, got, np.fingerprint)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for name := range nativePreds {
		if found[name] == 0 {
			t.Errorf("no built-in rule defines %s", name)
		}
	}
	t.Logf("modules per native predicate: %v", found)
}

// TestNativePredicatesMatchOPA: weak_tls computed in Go judges like OPA's
// regex.replace, regex.match and to_number over many spellings of a TLS
// version (listeners of load balancers: absent, empty, odd and exact
// spellings, huge numbers), called and negated, in the built-in rule's own
// text.
func TestNativePredicatesMatchOPA(t *testing.T) {
	b, err := fs.ReadFile(rules.FS(), "messaging/queue_weak_tls.rego")
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	helpers := src[strings.Index(src, "# weak_tls(v) is true"):strings.Index(src, "message[r.id]")]
	files := map[string]string{}
	for i, body := range []string{
		"some l in r.facts.load_balancer.listeners\n\tweak_tls(l.min_tls_version)",
		"some l in r.facts.load_balancer.listeners\n\tnot weak_tls(l.min_tls_version)",
		"some l in r.facts.load_balancer.listeners\n\tnot weak_tls(l.missing)",
		"weak_tls(r.name)",
		"not weak_tls(r.facts.load_balancer)",
	} {
		id := fmt.Sprintf("w%d", i)
		files[id+".rego"] = header(id, "load_balancer", "") + "fail contains r.id if {\n\tsome r in input.resources.load_balancer\n\t" + body + "\n}\n\n" + helpers
	}
	dir := writePack(t, files)
	direct, opa := directAndOPA(t, dir)
	for i, r := range direct.rules {
		if d := direct.direct[i]; d == nil || !d.onGo {
			t.Errorf("rule %s is not evaluated on the Go fields", r.ID)
		}
	}
	versions := []string{"", "1.0", "1.1", "1.2", "1.3", "1.10", "1.19999999999999999999999", "1.2000", "01.1", "0", "2", "TLS1_0", "TLS1_1",
		"TLS1_2", "tls1_3", "TLSv1.1", "TLSV1_1", "TLS_1_0", "TLS_1_2", "v1.1", "V_1", "TLSv1", "1_1_1", "1.1.1", " 1.0", "1.0 ", "TLS 1.0",
		"TLS12", "TLS_", "TLSV", "1e0", "+1", "-1", "1.", ".5", strings.Repeat("9", 400), "0." + strings.Repeat("1", 400), "1_" + strings.Repeat("0", 400),
		"inf", "NaN", "ＴＬＳ1_0", "tlsv1.0", "TLSv1.2_2021", "1,1"}
	var inv []*resource.Resource
	for i, v := range versions {
		lb := &resource.LoadBalancer{Listeners: []resource.Listener{{Protocol: "HTTPS", MinTLSVersion: v}}}
		if i%5 == 0 {
			lb.Listeners = append(lb.Listeners, resource.Listener{Protocol: "HTTP"})
		}
		inv = append(inv, &resource.Resource{ID: fmt.Sprintf("lb-%d", i), Name: v, Provider: resource.AWS, Class: resource.ClassLoadBalancer, Type: "T",
			Facts: resource.Facts{LoadBalancer: lb}})
	}
	inv = append(inv, &resource.Resource{ID: "bare", Provider: resource.GCP, Class: resource.ClassLoadBalancer, Type: "T"})
	compareEngines(t, direct, opa, inv)
	compareOnTerms(t, []Source{DirSource(dir)}, opa, inv)
}

// TestEscalatingMatchesOPA: iam-policy-privilege-escalation, its
// escalating(a) computed in Go (lower-casing, the escalation set,
// gobwas/glob patterns), judges like OPA over many spellings of actions:
// exact and mixed case, wildcards, glob syntax (classes, alternatives,
// escapes), patterns that do not compile, and statements the other
// conditions rule out.
func TestEscalatingMatchesOPA(t *testing.T) {
	b, err := fs.ReadFile(rules.FS(), "iampolicy/iam_policy_privilege_escalation.rego")
	if err != nil {
		t.Fatal(err)
	}
	dir := writePack(t, map[string]string{"esc.rego": string(b)})
	direct, opa := directAndOPA(t, dir)
	if d := direct.direct[0]; d == nil || !d.onGo {
		t.Fatal("iam-policy-privilege-escalation is not evaluated on the Go fields")
	}
	actions := []string{"iam:AttachUserPolicy", "IAM:PUTROLEPOLICY", "iam:createaccesskey", "iam:*", "iam:Put*", "iam:?ut*", "*", "*:*", "iam:*Policy",
		"s3:*", "iam:pass*", "iam:[a-c]*", "iam:[!a-c]*", "iam:{put,attach}*", "iam:{get,list}*", "iam:\\*", "iam:*[", "iam:{put", "iam:create?ccesskey",
		"", "iam:", "?", "iam:createaccesskey ", "İAM:PUT*", "iam:*user*", "ec2:*", "iam:Update*Profile"}
	var inv []*resource.Resource
	for i, a := range actions {
		for k, st := range []resource.Statement{
			{Effect: "Allow", Actions: []string{a}, Resources: []string{"*"}},
			{Effect: "Allow", Actions: []string{"s3:getobject", a}, Resources: []string{"arn:aws:s3:::b", "*"}},
			{Effect: "Deny", Actions: []string{a}, Resources: []string{"*"}},
			{Effect: "Allow", Actions: []string{a}, Resources: []string{"arn:aws:iam::1:user/x"}},
			{Effect: "Allow", Actions: []string{a}, Resources: []string{"*"}, Conditions: []resource.Condition{{Operator: "Bool", Key: "aws:MultiFactorAuthPresent", Values: []string{"true"}}}},
		} {
			managed := []string{"customer", "inline", "aws"}[(i+k)%3]
			inv = append(inv, &resource.Resource{ID: fmt.Sprintf("p-%d-%d", i, k), Provider: resource.AWS, Class: resource.ClassIAMPolicy, Type: "T",
				Facts: resource.Facts{Policy: &resource.Policy{Managed: managed, Document: &resource.PolicyDocument{Statements: []resource.Statement{st}}}}})
		}
	}
	compareEngines(t, direct, opa, inv)
}

// TestGoMessageShadowedNames: a table of the module shadowed in the
// message by a local variable or by the resource's variable is not read as
// the module's (msgCompiler.moduleName): the message says what OPA says
// (here: none, a string or the resource indexed by a provider being
// undefined), where reading the module's table would give "365 days"; the
// table itself, not shadowed, is read on the Go fields.
// (A function or an import shadowed by a local is a compile error in OPA:
// "undefined function".)
func TestGoMessageShadowedNames(t *testing.T) {
	net, err := fs.ReadFile(rules.FS(), "lib/net.rego")
	if err != nil {
		t.Fatal(err)
	}
	bodies := map[string]string{
		// The module's table itself: read on the Go fields.
		"module-table": "r.id] := sprintf(\"%v days\", [max_days[r.provider]]) if {\n\tsome r in input.resources.compute\n\tr.id in fail\n}\n",
		// A local of the same name as the module's table, indexed: a
		// string indexed is undefined, so no message.
		"local-table": "r.id] := sprintf(\"%v days\", [max_days[r.provider]]) if {\n\tsome r in input.resources.compute\n\tr.id in fail\n" +
			"\tmax_days := object.get(r.facts.compute, \"identity\", \"none\")\n}\n",
		// The resource's variable named like the module's table: indexing
		// the resource by its provider is undefined, so no message.
		"resource-table": "max_days.id] := sprintf(\"%v days\", [max_days[max_days.provider]]) if {\n\tsome max_days in input.resources.compute\n" +
			"\tmax_days.id in fail\n}\n",
	}
	files := map[string]string{"net.rego": string(net)}
	for name, body := range bodies {
		id := "shadow-" + name
		files[name+".rego"] = header(id, "compute", "") + "import data.vigil.lib.net\n\nmax_days := {\"aws\": 365, \"gcp\": 90}\n\n" +
			"describe(x) := sprintf(\"module %s\", [x.id]) if x.id\n\nelse := \"module\"\n\n" +
			"fail contains r.id if {\n\tsome r in input.resources.compute\n\tr.type == \"T\"\n}\n\n" +
			"message[" + body
	}
	direct, opa := directAndOPA(t, writePack(t, files))
	vm := func(id string, p resource.Provider) *resource.Resource {
		return &resource.Resource{ID: id, Provider: p, Class: resource.ClassCompute, Type: "T", Region: "eu-west-1",
			Facts: resource.Facts{Compute: &resource.Compute{Identity: "role/a"}}}
	}
	for i, r := range direct.rules {
		if r.ID == "shadow-module-table" && direct.goMessages[i] == nil {
			t.Errorf("%s: the module's table, not shadowed, is not read on the Go fields", r.ID)
		}
	}
	compareEngines(t, direct, opa, []*resource.Resource{vm("a", resource.AWS), vm("g", resource.GCP)})
}

// TestGrantsMatchesOPA: role-custom-iam-admin judged on the Go fields
// (grants computed in Go: lower, replace and regex.match of the pattern
// built from the action) judges like OPA over Azure actions in mixed
// case, wildcards in every place, regular-expression characters the rule
// leaves unescaped, patterns that do not compile, in permission blocks
// (with not_actions taking the grant away) and in the flat actions list,
// and GCP permissions.
func TestGrantsMatchesOPA(t *testing.T) {
	b, err := fs.ReadFile(rules.FS(), "iam/role_custom_iam_admin.rego")
	if err != nil {
		t.Fatal(err)
	}
	direct, opa := directAndOPA(t, writePack(t, map[string]string{"r.rego": string(b)}))
	if d := direct.direct[0]; d == nil || !d.onGo {
		t.Fatal("role-custom-iam-admin is not evaluated on the Go fields")
	}
	actions := []string{"Microsoft.Authorization/roleAssignments/write", "MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE", "*",
		"Microsoft.Authorization/*", "microsoft.authorization/*/write", "Microsoft.Authorization/roleAssignments/*", "*/write",
		"Microsoft.Authorization/roleAssignments/read", "Microsoft.Compute/*", "microsoft?authorization/roleassignments/write",
		"microsoft.authorization/(roleassignments)/write", "microsoft.authorization/roleassignments/write|x*", "microsoft.authorization/[r]oleassignments/*",
		"microsoft.authorization/roleassignments/write(", "*[", "microsoft.authorization/roleassignments/w+rite*", "Microsoft.Authorization/roleAssignments/write ",
		"", "**", "microsoft.authorization/roleassignments/writ*e", "mİcrosoft.authorization/*", "microsoft.authorizatio./*", "microsoft.authorization.roleassignments/write", "microsoft.authorization/roleassignments/write\\*"}
	var inv []*resource.Resource
	role := func(id string, p resource.Provider, rd *resource.RoleDefinition) {
		inv = append(inv, &resource.Resource{ID: id, Provider: p, Class: resource.ClassRole, Type: "T", Facts: resource.Facts{Role: rd}})
	}
	for i, a := range actions {
		role(fmt.Sprintf("blk-%d", i), resource.Azure, &resource.RoleDefinition{Custom: resource.Bool(true), Permissions: []resource.RolePermission{{Actions: []string{"x/read", a}}}})
		role(fmt.Sprintf("not-%d", i), resource.Azure, &resource.RoleDefinition{Custom: resource.Bool(true), Permissions: []resource.RolePermission{
			{Actions: []string{"*"}, NotActions: []string{a}}}})
		role(fmt.Sprintf("flat-%d", i), resource.Azure, &resource.RoleDefinition{Custom: resource.Bool(true), Actions: []string{a}})
		role(fmt.Sprintf("builtin-%d", i), resource.Azure, &resource.RoleDefinition{Custom: resource.Bool(false), Actions: []string{a}})
		role(fmt.Sprintf("gcp-%d", i), resource.GCP, &resource.RoleDefinition{Custom: resource.Bool(true), IncludedPermissions: []string{a, "resourcemanager.Projects.setIamPolicy"[:i%3*12]}})
	}
	role("gcp-set", resource.GCP, &resource.RoleDefinition{Custom: resource.Bool(true), IncludedPermissions: []string{"resourcemanager.Projects.SETIAMPOLICY"}})
	role("empty", resource.Azure, &resource.RoleDefinition{Custom: resource.Bool(true)})
	compareEngines(t, direct, opa, inv)
}

// TestConfidentialAndHeadersMatchOPA: gcp-instance-confidential-computing-disabled
// (confidential_type computed in Go: split's first element in a set) and
// lb-invalid-headers-not-dropped (a listener of HTTP or HTTPS, any case,
// the every of its text written as not some) judged on the Go fields judge
// like OPA: machine types with and without a family of the set, empty,
// absent, cut at the first "-" only, in other cases; listeners absent,
// empty, of each protocol and case, mixed, without a protocol.
func TestConfidentialAndHeadersMatchOPA(t *testing.T) {
	for _, file := range []string{"gcp/gcp_instance_confidential_computing_disabled.rego", "loadbalancer/lb_invalid_headers_not_dropped.rego"} {
		b, err := fs.ReadFile(rules.FS(), file)
		if err != nil {
			t.Fatal(err)
		}
		direct, opa := directAndOPA(t, writePack(t, map[string]string{"r.rego": string(b)}))
		if d := direct.direct[0]; d == nil || !d.onGo {
			t.Fatalf("%s is not evaluated on the Go fields", file)
		}
		var inv []*resource.Resource
		add := func(p resource.Provider, typ string, f resource.Facts) {
			inv = append(inv, &resource.Resource{ID: fmt.Sprintf("r%d", len(inv)), Provider: p, Class: direct.rules[0].Class, Type: typ, Facts: f})
		}
		for _, mt := range []string{"", "n2d-standard-2", "N2D-standard-2", "n2d", "c3", "c3-", "-c3", "c3d-highcpu-4-lssd", "e2-medium", "n2dx-1", "a3-highgpu-8g",
			"n2d--x", "c2d-", " c3-standard", "c3\u00a0-x", "t2d-standard-1"} {
			for _, cc := range []*bool{nil, resource.Bool(false), resource.Bool(true)} {
				add(resource.GCP, "compute.googleapis.com/Instance", resource.Facts{Compute: &resource.Compute{MachineType: mt, ConfidentialComputing: cc}})
			}
		}
		add(resource.GCP, "compute.googleapis.com/Instance", resource.Facts{})
		listener := func(protos ...string) []resource.Listener {
			var ls []resource.Listener
			for _, p := range protos {
				ls = append(ls, resource.Listener{Protocol: p})
			}
			return ls
		}
		for _, ls := range [][]resource.Listener{nil, {}, listener("HTTP"), listener("https"), listener("Http"), listener("TCP"), listener("TCP", "TLS"),
			listener("TCP", "HTTPS"), listener(""), listener("UDP", "GENEVE"), listener("HTTP2"), listener("tcp", "http")} {
			for _, drop := range []*bool{nil, resource.Bool(false), resource.Bool(true)} {
				add(resource.AWS, "AWS::ElasticLoadBalancingV2::LoadBalancer", resource.Facts{LoadBalancer: &resource.LoadBalancer{DropInvalidHeaders: drop, Listeners: ls}})
				add(resource.AWS, "AWS::ElasticLoadBalancing::LoadBalancer", resource.Facts{LoadBalancer: &resource.LoadBalancer{DropInvalidHeaders: drop, Listeners: ls}})
			}
		}
		compareEngines(t, direct, opa, inv)
	}
}

// TestOutsideGoogleMatchesOPA: gcp-firewall-not-google-sources-only judged
// on the Go fields (outside_google a native predicate: the address
// pattern, then net.cidr_contains as OPA computes it) with its message in
// Go (the sorted set of sources outside Google's and the private ranges)
// judges and words like OPA over sources of every shape: addresses and
// ranges of both families inside, across and outside the ranges, IPv4 in
// IPv6 forms, masks out of range, text that only looks like an address,
// network tags and service accounts, duplicates; over rules of each
// direction, action, protocol and state.
func TestOutsideGoogleMatchesOPA(t *testing.T) {
	direct, opa := outsideGoogleEngines(t)
	sources := []string{"0.0.0.0/0", "::/0", "35.235.240.0/20", "35.235.240.7", "35.235.240.0/19", "35.235.255.255/32", "35.235.0.0/16",
		"130.211.1.0/24", "130.211.0.0/21", "35.191.0.0/16", "35.191.0.0/15", "209.85.152.1", "209.85.204.0/23", "2600:2d00:1:b029::/64",
		"2600:2d00:1:b029::/63", "2600:2d00:1:b029:1::/80", "2600:2d00:1:1::1", "2600:2d00:1:2::/64", "10.1.2.3", "10.0.0.0/7", "10.0.0.0/8",
		"172.16.5.0/24", "172.32.0.0/16", "192.168.0.0/16", "192.168.1.1/33", "100.64.0.0/10", "100.128.0.0/10", "127.0.0.1", "169.254.169.254",
		"fc00::1", "fd20::/48", "fe80::/10", "fe80::/9", "::ffff:10.1.2.3", "::ffff:35.235.240.1", "::ffff:0:0/96", "::ffff:10.0.0.0/104",
		"::ffff:8.8.8.8/128", "203.0.113.7", "203.0.113.7/32", "203.0.113.0/24", "8.8.8.8/0", "1.2.3", "1.2.3.4.5", "999.1.1.1", "1.2.3.4/",
		"1.2.3.4/999", "abc", "abc.def", "a:b", "::", ":::", "..", "0.0.0.0", "web", "app@p.iam.gserviceaccount.com", "1.2.3.4@x", "", " 1.2.3.4",
		"1.2.3.4 ", "01.2.3.4", "1.2.3.4/08", "2001:db8::/32", "2001:DB8::1", "Fe80::1"}
	var inv []*resource.Resource
	add := func(typ string, rules ...resource.FirewallRule) {
		inv = append(inv, &resource.Resource{ID: fmt.Sprintf("fw%d", len(inv)), Provider: resource.GCP, Class: resource.ClassFirewall, Type: typ,
			Facts: resource.Facts{Firewall: &resource.Firewall{Rules: rules}}})
	}
	in := func(proto string, srcs ...string) resource.FirewallRule {
		return resource.FirewallRule{Direction: "ingress", Action: "allow", Protocol: proto, FromPort: 443, ToPort: 443, Sources: srcs}
	}
	const typ = "compute.googleapis.com/Firewall"
	for i, s := range sources {
		add(typ, in("tcp", s))
		add(typ, in("tcp", s, sources[(i*7+3)%len(sources)], s), in("udp", sources[(i*5+1)%len(sources)]))
	}
	for _, proto := range []string{"tcp", "TCP", "udp", "17", "all", "icmp", "", "6", "esp"} {
		add(typ, in(proto, "203.0.113.7", "35.235.240.0/20"))
	}
	disabled := in("tcp", "0.0.0.0/0")
	disabled.Disabled = true
	deny, egress := in("tcp", "0.0.0.0/0"), in("tcp", "0.0.0.0/0")
	deny.Action, egress.Direction = "deny", "egress"
	add(typ, disabled, deny, egress)
	add(typ, disabled, in("tcp", "198.51.100.0/24"), deny)
	add(typ)
	add(typ, in("tcp"))
	add("compute.googleapis.com/Other", in("tcp", "0.0.0.0/0"))
	inv = append(inv, &resource.Resource{ID: "no-facts", Provider: resource.GCP, Class: resource.ClassFirewall, Type: typ})
	compareEngines(t, direct, opa, inv)
}

// outsideGoogleEngines returns gcp-firewall-not-google-sources-only (with
// lib/net) judged on the Go fields, and by OPA.
func outsideGoogleEngines(t testing.TB) (direct, opa *Engine) {
	t.Helper()
	files := map[string]string{}
	for name, path := range map[string]string{"r.rego": "gcp/gcp_firewall_not_google_sources_only.rego", "net.rego": "lib/net.rego"} {
		b, err := fs.ReadFile(rules.FS(), path)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = string(b)
	}
	dir := t.TempDir()
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	direct, err := New(context.Background(), []Source{DirSource(dir)})
	if err != nil {
		t.Fatal(err)
	}
	if opa, err = New(context.Background(), []Source{DirSource(dir)}, withoutDirect()); err != nil {
		t.Fatal(err)
	}
	if d := direct.direct[0]; d == nil || !d.onGo || direct.goMessages[0] == nil {
		t.Fatal("gcp-firewall-not-google-sources-only is not judged and worded on the Go fields")
	}
	return direct, opa
}
