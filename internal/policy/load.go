package policy

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Source is a set of Rego files: the built-in pack (an embedded fs.FS) or a
// custom pack (a directory given with --rules).
type Source struct {
	FS      fs.FS
	Name    string // shown in file names: "builtin" or the directory path
	Builtin bool
}

// DirSource is a custom rule pack in a directory.
func DirSource(dir string) Source { return Source{FS: os.DirFS(dir), Name: dir} }

// parsedFile is one parsed .rego file.
type parsedFile struct {
	name string
	// module is the parsed file; for a rule file of a lazy engine, only
	// its header (METADATA and package) until New has read the rule, then
	// nil: prepare parses it from fsys when it prepares the rule.
	module *ast.Module
	header bool // module holds only the header
	// lib: a library file whose header was decoded at build time (a lazy
	// engine's): module is a stand-in holding the package path until New
	// has read it, then nil until a rule needs the library (moduleOf
	// parses it, whole, and keeps it).
	lib bool
	// meta is the header decoded at build time (builtinHeaders): module
	// is then a stand-in holding only the package path.
	meta    *headerMeta
	pkg     string // the package path
	test    bool
	builtin bool
	// body identifies the module's text after its package line: see
	// bodyKey.
	body [sha256.Size]byte
	fsys fs.FS // where to read it again, as path
	path string
}

// parserOptions are the options every rule file is parsed with. The
// capabilities are given once: OPA's parser otherwise builds them (every
// built-in, sorted) for each file, an eighth of loading the pack.
var parserOptions = sync.OnceValue(func() ast.ParserOptions {
	return ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1,
		Capabilities: ast.CapabilitiesForThisVersion(ast.CapabilitiesRegoVersion(ast.RegoV1))}
})

// bodyKey hashes a module's source after its package line (what comes
// before is comments, the METADATA block among them, and blank lines: Rego
// has the package first). Two rule modules, each its package's one file,
// with the same key and class judge every resource alike and need one
// preparation (a pack copied with renamed packages and ids, as
// BenchmarkRuleScaling's): the package is all that differs in what OPA
// compiles. Anything else that differs in the text gives another key.
func bodyKey(src string) [sha256.Size]byte {
	rest := src
	for line := range strings.Lines(src) {
		rest = rest[len(line):]
		if t := strings.TrimSpace(line); t != "" && t[0] != '#' {
			break // the package line
		}
	}
	return sha256.Sum256(readOnly(rest))
}

// readOnly is s's bytes for a function that only reads them (a hash): not
// a copy, which a rule's text would otherwise be at every start.
func readOnly(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// parseSources parses every .rego file of the sources; test files
// (*_test.rego) only with tests, returned marked (`vigil rules test`).
func parseSources(ctx context.Context, srcs []Source, tests bool) ([]parsedFile, error) {
	return readSources(ctx, srcs, tests, false)
}

// readSources reads every .rego file of the sources (test files only with
// tests) and parses them on GOMAXPROCS workers (parsing is most of an
// engine's start-up). With headers, a rule file (one whose package
// METADATA names an id) is parsed only up to its package line: a lazy
// engine reads the rule's metadata from it and parses the rest when it
// prepares the rule, so a scan of a few classes neither parses nor keeps
// the modules of the others.
func readSources(ctx context.Context, srcs []Source, tests, headers bool) ([]parsedFile, error) {
	type job struct {
		name, src string
		file      parsedFile
		err       error
	}
	var jobs []*job
	for _, s := range srcs {
		err := fs.WalkDir(s.FS, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if d.IsDir() || !strings.HasSuffix(p, ".rego") || (!tests && strings.HasSuffix(p, "_test.rego")) {
				return nil
			}
			data, err := fs.ReadFile(s.FS, p)
			if err != nil {
				return err
			}
			// data is a copy of the file's contents nothing else holds or
			// writes: the text is read in place, not copied again (616 KB
			// for the built-in pack at every start).
			jobs = append(jobs, &job{name: path.Join(s.Name, p), src: unsafe.String(unsafe.SliceData(data), len(data)),
				file: parsedFile{test: strings.HasSuffix(p, "_test.rego"), builtin: s.Builtin, fsys: s.FS, path: p}})
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("reading rules from %s: %w", s.Name, err)
		}
	}
	parserOpts := parserOptions()
	var decoded headerTable
	if headers {
		decoded = builtinHeaders()
	}
	parallel(len(jobs), func(i int) {
		j := jobs[i]
		j.file.name = j.name
		j.file.body = bodyKey(j.src)
		if h, ok := packageHeader(j.src); ok && headers && !j.file.test {
			if m, ok := decoded.get(headerKey(h)); ok && m.library {
				j.file.module, j.file.lib = m.headerModule(), true
				return
			} else if ok {
				j.file.module, j.file.header, j.file.meta = m.headerModule(), true, &m
				return
			}
			// A header that does not parse, or names no rule, is parsed
			// whole: the error, or the library, is the full file's.
			if m, err := ast.ParseModuleWithOpts(j.name, h, parserOpts); err == nil && packageAnnotation(m) != nil {
				j.file.module, j.file.header = m, true
				return
			}
		}
		j.file.module, j.err = ast.ParseModuleWithOpts(j.name, j.src, parserOpts)
	})
	out := make([]parsedFile, 0, len(jobs))
	var errs []error
	for _, j := range jobs {
		if j.err != nil {
			errs = append(errs, j.err)
			continue
		}
		j.file.pkg = j.file.module.Package.Path.String()
		out = append(out, j.file)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, nil
}

// parallel calls fn(0..n-1) on GOMAXPROCS workers.
func parallel(n int, fn func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(n); i = next.Add(1) - 1 {
				fn(int(i))
			}
		})
	}
	wg.Wait()
}

// packageHeader returns src up to the end of its package line when only
// comments and blank lines come before it (the package's METADATA).
func packageHeader(src string) (string, bool) {
	for pos := 0; pos < len(src); {
		end := strings.IndexByte(src[pos:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += pos + 1
		}
		line := strings.TrimLeft(src[pos:end], " \t")
		switch {
		case strings.HasPrefix(line, "package ") || strings.HasPrefix(line, "package\t"):
			return src[:end], true
		case line != "" && line[0] != '#' && strings.TrimSpace(line) != "":
			return "", false
		}
		pos = end
	}
	return "", false
}

// parseFile parses f again from its source, whole.
func parseFile(f parsedFile) (*ast.Module, error) {
	data, err := fs.ReadFile(f.fsys, f.path)
	if err != nil {
		return nil, fmt.Errorf("reading rules: %w", err)
	}
	opts := parserOptions()
	// New has read the rule's METADATA from its header: the rest of the
	// engine reads none.
	opts.ProcessAnnotation = !f.header
	return ast.ParseModuleWithOpts(f.name, string(data), opts)
}

// compile compiles modules into one compiler.
func compile(files []parsedFile, withTests bool) (*ast.Compiler, error) {
	mods := map[string]*ast.Module{}
	for _, f := range files {
		if f.test && !withTests {
			continue
		}
		mods[f.name] = f.module
	}
	c := ast.NewCompiler().WithEnablePrintStatements(false)
	c.Compile(mods)
	if c.Failed() {
		return nil, fmt.Errorf("compiling rules: %w", c.Errors)
	}
	return c, nil
}
