// Package importer reads the clouds' own offline exports (AWS Config, IAM
// credential report, Azure Resource Graph, GCP Cloud Asset Inventory) into
// vigil's resource model: it walks the inputs, detects each file's format
// from its content, dispatches to the format packages and merges the result.
package importer
