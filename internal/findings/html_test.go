package findings

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

// TestWriteHTML: the page lists every finding with its vulnerability
// details and context, counts active findings per product and account by
// severity, and renders attacker-controlled values (titles, resource ids,
// package names) as text, never as markup.
func TestWriteHTML(t *testing.T) {
	yes := true
	fs := []Finding{
		{Product: Inspector, Kind: Vulnerability, ID: "f1", Title: `<script>alert("t")</script>`, Severity: finding.Critical, Status: Active,
			Resource: Resource{Provider: resource.AWS, Account: "111122223333", ID: `"><img src=x onerror=alert(1)>`, Exposed: &yes},
			Vuln:     &Vuln{ID: "CVE-2024-6387", CVSS: 8.1, Packages: []Package{{Name: "openssh-server", Version: "8.7p1", FixedVersion: "8.7p2"}}}},
		{Product: GuardDuty, ID: "f2", Title: "Recon", Severity: finding.High, Status: Active, Resource: Resource{Provider: resource.AWS, Account: "111122223333", ID: "i-1"}},
		{Product: GuardDuty, ID: "f3", Title: "Old", Severity: finding.High, Status: Resolved, Resource: Resource{Provider: resource.AWS, Account: "444455556666", ID: "i-2"}},
	}
	var buf bytes.Buffer
	if err := WriteHTML(&buf, fs, time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var rows, scripts, imgs int
	var text strings.Builder
	var walk func(n *html.Node, inFindings bool)
	walk = func(n *html.Node, inFindings bool) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script":
				scripts++
			case "img":
				imgs++
			case "table":
				for _, a := range n.Attr {
					if a.Key == "id" && a.Val == "findings" {
						inFindings = true
					}
				}
			case "tr":
				if inFindings && n.Parent != nil && n.Parent.Data == "tbody" {
					rows++
				}
			}
		}
		if n.Type == html.TextNode {
			text.WriteString(n.Data)
			text.WriteString(" ")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inFindings)
		}
	}
	walk(doc, false)
	if scripts != 0 || imgs != 0 {
		t.Errorf("cloud values became markup: %d script and %d img elements", scripts, imgs)
	}
	if rows != len(fs) {
		t.Errorf("%d finding rows, want %d", rows, len(fs))
	}
	got := text.String()
	for _, want := range []string{`<script>alert("t")</script>`, `"><img src=x onerror=alert(1)>`, "CVE-2024-6387", "openssh-server 8.7p1", "fixed in 8.7p2", "exposed", "not in the inventory"} {
		if !strings.Contains(got, want) {
			t.Errorf("page text lacks %q", want)
		}
	}
	// By account: 111122223333 has one critical and one high active; the
	// other account's only finding is resolved (counted in all statuses).
	for _, want := range []string{"aws 111122223333 1 1 0 0 0 2", "aws 444455556666 0 0 0 0 0 1", "GuardDuty 0 1 0 0 0 2"} {
		if !strings.Contains(strings.Join(strings.Fields(got), " "), want) {
			t.Errorf("summary lacks the row %q", want)
		}
	}
}
