package detect

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// BenchmarkDetectRuleCount measures what a growing pack costs: the 290,000
// CloudTrail events of BenchmarkDetectCloudTrailLarge evaluated with 50,
// 100, 250 and 500 single-event rules loaded (CloudTrail rules first:
// vigil's built-ins and the SigmaHQ cloud rules, then the other sources'
// rules, then renamed copies to reach 500), no correlations. It reports
// events/s and events per CPU-second per rule count.
func BenchmarkDetectRuleCount(b *testing.B) {
	files := largeTrailFiles(b)
	docs := singleEventRuleDocs(b)
	for _, n := range []int{50, 100, 250, 500} {
		dir := b.TempDir()
		for i := range n {
			doc := docs[i%len(docs)]
			if c := i / len(docs); c > 0 {
				doc = renameRule(doc, c)
			}
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("r%04d.yml", i)), []byte(doc), 0o644); err != nil {
				b.Fatal(err)
			}
		}
		cfg := Config{RuleDirs: []string{dir}, NoBuiltins: true}
		eng, err := New(context.Background(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		if eng.Rules != n {
			b.Fatalf("%d rules loaded of %d written (%d errors: %v)", eng.Rules, n, len(eng.LoadErrors), eng.LoadErrors)
		}
		b.Run(fmt.Sprintf("rules=%d", n), func(b *testing.B) { benchRun(b, files, cfg) })
	}
}

var (
	ruleIDRe   = regexp.MustCompile(`(?m)^id: *[0-9a-fA-F-]+`)
	ruleNameRe = regexp.MustCompile(`(?m)^(name|title): *(.*)$`)
)

// renameRule gives copy c of a rule document its own id, name and title.
func renameRule(doc string, c int) string {
	doc = ruleIDRe.ReplaceAllString(doc, fmt.Sprintf("id: 00000000-0000-4000-8000-%012d", c*10000+len(doc)%10000))
	return ruleNameRe.ReplaceAllString(doc, fmt.Sprintf("$1: $2 copy %d", c))
}

// singleEventRuleDocs returns the loadable single-event rules of vigil's
// built-ins and of ../shared/corpus/sigma-cloud, one YAML document each,
// CloudTrail rules first, each group in a fixed order.
func singleEventRuleDocs(b *testing.B) []string {
	b.Helper()
	var docs []string
	add := func(text string) {
		for _, d := range strings.Split(text, "\n---\n") {
			d = strings.TrimPrefix(strings.TrimSpace(d), "---\n")
			if d == "" || strings.Contains(d, "\ncorrelation:") || strings.HasPrefix(d, "correlation:") || strings.Contains(d, "\nfilter:") {
				continue
			}
			docs = append(docs, d+"\n")
		}
	}
	if err := fs.WalkDir(BuiltinFS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yml") {
			return err
		}
		data, err := fs.ReadFile(BuiltinFS(), p)
		add(string(data))
		return err
	}); err != nil {
		b.Fatal(err)
	}
	root := corpus(b, "sigma-cloud")
	if err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yml") {
			return err
		}
		data, err := os.ReadFile(p)
		add(string(data))
		return err
	}); err != nil {
		b.Fatal(err)
	}
	// Keep only what loads on its own.
	var ok []string
	dir := b.TempDir()
	for i, d := range docs {
		p := filepath.Join(dir, fmt.Sprintf("d%04d.yml", i))
		if err := os.WriteFile(p, []byte(d), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	eng, err := New(context.Background(), Config{RuleDirs: []string{dir}, NoBuiltins: true})
	if err != nil {
		b.Fatal(err)
	}
	bad := map[string]bool{}
	for _, e := range eng.LoadErrors {
		bad[filepath.Base(e.Path)] = true
	}
	for i, d := range docs {
		if !bad[fmt.Sprintf("d%04d.yml", i)] {
			ok = append(ok, d)
		}
	}
	sort.SliceStable(ok, func(i, j int) bool {
		return strings.Contains(ok[i], "service: cloudtrail") && !strings.Contains(ok[j], "service: cloudtrail")
	})
	b.Logf("%d loadable single-event rules (%d not loadable)", len(ok), len(docs)-len(ok))
	return ok
}
