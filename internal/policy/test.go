package policy

import (
	"context"
	"fmt"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/tester"
)

// TestResult is one Rego test case's outcome.
type TestResult struct {
	Package string `json:"package"`
	Name    string `json:"name"`
	File    string `json:"file"`
	Pass    bool   `json:"pass"`
	Error   string `json:"error,omitempty"`
}

// RunTests runs the *_test.rego cases of the sources, as `opa test` does.
// Every module of every source (e.g. the built-in vigil.lib.* helpers) is
// available to the tests; test files of built-in sources run only when
// withBuiltinTests is set.
func RunTests(ctx context.Context, srcs []Source, withBuiltinTests bool) ([]TestResult, error) {
	files, err := parseSources(ctx, srcs)
	if err != nil {
		return nil, err
	}
	mods := map[string]*ast.Module{}
	for _, f := range files {
		if f.test && f.builtin && !withBuiltinTests {
			continue
		}
		mods[f.name] = f.module
	}
	ch, err := tester.NewRunner().SetModules(mods).EnableTracing(false).RaiseBuiltinErrors(true).Run(ctx, mods)
	if err != nil {
		return nil, fmt.Errorf("running rule tests: %w", err)
	}
	var out []TestResult
	for r := range ch {
		tr := TestResult{Package: strings.TrimPrefix(r.Package, "data."), Name: r.Name, Pass: r.Pass()}
		if r.Location != nil {
			tr.File = r.Location.File
		}
		if r.Error != nil {
			tr.Error = r.Error.Error()
		} else if r.Fail {
			tr.Error = "test failed"
		}
		out = append(out, tr)
	}
	return out, nil
}
