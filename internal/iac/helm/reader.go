package helm

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/common/util"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	"helm.sh/helm/v4/pkg/engine"
	"helm.sh/helm/v4/pkg/strvals"
	"sigs.k8s.io/yaml"

	"github.com/vigil-sec/vigil/internal/iac/kubernetes"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/source"
)

// Format is the batches' format name.
const Format = "helm"

// Detect reports whether the file at path (relative to the scanned root,
// slash-separated) is a chart's Chart.yaml. The other files under that
// directory are the chart's, which New reads as a whole.
func Detect(p string, head []byte) bool {
	return path.Base(p) == "Chart.yaml" && bytes.Contains(head, []byte("name:"))
}

// Options are the reader's options; the zero value renders each chart with
// its default values.
type Options struct {
	// ValuesFiles are values files merged over the charts' defaults, in
	// order (helm --values FILE); paths as the user gave them.
	ValuesFiles []string
	// Set are key=value assignments applied last (helm --set).
	Set []string
	// ReleaseName is the release's name, "release" when empty.
	ReleaseName string
	// Namespace is the release namespace. Empty: unknown, so objects the
	// chart places in the release namespace have no namespace fact.
	Namespace string
	// RenderTimeout bounds one chart's rendering (DefaultRenderTimeout
	// when zero): a chart is untrusted input, and a template can loop.
	RenderTimeout time.Duration
}

// DefaultRenderTimeout is how long one chart may take to render.
const DefaultRenderTimeout = 30 * time.Second

// unknownNamespace renders .Release.Namespace when Options.Namespace is
// empty; the reader removes it from the rendered text, so that objects in
// the release namespace read as having none.
const unknownNamespace = "vigil-release-namespace-not-set"

// New returns the source rendering the charts that files (relative to
// root, slash-separated) belong to: each file's outermost enclosing
// directory holding a Chart.yaml (a vendored subchart under charts/ is
// rendered as part of its parent). One batch per chart. The source is a
// source.Finisher (see Finish).
func New(root string, files []string, opts Options) source.Source {
	return &reader{root: root, charts: chartDirs(root, files), opts: opts}
}

type reader struct {
	root     string
	charts   []string
	opts     Options
	builders []*kubernetes.Builder
}

// Finish lets each chart's workloads that leave
// automountServiceAccountToken to their service account take the setting
// of the chart's ServiceAccount object.
func (r *reader) Finish(_ context.Context, all []*resource.Resource) ([]*resource.Resource, []source.Problem) {
	for _, b := range r.builders {
		b.Finish(all)
	}
	return nil, nil
}

func (r *reader) Name() string { return "helm" }

// chartDirs returns the outermost chart directories of files, sorted.
func chartDirs(root string, files []string) []string {
	isChart := map[string]bool{} // directory → holds a Chart.yaml
	chart := func(dir string) bool {
		v, ok := isChart[dir]
		if !ok {
			_, err := os.Stat(filepath.Join(root, filepath.FromSlash(dir), "Chart.yaml"))
			v = err == nil
			isChart[dir] = v
		}
		return v
	}
	seen := map[string]bool{}
	var out []string
	for _, f := range files {
		dir, found := path.Dir(f), ""
		for {
			if chart(dir) {
				found = dir
			}
			if dir == "." || dir == "/" {
				break
			}
			dir = path.Dir(dir)
		}
		if found != "" && !seen[found] {
			seen[found] = true
			out = append(out, found)
		}
	}
	slices.Sort(out)
	return out
}

func (r *reader) Read(ctx context.Context, emit func(source.Batch) error) error {
	r.builders = nil
	vals, err := r.values()
	for _, dir := range r.charts {
		if err := ctx.Err(); err != nil {
			return err
		}
		batch := source.Batch{Input: dir, Format: Format}
		if err != nil {
			batch.Problems = append(batch.Problems, source.Problem{Path: dir, Err: err.Error()})
		} else {
			r.chart(ctx, dir, vals, &batch)
		}
		if err := emit(batch); err != nil {
			return err
		}
	}
	return nil
}

// values merges the values files and --set assignments, as helm does.
func (r *reader) values() (map[string]any, error) {
	base := map[string]any{}
	for _, f := range r.opts.ValuesFiles {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("values file: %w", err)
		}
		m, err := loader.LoadValues(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("values file %s: %w", f, err)
		}
		base = loader.MergeMaps(base, m)
	}
	for _, s := range r.opts.Set {
		if err := strvals.ParseInto(s, base); err != nil {
			return nil, fmt.Errorf("--set %s: %w", s, err)
		}
	}
	return base, nil
}

