// Package terraform reads Terraform configurations (.tf, .tf.json, tfvars)
// the way Terraform evaluates them, with hashicorp/hcl and cty (variables,
// locals, local modules, count, for_each, dynamic blocks, functions), and
// plan and state JSON (terraform show -json) and terraform.tfstate, into tfmap.Instance values
// that tfmap maps to vigil's model: one batch per root module or JSON file.
package terraform
