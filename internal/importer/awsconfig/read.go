package awsconfig

import "github.com/vigil-sec/vigil/internal/importer/internal/attr"

// The typed reader shared with the other importers (attr.Node): an AWS Config item or CLI output is the row.
type (
	state   = attr.State
	checker = attr.Checker
	node    = attr.Node
)

const (
	absent = attr.Absent // missing or JSON null: the item did not say
	ok     = attr.OK     // present with the expected type
	bad    = attr.Bad    // present with another type: reported as a problem
)

func boolp(v bool) *bool { return &v }
func intp(v int) *int    { return &v }
