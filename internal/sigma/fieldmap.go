package sigma

import (
	"errors"
	"fmt"
	"strings"

	"github.com/vigil-sec/vigil/internal/logs"
)

// Source names of the built-in sources (logs.Builtin).
const (
	SourceAWSCloudTrail = string(logs.AWSCloudTrail)
	SourceAzureActivity = string(logs.AzureActivity)
	SourceAzureSignIn   = string(logs.AzureSignIn)
	SourceAzureAudit    = string(logs.AzureAudit)
	SourceGCPAudit      = string(logs.GCPAudit)
	SourceM365Audit     = string(logs.M365Audit)
)

// FieldMap maps the field names Sigma rules use for one log source to JSON
// paths in the events as that cloud delivers them (pySigma pipelines do the
// same). A rule field is looked up case-insensitively: first in Fields, then
// rewritten by the longest matching Prefixes entry; the field name itself is
// always tried last. JSONEvent resolves every path segment exactly first and
// then case-insensitively.
type FieldMap struct {
	Name string
	// Fields maps a lower-cased rule field to candidate event paths, tried
	// in order; the first one present in the event is used.
	Fields map[string][]string
	// Prefixes rewrites a lower-cased rule field prefix ("data.protopayload.")
	// to an event path prefix ("protoPayload.").
	Prefixes map[string]string
	// Fallbacks are prefixes tried after the field itself when it is
	// absent, e.g. "properties." for Azure records.
	Fallbacks []string
	// Placeholders are the values for the expand modifier (%name% -> values).
	Placeholders map[string][]string
	// Values maps a lower-cased rule field and a lower-cased plain rule value
	// to the values the source writes (pySigma's value mapping), e.g.
	// status "success" -> ResultStatus "Succeeded", "Success", "True".
	Values map[string]map[string][]string
}

// Paths returns the event paths a rule field is read from, in order.
func (fm FieldMap) Paths(field string) []string {
	lf := strings.ToLower(field)
	var out []string
	add := func(p string) {
		for _, q := range out {
			if q == p {
				return
			}
		}
		out = append(out, p)
	}
	for _, p := range fm.Fields[lf] {
		add(p)
	}
	best := ""
	for pre := range fm.Prefixes {
		if strings.HasPrefix(lf, pre) && len(pre) > len(best) {
			best = pre
		}
	}
	if best != "" {
		add(fm.Prefixes[best] + field[len(best):])
	}
	add(field)
	for _, fb := range fm.Fallbacks {
		add(fb + field)
	}
	return out
}

// FieldMapFor returns vigil's field map for a built-in source (one of the
// Source* constants), from its descriptor (logs.Builtin). An unknown source
// gets an identity map.
func FieldMapFor(source string) FieldMap {
	if d, ok := logs.Builtin().Lookup(logs.Source(source)); ok {
		return FieldMapOf(d)
	}
	return FieldMap{Name: source}
}

// FieldMapOf returns the field map a source's descriptor declares.
func FieldMapOf(d *logs.Descriptor) FieldMap {
	sg := d.Sigma
	return FieldMap{
		Name:         string(d.Name),
		Fields:       sg.Fields,
		Prefixes:     sg.Prefixes,
		Fallbacks:    sg.Fallbacks,
		Placeholders: sg.Placeholders,
		Values:       sg.Values,
	}
}

// Source maps the rule's logsource to a built-in vigil log source name, or
// explains why no vigil reader produces its events.
func (r *Rule) Source() (string, error) {
	return MapLogSource(r.LogSource)
}

// SourceIn is Source among the log sources of reg.
func (r *Rule) SourceIn(reg *logs.Registry) (string, error) {
	return MapLogSourceIn(reg, r.LogSource)
}

// MapLogSource maps a Sigma logsource to a built-in vigil source (see
// Rule.Source).
func MapLogSource(ls LogSource) (string, error) {
	return MapLogSourceIn(logs.Builtin(), ls)
}

// MapLogSourceIn maps a Sigma logsource to the source of reg that lists it
// (Descriptor.Sigma.LogSources), or explains why no reader produces its
// events.
func MapLogSourceIn(reg *logs.Registry, ls LogSource) (string, error) {
	d, unsupported, ok := reg.ForSigma(ls.Product, ls.Service)
	if ok {
		return string(d.Name), nil
	}
	if unsupported != nil && unsupported.Reason != "" {
		return "", errors.New(unsupported.Reason)
	}
	return "", fmt.Errorf("unsupported log source product=%s service=%s category=%s: no vigil reader produces these events", ls.Product, ls.Service, ls.Category)
}
