package compliance

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

func f(rule, id string, st finding.Status) finding.Finding {
	return finding.Finding{RuleID: rule, Status: st, Severity: finding.High,
		Resource: resource.Ref{ID: id, Provider: resource.AWS}}
}

func byID(fs FrameworkSummary) map[string]Control {
	m := map[string]Control{}
	for _, c := range fs.Controls {
		m[c.ID] = c
	}
	return m
}

func TestSummarizeStatuses(t *testing.T) {
	rules := []Rule{
		{ID: "r-pass", Frameworks: map[string][]string{"cis-aws-7.0": {"1.1"}, "soc2": {"CC6.1"}}},
		{ID: "r-fail", Frameworks: map[string][]string{"cis-aws-7.0": {"1.2"}, "soc2": {"CC6.1"}}},
		{ID: "r-unknown", Frameworks: map[string][]string{"cis-aws-7.0": {"1.3"}}},
		{ID: "r-none", Frameworks: map[string][]string{"cis-aws-7.0": {"1.10"}}},
		{ID: "r-mixed", Frameworks: map[string][]string{"cis-aws-7.0": {"1.4"}}},
		{ID: "r-muted", Frameworks: map[string][]string{"cis-aws-7.0": {"1.5"}}},
		{ID: "r-pass-unknown", Frameworks: map[string][]string{"cis-aws-7.0": {"1.6"}}},
	}
	muted := f("r-muted", "b", finding.Fail)
	muted.Suppressed = &finding.Suppression{Reason: "accepted"}
	fs := []finding.Finding{
		f("r-pass", "a", finding.Pass), f("r-pass", "b", finding.Pass),
		f("r-fail", "a", finding.Pass), f("r-fail", "b", finding.Fail),
		f("r-unknown", "a", finding.Unknown), f("r-unknown", "b", finding.Unknown),
		f("r-mixed", "a", finding.Unknown), f("r-mixed", "b", finding.Fail), f("r-mixed", "c", finding.Pass),
		muted,
		f("r-pass-unknown", "a", finding.Pass), f("r-pass-unknown", "b", finding.Unknown),
	}
	out := Summarize(rules, fs)
	if len(out) != 2 || out[0].Framework != "cis-aws-7.0" || out[1].Framework != "soc2" {
		t.Fatalf("frameworks = %+v", out)
	}
	cis := byID(out[0])
	want := map[string]Status{
		"1.1": Passed, "1.2": Failed, "1.3": NotEvaluated, "1.10": NotEvaluated,
		"1.4": Failed, "1.5": Passed, "1.6": Passed,
	}
	for id, st := range want {
		if cis[id].Status != st {
			t.Errorf("control %s = %s, want %s", id, cis[id].Status, st)
		}
	}
	if c := cis["1.3"]; c.Unknown != 2 || c.Pass != 0 || c.Fail != 0 {
		t.Errorf("UNKNOWN must stay unknown: %+v", c.Counts)
	}
	if c := cis["1.5"]; c.Suppressed != 1 || c.Fail != 0 {
		t.Errorf("muted control counts: %+v", c.Counts)
	}
	if out[0].Passed != 3 || out[0].Failed != 2 || out[0].NotEvaluated != 2 || out[0].NotCovered != 0 {
		t.Errorf("cis counts: passed %d failed %d not evaluated %d", out[0].Passed, out[0].Failed, out[0].NotEvaluated)
	}
	if out[0].Score == nil || *out[0].Score != 60 {
		t.Errorf("cis score = %v, want 60", out[0].Score)
	}
	// natural order: 1.10 after 1.6
	var ids []string
	for _, c := range out[0].Controls {
		ids = append(ids, c.ID)
	}
	if got := strings.Join(ids, ","); got != "1.1,1.2,1.3,1.4,1.5,1.6,1.10" {
		t.Errorf("order = %s", got)
	}
	// one control, two rules: any FAIL fails it.
	soc := byID(out[1])
	if c := soc["CC6.1"]; c.Status != Failed || len(c.Rules) != 2 {
		t.Errorf("CC6.1 = %+v", c)
	}
	if out[1].Score == nil || *out[1].Score != 0 {
		t.Errorf("soc2 score = %v", out[1].Score)
	}
}

func TestSummarizeNoFindingsHasNilScore(t *testing.T) {
	out := Summarize([]Rule{{ID: "r", Frameworks: map[string][]string{"hipaa": {"164.312(b)"}}}}, nil)
	if len(out) != 1 || out[0].Score != nil || out[0].NotEvaluated != 1 {
		t.Fatalf("got %+v", out)
	}
}

