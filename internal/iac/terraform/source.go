package terraform

import (
	"bytes"
	"context"
	"io"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/vigil-sec/vigil/internal/iac/tfmap"
	"github.com/vigil-sec/vigil/internal/source"
	"github.com/zclconf/go-cty/cty"
)

// Options are the reader's options; the zero value is usable.
type Options struct {
	// VarFiles are tfvars files (paths on disk) applied to every root
	// module after its own terraform.tfvars and *.auto.tfvars, as -var-file.
	VarFiles []string
	// Vars are NAME=VALUE assignments applied last, as -var.
	Vars map[string]string
}

// Detect reports whether path is a Terraform configuration or variables
// file, or the JSON of a plan or state (terraform show -json) or a state as
// Terraform writes it (terraform.tfstate), by content.
func Detect(p string, head []byte) bool {
	for _, s := range []string{".tf", ".tf.json", ".tfvars", ".tfvars.json"} {
		if strings.HasSuffix(p, s) {
			return true
		}
	}
	return (strings.HasSuffix(p, ".json") || strings.HasSuffix(p, ".tfstate")) && isPlanJSON(head)
}

// New returns the source reading the root modules among files (relative to
// root, slash-separated): one batch per root module.
func New(root string, files []string, opts Options) source.Source {
	return source.Func{SourceName: "terraform", ReadFunc: func(ctx context.Context, emit func(source.Batch) error) error {
		return read(ctx, root, files, opts, emit)
	}}
}

// calledDirs returns the directories among dirs that another one calls as
// a local module: they are not root modules.
func calledDirs(l *loader, sorted []string) map[string]bool {
	called := map[string]bool{}
	for _, d := range sorted {
		for _, n := range l.load(d).blocks {
			if n.kind != "module" {
				continue
			}
			if a, ok := metaAttr(n.block.Body, "source"); ok {
				if v, diags := a.Expr.Value(nil); !diags.HasErrors() && knownString(v) {
					if s := v.AsString(); strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../") {
						if c := path.Join(d, s); c != d {
							called[c] = true
						}
					}
				}
			}
		}
	}
	return called
}

// read emits a batch per root module and one per plan or state JSON file.
// A plan or state in a directory stands for the root module of that
// directory (the plan is that configuration evaluated by Terraform, with
// the values HCL cannot know), which is not reported again from HCL: the
// same resources would be reported twice. What HCL knows of a value the
// plan has as wholly unknown (jsonencode of a policy naming an ARN known
// after apply) fills it in.
func read(ctx context.Context, root string, files []string, opts Options, emit func(source.Batch) error) error {
	planDirs := map[string]bool{}
	for _, f := range files {
		if isPlanCandidate(f) {
			planDirs[path.Dir(f)] = true
		}
	}
	held := map[string]*evaluator{}
	// A root module read from HCL is mapped where it was evaluated, on
	// walkRoots' workers.
	mapHCL := func(d string, e *evaluator) {
		if !planDirs[d] {
			e.mapped = mapInstances(ctx, d, e)
		}
	}
	err := walkRoots(ctx, root, files, opts, mapHCL, func(d string, e *evaluator) error {
		if planDirs[d] {
			held[d] = e
			return nil
		}
		return emitHCL(ctx, d, e, emit)
	})
	if err != nil {
		return err
	}
	// Plans first: of a plan and a state of the same root module, the
	// plan (what applying the configuration makes) is read.
	var cands []string
	for _, f := range files {
		if isPlanCandidate(f) {
			cands = append(cands, f)
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return planRank(root, cands[i]) < planRank(root, cands[j]) })
	planned := map[string]string{}
	for _, f := range cands {
		if !isPlanCandidate(f) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		var known map[string]*tfmap.Instance
		if e := held[path.Dir(f)]; e != nil {
			known = make(map[string]*tfmap.Instance, len(e.insts))
			for i := range e.insts {
				known[e.insts[i].Address] = &e.insts[i]
			}
		}
		b := readPlan(ctx, root, f, known)
		if b.Format != "" {
			if first := planned[path.Dir(f)]; first != "" {
				// A second plan or state of the same root module
				// would report its resources again, under the same IDs.
				b = source.Batch{Input: f, Skipped: "another plan or state of the same root module (" + first + ") is read"}
			} else {
				planned[path.Dir(f)] = f
			}
		}
		if err := emit(b); err != nil {
			return err
		}
	}
	dirs := make([]string, 0, len(held))
	for d := range held {
		if planned[d] == "" {
			dirs = append(dirs, d)
		}
	}
	sort.Strings(dirs)
	for _, d := range dirs {
		if err := emitHCL(ctx, d, held[d], emit); err != nil {
			return err
		}
	}
	return nil
}

