// Package cloudformation reads AWS CloudFormation templates (YAML with the
// short-form intrinsic tags, and JSON) and SAM templates into vigil's
// resource model, resolving parameters, mappings, conditions and intrinsic
// functions; values known only at deploy time are left unknown.
package cloudformation
