package report

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/vigil-sec/vigil/internal/compliance"
	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/ocsf"
	"github.com/vigil-sec/vigil/internal/resource"
)

// The streaming writers must produce byte for byte what encoding the whole
// report in memory produced (and what text/tabwriter laid out), on reports
// larger and stranger than the golden fixture.

func streamReports() map[string]*Report {
	weird := fixture()
	weird.Findings = append(weird.Findings, finding.Finding{RuleID: "r\tx", Title: "tab\tand\nnewline ü “quotes” <b>&amp;",
		Severity: "ODD", Status: finding.Fail, Message: "héllo\u2028wörld \x1b[31m", Resource: weird.Findings[0].Resource})
	tagged := weird.Findings[0]
	tagged.Resource.Tags = map[string]string{"owner": "team-a@example.com", "b\"<q>": "v\n\u2028", "a": ""}
	weird.Findings = append(weird.Findings, tagged)
	sensitive := weird.Findings[0]
	sensitive.DataClass, sensitive.BaseSeverity, sensitive.Severity = "restricted (personal-data)", finding.High, finding.Critical
	weird.Findings = append(weird.Findings, sensitive)
	empty := Build(nil, nil, fixedNow)
	// Findings of one rule whose shared parts differ (the JSON writer keeps
	// the encoding of a rule's shared parts): a changed title, severity or
	// remediation, frameworks from another slice, the same slice shortened.
	variants := fixture()
	base := variants.Findings[0]
	base.Frameworks = []finding.Reference{{Framework: "a", Control: "1"}, {Framework: "b", Control: "2"}}
	for k := range 8 {
		f := base
		switch k {
		case 1:
			f.Title += " (changed)"
		case 2:
			f.Severity = finding.Low
		case 3:
			f.Remediation = "other\nremediation"
		case 4:
			f.Frameworks = []finding.Reference{{Framework: "a", Control: "1"}}
		case 5:
			f.Frameworks = base.Frameworks[:1]
		case 6:
			f.Frameworks, f.Remediation = nil, ""
		}
		variants.Findings = append(variants.Findings, f)
	}
	// Findings of tagged resources, interleaved, each resource's findings
	// sharing its Tags map (the JSON writer encodes a map's tags once).
	tagged2 := fixture()
	maps := []map[string]string{{"env": "prod", "owner": "a"}, {"env": "dev"}, {"z": "1", "a": "2", "m": "\u2028"}}
	for k := range 9 {
		f := tagged2.Findings[0]
		f.Resource.ID = fmt.Sprintf("res-%d", k%3)
		f.Resource.Tags = maps[k%3]
		tagged2.Findings = append(tagged2.Findings, f)
	}
	return map[string]*Report{"fixture": fixture(), "large": largeReport(3000), "weird": weird, "empty": empty, "variants": variants,
		"tags": tagged2}
}

func TestJSONStreamMatchesInMemory(t *testing.T) {
	for name, r := range streamReports() {
		// The JSON format as it was encoded in memory.
		doc := struct {
			Findings []finding.Finding `json:"findings"`
			Summary  jsonSummary       `json:"summary"`
		}{r.Findings, jsonSummary{GeneratedAt: r.GeneratedAt.UTC().Format(time.RFC3339), Version: r.Version,
			Summary: r.Summary, Compliance: r.Compliance}}
		if doc.Findings == nil {
			doc.Findings = []finding.Finding{}
		}
		if doc.Summary.Compliance == nil {
			doc.Summary.Compliance = []compliance.FrameworkSummary{}
		}
		if doc.Summary.Rules == nil {
			doc.Summary.Rules = []finding.RuleSummary{}
		}
		if doc.Summary.Providers == nil {
			doc.Summary.Providers = []finding.ProviderSummary{}
		}
		want := encodeIndented(t, doc)
		if got := render(t, "json", r); !bytes.Equal(got, want) {
			t.Errorf("%s: streamed JSON differs from the in-memory encoding:\n%s", name, firstDiff(got, want))
		}

		rules := r.ruleByID()
		all := make([]ocsf.ComplianceFinding, 0, len(r.Findings))
		for i := range r.Findings {
			all = append(all, ToOCSF(&r.Findings[i], rules[r.Findings[i].RuleID], r))
		}
		want = encodeIndented(t, all)
		if got := render(t, "ocsf", r); !bytes.Equal(got, want) {
			t.Errorf("%s: streamed OCSF differs from the in-memory encoding:\n%s", name, firstDiff(got, want))
		}
	}
}

