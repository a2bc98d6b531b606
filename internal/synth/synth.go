package synth

import (
	"bufio"
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Mix says which resource types a synthetic inventory holds.
type Mix int

const (
	// Realistic: every resource of the sample organization (examples/org),
	// in its proportions: disks, snapshots, network interfaces, subnets,
	// functions, clusters, load balancers, queues, secrets, registries, DNS
	// zones, CDN, API gateways, IAM policies and groups beside the buckets,
	// instances and databases; a good share of them of types no built-in
	// rule evaluates, as in real AWS Config, Resource Graph and Cloud Asset
	// inventories.
	Realistic Mix = iota
	// RuleHeavy: only the sample organization's resources of types the
	// built-in rules evaluate: the worst case.
	RuleHeavy
)

func (m Mix) String() string {
	if m == RuleHeavy {
		return "rule-heavy"
	}
	return "realistic"
}

// Generate writes about n resources, split evenly across AWS, Azure and GCP,
// into dir, in the clouds' native export formats: AWS Config snapshots,
// Azure Resource Graph results and GCP Cloud Asset Inventory NDJSON (resource
// and IAM policy exports). It returns the number of resources written.
//
// The resources are copies ("replicas") of the sample organization's
// (internal/synth/templates, extracted from examples/org, planted
// misconfigurations included): each replica renames every resource ID with
// its own suffix, references between the resources of a replica included,
// so that relationships (a VM's disks, a key's bindings) resolve within it,
// and maps the sample's accounts, subscription and project onto 20
// synthetic AWS accounts, 10 subscriptions and 10 projects. The output is
// deterministic for a given n and mix.
func Generate(ctx context.Context, dir string, n int, mix Mix) (int, error) {
	clouds, err := loadTemplates()
	if err != nil {
		return 0, err
	}
	per := n / 3
	written := 0
	for ci, c := range clouds {
		target := per
		if ci == len(clouds)-1 {
			target = n - 2*per
		}
		k, err := c.generate(ctx, dir, target, mix)
		written += k
		if err != nil {
			return written, err
		}
	}
	return written, nil
}

// perFile is how many resources a generated file holds at most.
const perFile = 5000

// template is one resource of the sample organization, as its export
// carries it, cut at the identifiers a replica renames.
type template struct {
	Rule bool            `json:"rule"`
	Type string          `json:"type"`
	Doc  json.RawMessage `json:"doc"`
	// IAM marks a GCP IAM policy export line (written to its own files).
	IAM bool `json:"iam,omitempty"`

	parts []part
}

// part is a literal piece of a template's text, or an anchor to rename.
type part struct {
	lit    string
	anchor int // index into cloud.anchors, or -1
}

// templateFile is templates/<cloud>.json.
type templateFile struct {
	Cloud string `json:"cloud"`
	// Accounts are the sample's account identifiers (AWS account IDs, the
	// Azure subscription ID, the GCP project ID and number), mapped onto
	// synthetic ones in each replica.
	Accounts  []string   `json:"accounts"`
	Templates []template `json:"templates"`
}

type cloud struct {
	templateFile
	// anchors are the strings a replica renames: the accounts, then every
	// resource identifier (with a suffix per replica).
	anchors []string
	// account is, per anchor, the index of the account it is (-1: a
	// resource identifier).
	account []int
}

//go:embed templates/*.json
var templateFS embed.FS

var (
	loadOnce sync.Once
	loaded   []*cloud
	loadErr  error
)

func loadTemplates() ([]*cloud, error) {
	loadOnce.Do(func() {
		for _, name := range []string{"aws", "azure", "gcp"} {
			c := &cloud{}
			// <cloud>.json is extracted from examples/org; <cloud>-extra.json
			// adds resources of classes the sample does not have in that
			// cloud yet (templates/extra.py).
			for _, file := range []string{name + ".json", name + "-extra.json"} {
				data, err := templateFS.ReadFile("templates/" + file)
				if err != nil {
					if file != name+".json" {
						continue
					}
					loadErr = err
					return
				}
				var tf templateFile
				if err := json.Unmarshal(data, &tf); err != nil {
					loadErr = fmt.Errorf("synth templates %s: %w", file, err)
					return
				}
				c.Cloud = tf.Cloud
				for _, a := range tf.Accounts {
					if !slices.Contains(c.Accounts, a) {
						c.Accounts = append(c.Accounts, a)
					}
				}
				c.Templates = append(c.Templates, tf.Templates...)
			}
			if len(c.Templates) == 0 {
				loadErr = fmt.Errorf("synth templates %s: none", name)
				return
			}
			c.prepare()
			loaded = append(loaded, c)
		}
	})
	return loaded, loadErr
}

// prepare finds the anchors and cuts every template at them.
func (c *cloud) prepare() {
	seen := map[string]bool{}
	add := func(s string, account int) {
		if len(s) >= 6 && !seen[s] {
			seen[s] = true
			c.anchors = append(c.anchors, s)
			c.account = append(c.account, account)
		}
	}
	for j, a := range c.Accounts {
		add(a, j)
	}
	for i := range c.Templates {
		t := &c.Templates[i]
		var b bytes.Buffer
		if json.Compact(&b, t.Doc) == nil {
			t.Doc = b.Bytes()
		}
	next:
		for _, id := range identifiers(c.Cloud, t.Doc) {
			// An account's own resource ("projects/<number>") keeps its
			// name: it is the account every replica's resources sit in.
			for _, a := range c.Accounts {
				if strings.Contains(id, a) && len(id)-len(a) < 10 {
					continue next
				}
			}
			add(id, -1)
		}
	}
	for i := range c.Templates {
		t := &c.Templates[i]
		t.parts = cut(string(t.Doc), c.anchors)
	}
}

// cut splits text at the anchors' occurrences: leftmost first, the longest
// of those at a position (an ARN is renamed whole, not as the account or
// resource ID inside it).
func cut(text string, anchors []string) []part {
	type hit struct{ pos, anchor int }
	var hits []hit
	for a, s := range anchors {
		for off := 0; ; {
			i := strings.Index(text[off:], s)
			if i < 0 {
				break
			}
			hits = append(hits, hit{off + i, a})
			off += i + 1
		}
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].pos != hits[j].pos {
			return hits[i].pos < hits[j].pos
		}
		return len(anchors[hits[i].anchor]) > len(anchors[hits[j].anchor])
	})
	var parts []part
	start := 0
	for _, h := range hits {
		if h.pos < start {
			continue
		}
		if h.pos > start {
			parts = append(parts, part{lit: text[start:h.pos], anchor: -1})
		}
		parts = append(parts, part{anchor: h.anchor})
		start = h.pos + len(anchors[h.anchor])
	}
	if start < len(text) {
		parts = append(parts, part{lit: text[start:], anchor: -1})
	}
	return parts
}

