package escalate

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/identity/graph"
	"github.com/vigil-sec/vigil/internal/resource"
)

// TestFindings: a path becomes a FAIL finding on the principal that can
// escalate, category privilege-escalation, naming every step; CRITICAL
// when allowed, HIGH when conditional.
func TestFindings(t *testing.T) {
	rs := append(awsBase(t, nil, allow("iam:CreateAccessKey", awsARN(acctA, "user", "root-admin")), sprintf(mfaAllow, "iam:AttachUserPolicy")), awsUser(t, acctA, "carl", sprintf(mfaAllow, "iam:AttachUserPolicy")))
	a := analyze(t, rs)
	ps, err := a.Paths(context.Background(), Options{To: []string{adminA}})
	if err != nil {
		t.Fatal(err)
	}
	fs := Findings(a.G, ps)
	by := map[string]finding.Finding{}
	for _, f := range fs {
		by[f.Resource.ID] = f
		if f.Category != Category || f.Status != finding.Fail || f.RuleID != RuleID {
			t.Errorf("finding %+v", f)
		}
	}
	m, ok := by[attacker]
	if !ok || m.Severity != finding.Critical || m.Resource.Type != "AWS::IAM::User" || m.Resource.Account != acctA ||
		!strings.Contains(m.Message, "aws-create-access-key") || !strings.Contains(m.Message, "aws-admin-policy") {
		t.Errorf("mallory: %+v", m)
	}
	c, ok := by[awsARN(acctA, "user", "carl")]
	if !ok || c.Severity != finding.High || !strings.Contains(c.Message, "if its conditions hold") || !strings.Contains(c.Message, "aws:MultiFactorAuthPresent") {
		t.Errorf("carl: %+v", c)
	}
	if _, ok := by[awsARN(acctA, "user", "root-admin")]; ok {
		t.Error("an admin is reported as escalating")
	}
	if len(Findings(a.G, nil)) != 0 {
		t.Error("findings without paths")
	}
}

func TestWriteFormats(t *testing.T) {
	ps := []Path{{Principal: "a", Target: "admin:x", Result: 3, Steps: []Step{{From: "a", To: "b", Method: "m1", Result: 3, Reason: "r"}, {From: "b", To: "admin:x", Method: "m|2", Grant: "g", Result: 2}}}}
	for f, want := range map[string]string{
		"text":    "a → admin:x (conditional, 2 step(s))\n  ├─ m1 → b\n  │     conditional: r\n  └─ m|2 → admin:x\n        by g\n",
		"dot":     "digraph escalation {\n  rankdir=LR;\n  node [shape=box, fontsize=10];\n  \"a\" [label=\"a\"];\n  \"b\" [label=\"b\"];\n  \"admin:x\" [label=\"admin:x\", style=filled, fillcolor=\"#f4cccc\"];\n  \"a\" -> \"b\" [label=\"m1\", style=dashed];\n  \"b\" -> \"admin:x\" [label=\"m|2\"];\n}\n",
		"mermaid": "flowchart LR\n  n0[\"a\"]\n  n1[\"b\"]\n  n2[\"admin:x\"]\n  n0 -.->|m1| n1\n  n1 -->|m#124;2| n2\n",
	} {
		var b bytes.Buffer
		if err := Write(&b, f, ps); err != nil || b.String() != want {
			t.Errorf("%s: %v\n%s\nwant\n%s", f, err, b.String(), want)
		}
	}
	var b bytes.Buffer
	if err := Write(&b, "json", nil); err != nil || strings.TrimSpace(b.String()) != "[]" {
		t.Errorf("json of no paths: %q %v", b.String(), err)
	}
	if err := Write(&b, "png", ps); err == nil {
		t.Error("unknown format accepted")
	}
}

// TestMethodsTable: every method has an ID, a name and what it yields,
// and every AWS action a method needs is asked of the evaluator.
func TestMethodsTable(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range Methods {
		if m.ID == "" || m.Name == "" || m.Yields == "" || seen[m.ID] {
			t.Errorf("method %+v", m)
		}
		seen[m.ID] = true
		if m.Provider == resource.AWS {
			for _, n := range m.Needs {
				if !slices.Contains(graph.ActionList, n) {
					t.Errorf("%s needs %s, which the graph does not ask the evaluator", m.ID, n)
				}
			}
		}
	}
	for _, id := range passRoleMethods {
		if MethodByID(id) == nil {
			t.Errorf("PassRole method %s not in the table", id)
		}
	}
}
