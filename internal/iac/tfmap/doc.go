// Package tfmap maps evaluated Terraform resource instances, read from HCL
// or from plan and state JSON, to vigil's resource model: one class and
// typed facts per resource, split resources joined onto what they configure.
package tfmap
