package report

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/ocsf"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func render(t *testing.T, format string, r *Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(context.Background(), &buf, format, r); err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	ext := map[string]string{"table": "txt", "json": "json", "csv": "csv", "ocsf": "ocsf.json",
		"ocsf-jsonl": "ocsf.jsonl", "sarif": "sarif", "junit": "junit.xml", "html": "html"}
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			r := fixture()
			r.Color = ColorNever
			got := render(t, format, r)
			path := filepath.Join("testdata", "golden."+ext[format])
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s output differs from %s (run go test -update after checking the change):\n%s", format, path, firstDiff(got, want))
			}
		})
	}
}

func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + a + "\nwant: " + b
		}
	}
	return ""
}

func TestOrderWorstFirst(t *testing.T) {
	r := fixture()
	for i := 1; i < len(r.Findings); i++ {
		if finding.Worse(&r.Findings[i], &r.Findings[i-1]) {
			t.Fatalf("finding %d (%s %s %s) sorts before %d", i, r.Findings[i].Severity, r.Findings[i].Status, r.Findings[i].RuleID, i-1)
		}
	}
	f := r.Findings
	// CRITICAL first: active FAIL, then muted FAIL, then UNKNOWN, then PASS.
	if f[0].RuleID != "storage-public-access" || f[0].Status != finding.Fail || f[0].Suppressed != nil ||
		f[1].Suppressed == nil || f[2].Status != finding.Unknown || f[3].Status != finding.Pass {
		t.Errorf("unexpected order: %v %v %v %v", f[0].Status, f[1].Status, f[2].Status, f[3].Status)
	}
	if last := f[len(f)-1]; last.Severity != finding.Low {
		t.Errorf("last = %s", last.Severity)
	}
}

func TestJSONShape(t *testing.T) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(render(t, "json", fixture()), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc) != 2 || doc["findings"] == nil || doc["summary"] == nil {
		t.Fatalf("top-level keys: %v", keys(doc))
	}
	var fs []map[string]any
	if err := json.Unmarshal(doc["findings"], &fs); err != nil {
		t.Fatal(err)
	}
	if len(fs) != 12 {
		t.Fatalf("%d findings", len(fs))
	}
	for _, f := range fs {
		res, _ := f["resource"].(map[string]any)
		if f["status"] == nil || f["rule_id"] == nil || f["severity"] == nil || res["id"] == nil || res["provider"] == nil {
			t.Fatalf("missing fields in %v", f)
		}
	}
	var sum struct {
		finding.Summary
		Compliance []struct {
			Framework string   `json:"framework"`
			Passed    int      `json:"passed"`
			Failed    int      `json:"failed"`
			NotCov    int      `json:"not_covered"`
			Score     *float64 `json:"score"`
		} `json:"compliance"`
		GeneratedAt string `json:"generated_at"`
	}
	if err := json.Unmarshal(doc["summary"], &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Fail != 5 || sum.Pass != 4 || sum.Unknown != 2 || sum.Suppressed != 1 || sum.Total != 12 {
		t.Errorf("counts: %+v", sum.Counts)
	}
	if sum.GeneratedAt != "2026-11-24T09:30:00Z" {
		t.Errorf("generated_at %q", sum.GeneratedAt)
	}
	// per-rule UNKNOWN counts
	for _, r := range sum.Rules {
		if r.RuleID == "keys-rotation" && (r.Unknown != 1 || r.Fail != 1 || r.Pass != 1) {
			t.Errorf("keys-rotation: %+v", r)
		}
	}
	// posture per cloud: aws pass 1 (acme-data) fail 2 (kms, sg) -> 33.3; azure pass 2 fail 1 -> 66.7; gcp pass 1 fail 2 -> 33.3
	want := map[string]float64{"aws": 33.3, "azure": 66.7, "gcp": 33.3}
	for _, p := range sum.Providers {
		if p.PostureScore == nil || *p.PostureScore != want[string(p.Provider)] {
			t.Errorf("%s score %v, want %v", p.Provider, p.PostureScore, want[string(p.Provider)])
		}
	}
	if sum.Inventory == nil || sum.Suppressions == nil || len(sum.Suppressions.Expired) != 1 {
		t.Errorf("inventory/suppressions missing: %+v %+v", sum.Inventory, sum.Suppressions)
	}
	if len(sum.Compliance) != 4 || sum.Compliance[0].Framework != "cis-aws-7.0" || sum.Compliance[0].NotCov != 1 {
		t.Errorf("compliance: %+v", sum.Compliance)
	}
}

