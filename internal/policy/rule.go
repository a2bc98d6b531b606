package policy

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Rule is a posture rule's metadata, read from its package's METADATA block.
type Rule struct {
	ID          string              `json:"id"`
	Title       string              `json:"title"`
	Description string              `json:"description,omitempty"`
	Severity    finding.Severity    `json:"severity"`
	Category    string              `json:"category"`
	Class       resource.Class      `json:"class"`
	Providers   []resource.Provider `json:"providers"`
	Remediation string              `json:"remediation,omitempty"`
	// Frameworks maps a framework key (cis-aws-7.0, soc2, ...) to control IDs.
	Frameworks map[string][]string `json:"frameworks,omitempty"`
	// Package is the Rego package path, e.g. data.vigil.rules.storage_public_access.
	Package string `json:"package"`
	// File is where the rule was read from; Builtin tells built-in from custom.
	File    string `json:"file"`
	Builtin bool   `json:"builtin"`
}

// References lists the rule's framework references in a stable order.
func (r *Rule) References() []finding.Reference {
	keys := make([]string, 0, len(r.Frameworks))
	for k := range r.Frameworks {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var refs []finding.Reference
	for _, k := range keys {
		for _, c := range r.Frameworks[k] {
			refs = append(refs, finding.Reference{Framework: k, Control: c})
		}
	}
	return refs
}

// HasProvider reports whether the rule covers p.
func (r *Rule) HasProvider(p resource.Provider) bool { return slices.Contains(r.Providers, p) }

var validClasses = map[resource.Class]bool{
	resource.ClassObjectStorage: true, resource.ClassFirewall: true, resource.ClassCompute: true,
	resource.ClassDatabase: true, resource.ClassKey: true, resource.ClassAuditLog: true,
	resource.ClassIdentity: true, resource.ClassIAMBinding: true, resource.ClassAccount: true,
	resource.ClassPasswordPolicy: true, resource.ClassKeyVault: true, resource.ClassNetwork: true,
	resource.ClassRole: true, resource.ClassOther: true,
}

// ruleFromModule reads the package-scoped METADATA of a rule module. It
// returns (nil, nil) for a module without an `id` (a library package).
func ruleFromModule(file string, m *ast.Module) (*Rule, error) {
	var ann *ast.Annotations
	for _, a := range m.Annotations {
		if a.Scope == "package" {
			ann = a
			break
		}
	}
	if ann == nil || ann.Custom == nil || ann.Custom["id"] == nil {
		return nil, nil
	}
	c := ann.Custom
	r := &Rule{
		Title:       ann.Title,
		Description: strings.TrimSpace(ann.Description),
		Package:     m.Package.Path.String(),
		File:        file,
	}
	var errs []string
	str := func(key string, required bool) string {
		v, ok := c[key]
		if !ok {
			if required {
				errs = append(errs, "custom."+key+" is missing")
			}
			return ""
		}
		s, ok := v.(string)
		if !ok {
			errs = append(errs, fmt.Sprintf("custom.%s must be a string, got %T", key, v))
		}
		return strings.TrimSpace(s)
	}
	r.ID = str("id", true)
	sev, err := finding.ParseSeverity(str("severity", true))
	if err != nil {
		errs = append(errs, "custom.severity: "+err.Error())
	}
	r.Severity = sev
	r.Category = str("category", true)
	r.Class = resource.Class(str("class", true))
	if r.Class != "" && !validClasses[r.Class] {
		errs = append(errs, fmt.Sprintf("custom.class %q is not a known class", r.Class))
	}
	r.Remediation = str("remediation", false)
	if r.Title == "" {
		errs = append(errs, "title is missing")
	}
	switch ps := c["providers"].(type) {
	case []any:
		for _, p := range ps {
			s, _ := p.(string)
			switch resource.Provider(s) {
			case resource.AWS, resource.Azure, resource.GCP:
				r.Providers = append(r.Providers, resource.Provider(s))
			default:
				errs = append(errs, fmt.Sprintf("custom.providers: unknown provider %v", p))
			}
		}
	default:
		errs = append(errs, "custom.providers must be a list of aws, azure, gcp")
	}
	if fw, ok := c["frameworks"].(map[string]any); ok {
		r.Frameworks = map[string][]string{}
		for k, v := range fw {
			list, ok := v.([]any)
			if !ok {
				errs = append(errs, fmt.Sprintf("custom.frameworks.%s must be a list", k))
				continue
			}
			for _, x := range list {
				r.Frameworks[k] = append(r.Frameworks[k], fmt.Sprint(x))
			}
		}
	} else if c["frameworks"] != nil {
		errs = append(errs, "custom.frameworks must be a map of framework to control IDs")
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s: rule %q: %s", file, r.ID, strings.Join(errs, "; "))
	}
	return r, nil
}
