// Package policy is vigil's posture engine: it loads Rego rules (built-in and
// custom packs) with their OPA METADATA, compiles them once, and evaluates
// them in parallel over the normalized inventory, producing one finding per
// rule and resource with status FAIL, PASS or UNKNOWN.
package policy
