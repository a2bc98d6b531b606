package compliance

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Manual is the status of a control decided by an attestation rather than
// by rules (see ControlEvidence.Attestation for what was attested).
const Manual Status = "MANUAL"

// SchemaVersion is the version of the compliance report JSON schema; it
// changes only when a field is removed or changes meaning.
const SchemaVersion = 1

// Clouds are the providers whose columns the report shows.
var Clouds = []resource.Provider{"aws", "azure", "gcp"}

// Report is a per-framework compliance report with the evidence of every
// control.
type Report struct {
	SchemaVersion int    `json:"schema_version"`
	Framework     string `json:"framework"`
	Name          string `json:"name"`
	// CatalogueSource says where the control list comes from: a shipped
	// catalogue's source, the --catalogue file, or "" when there is none.
	CatalogueSource string `json:"catalogue_source"`
	// Catalogued is false when no control list was available (a CIS
	// benchmark without --catalogue): only controls rules map to are
	// listed and Note says so.
	Catalogued bool   `json:"catalogued"`
	Note       string `json:"note,omitempty"`
	// EvaluatedAt is the scan time every piece of evidence was taken at.
	EvaluatedAt time.Time `json:"evaluated_at"`
	Version     string    `json:"vigil_version,omitempty"`
	Inputs      []string  `json:"inputs,omitempty"`
	// Providers are the clouds in scope (all three unless --provider).
	Providers    []resource.Provider `json:"providers"`
	Attestations string              `json:"attestations_file,omitempty"`
	Summary      ReportSummary       `json:"summary"`
	Controls     []ControlEvidence   `json:"controls"`
}

// ReportSummary counts the controls by status.
type ReportSummary struct {
	Controls     int `json:"controls"`
	Passed       int `json:"passed"`
	Failed       int `json:"failed"`
	NotEvaluated int `json:"not_evaluated"`
	NotCovered   int `json:"not_covered"`
	// Manual counts controls decided by an attestation; of them
	// ManualAttested are attested (counted as passed in Score),
	// NotApplicable left out of Score, Expired not passed.
	Manual         int `json:"manual"`
	ManualAttested int `json:"manual_attested"`
	NotApplicable  int `json:"not_applicable"`
	Expired        int `json:"expired"`
	// Automated counts controls at least one rule maps to.
	Automated int `json:"automated"`
	// Score is (passed + attested) / (controls - not applicable) in
	// percent: NOT_COVERED, NOT_EVALUATED and expired controls count as
	// not passed. Nil when no control is applicable.
	Score *float64 `json:"score"`
	// AutomatedScore is passed / (passed + failed) of the controls rules
	// decided. Coverage is automated / controls.
	AutomatedScore *float64 `json:"automated_score"`
	Coverage       *float64 `json:"coverage"`
	// ByProvider counts distinct resources per cloud over all controls: a
	// resource failing any control counts as failed.
	ByProvider []ProviderEvidence `json:"by_provider"`
}

// ControlEvidence is one control with its status, score and evidence.
type ControlEvidence struct {
	ID         string `json:"id"`
	Title      string `json:"title,omitempty"`
	Section    string `json:"section,omitempty"`
	Assessment string `json:"assessment,omitempty"`
	Status     Status `json:"status"`
	// Score is passed / checked resources in percent (nil when none was
	// checked).
	Score *float64 `json:"score"`
	// Resources counts distinct resources: a resource fails the control
	// when any rule of the control fails on it.
	Resources ResourceCounts `json:"resources"`
	// ByProvider splits Resources per cloud (aws, azure, gcp always, in
	// that order, then any other provider with findings).
	ByProvider  []ProviderEvidence `json:"by_provider"`
	Rules       []RuleEvidence     `json:"rules"`
	Attestation *AttestationResult `json:"attestation,omitempty"`
}

