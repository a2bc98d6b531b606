// Package gcpiam computes effective GCP IAM permissions from the typed
// inventory: bindings inherited down organization, folders, projects and
// resources, predefined and basic roles from the shipped reference data,
// custom roles, group membership, IAM conditions and deny rules.
package gcpiam
