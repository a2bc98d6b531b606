// Package rules holds vigil's built-in posture rule pack: Rego modules with
// METADATA annotations under builtin/<area>/, each with its own _test.rego,
// embedded into the binary and evaluated by internal/policy.
package rules