// ResourceCounts counts resources by outcome. Checked = Passed + Failed +
// Suppressed (a suppressed failure is an accepted risk, not a pass);
// Unknown resources could not be checked.
type ResourceCounts struct {
	Checked    int `json:"checked"`
	Passed     int `json:"passed"`
	Failed     int `json:"failed"`
	Suppressed int `json:"suppressed"`
	Unknown    int `json:"unknown"`
}

// ProviderEvidence is the resource counts of one cloud.
type ProviderEvidence struct {
	Provider resource.Provider `json:"provider"`
	ResourceCounts
	Score *float64 `json:"score"`
}

// RuleEvidence is one rule evidencing a control.
type RuleEvidence struct {
	ID       string           `json:"id"`
	Title    string           `json:"title,omitempty"`
	Severity finding.Severity `json:"severity,omitempty"`
	// Via is the sub-control the rule is mapped to when it evidences this
	// control through it (PCI DSS 1.3 via 1.3.1, AC-2 via AC-2(3)).
	Via        string              `json:"via,omitempty"`
	Providers  []resource.Provider `json:"providers,omitempty"`
	Resources  ResourceCounts      `json:"resources"`
	ByProvider []ProviderEvidence  `json:"by_provider"`
	// Failed lists the resources the rule failed on (suppressed ones with
	// their reason).
	Failed []FailedResource `json:"failed"`
}

// FailedResource is a resource that failed a rule.
type FailedResource struct {
	ID         string            `json:"id"`
	Name       string            `json:"name,omitempty"`
	Type       string            `json:"type,omitempty"`
	Provider   resource.Provider `json:"provider"`
	Account    string            `json:"account,omitempty"`
	Region     string            `json:"region,omitempty"`
	Message    string            `json:"message,omitempty"`
	Suppressed string            `json:"suppressed,omitempty"`
}

// AttestationResult is an attestation as the report shows it: State is
// attested, not-applicable, failed or expired.
type AttestationResult struct {
	State string `json:"state"`
	Attestation
}

// Options configure Build.
type Options struct {
	// Catalogue is the framework's control list: the shipped one, a
	// --catalogue file, or nil (then only mapped controls are listed).
	Catalogue *Catalogue
	// CatalogueSource describes it.
	CatalogueSource string
	// Providers limits the report to these clouds (nil: all).
	Providers    []resource.Provider
	Attestations *Attestations
	Now          time.Time
	Version      string
	Inputs       []string
}