func keys(m map[string]json.RawMessage) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestCSV(t *testing.T) {
	r := fixture()
	rows, err := csv.NewReader(bytes.NewReader(render(t, "csv", r))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != strings.Join(CSVColumns, ",") || len(rows) != len(r.Findings)+1 {
		t.Fatalf("header %v, %d rows", rows[0], len(rows))
	}
	col := map[string]int{}
	for i, c := range rows[0] {
		col[c] = i
	}
	var sawFormula, sawMuted bool
	for _, row := range rows[1:] {
		if len(row) != len(CSVColumns) {
			t.Fatalf("row width %d", len(row))
		}
		if strings.Contains(row[col["message"]], "HYPERLINK") {
			sawFormula = true
			if !strings.HasPrefix(row[col["message"]], "'=") {
				t.Errorf("formula not defused: %q", row[col["message"]])
			}
		}
		if row[col["suppressed"]] == "true" {
			sawMuted = row[col["suppression_reason"]] == "Static website, approved in SEC-101"
		}
	}
	if !sawFormula || !sawMuted {
		t.Errorf("formula %v muted %v", sawFormula, sawMuted)
	}
}

func TestOCSF(t *testing.T) {
	r := fixture()
	var arr []map[string]any
	if err := json.Unmarshal(render(t, "ocsf", r), &arr); err != nil {
		t.Fatal(err)
	}
	if len(arr) != len(r.Findings) {
		t.Fatalf("%d objects for %d findings", len(arr), len(r.Findings))
	}
	uids := map[string]bool{}
	wantCompliance := map[finding.Status]float64{finding.Pass: 1, finding.Unknown: 2, finding.Fail: 3}
	wantSev := map[finding.Severity]float64{finding.Critical: 5, finding.High: 4, finding.Medium: 3, finding.Low: 2}
	for i, o := range arr {
		f := r.Findings[i]
		num := func(k string) float64 { v, _ := o[k].(float64); return v }
		if num("class_uid") != 2003 || num("category_uid") != 2 || num("type_uid") != 200301 || num("activity_id") != 1 {
			t.Fatalf("class fields: %v", o)
		}
		if num("time") != float64(fixedNow.UnixMilli()) || num("severity_id") != wantSev[f.Severity] {
			t.Errorf("time/severity: %v %v", o["time"], o["severity_id"])
		}
		md := o["metadata"].(map[string]any)
		if md["version"] != ocsf.Version || md["product"].(map[string]any)["name"] != "vigil" {
			t.Errorf("metadata %v", md)
		}
		c := o["compliance"].(map[string]any)
		if c["status_id"].(float64) != wantCompliance[f.Status] || c["control"] != f.RuleID {
			t.Errorf("compliance %v for %s", c, f.Status)
		}
		if st, _ := c["standards"].([]any); len(st) == 0 {
			t.Errorf("compliance.standards is required: %v", c)
		}
		wantStatus := 1.0
		if f.Suppressed != nil {
			wantStatus = 3
		}
		if num("status_id") != wantStatus || o["status"] != ocsf.FindingStatusName(int(wantStatus)) {
			t.Errorf("status_id %v status %v", o["status_id"], o["status"])
		}
		fi := o["finding_info"].(map[string]any)
		uid, _ := fi["uid"].(string)
		if uid == "" || uids[uid] || fi["title"] != f.Title {
			t.Errorf("finding_info %v", fi)
		}
		uids[uid] = true
		res := o["resources"].([]any)[0].(map[string]any)
		if res["uid"] != f.Resource.ID {
			t.Errorf("resources %v", res)
		}
		cloud := o["cloud"].(map[string]any)
		if cloud["provider"] == "" || cloud["account"].(map[string]any)["uid"] != f.Resource.Account {
			t.Errorf("cloud %v", cloud)
		}
		if f.Remediation != "" && o["remediation"].(map[string]any)["desc"] != f.Remediation {
			t.Errorf("remediation %v", o["remediation"])
		}
	}
	// finding UIDs are stable across scans
	if FindingUID(&r.Findings[0]) != FindingUID(&fixture().Findings[0]) {
		t.Error("finding uid not stable")
	}
	// JSON lines: one object per line
	sc := bufio.NewScanner(bytes.NewReader(render(t, "ocsf-jsonl", r)))
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		var o map[string]any
		if err := json.Unmarshal(sc.Bytes(), &o); err != nil {
			t.Fatalf("line %d: %v", n+1, err)
		}
		n++
	}
	if n != len(r.Findings) {
		t.Errorf("%d lines", n)
	}
}

