package policy

import (
	"cmp"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"runtime/trace"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Engine holds compiled rules, ready to evaluate inventories.
type Engine struct {
	rules    []*Rule
	prepared []rego.PreparedEvalQuery
	// messages holds, per rule, a query of its `message` object, or nil.
	messages []*rego.PreparedEvalQuery
	// goMessages holds, per rule, its message computed on the Go fields
	// (gomessage.go), or nil: OPA's message query is then not run.
	goMessages []*msgExpr
	// direct holds, per rule, its fail set's direct form (see direct), or
	// nil when OPA evaluates it.
	direct   []*direct
	noDirect bool
	// noGo makes the direct rules read the Rego terms rather than the Go
	// fields (tests compare both).
	noGo bool
	// prefilter holds, per rule OPA evaluates, the direct conditions one
	// of which every resource of its class that can reach its result
	// meets (see ownFilter), or nil: its input holds only those.
	prefilter []*direct
	// reads lists, per rule, the classes its module (with the libraries
	// and the rule packages it refers to) reads under input.resources:
	// the classes of its view. nil: any (it reads input dynamically).
	reads   []map[resource.Class]bool
	workers int
	// leaveOut, when set, drops the rules it selects once loaded.
	leaveOut func(*Rule) bool
	// optIn are the opt-in rule sets to evaluate (Rule.OptIn); allOptIn
	// evaluates every set (rule tests).
	optIn    []string
	allOptIn bool

	// Lazy preparation (built-in packs): the rules of a class are
	// compiled and prepared when an input first holds the class. mu
	// guards ready and the per-rule slices above while rules are prepared.
	mu      sync.Mutex
	ready   []bool
	files   []parsedFile
	defined map[string]map[string]bool
	// modules holds the parsed rule modules by file: every one for an
	// eager engine; for a lazy engine, those a prepare parsed (see
	// moduleOf), until it ends.
	modules  map[string]*ast.Module
	pkgFiles map[string]int
	allRules []string
	// isRule and rulePkgs: the files of rules, and their packages
	// indexed (filesFor), built by New for a lazy engine.
	isRule   map[string]bool
	rulePkgs *pkgIndex
	// bodies holds each rule's bodyKey (by rule id); prepared, the rule
	// whose preparation each body and class has (see prepare).
	bodies    map[string][sha256.Size]byte
	preparedB map[bodyClass]int
	// late marks, per rule, a lazy engine's rule judged on the Go fields
	// whose message only OPA computes, prepared by an evaluation: its
	// message query is compiled when an evaluation first finds it failing
	// something (lateMessages), into lateQ (guarded by mu), so a tree whose
	// such rules all pass never runs OPA's compiler.
	late  []bool
	lateQ map[int]*lateQuery
}

// A lateQuery is a late rule's prepared message query and the classes its
// view must hold (readClasses).
type lateQuery struct {
	q     rego.PreparedEvalQuery
	reads map[resource.Class]bool
}

// bodyClass identifies what a rule's preparation depends on: its class
// and its module's text without the package line (bodyKey).
type bodyClass struct {
	class resource.Class
	body  [sha256.Size]byte
}

// Option configures an Engine.
type Option func(*Engine)

// WithWorkers sets how many rules are evaluated at once (default: GOMAXPROCS).
func WithWorkers(n int) Option { return func(e *Engine) { e.workers = n } }

// LeaveOut drops the loaded rules drop selects: they are validated with
// the others but neither prepared nor evaluated (for example the
// governance rules of a scan without a governance policy).
func LeaveOut(drop func(*Rule) bool) Option { return func(e *Engine) { e.leaveOut = drop } }

// OptIn evaluates the rules of these opt-in rule sets too (custom.opt_in,
// such as governance), which New otherwise leaves out.
func OptIn(sets ...string) Option { return func(e *Engine) { e.optIn = append(e.optIn, sets...) } }

// AllOptIn evaluates the rules of every opt-in set (listing rules, rule
// tests).
func AllOptIn() Option { return func(e *Engine) { e.allOptIn = true } }

// withoutDirect makes OPA evaluate every rule (tests compare both ways).
func withoutDirect() Option { return func(e *Engine) { e.noDirect = true } }

// withoutGo makes the direct rules evaluate on the Rego terms only (tests
// compare the two direct evaluations with OPA).
func withoutGo() Option { return func(e *Engine) { e.noGo = true } }

// New parses and validates the rules of all sources. With only built-in
// sources (validated by their tests), each class's rules are compiled and
// prepared when an input first holds the class: a scan of a few classes
// (an IaC tree) does not pay for the whole pack. Otherwise every rule is
// compiled and prepared here, and a rule that does not compile is an error
// of New.
func New(ctx context.Context, srcs []Source, opts ...Option) (*Engine, error) {
	lazy := len(srcs) > 0
	for _, s := range srcs {
		lazy = lazy && s.Builtin
	}
	files, err := readSources(ctx, srcs, false, lazy)
	if err != nil {
		return nil, err
	}
	e := &Engine{workers: runtime.GOMAXPROCS(0)}
	for _, o := range opts {
		o(e)
	}
	seen := map[string]string{}
	defined := map[string]map[string]bool{}
	modules := map[string]*ast.Module{} // rule file -> its module
	bodies := map[string][sha256.Size]byte{}
	pkgFiles := map[string]int{}        // package path -> number of (non-test) files
	headers := map[string]*ast.Module{} // rule file -> its header (lazy)
	for _, f := range files {
		if !f.test {
			pkgFiles[f.pkg]++
		}
	}
	for k, f := range files {
		if f.test {
			continue
		}
		if f.lib {
			files[k].module = nil // parsed when a rule needs it (moduleOf)
			continue
		}
		var r *Rule
		if m := f.meta; m != nil {
			r, err = ruleFromMeta(f.name, f.pkg, m.title, m.description, m.custom)
			// The decoded header (builtinHeaders' entry) is read only here.
			files[k].meta = nil
		} else {
			r, err = ruleFromModule(f.name, f.module)
		}
		if err != nil {
			return nil, err
		}
		if r == nil {
			continue // library package
		}
		if prev, dup := seen[r.ID]; dup {
			return nil, fmt.Errorf("rule id %q is defined twice: %s and %s", r.ID, prev, f.name)
		}
		seen[r.ID] = f.name
		r.Builtin = f.builtin
		e.rules = append(e.rules, r)
		e.allRules = append(e.allRules, r.File)
		bodies[r.ID] = f.body
		if f.header {
			// Read again, whole, when the rule is prepared.
			headers[f.name], files[k].module = f.module, nil
			continue
		}
		if defined[r.ID], err = checkedNames(f.name, r.ID, f.module); err != nil {
			return nil, err
		}
		modules[f.name] = f.module
	}
	sort.Slice(e.rules, func(i, j int) bool { return e.rules[i].ID < e.rules[j].ID })
	e.rules = slices.DeleteFunc(e.rules, func(r *Rule) bool {
		return r.OptIn != "" && !e.allOptIn && !slices.Contains(e.optIn, r.OptIn) || e.leaveOut != nil && e.leaveOut(r)
	})
	e.files, e.defined, e.modules, e.pkgFiles, e.bodies = files, defined, modules, pkgFiles, bodies
	e.preparedB = map[bodyClass]int{}
	n := len(e.rules)
	e.prepared, e.messages, e.direct, e.reads, e.ready = make([]rego.PreparedEvalQuery, n), make([]*rego.PreparedEvalQuery, n),
		make([]*direct, n), make([]map[resource.Class]bool, n), make([]bool, n)
	e.prefilter = make([]*direct, n)
	e.goMessages = make([]*msgExpr, n)
	e.late, e.lateQ = make([]bool, n), map[int]*lateQuery{}
	if lazy {
		e.isRule = map[string]bool{}
		for _, r := range e.allRules {
			e.isRule[r] = true
		}
		for name, m := range modules { // rule files parsed whole (a header that did not parse alone)
			headers[name] = m
		}
		e.rulePkgs = newPkgIndex(headers)
		return e, nil
	}
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	if err := e.prepare(ctx, all, files, false); err != nil {
		return nil, err
	}
	return e, nil
}

// prepare prepares rules idx (prepareRules). A rule whose module is its
// package's one file and has the text, but for the package line, and the
// class of a rule prepared before or earlier in idx takes that rule's
// preparation: its direct form, Go message, OPA queries (of the other
// package, which judge every resource alike), the classes it reads and its
// prefilter. A pack copied with renamed packages and ids (BenchmarkRuleScaling)
// is prepared about once whatever the number of copies; every rule is
// still judged on its own.
//
// late: a lazy engine's rule judged on the Go fields whose message only
// OPA computes has its message query prepared when an evaluation needs it
// (Engine.late), not now.
func (e *Engine) prepare(ctx context.Context, idx []int, files []parsedFile, late bool) error {
	type dup struct{ rule, from int }
	var dups []dup
	own := make([]int, 0, len(idx))
	first := map[bodyClass]int{}
	for _, i := range idx {
		r := e.rules[i]
		if e.pkgFiles[r.Package] != 1 {
			own = append(own, i)
			continue
		}
		k := bodyClass{r.Class, e.bodies[r.ID]}
		if j, ok := e.preparedB[k]; ok {
			dups = append(dups, dup{i, j})
		} else if j, ok := first[k]; ok {
			dups = append(dups, dup{i, j})
		} else {
			first[k] = i
			own = append(own, i)
		}
	}
	if err := e.prepareRules(ctx, own, files, late); err != nil {
		return err
	}
	for k, i := range first {
		e.preparedB[k] = i
	}
	for _, d := range dups {
		i, j := d.rule, d.from
		e.direct[i], e.goMessages[i], e.prepared[i], e.messages[i] = e.direct[j], e.goMessages[j], e.prepared[j], e.messages[j]
		e.reads[i], e.prefilter[i], e.ready[i], e.late[i] = e.reads[j], e.prefilter[j], e.ready[j], e.late[j]
	}
	return nil
}

// prepareRules compiles the libraries with the modules of rules idx and
// prepares rules idx. files: what to compile (an eager engine's every
// file), or nil for a lazy engine, which reads each rule's direct form
// first and compiles and prepares OPA queries only for the rules that need
// one (filesFor): a rule judged wholly on the Go fields, its message
// constant or computed in Go, needs none, and preparing it costs reading
// its module, not OPA's compile of it.
func (e *Engine) prepareRules(ctx context.Context, idx []int, files []parsedFile, late bool) error {
	lazy := files == nil
	if lazy {
		// The rule modules parsed here are dropped when it ends: the
		// compiler keeps its own copies, the direct forms what they read.
		defer clear(e.modules)
	}
	// Library packages of one file, which direct rules may call.
	libFiles := map[string]string{}
	libBodies := map[string][sha256.Size]byte{}
	for _, f := range e.files {
		if !f.test && e.pkgFiles[f.pkg] == 1 {
			libFiles[f.pkg] = f.name
			libBodies[f.pkg] = f.body
		}
	}
	var libErr error
	libs := func(pkg string) *ast.Module {
		name, ok := libFiles[pkg]
		if !ok {
			return nil
		}
		m, err := e.moduleOf(name)
		libErr = cmp.Or(libErr, err)
		return m
	}
	var opa []int // the rules of idx OPA evaluates or queries
	// A lazy engine parses the rule modules a chunk at a time and drops the
	// module of a rule judged on the Go fields once its direct form is read
	// (moduleOf parses it again if a later rule's library or OPA compile
	// needs it): the parsed modules of a whole pack (about 6 MB for
	// terragoat's 279 rules, 2 MB of it OPA's term locations) are never live
	// at once, which is most of what an IaC scan's heap peaks at.
	for start := 0; start < len(idx); start += prepareChunk {
		part := idx[start:min(start+prepareChunk, len(idx))]
		var forms map[int]*ruleForm
		if lazy {
			var parse []int
			forms, parse = e.builtinForms(part, libBodies)
			if err := e.parseRules(parse); err != nil {
				return err
			}
		}
		e.prepareDirect(part, &opa, libs, lazy, late, forms)
	}
	if libErr != nil {
		return libErr
	}
	if len(opa) == 0 {
		return nil
	}
	if lazy {
		var err error
		if files, err = e.filesFor(opa); err != nil {
			return err
		}
	}
	c, err := compile(files, false)
	if err != nil {
		return err
	}
	sub := make([]*Rule, 0, len(opa))
	for _, i := range opa {
		r := e.rules[i]
		sub = append(sub, r)
		q := buildQuery(r.Package, e.defined[r.ID])
		pq, err := rego.New(rego.Compiler(c), rego.Query(q)).PrepareForEval(ctx)
		if err != nil {
			return fmt.Errorf("%s: preparing rule %s: %w", r.File, r.ID, err)
		}
		e.prepared[i] = pq
		if e.defined[r.ID]["message"] {
			q, err := messageQuery(ctx, c, r)
			if err != nil {
				return err
			}
			e.messages[i] = &q
		}
	}
	reads, shared := readClasses(c, sub)
	for k, rd := range reads {
		i := opa[k]
		e.reads[i] = rd
		e.ready[i] = true
		if r := e.rules[i]; e.direct[i] == nil && !e.noDirect && !shared[k] {
			e.prefilter[i] = ownFilter(e.modules[r.File], string(r.Class), libs)
		}
	}
	return libErr
}

// prepareChunk is how many rules a lazy engine parses and reads the direct
// form of at a time (prepareRules).
const prepareChunk = 16

// messageQuery prepares the query of rule r's message in c. The rule's
// fail set is replaced by the ids of the failing resources the query sees
// (failIDs, in its input): a message over `r.id in fail` then need not
// evaluate fail again.
func messageQuery(ctx context.Context, c *ast.Compiler, r *Rule) (rego.PreparedEvalQuery, error) {
	q, err := rego.New(rego.Compiler(c), rego.Query("message := "+r.Package+".message with "+r.Package+".fail as input."+failIDs)).PrepareForEval(ctx)
	if err != nil {
		return q, fmt.Errorf("%s: preparing rule %s: %w", r.File, r.ID, err)
	}
	return q, nil
}

// prepareLate prepares the message queries of the late rules idx not
// prepared yet, in one compile, and returns those of idx.
func (e *Engine) prepareLate(ctx context.Context, idx []int) ([]*lateQuery, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	var todo []int
	for _, i := range idx {
		if e.lateQ[i] == nil {
			todo = append(todo, i)
		}
	}
	if len(todo) > 0 {
		defer clear(e.modules) // the modules parsed here, as prepareRules drops them
		files, err := e.filesFor(todo)
		if err != nil {
			return nil, err
		}
		c, err := compile(files, false)
		if err != nil {
			return nil, err
		}
		rules := make([]*Rule, len(todo))
		for k, i := range todo {
			rules[k] = e.rules[i]
		}
		reads, _ := readClasses(c, rules)
		for k, i := range todo {
			q, err := messageQuery(ctx, c, e.rules[i])
			if err != nil {
				return nil, err
			}
			e.lateQ[i] = &lateQuery{q: q, reads: reads[k]}
		}
	}
	out := make([]*lateQuery, len(idx))
	for k, i := range idx {
		out[k] = e.lateQ[i]
	}
	return out, nil
}

// lateMessages sets the messages of the late rules (Engine.late) that
// failed resources of in, rules idx of results (judgements without
// messages; errs[i] set: not asked). Their queries are prepared together,
// and their views built from an input of in's resources whose terms are
// built whole (in's own may hold only some providers' resources, or have
// dropped a class).
func (e *Engine) lateMessages(ctx context.Context, in *Input, idx []int, results []judgement, errs []error) error {
	var need []int
	for _, i := range idx {
		if !e.late[i] || errs[i] != nil {
			continue
		}
		if slices.ContainsFunc(results[i].verdicts, func(v verdict) bool { return v.status == vFail }) {
			need = append(need, i)
		}
	}
	if len(need) == 0 {
		return nil
	}
	qs, err := e.prepareLate(ctx, need)
	if err != nil {
		return err
	}
	whole := in.whole()
	for k, i := range need {
		var failed []int32
		for _, v := range results[i].verdicts {
			if v.status == vFail {
				failed = append(failed, v.j)
			}
		}
		results[i].messages = make(map[int32]string, len(failed))
		errs[i] = e.queryMessages(ctx, i, &qs[k].q, qs[k].reads, whole, failed, results[i].messages)
	}
	return nil
}

// builtinForms decodes the forms of the built-in rules of part that the
// table holds (builtinFormData), read with the libraries of one file whose
// bodies (bodyKey) are libBodies, and returns the rules left to parse. An
// engine that compares its evaluations (withoutDirect, withoutGo) parses
// every rule.
func (e *Engine) builtinForms(part []int, libBodies map[string][sha256.Size]byte) (map[int]*ruleForm, []int) {
	if e.noDirect || e.noGo {
		return nil, part
	}
	var forms map[int]*ruleForm
	parse := part[:0:0]
	dep := func(d formDep) bool {
		body, has := libBodies[d.pkg]
		return has == d.has && body == d.body
	}
	for _, i := range part {
		r := e.rules[i]
		var f ruleForm
		enc, ok := formTable(builtinFormData).lookup(formKey(r.Class, e.bodies[r.ID]))
		if ok && r.Builtin && e.pkgFiles[r.Package] == 1 {
			var err error
			f, err = decodeForm(enc, dep)
			ok = err == nil
		}
		if !ok {
			parse = append(parse, i)
			continue
		}
		if forms == nil {
			forms = map[int]*ruleForm{}
		}
		forms[i] = &f
		if e.defined[r.ID] == nil {
			e.defined[r.ID] = f.names
		}
	}
	return forms, parse
}

// prepareDirect reads the direct form and Go message of rules part, whose
// modules are parsed or whose forms are decoded (forms), marks a lazy
// engine's rules judged on the Go fields ready and appends the others to
// opa. A lazy engine then drops the modules of the rules it marked ready
// but those of the rules in opa.
func (e *Engine) prepareDirect(part []int, opa *[]int, libs func(string) *ast.Module, lazy, late bool, forms map[int]*ruleForm) {
	var done []string // files of the rules marked ready
	for _, i := range part {
		r := e.rules[i]
		hasMessage := e.defined[r.ID]["message"]
		var d *direct
		var msg *msgExpr
		if f := forms[i]; f != nil {
			d, msg = f.d, f.msg
		} else {
			if m := e.modules[r.File]; !e.noDirect && e.pkgFiles[m.Package.Path.String()] == 1 {
				d = directRule(m, string(r.Class), libs)
				switch {
				case d != nil && e.noGo && (len(d.derived) > 0 || d.usesTime()):
					d = nil // derived sets and time functions are computed on the Go fields only
				case d != nil && e.noGo:
					d.onGo = false
				}
			}
			if m := e.modules[r.File]; hasMessage && !e.noDirect && !e.noGo && (d == nil || !d.hasMessage) {
				msg = goMessage(m, string(r.Class), libs)
			}
		}
		e.direct[i], e.goMessages[i] = d, msg
		e.prepared[i], e.messages[i], e.reads[i], e.prefilter[i] = rego.PreparedEvalQuery{}, nil, nil, nil
		onGo := d != nil && d.onGo && (!hasMessage || d.hasMessage || e.goMessages[i] != nil)
		// Judged on the Go fields, its message OPA's: prepared when needed.
		e.late[i] = lazy && late && d != nil && d.onGo && !onGo
		if lazy && (onGo || e.late[i]) {
			e.ready[i] = true
			done = append(done, r.File)
			continue
		}
		*opa = append(*opa, i)
	}
	if lazy && len(done) > 0 {
		keep := make(map[string]bool, len(*opa))
		for _, i := range *opa {
			keep[e.rules[i].File] = true
		}
		for _, f := range done {
			if !keep[f] {
				delete(e.modules, f)
			}
		}
	}
}

// parseRules parses the modules of rules idx that a lazy engine has not
// parsed yet, on GOMAXPROCS workers, and checks the names they define.
func (e *Engine) parseRules(idx []int) error {
	var todo []int // indexes in e.files
	for _, i := range idx {
		if _, ok := e.modules[e.rules[i].File]; ok {
			continue
		}
		k, ok := e.fileIndex(e.rules[i].File)
		if !ok {
			return fmt.Errorf("rule %s: no file %s", e.rules[i].ID, e.rules[i].File)
		}
		if m := e.files[k].module; m != nil {
			e.modules[e.files[k].name] = m
			continue
		}
		todo = append(todo, k)
	}
	mods, errs := make([]*ast.Module, len(todo)), make([]error, len(todo))
	parallel(len(todo), func(j int) { mods[j], errs[j] = parseFile(e.files[todo[j]]) })
	if err := errors.Join(errs...); err != nil {
		return err
	}
	for j, k := range todo {
		e.modules[e.files[k].name] = mods[j]
	}
	for _, i := range idx {
		r := e.rules[i]
		if e.defined[r.ID] != nil {
			continue
		}
		names, err := checkedNames(r.File, r.ID, e.modules[r.File])
		if err != nil {
			return err
		}
		e.defined[r.ID] = names
	}
	return nil
}

// moduleOf returns the parsed module of the file name, parsing a rule
// file a lazy engine has not (kept in e.modules until the prepare ends)
// or a library whose header was decoded (kept).
func (e *Engine) moduleOf(name string) (*ast.Module, error) {
	if m := e.modules[name]; m != nil {
		return m, nil
	}
	k, ok := e.fileIndex(name)
	if !ok {
		return nil, fmt.Errorf("no rule file %s", name)
	}
	if m := e.files[k].module; m != nil {
		return m, nil
	}
	m, err := parseFile(e.files[k])
	if err != nil {
		return nil, err
	}
	if e.files[k].lib {
		e.files[k].module = m // a library is kept, as an eager engine's
		return m, nil
	}
	e.modules[name] = m
	return m, nil
}

// fileIndex finds the file name in e.files (sorted by name).
func (e *Engine) fileIndex(name string) (int, bool) {
	return slices.BinarySearchFunc(e.files, name, func(f parsedFile, name string) int { return strings.Compare(f.name, name) })
}

// filesFor lists the files a lazy engine compiles to prepare rules idx:
// every file that is not a rule's (the libraries), the rules' own, and the
// rule packages those refer to through data, transitively. The rules
// prepared before are not compiled again (their prepared queries keep the
// compiler they were prepared with), so preparing a pack class by class
// costs what preparing it at once does.
func (e *Engine) filesFor(idx []int) ([]parsedFile, error) {
	want := map[string]bool{}
	var queue []string
	for _, f := range e.files {
		if !f.test && !e.isRule[f.name] {
			queue = append(queue, f.name)
		}
	}
	for _, i := range idx {
		if f := e.rules[i].File; !want[f] {
			want[f] = true
			queue = append(queue, f)
		}
	}
	for len(queue) > 0 {
		m, err := e.moduleOf(queue[0])
		if err != nil {
			return nil, err
		}
		queue = queue[1:]
		ast.WalkRefs(m, func(r ast.Ref) bool {
			if r.HasPrefix(ast.DefaultRootRef) {
				e.rulePkgs.reached(r, func(f string) {
					if !want[f] {
						want[f] = true
						queue = append(queue, f)
					}
				})
			}
			return false
		})
	}
	var files []parsedFile
	for _, f := range e.files {
		if !f.test && (!e.isRule[f.name] || want[f.name]) {
			m, err := e.moduleOf(f.name)
			if err != nil {
				return nil, err
			}
			f.module = m
			files = append(files, f)
		}
	}
	return files, nil
}

// ensurePrepared prepares the rules want selects that are not prepared
// yet and returns which rules are prepared, as of this call.
func (e *Engine) ensurePrepared(ctx context.Context, want func(i int) bool, late bool) ([]bool, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	var idx []int
	for i := range e.rules {
		if !e.ready[i] && want(i) {
			idx = append(idx, i)
		}
	}
	if len(idx) > 0 {
		if err := e.prepare(ctx, idx, nil, late); err != nil {
			return nil, err
		}
	}
	return slices.Clone(e.ready), nil
}

// Prepare prepares the rules that have something to judge in in, a resource
// of their class from one of their providers (a lazy engine otherwise
// prepares them in its first evaluation of in): benchmarks
// measure preparing a pack apart from evaluating it.
func (e *Engine) Prepare(ctx context.Context, in *Input) error {
	_, err := e.ensurePrepared(ctx, func(i int) bool { return in.judges(e.rules[i]) }, false)
	return err
}

// PrepareRules prepares the rules want selects that are not prepared yet,
// whatever the classes of an input (a lazy engine otherwise prepares the
// rules of the classes an evaluation's input holds, in that evaluation,
// mostly on one core): a scan prepares them while its inventory is
// imported. An evaluation still judges only the rules of the classes its
// input holds, and a rule that fails to prepare here is prepared again,
// with its error, by the evaluation that needs it.
func (e *Engine) PrepareRules(ctx context.Context, want func(*Rule) bool) error {
	_, err := e.ensurePrepared(ctx, func(i int) bool { return want(e.rules[i]) }, false)
	return err
}

// Rules returns the loaded rules, sorted by ID.
func (e *Engine) Rules() []*Rule { return e.rules }

// Input is the document rules see as `input`, built once per evaluation.
// Each rule sees only the resources of its own providers: a rule for Azure
// storage walks Azure storage accounts, not every bucket of every cloud.
//
// The Rego terms of a class's resources are built when a rule evaluated by
// OPA first needs them (see ensure): a class judged only by rules the
// engine evaluates directly on the Go fields (see direct) is never
// converted, which saves most of the input's cost in time and memory.
type Input struct {
	now   *ast.Term
	goNow goNow // now, as time.parse_rfc3339_ns reads it
	// all are the resources given, want the classes kept (nil: all); byID
	// indexes the kept ones, built at the first look-up (byIDOf): only an
	// ill-formed rule's error and rule tests look a resource up by ID, and
	// the map of every resource cost a serial 0.3-0.5 s at the start of a
	// 1,000,000-resource evaluation.
	all    []*resource.Resource
	want   map[resource.Class]bool
	idOnce sync.Once
	byID   map[string]*resource.Resource
	// byClass lists resources per class, in input order; providers, the
	// providers of each class's resources.
	byClass   map[resource.Class][]*resource.Resource
	providers map[resource.Class]map[resource.Provider]bool

	mu sync.Mutex
	// classes holds each class's terms, built on demand.
	classes map[resource.Class]*classTerms
	// only, when set (an input evaluated once, by Evaluate), restricts the
	// terms built for a class to the resources of the providers listed for
	// it: those of the rules whose evaluation reads the class. A class it
	// does not list is built whole. The terms of the other resources are
	// nil, and nothing reads them: every reader of a class's terms (views,
	// the direct rules on terms, messages) is limited to its rule's
	// providers (TestProviderLimitedTermsMatch).
	only map[resource.Class]map[resource.Provider]bool
	// uses, when set with only, narrows it: a resource of class c is
	// converted when one of uses[c] covers its provider and its filter
	// (nil: every resource) holds, so a class OPA reads only through
	// prefiltered rules converts the few resources they can see.
	uses   map[resource.Class][]termUse
	views  map[string]ast.Value // provider set (and selection) -> input document
	arrays map[string]*ast.Term // provider set and class -> the class's resources from those providers
}

// termUse is one reader's need of a class's terms: the resources of its
// providers meeting its filter (nil: all of them).
type termUse struct {
	providers []resource.Provider
	filter    *direct
}

// keep reports whether a reader among uses needs r's term.
func keep(uses []termUse, r *resource.Resource, now goNow) bool {
	for _, u := range uses {
		if slices.Contains(u.providers, r.Provider) && (u.filter == nil || u.filter.failsGo(r, now)) {
			return true
		}
	}
	return false
}

// classTerms are the Rego terms of a class's resources, in input order,
// and their ids as terms (for set lookups).
type classTerms struct {
	once  sync.Once
	terms []*ast.Term
	ids   []*ast.Term
	err   error
}

// ensure builds the terms of the given classes that are not built yet,
// using every core, and returns the terms of the first.
func (in *Input) ensure(classes ...resource.Class) (*classTerms, error) {
	var first *classTerms
	for k, c := range classes {
		in.mu.Lock()
		ct := in.classes[c]
		if ct == nil {
			ct = &classTerms{}
			in.classes[c] = ct
		}
		in.mu.Unlock()
		ct.once.Do(func() {
			var want func(*resource.Resource) bool
			if ps := in.only[c]; ps != nil {
				want = func(r *resource.Resource) bool { return ps[r.Provider] }
				if uses, ok := in.uses[c]; ok {
					want = func(r *resource.Resource) bool { return keep(uses, r, in.goNow) }
				}
			}
			ct.terms, ct.ids, ct.err = buildTerms(in.byClass[c], want)
		})
		if ct.err != nil {
			return nil, ct.err
		}
		if k == 0 {
			first = ct
		}
	}
	return first, nil
}

// termsOf returns the terms of the resources of class c at the given
// indexes: the class's, when built, or else converted one by one (a rule's
// failing resources, for its messages).
func (in *Input) termsOf(c resource.Class, idx []int32) ([]*ast.Term, error) {
	in.mu.Lock()
	ct := in.classes[c]
	in.mu.Unlock()
	out := make([]*ast.Term, len(idx))
	var missing []int // indexes into idx of the resources without a term
	if ct != nil {
		ct, err := in.ensure(c)
		if err != nil {
			return nil, err
		}
		for k, j := range idx {
			if out[k] = ct.terms[j]; out[k] == nil {
				missing = append(missing, k)
			}
		}
	} else {
		missing = make([]int, len(idx))
		for k := range idx {
			missing[k] = k
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	rs := make([]*resource.Resource, len(missing))
	for m, k := range missing {
		rs[m] = in.byClass[c][idx[k]]
	}
	terms, _, err := buildTerms(rs, nil)
	if err != nil {
		return nil, err
	}
	for m, k := range missing {
		out[k] = terms[m]
	}
	return out, nil
}

// buildTerms converts resources to the terms rules see, using every core.
// With want, only the resources it selects are converted (the others'
// terms are nil).
func buildTerms(resources []*resource.Resource, want func(*resource.Resource) bool) ([]*ast.Term, []*ast.Term, error) {
	terms := make([]*ast.Term, len(resources))
	ids := make([]*ast.Term, len(resources))
	workers := runtime.GOMAXPROCS(0)
	if len(resources) < 1000 {
		workers = 1
	}
	chunk := (len(resources) + workers - 1) / max(workers, 1)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*chunk, min((w+1)*chunk, len(resources))
		if lo >= hi {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			var c converter
			for i := lo; i < hi; i++ {
				r := resources[i]
				if want != nil && !want(r) {
					continue
				}
				t, err := c.view(r)
				if err != nil {
					errs[w] = fmt.Errorf("building rule input for %s: %w", r.ID, err)
					return
				}
				terms[i] = t
				ids[i] = ast.StringTerm(r.ID)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, nil, err
		}
	}
	return terms, ids, nil
}

// view returns the input document a rule sees: every class it can read
// restricted to the rule's providers, and the rule's own class further to
// the resources its custom.applies_to selects. Views are built once per
// scan and shared by the rules with the same providers (and selection);
// the arrays of a class restricted to a provider set are shared by every
// view that has them, so a selection costs one array of its class only.
//
// reads lists the classes the view holds besides the rule's own (nil:
// every class); without own, the view lacks the rule's own class.
//
// filter, when not nil (and own), further restricts the rule's own class to
// the resources it holds for (a prefiltered rule's view, not shared).
func (in *Input) view(rule *Rule, reads map[resource.Class]bool, own bool, filter *direct) (ast.Value, error) {
	classes := make([]resource.Class, 0, len(in.byClass))
	for c := range in.byClass {
		if c == rule.Class && own || c != rule.Class && (reads == nil || reads[c]) {
			classes = append(classes, c)
		}
	}
	sort.Slice(classes, func(i, j int) bool { return classes[i] < classes[j] })
	sorted := slices.Clone(rule.Providers)
	slices.Sort(sorted)
	pkey := fmt.Sprint(sorted) // [aws gcp] and [gcp aws] share one view
	key := pkey + fmt.Sprint(classes)
	if rule.sel != nil && own {
		key += "|" + string(rule.Class) + "|" + rule.sel.key
	}
	if filter != nil && own {
		key += "|prefilter|" + rule.ID
	}
	in.mu.Lock()
	v, ok := in.views[key]
	in.mu.Unlock()
	if ok {
		return v, nil
	}
	if _, err := in.ensure(classes...); err != nil {
		return nil, err
	}
	want := map[resource.Provider]bool{}
	for _, p := range rule.Providers {
		want[p] = true
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	if v, ok := in.views[key]; ok {
		return v, nil
	}
	byClass := ast.NewObject()
	for _, c := range classes {
		if c == rule.Class && (rule.sel != nil || filter != nil) {
			byClass.Insert(ast.StringTerm(string(c)), in.array(c, func(r *resource.Resource) bool {
				return want[r.Provider] && rule.sel.match(r) && (filter == nil || filter.failsGo(r, in.goNow))
			}))
			continue
		}
		akey := pkey + "|" + string(c)
		arr, ok := in.arrays[akey]
		if !ok {
			arr = in.array(c, func(r *resource.Resource) bool { return want[r.Provider] })
			in.arrays[akey] = arr
		}
		byClass.Insert(ast.StringTerm(string(c)), arr)
	}
	v = ast.NewObject(
		[2]*ast.Term{ast.StringTerm("now"), in.now},
		[2]*ast.Term{ast.StringTerm("resources"), ast.NewTerm(byClass)},
	)
	in.views[key] = v
	return v, nil
}

// array returns the terms of the resources of class c that keep selects
// (the class's terms are built; in.mu is held).
func (in *Input) array(c resource.Class, keep func(*resource.Resource) bool) *ast.Term {
	rs, ts := in.byClass[c], in.classes[c].terms
	sel := make([]*ast.Term, 0, len(ts))
	for i, r := range rs {
		if keep(r) {
			sel = append(sel, ts[i])
		}
	}
	return ast.ArrayTerm(sel...)
}

// ruleView is the part of a resource rules see (no raw attributes).
type ruleView struct {
	Provider      resource.Provider       `json:"provider"`
	Account       string                  `json:"account"`
	Region        string                  `json:"region"`
	Type          string                  `json:"type"`
	ID            string                  `json:"id"`
	Name          string                  `json:"name"`
	Tags          map[string]string       `json:"tags,omitempty"`
	Relationships []resource.Relationship `json:"relationships,omitempty"`
	Class         resource.Class          `json:"class"`
	Facts         resource.Facts          `json:"facts"`
}

// NewInput groups an inventory by class for the rules. When classes are
// given, only resources of those classes are kept (the classes the loaded
// rules declare, plus account): the others are never walked by a rule. The
// Rego terms are built later, per class, when a rule needs them.
func NewInput(resources []*resource.Resource, now time.Time, classes ...resource.Class) (*Input, error) {
	var want map[resource.Class]bool
	if len(classes) > 0 {
		want = map[resource.Class]bool{}
		for _, c := range classes {
			want[c] = true
		}
	}
	in := &Input{
		now:     ast.StringTerm(now.UTC().Format(time.RFC3339)),
		all:     resources,
		want:    want,
		byClass: map[resource.Class][]*resource.Resource{},
		classes: map[resource.Class]*classTerms{},
		views:   map[string]ast.Value{},
		arrays:  map[string]*ast.Term{},
	}
	in.goNow = newGoNow(in.now)
	in.providers = map[resource.Class]map[resource.Provider]bool{}
	var lastC resource.Class
	var lastP resource.Provider
	for k, r := range resources {
		if want != nil && !want[r.Class] {
			continue
		}
		in.byClass[r.Class] = append(in.byClass[r.Class], r)
		// Inventories come grouped: the set is written when the class or
		// the provider changes from the resource before.
		if k == 0 || r.Class != lastC || r.Provider != lastP {
			lastC, lastP = r.Class, r.Provider
			ps := in.providers[r.Class]
			if ps == nil {
				ps = map[resource.Provider]bool{}
				in.providers[r.Class] = ps
			}
			ps[r.Provider] = true
		}
	}
	return in, nil
}

// judges reports whether rule has something to judge in in: a resource of
// its class from one of its providers (a rule judges only its providers'
// resources, so without one it gives no finding).
func (in *Input) judges(rule *Rule) bool {
	ps := in.providers[rule.Class]
	for _, p := range rule.Providers {
		if ps[p] {
			return true
		}
	}
	return false
}

// byIDOf returns the kept resource with this ID (the last one given, if
// several), or nil.
func (in *Input) byIDOf(id string) *resource.Resource {
	in.idOnce.Do(func() {
		in.byID = make(map[string]*resource.Resource)
		for _, r := range in.all {
			if in.want == nil || in.want[r.Class] {
				in.byID[r.ID] = r
			}
		}
	})
	return in.byID[id]
}

// Evaluate runs every rule over the inventory and returns the findings, in
// rule order then input order.
func (e *Engine) Evaluate(ctx context.Context, resources []*resource.Resource, now time.Time) ([]finding.Finding, error) {
	in, err := NewInput(resources, now, e.Classes()...)
	if err != nil {
		return nil, err
	}
	fs, _, err := e.evaluate(ctx, in, true, false)
	return fs, err
}

// EvaluatePasses is Evaluate with the PASS findings held compactly
// (finding.Passes) rather than among the findings returned: a PASS
// finding is its rule's prototype and a resource, 4 bytes instead of a
// Finding's 288 (at 1,000,000 resources, 2.5 million of them). The
// findings returned are the others, in rule order then input order.
func (e *Engine) EvaluatePasses(ctx context.Context, resources []*resource.Resource, now time.Time) ([]finding.Finding, *finding.Passes, error) {
	in, err := NewInput(resources, now, e.Classes()...)
	if err != nil {
		return nil, nil, err
	}
	return e.evaluate(ctx, in, true, true)
}

// Classes lists the classes the loaded rules declare, plus account (which
// rules of every class may read).
func (e *Engine) Classes() []resource.Class {
	set := map[resource.Class]bool{resource.ClassAccount: true}
	for _, r := range e.rules {
		set[r.Class] = true
	}
	out := make([]resource.Class, 0, len(set))
	for c := range set {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// EvaluateInput runs every rule over a prepared input (which may be
// evaluated again: its Rego terms are kept).
func (e *Engine) EvaluateInput(ctx context.Context, in *Input) ([]finding.Finding, error) {
	fs, _, err := e.evaluate(ctx, in, false, false)
	return fs, err
}

// evaluate runs every rule over in. once: in is evaluated only this time
// (Evaluate's own input): the Rego terms are built only for the providers
// the rules reading each class cover, and dropped before the findings are
// built, so that the two are not in memory together. compact: the PASS
// findings are returned apart, compactly (EvaluatePasses).
func (e *Engine) evaluate(ctx context.Context, in *Input, once, compact bool) ([]finding.Finding, *finding.Passes, error) {
	// The rules of a class no resource of their providers has judge
	// nothing: a lazy engine leaves them unprepared (an IaC tree of three
	// clouds holds accounts of two: the third's account rules are neither
	// parsed nor compiled).
	present := func(i int) bool { return in.judges(e.rules[i]) }
	preparing := trace.StartRegion(ctx, "prepare")
	ready, err := e.ensurePrepared(ctx, present, true)
	preparing.End()
	if err != nil {
		return nil, nil, err
	}
	// Rules prepared beforehand (an eager engine, PrepareRules) whose class
	// the input lacks have nothing to judge.
	for i := range ready {
		ready[i] = ready[i] && present(i)
	}
	// Build the terms the rules evaluated by OPA need first, using every
	// core; the classes judged only on Go fields get none.
	var need []resource.Class
	providers := map[resource.Class]map[resource.Provider]bool{}
	termUses := map[resource.Class][]termUse{}
	// uses lists, per rule, the classes whose terms it reads; left counts,
	// per class, the rules still to judge that read its terms.
	uses := make([][]resource.Class, len(e.rules))
	left := map[resource.Class]int{}
	var cur int
	add := func(c resource.Class, rule *Rule, filter *direct) {
		if len(in.byClass[c]) == 0 {
			return
		}
		uses[cur] = append(uses[cur], c)
		left[c]++
		termUses[c] = append(termUses[c], termUse{providers: rule.Providers, filter: filter})
		ps := providers[c]
		if ps == nil {
			ps = map[resource.Provider]bool{}
			providers[c] = ps
			need = append(need, c)
		}
		for _, p := range rule.Providers {
			ps[p] = true
		}
	}
	for i, r := range e.rules {
		if !ready[i] {
			continue
		}
		cur = i
		d := e.direct[i]
		opaFail := d == nil || !d.onGo
		if opaFail {
			add(r.Class, r, e.prefilter[i])
		}
		if opaFail || e.messages[i] != nil && !d.hasMessage && e.goMessages[i] == nil {
			for c := range in.byClass {
				if c != r.Class && (e.reads[i] == nil || e.reads[i][c]) {
					add(c, r, nil)
				}
			}
		}
	}
	slices.SortFunc(need, func(a, b resource.Class) int { return strings.Compare(string(a), string(b)) })
	if once {
		// An input evaluated once builds each class's terms when a rule
		// first reads them (ensure), for the providers of the rules that
		// read them, and drops them when the last of those rules is
		// judged: the rules are handed out class by class, so only the
		// terms of a few classes are in memory at a time, not every
		// class's (at 1,000,000 resources, gigabytes).
		in.mu.Lock()
		if len(in.classes) == 0 {
			in.only, in.uses = providers, termUses
		}
		in.mu.Unlock()
	} else if _, err := in.ensure(need...); err != nil {
		return nil, nil, err
	}
	var leftMu sync.Mutex
	judged := func(i int) {
		if !once {
			return
		}
		leftMu.Lock()
		var done []resource.Class
		for _, c := range uses[i] {
			if left[c]--; left[c] == 0 {
				done = append(done, c)
			}
		}
		leftMu.Unlock()
		if len(done) > 0 {
			in.drop(done...)
		}
	}
	results := make([]judgement, len(e.rules))
	errs := make([]error, len(e.rules))
	workers := max(1, e.workers)
	// The rules judged on the Go fields first, class by class and
	// resource by resource (batch.go); their messages with the others.
	batched := e.judgeGoBatches(ctx, in, ready, workers)
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	// Hand out the rules over the largest classes first, so the workers
	// finish together rather than one waiting on a late large rule, and
	// class by class.
	order := make([]int, 0, len(e.rules))
	for i := range e.rules {
		if ready[i] {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(a, b int) bool {
		ca, cb := e.rules[order[a]].Class, e.rules[order[b]].Class
		if na, nb := len(in.byClass[ca]), len(in.byClass[cb]); na != nb {
			return na > nb
		}
		return ca < cb
	})
	// The workers take the rules in that order from a counter: handed out
	// on a channel, each rule waited for this goroutine to be scheduled,
	// which the busy workers held the cores from.
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for ctx.Err() == nil {
				k := int(next.Add(1)) - 1
				if k >= len(order) {
					return
				}
				i := order[k]
				if bj := batched[i]; bj != nil {
					results[i], errs[i] = e.judgeBatched(ctx, i, in, bj)
				} else {
					results[i], errs[i] = e.judge(ctx, i, in)
				}
				judged(i)
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	if err := e.lateMessages(ctx, in, order, results, errs); err != nil {
		return nil, nil, err
	}
	if once {
		in.release()
	}
	defer trace.StartRegion(ctx, "build").End()
	return e.buildAll(in, results, errs, once, compact)
}

// refChunk is how many Refs of a class one job of buildAll fills.
const refChunk = 1 << 14

// buildAll builds the findings of the rules' judgements, into the one slice
// returned: each rule's judgement is a compact list of (resource, status),
// and a finding is 288 bytes. compact: a rule's PASS findings are its run
// in passes instead, the indexes of their resources' Refs (one table of
// Refs per class that passed something, filled on the workers beside the
// findings).
func (e *Engine) buildAll(in *Input, results []judgement, errs []error, once, compact bool) ([]finding.Finding, *finding.Passes, error) {
	total := 0
	offsets := make([]int, len(results))
	var passes *finding.Passes
	runOf := make([]int, len(results))   // rule -> its run in passes, or -1
	bases := make([]int32, len(results)) // rule -> its class's first Ref
	if compact {
		passes = &finding.Passes{}
	}
	classBase := map[resource.Class]int32{}
	var refClasses []resource.Class // in the order of their bases
	nRefs := 0
	for i, r := range results {
		if errs[i] != nil {
			return nil, nil, errs[i]
		}
		offsets[i] = total
		n := len(r.verdicts)
		runOf[i] = -1
		if compact {
			pass := 0
			for _, v := range r.verdicts {
				if v.status == vPass {
					pass++
				}
			}
			if pass > 0 {
				rule := e.rules[i]
				base, ok := classBase[rule.Class]
				if !ok {
					base = int32(nRefs)
					classBase[rule.Class] = base
					refClasses = append(refClasses, rule.Class)
					nRefs += len(in.byClass[rule.Class])
				}
				passes.Runs = append(passes.Runs, finding.PassRun{
					Proto: rule.New(resource.Ref{}, finding.Pass, "", rule.refs), Res: make([]int32, 0, pass)})
				runOf[i], bases[i] = len(passes.Runs)-1, base
				n -= pass
			}
		}
		total += n
	}
	if once && total > freeOSAbove {
		// The findings slice needs contiguous pages (over a GB at
		// 1,000,000 resources) that the terms just released, scattered
		// small spans, cannot give: without returning those to the OS
		// first, the heap grows by the whole slice while they stay
		// resident (helper mem measured 5.3 GiB -> 4.1 GiB peak RSS at
		// 1,000,000 resources, CPU unchanged). A small scan does not pay
		// the forced collection. It comes before the Refs and the
		// findings are allocated: allocated first, into a heap full of
		// the terms' garbage, they started a collection of their own
		// that this one then waited for and repeated.
		debug.FreeOSMemory()
	}
	// The jobs: each rule's findings, and the Refs in chunks.
	type job struct {
		rule int // -1: Refs
		c    resource.Class
		from int // the first of the class's resources, and its Ref's index
		to   int
		ref  int32
	}
	var jobs []job
	if compact {
		passes.Refs = make([]resource.Ref, nRefs)
		for _, c := range refClasses {
			rs := in.byClass[c]
			for from := 0; from < len(rs); from += refChunk {
				jobs = append(jobs, job{rule: -1, c: c, from: from, to: min(from+refChunk, len(rs)), ref: classBase[c] + int32(from)})
			}
		}
	}
	for i := range results {
		jobs = append(jobs, job{rule: i})
	}
	out := make([]finding.Finding, total)
	// The workers take the jobs in turn from a counter: handed out on a
	// channel, each job waited for this goroutine to be scheduled, which
	// the busy workers held the cores from (a core idled for about a
	// quarter of the build).
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, e.workers) {
		wg.Go(func() {
			for {
				k := int(next.Add(1)) - 1
				if k >= len(jobs) {
					return
				}
				j := jobs[k]
				if j.rule < 0 {
					refs := passes.Refs[j.ref:]
					for k, res := range in.byClass[j.c][j.from:j.to] {
						refs[k] = res.Ref()
					}
					continue
				}
				i := j.rule
				fs := out[offsets[i]:]
				if i+1 < len(offsets) {
					fs = out[offsets[i]:offsets[i+1]]
				}
				var run *finding.PassRun
				if runOf[i] >= 0 {
					run = &passes.Runs[runOf[i]]
				}
				e.build(i, in, results[i], fs, run, bases[i])
			}
		})
	}
	wg.Wait()
	return out, passes, nil
}

// freeOSAbove is the number of findings above which evaluate returns the
// released terms' memory to the OS before allocating the findings.
const freeOSAbove = 1_000_000

// whole returns an input of in's resources with no terms built yet, whose
// terms are built whole (every provider's resources) when read.
func (in *Input) whole() *Input {
	return &Input{now: in.now, goNow: in.goNow, all: in.all, want: in.want, byClass: in.byClass, providers: in.providers,
		classes: map[resource.Class]*classTerms{}, views: map[string]ast.Value{}, arrays: map[string]*ast.Term{}}
}

// release drops the input's Rego terms (building the findings reads only
// the resources): at 1,000,000 resources they hold gigabytes.
func (in *Input) release() {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.classes = map[resource.Class]*classTerms{}
	in.views = map[string]ast.Value{}
	in.arrays = map[string]*ast.Term{}
}

// drop forgets the Rego terms of classes, and the cached views and arrays
// (which may hold them; those still needed are built again from the terms
// of their classes). A rule that reads a dropped class after all would
// have its terms built again: slower, never wrong.
func (in *Input) drop(classes ...resource.Class) {
	in.mu.Lock()
	defer in.mu.Unlock()
	for _, c := range classes {
		delete(in.classes, c)
	}
	clear(in.views)
	clear(in.arrays)
}

// A judgement is what a rule says about the resources of its class: one
// verdict per resource it reports on, in input order, and the messages of
// failing resources.
type judgement struct {
	verdicts []verdict
	messages map[int32]string // by index into the class's resources
}

// verdict is a rule's status for one resource: the resource's index in its
// class, and FAIL, PASS, or UNKNOWN for want of the requires entry missing.
type verdict struct {
	j       int32
	status  uint8
	missing int16
}

const (
	vPass uint8 = iota
	vFail
	vUnknown
)

// build writes the findings of rule i's judgement into out; with run, its
// PASS findings into run instead, as the indexes of their resources' Refs
// (base + the resource's index in its class).
func (e *Engine) build(i int, in *Input, jd judgement, out []finding.Finding, run *finding.PassRun, base int32) {
	rule := e.rules[i]
	resources := in.byClass[rule.Class]
	proto := rule.New(resource.Ref{}, finding.Pass, "", rule.refs)
	k := 0
	for _, v := range jd.verdicts {
		if run != nil && v.status == vPass {
			run.Res = append(run.Res, base+v.j)
			continue
		}
		// Fill the finding in place (out is fresh and zeroed): one write
		// of each field rather than building a copy and copying it.
		f := &out[k]
		k++
		*f = proto
		f.Resource = resources[v.j].Ref()
		switch v.status {
		case vFail:
			f.Status, f.Message = finding.Fail, jd.messages[v.j]
		case vUnknown:
			f.Status, f.Message = finding.Unknown, rule.unknowns[v.missing]
		}
	}
}

// evalRule evaluates one rule and returns its findings.
func (e *Engine) evalRule(ctx context.Context, i int, in *Input) ([]finding.Finding, error) {
	if _, err := e.ensurePrepared(ctx, func(j int) bool { return j == i }, true); err != nil {
		return nil, err
	}
	jd, err := e.judge(ctx, i, in)
	if err != nil {
		return nil, err
	}
	if e.late[i] {
		results, errs := make([]judgement, len(e.rules)), make([]error, len(e.rules))
		results[i] = jd
		if err := e.lateMessages(ctx, in, []int{i}, results, errs); err != nil {
			return nil, err
		}
		if errs[i] != nil {
			return nil, errs[i]
		}
		jd = results[i]
	}
	out := make([]finding.Finding, len(jd.verdicts))
	e.build(i, in, jd, out, nil, 0)
	return out, nil
}

// judge evaluates rule i over its class: FAIL for the resources in its fail
// set, nothing for those in its skip set, UNKNOWN for those lacking a
// required fact, PASS for the others.
func (e *Engine) judge(ctx context.Context, i int, in *Input) (judgement, error) {
	rule := e.rules[i]
	resources := in.byClass[rule.Class]
	var isFail, isSkip func(j int) bool
	var fail, skip ast.Set
	d := e.direct[i]
	switch {
	case d != nil && d.onGo:
		bj := batchJudged{verdicts: make([]verdict, 0, len(resources))}
		vs, failed := [][]verdict{bj.verdicts}, [][]int32{nil}
		e.goVerdicts(in, rule.Class, []int{i}, d.derivedSets(in, rule), 0, len(resources), vs, failed)
		bj.verdicts, bj.failed = vs[0], failed[0]
		return e.judgeBatched(ctx, i, in, &bj)
	case d != nil:
		ct, err := in.ensure(rule.Class)
		if err != nil {
			return judgement{}, err
		}
		isFail = func(j int) bool { return d.fails(ct.terms[j]) }
		isSkip = func(j int) bool { return len(d.skips) > 0 && d.skipped(ct.terms[j]) }
	default:
		ct, err := in.ensure(rule.Class)
		if err != nil {
			return judgement{}, err
		}
		ids := ct.ids
		view, err := in.view(rule, e.reads[i], true, e.prefilter[i])
		if err != nil {
			return judgement{}, err
		}
		rs, err := e.prepared[i].Eval(ctx, rego.EvalParsedInput(view),
			// Keep results as Rego terms: converting id sets to sorted Go values
			// costs more than looking ids up in them.
			rego.EvalSortSets(false), rego.EvalGenerateJSON(keepTerm))
		if err != nil {
			return judgement{}, fmt.Errorf("rule %s (%s): %w", rule.ID, rule.File, err)
		}
		if len(rs) != 1 {
			return judgement{}, fmt.Errorf("rule %s (%s): the query of fail and skip has %d results, want 1", rule.ID, rule.File, len(rs))
		}
		if fail, err = resultSet(rs[0].Bindings["fail"], "fail"); err != nil {
			return judgement{}, fmt.Errorf("rule %s (%s): %w", rule.ID, rule.File, err)
		}
		if skip, err = resultSet(rs[0].Bindings["skip"], "skip"); err != nil {
			return judgement{}, fmt.Errorf("rule %s (%s): %w", rule.ID, rule.File, err)
		}
		// Look each id up rather than iterating the sets: OPA sorts a set
		// to iterate it, and a lookup costs one hash of a term built once.
		// A resource the rule's prefilter left out of its input has no
		// term (when no other reader needed it) and is in neither set.
		pf := e.prefilter[i]
		id := func(j int) *ast.Term {
			if ids[j] != nil {
				return ids[j]
			}
			if pf != nil && !pf.failsGo(resources[j], in.goNow) {
				return nil
			}
			return ast.StringTerm(resources[j].ID)
		}
		isFail = func(j int) bool {
			if setLen(fail) == 0 {
				return false
			}
			t := id(j)
			return t != nil && fail.Contains(t)
		}
		isSkip = func(j int) bool {
			if setLen(skip) == 0 {
				return false
			}
			t := id(j)
			return t != nil && skip.Contains(t)
		}
	}
	out := make([]verdict, 0, len(resources))
	hitsFail, hitsSkip := 0, 0
	var failed []int32
	for j, r := range resources {
		if !rule.HasProvider(r.Provider) || !rule.sel.match(r) {
			continue
		}
		v := verdict{j: int32(j)}
		switch {
		case isFail(j):
			hitsFail++
			v.status = vFail
			failed = append(failed, int32(j))
			if d == nil && isSkip(j) { // FAIL comes first; the id is still one of skip's
				hitsSkip++
			}
		case isSkip(j):
			hitsSkip++
			continue
		default:
			if k := rule.missing(&r.Facts); k >= 0 {
				v.status, v.missing = vUnknown, int16(k)
			}
		}
		out = append(out, v)
	}
	if d == nil {
		if hitsFail < setLen(fail) {
			return judgement{}, fmt.Errorf("rule %s (%s): %s", rule.ID, rule.File, strayElement("fail", fail, rule, in))
		}
		if hitsSkip < setLen(skip) {
			return judgement{}, fmt.Errorf("rule %s (%s): %s", rule.ID, rule.File, strayElement("skip", skip, rule, in))
		}
	}
	jd := judgement{verdicts: out}
	err := e.judgeMessages(ctx, i, in, &jd, failed)
	return jd, err
}

// judgeBatched completes the judgement of rule i, judged on the Go fields
// (goVerdicts): the messages of its failing resources.
func (e *Engine) judgeBatched(ctx context.Context, i int, in *Input, bj *batchJudged) (judgement, error) {
	jd := judgement{verdicts: bj.verdicts}
	err := e.judgeMessages(ctx, i, in, &jd, bj.failed)
	return jd, err
}

// judgeMessages sets the messages of rule i's failing resources (indexes
// into its class) in jd.
func (e *Engine) judgeMessages(ctx context.Context, i int, in *Input, jd *judgement, failed []int32) error {
	resources := in.byClass[e.rules[i].Class]
	d := e.direct[i]
	switch {
	case len(failed) == 0 || e.late[i]: // a late rule's: lateMessages
	case d != nil && d.hasMessage:
		jd.messages = make(map[int32]string, len(failed))
		for _, j := range failed {
			jd.messages[j] = d.message
		}
	case e.goMessages[i] != nil:
		jd.messages = make(map[int32]string, len(failed))
		for _, j := range failed {
			m, ok, err := e.goMessages[i].evalTop(resources[j], in.goNow)
			if err != nil {
				return fmt.Errorf("rule %s (%s): %w", e.rules[i].ID, e.rules[i].File, err)
			}
			if ok {
				jd.messages[j] = m
			}
		}
	case e.messages[i] != nil:
		jd.messages = make(map[int32]string, len(failed))
		if err := e.ruleMessages(ctx, i, in, failed, jd.messages); err != nil {
			return err
		}
	}
	return nil
}

// setLen is the size of a result set, 0 when the rule did not define it.
func setLen(s ast.Set) int {
	if s == nil {
		return 0
	}
	return s.Len()
}

// strayElement describes the first element of a rule's fail or skip set
// that is not the id of a resource the rule judges (only called when there
// is one: a rule bug worth a clear error rather than a silent drop).
func strayElement(name string, set ast.Set, rule *Rule, in *Input) string {
	covered := map[string]bool{}
	for _, r := range in.byClass[rule.Class] {
		if rule.HasProvider(r.Provider) && rule.sel.match(r) {
			covered[r.ID] = true
		}
	}
	var stray *ast.Term
	n := 0
	set.Foreach(func(t *ast.Term) {
		if s, ok := t.Value.(ast.String); ok && covered[string(s)] {
			return
		}
		if stray == nil {
			stray = t
		}
		n++
	})
	if stray == nil {
		return name + " holds duplicate resource ids"
	}
	what := "not a resource id"
	if s, ok := stray.Value.(ast.String); ok {
		what = "not the id of a " + string(rule.Class) + " resource from " + fmt.Sprint(rule.Providers)
		if r := in.byIDOf(string(s)); r != nil && r.Class == rule.Class && rule.HasProvider(r.Provider) {
			what += " (custom.applies_to does not select it)"
		} else if r != nil {
			what += " (it is a " + string(r.Class) + " resource from " + string(r.Provider) + ")"
		}
	}
	return fmt.Sprintf("%s holds %d element(s) the rule does not judge, e.g. %v: %s; %s must be a set of ids of input.resources.%s",
		name, n, stray, what, name, rule.Class)
}

// resultSet returns a binding's set, or nil when the rule did not define it.
func resultSet(v any, name string) (ast.Set, error) {
	if v == nil {
		return nil, nil
	}
	t, ok := v.(*ast.Term)
	if !ok {
		return nil, fmt.Errorf("%s: want a set of resource ids, got %T", name, v)
	}
	set, ok := t.Value.(ast.Set)
	if !ok {
		return nil, fmt.Errorf("%s: want a set of resource ids, got %v", name, ast.ValueName(t.Value))
	}
	return set, nil
}

func keepTerm(t *ast.Term, _ *rego.EvalContext) (any, error) { return t, nil }

// ruleNames lists the names of the rules a module defines.
// checkedNames returns the names a rule module defines, or an error when
// they break the rule contract.
func checkedNames(file, id string, m *ast.Module) (map[string]bool, error) {
	names := ruleNames(m)
	switch {
	case !names["fail"]:
		return nil, fmt.Errorf("%s: rule %q defines no `fail` set (the resources that break the rule)", file, id)
	case names["pass"] || names["applicable"]:
		return nil, fmt.Errorf("%s: rule %q defines `pass` or `applicable`, which the rule contract no longer reads: "+
			"define only `fail` (and `skip` for resources the rule does not apply to), and list the facts the rule "+
			"needs in custom.requires so the engine reports UNKNOWN when they are absent (docs/rules.md)", file, id)
	}
	return names, nil
}

func ruleNames(m *ast.Module) map[string]bool {
	out := map[string]bool{}
	for _, r := range m.Rules {
		out[r.Head.Name.String()] = true
		if len(r.Head.Reference) > 0 {
			out[r.Head.Reference[0].String()] = true
		}
	}
	return out
}

// buildQuery queries the result sets a rule package defines: fail and skip.
func buildQuery(pkg string, names map[string]bool) string {
	var parts []string
	// `message` is queried separately, over failing resources only (see
	// ruleMessages): OPA checks a partial object's keys for conflicts as it
	// grows, which is quadratic over a large inventory.
	for _, n := range []string{"fail", "skip"} {
		if names[n] {
			parts = append(parts, fmt.Sprintf("%s := %s.%s", n, pkg, n))
		}
	}
	if len(parts) == 0 {
		return "true"
	}
	return strings.Join(parts, "; ")
}

// failIDs is the key of a message query's input holding the ids of the
// failing resources it sees (the rule's fail set, restricted to them).
const failIDs = "__vigil_fail_ids"

// messageBatch bounds how many failing resources one `message` query sees:
// OPA checks a partial object's keys for conflicts as it grows, which is
// quadratic in its size.
const messageBatch = 500

// ruleMessages evaluates a rule's `message` object over its failing
// resources only (failed: their indexes in the class, in input order), in
// batches, and adds the messages to msgs. Other classes of the input stay
// whole, so cross-resource rules see what they need.
func (e *Engine) ruleMessages(ctx context.Context, i int, in *Input, failed []int32, msgs map[int32]string) error {
	return e.queryMessages(ctx, i, e.messages[i], e.reads[i], in, failed, msgs)
}

// queryMessages evaluates rule i's message query q (its view holding the
// classes reads) for its failing resources failed.
func (e *Engine) queryMessages(ctx context.Context, i int, q *rego.PreparedEvalQuery, reads map[resource.Class]bool, in *Input, failed []int32, msgs map[int32]string) error {
	rule := e.rules[i]
	view, err := in.view(rule, reads, false, nil)
	if err != nil {
		return err
	}
	resources := view.(ast.Object).Get(ast.StringTerm("resources")).Value.(ast.Object)
	failing, err := in.termsOf(rule.Class, failed)
	if err != nil {
		return err
	}
	byID := make(map[string]string, len(failed))
	for lo := 0; lo < len(failing); lo += messageBatch {
		batch := failing[lo:min(lo+messageBatch, len(failing))]
		classes := ast.NewObject()
		resources.Foreach(func(k, v *ast.Term) { classes.Insert(k, v) })
		classes.Insert(ast.StringTerm(string(rule.Class)), ast.ArrayTerm(batch...))
		ids := make([]*ast.Term, len(batch))
		for k := range batch {
			ids[k] = ast.StringTerm(in.byClass[rule.Class][failed[lo+k]].ID)
		}
		doc := ast.NewObject(
			[2]*ast.Term{ast.StringTerm("now"), in.now},
			[2]*ast.Term{ast.StringTerm("resources"), ast.NewTerm(classes)},
			[2]*ast.Term{ast.StringTerm(failIDs), ast.SetTerm(ids...)},
		)
		rs, err := q.Eval(ctx, rego.EvalParsedInput(doc), rego.EvalGenerateJSON(keepTerm))
		if err != nil {
			return fmt.Errorf("rule %s (%s): message: %w", rule.ID, rule.File, err)
		}
		if len(rs) != 1 {
			continue
		}
		t, ok := rs[0].Bindings["message"].(*ast.Term)
		if !ok {
			continue
		}
		obj, ok := t.Value.(ast.Object)
		if !ok {
			return fmt.Errorf("rule %s: message must be an object of resource id to text", rule.ID)
		}
		obj.Foreach(func(k, v *ast.Term) {
			id, ok1 := k.Value.(ast.String)
			m, ok2 := v.Value.(ast.String)
			if !ok1 || !ok2 {
				return
			}
			if byID[string(id)] == "" {
				byID[string(id)] = string(m)
			}
		})
	}
	for _, j := range failed {
		if m, ok := byID[in.byClass[rule.Class][j].ID]; ok {
			msgs[j] = m
		}
	}
	return nil
}

// readClasses lists, per rule, the classes its view must hold: those its
// module reads as input.resources.<class>, with those of every module it
// refers to through data (libraries and other rule packages),
// transitively; nil when one of them reads the input otherwise (input,
// input.resources, or a computed class) or refers to data through a
// computed path. A module the rule does not refer to cannot be evaluated
// for it: a library only some rules import, or an opt-in rule left out of
// the engine (the governance rules read every data-store class), adds
// nothing to the others' views, which would otherwise convert classes no
// evaluated rule reads.
//
// shared[i] is true when a module other than rule i's own (a library, a
// rule package) in that closure reads rule i's class or the input
// dynamically.
func readClasses(c *ast.Compiler, rules []*Rule) (reads []map[resource.Class]bool, shared []bool) {
	type modReads struct {
		classes map[resource.Class]bool
		all     bool
		refs    []ast.Ref // data refs
	}
	byFile := map[string]*modReads{}
	input := ast.InputRootRef
	resources := ast.StringTerm("resources")
	for name, m := range c.Modules {
		mr := &modReads{classes: map[resource.Class]bool{}}
		byFile[name] = mr
		ast.WalkRefs(m, func(r ast.Ref) bool {
			if r.HasPrefix(ast.DefaultRootRef) {
				// data.<path>: a computed step before the path names a
				// package (data[x], data.vigil[x]) could reach any module.
				if !r.ConstantPrefix().HasPrefix(m.Package.Path) && !groundHead(r) {
					mr.all = true
				}
				mr.refs = append(mr.refs, r)
				return false
			}
			if !r[0].Equal(input[0]) {
				return false
			}
			switch {
			case len(r) == 1 || !r[1].IsGround():
				mr.all = true
			case !r[1].Equal(resources):
			case len(r) == 2:
				mr.all = true
			default:
				if cls, ok := r[2].Value.(ast.String); ok {
					mr.classes[resource.Class(cls)] = true
				} else {
					mr.all = true
				}
			}
			return false
		})
	}
	pkgs := newPkgIndex(c.Modules)
	out := make([]map[resource.Class]bool, len(rules))
	shared = make([]bool, len(rules))
	for i, r := range rules {
		classes := map[resource.Class]bool{}
		all := false
		// The rule's module and the modules it refers to, transitively.
		seen := map[string]bool{}
		queue := []string{r.File}
		for len(queue) > 0 {
			f := queue[0]
			queue = queue[1:]
			if seen[f] {
				continue
			}
			seen[f] = true
			mr := byFile[f]
			if mr == nil {
				all = true // not a compiled module: assume the worst
				shared[i] = shared[i] || f != r.File
				continue
			}
			all = all || mr.all
			for cls := range mr.classes {
				classes[cls] = true
			}
			if f != r.File && (mr.all || mr.classes[r.Class]) {
				shared[i] = true
			}
			for _, ref := range mr.refs {
				pkgs.reached(ref, func(other string) {
					if !seen[other] {
						queue = append(queue, other)
					}
				})
			}
		}
		if !all {
			out[i] = classes
		}
	}
	return out, shared
}

// groundHead reports whether a data ref names its package path with
// constant strings up to its first computed step, at least data.<name>:
// data.vigil.lib.net.f(x) and data.vigil.rules.p.fail[x] are, data[x] is
// not.
func groundHead(r ast.Ref) bool {
	p := r.ConstantPrefix()
	if len(p) < 2 {
		return false
	}
	for _, t := range p[1:] {
		if _, ok := t.Value.(ast.String); !ok {
			return false
		}
	}
	return true
}

// A pkgIndex finds the modules a data ref reaches: those whose package is
// a prefix of the ref (data.vigil.lib.net.f(x) reaches data.vigil.lib.net),
// by exact package path, and those whose package extends the ref's
// constant prefix (data.vigil.rules[x] reaches every rule package), by
// every prefix of every package path. Built once, so following a module's
// refs costs lookups, not a scan of every module per ref (which made
// preparing a pack of n rules quadratic in n).
type pkgIndex struct {
	byPkg    map[string][]string // package path -> its modules
	underPkg map[string][]string // prefix of a package path -> the modules under it
}

func newPkgIndex(mods map[string]*ast.Module) *pkgIndex {
	x := &pkgIndex{byPkg: map[string][]string{}, underPkg: map[string][]string{}}
	for name, m := range mods {
		p := m.Package.Path
		x.byPkg[p.String()] = append(x.byPkg[p.String()], name)
		for l := 1; l <= len(p); l++ {
			k := p[:l].String()
			x.underPkg[k] = append(x.underPkg[k], name)
		}
	}
	return x
}

// reached calls visit with every module ref reaches (ref.HasPrefix(pkg)
// or pkg.HasPrefix(ref.ConstantPrefix())), possibly more than once.
func (x *pkgIndex) reached(ref ast.Ref, visit func(string)) {
	cp := ref.ConstantPrefix()
	for l := 1; l <= len(cp); l++ {
		for _, f := range x.byPkg[cp[:l].String()] {
			visit(f)
		}
	}
	for _, f := range x.underPkg[cp.String()] {
		visit(f)
	}
}
