package sigma

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/vigil-sec/vigil/internal/logs"
)

// LoadDir loads every .yml/.yaml file under dir (recursively). A rule is
// returned only when it parses, its logsource maps to a vigil source
// (Rule.Source) and it compiles with that source's FieldMap; every other
// rule, and every file or document that cannot be parsed, is reported in
// errs with its path, line and reason. Correlations and filters are returned
// as parsed (Correlator and ApplyFilters check their references).
func LoadDir(ctx context.Context, dir string) (rules []*Rule, correlations []*Correlation, filters []*Filter, errs []LoadError) {
	return LoadDirIn(ctx, logs.Builtin(), dir)
}

// LoadDirIn is LoadDir with the log sources of reg: a rule loads when its
// logsource is one of reg's sources'.
func LoadDirIn(ctx context.Context, reg *logs.Registry, dir string) (rules []*Rule, correlations []*Correlation, filters []*Filter, errs []LoadError) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			errs = append(errs, LoadError{Path: p, Reason: err.Error()})
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".yaml")) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		errs = append(errs, LoadError{Path: dir, Reason: err.Error()})
	}
	sort.Strings(files)
	for _, p := range files {
		if ctx.Err() != nil {
			errs = append(errs, LoadError{Path: p, Reason: ctx.Err().Error()})
			break
		}
		r, c, f, e := LoadFileIn(reg, p)
		rules = append(rules, r...)
		correlations = append(correlations, c...)
		filters = append(filters, f...)
		errs = append(errs, e...)
	}
	return rules, correlations, filters, errs
}

// LoadFile loads one file as LoadDir does.
func LoadFile(path string) (rules []*Rule, correlations []*Correlation, filters []*Filter, errs []LoadError) {
	return LoadFileIn(logs.Builtin(), path)
}

// LoadFileIn is LoadFile with the log sources of reg.
func LoadFileIn(reg *logs.Registry, path string) (rules []*Rule, correlations []*Correlation, filters []*Filter, errs []LoadError) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, nil, []LoadError{{Path: path, Reason: err.Error()}}
	}
	col, perr := Parse(path, data)
	if perr != nil {
		for _, e := range splitJoined(perr) {
			errs = append(errs, LoadError{Path: path, Reason: strings.TrimPrefix(e.Error(), path+":")})
		}
	}
	for _, r := range col.Rules {
		src, err := MapLogSourceIn(reg, r.LogSource)
		if err != nil {
			errs = append(errs, LoadError{Path: path, Line: r.Line, Reason: err.Error()})
			continue
		}
		d, _ := reg.Lookup(logs.Source(src))
		if _, err := Compile(r, FieldMapOf(d)); err != nil {
			errs = append(errs, LoadError{Path: path, Line: r.Line, Reason: err.Error()})
			continue
		}
		rules = append(rules, r)
	}
	return rules, col.Correlations, col.Filters, errs
}

func splitJoined(err error) []error {
	if u, ok := err.(interface{ Unwrap() []error }); ok {
		return u.Unwrap()
	}
	return []error{err}
}
