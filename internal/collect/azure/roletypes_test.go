package azurecollect

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// importerTypes returns the ARM resource types the Azure importer reads:
// the string constants named Type... in internal/importer/azure, read
// from its source so that a type added there is checked here without a
// list to keep in step.
func importerTypes(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "importer", "azure", "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("the Azure importer's sources: %v (%d files)", err, len(files))
	}
	types := map[string]string{}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, s := range gd.Specs {
				vs := s.(*ast.ValueSpec)
				for i, id := range vs.Names {
					if !strings.HasPrefix(id.Name, "Type") || i >= len(vs.Values) {
						continue
					}
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						continue
					}
					v, err := strconv.Unquote(lit.Value)
					if err == nil && strings.HasPrefix(strings.ToLower(v), "microsoft.") {
						types[id.Name] = v
					}
				}
			}
		}
	}
	return types
}

// TestRoleReadsEveryImportedType: Resource Graph answers only with the
// resources its caller may read, so a type the importer reads but the
// role in deploy/permissions does not grant would be missing from a live
// collection without any error, and read as "none exist" (a false FAIL
// for "has a Defender plan for its IoT hubs", a false PASS for "every
// Cosmos DB account is private").
func TestRoleReadsEveryImportedType(t *testing.T) {
	rd := loadRole(t)
	types := importerTypes(t)
	if len(types) < 40 {
		t.Fatalf("only %d resource types found in the importer's sources: %v", len(types), types)
	}
	for name, typ := range types {
		if !allowed(rd, typ+"/read") {
			t.Errorf("the role does not grant %s/read: the importer reads %s (%s), which Resource Graph would leave out", typ, typ, name)
		}
	}
}
