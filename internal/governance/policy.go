package governance

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/vigil-sec/vigil/internal/inventory"
	"github.com/vigil-sec/vigil/internal/regions"
	"github.com/vigil-sec/vigil/internal/resource"
)

// DefaultClasses are the sensitivity classes of a policy that declares
// none, lowest first.
var defaultClasses = []string{"public", "internal", "confidential", "restricted"}

// defaultCategories are the regulated categories of a policy that declares
// none.
var defaultCategories = []string{"personal-data", "health-data", "payment-card", "financial", "credentials"}

// Sensitive reports whether a resource with this class and these
// categories is sensitive for ranking: one of the two highest classes of
// the default order (confidential, restricted) or any regulated category.
func Sensitive(class string, categories []string) bool {
	return class == "restricted" || class == "confidential" || len(categories) > 0
}

// DataClasses are the classes of data-bearing resources (data stores); it
// is inventory's one list.
func DataClasses() []resource.Class { return inventory.DataClasses() }

// Policy is a parsed, compiled governance policy. It is read-only once
// loaded and safe for concurrent use.
type Policy struct {
	// File is the file it was read from.
	File string
	// Classes are the sensitivity classes, lowest first.
	Classes []string
	// Categories are the regulated categories.
	Categories []string

	// OwnerTag is the tag key tag coverage is grouped by (owner_tag,
	// default "owner"); ownerKey is it normalized.
	OwnerTag string
	ownerKey string

	classify  []classRule
	residency []residencyRule
	tagging   []tagRule
	// keys are the normalized tag keys any classification or tagging rule
	// reads (a resource's other tags are skipped at once).
	keys []string
}

type matcher struct {
	values []string // normalized exact values
	globs  []string // lower-case globs (path.Match)
	re     *regexp.Regexp
}

func (m *matcher) empty() bool { return len(m.values) == 0 && len(m.globs) == 0 && m.re == nil }

// match reports whether the normalized value v matches (any value when the
// matcher is empty).
func (m *matcher) match(v string) bool {
	if m.empty() {
		return true
	}
	if slices.Contains(m.values, v) {
		return true
	}
	for _, g := range m.globs {
		if ok, _ := path.Match(g, v); ok {
			return true
		}
	}
	return m.re != nil && m.re.MatchString(v)
}

type classRule struct {
	key   string // normalized
	ki    int    // index in Policy.keys
	m     matcher
	class int    // index in Classes, -1 for none
	cats  uint64 // bit i: Categories[i]
	line  int
}

type residencyRule struct {
	classes uint64 // bit i: Classes[i]
	cats    uint64
	// juris are upper-case jurisdiction codes; countries their member
	// countries.
	juris     []string
	countries []string
	regions   []regionRef
	line      int
}

type regionRef struct{ provider, name string }

type tagRule struct {
	name string
	// Selection: all resources when every selector is empty.
	dataStores bool
	resClasses []resource.Class
	classes    uint64
	cats       uint64
	required   []requiredTag
	line       int
}

type requiredTag struct {
	name string // as the policy spells it
	key  string // normalized
	ki   int    // index in Policy.keys
	m    matcher
}

// Load reads and compiles a policy file.
func Load(file string) (*Policy, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	return Parse(file, b)
}

// Error is a problem in a policy file, at a line.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

type parser struct {
	file string
	errs []error
}