func encodeIndented(t *testing.T, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSARIFStreamIsValid(t *testing.T) {
	for name, r := range streamReports() {
		got := render(t, "sarif", r)
		var log struct {
			Runs []struct {
				Results []json.RawMessage `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(got, &log); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		fails := 0
		for _, f := range r.Findings {
			if f.Status == finding.Fail {
				fails++
			}
		}
		if len(log.Runs) != 1 || len(log.Runs[0].Results) != fails {
			t.Errorf("%s: %d runs, want 1 with %d results", name, len(log.Runs), fails)
		}
		var re bytes.Buffer
		if err := json.Indent(&re, got, "", "  "); err != nil || !bytes.Equal(re.Bytes(), got) {
			t.Errorf("%s: SARIF is not indented as encoding/json indents it", name)
		}
	}
}

// TestTableMatchesTabwriter lays the rows out with text/tabwriter, as the
// table writer did before it streamed, and compares.
func TestTableMatchesTabwriter(t *testing.T) {
	for name, r := range streamReports() {
		for _, color := range []ColorMode{ColorNever, ColorAlways} {
			for _, passing := range []bool{false, true} {
				r.Color, r.ListPassing = color, passing
				got := render(t, "table", r)
				var want bytes.Buffer
				paint := func(code, s string) string {
					if color == ColorNever {
						return s
					}
					return code + s + ansiReset
				}
				tw := tabwriter.NewWriter(&want, 0, 0, 2, ' ', 0)
				listed, hidden := 0, 0
				var cells [tableColumns]string
				for i := range r.Findings {
					f := &r.Findings[i]
					if f.Status == finding.Pass && !r.ListPassing {
						hidden++
						continue
					}
					if listed == 0 {
						fmt.Fprintln(tw, strings.Join(tableHeader[:], "\t"))
					}
					listed++
					tableRow(&cells, f, paint)
					fmt.Fprintln(tw, strings.Join(cells[:], "\t"))
				}
				tw.Flush()
				if listed == 0 {
					fmt.Fprintln(&want, "No failing or unknown findings.")
				}
				fmt.Fprintln(&want)
				bw := bufio.NewWriter(&want)
				if err := writeFooter(bw, r, hidden, paint); err != nil {
					t.Fatal(err)
				}
				bw.Flush()
				if !bytes.Equal(got, want.Bytes()) {
					t.Errorf("%s (colour %v, passing %v): table differs from tabwriter's layout:\n%s", name, color, passing, firstDiff(got, want.Bytes()))
				}
			}
		}
	}
}

func TestIndentCompactMatchesIndent(t *testing.T) {
	for name, r := range streamReports() {
		for _, format := range []string{"json", "ocsf", "sarif", "ocsf-jsonl"} {
			data := render(t, format, r)
			for _, line := range bytes.Split(data, []byte("\n")) {
				if format != "ocsf-jsonl" {
					line = data
				}
				if len(bytes.TrimSpace(line)) == 0 {
					continue
				}
				checkIndent(t, name+"/"+format, line)
				if format != "ocsf-jsonl" {
					break
				}
			}
		}
	}
}

func checkIndent(t *testing.T, name string, doc []byte) {
	t.Helper()
	var compact bytes.Buffer
	if err := json.Compact(&compact, doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	for _, pi := range [][2]string{{"", "  "}, {"    ", "  "}, {"", "\t"}} {
		var want bytes.Buffer
		if err := json.Indent(&want, compact.Bytes(), pi[0], pi[1]); err != nil {
			t.Fatal(err)
		}
		if got := appendIndentCompact(nil, compact.Bytes(), pi[0], pi[1]); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("%s %q: appendIndentCompact differs from json.Indent:\n%s", name, pi, firstDiff(got, want.Bytes()))
		}
	}
}

func FuzzIndentCompact(f *testing.F) {
	f.Add(`{"a":[1,{"b":"c\"]}"},[],{}],"d":null}`)
	f.Add(`["\\",""]`)
	f.Fuzz(func(t *testing.T, s string) {
		var compact bytes.Buffer
		if json.Compact(&compact, []byte(s)) != nil {
			return
		}
		checkIndent(t, "fuzz", compact.Bytes())
	})
}

// TestWriteErrorsSurface: a failing destination is reported by every writer.
func TestWriteErrorsSurface(t *testing.T) {
	r := largeReport(2000)
	for _, format := range Formats {
		if err := Write(context.Background(), failingWriter{}, format, r); err == nil {
			t.Errorf("%s: no error from a failing writer", format)
		}
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, fmt.Errorf("disk full") }

func marshalNoHTML(t *testing.T, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// TestFindingJSONMatches: the JSON report's own finding encoder writes what
// encoding/json writes, and is in use (finding.Finding has the shape it
// knows; a changed model falls back to encoding/json, and this test says
// so).
func TestFindingJSONMatches(t *testing.T) {
	if !fastFindingJSON {
		t.Error("finding.Finding changed shape: the JSON report falls back to encoding/json; update appendFinding and sameShape")
	}
	for name, r := range streamReports() {
		for i := range r.Findings {
			f := &r.Findings[i]
			want := marshalNoHTML(t, f)
			if got := appendFinding(nil, f); !bytes.Equal(got, want) {
				t.Fatalf("%s: finding %d:\n got %s\nwant %s", name, i, got, want)
			}
			checkIndented(t, f, want)
		}
	}
}

func FuzzFindingJSON(f *testing.F) {
	f.Add("r", "t\x00\b\f\n\r\t\"\\<>&\u2028\u2029\x7f", "\xff\xfe", "", "ü", true)
	f.Fuzz(func(t *testing.T, a, b, c, d, e string, suppressed bool) {
		x := finding.Finding{RuleID: a, Title: b, Category: c, Severity: finding.Severity(d), Status: finding.Status(e),
			Message: a + b, Resource: resource.Ref{ID: b, Type: c, Provider: resource.Provider(d), Account: e, Region: a, Name: b},
			Remediation: c}
		if len(a)%2 == 0 {
			x.Frameworks = []finding.Reference{{Framework: b, Control: c}, {Framework: d, Control: e}}
		}
		if suppressed {
			x.Suppressed = &finding.Suppression{Reason: e, Expires: a}
		}
		if len(c)%2 == 1 {
			x.Resource.Tags = map[string]string{a: b, c: d, "owner": e}
		}
		if len(d)%2 == 1 {
			x.DataClass, x.BaseSeverity = e, finding.Severity(b)
		}
		if len(b)%2 == 1 {
			x.Resource.Location = &resource.Location{File: c, StartLine: len(a), EndLine: len(b), Address: d,
				Calls: []resource.Location{{File: e, StartLine: 1}}}
		}
		want := marshalNoHTML(t, &x)
		if got := appendFinding(nil, &x); !bytes.Equal(got, want) {
			t.Fatalf("got %s\nwant %s", got, want)
		}
		checkIndented(t, &x, want)
	})
}

// checkIndented compares appendFindingIndented with json.Indent of the
// compact encoding.
func checkIndented(t *testing.T, f *finding.Finding, compact []byte) {
	t.Helper()
	for _, pi := range [][2]string{{"    ", "  "}, {"", "\t"}} {
		var want bytes.Buffer
		if err := json.Indent(&want, compact, pi[0], pi[1]); err != nil {
			t.Fatal(err)
		}
		if got := appendFindingIndented(nil, f, pi[0], pi[1]); !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("indented %q:\n%s", pi, firstDiff(got, want.Bytes()))
		}
		// A resource of plain strings is copied as it is: the same text.
		if plainRef(&f.Resource) && f.Resource.Location == nil {
			if got := appendFindingPlain(nil, f, &f.Resource, pi[0], pi[1]); !bytes.Equal(got, want.Bytes()) {
				t.Fatalf("indented %q, plain resource:\n%s", pi, firstDiff(got, want.Bytes()))
			}
		}
	}
}

// TestEncodeFindingsInParallel: encoded on several workers, the findings
// come out in order with the same text as encoded one by one, and an error
// of the writer stops the encoding and is returned.
func TestEncodeFindingsInParallel(t *testing.T) {
	fs := largeReport(9*findingChunk + 77).Findings
	var want [][]byte
	if err := encodeFindings(fs, "    ", "  ", 1, func(b []byte) error { want = append(want, bytes.Clone(b)); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(want) != len(fs) {
		t.Fatalf("%d findings encoded, want %d", len(want), len(fs))
	}
	for _, workers := range []int{2, 3, 8} {
		// out runs on the encoding workers (one at a time): a mismatch
		// stops the encoding with an error rather than t.Fatal.
		n := 0
		err := encodeFindings(fs, "    ", "  ", workers, func(b []byte) error {
			if !bytes.Equal(b, want[n]) {
				return fmt.Errorf("finding %d:\n%s", n, firstDiff(b, want[n]))
			}
			n++
			return nil
		})
		if err != nil || n != len(fs) {
			t.Fatalf("%d workers: %d findings, err %v", workers, n, err)
		}
		stop := errors.New("disk full")
		n = 0
		err = encodeFindings(fs, "    ", "  ", workers, func([]byte) error {
			n++
			if n == 3*findingChunk+5 {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) || n != 3*findingChunk+5 {
			t.Fatalf("%d workers: after a write error: %d findings written, err %v", workers, n, err)
		}
	}
}

// taggedLargeReport is largeReport(n) with tags on most resources: maps
// shared by several resources, one per resource, and none.
func taggedLargeReport(n int) *Report {
	r := largeReport(n)
	shared := []map[string]string{{"env": "prod", "owner": "team-a"}, {"env": "dev"}, {"z": "1", "a": "2", "m": "\u2028<&>"}}
	for i := range r.Findings {
		switch i % 4 {
		case 0:
			r.Findings[i].Resource.Tags = shared[i%len(shared)]
		case 1, 2:
			r.Findings[i].Resource.Tags = map[string]string{"id": fmt.Sprint(i), "cost-centre": fmt.Sprint(i % 13)}
		}
	}
	return r
}

// sharedResourcesReport is taggedLargeReport(n) with its findings on m
// resources (each the resource of several rules' findings; with located,
// some with a source location), sorted worst first again.
func sharedResourcesReport(n, m int, located bool) *Report {
	r := taggedLargeReport(n)
	refs := make([]resource.Ref, m)
	for k := range refs {
		refs[k] = r.Findings[k].Resource
		if k%11 == 0 {
			refs[k].Name += " \"<&>\" é" // escaped: not plain
		}
		if located && k%5 == 0 {
			refs[k].Location = &resource.Location{File: fmt.Sprintf("modules/m%d/main.tf", k%7), StartLine: k, EndLine: k + 4,
				Address: fmt.Sprintf("aws_s3_bucket.b[\"%d<&>\"]", k)}
		}
	}
	fs := r.Findings
	fws := map[string][]finding.Reference{} // one per rule, as the engine shares them
	for i := range fs {
		fs[i].Resource = refs[(i*7)%m]
		if fw, ok := fws[fs[i].RuleID]; ok {
			fs[i].Frameworks = fw
		} else {
			fws[fs[i].RuleID] = fs[i].Frameworks
		}
	}
	return BuildWith(fs, nil, r.Rules, r.GeneratedAt)
}

// compactReport is r with its PASS findings held in Passes, as a scan with
// CompactPasses builds it (r's findings sorted worst first); the findings
// on one resource ID share one reference.
func compactReport(r *Report) *Report {
	passes := &finding.Passes{}
	runOf := map[string]int{}
	refOf := map[string]int32{}
	var rest []finding.Finding
	for i := range r.Findings {
		f := r.Findings[i]
		if f.Status != finding.Pass {
			rest = append(rest, f)
			continue
		}
		run, ok := runOf[f.RuleID]
		if !ok {
			proto := f
			proto.Resource = resource.Ref{}
			run = len(passes.Runs)
			runOf[f.RuleID] = run
			passes.Runs = append(passes.Runs, finding.PassRun{Proto: proto})
		}
		ref, ok := refOf[f.Resource.ID]
		if !ok {
			ref = int32(len(passes.Refs))
			refOf[f.Resource.ID] = ref
			passes.Refs = append(passes.Refs, f.Resource)
		}
		passes.Runs[run].Res = append(passes.Runs[run].Res, ref)
	}
	c := BuildWith(rest, passes, r.Rules, r.GeneratedAt)
	c.Version, c.Color, c.ListPassing, c.Inputs = r.Version, r.Color, r.ListPassing, r.Inputs
	c.Summary.Inventory = r.Summary.Inventory
	return c
}

// TestLargeReportsSameBytes: a report large enough to be encoded in
// parallel chunks, with tags (and the resources of PASS findings held
// compactly) encoded once in a table or per encoder, with its PASS
// findings held compactly or not, is written byte for byte as
// encoding/json writes the whole document in memory, and every format
// alike for the compact and the full report; so is a report whose
// resources are each the resource of several findings.
func TestLargeReportsSameBytes(t *testing.T) {
	t.Run("resource per finding", func(t *testing.T) { testLargeReportSameBytes(t, taggedLargeReport(9*findingChunk+77)) })
	t.Run("shared resources", func(t *testing.T) { testLargeReportSameBytes(t, sharedResourcesReport(9*findingChunk+77, 3001, true)) })
}

func testLargeReportSameBytes(t *testing.T, r *Report) {
	c := compactReport(r)
	if c.Passes.Len() == 0 || len(c.Findings) == 0 {
		t.Fatalf("compact report: %d findings, %d PASS findings apart", len(c.Findings), c.Passes.Len())
	}
	doc := struct {
		Findings []finding.Finding `json:"findings"`
		Summary  jsonSummary       `json:"summary"`
	}{r.Findings, jsonSummary{GeneratedAt: r.GeneratedAt.UTC().Format(time.RFC3339), Version: r.Version,
		Summary: r.Summary, Compliance: r.Compliance}}
	want := encodeIndented(t, doc)
	defer func(m int) { tagTableMin = m }(tagTableMin)
	for _, min := range []int{0, 1 << 30} {
		tagTableMin = min
		for name, rep := range map[string]*Report{"full": r, "compact": c} {
			if got := render(t, "json", rep); !bytes.Equal(got, want) {
				t.Errorf("%s, tag table from %d findings: JSON differs from the in-memory encoding:\n%s", name, min, firstDiff(got, want))
			}
		}
	}
	rules := r.ruleByID()
	all := make([]ocsf.ComplianceFinding, 0, len(r.Findings))
	for i := range r.Findings {
		all = append(all, ToOCSF(&r.Findings[i], rules[r.Findings[i].RuleID], r))
	}
	if got, want := render(t, "ocsf", c), encodeIndented(t, all); !bytes.Equal(got, want) {
		t.Errorf("OCSF differs from the in-memory encoding:\n%s", firstDiff(got, want))
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, format := range Formats {
		runtime.GOMAXPROCS(1)
		one := render(t, format, r)
		runtime.GOMAXPROCS(3)
		if got := render(t, format, c); !bytes.Equal(got, one) {
			t.Errorf("%s: the compact report on 3 workers differs from the full one on 1:\n%s", format, firstDiff(got, one))
		}
		if got := render(t, format, r); !bytes.Equal(got, one) {
			t.Errorf("%s: the report on 3 workers differs from 1:\n%s", format, firstDiff(got, one))
		}
	}
}

// TestEncodeChunksErrors: an element that fails to encode stops the
// encoding: the elements before it are written, in order, and its error is
// returned, on one worker or several.
func TestEncodeChunksErrors(t *testing.T) {
	bad := errors.New("unencodable")
	const n, failAt = 9*findingChunk + 5, 5*findingChunk + 17
	for _, workers := range []int{1, 3} {
		var got []int
		err := encodeChunks(n, workers, func() elementEncoder {
			return func(dst []byte, i int) ([]byte, error) {
				if i == failAt {
					return dst, bad
				}
				return fmt.Appendf(dst, "%d,", i), nil
			}
		}, func(text []byte, ends []int) error {
			start := 0
			for _, end := range ends {
				var k int
				if _, err := fmt.Sscanf(string(text[start:end]), "%d,", &k); err != nil {
					return err
				}
				got = append(got, k)
				start = end
			}
			return nil
		})
		if !errors.Is(err, bad) || len(got) != failAt {
			t.Fatalf("%d workers: %d elements written before the error, err %v", workers, len(got), err)
		}
		for i, k := range got {
			if k != i {
				t.Fatalf("%d workers: element %d written at %d", workers, k, i)
			}
		}
	}
}

// TestWhereFromMatchesWhere: the encoders' cursor places every finding of
// a compact report where the search does, read in order, in chunks taken
// out of order (as the encoding workers take them), and at random.
func TestWhereFromMatchesWhere(t *testing.T) {
	c := compactReport(sharedResourcesReport(9*findingChunk+77, 3001, true))
	v := c.view()
	if len(v.segs) < 3 {
		t.Fatalf("%d segments: the report should interleave PASS runs and findings", len(v.segs))
	}
	check := func(how string, at *cursor, i int) {
		t.Helper()
		run, k := v.where(i)
		if gr, gk := v.whereFrom(at, i); gr != run || gk != k {
			t.Fatalf("%s: finding %d placed at (%d, %d), want (%d, %d)", how, i, gr, gk, run, k)
		}
	}
	var at cursor
	for i := range v.n {
		check("in order", &at, i)
	}
	var chunked cursor
	chunks := (v.n + findingChunk - 1) / findingChunk
	for _, ch := range rand.New(rand.NewPCG(1, 2)).Perm(chunks) {
		for i := ch * findingChunk; i < min(v.n, (ch+1)*findingChunk); i++ {
			check("by chunks", &chunked, i)
		}
	}
	var random cursor
	rng := rand.New(rand.NewPCG(3, 4))
	for range 10000 {
		check("at random", &random, rng.IntN(v.n))
	}
}
