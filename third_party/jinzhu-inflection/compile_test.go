package inflection

import (
	"sync"
	"testing"
)

// TestCompiledOnFirstUse: with nothing compiled (as at start: the package
// has no initializer), Plural and Singular compile the inflections first.
func TestCompiledOnFirstUse(t *testing.T) {
	defer restore()
	compiledPluralMaps, compiledSingularMaps, compileOnce = nil, nil, sync.Once{}
	if got := Plural("person"); got != "people" {
		t.Fatalf("Plural(person) = %q", got)
	}
	compiledPluralMaps, compiledSingularMaps, compileOnce = nil, nil, sync.Once{}
	if got := Singular("Queries"); got != "Query" {
		t.Fatalf("Singular(Queries) = %q", got)
	}
	if len(compiledPluralMaps) == 0 || len(compiledSingularMaps) == 0 {
		t.Fatal("nothing compiled")
	}
}