func (p *parser) errf(n *yaml.Node, format string, args ...any) {
	line := 1
	if n != nil {
		line = n.Line
	}
	p.errs = append(p.errs, &Error{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// Parse compiles a policy from the file's bytes; file names it in errors.
// Every problem is reported (joined), each with file:line.
func Parse(file string, data []byte) (*Policy, error) {
	p := &parser{file: file}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		line := 1
		var n int
		if _, e := fmt.Sscanf(err.Error(), "yaml: line %d:", &n); e == nil {
			line = n
		}
		return nil, &Error{File: file, Line: line, Msg: strings.TrimPrefix(err.Error(), fmt.Sprintf("yaml: line %d: ", line))}
	}
	if len(doc.Content) == 0 {
		return nil, &Error{File: file, Line: 1, Msg: "the policy is empty"}
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, &Error{File: file, Line: root.Line, Msg: "the policy must be a mapping (classes, categories, classification, residency, tagging)"}
	}
	pol := &Policy{File: file}
	fields := p.mapping(root, "version", "classes", "categories", "classification", "residency", "tagging", "owner_tag")
	pol.OwnerTag = "owner"
	if n := fields["owner_tag"]; n != nil {
		if n.Kind != yaml.ScalarNode || strings.TrimSpace(n.Value) == "" {
			p.errf(n, "owner_tag must be a tag key")
		} else {
			pol.OwnerTag = strings.TrimSpace(n.Value)
		}
	}
	pol.ownerKey = string(appendKey(nil, pol.OwnerTag))
	if n := fields["version"]; n != nil && n.Value != "1" {
		p.errf(n, "version %q is not supported (want 1)", n.Value)
	}
	pol.Classes = p.names(fields["classes"], "classes", defaultClasses)
	pol.Categories = p.names(fields["categories"], "categories", defaultCategories)
	if len(pol.Classes) > 64 || len(pol.Categories) > 64 {
		p.errf(root, "at most 64 classes and 64 categories")
	}
	if n := fields["classification"]; n != nil {
		for _, item := range p.seq(n, "classification") {
			if r, ok := p.classRule(pol, item); ok {
				pol.classify = append(pol.classify, r)
			}
		}
	}
	if n := fields["residency"]; n != nil {
		for _, item := range p.seq(n, "residency") {
			if r, ok := p.residencyRule(pol, item); ok {
				pol.residency = append(pol.residency, r)
			}
		}
	}
	if n := fields["tagging"]; n != nil {
		for _, item := range p.seq(n, "tagging") {
			if r, ok := p.tagRule(pol, item); ok {
				pol.tagging = append(pol.tagging, r)
			}
		}
	}
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	for _, r := range pol.classify {
		if !slices.Contains(pol.keys, r.key) {
			pol.keys = append(pol.keys, r.key)
		}
	}
	for _, r := range pol.tagging {
		for _, t := range r.required {
			if !slices.Contains(pol.keys, t.key) {
				pol.keys = append(pol.keys, t.key)
			}
		}
	}
	if len(pol.keys) > 64 {
		return nil, &Error{File: file, Line: root.Line, Msg: fmt.Sprintf("the policy reads %d distinct tag keys; at most 64", len(pol.keys))}
	}
	for i := range pol.classify {
		pol.classify[i].ki = slices.Index(pol.keys, pol.classify[i].key)
	}
	for i := range pol.tagging {
		for j := range pol.tagging[i].required {
			pol.tagging[i].required[j].ki = slices.Index(pol.keys, pol.tagging[i].required[j].key)
		}
	}
	return pol, nil
}

// mapping returns the values of a mapping node by key, refusing unknown keys.
func (p *parser) mapping(n *yaml.Node, known ...string) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	if n.Kind != yaml.MappingNode {
		p.errf(n, "want a mapping with keys %s", strings.Join(known, ", "))
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !slices.Contains(known, k.Value) {
			p.errf(k, "unknown key %q (want one of %s)", k.Value, strings.Join(known, ", "))
			continue
		}
		if _, dup := out[k.Value]; dup {
			p.errf(k, "key %q given twice", k.Value)
		}
		out[k.Value] = v
	}
	return out
}

func (p *parser) seq(n *yaml.Node, what string) []*yaml.Node {
	if n.Kind != yaml.SequenceNode {
		p.errf(n, "%s must be a list", what)
		return nil
	}
	return n.Content
}

// strs reads a string or a list of strings.
func (p *parser) strs(n *yaml.Node, what string) []*yaml.Node {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case yaml.ScalarNode:
		return []*yaml.Node{n}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode {
				p.errf(c, "%s: want a string", what)
				return nil
			}
		}
		return n.Content
	}
	p.errf(n, "%s must be a string or a list of strings", what)
	return nil
}

