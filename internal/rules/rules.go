package rules

import (
	"embed"
	"io/fs"
)

// builtin is the embedded rule tree: builtin/<area>/<rule>.rego and
// <rule>_test.rego, plus shared libraries under builtin/lib.
//
//go:embed builtin
var builtin embed.FS

// FS returns the built-in rule pack rooted at the builtin directory, so paths
// are "<area>/<rule>.rego" exactly as in a custom pack given with --rules.
func FS() fs.FS {
	sub, err := fs.Sub(builtin, "builtin")
	if err != nil { // only possible if the embed directive changes
		panic(err)
	}
	return sub
}
