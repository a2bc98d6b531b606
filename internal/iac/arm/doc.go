// Package arm reads Azure Resource Manager templates (JSON, and the JSON
// that `bicep build` writes) into vigil's resource model, evaluating
// parameters, variables, copy loops, conditions and the template functions;
// values known only at deploy time are left unknown.
package arm