// identifiers are a resource's own identifiers, renamed in each replica.
func identifiers(cloud string, doc json.RawMessage) []string {
	var m map[string]any
	if json.Unmarshal(doc, &m) != nil {
		return nil
	}
	s := func(k string) string { v, _ := m[k].(string); return v }
	switch cloud {
	case "aws":
		return []string{s("ARN"), s("resourceId")}
	case "azure":
		return []string{s("id")}
	case "gcp":
		// The asset name without its //service/ prefix: it is also the tail
		// of selfLinks and of other assets' references.
		name := strings.TrimPrefix(s("name"), "//")
		if i := strings.IndexByte(name, '/'); i >= 0 {
			name = name[i+1:]
		}
		return []string{name}
	}
	return nil
}

// replica holds the renamed anchors of one copy of the sample.
type replica []string

func (c *cloud) replica(g int) replica {
	r := make(replica, len(c.anchors))
	accounts := make([]string, len(c.Accounts))
	for j, a := range c.Accounts {
		accounts[j] = syntheticAccount(c.Cloud, a, g*len(c.Accounts)+j)
	}
	suffix := "-s" + strconv.FormatInt(int64(g), 36)
	for i, a := range c.anchors {
		if j := c.account[i]; j >= 0 {
			r[i] = accounts[j]
			continue
		}
		s := a
		for j, acct := range c.Accounts {
			if len(acct) >= 6 {
				s = strings.ReplaceAll(s, acct, accounts[j])
			}
		}
		r[i] = s + suffix
	}
	return r
}

