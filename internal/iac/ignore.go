package iac

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/source"
	"github.com/vigil-sec/vigil/internal/suppress"
)

// IgnoreMarker starts an ignore comment:
//
//	# vigil:ignore RULE_ID reason [exp:YYYY-MM-DD]
//
// (or after //, /* or {{/*). On a resource's first line or on the comment
// lines directly above it, it mutes the rule's findings on that resource;
// above a module block, on every resource the module call instantiates.
const IgnoreMarker = "vigil:ignore"

// maxIgnoreFile bounds the files read for ignore comments.
const maxIgnoreFile = 64 << 20

// directive is one ignore comment.
type directive struct {
	file    string
	line    int // 1-based
	rule    string
	reason  string
	expires time.Time
	err     string // why it cannot apply
	used    bool   // on or above a resource or module call
	entry   *suppress.Entry
}

// fileIgnores are the ignore comments of one file.
type fileIgnores struct {
	lines       int
	commentOnly map[int]bool // 1-based lines holding only a comment
	byLine      map[int][]*directive
	all         []*directive
}

// at returns the directives that apply to a block starting at line: on
// the line itself and on the comment lines directly above it.
func (fi *fileIgnores) at(line int) []*directive {
	if fi == nil || len(fi.all) == 0 {
		return nil
	}
	ds := fi.byLine[line]
	for l := line - 1; l > 0 && fi.commentOnly[l]; l-- {
		ds = append(ds[:len(ds):len(ds)], fi.byLine[l]...)
	}
	return ds
}

// ignores finds the ignore comments that apply to the resources the
// sources emit and adds an inline entry to the suppression set for each.
type ignores struct {
	root  string
	set   *suppress.Set
	mu    sync.Mutex
	files map[string]*fileIgnores
}

func newIgnores(root string, set *suppress.Set) *ignores {
	return &ignores{root: root, set: set, files: map[string]*fileIgnores{}}
}

// wrap returns src with the ignores applied to what it emits (and to what
// it adds when it finishes).
func (ig *ignores) wrap(src source.Source) source.Source {
	w := ignoring{src: src, ig: ig}
	if f, ok := src.(source.Finisher); ok {
		return ignoringFinisher{ignoring: w, fin: f}
	}
	return w
}

type ignoring struct {
	src source.Source
	ig  *ignores
}

func (s ignoring) Name() string { return s.src.Name() }

func (s ignoring) Read(ctx context.Context, emit func(source.Batch) error) error {
	return s.src.Read(ctx, func(b source.Batch) error {
		scopeAccounts(b)
		s.ig.resources(b.Resources)
		return emit(b)
	})
}

type ignoringFinisher struct {
	ignoring
	fin source.Finisher
}

func (s ignoringFinisher) Finish(ctx context.Context, all []*resource.Resource) ([]*resource.Resource, []source.Problem) {
	added, probs := s.fin.Finish(ctx, all)
	s.ig.resources(added)
	return added, probs
}

// resources applies the ignore comments to rs.
func (ig *ignores) resources(rs []*resource.Resource) {
	ig.mu.Lock()
	defer ig.mu.Unlock()
	for _, r := range rs {
		if r == nil || r.Location == nil || r.Location.File == "" {
			continue
		}
		loc := r.Location
		ig.cover(r.ID, loc.File, loc.StartLine, loc.Address)
		for _, c := range loc.Calls {
			ig.cover(r.ID, c.File, c.StartLine, c.Address)
		}
	}
}

// cover applies the directives of the block of file at line (named what)
// to resource id.
func (ig *ignores) cover(id, file string, line int, what string) {
	if line <= 0 {
		return
	}
	if what == "" {
		what = id
	}
	for _, d := range ig.file(file).at(line) {
		d.used = true
		if d.err != "" {
			continue
		}
		if d.entry == nil {
			e, err := suppress.Inline(fmt.Sprintf("%s:%d", d.file, d.line), d.rule, what, d.reason, d.expires)
			if err != nil {
				d.err = err.Error()
				continue
			}
			e.Line = d.line
			d.entry = e
			ig.set.Entries = append(ig.set.Entries, e)
		}
		d.entry.Cover(id)
	}
}

// file returns the ignore comments of file (relative to the root), read
// once.
func (ig *ignores) file(file string) *fileIgnores {
	if fi, ok := ig.files[file]; ok {
		return fi
	}
	var fi *fileIgnores
	name := filepath.Join(ig.root, filepath.FromSlash(file))
	if st, err := os.Stat(name); err == nil && st.Size() <= maxIgnoreFile {
		if data, err := os.ReadFile(name); err == nil && bytes.Contains(data, []byte(IgnoreMarker)) {
			fi = parseIgnores(file, data)
		}
	}
	ig.files[file] = fi
	return fi
}

