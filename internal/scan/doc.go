// Package scan runs a posture scan end to end: import the inventory, evaluate
// the rules, apply suppressions and filters, and assemble the report that the
// output writers render. cmd/vigil's scan and bench commands call it.
package scan