// emitHCL emits the batch of the root module d, its instances mapped
// (unless e.mapped holds them already) after the evaluation's problems.
func emitHCL(ctx context.Context, d string, e *evaluator, emit func(source.Batch) error) error {
	b := e.mapped
	if b == nil {
		b = mapInstances(ctx, d, e)
	}
	b.Problems = append(e.problems, b.Problems...)
	return emit(*b)
}

// mapInstances maps the instances of the root module d into its batch,
// with the mapping's problems only.
func mapInstances(ctx context.Context, d string, e *evaluator) *source.Batch {
	rs, unsupported, problems := tfmap.Map(ctx, e.insts)
	return &source.Batch{Input: d, Format: "terraform", Resources: rs, Unsupported: unsupported, Problems: problems}
}

// walkRoots evaluates each root module among files and calls done with it,
// in the order of the root modules' directories. The root modules are
// evaluated concurrently (they share only the loader, which parses each
// directory once), each then given to prepare (when not nil) on the
// goroutine that evaluated it; done is called on the calling goroutine, in
// order, with each module's parse problems reported by the first root
// module that evaluates it, so the results are those of evaluating one
// after the other.
func walkRoots(ctx context.Context, root string, files []string, opts Options, prepare func(dir string, e *evaluator), done func(dir string, e *evaluator) error) error {
	l := newLoader(root)
	dirs := map[string]bool{}
	for _, f := range files {
		if isConfig(f) {
			dirs[path.Dir(f)] = true
		}
	}
	sorted := make([]string, 0, len(dirs))
	for d := range dirs {
		sorted = append(sorted, d)
	}
	sort.Strings(sorted)
	called := calledDirs(l, sorted)
	funcs := baseFuncs()
	rootAbs, err := filepath.Abs(root)
	if err != nil {
		rootAbs = root
	}
	eval := func(d string) *evaluator {
		m := l.load(d)
		e := &evaluator{l: l, rootDir: d, funcs: withFileFuncs(funcs, rootAbs, filepath.Join(rootAbs, filepath.FromSlash(d))), reached: map[string]bool{}}
		e.loaded = append(e.loaded, loadedAt{m, 0})
		inputs, supplied := rootInputs(l, m, d, opts, e)
		e.evalModule(m, &call{inputs: inputs, supplied: supplied, stack: []string{d}})
		if prepare != nil {
			prepare(d, e)
		}
		return e
	}
	reached, reported := map[string]bool{}, map[string]bool{}
	finish := func(d string, e *evaluator) error {
		e.reportLoaded(reported)
		for r := range e.reached {
			reached[r] = true
		}
		return done(d, e)
	}
	var roots []string
	for _, d := range sorted {
		if !called[d] {
			roots = append(roots, d)
		}
	}
	err = inOrder(ctx, len(roots), func(i int) *evaluator { return eval(roots[i]) },
		func(i int, e *evaluator) error { return finish(roots[i], e) })
	if err != nil {
		return err
	}
	// Directories only called as modules are not roots; one that no root
	// reaches (modules calling each other in a cycle, a module whose
	// callers are not among files) is evaluated as a root after them, so
	// that nothing is skipped silently.
	for _, d := range sorted {
		if !called[d] || reached[d] {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := finish(d, eval(d)); err != nil {
			return err
		}
	}
	return nil
}

// reportLoaded puts the parse problems of the modules e evaluated among
// its problems, where the evaluation met each module, unless reported
// holds the module's directory (another root module reported them); it
// adds the directories to reported.
func (e *evaluator) reportLoaded(reported map[string]bool) {
	var out []source.Problem
	prev := 0
	for _, ld := range e.loaded {
		at := max(prev, min(ld.at, len(e.problems)))
		out = append(out, e.problems[prev:at]...)
		prev = at
		if !reported[ld.m.dir] {
			reported[ld.m.dir] = true
			out = append(out, ld.m.problems...)
		}
	}
	e.problems = append(out, e.problems[prev:]...)
	e.loaded = nil
}

// inOrder runs work(i) for i in [0, n) on up to GOMAXPROCS goroutines, at
// most one per worker ahead of the result delivered, and calls deliver with each
// result in the order of i on the calling goroutine. It stops at the
// first error of deliver or of ctx and returns it once the work started
// has ended.
func inOrder[T any](ctx context.Context, n int, work func(int) T, deliver func(int, T) error) error {
	workers := min(runtime.GOMAXPROCS(0), n)
	results := make([]chan T, n)
	for i := range results {
		results[i] = make(chan T, 1)
	}
	// slots bound the results computed or being computed but not yet
	// delivered to one per worker: a root evaluated ahead holds its
	// instances until delivered (on the 1,000-file tree twice as many
	// cost 12 MB of peak memory; a worker may wait on a slower root).
	slots := make(chan struct{}, workers)
	next, stop := make(chan int), make(chan struct{})
	go func() {
		defer close(next)
		for i := range n {
			select {
			case slots <- struct{}{}:
			case <-stop:
				return
			}
			select {
			case next <- i:
			case <-stop:
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i] <- work(i)
			}
		}()
	}
	var err error
	for i := range n {
		if err = ctx.Err(); err != nil {
			break
		}
		r := <-results[i]
		<-slots
		if err = deliver(i, r); err != nil {
			break
		}
	}
	close(stop)
	wg.Wait()
	return err
}