// chart renders one chart and reads its manifests into batch.
func (r *reader) chart(ctx context.Context, dir string, vals map[string]any, batch *source.Batch) {
	abs := filepath.Join(r.root, filepath.FromSlash(dir))
	problem := func(err error) {
		batch.Problems = append(batch.Problems, source.Problem{Path: dir + "/Chart.yaml", Err: err.Error()})
	}
	ch, err := loader.LoadDir(abs)
	if err != nil {
		problem(fmt.Errorf("chart %s does not load: %w", dir, err))
		return
	}
	name := ch.Name()
	if missing := missingDependencies(ch); len(missing) > 0 {
		problem(fmt.Errorf("chart %s: dependencies %s are not vendored under charts/ (run helm dependency build); rendered without them", name, strings.Join(missing, ", ")))
	}
	vals = deepCopy(vals)
	if err := chartutil.ProcessDependencies(ch, vals); err != nil {
		problem(fmt.Errorf("chart %s: dependencies: %w", name, err))
		return
	}
	ns := r.opts.Namespace
	if ns == "" {
		ns = unknownNamespace
	}
	release := r.opts.ReleaseName
	if release == "" {
		release = "release"
	}
	renderVals, err := util.ToRenderValues(ch, vals, common.ReleaseOptions{Name: release, Namespace: ns, Revision: 1, IsInstall: true}, common.DefaultCapabilities.Copy())
	if err != nil {
		problem(fmt.Errorf("chart %s: values: %w", name, err))
		return
	}
	rendered, err := r.render(ctx, ch, renderVals)
	if err != nil {
		p := source.Problem{Path: dir + "/Chart.yaml", Err: fmt.Sprintf("chart %s does not render: %v", name, err)}
		// Helm names the template and line: (chart/templates/x.yaml:4:26).
		if m := helmErrAt.FindStringSubmatch(err.Error()); m != nil {
			if file, src := r.templateFile(dir, name, m[1]); src != nil {
				p.Path, p.Line = file, atoi(m[2])
			}
		}
		batch.Problems = append(batch.Problems, p)
		return
	}
	keys := make([]string, 0, len(rendered))
	for k := range rendered {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b := kubernetes.NewBuilder()
	r.builders = append(r.builders, b)
	for _, k := range keys {
		base := path.Base(k)
		text := rendered[k]
		if strings.HasPrefix(base, "_") || base == "NOTES.txt" || len(strings.TrimSpace(text)) == 0 {
			continue
		}
		if r.opts.Namespace == "" {
			text = strings.ReplaceAll(text, unknownNamespace, "")
		}
		file, src := r.templateFile(dir, name, k)
		if len(text) > kubernetes.DefaultMaxFileBytes {
			batch.Problems = append(batch.Problems, source.Problem{Path: file, Err: fmt.Sprintf("renders %d MiB, more than a manifest is read (%d MiB); not read", len(text)>>20, kubernetes.DefaultMaxFileBytes>>20)})
			continue
		}
		readRendered(b, file, src, []byte(text), r.opts.Namespace, batch)
	}
	batch.Resources = append(batch.Resources, b.Namespaces()...)
}

// render renders a chart with the sequence functions bounded (see
// boundedFuncs), giving up after the render timeout: Go templates cannot be
// interrupted, so a chart that loops is reported and its rendering left to
// finish on its own while the scan goes on.
func (r *reader) render(ctx context.Context, ch *chart.Chart, vals common.Values) (map[string]string, error) {
	timeout := r.opts.RenderTimeout
	if timeout <= 0 {
		timeout = DefaultRenderTimeout
	}
	type result struct {
		out map[string]string
		err error
	}
	done := make(chan result, 1)
	go func() {
		e := engine.Engine{CustomTemplateFuncs: boundedFuncs()}
		out, err := e.RenderWithContext(ctx, ch, vals)
		done <- result{out, err}
	}()
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case res := <-done:
		return res.out, res.err
	case <-t.C:
		return nil, fmt.Errorf("rendering took longer than %s (a template that loops?); not read", timeout)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// maxSequence bounds the lists until/untilStep build and the text repeat
// builds: Sprig's own would allocate whatever a template asks for (`until
// 1000000000` is 8 GB).
const maxSequence = 1 << 20

// boundedFuncs replaces Sprig's until, untilStep and repeat with versions
// that refuse sizes beyond maxSequence, with the same results below it.
func boundedFuncs() map[string]any {
	untilStep := func(start, stop, step int) ([]int, error) {
		v := []int{}
		if step == 0 || (stop < start && step > 0) || (stop > start && step < 0) {
			return v, nil
		}
		if n := (int64(stop) - int64(start)) / int64(step); n > maxSequence {
			return nil, fmt.Errorf("untilStep %d %d %d: more than %d elements", start, stop, step, maxSequence)
		}
		if stop < start {
			for i := start; i > stop; i += step {
				v = append(v, i)
			}
			return v, nil
		}
		for i := start; i < stop; i += step {
			v = append(v, i)
		}
		return v, nil
	}
	return map[string]any{
		"untilStep": untilStep,
		"until": func(count int) ([]int, error) {
			step := 1
			if count < 0 {
				step = -1
			}
			return untilStep(0, count, step)
		},
		"repeat": func(count int, str string) (string, error) {
			if count > 0 && int64(count)*int64(len(str)) > maxSequence {
				return "", fmt.Errorf("repeat %d: more than %d bytes", count, maxSequence)
			}
			return strings.Repeat(str, max(count, 0)), nil
		},
	}
}

// readRendered parses a template's rendered output. Objects are located in
// the template file: at their own lines when the template has no template
// actions (its output is its text); else from the first to the last of
// their lines copied from the template (locator.object: each rendered
// object aligned with the template's document of the same rank when the
// template's documents, split at its "---" lines, each keep their actions
// balanced, so that every one renders into the output's document of the
// same rank, else with the whole template: objects a range or an if writes
// are located at the template lines that write them), an object alone in
// its document extending to the end of the template's document; else, with
// no line copied (an object written whole by an include or toYaml), over
// the template's document when it renders alone from it, else in the file
// with no line (the rendered output's lines are not the template's).
//
// Helm installs a namespaced object that names no namespace in the release
// namespace: with namespace set, the object is read as in it.
func readRendered(b *kubernetes.Builder, file string, src, text []byte, namespace string, batch *source.Batch) {
	b.DefaultNamespace = namespace
	literal := src != nil && bytes.Equal(bytes.TrimSpace(src), bytes.TrimSpace(text)) && !bytes.Contains(src, []byte("{{"))
	outDocs := kubernetes.SplitDocuments(text)
	var srcDocs []kubernetes.Document
	if src != nil && !literal {
		srcDocs = kubernetes.SplitDocuments(src)
		if len(srcDocs) != len(outDocs) || slices.ContainsFunc(srcDocs, func(d kubernetes.Document) bool { return !balanced(d.Text) }) {
			srcDocs = nil
		}
	}
	var loc *locator
	for i, doc := range outDocs {
		objs, probs := kubernetes.ParseDocument(file, doc)
		for _, p := range probs {
			if !literal && p.Line > 0 {
				p.Err = fmt.Sprintf("%s (line %d of the rendered output)", p.Err, p.Line)
				p.Line = 0
			}
			batch.Problems = append(batch.Problems, p)
		}
		start, end := 0, 0
		if srcDocs != nil && len(objs) == 1 {
			if start, end = extent(srcDocs[i].Text); start > 0 {
				start, end = start+srcDocs[i].Line-1, end+srcDocs[i].Line-1
			}
		}
		var rendered [][]byte
		if !literal && src != nil && len(objs) > 0 {
			switch {
			case srcDocs != nil:
				loc = newLocator(srcDocs[i].Text, srcDocs[i].Line)
			case loc == nil:
				loc = newLocator(src, 1)
			}
			rendered = splitLines(doc.Text)
		}
		for _, o := range objs {
			if !literal {
				// The object's lines copied from the template, else the
				// template's document it alone renders from.
				var s, e int
				var lines []int
				if a, b := o.StartLine-doc.Line, o.EndLine-doc.Line+1; a >= 0 && a < b && b <= len(rendered) {
					s, e, lines = loc.object(rendered[a:b])
				}
				// A field's line in the rendered output (FieldLine) is the
				// template line it was written from, where known.
				from := o.StartLine
				o.LineMap = func(line int) int {
					if i := line - from; i >= 0 && i < len(lines) {
						return lines[i]
					}
					return 0
				}
				switch {
				case s > 0 && start > 0:
					o.StartLine, o.EndLine = s, max(e, end)
				case s > 0:
					o.StartLine, o.EndLine = s, e
				default:
					o.StartLine, o.EndLine = start, end
				}
			}
			start := o.StartLine
			r, probs := b.Add(file, o, batch)
			for i := range probs {
				if !literal {
					probs[i].Line = start
				}
			}
			batch.Problems = append(batch.Problems, probs...)
			if r != nil {
				batch.Resources = append(batch.Resources, r)
			}
		}
	}
}

var (
	openAction = regexp.MustCompile(`\{\{-?\s*(if|range|with|define|block)\b`)
	endAction  = regexp.MustCompile(`\{\{-?\s*end\b`)
)

// balanced reports whether a template text closes every action it opens.
func balanced(text []byte) bool {
	return len(openAction.FindAll(text, -1)) == len(endAction.FindAll(text, -1))
}

var helmErrAt = regexp.MustCompile(`\(([^():\s]+):(\d+):\d+\)`)

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// extent returns the first and last lines of a template holding text other
// than blank lines, comments and a leading document separator.
func extent(src []byte) (start, end int) {
	for i, l := range strings.Split(string(src), "\n") {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") || t == "---" || strings.HasPrefix(t, "{{/*") && strings.HasSuffix(t, "*/}}") || strings.HasPrefix(t, "{{- /*") {
			continue
		}
		if start == 0 {
			start = i + 1
		}
		end = i + 1
	}
	return start, end
}

// templateFile maps a rendered template's key (chart-name/templates/x.yaml,
// chart-name/charts/sub/templates/y.yaml) to its file relative to the
// scanned root and its source. A subchart is found by its Chart.yaml name
// under charts/ (an aliased one by the name its alias stands for); a template of a packaged subchart (charts/sub-1.0.0.tgz)
// is located at the archive, with no source.
func (r *reader) templateFile(dir, chartName, key string) (string, []byte) {
	rest := strings.TrimPrefix(key, chartName+"/")
	for {
		sub, ok := strings.CutPrefix(rest, "charts/")
		if !ok {
			break
		}
		subName, subRest, _ := strings.Cut(sub, "/")
		subName = dependencyName(filepath.Join(r.root, filepath.FromSlash(dir)), subName)
		found := ""
		entries, _ := os.ReadDir(filepath.Join(r.root, filepath.FromSlash(dir), "charts"))
		for _, e := range entries {
			p := path.Join(dir, "charts", e.Name())
			if e.IsDir() && chartNameOf(filepath.Join(r.root, filepath.FromSlash(p), "Chart.yaml")) == subName {
				found = p
				break
			}
			if !e.IsDir() && strings.HasSuffix(e.Name(), ".tgz") && strings.HasPrefix(e.Name(), subName+"-") {
				return p, nil
			}
		}
		if found == "" {
			return path.Join(dir, rest), nil
		}
		dir, rest = found, subRest
	}
	file := path.Join(dir, rest)
	src, err := os.ReadFile(filepath.Join(r.root, filepath.FromSlash(file)))
	if err != nil {
		return file, nil
	}
	return file, src
}

// dependencyName is the chart name of the dependency the chart in dir
// renders as name: helm renders an aliased dependency (dependencies[].alias
// in Chart.yaml, or requirements.yaml of an apiVersion v1 chart) under its
// alias, while its files are those of the chart named.
func dependencyName(dir, name string) string {
	for _, f := range []string{"Chart.yaml", "requirements.yaml"} {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			continue
		}
		var md struct {
			Dependencies []struct {
				Name  string `json:"name"`
				Alias string `json:"alias"`
			} `json:"dependencies"`
		}
		if yaml.Unmarshal(data, &md) != nil {
			continue
		}
		for _, d := range md.Dependencies {
			if d.Alias == name && d.Name != "" {
				return d.Name
			}
		}
	}
	return name
}

func chartNameOf(chartYAML string) string {
	data, err := os.ReadFile(chartYAML)
	if err != nil {
		return ""
	}
	var md struct {
		Name string `json:"name"`
	}
	if yaml.Unmarshal(data, &md) != nil {
		return ""
	}
	return md.Name
}

// missingDependencies lists the dependencies Chart.yaml declares that are
// not loaded from charts/ (as helm's action.CheckDependencies compares
// them, by name).
func missingDependencies(ch *chart.Chart) []string {
	var missing []string
	for _, d := range ch.Metadata.Dependencies {
		if !slices.ContainsFunc(ch.Dependencies(), func(c *chart.Chart) bool { return c.Name() == d.Name }) {
			missing = append(missing, d.Name)
		}
	}
	return missing
}

// deepCopy copies a values tree, which ProcessDependencies changes.
func deepCopy(v map[string]any) map[string]any {
	out := make(map[string]any, len(v))
	for k, x := range v {
		out[k] = deepCopyValue(x)
	}
	return out
}

func deepCopyValue(x any) any {
	switch x := x.(type) {
	case map[string]any:
		return deepCopy(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopyValue(e)
		}
		return out
	}
	return x
}