// syntheticAccount maps an account identifier of the sample: the k-th one
// of the generation is one of 20 AWS accounts, 10 Azure subscriptions or 10
// GCP projects.
func syntheticAccount(cloud, orig string, k int) string {
	switch cloud {
	case "aws":
		return fmt.Sprintf("%012d", 100000000000+k%20)
	case "azure":
		return fmt.Sprintf("00000000-0000-4000-8000-%012d", k%10)
	}
	// GCP: a project ID or a project number (a project's both map to the
	// same synthetic project).
	if _, err := strconv.Atoi(orig); err == nil {
		return fmt.Sprintf("%d", 900000000000+(k/2)%10)
	}
	return fmt.Sprintf("synth-project-%02d", (k/2)%10)
}

func (t *template) appendTo(b []byte, r replica) []byte {
	for _, p := range t.parts {
		if p.anchor < 0 {
			b = append(b, p.lit...)
		} else {
			b = append(b, r[p.anchor]...)
		}
	}
	return b
}

// generate writes about target resources of the cloud.
func (c *cloud) generate(ctx context.Context, dir string, target int, mix Mix) (int, error) {
	var cycle, iam []*template
	for i := range c.Templates {
		t := &c.Templates[i]
		if mix == RuleHeavy && !t.Rule {
			continue
		}
		if t.IAM {
			iam = append(iam, t)
		} else {
			cycle = append(cycle, t)
		}
	}
	if len(cycle)+len(iam) == 0 {
		return 0, nil
	}
	w := &fileWriter{dir: filepath.Join(dir, c.Cloud), cloud: c.Cloud}
	written := 0
	for g := 0; written < target; g++ {
		if err := ctx.Err(); err != nil {
			return written, err
		}
		r := c.replica(g)
		for _, t := range cycle {
			if written == target {
				break
			}
			if err := w.add(t, r, false); err != nil {
				return written, err
			}
			written++
		}
		for _, t := range iam {
			if written == target {
				break
			}
			if err := w.add(t, r, true); err != nil {
				return written, err
			}
			written++
		}
	}
	return written, w.close()
}

// fileWriter writes a cloud's resources into files of perFile resources:
// AWS Config snapshots, Resource Graph results, Cloud Asset NDJSON (IAM
// policy lines in files of their own).
type fileWriter struct {
	dir   string
	cloud string
	open  [2]*openFile // resources, IAM policies
	files int
	buf   []byte
}

type openFile struct {
	f *os.File
	w *bufio.Writer
	n int
}

func (fw *fileWriter) add(t *template, r replica, iamLine bool) error {
	k := 0
	if iamLine {
		k = 1
	}
	of := fw.open[k]
	if of != nil && of.n == perFile {
		if err := fw.finish(of); err != nil {
			return err
		}
		of = nil
	}
	if of == nil {
		if err := os.MkdirAll(fw.dir, 0o755); err != nil {
			return err
		}
		name := map[string]string{"aws": "config-snapshot-%03d.json", "azure": "resources-%03d.json", "gcp": "assets-%03d.json"}[fw.cloud]
		if iamLine {
			name = "iam-policies-%03d.json"
		}
		f, err := os.Create(filepath.Join(fw.dir, fmt.Sprintf(name, fw.files)))
		if err != nil {
			return err
		}
		fw.files++
		of = &openFile{f: f, w: bufio.NewWriterSize(f, 256<<10)}
		fw.open[k] = of
		switch fw.cloud {
		case "aws":
			fmt.Fprintf(of.w, `{"fileVersion":"1.0","configSnapshotId":"synth-%d","configurationItems":[`, fw.files)
		case "azure":
			of.w.WriteString(`{"data":[`)
		}
	}
	if of.n > 0 && fw.cloud != "gcp" {
		of.w.WriteByte(',')
	}
	fw.buf = t.appendTo(fw.buf[:0], r)
	of.w.Write(fw.buf)
	if fw.cloud == "gcp" {
		of.w.WriteByte('\n')
	}
	of.n++
	return nil
}

func (fw *fileWriter) finish(of *openFile) error {
	switch fw.cloud {
	case "aws":
		of.w.WriteString("]}")
	case "azure":
		fmt.Fprintf(of.w, `],"count":%d,"skip_token":null,"total_records":%d}`, of.n, of.n)
	}
	if err := of.w.Flush(); err != nil {
		of.f.Close()
		return err
	}
	return of.f.Close()
}

func (fw *fileWriter) close() error {
	for i, of := range fw.open {
		if of != nil {
			if err := fw.finish(of); err != nil {
				return err
			}
			fw.open[i] = nil
		}
	}
	return nil
}
