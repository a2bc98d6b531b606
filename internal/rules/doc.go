// Package rules holds vigil's built-in posture rule pack: Rego modules with
// METADATA annotations under builtin/<area>/, in the fail-only rule contract
// (fail, optional skip and message, custom.requires; see docs/rules.md), each
// with its own _test.rego, embedded into the binary and evaluated by
// internal/policy. The tests here check every rule's metadata, run the Rego
// tests, and check each test case through the engine.
package rules
