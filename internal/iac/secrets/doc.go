// Package secrets holds what the IaC readers call a credential in the clear:
// the names and values of environment variables and boot-script assignments
// that hold one (the patterns of the AWS Config importer).
package secrets
