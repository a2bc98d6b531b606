package iac

import (
	"bufio"
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/iac/terraform"
	"github.com/vigil-sec/vigil/internal/scan"
)

// projectExpect is a project's expect.txt: the rules judged and every
// finding they must give, as "STATUS RULE FILE:LINE ADDRESS" lines.
type projectExpect struct {
	rules []string
	vars  map[string]string
	want  []string
}

func readProjectExpect(t *testing.T, name string) projectExpect {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var pe projectExpect
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		switch fields[0] {
		case "rules":
			pe.rules = append(pe.rules, fields[1:]...)
		case "var":
			for _, kv := range fields[1:] {
				k, v, ok := strings.Cut(kv, "=")
				if !ok {
					t.Fatalf("%s:%d: var %q is not NAME=VALUE", name, n, kv)
				}
				if pe.vars == nil {
					pe.vars = map[string]string{}
				}
				pe.vars[k] = v
			}
		case "FAIL", "PASS", "UNKNOWN":
			// The address is the rest of the line: an ARM resource of a
			// nested deployment is "deployments/x > Microsoft...".
			if len(fields) < 4 {
				t.Fatalf("%s:%d: %q is not STATUS RULE FILE:LINE ADDRESS", name, n, line)
			}
			pe.want = append(pe.want, strings.Join(fields, " "))
		default:
			t.Fatalf("%s:%d: unknown line %q", name, n, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(pe.rules) == 0 || len(pe.want) == 0 {
		t.Fatalf("%s: no rules or no findings expected", name)
	}
	return pe
}

// TestProjects scans each project under testdata/projects: trees written
// the way real Terraform projects are (local and nested modules with
// variables and outputs, for_each over maps and sets, count, dynamic
// blocks, terraform.tfvars and *.auto.tfvars, locals, conditionals, split
// resources). For the rules its expect.txt names, the findings must be
// exactly the ones listed: each concern once, on the right address, file
// and line, the compliant variants passing (not unknown), nothing else.
func TestProjects(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("testdata", "projects", "*", "expect.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) < 3 {
		t.Fatalf("only %d projects", len(dirs))
	}
	for _, exp := range dirs {
		dir := filepath.Dir(exp)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			pe := readProjectExpect(t, exp)
			res, err := Scan(context.Background(), builtinEngine(t), Options{
				Paths:   []string{dir},
				Readers: Builtin(ReaderOptions{Terraform: terraform.Options{Vars: pe.vars}}),
				Scan:    scan.Options{Now: testNow, Filter: finding.Filter{Rules: pe.rules}},
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, ie := range res.Inventory.Errors {
				t.Errorf("input error: %v", ie)
			}
			var got []string
			for _, f := range res.Report.Findings {
				loc := f.Resource.Location
				if loc == nil {
					t.Errorf("%s %s: no location", f.RuleID, f.Resource.ID)
					continue
				}
				got = append(got, fmt.Sprintf("%s %s %s:%d %s", f.Status, f.RuleID, loc.File, loc.StartLine, loc.Address))
			}
			slices.Sort(got)
			want := slices.Sorted(slices.Values(pe.want))
			if !slices.Equal(got, want) {
				t.Errorf("findings differ (-missing +unexpected):\n%s", lineDiff(want, got))
			}
		})
	}
}

// lineDiff lists the lines of want missing from got (-) and the lines of
// got not in want (+), duplicates counted.
func lineDiff(want, got []string) string {
	count := map[string]int{}
	for _, w := range want {
		count[w]++
	}
	for _, g := range got {
		count[g]--
	}
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(count)) {
		switch c := count[k]; {
		case c > 0:
			fmt.Fprintf(&b, "- %s (x%d)\n", k, c)
		case c < 0:
			fmt.Fprintf(&b, "+ %s (x%d)\n", k, -c)
		}
	}
	return b.String()
}
