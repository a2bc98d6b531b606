// Package governance reads a governance policy file (data classification,
// residency and tagging standard) and applies it to an inventory: it sets
// facts.data.classified, sensitivity and categories from each resource's
// tags or labels, facts.data.locations[].allowed from the residency rule
// that applies, and facts.tagging from the tagging standard. The built-in
// governance rules (internal/rules/builtin/governance) read those facts.
//
// The file format is described in docs/governance.md. Every error names the
// file and line. Apply is built for millions of resources: patterns are
// compiled once, tag keys are normalized into a reused buffer, and the
// facts are allocated in slabs.
package governance