// Build makes the compliance report of framework from the rules that ran
// and their findings. Controls no rule maps to are NOT_COVERED unless an
// attestation decides them (MANUAL, or FAILED when the attestation says
// failed); they are never counted as passed.
func Build(framework string, rules []Rule, findings []finding.Finding, o Options) *Report {
	rep := &Report{
		SchemaVersion: SchemaVersion, Framework: framework, Name: FrameworkName(framework),
		EvaluatedAt: o.Now.UTC(), Version: o.Version, Inputs: o.Inputs, Controls: []ControlEvidence{},
	}
	if o.Attestations != nil {
		rep.Attestations = o.Attestations.Path
	}
	switch p := cisProvider(framework); {
	case p != "":
		rep.Providers = []resource.Provider{p}
	case len(o.Providers) > 0:
		rep.Providers = append(rep.Providers, o.Providers...)
	default:
		rep.Providers = append(rep.Providers, Clouds...)
	}
	// Only the clouds in scope count (a cloud's CIS benchmark: that cloud).
	inScope := func(p resource.Provider) bool {
		return AppliesTo(framework, p) && slices.Contains(rep.Providers, p)
	}

	ruleInfo := map[string]*Rule{}
	mapped := map[string][]string{} // control -> rule IDs
	for i := range rules {
		r := &rules[i]
		for _, c := range r.Frameworks[framework] {
			c = strings.TrimSpace(c)
			if c == "" {
				continue
			}
			ruleInfo[r.ID] = r
			if !contains(mapped[c], r.ID) {
				mapped[c] = append(mapped[c], r.ID)
			}
		}
	}
	byRule := map[string][]*finding.Finding{}
	for i := range findings {
		f := &findings[i]
		if _, ok := ruleInfo[f.RuleID]; ok && inScope(f.Resource.Provider) {
			byRule[f.RuleID] = append(byRule[f.RuleID], f)
		}
	}

	// The controls: the catalogue's in its order, then mapped ones it lacks.
	var ctrls []ControlEvidence
	listed := map[string]bool{}
	if o.Catalogue != nil {
		rep.Catalogued = true
		rep.CatalogueSource = o.CatalogueSource
		for _, cc := range o.Catalogue.Controls {
			listed[cc.ID] = true
			ctrls = append(ctrls, ControlEvidence{ID: cc.ID, Title: cc.Title, Section: cc.Section, Assessment: cc.Assessment})
		}
	} else {
		rep.Note = "No control catalogue was given for " + rep.Name + ": only the controls vigil's rules map to are listed, " +
			"and the benchmark's other controls (not covered by any rule) are unknown to this report. Give the benchmark's " +
			"control list with --catalogue to list them as NOT_COVERED."
	}
	var extra []ControlEvidence
	for id := range mapped {
		if !listed[id] {
			extra = append(extra, ControlEvidence{ID: id})
		}
	}
	sort.Slice(extra, func(i, j int) bool { return ControlLess(extra[i].ID, extra[j].ID) })
	ctrls = append(ctrls, extra...)

	allIDs := make([]string, len(ctrls))
	for i := range ctrls {
		allIDs[i] = ctrls[i].ID
	}
	total := newTally()
	for i := range ctrls {
		c := &ctrls[i]
		// The rules of the control and of its sub-controls.
		type ruleVia struct{ id, via string }
		var rvs []ruleVia
		seen := map[string]bool{}
		for _, rid := range sorted(mapped[c.ID]) {
			seen[rid] = true
			rvs = append(rvs, ruleVia{rid, ""})
		}
		for _, sub := range allIDs {
			if sub == c.ID || !isSubControl(sub, c.ID) {
				continue
			}
			for _, rid := range sorted(mapped[sub]) {
				if !seen[rid] {
					seen[rid] = true
					rvs = append(rvs, ruleVia{rid, sub})
				}
			}
		}
		ctl := newTally()
		c.Rules = []RuleEvidence{}
		for _, rv := range rvs {
			r := ruleInfo[rv.id]
			re := RuleEvidence{ID: r.ID, Title: r.Title, Severity: r.Severity, Via: rv.via, Providers: r.Providers, Failed: []FailedResource{}}
			rt := newTally()
			for _, f := range byRule[r.ID] {
				rt.add(f)
				ctl.add(f)
				total.add(f)
				if f.Status == finding.Fail {
					fr := FailedResource{ID: f.Resource.ID, Name: f.Resource.Name, Type: f.Resource.Type, Provider: f.Resource.Provider,
						Account: f.Resource.Account, Region: f.Resource.Region, Message: f.Message}
					if f.Suppressed != nil {
						fr.Suppressed = f.Suppressed.Reason
						if fr.Suppressed == "" {
							fr.Suppressed = "suppressed"
						}
					}
					re.Failed = append(re.Failed, fr)
				}
			}
			sort.Slice(re.Failed, func(i, j int) bool {
				a, b := re.Failed[i], re.Failed[j]
				if a.Provider != b.Provider {
					return a.Provider < b.Provider
				}
				return a.ID < b.ID
			})
			re.Resources, re.ByProvider = rt.counts()
			re.ByProvider = slices.DeleteFunc(re.ByProvider, func(pe ProviderEvidence) bool { return pe.Checked+pe.Unknown == 0 })
			c.Rules = append(c.Rules, re)
		}
		c.Resources, c.ByProvider = ctl.counts()
		c.Score = score(c.Resources)
		switch {
		case len(rvs) == 0:
			c.Status = NotCovered
		case c.Resources.Failed > 0:
			c.Status = Failed
		case c.Resources.Passed > 0 || c.Resources.Suppressed > 0:
			c.Status = Passed
		default:
			c.Status = NotEvaluated
		}
		c.Status, c.Attestation = Decide(c.Status, o.Attestations.Find(framework, c.ID), rep.EvaluatedAt)
	}
	rep.Controls = ctrls
	var t ControlTally
	for _, c := range ctrls {
		t.Add(c.Status, c.Attestation, len(c.Rules) > 0)
	}
	rep.Summary = t.Summary()
	s := &rep.Summary
	_, s.ByProvider = total.counts()
	return rep
}

