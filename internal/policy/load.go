package policy

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"

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
	name    string
	module  *ast.Module
	test    bool
	builtin bool
}

var parserOpts = ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1}

// parseSources parses every .rego file of the sources; test files
// (*_test.rego) only with tests, returned marked (`vigil rules test`).
func parseSources(ctx context.Context, srcs []Source, tests bool) ([]parsedFile, error) {
	var out []parsedFile
	var errs []error
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
			name := path.Join(s.Name, p)
			m, err := ast.ParseModuleWithOpts(name, string(data), parserOpts)
			if err != nil {
				errs = append(errs, err)
				return nil
			}
			out = append(out, parsedFile{name: name, module: m, test: strings.HasSuffix(p, "_test.rego"), builtin: s.Builtin})
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("reading rules from %s: %w", s.Name, err)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, nil
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
