package policy

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/open-policy-agent/opa/v1/ast"
)

//go:generate go test -run TestBuiltinHeaders -update

// headerMeta is a rule file's header (its METADATA and package line)
// decoded at build time: builtinHeaders (headers_gen.go, written by
// TestBuiltinHeaders -update from the built-in pack) holds one per rule
// file, keyed by headerKey of the header's text. A lazy engine reads a
// rule from it instead of parsing the header: OPA's METADATA parser (YAML)
// was most of New's CPU and about 20 MB allocated per run. A header not in
// the table (a rule changed since the table was written, a custom pack) is
// parsed as before, so a stale table costs time, never a wrong rule;
// TestBuiltinHeaders fails while it is stale.
type headerMeta struct {
	pkg                []string // the package path below data
	title, description string
	custom             map[string]any
}

// headerKey identifies a header by its text.
func headerKey(header string) string {
	sum := sha256.Sum256([]byte(header))
	return hex.EncodeToString(sum[:])
}

// path returns the package path as OPA's parser gives it.
func (h *headerMeta) path() ast.Ref {
	ref := make(ast.Ref, 0, len(h.pkg)+1)
	ref = append(ref, ast.DefaultRootDocument)
	for _, p := range h.pkg {
		ref = append(ref, ast.StringTerm(p))
	}
	return ref
}

// headerModule is the module a decoded header stands for where the engine
// needs one (its package path, newPkgIndex).
func (h *headerMeta) headerModule() *ast.Module {
	return &ast.Module{Package: &ast.Package{Path: h.path()}}
}
