package awscollect

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestPaginatorsTakeMethodValues checks that every SDK paginator or waiter
// built here and in internal/respond/aws is handed a method value through
// one of the packages' func types, never a service client: a client
// converted to an interface links every operation of its service
// (clientfunc.go).
func TestPaginatorsTakeMethodValues(t *testing.T) {
	ctor := regexp.MustCompile(`^New[A-Za-z0-9]+(Paginator|Waiter)$`)
	for _, dir := range []string{".", "../../respond/aws"} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		fset := token.NewFileSet()
		var files []*ast.File
		funcTypes := map[string]bool{}
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
			ast.Inspect(f, func(n ast.Node) bool {
				if ts, ok := n.(*ast.TypeSpec); ok {
					if _, ok := ts.Type.(*ast.FuncType); ok {
						funcTypes[ts.Name.Name] = true
					}
				}
				return true
			})
		}
		sites := 0
		for _, f := range files {
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok || !ctor.MatchString(sel.Sel.Name) || len(call.Args) == 0 {
					return true
				}
				sites++
				conv, ok := call.Args[0].(*ast.CallExpr)
				id, isIdent := (*ast.Ident)(nil), false
				if ok {
					id, isIdent = conv.Fun.(*ast.Ident)
				}
				if !isIdent || !funcTypes[id.Name] {
					t.Errorf("%s: %s is handed %s, not a method value through a func type of clientfunc.go",
						fset.Position(call.Pos()), sel.Sel.Name, exprName(call.Args[0]))
				}
				return true
			})
		}
		if sites == 0 {
			t.Errorf("%s: no paginator found; the check reads nothing", dir)
		}
	}
}

// exprName renders an expression for a failure message.
func exprName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.CallExpr:
		return exprName(e.Fun) + "(...)"
	case *ast.SelectorExpr:
		return exprName(e.X) + "." + e.Sel.Name
	}
	return "an expression"
}
