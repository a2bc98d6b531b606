package report

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

// FuzzWriters feeds attacker-chosen resource names, IDs and messages (they
// come from cloud exports) through every writer: HTML must stay free of
// injected elements and external references, JSON and CSV must stay
// parseable with one record per finding.
func FuzzWriters(f *testing.F) {
	f.Add("<script>alert(1)</script>", `"><img src=https://evil.example/x>`, "javascript:alert(1)")
	f.Add("=cmd|' /C calc'!A0", "a\x1b[31mred", "\u202egnp.exe")
	f.Add("", "", "")
	f.Fuzz(func(t *testing.T, name, id, msg string) {
		fs := []finding.Finding{{RuleID: "r", Title: msg, Severity: finding.High, Status: finding.Fail, Message: msg,
			Remediation: msg, Resource: resource.Ref{ID: id, Name: name, Provider: resource.AWS, Account: name, Region: msg},
			Frameworks: []finding.Reference{{Framework: "soc2", Control: name}}},
			{RuleID: "r", Severity: finding.High, Status: finding.Unknown, Message: msg, Resource: resource.Ref{ID: name}}}
		rules := []finding.RuleInfo{{ID: "r", Title: name, Description: msg, Severity: finding.High,
			Frameworks: map[string][]string{"soc2": {name}}}}
		r := Build(fs, rules, fixedNow)
		r.Summary.Inventory = &finding.InventorySummary{Files: map[string]int{name: 1},
			Skipped: []finding.SkippedInput{{Path: id, Reason: msg}}}
		r.Color = ColorNever
		var buf bytes.Buffer
		if err := Write(context.Background(), &buf, "html", r); err != nil {
			t.Fatal(err)
		}
		doc, err := html.Parse(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		var walk func(n *html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.ElementNode {
				switch n.Data {
				case "script", "img", "iframe", "link", "object", "embed", "svg", "math", "form":
					t.Fatalf("injected <%s>", n.Data)
				}
				for _, a := range n.Attr {
					if a.Key == "src" || a.Key == "href" || strings.HasPrefix(a.Key, "on") {
						t.Fatalf("injected attribute %s=%q on <%s>", a.Key, a.Val, n.Data)
					}
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)

		buf.Reset()
		if err := Write(context.Background(), &buf, "json", r); err != nil {
			t.Fatal(err)
		}
		var doc2 struct{ Findings []json.RawMessage }
		if err := json.Unmarshal(buf.Bytes(), &doc2); err != nil || len(doc2.Findings) != 2 {
			t.Fatalf("json: %v %d", err, len(doc2.Findings))
		}
		buf.Reset()
		if err := Write(context.Background(), &buf, "csv", r); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil || len(rows) != 3 {
			t.Fatalf("csv: %v %d rows", err, len(rows))
		}
		buf.Reset()
		if err := Write(context.Background(), &buf, "table", r); err != nil {
			t.Fatal(err)
		}
		if strings.ContainsAny(buf.String(), "\x1b\x07\r") {
			t.Fatalf("control characters reach the terminal: %q", buf.String())
		}
		for _, format := range []string{"sarif", "ocsf"} {
			buf.Reset()
			if err := Write(context.Background(), &buf, format, r); err != nil {
				t.Fatal(err)
			}
			if !json.Valid(buf.Bytes()) {
				t.Fatalf("%s: invalid JSON", format)
			}
		}
	})
}
