package compliance

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

var testNow = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

func fnd(rule string, p resource.Provider, id string, st finding.Status) finding.Finding {
	return finding.Finding{RuleID: rule, Status: st, Resource: resource.Ref{ID: id, Provider: p, Account: "acct-" + string(p), Region: "r1"}}
}

func testCatalogue() *Catalogue {
	return &Catalogue{Framework: "soc2", Controls: []CatalogueControl{
		{ID: "CC1.1", Title: "manual one"}, {ID: "CC6.1", Title: "access"}, {ID: "CC6.7", Title: "transit"},
		{ID: "CC7.2", Title: "monitoring"}, {ID: "CC9.2", Title: "vendors"}, {ID: "PI1.2", Title: "inputs"},
	}}
}

func testRules() []Rule {
	return []Rule{
		{ID: "r-access", Title: "access rule", Severity: finding.High, Frameworks: map[string][]string{"soc2": {"CC6.1"}}},
		{ID: "r-tls", Title: "tls rule", Severity: finding.Medium, Frameworks: map[string][]string{"soc2": {"CC6.7"}}},
		{ID: "r-log", Title: "log rule", Frameworks: map[string][]string{"soc2": {"CC7.2"}}},
	}
}

func TestBuildStatusesAndScores(t *testing.T) {
	fs := []finding.Finding{
		fnd("r-access", "aws", "b1", finding.Pass), fnd("r-access", "azure", "s1", finding.Pass), fnd("r-access", "gcp", "g1", finding.Pass),
		fnd("r-tls", "aws", "b1", finding.Pass), fnd("r-tls", "aws", "b2", finding.Fail), fnd("r-tls", "gcp", "g1", finding.Unknown),
		fnd("r-log", "azure", "s1", finding.Unknown),
	}
	rep := Build("soc2", testRules(), fs, Options{Catalogue: testCatalogue(), Now: testNow})
	got := map[string]Status{}
	for _, c := range rep.Controls {
		got[c.ID] = c.Status
	}
	want := map[string]Status{"CC1.1": NotCovered, "CC6.1": Passed, "CC6.7": Failed, "CC7.2": NotEvaluated, "CC9.2": NotCovered, "PI1.2": NotCovered}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: %s, want %s", id, got[id], w)
		}
	}
	s := rep.Summary
	// 1 passed of 6 controls: the three NOT_COVERED never count as passed.
	if s.Passed != 1 || s.NotCovered != 3 || *s.Score != 16.7 || *s.AutomatedScore != 50 || *s.Coverage != 50 {
		t.Errorf("summary = %+v score %v auto %v cov %v", s, *s.Score, *s.AutomatedScore, *s.Coverage)
	}
	tls := rep.Controls[2]
	if tls.Resources.Checked != 2 || tls.Resources.Failed != 1 || *tls.Score != 50 || tls.Resources.Unknown != 1 {
		t.Errorf("CC6.7 resources = %+v", tls.Resources)
	}
	if len(tls.Rules) != 1 || len(tls.Rules[0].Failed) != 1 || tls.Rules[0].Failed[0].ID != "b2" || tls.Rules[0].Failed[0].Account != "acct-aws" {
		t.Errorf("CC6.7 evidence = %+v", tls.Rules)
	}
	if tls.ByProvider[0].Provider != "aws" || tls.ByProvider[0].Checked != 2 || tls.ByProvider[2].Unknown != 1 {
		t.Errorf("CC6.7 by provider = %+v", tls.ByProvider)
	}
	// A framework whose controls are all NOT_COVERED scores 0, not 100 or n/a.
	none := Build("soc2", nil, nil, Options{Catalogue: testCatalogue(), Now: testNow})
	if none.Summary.NotCovered != 6 || none.Summary.Score == nil || *none.Summary.Score != 0 || none.Summary.AutomatedScore != nil {
		t.Errorf("no rules: %+v", none.Summary)
	}
}

