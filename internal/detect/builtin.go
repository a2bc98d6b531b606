package detect

import (
	"embed"
	"io/fs"
	"path"
	"sort"

	"github.com/vigil-sec/vigil/internal/sigma"
)

//go:embed builtin/*.yml
var builtinFS embed.FS

// BuiltinPrefix prefixes the Path of built-in rules.
const BuiltinPrefix = "builtin:"

// LoadBuiltins parses vigil's own Sigma rules and correlations (embedded
// from internal/detect/builtin). Paths are "builtin:NAME.yml".
func LoadBuiltins() (rules []*sigma.Rule, corrs []*sigma.Correlation, filters []*sigma.Filter, errs []sigma.LoadError) {
	names, err := fs.Glob(builtinFS, "builtin/*.yml")
	if err != nil {
		return nil, nil, nil, []sigma.LoadError{{Path: BuiltinPrefix, Reason: err.Error()}}
	}
	sort.Strings(names)
	for _, n := range names {
		data, err := builtinFS.ReadFile(n)
		p := BuiltinPrefix + path.Base(n)
		if err != nil {
			errs = append(errs, sigma.LoadError{Path: p, Reason: err.Error()})
			continue
		}
		c, err := sigma.Parse(p, data)
		if err != nil {
			errs = append(errs, sigma.LoadError{Path: p, Reason: err.Error()})
		}
		rules = append(rules, c.Rules...)
		corrs = append(corrs, c.Correlations...)
		filters = append(filters, c.Filters...)
	}
	return rules, corrs, filters, errs
}

// BuiltinFS exposes the embedded built-in rule files (for listing and docs).
func BuiltinFS() fs.FS {
	sub, _ := fs.Sub(builtinFS, "builtin")
	return sub
}
