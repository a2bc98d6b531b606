// Package gcpcollect collects a live Google Cloud organization through the
// official SDK (Cloud Asset Inventory and Resource Manager), read-only, into
// the Cloud Asset Inventory export lines the gcp importer reads.
package gcpcollect
