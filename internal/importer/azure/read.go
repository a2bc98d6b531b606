package azure

import "github.com/vigil-sec/vigil/internal/importer/internal/attr"

// The typed reader shared with the other importers (attr.Node): a Resource Graph row.
type (
	state   = attr.State
	checker = attr.Checker
	node    = attr.Node
)

const (
	absent = attr.Absent // missing or JSON null: the row did not say
	ok     = attr.OK     // present with the expected type
	bad    = attr.Bad    // present with another type: reported as a problem
)

// k lists keys, for node.Enum.
func k(keys ...string) []string { return keys }
