package importer

import (
	"fmt"

	"github.com/vigil-sec/vigil/internal/resource"
)

// Inventory is what an import produced: the resources and an account of
// everything that was not turned into a resource.
type Inventory struct {
	Resources []*resource.Resource `json:"-"`
	// Files counts input files read as a recognised export, by format name.
	Files map[string]int `json:"files"`
	// Unsupported counts resources of native types vigil does not model yet,
	// by type. They are not errors.
	Unsupported map[string]int `json:"unsupported,omitempty"`
	// Skipped lists inputs that are not a recognised export (a README, a
	// digest file, other JSON). They are not errors.
	Skipped []Skipped `json:"skipped,omitempty"`
	// Errors lists inputs that looked like an export but could not be read:
	// malformed JSON with the file and line or byte offset. The rest of the
	// input is still imported.
	Errors []InputError `json:"errors,omitempty"`
}

// Skipped is an input that is not a recognised export.
type Skipped struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// InputError is a problem with one input, located as precisely as possible.
type InputError struct {
	Path   string `json:"path"`
	Line   int    `json:"line,omitempty"`
	Offset int64  `json:"offset,omitempty"`
	Err    string `json:"error"`
}

func (e InputError) Error() string {
	switch {
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Err)
	case e.Offset > 0:
		return fmt.Sprintf("%s: at byte %d: %s", e.Path, e.Offset, e.Err)
	}
	return e.Path + ": " + e.Err
}