func TestSARIF(t *testing.T) {
	r := fixture()
	var log map[string]any
	if err := json.Unmarshal(render(t, "sarif", r), &log); err != nil {
		t.Fatal(err)
	}
	if log["version"] != "2.1.0" || !strings.Contains(log["$schema"].(string), "sarif") {
		t.Fatalf("version/schema: %v %v", log["version"], log["$schema"])
	}
	runs := log["runs"].([]any)
	if len(runs) != 1 {
		t.Fatalf("%d runs", len(runs))
	}
	run := runs[0].(map[string]any)
	driver := run["tool"].(map[string]any)["driver"].(map[string]any)
	if driver["name"] != "vigil" {
		t.Errorf("driver %v", driver["name"])
	}
	rules := driver["rules"].([]any)
	ruleIDs := map[string]int{}
	for i, x := range rules {
		rule := x.(map[string]any)
		id, _ := rule["id"].(string)
		ruleIDs[id] = i
		for _, k := range []string{"shortDescription", "fullDescription", "help"} {
			if txt, _ := rule[k].(map[string]any)["text"].(string); txt == "" {
				t.Errorf("rule %s: %s.text is required", id, k)
			}
		}
		props := rule["properties"].(map[string]any)
		sev, err := strconv.ParseFloat(props["security-severity"].(string), 64)
		if err != nil || sev <= 0 || sev > 10 {
			t.Errorf("rule %s: security-severity %v", id, props["security-severity"])
		}
		if tags, _ := props["tags"].([]any); len(tags) == 0 {
			t.Errorf("rule %s: no tags", id)
		}
	}
	if len(rules) != len(fixtureRules) {
		t.Errorf("%d rules", len(rules))
	}
	validLevel := map[string]bool{"none": true, "note": true, "warning": true, "error": true}
	results := run["results"].([]any)
	if len(results) != 6 { // 5 active + 1 muted FAIL; PASS/UNKNOWN are not results
		t.Fatalf("%d results", len(results))
	}
	var sawPhysical, sawSuppressed bool
	for _, x := range results {
		res := x.(map[string]any)
		id, _ := res["ruleId"].(string)
		idx, ok := ruleIDs[id]
		if !ok || int(res["ruleIndex"].(float64)) != idx {
			t.Errorf("result rule %s index %v", id, res["ruleIndex"])
		}
		if !validLevel[res["level"].(string)] {
			t.Errorf("level %v", res["level"])
		}
		if msg, _ := res["message"].(map[string]any)["text"].(string); msg == "" {
			t.Error("message.text is required")
		}
		locs := res["locations"].([]any)
		if len(locs) == 0 {
			t.Fatal("no locations")
		}
		loc := locs[0].(map[string]any)
		ll := loc["logicalLocations"].([]any)[0].(map[string]any)
		if ll["fullyQualifiedName"] == "" || ll["kind"] != "resource" {
			t.Errorf("logical location %v", ll)
		}
		if pl, ok := loc["physicalLocation"].(map[string]any); ok {
			sawPhysical = pl["artifactLocation"].(map[string]any)["uri"] == "examples/org/aws/111122223333/config-snapshot.json"
		}
		if fp, _ := res["partialFingerprints"].(map[string]any); len(fp) == 0 {
			t.Error("no partialFingerprints")
		}
		if sup, ok := res["suppressions"].([]any); ok {
			s := sup[0].(map[string]any)
			sawSuppressed = s["kind"] == "external" && s["status"] == "accepted" && s["justification"] != ""
		}
	}
	if !sawPhysical || !sawSuppressed {
		t.Errorf("physical location %v, suppression %v", sawPhysical, sawSuppressed)
	}
}

