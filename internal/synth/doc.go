// Package synth generates synthetic multi-cloud inventories in the clouds'
// native export formats (AWS Config snapshots, Azure Resource Graph results,
// GCP Cloud Asset Inventory NDJSON), for benchmarks and load tests.
package synth