func TestBuildAttestations(t *testing.T) {
	as, err := LoadAttestations("testdata/attestations/valid.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rules := testRules()
	// A failed attestation on a rule-backed control fails it.
	as.Items = append(as.Items, Attestation{Framework: "soc2", Control: "CC6.1", Status: AttestedFailed, By: "x", Date: testNow.AddDate(0, -1, 0), Where: "t:1"})
	fs := []finding.Finding{fnd("r-access", "aws", "b1", finding.Pass)}
	rep := Build("soc2", rules, fs, Options{Catalogue: testCatalogue(), Attestations: as, Now: testNow})
	byID := map[string]ControlEvidence{}
	for _, c := range rep.Controls {
		byID[c.ID] = c
	}
	for _, tc := range []struct {
		id     string
		status Status
		state  string
	}{{"CC1.1", Manual, "attested"}, {"CC9.2", Manual, "expired"}, {"PI1.2", Manual, "not-applicable"}, {"CC6.1", Failed, "failed"}} {
		c := byID[tc.id]
		if c.Status != tc.status || c.Attestation == nil || c.Attestation.State != tc.state {
			t.Errorf("%s: %s %+v, want %s %s", tc.id, c.Status, c.Attestation, tc.status, tc.state)
		}
	}
	s := rep.Summary
	// Passed: CC1.1 (attested) of 5 applicable (PI1.2 not applicable); the
	// expired CC9.2 is not passed.
	if s.Manual != 3 || s.ManualAttested != 1 || s.Expired != 1 || s.NotApplicable != 1 || *s.Score != 20 {
		t.Errorf("summary = %+v score %v", s, *s.Score)
	}
	// Before its expiry the same attestation counts.
	early := Build("soc2", rules, fs, Options{Catalogue: testCatalogue(), Attestations: as, Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if early.Summary.Expired != 0 || early.Summary.ManualAttested != 2 {
		t.Errorf("before expiry: %+v", early.Summary)
	}
}

func TestBuildRollsUpSubControls(t *testing.T) {
	cat := &Catalogue{Framework: "pci-dss-4.0", Controls: []CatalogueControl{{ID: "1.3"}, {ID: "1.3.1"}, {ID: "1.4"}}}
	rules := []Rule{{ID: "fw", Frameworks: map[string][]string{"pci-dss-4.0": {"1.3.1"}}}}
	rep := Build("pci-dss-4.0", rules, []finding.Finding{fnd("fw", "gcp", "x", finding.Fail)}, Options{Catalogue: cat, Now: testNow})
	if c := rep.Controls[0]; c.Status != Failed || len(c.Rules) != 1 || c.Rules[0].Via != "1.3.1" {
		t.Errorf("1.3 = %+v", c)
	}
	if c := rep.Controls[2]; c.Status != NotCovered {
		t.Errorf("1.4 = %s", c.Status)
	}
}

func TestBuildCISWithoutCatalogue(t *testing.T) {
	rules := []Rule{{ID: "x", Frameworks: map[string][]string{"cis-aws-7.0": {"3.1.1"}, "cis-azure-6.0": {"9.3.4"}}}}
	fs := []finding.Finding{fnd("x", "aws", "b", finding.Pass), fnd("x", "azure", "s", finding.Fail)}
	rep := Build("cis-aws-7.0", rules, fs, Options{Now: testNow})
	if rep.Catalogued || !strings.Contains(rep.Note, "unknown") || len(rep.Controls) != 1 || rep.Controls[0].Status != Passed {
		t.Errorf("cis without catalogue: %+v", rep)
	}
	// Only the AWS finding counts towards CIS AWS.
	if len(rep.Providers) != 1 || rep.Providers[0] != "aws" || rep.Controls[0].Resources.Checked != 1 {
		t.Errorf("providers %v resources %+v", rep.Providers, rep.Controls[0].Resources)
	}
}

func TestProviderFilter(t *testing.T) {
	fs := []finding.Finding{fnd("r-tls", "aws", "b2", finding.Fail), fnd("r-tls", "gcp", "g1", finding.Pass)}
	rep := Build("soc2", testRules(), fs, Options{Catalogue: testCatalogue(), Providers: []resource.Provider{"gcp"}, Now: testNow})
	if c := rep.Controls[2]; c.Status != Passed || c.Resources.Checked != 1 {
		t.Errorf("--provider gcp: %+v", c)
	}
}

// TestHTMLValidAndPrintable parses the HTML report and checks its print
// stylesheet.
func TestHTMLValidAndPrintable(t *testing.T) {
	fs := []finding.Finding{fnd("r-tls", "aws", "b<2>", finding.Fail), fnd("r-access", "gcp", "g1", finding.Pass)}
	as, _ := LoadAttestations("testdata/attestations/valid.yaml")
	rep := Build("soc2", testRules(), fs, Options{Catalogue: testCatalogue(), Attestations: as, Now: testNow})
	var b bytes.Buffer
	if err := Write(context.Background(), &b, "html", rep); err != nil {
		t.Fatal(err)
	}
	checkHTML(t, b.Bytes())
	var j bytes.Buffer
	if err := Write(context.Background(), &j, "json", rep); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(j.Bytes(), &back); err != nil || back.SchemaVersion != SchemaVersion || len(back.Controls) != 6 {
		t.Errorf("JSON round trip: %v %+v", err, back.Summary)
	}
	if err := Write(context.Background(), &j, "pdf", rep); err == nil {
		t.Error("format pdf accepted")
	}
}

// checkHTML fails unless doc is well-formed HTML (every element closed in
// order, no stray end tags) with a print stylesheet that breaks pages per
// section and a controls table.
func checkHTML(t *testing.T, doc []byte) {
	t.Helper()
	z := html.NewTokenizer(bytes.NewReader(doc))
	var stack []string
	void := map[string]bool{"meta": true, "br": true, "link": true, "img": true, "hr": true, "input": true}
	var style strings.Builder
	inStyle := false
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		tok := z.Token()
		switch tt {
		case html.StartTagToken:
			if !void[tok.Data] {
				stack = append(stack, tok.Data)
			}
			inStyle = tok.Data == "style"
		case html.EndTagToken:
			if len(stack) == 0 || stack[len(stack)-1] != tok.Data {
				t.Fatalf("end tag </%s> does not close the open element (open: %v)", tok.Data, stack)
			}
			stack = stack[:len(stack)-1]
			inStyle = false
		case html.TextToken:
			if inStyle {
				style.WriteString(tok.Data)
			}
		}
	}
	if len(stack) != 0 {
		t.Fatalf("unclosed elements: %v", stack)
	}
	if _, err := html.Parse(bytes.NewReader(doc)); err != nil {
		t.Fatal(err)
	}
	css := style.String()
	for _, want := range []string{"@media print", "@page{size:A4", "section.part{break-before:page}", "thead{display:table-header-group}"} {
		if !strings.Contains(css, want) {
			t.Errorf("stylesheet lacks %q", want)
		}
	}
	if !bytes.Contains(doc, []byte(`<table class="controls">`)) {
		t.Error("no controls table")
	}
}
