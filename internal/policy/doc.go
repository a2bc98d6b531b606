// Package policy is vigil's posture engine: it loads Rego rules (built-in and
// custom packs) with their OPA METADATA, compiles them once, and evaluates
// them in parallel over the normalized inventory, producing one finding per
// rule and resource of the rule's class with status FAIL, PASS or UNKNOWN.
//
// A rule defines only its fail set (and optionally skip and message); the
// engine decides the other statuses in Go: UNKNOWN when a fact the rule lists
// in custom.requires is absent from the resource's typed facts (checked by
// accessors compiled once per path, see access.go), PASS otherwise. RunTests
// runs a pack's Rego tests and checks each test_fail_/test_pass_/test_unknown_
// assertion through the engine. The contract is documented in docs/rules.md.
package policy