// rootInputs gathers a root module's variable values in Terraform's order
// of precedence: terraform.tfvars, terraform.tfvars.json, *.auto.tfvars(.json)
// in lexical order, Options.VarFiles, Options.Vars. supplied names the
// variables whose value comes from the options (given at scan time, not
// written in the configuration's files).
func rootInputs(l *loader, m *module, dir string, opts Options, e *evaluator) (in map[string]cty.Value, supplied map[string]bool) {
	in, supplied = map[string]cty.Value{}, map[string]bool{}
	var files []string
	for _, n := range []string{"terraform.tfvars", "terraform.tfvars.json"} {
		files = append(files, path.Join(dir, n))
	}
	var auto []string
	for _, n := range dirFiles(l.root, dir) {
		if strings.HasSuffix(n, ".auto.tfvars") || strings.HasSuffix(n, ".auto.tfvars.json") {
			auto = append(auto, path.Join(dir, n))
		}
	}
	sort.Strings(auto)
	files = append(files, auto...)
	for _, f := range files {
		if fileExists(l.root, f) {
			readVarFile(l.root, f, in, e)
		}
	}
	for _, f := range opts.VarFiles {
		vf := map[string]cty.Value{}
		readVarFile("", f, vf, e)
		for n, v := range vf {
			in[n], supplied[n] = v, true
		}
	}
	types := map[string]bool{}
	for _, b := range m.vars {
		attrs, _ := b.Body.JustAttributes()
		if a, ok := attrs["type"]; ok {
			if t, diags := hcl.AbsTraversalForExpr(a.Expr); diags.HasErrors() || t.RootName() != "string" {
				types[b.Labels[0]] = true // not a plain string: the value is an expression
			}
		}
	}
	names := make([]string, 0, len(opts.Vars))
	for n := range opts.Vars {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		raw := opts.Vars[n]
		if !types[n] {
			in[n], supplied[n] = cty.StringVal(raw), true
			continue
		}
		expr, diags := hclsyntax.ParseExpression([]byte(raw), "-var "+n, hcl.InitialPos)
		if diags.HasErrors() {
			e.problems = append(e.problems, diagProblems(diags)...)
			continue
		}
		v, diags := expr.Value(nil)
		if diags.HasErrors() {
			e.problems = append(e.problems, diagProblems(diags)...)
			continue
		}
		in[n], supplied[n] = v, true
	}
	return in, supplied
}

// readVarFile reads a tfvars file (relative to root, or a path on disk
// when root is "") into in.
func readVarFile(root, f string, in map[string]cty.Value, e *evaluator) {
	src, prob := readFile(root, f)
	if prob != nil {
		e.problems = append(e.problems, *prob)
		return
	}
	p := hclparse.NewParser()
	var file *hcl.File
	var diags hcl.Diagnostics
	if strings.HasSuffix(f, ".json") {
		file, diags = p.ParseJSON(src, f)
	} else {
		file, diags = p.ParseHCL(src, f)
	}
	e.problems = append(e.problems, diagProblems(diags)...)
	if file == nil {
		return
	}
	attrs, diags := file.Body.JustAttributes()
	e.problems = append(e.problems, diagProblems(diags)...)
	for n, a := range attrs {
		v, diags := a.Expr.Value(&hcl.EvalContext{Functions: baseFuncs()})
		if diags.HasErrors() {
			e.problems = append(e.problems, diagProblems(diags)...)
			continue
		}
		in[n] = v
	}
}

// planRank orders plan candidates: plans (planned_values or
// resource_changes in the head) before states and others.
func planRank(root, rel string) int {
	f, err := os.Open(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return 1
	}
	defer f.Close()
	head := make([]byte, 8<<10)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	if bytes.Contains(head, []byte(`"planned_values"`)) || bytes.Contains(head, []byte(`"resource_changes"`)) {
		return 0
	}
	return 1
}
