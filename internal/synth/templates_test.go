package synth_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/rules"
	"github.com/vigil-sec/vigil/internal/scan"
	"github.com/vigil-sec/vigil/internal/synth"
)

var update = flag.Bool("update", false, "regenerate templates/*.json from examples/org")

type templ struct {
	Rule bool            `json:"rule"`
	Type string          `json:"type"`
	Doc  json.RawMessage `json:"doc"`
	IAM  bool            `json:"iam,omitempty"`
}

type templFile struct {
	Cloud     string   `json:"cloud"`
	Accounts  []string `json:"accounts"`
	Templates []templ  `json:"templates"`
}

// TestExtractTemplates regenerates the synthetic inventory's templates from
// the sample organization (go test ./internal/synth -run Extract -update):
// every resource of its AWS Config snapshots, Resource Graph results and
// Cloud Asset exports, marked with whether the built-in rules evaluate its
// type (which the rule-heavy mix keeps).
func TestExtractTemplates(t *testing.T) {
	if !*update {
		t.Skip("run with -update to regenerate templates/*.json from examples/org")
	}
	org := filepath.Join("..", "..", "examples", "org")
	ctx := context.Background()
	e, err := policy.New(ctx, []policy.Source{{FS: rules.FS(), Name: "builtin", Builtin: true}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := scan.Run(ctx, e, scan.Options{Paths: []string{org}, Now: time.Date(2026, 11, 24, 6, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	ruleTypes := map[string]bool{}
	for _, f := range res.Report.Findings {
		ruleTypes[strings.ToLower(f.Resource.Type)] = true
	}

	aws := templFile{Cloud: "aws"}
	azure := templFile{Cloud: "azure"}
	gcp := templFile{Cloud: "gcp"}
	accounts := map[string]map[string]bool{"aws": {}, "azure": {}, "gcp": {}}
	err = filepath.WalkDir(org, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel := filepath.ToSlash(p)
		name := filepath.Base(p)
		switch {
		case strings.Contains(rel, "/ConfigSnapshot/"):
			var doc struct {
				Items []json.RawMessage `json:"configurationItems"`
			}
			readJSON(t, p, &doc)
			for _, it := range doc.Items {
				var h struct {
					Type    string `json:"resourceType"`
					Account string `json:"awsAccountId"`
				}
				json.Unmarshal(it, &h)
				accounts["aws"][h.Account] = true
				aws.Templates = append(aws.Templates, templ{Rule: ruleTypes[strings.ToLower(h.Type)], Type: h.Type, Doc: compact(t, it)})
			}
		case strings.HasPrefix(rel, org+"/azure/") && (name == "resources.json" || name == "authorizationresources.json" || name == "securityresources.json"):
			var doc struct {
				Data []json.RawMessage `json:"data"`
			}
			readJSON(t, p, &doc)
			for _, row := range doc.Data {
				var h struct {
					Type string `json:"type"`
					Sub  string `json:"subscriptionId"`
				}
				json.Unmarshal(row, &h)
				if h.Sub != "" {
					accounts["azure"][h.Sub] = true
				}
				azure.Templates = append(azure.Templates, templ{Rule: ruleTypes[strings.ToLower(h.Type)], Type: h.Type, Doc: compact(t, row)})
			}
		case strings.HasPrefix(rel, org+"/gcp/") && (name == "resource.json" || name == "iam_policy.json"):
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			sc := bufio.NewScanner(f)
			sc.Buffer(make([]byte, 1<<20), 16<<20)
			for sc.Scan() {
				line := bytes.TrimSpace(sc.Bytes())
				if len(line) == 0 {
					continue
				}
				var h struct {
					Name      string   `json:"name"`
					Type      string   `json:"asset_type"`
					Ancestors []string `json:"ancestors"`
				}
				if err := json.Unmarshal(line, &h); err != nil {
					t.Fatalf("%s: %v", p, err)
				}
				if i := strings.Index(h.Name, "/projects/"); i >= 0 {
					proj := strings.SplitN(h.Name[i+len("/projects/"):], "/", 2)[0]
					accounts["gcp"][proj] = true
				}
				for _, a := range h.Ancestors {
					if num, ok := strings.CutPrefix(a, "projects/"); ok {
						accounts["gcp"][num] = true
					}
				}
				iam := name == "iam_policy.json"
				gcp.Templates = append(gcp.Templates, templ{Rule: iam || ruleTypes[strings.ToLower(h.Type)], Type: h.Type, Doc: compact(t, line), IAM: iam})
			}
			return sc.Err()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, cloud := range []string{"aws", "azure", "gcp"} {
		markExtra(t, e, cloud)
	}
	for _, tf := range []*templFile{&aws, &azure, &gcp} {
		for a := range accounts[tf.Cloud] {
			if a != "" {
				tf.Accounts = append(tf.Accounts, a)
			}
		}
		sort.Strings(tf.Accounts)
		if len(tf.Templates) == 0 || len(tf.Accounts) == 0 {
			t.Fatalf("%s: %d templates, accounts %v", tf.Cloud, len(tf.Templates), tf.Accounts)
		}
		data, err := json.MarshalIndent(tf, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("templates", tf.Cloud+".json"), append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		rule := 0
		for _, x := range tf.Templates {
			if x.Rule {
				rule++
			}
		}
		t.Logf("%s: %d templates (%d of types rules evaluate), accounts %v", tf.Cloud, len(tf.Templates), rule, tf.Accounts)
	}
}

// markExtra sets the rule flags of templates/<cloud>-extra.json: a
// template's type is one rules evaluate when scanning the extra resources
// alone gives a finding on it.
func markExtra(t *testing.T, e *policy.Engine, cloud string) {
	path := filepath.Join("templates", cloud+"-extra.json")
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return
	} else if err != nil {
		t.Fatal(err)
	}
	var tf templFile
	if err := json.Unmarshal(data, &tf); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	switch cloud {
	case "aws":
		buf.WriteString(`{"fileVersion":"1.0","configSnapshotId":"x","configurationItems":[`)
	case "azure":
		buf.WriteString(`{"data":[`)
	}
	for i, x := range tf.Templates {
		if i > 0 && cloud != "gcp" {
			buf.WriteByte(',')
		}
		buf.Write(compact(t, x.Doc))
		if cloud == "gcp" {
			buf.WriteByte('\n')
		}
	}
	if cloud != "gcp" {
		buf.WriteString("]}")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "export.json"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := scan.Run(context.Background(), e, scan.Options{Paths: []string{dir}, Now: time.Date(2026, 11, 24, 6, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	for _, ie := range res.Inventory.Errors {
		t.Errorf("%s: %v", path, ie)
	}
	judged := map[string]bool{}
	for _, f := range res.Report.Findings {
		judged[strings.ToLower(f.Resource.Type)] = true
	}
	for i := range tf.Templates {
		tf.Templates[i].Rule = judged[strings.ToLower(tf.Templates[i].Type)]
		if !tf.Templates[i].Rule {
			t.Logf("%s: no rule judges %s", path, tf.Templates[i].Type)
		}
	}
	out, err := json.MarshalIndent(tf, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, append(out, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readJSON(t *testing.T, p string, v any) {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(p, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if data, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", p, err)
	}
}

func compact(t *testing.T, raw []byte) json.RawMessage {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestGenerate imports a small synthetic inventory of each mix: it imports
// cleanly, with as many resources as asked (merging adds one account
// resource per account), every class the sample has, unique IDs; the
// rule-heavy mix holds only resources of classes rules evaluate.
func TestGenerate(t *testing.T) {
	ctx := context.Background()
	e, err := policy.New(ctx, []policy.Source{{FS: rules.FS(), Name: "builtin", Builtin: true}})
	if err != nil {
		t.Fatal(err)
	}
	ruleClasses := map[resource.Class]bool{}
	for _, c := range e.Classes() {
		ruleClasses[c] = true
	}
	for _, mix := range []synth.Mix{synth.Realistic, synth.RuleHeavy} {
		t.Run(mix.String(), func(t *testing.T) {
			dir := t.TempDir()
			const n = 6000
			got, err := synth.Generate(ctx, dir, n, mix)
			if err != nil {
				t.Fatal(err)
			}
			if got != n {
				t.Errorf("wrote %d resources, want %d", got, n)
			}
			inv, err := importer.Load(ctx, []string{dir})
			if err != nil {
				t.Fatal(err)
			}
			for i, ie := range inv.Errors {
				if i == 5 {
					break
				}
				t.Errorf("input error: %v", ie)
			}
			if len(inv.Skipped) > 0 {
				t.Errorf("skipped: %v", inv.Skipped[0])
			}
			classes := map[resource.Class]int{}
			providers := map[resource.Provider]int{}
			for _, r := range inv.Resources {
				classes[r.Class]++
				providers[r.Provider]++
			}
			if len(inv.Resources) < n*9/10 {
				t.Errorf("imported %d resources from %d", len(inv.Resources), n)
			}
			if len(providers) != 3 {
				t.Errorf("providers %v", providers)
			}
			evaluated := 0
			for c, k := range classes {
				if ruleClasses[c] {
					evaluated += k
				}
			}
			t.Logf("%d resources, %d of classes rules evaluate; classes %v", len(inv.Resources), evaluated, classes)
			if mix == synth.RuleHeavy && evaluated < len(inv.Resources)*9/10 {
				t.Errorf("rule-heavy: only %d of %d resources are of classes rules evaluate", evaluated, len(inv.Resources))
			}
		})
	}
}
