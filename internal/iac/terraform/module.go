package terraform

import (
	"github.com/vigil-sec/vigil/internal/iac/iacfile"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/vigil-sec/vigil/internal/source"
)

// maxFileBytes bounds a configuration file read into memory.
const maxFileBytes = 20 << 20

// module is one directory of configuration, parsed.
type module struct {
	dir       string // relative to the scanned root, slash-separated
	vars      []*hcl.Block
	locals    []*hcl.Attribute
	blocks    []*node // resources, data sources, module calls
	outputs   []*hcl.Attribute
	providers []*hcl.Block
	problems  []source.Problem

	shapeOnce sync.Once
	sh        *shape
}

// shape returns m's shape, worked out by its first evaluation.
func (m *module) shape() *shape {
	m.shapeOnce.Do(func() { m.sh = newShape(m) })
	return m.sh
}

// node is a resource, data source or module call block.
type node struct {
	kind  string // "resource", "data", "module"
	typ   string // resource type ("" for a module call)
	name  string
	block *hcl.Block
	file  string
}

var rootSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
	{Type: "variable", LabelNames: []string{"name"}},
	{Type: "locals"},
	{Type: "output", LabelNames: []string{"name"}},
	{Type: "provider", LabelNames: []string{"name"}},
	{Type: "resource", LabelNames: []string{"type", "name"}},
	{Type: "data", LabelNames: []string{"type", "name"}},
	{Type: "module", LabelNames: []string{"name"}},
	{Type: "terraform"}, {Type: "moved"}, {Type: "import"}, {Type: "check", LabelNames: []string{"name"}},
	{Type: "removed"}, {Type: "ephemeral", LabelNames: []string{"type", "name"}},
}}

var outputSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "value"}}}

// loader parses module directories once each; safe for concurrent use
// (root modules are evaluated concurrently, see walkRoots). A module it
// returns is not changed afterwards.
type loader struct {
	root string // the scanned root on disk
	mu   sync.Mutex
	mods map[string]*loadOnce
}

// loadOnce is a module directory parsed by the first caller wanting it.
type loadOnce struct {
	once sync.Once
	m    *module
}

func newLoader(root string) *loader {
	return &loader{root: root, mods: map[string]*loadOnce{}}
}

// isConfig reports whether name is a configuration file (not tfvars).
func isConfig(name string) bool {
	return strings.HasSuffix(name, ".tf") || strings.HasSuffix(name, ".tf.json")
}

// load parses the configuration files of dir (relative to the root).
func (l *loader) load(dir string) *module {
	dir = path.Clean(dir)
	l.mu.Lock()
	lo := l.mods[dir]
	if lo == nil {
		lo = &loadOnce{}
		l.mods[dir] = lo
	}
	l.mu.Unlock()
	lo.once.Do(func() { lo.m = l.parse(dir) })
	return lo.m
}

// parse reads and parses the configuration files of dir.
func (l *loader) parse(dir string) *module {
	m := &module{dir: dir}
	ents, err := os.ReadDir(filepath.Join(l.root, filepath.FromSlash(dir)))
	if err != nil {
		m.problems = append(m.problems, source.Problem{Path: dir, Err: "module directory cannot be read: " + err.Error()})
		return m
	}
	var names []string
	for _, e := range ents {
		if !e.IsDir() && isConfig(e.Name()) && !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	// Parse the files on every core, then take their blocks in order.
	parsed := make([]parsedFile, len(names))
	var wg sync.WaitGroup
	work := make(chan int)
	for range min(runtime.GOMAXPROCS(0), len(names)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				parsed[i] = parseFile(l.root, path.Join(dir, names[i]))
			}
		}()
	}
	for i := range names {
		work <- i
	}
	close(work)
	wg.Wait()
	for _, pf := range parsed {
		l.addFile(m, pf)
	}
	return m
}

// parsedFile is one configuration file parsed, or why it could not be.
type parsedFile struct {
	rel      string
	f        *hcl.File
	problems []source.Problem
}

