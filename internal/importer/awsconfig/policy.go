package awsconfig

import "github.com/vigil-sec/vigil/internal/iam/awspolicy"

// Policy documents are parsed by internal/iam/awspolicy (typed statements,
// bounded, a document that does not parse kept with its error); the
// importer reads the answers it needs from there.

// accountOf returns the account of an ARN or a bare 12-digit account ID.
func accountOf(s string) string { return awspolicy.AccountOf(s) }