func TestCatalogueNotCovered(t *testing.T) {
	tsv := "control_id\ttitle\tassessment\tprowler_checks\tprofile\tsection\n" +
		"1.1\tFirst\tAutomated\t\tLevel 1\t1 IAM\n" +
		"1.2\tSecond\tManual\t\tLevel 1\t1 IAM\n" +
		"2.1\tThird\tAutomated\tx\tLevel 2\t2 Storage\n"
	cat, err := ReadCatalogue("cis-aws-7.0", "test.tsv", strings.NewReader(tsv))
	if err != nil {
		t.Fatal(err)
	}
	rules := []Rule{
		{ID: "a", Frameworks: map[string][]string{"cis-aws-7.0": {"2.1", "9.9"}}},
	}
	out := Summarize(rules, []finding.Finding{f("a", "x", finding.Fail)}, cat)
	if len(out) != 1 || !out[0].Catalogued {
		t.Fatalf("got %+v", out)
	}
	c := byID(out[0])
	if c["1.1"].Status != NotCovered || c["1.2"].Status != NotCovered || c["1.1"].Title != "First" {
		t.Errorf("uncovered controls: %+v %+v", c["1.1"], c["1.2"])
	}
	if c["2.1"].Status != Failed || c["2.1"].Section != "2 Storage" {
		t.Errorf("2.1 = %+v", c["2.1"])
	}
	// a mapped control missing from the catalogue is still reported, after the catalogue's.
	if c["9.9"].Status != Failed || out[0].Controls[3].ID != "9.9" {
		t.Errorf("9.9 = %+v", out[0].Controls)
	}
	if out[0].NotCovered != 2 || out[0].Failed != 2 {
		t.Errorf("counts %+v", out[0])
	}
}

func TestReadCatalogueErrors(t *testing.T) {
	cases := map[string]string{
		"no header":  "1.1\tTitle\n",
		"empty id":   "control_id\ttitle\n\tTitle\n",
		"duplicate":  "control_id\ttitle\n1.1\tA\n1.1\tB\n",
		"empty file": "",
	}
	for name, in := range cases {
		_, err := ReadCatalogue("cis-aws-7.0", "bad.tsv", strings.NewReader(in))
		if err == nil || !strings.Contains(err.Error(), "bad.tsv") {
			t.Errorf("%s: err = %v, want an error naming the file", name, err)
		}
	}
	if _, err := ReadCatalogue("x", "dup.tsv", strings.NewReader("control_id\ttitle\n1.1\tA\n1.1\tB\n")); err == nil ||
		!strings.Contains(err.Error(), "dup.tsv:3") {
		t.Errorf("duplicate error should name line 3: %v", err)
	}
	if _, err := LoadCatalogue(filepath.Join(t.TempDir(), "controls.tsv")); err == nil {
		t.Error("expected an error for a file name without framework")
	}
}

// TestLoadCISCatalogues reads the real CIS control lists from the shared corpus.
func TestLoadCISCatalogues(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "cis")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("CIS catalogues not available at %s: %v", dir, err)
	}
	for file, key := range map[string]string{
		"cis_7.0_aws.tsv": "cis-aws-7.0", "cis_6.0_azure.tsv": "cis-azure-6.0", "cis_5.0_gcp.tsv": "cis-gcp-5.0",
	} {
		cat, err := LoadCatalogue(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		if cat.Framework != key || len(cat.Controls) < 50 {
			t.Errorf("%s: framework %s, %d controls", file, cat.Framework, len(cat.Controls))
		}
		for _, c := range cat.Controls {
			if c.Title == "" || (c.Assessment != "Automated" && c.Assessment != "Manual") {
				t.Errorf("%s: control %+v", file, c)
				break
			}
		}
		out := Summarize(nil, nil, cat)
		if len(out) != 1 || out[0].NotCovered != len(cat.Controls) {
			t.Errorf("%s: with no rules every control is not covered: %+v", file, out[0].NotCovered)
		}
	}
}

func TestControlLess(t *testing.T) {
	pairs := [][2]string{{"1.9", "1.10"}, {"CC6.2", "CC6.10"}, {"164.312(a)(1)", "164.312(b)"}, {"A.8.3", "A.8.24"}}
	for _, p := range pairs {
		if !ControlLess(p[0], p[1]) || ControlLess(p[1], p[0]) {
			t.Errorf("want %s < %s", p[0], p[1])
		}
	}
}

func TestCISCountsOnlyItsCloud(t *testing.T) {
	rules := []Rule{{ID: "storage-public", Frameworks: map[string][]string{
		"cis-aws-7.0": {"3.1.4"}, "cis-gcp-5.0": {"5.1"}, "soc2": {"CC6.1"}}}}
	gcpFail := f("storage-public", "gs://b", finding.Fail)
	gcpFail.Resource.Provider = resource.GCP
	out := Summarize(rules, []finding.Finding{f("storage-public", "arn:aws:s3:::a", finding.Pass), gcpFail})
	got := map[string]Status{}
	for _, fw := range out {
		got[fw.Framework] = fw.Controls[0].Status
	}
	if got["cis-aws-7.0"] != Passed || got["cis-gcp-5.0"] != Failed || got["soc2"] != Failed {
		t.Errorf("got %v", got)
	}
	if !AppliesTo("cis-azure-6.0", resource.Azure) || AppliesTo("cis-azure-6.0", resource.AWS) || !AppliesTo("hipaa", resource.GCP) {
		t.Error("AppliesTo")
	}
}

func FuzzReadCatalogue(f *testing.F) {
	f.Add("control_id\ttitle\tassessment\n1.1\tA\tManual\n")
	f.Add("control_id\ttitle\n1.1\tA\n1.1\tB\n")
	f.Add("title\n")
	f.Fuzz(func(t *testing.T, in string) {
		cat, err := ReadCatalogue("cis-aws-7.0", "fuzz.tsv", strings.NewReader(in))
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.tsv") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, c := range cat.Controls {
			if c.ID == "" || seen[c.ID] {
				t.Fatalf("bad control %+v", c)
			}
			seen[c.ID] = true
		}
		out := Summarize(nil, nil, cat)
		if len(out) != 1 || out[0].NotCovered != len(cat.Controls) {
			t.Fatalf("summary %+v", out)
		}
	})
}
