package iac

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/compliance"
	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/scan"
	"github.com/vigil-sec/vigil/internal/source"
	"github.com/vigil-sec/vigil/internal/suppress"
)

// Reader is one IaC reader as a scan wires it.
type Reader struct {
	// Name names the reader in counts and messages ("terraform").
	Name string
	// Detect reports whether the file at path (relative to the root,
	// slash-separated) whose first bytes are head is the reader's input.
	Detect func(path string, head []byte) bool
	// New returns the source reading files (relative to root).
	New func(root string, files []string) source.Source
	// Charts marks the reader of chart directories (Helm): it is given
	// every file under each directory holding a Chart.yaml, and Detect is
	// not asked about them.
	Charts bool
}

// Options configure Scan.
type Options struct {
	// Paths are the files and directories to scan.
	Paths []string
	// Readers are tried in order on each file; the first whose Detect
	// accepts it reads it. Nil means Builtin(ReaderOptions{}).
	Readers []Reader
	// Scan configures the evaluation (filter, suppressions file, time,
	// catalogues, progress). Scan sets its Sources; the inline ignores
	// found in the sources are added to its Suppressions.
	Scan scan.Options
}

// Result is a finished IaC scan.
type Result struct {
	*scan.Result
	Tree *Tree
	// Read counts the files each reader was given.
	Read map[string]int
	// Unrecognised lists the files no reader recognised.
	Unrecognised []string
	// Warnings are problems of the scan's own inputs that are not input
	// errors: ignore comments that cannot apply, that name no rule, that
	// expired; links left out of the walk.
	Warnings []string
}

// ErrNoInput is returned when nothing under the paths is an IaC input.
var ErrNoInput = errors.New("no IaC input")

// Scan walks o.Paths, reads every recognised file with its reader and
// evaluates the engine's rules over the resources, as scan.Run does for
// exports. Ignore comments in the sources mute findings as suppressions do.
// When no file is an input of any reader it returns an error wrapping
// ErrNoInput.
func Scan(ctx context.Context, e *policy.Engine, o Options) (*Result, error) {
	progress := o.Scan.Progress
	if progress == nil {
		progress = func(string) {}
	}
	readers := o.Readers
	if readers == nil {
		readers = Builtin(ReaderOptions{})
	}
	progress("walking " + strings.Join(o.Paths, ", "))
	in, err := Open(ctx, o.Paths, readers)
	if in == nil {
		return nil, err
	}
	tree, unrec := in.Tree, in.Unrecognised
	res := &Result{Tree: tree, Read: in.Read, Unrecognised: unrec, Warnings: in.Warnings}
	if err != nil {
		return res, err
	}
	set := o.Scan.Suppressions
	if set == nil {
		set = &suppress.Set{}
	}
	fileEntries := len(set.Entries)
	ig := newIgnores(tree.Root, set)
	srcs := make([]source.Source, len(in.Sources))
	for i, src := range in.Sources {
		srcs[i] = ig.wrap(src)
	}
	var counts []string
	seen := map[string]bool{}
	for _, r := range readers {
		if n := in.Read[r.Name]; n > 0 && !seen[r.Name] {
			seen[r.Name] = true
			counts = append(counts, fmt.Sprintf("%s %d", r.Name, n))
		}
	}
	progress(fmt.Sprintf("reading %s files (%d not IaC)", strings.Join(counts, ", "), len(unrec)))
	so := o.Scan
	so.Sources, so.Paths, so.Suppressions = srcs, nil, set
	sr, err := scan.Run(ctx, e, so)
	if err != nil {
		return nil, err
	}
	unscopeAccounts(sr)
	pointAtFields(sr.Report.Findings, e.Rules())
	res.Result = sr
	rep := sr.Report
	rep.Inputs = o.Paths
	if len(set.Entries) == 0 && o.Scan.Suppressions == nil {
		rep.Summary.Suppressions = nil
	} else if rep.Summary.Suppressions != nil && len(set.Entries) > fileEntries {
		f := "inline ignores"
		if set.File != "" {
			f = set.File + " and inline ignores"
		}
		rep.Summary.Suppressions.File = f
	}
	rep.Compliance = relevantFrameworks(rep.Compliance, e.Rules(), sr.Inventory.Resources, o.Scan.Filter.Providers)
	res.Warnings = append(res.Warnings, ig.warnings(e.Rules())...)
	res.Warnings = append(res.Warnings, expired(set, rep.GeneratedAt)...)
	// SARIF locates results by a path relative to the working directory
	// (the repository root in CI) when the scanned root is under it.
	prefix := ""
	if wd, err := os.Getwd(); err == nil && within(wd, tree.Root) {
		if rel, err := filepath.Rel(wd, tree.Root); err == nil && rel != "." {
			prefix = filepath.ToSlash(rel) + "/"
		}
	}
	for _, r := range sr.Inventory.Resources {
		if r.Location != nil && r.Location.File != "" {
			rep.Sources[r.ID] = prefix + r.Location.File
		}
	}
	return res, nil
}

