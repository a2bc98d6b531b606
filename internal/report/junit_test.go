package report

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string `xml:"name,attr"`
	Classname string `xml:"classname,attr"`
	File      string `xml:"file,attr"`
	Line      int    `xml:"line,attr"`
	Failure   *struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Body    string `xml:",chardata"`
	} `xml:"failure"`
	Skipped *struct {
		Message string `xml:"message,attr"`
	} `xml:"skipped"`
}

// TestJUnit parses the JUnit report back with encoding/xml: one suite per
// rule with consistent counts, failures for active FAILs located by
// file:line and address for an IaC resource, skipped for muted and
// unknown findings, passing cases for PASS.
func TestJUnit(t *testing.T) {
	r := fixture()
	iacRef := resource.Ref{ID: `main.tf:module.web.aws_s3_bucket.site["a&b"]`, Type: "AWS::S3::Bucket", Provider: resource.AWS,
		Location: &resource.Location{File: "modules/web/s3.tf", StartLine: 12, EndLine: 20, Address: `module.web.aws_s3_bucket.site["a&b"]`}}
	r.Findings = append(r.Findings, mk("storage-public-access", finding.Fail, iacRef, "policy grants s3:GetObject to *\x01"))
	var doc junitSuites
	if err := xml.Unmarshal(render(t, "junit", r), &doc); err != nil {
		t.Fatal(err)
	}
	var fails, skips int
	for _, f := range r.Findings {
		switch {
		case f.Status == finding.Fail && f.Suppressed == nil:
			fails++
		case f.Status != finding.Pass:
			skips++
		}
	}
	if doc.Tests != len(r.Findings) || doc.Failures != fails || doc.Skipped != skips || len(doc.Suites) != len(fixtureRules) {
		t.Fatalf("testsuites: tests %d failures %d skipped %d suites %d", doc.Tests, doc.Failures, doc.Skipped, len(doc.Suites))
	}
	var sawIaC, sawMuted, sawUnknown bool
	for _, s := range doc.Suites {
		var nf, ns int
		for _, c := range s.Cases {
			if c.Failure != nil {
				nf++
			}
			if c.Skipped != nil {
				ns++
				sawMuted = sawMuted || strings.HasPrefix(c.Skipped.Message, "suppressed: Static website")
				sawUnknown = sawUnknown || strings.HasPrefix(c.Skipped.Message, "unknown: ")
			}
			if c.File == "modules/web/s3.tf" {
				sawIaC = true
				if c.Line != 12 || c.Classname != "modules/web/s3.tf" || c.Name != `module.web.aws_s3_bucket.site["a&b"]` || c.Failure == nil ||
					!strings.HasPrefix(c.Failure.Message, `modules/web/s3.tf:12: module.web.aws_s3_bucket.site["a&b"]: policy grants`) ||
					c.Failure.Type != "CRITICAL" || !strings.Contains(c.Failure.Body, "Remediation: ") {
					t.Errorf("IaC case: %+v %+v", c, c.Failure)
				}
			}
		}
		if len(s.Cases) != s.Tests || nf != s.Failures || ns != s.Skipped || !strings.Contains(s.Name, ": ") {
			t.Errorf("suite %s: %d cases / %d tests, %d / %d failures, %d / %d skipped", s.Name, len(s.Cases), s.Tests, nf, s.Failures, ns, s.Skipped)
		}
	}
	if !sawIaC || !sawMuted || !sawUnknown {
		t.Errorf("iac %v muted %v unknown %v", sawIaC, sawMuted, sawUnknown)
	}
}