func (p *parser) names(n *yaml.Node, what string, def []string) []string {
	if n == nil {
		return slices.Clone(def)
	}
	var out []string
	for _, c := range p.strs(n, what) {
		v := normValue(c.Value)
		if v == "" {
			p.errf(c, "%s: empty name", what)
			continue
		}
		if slices.Contains(out, v) {
			p.errf(c, "%s: %q declared twice", what, v)
			continue
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		p.errf(n, "%s: declare at least one", what)
	}
	return out
}

func (p *parser) class(pol *Policy, n *yaml.Node) int {
	i := slices.Index(pol.Classes, normValue(n.Value))
	if i < 0 {
		p.errf(n, "unknown class %q (declared: %s)", n.Value, strings.Join(pol.Classes, ", "))
	}
	return i
}

func (p *parser) categories(pol *Policy, n *yaml.Node) uint64 {
	var bits uint64
	for _, c := range p.strs(n, "categories") {
		i := slices.Index(pol.Categories, normValue(c.Value))
		if i < 0 {
			p.errf(c, "unknown category %q (declared: %s)", c.Value, strings.Join(pol.Categories, ", "))
			continue
		}
		bits |= 1 << i
	}
	return bits
}

func (p *parser) classes(pol *Policy, n *yaml.Node) uint64 {
	var bits uint64
	for _, c := range p.strs(n, "classes") {
		if i := p.class(pol, c); i >= 0 {
			bits |= 1 << i
		}
	}
	return bits
}

func (p *parser) matcher(f map[string]*yaml.Node) matcher {
	var m matcher
	for _, v := range p.strs(f["values"], "values") {
		m.values = append(m.values, normValue(v.Value))
	}
	for _, v := range p.strs(f["pattern"], "pattern") {
		g := strings.ToLower(v.Value)
		if _, err := path.Match(g, ""); err != nil {
			p.errf(v, "pattern %q: %v", v.Value, err)
			continue
		}
		m.globs = append(m.globs, g)
	}
	if n := f["regex"]; n != nil {
		re, err := regexp.Compile("(?i)" + n.Value)
		if err != nil {
			p.errf(n, "regex %q: %v", n.Value, err)
		} else {
			m.re = re
		}
	}
	return m
}

func (p *parser) classRule(pol *Policy, n *yaml.Node) (classRule, bool) {
	before := len(p.errs)
	f := p.mapping(n, "key", "values", "pattern", "regex", "class", "categories")
	r := classRule{class: -1, line: n.Line}
	if f["key"] == nil || normKey(f["key"].Value) == "" {
		p.errf(n, "classification rule without a key")
	} else {
		r.key = normKey(f["key"].Value)
	}
	r.m = p.matcher(f)
	if c := f["class"]; c != nil {
		r.class = p.class(pol, c)
	}
	if c := f["categories"]; c != nil {
		r.cats = p.categories(pol, c)
	}
	if f["class"] == nil && f["categories"] == nil {
		p.errf(n, "classification rule gives neither a class nor categories")
	}
	return r, len(p.errs) == before
}

func (p *parser) residencyRule(pol *Policy, n *yaml.Node) (residencyRule, bool) {
	before := len(p.errs)
	f := p.mapping(n, "classes", "categories", "jurisdictions", "regions")
	r := residencyRule{line: n.Line}
	if c := f["classes"]; c != nil {
		r.classes = p.classes(pol, c)
	}
	if c := f["categories"]; c != nil {
		r.cats = p.categories(pol, c)
	}
	if f["classes"] == nil && f["categories"] == nil {
		p.errf(n, "residency rule names neither classes nor categories")
	}
	for _, j := range p.strs(f["jurisdictions"], "jurisdictions") {
		code := strings.ToUpper(strings.TrimSpace(j.Value))
		info, ok := regions.JurisdictionInfo(code)
		if !ok {
			p.errf(j, "unknown jurisdiction %q (known: %s)", j.Value, strings.Join(regions.Jurisdictions(), ", "))
			continue
		}
		r.juris = append(r.juris, code)
		r.countries = append(r.countries, info.Countries...)
	}
	for _, g := range p.strs(f["regions"], "regions") {
		prov, name, ok := strings.Cut(strings.TrimSpace(g.Value), ":")
		if !ok {
			p.errf(g, "region %q: want provider:region (aws:eu-west-1, azure:westeurope, gcp:europe-west1)", g.Value)
			continue
		}
		reg, found := regions.Lookup(strings.ToLower(prov), name)
		if !found {
			p.errf(g, "unknown region %q of provider %q", name, prov)
			continue
		}
		r.regions = append(r.regions, regionRef{reg.Provider, reg.Name})
		for _, m := range reg.Members {
			r.regions = append(r.regions, regionRef{reg.Provider, strings.ToLower(m)})
		}
	}
	if len(r.juris) == 0 && len(r.regions) == 0 && len(p.errs) == before {
		p.errf(n, "residency rule allows no place (give jurisdictions and/or regions)")
	}
	return r, len(p.errs) == before
}

func (p *parser) tagRule(pol *Policy, n *yaml.Node) (tagRule, bool) {
	before := len(p.errs)
	f := p.mapping(n, "name", "data_stores", "resource_classes", "classes", "categories", "required")
	r := tagRule{line: n.Line}
	if c := f["name"]; c != nil {
		r.name = c.Value
	}
	if c := f["data_stores"]; c != nil {
		if err := c.Decode(&r.dataStores); err != nil {
			p.errf(c, "data_stores must be true or false")
		}
	}
	for _, c := range p.strs(f["resource_classes"], "resource_classes") {
		rc := resource.Class(c.Value)
		if !resource.KnownClass(rc) {
			p.errf(c, "unknown resource class %q", c.Value)
			continue
		}
		r.resClasses = append(r.resClasses, rc)
	}
	if c := f["classes"]; c != nil {
		r.classes = p.classes(pol, c)
	}
	if c := f["categories"]; c != nil {
		r.cats = p.categories(pol, c)
	}
	req := f["required"]
	if req == nil {
		p.errf(n, "tagging rule without required tags")
	} else {
		for _, t := range p.seq(req, "required") {
			var rt requiredTag
			if t.Kind == yaml.ScalarNode {
				rt = requiredTag{name: t.Value, key: normKey(t.Value)}
			} else {
				tf := p.mapping(t, "key", "values", "pattern", "regex")
				if tf["key"] == nil {
					p.errf(t, "required tag without a key")
					continue
				}
				rt = requiredTag{name: tf["key"].Value, key: normKey(tf["key"].Value), m: p.matcher(tf)}
			}
			if rt.key == "" {
				p.errf(t, "required tag with an empty key")
				continue
			}
			r.required = append(r.required, rt)
		}
		if len(r.required) > 64 {
			p.errf(req, "at most 64 required tags per rule")
		}
	}
	return r, len(p.errs) == before
}

// normKey normalizes a tag or label key the same way in every cloud: lower
// case letters and digits only (Data_Classification, data-classification
// and DataClassification are one key).
func normKey(k string) string { return string(appendKey(nil, k)) }

func appendKey(buf []byte, k string) []byte {
	for i := 0; i < len(k); i++ {
		c := k[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			buf = append(buf, c)
		case c >= 'A' && c <= 'Z':
			buf = append(buf, c+'a'-'A')
		case c >= 0x80:
			buf = append(buf, c)
		}
	}
	return buf
}

// normValue normalizes a tag or label value: trimmed, lower case, with
// spaces and underscores as dashes (GCP label values allow neither upper
// case nor spaces: "Personal Data" and personal_data are personal-data).
func normValue(v string) string { return string(appendValue(nil, v)) }

func appendValue(buf []byte, v string) []byte {
	v = strings.TrimSpace(v)
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= 'A' && c <= 'Z':
			buf = append(buf, c+'a'-'A')
		case c == ' ' || c == '_':
			buf = append(buf, '-')
		default:
			buf = append(buf, c)
		}
	}
	return buf
}
