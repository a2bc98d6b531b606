// Package terraform reads Terraform configurations (.tf, .tf.json, tfvars)
// the way Terraform evaluates them, with hashicorp/hcl and cty: variables,
// locals, local modules, count, for_each and dynamic blocks, into
// tfmap.Instance values that tfmap maps to vigil's model.
package terraform
