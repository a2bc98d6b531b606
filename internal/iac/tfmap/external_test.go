package tfmap_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/vigil-sec/vigil/internal/resource"
)

// externalRow is one row of testdata/external-checks.tsv: a vigil rule and
// a trivy-checks example of the same concern, with the snippets left out
// and the addresses the judging is limited to.
type externalRow struct {
	line          int
	rule, example string
	skip          map[string]bool // "bad1", "good0"
	only          []string        // addresses judged; all when empty
	// alone: each snippet is scanned on its own (a rule judging a
	// resource against the others of its account, which in IaC is every
	// resource read).
	alone bool
}

func readExternalTable(t *testing.T) []externalRow {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "external-checks.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []externalRow
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) < 2 || len(cols) > 3 {
			t.Fatalf("external-checks.tsv:%d: %q is not rule<TAB>example[<TAB>limits]", n, line)
		}
		row := externalRow{line: n, rule: cols[0], example: cols[1], skip: map[string]bool{}}
		if len(cols) == 3 {
			for _, l := range strings.Split(cols[2], ",") {
				if l == "alone" {
					row.alone = true
					continue
				}
				if strings.Contains(l, ".") {
					row.only = append(row.only, l)
				} else {
					row.skip[l] = true
				}
			}
		}
		rows = append(rows, row)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// corpusDir finds ../shared/corpus/iac-examples/trivy-checks/cloud above
// the package directory, or skips the test.
func corpusDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		c := filepath.Join(dir, "shared", "corpus", "iac-examples", "trivy-checks", "cloud")
		if st, err := os.Stat(c); err == nil && st.IsDir() {
			return c
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("../shared/corpus/iac-examples/trivy-checks is absent: the external-check examples are not run")
		}
		dir = parent
	}
}

// snippet is one Terraform example of a trivy check.
type snippet struct {
	name string // a file name unique over the table: rule/example/bad0/main.tf
	text string
	bad  bool
	row  externalRow
}

// externalSnippets reads the Terraform snippets of every row's example,
// without the ones the row leaves out.
func externalSnippets(t *testing.T, corpus string, rows []externalRow) []snippet {
	t.Helper()
	var out []snippet
	for _, row := range rows {
		data, err := os.ReadFile(filepath.Join(corpus, filepath.FromSlash(row.example)+".yaml"))
		if err != nil {
			t.Fatalf("external-checks.tsv:%d: %v", row.line, err)
		}
		var doc struct {
			Terraform struct {
				Good []string `yaml:"good"`
				Bad  []string `yaml:"bad"`
			} `yaml:"terraform"`
		}
		if err := yaml.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", row.example, err)
		}
		known := map[string]bool{}
		bads := 0
		for _, kind := range []string{"bad", "good"} {
			list := doc.Terraform.Bad
			if kind == "good" {
				list = doc.Terraform.Good
			}
			for i, s := range list {
				id := fmt.Sprintf("%s%d", kind, i)
				known[id] = true
				if row.skip[id] {
					continue
				}
				if kind == "bad" {
					bads++
				}
				name := fmt.Sprintf("%s/%s/%s/main.tf", row.rule, strings.ReplaceAll(row.example, "/", "_"), id)
				out = append(out, snippet{name: name, text: s, bad: kind == "bad", row: row})
			}
		}
		for id := range row.skip {
			if !known[id] {
				t.Errorf("external-checks.tsv:%d: %s has no Terraform snippet %s", row.line, row.example, id)
			}
		}
		if bads == 0 {
			t.Errorf("external-checks.tsv:%d: %s has no Terraform bad snippet left to fail", row.line, row.example)
		}
	}
	return out
}

// TestExternalChecksTable checks the table itself: every rule is a
// built-in rule for the example's cloud, every example has Terraform
// snippets, every limit names a snippet of it.
func TestExternalChecksTable(t *testing.T) {
	rows := readExternalTable(t)
	if len(rows) < 60 {
		t.Fatalf("only %d rows in external-checks.tsv", len(rows))
	}
	rules := map[string][]resource.Provider{}
	for _, r := range builtinEngine(t).Rules() {
		rules[r.ID] = r.Providers
	}
	cloud := map[string]resource.Provider{"aws": resource.AWS, "azure": resource.Azure, "google": resource.GCP}
	perCloud := map[resource.Provider]int{}
	for _, row := range rows {
		provs, found := rules[row.rule]
		if !found {
			t.Errorf("external-checks.tsv:%d: no built-in rule %s", row.line, row.rule)
			continue
		}
		p := cloud[strings.Split(row.example, "/")[0]]
		if !slices.Contains(provs, p) {
			t.Errorf("external-checks.tsv:%d: %s does not judge %s resources (%v)", row.line, row.rule, p, provs)
		}
		perCloud[p]++
	}
	for _, p := range []resource.Provider{resource.AWS, resource.Azure, resource.GCP} {
		if perCloud[p] < 15 {
			t.Errorf("only %d rows for %s", perCloud[p], p)
		}
	}
	snippets := externalSnippets(t, corpusDir(t), rows)
	if len(snippets) < 150 {
		t.Errorf("only %d snippets", len(snippets))
	}
}
