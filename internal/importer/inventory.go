package importer

import (
	"github.com/vigil-sec/vigil/internal/inventory"
	"github.com/vigil-sec/vigil/internal/source"
)

// Inventory is what Load produced (inventory.Inventory: the resources and
// the summary of the inputs).
type Inventory = inventory.Inventory

// Skipped is an input that is not a recognised export.
type Skipped = source.Skipped

// InputError is a problem with one input, located as precisely as
// possible: file, line or byte offset, resource and field.
type InputError = source.Problem
