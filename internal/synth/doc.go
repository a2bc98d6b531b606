// Package synth generates synthetic multi-cloud inventories in the clouds'
// native export formats (AWS Config snapshots, Azure Resource Graph results,
// GCP Cloud Asset Inventory NDJSON), for benchmarks and load tests: copies
// of the sample organization's resources (templates/, extracted from
// examples/org by `go test ./internal/synth -run Extract -update`), each
// copy with its own identifiers.
package synth