// parseIgnores finds the ignore comments of a file.
func parseIgnores(file string, data []byte) *fileIgnores {
	fi := &fileIgnores{commentOnly: map[int]bool{}, byLine: map[int][]*directive{}}
	n := 0
	// In a Helm template a line holding only template actions ({{- if
	// .Values.x }}) writes no text of the object: an ignore comment above
	// it is above the object it guards, as a comment line between them
	// would be.
	helmTemplate := !strings.HasSuffix(file, ".tf") && !strings.HasSuffix(file, ".tf.json")
	for raw := range bytes.Lines(data) {
		n++
		line := string(bytes.TrimRight(raw, "\r\n"))
		trimmed := strings.TrimSpace(line)
		if isComment(trimmed) || helmTemplate && actionsOnly(trimmed) {
			fi.commentOnly[n] = true
		}
		i := strings.Index(line, IgnoreMarker)
		if i < 0 || !isComment(commentTail(line[:i])) {
			continue
		}
		d := parseDirective(line[i+len(IgnoreMarker):])
		d.file, d.line = file, n
		fi.byLine[n] = append(fi.byLine[n], d)
		fi.all = append(fi.all, d)
	}
	fi.lines = n
	return fi
}

// commentTail returns what precedes the marker from its comment opener on,
// so that "resource x { # " gives "#".
func commentTail(before string) string {
	b := strings.TrimRight(before, " \t")
	for _, open := range []string{"#", "//", "/*"} {
		if strings.HasSuffix(b, open) {
			return open
		}
	}
	return ""
}

// actionsOnly reports whether a line is made of Go template actions only
// ({{- if .Values.enabled }}, {{- end }}, {{ with .Values.x }}{{ end }}).
func actionsOnly(s string) bool {
	if s == "" {
		return false
	}
	for s != "" {
		if !strings.HasPrefix(s, "{{") {
			return false
		}
		end := strings.Index(s, "}}")
		if end < 0 {
			return false
		}
		s = strings.TrimSpace(s[end+2:])
	}
	return true
}

func isComment(s string) bool {
	return strings.HasPrefix(s, "#") || strings.HasPrefix(s, "//") || strings.HasPrefix(s, "/*") ||
		strings.HasPrefix(s, "{{/*") || strings.HasPrefix(s, "{{- /*")
}

// parseDirective reads "RULE reason words [exp:YYYY-MM-DD]" (also
// ":RULE ..." and a trailing */ or }}).
func parseDirective(rest string) *directive {
	d := &directive{}
	rest = strings.TrimPrefix(rest, ":")
	for _, closer := range []string{"-}}", "}}", "*/"} {
		rest = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), closer))
	}
	fields := strings.Fields(rest)
	if len(fields) == 0 {
		d.err = "names no rule (want " + IgnoreMarker + " RULE_ID reason [exp:YYYY-MM-DD])"
		return d
	}
	d.rule, fields = fields[0], fields[1:]
	if n := len(fields); n > 0 {
		last := strings.Trim(fields[n-1], "[]")
		if v, ok := strings.CutPrefix(last, "exp:"); ok {
			t, err := time.Parse(suppress.DateLayout, v)
			if err != nil {
				d.err = fmt.Sprintf("expiry %q is not a date of the form exp:YYYY-MM-DD", v)
			}
			d.expires = t
			fields = fields[:n-1]
		}
	}
	d.reason = strings.Join(fields, " ")
	if d.err == "" && d.reason == "" {
		d.err = "has no reason (say why the findings of " + d.rule + " are accepted)"
	}
	return d
}

// warnings lists the ignore comments that cannot apply: malformed, not on
// or above a resource or module call, or naming no rule of the engine (as
// for the suppressions file's entries).
func (ig *ignores) warnings(rules []*policy.Rule) []string {
	ig.mu.Lock()
	defer ig.mu.Unlock()
	var out []string
	files := make([]string, 0, len(ig.files))
	for f := range ig.files {
		files = append(files, f)
	}
	slices.Sort(files)
	for _, f := range files {
		fi := ig.files[f]
		if fi == nil {
			continue
		}
		for _, d := range fi.all {
			where := fmt.Sprintf("%s:%d: %s %s", d.file, d.line, IgnoreMarker, d.rule)
			switch {
			case d.err != "":
				out = append(out, where+": "+d.err+"; it mutes nothing")
			case !d.used:
				out = append(out, where+": not on or directly above a resource or module block; it mutes nothing")
			}
		}
	}
	for _, e := range ig.set.Entries {
		if !slices.ContainsFunc(rules, func(r *policy.Rule) bool { return e.MatchesRule(r.ID) }) {
			where := e.Origin
			if where == "" {
				where = fmt.Sprintf("%s:%d", ig.set.File, e.Line)
			}
			out = append(out, fmt.Sprintf("%s: no rule is named %s; it mutes nothing", where, e.Rule))
		}
	}
	return out
}