func TestHTML(t *testing.T) {
	r := fixture()
	out := render(t, "html", r)
	doc, err := html.Parse(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	var walk func(n *html.Node)
	elements := map[string]int{}
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			elements[n.Data]++
			for _, a := range n.Attr {
				v := strings.ToLower(strings.TrimSpace(a.Val))
				if (a.Key == "src" || a.Key == "href" || a.Key == "action" || a.Key == "srcset") &&
					(strings.HasPrefix(v, "http:") || strings.HasPrefix(v, "https:") || strings.HasPrefix(v, "//")) {
					t.Errorf("external reference <%s %s=%q>", n.Data, a.Key, a.Val)
				}
			}
			if n.Data == "style" && n.FirstChild != nil && strings.Contains(n.FirstChild.Data, "url(") {
				t.Error("CSS loads an external url()")
			}
		}
		if n.Type == html.TextNode {
			text.WriteString(n.Data)
			text.WriteString(" ")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	for _, el := range []string{"script", "link", "img", "iframe", "object"} {
		if elements[el] > 0 {
			t.Errorf("report has %d <%s> elements; it must be self-contained without scripts", elements[el], el)
		}
	}
	if elements["style"] != 1 || elements["table"] < 5 {
		t.Errorf("elements: %v", elements)
	}
	body := strings.Join(strings.Fields(text.String()), " ")
	for _, want := range []string{
		"Overall posture", "33.3%", "66.7%", // per cloud
		"CIS Amazon Web Services Foundations Benchmark v7.0.0", "manual / not covered",
		"arn:aws:ec2:us-east-1:111122223333:security-group/sg-0a1b2c3d", "111122223333", "us-east-1",
		"Restrict the source range to known networks or use a bastion.",
		"suppression for keys-rotation on * expired on 2026-06-30; findings are active again",
		"Static website, approved in SEC-101",
		"examples/org/gcp/broken.ndjson:7: invalid character '}'", "AWS::Lambda::Function", "examples/org/README.md",
		"arn:aws:kms:us-east-1:111122223333:key/<script>alert(1)</script>", // escaped, shown as text
	} {
		if !strings.Contains(body, want) {
			t.Errorf("HTML text lacks %q", want)
		}
	}
	if !bytes.Contains(out, []byte("@media print")) {
		t.Error("no print CSS")
	}
	// worst first: the CRITICAL group comes before HIGH, HIGH before MEDIUM.
	crit, high, med := bytes.Index(out, []byte(`group-CRITICAL`)), bytes.Index(out, []byte(`group-HIGH`)), bytes.Index(out, []byte(`group-MEDIUM`))
	if crit < 0 || !(crit < high && high < med) {
		t.Errorf("groups out of order: %d %d %d", crit, high, med)
	}
}

func TestTableColour(t *testing.T) {
	r := fixture()
	r.Color = ColorNever
	plain := string(render(t, "table", r))
	if strings.Contains(plain, "\x1b[") {
		t.Error("colour without a terminal")
	}
	r.Color = ColorAlways
	coloured := string(render(t, "table", r))
	if !strings.Contains(coloured, ansiBrRed+"CRITICAL") {
		t.Error("no colour with ColorAlways")
	}
	// ColorAuto on a buffer (not a TTY): no colour.
	r.Color = ColorAuto
	if strings.Contains(string(render(t, "table", r)), "\x1b[") {
		t.Error("colour on a non-terminal writer")
	}
	for _, want := range []string{"muted: Static website", "4 passing findings not listed",
		"Posture score (pass / (pass+fail), unknown excluded): aws 33.3%, azure 66.7%, gcp 33.3%",
		"input error: examples/org/gcp/broken.ndjson:7", "expired on 2026-06-30"} {
		if !strings.Contains(plain, want) {
			t.Errorf("table lacks %q", want)
		}
	}
	if strings.Contains(plain, "arn:aws:s3:::acme-data") {
		t.Error("PASS finding listed without ListPassing")
	}
	r.ListPassing, r.Color = true, ColorNever
	if !strings.Contains(string(render(t, "table", r)), "arn:aws:s3:::acme-data") {
		t.Error("PASS finding not listed with ListPassing")
	}
	if oneLine("a\x1b]0;pwned\x07b\nc") != "a]0;pwnedb c" {
		t.Errorf("control characters not stripped: %q", oneLine("a\x1b]0;pwned\x07b\nc"))
	}
}

func TestUnknownFormat(t *testing.T) {
	err := Write(context.Background(), &bytes.Buffer{}, "xml", fixture())
	if err == nil || !strings.Contains(err.Error(), "xml") {
		t.Errorf("err = %v", err)
	}
}

func TestFilter(t *testing.T) {
	fs := fixture().Findings
	count := func(f finding.Filter) int { return len(f.Apply(fs)) }
	if n := count(finding.Filter{}); n != len(fs) {
		t.Errorf("empty filter kept %d", n)
	}
	if n := count(finding.Filter{Providers: []string{"GCP"}}); n != 3 {
		t.Errorf("gcp: %d", n)
	}
	if n := count(finding.Filter{MinSeverity: finding.High}); n != 8 {
		t.Errorf("high+: %d", n)
	}
	if n := count(finding.Filter{Statuses: []finding.Status{finding.Unknown}}); n != 2 {
		t.Errorf("unknown: %d", n)
	}
	if n := count(finding.Filter{Rules: []string{"network-*"}}); n != 3 {
		t.Errorf("network-*: %d", n)
	}
	if n := count(finding.Filter{Rules: []string{"keys-rotation", "db-backups"}}); n != 4 {
		t.Errorf("rules: %d", n)
	}
	if n := count(finding.Filter{Frameworks: []string{"pci-dss-4.0"}}); n != 3 {
		t.Errorf("pci: %d", n)
	}
	if n := count(finding.Filter{Frameworks: []string{"cis"}}); n != 6 { // CIS AWS controls select AWS findings only
		t.Errorf("cis prefix: %d", n)
	}
	if n := count(finding.Filter{Frameworks: []string{"cis-aws"}, Providers: []string{"azure"}}); n != 0 {
		t.Errorf("cis-aws on azure: %d", n)
	}
	if n := count(finding.Filter{Frameworks: []string{"cis-aws"}, Providers: []string{"aws"}, MinSeverity: finding.Critical}); n != 3 {
		t.Errorf("combined: %d", n)
	}
	if n := count(finding.Filter{Frameworks: []string{"ci"}}); n != 0 {
		t.Errorf("partial word must not match: %d", n)
	}
}

func TestArtifactURI(t *testing.T) {
	if got := artifactURI(filepath.Join("examples", "org", "a b.json")); got != "examples/org/a%20b.json" {
		t.Errorf("relative: %s", got)
	}
}

func TestEmptyReport(t *testing.T) {
	r := Build(nil, nil, fixedNow)
	for _, format := range Formats {
		out := render(t, format, r)
		if len(out) == 0 && format != "ocsf-jsonl" { // no findings: no lines
			t.Errorf("%s: empty output", format)
		}
	}
	var doc struct {
		Findings []any          `json:"findings"`
		Summary  map[string]any `json:"summary"`
	}
	if err := json.Unmarshal(render(t, "json", r), &doc); err != nil || doc.Findings == nil || doc.Summary["posture_score"] != nil {
		t.Errorf("json: %v %+v", err, doc)
	}
	if !strings.Contains(string(render(t, "table", r)), "No failing or unknown findings.") {
		t.Error("table for an empty scan")
	}
	var arr []any
	if err := json.Unmarshal(render(t, "ocsf", r), &arr); err != nil || arr == nil || len(arr) != 0 {
		t.Errorf("ocsf of nothing must be []: %v %v", err, arr)
	}
}

func TestShorten(t *testing.T) {
	id := "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/app/providers/Microsoft.Sql/servers/acme-sql"
	got := shorten(id, 40)
	if len([]rune(got)) != 40 || !strings.HasPrefix(got, "/subscriptions/") || !strings.HasSuffix(got, "servers/acme-sql") {
		t.Errorf("shorten = %q", got)
	}
	if shorten("short", 40) != "short" {
		t.Error("short strings unchanged")
	}
}

// TestTableTagCoverage: with a governance policy's tagging standard, the
// table ends with its coverage in all, per account and per owner, least
// covered first, at most tagCoverageRows of each.
func TestTableTagCoverage(t *testing.T) {
	r := fixture()
	c := &finding.TagCoverage{Policy: "gov.yaml", OwnerTag: "owner", Total: finding.TagCoverageRow{Resources: 8, Compliant: 2}.Done()}
	for i := range 7 {
		c.ByOwner = append(c.ByOwner, finding.TagCoverageRow{Owner: fmt.Sprint("team-", i), Resources: 1, Compliant: i % 2}.Done())
	}
	c.ByAccount = []finding.TagCoverageRow{{Provider: "aws", Account: "111122223333", Resources: 8, Compliant: 2}}
	c.ByAccount[0] = c.ByAccount[0].Done()
	r.Summary.Tagging = c
	var buf bytes.Buffer
	if err := Write(context.Background(), &buf, "table", r); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"Tag coverage (gov.yaml): 2 of 8 resources carry the required tags (25.0%)",
		"by account: aws 111122223333 25.0% (2/8)",
		"by owner (owner): team-0 0.0% (0/1), team-1 100.0% (1/1)",
		"2 more",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}
