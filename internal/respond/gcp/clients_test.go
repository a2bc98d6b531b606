package gcprespond

import (
	"go/ast"
	"go/parser"
	"go/token"
	"testing"
)

// TestClientsHoldNoService checks that the actions' clients hold closures,
// not an API's *Service: the actions are converted to an interface, so a
// *Service in their reach links every method of its whole API (computeAPI).
func TestClientsHoldNoService(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "gcp.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	structs := map[string]*ast.StructType{}
	ast.Inspect(f, func(n ast.Node) bool {
		if ts, ok := n.(*ast.TypeSpec); ok {
			if st, ok := ts.Type.(*ast.StructType); ok {
				structs[ts.Name.Name] = st
			}
		}
		return true
	})
	for _, name := range []string{"clients", "computeAPI", "iamAPI", "storageAPI", "crmAPI"} {
		st := structs[name]
		if st == nil {
			t.Fatalf("gcp.go declares no struct %s", name)
		}
		for _, fld := range st.Fields.List {
			if star, ok := fld.Type.(*ast.StarExpr); ok {
				if sel, ok := star.X.(*ast.SelectorExpr); ok && sel.Sel.Name == "Service" {
					t.Errorf("%s holds a *%s.Service: hold the calls as closures instead", name, sel.X.(*ast.Ident).Name)
				}
			}
		}
	}
}