// isSubControl reports whether sub is a sub-control of parent: PCI DSS
// 1.3.1 of 1.3, NIST AC-2(3) of AC-2, HIPAA 164.312(a)(2)(iv) of
// 164.312(a)(1) is not (a different paragraph) but 164.308(a)(1)(ii)(D)
// is of 164.308(a)(1).
func isSubControl(sub, parent string) bool {
	return strings.HasPrefix(sub, parent+".") || strings.HasPrefix(sub, parent+"(")
}

// tally counts distinct resources per provider: a resource's state for a
// control is the worst of its findings (fail, suppressed, pass, unknown).
type tally struct {
	state map[resource.Provider]map[string]int
}

const (
	stUnknown = iota + 1
	stPass
	stSuppressed
	stFail
)

func newTally() *tally { return &tally{state: map[resource.Provider]map[string]int{}} }

func (t *tally) add(f *finding.Finding) {
	st := stUnknown
	switch {
	case f.Status == finding.Fail && f.Suppressed != nil:
		st = stSuppressed
	case f.Status == finding.Fail:
		st = stFail
	case f.Status == finding.Pass:
		st = stPass
	}
	m := t.state[f.Resource.Provider]
	if m == nil {
		m = map[string]int{}
		t.state[f.Resource.Provider] = m
	}
	if st > m[f.Resource.ID] {
		m[f.Resource.ID] = st
	}
}

// counts returns the totals and the per-provider counts: aws, azure and gcp
// always, then other providers that have resources, by name.
func (t *tally) counts() (ResourceCounts, []ProviderEvidence) {
	var total ResourceCounts
	provs := append([]resource.Provider(nil), Clouds...)
	var others []resource.Provider
	for p := range t.state {
		if !contains(providerStrings(Clouds), string(p)) {
			others = append(others, p)
		}
	}
	sort.Slice(others, func(i, j int) bool { return others[i] < others[j] })
	provs = append(provs, others...)
	out := make([]ProviderEvidence, 0, len(provs))
	for _, p := range provs {
		var rc ResourceCounts
		for _, st := range t.state[p] {
			switch st {
			case stFail:
				rc.Failed++
			case stSuppressed:
				rc.Suppressed++
			case stPass:
				rc.Passed++
			default:
				rc.Unknown++
			}
		}
		rc.Checked = rc.Passed + rc.Failed + rc.Suppressed
		total.Checked += rc.Checked
		total.Passed += rc.Passed
		total.Failed += rc.Failed
		total.Suppressed += rc.Suppressed
		total.Unknown += rc.Unknown
		out = append(out, ProviderEvidence{Provider: p, ResourceCounts: rc, Score: score(rc)})
	}
	return total, out
}

func providerStrings(ps []resource.Provider) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = string(p)
	}
	return out
}

// score is passed / checked in percent (a suppressed failure is checked
// but not passed), nil when nothing was checked.
func score(rc ResourceCounts) *float64 {
	if rc.Checked == 0 {
		return nil
	}
	return pct(rc.Passed, rc.Checked)
}

func pct(n, d int) *float64 {
	s := float64(n) * 100 / float64(d)
	s = float64(int(s*10+0.5)) / 10
	return &s
}