// relevantFrameworks keeps the frameworks of the compliance summary that
// concern the scanned input: those with at least one mapped rule whose
// class and provider match a resource read (of a provider the --provider
// filter keeps), the framework concerning that provider (a cloud's CIS
// benchmark concerns that cloud only). A Kubernetes-only tree is not told
// that every CIS AWS, Azure and GCP control went unevaluated. A framework
// given a catalogue (--catalogue) is an explicit request and is kept.
func relevantFrameworks(fws []compliance.FrameworkSummary, rules []*policy.Rule, resources []*resource.Resource, providers []string) []compliance.FrameworkSummary {
	type pc struct {
		p resource.Provider
		c resource.Class
	}
	present := map[pc]bool{}
	for _, r := range resources {
		if len(providers) == 0 || slices.ContainsFunc(providers, func(p string) bool { return strings.EqualFold(p, string(r.Provider)) }) {
			present[pc{r.Provider, r.Class}] = true
		}
	}
	relevant := map[string]bool{}
	for _, r := range rules {
		for fw, ctrls := range r.Frameworks {
			if relevant[fw] || len(ctrls) == 0 {
				continue
			}
			for _, p := range r.Providers {
				if present[pc{p, r.Class}] && compliance.AppliesTo(fw, p) {
					relevant[fw] = true
					break
				}
			}
		}
	}
	return slices.DeleteFunc(fws, func(f compliance.FrameworkSummary) bool { return !f.Catalogued && !relevant[f.Framework] })
}

// dispatch assigns each file of the tree to the first reader that detects
// it (chart directories to the chart reader) and returns the files per
// reader (by index), those no reader takes and the files it could not read.
func dispatch(ctx context.Context, t *Tree, readers []Reader) (files [][]string, unrec, warns []string, err error) {
	files = make([][]string, len(readers))
	chartReader := -1
	for i, r := range readers {
		if r.Charts && chartReader < 0 {
			chartReader = i
		}
	}
	charts := make([]string, 0, len(t.Charts))
	for c := range t.Charts {
		charts = append(charts, c)
	}
	sort.Strings(charts)
	for _, c := range charts {
		if chartReader < 0 {
			unrec = append(unrec, t.Charts[c]...)
			continue
		}
		files[chartReader] = append(files[chartReader], t.Charts[c]...)
	}
	buf := make([]byte, HeadSize)
	for _, f := range t.Files {
		if err := ctx.Err(); err != nil {
			return nil, nil, nil, err
		}
		head, err := readHead(filepath.Join(t.Root, filepath.FromSlash(f)), buf)
		if err != nil {
			warns = append(warns, fmt.Sprintf("%s: cannot be read: %v", f, err))
			continue
		}
		taken := false
		for i, r := range readers {
			if r.Charts || r.Detect == nil || !r.Detect(f, head) {
				continue
			}
			files[i] = append(files[i], f)
			taken = true
			break
		}
		if !taken {
			unrec = append(unrec, f)
		}
	}
	return files, unrec, warns, nil
}

// expired warns of the suppressions (ignore comments and file entries)
// that expired: they no longer mute anything.
func expired(set *suppress.Set, now time.Time) []string {
	var out []string
	for _, e := range set.Entries {
		if !e.Expired(now) {
			continue
		}
		where := e.Origin
		if where == "" {
			where = fmt.Sprintf("%s:%d", set.File, e.Line)
		}
		out = append(out, fmt.Sprintf("%s: the suppression of %s on %s expired on %s: it no longer mutes (findings are active again)",
			where, e.Rule, e.Resource, e.ExpiresString()))
	}
	return out
}