// parseFile reads and parses one file (relative to root); safe to call
// from several goroutines.
func parseFile(root, rel string) parsedFile {
	pf := parsedFile{rel: rel}
	src, prob := readFile(root, rel)
	if prob != nil {
		pf.problems = append(pf.problems, *prob)
		return pf
	}
	var diags hcl.Diagnostics
	if strings.HasSuffix(rel, ".json") {
		pf.f, diags = hcljson.Parse(src, rel)
	} else {
		pf.f, diags = hclsyntax.ParseConfig(src, rel, hcl.InitialPos)
	}
	pf.problems = append(pf.problems, diagProblems(diags)...)
	return pf
}

// addFile adds the blocks of a parsed file to m.
func (l *loader) addFile(m *module, pf parsedFile) {
	m.problems = append(m.problems, pf.problems...)
	f, rel := pf.f, pf.rel
	if f == nil || f.Body == nil {
		return
	}
	content, _, diags := f.Body.PartialContent(rootSchema)
	m.problems = append(m.problems, diagProblems(diags)...)
	for _, b := range content.Blocks {
		switch b.Type {
		case "variable":
			m.vars = append(m.vars, b)
		case "locals":
			attrs, diags := b.Body.JustAttributes()
			m.problems = append(m.problems, diagProblems(diags)...)
			m.locals = append(m.locals, sortedAttrs(attrs)...)
		case "output":
			c, _, diags := b.Body.PartialContent(outputSchema)
			m.problems = append(m.problems, diagProblems(diags)...)
			if a, ok := c.Attributes["value"]; ok {
				a.Name = b.Labels[0]
				m.outputs = append(m.outputs, a)
			}
		case "provider":
			m.providers = append(m.providers, b)
		case "resource", "data":
			m.blocks = append(m.blocks, &node{kind: b.Type, typ: b.Labels[0], name: b.Labels[1], block: b, file: rel})
		case "module":
			m.blocks = append(m.blocks, &node{kind: "module", name: b.Labels[0], block: b, file: rel})
		}
	}
}

// readFile reads a file under root, refusing very large ones.
func readFile(root, rel string) ([]byte, *source.Problem) {
	src, err := iacfile.Read(filepath.Join(root, filepath.FromSlash(rel)), maxFileBytes)
	if err != nil {
		return nil, &source.Problem{Path: rel, Err: err.Error()}
	}
	return src, nil
}

// sortedAttrs returns attrs in source order.
func sortedAttrs(attrs hcl.Attributes) []*hcl.Attribute {
	out := make([]*hcl.Attribute, 0, len(attrs))
	for _, a := range attrs {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Range.Filename != out[j].Range.Filename {
			return out[i].Range.Filename < out[j].Range.Filename
		}
		return out[i].Range.Start.Byte < out[j].Range.Start.Byte
	})
	return out
}

// diagProblems turns error diagnostics into problems located at their line.
func diagProblems(diags hcl.Diagnostics) []source.Problem {
	var out []source.Problem
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		p := source.Problem{Err: d.Summary}
		if d.Detail != "" {
			p.Err += ": " + d.Detail
		}
		if d.Subject != nil {
			p.Path, p.Line = d.Subject.Filename, d.Subject.Start.Line
		}
		out = append(out, p)
	}
	return out
}

// dirFiles lists the names of the regular files of dir (relative to root).
func dirFiles(root, dir string) []string {
	ents, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(dir)))
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		if !e.IsDir() {
			out = append(out, e.Name())
		}
	}
	return out
}

// fileExists reports whether rel (relative to root) is a regular file.
func fileExists(root, rel string) bool {
	st, err := os.Stat(filepath.Join(root, filepath.FromSlash(rel)))
	return err == nil && st.Mode().IsRegular()
}

// dirExists reports whether rel (relative to root) is a directory.
func dirExists(root, rel string) bool {
	st, err := os.Stat(filepath.Join(root, filepath.FromSlash(rel)))
	return err == nil && st.IsDir()
}
