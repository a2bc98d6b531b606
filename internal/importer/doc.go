// Package importer is the source of the clouds' own offline exports (AWS
// Config, IAM credential report, Azure Resource Graph, GCP Cloud Asset
// Inventory): Files walks the inputs, detects each file's format from its
// content and dispatches to the format packages; inventory.Collect merges.
package importer
