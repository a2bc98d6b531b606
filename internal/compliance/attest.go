package compliance

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// AttestationStatus is what a person attested about a control.
type AttestationStatus string

// Attestation statuses an attestation file may give.
const (
	// Attested: the control is in place (a person checked it).
	Attested AttestationStatus = "attested"
	// NotApplicable: the control does not apply; it leaves the score.
	NotApplicable AttestationStatus = "not-applicable"
	// AttestedFailed: the control was checked and is not in place.
	AttestedFailed AttestationStatus = "failed"
)

// Attestation is one manual statement about a framework control.
type Attestation struct {
	Framework string            `json:"framework"`
	Control   string            `json:"control"`
	Status    AttestationStatus `json:"status"`
	// By is who attested (name, e-mail or role).
	By string `json:"by"`
	// Date is when; Expires when the attestation stops counting (zero:
	// never).
	Date    time.Time `json:"date"`
	Expires time.Time `json:"expires,omitzero"`
	Note    string    `json:"note,omitempty"`
	// Evidence is a link or a document reference.
	Evidence string `json:"evidence,omitempty"`
	// Where is file:line of the entry.
	Where string `json:"where"`
}

// Expired reports whether the attestation has expired at now.
func (a *Attestation) Expired(now time.Time) bool {
	return !a.Expires.IsZero() && !now.Before(a.Expires)
}

// Attestations is a parsed attestation file.
type Attestations struct {
	Path  string
	Items []Attestation
}

// Find returns the attestation of framework's control, or nil.
func (as *Attestations) Find(framework, control string) *Attestation {
	if as == nil {
		return nil
	}
	for i := range as.Items {
		if as.Items[i].Framework == framework && as.Items[i].Control == control {
			return &as.Items[i]
		}
	}
	return nil
}

// LoadAttestations reads an attestation file (see ParseAttestations).
func LoadAttestations(path string) (*Attestations, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("attestations: %w", err)
	}
	defer f.Close()
	return ParseAttestations(path, f)
}

// maxAttestationFile bounds what ParseAttestations reads.
const maxAttestationFile = 8 << 20

// ParseAttestations reads an attestation file:
//
//	attestations:
//	  - framework: soc2
//	    control: CC1.1
//	    status: attested        # attested, not-applicable or failed
//	    by: Jane Roe (CISO)
//	    date: 2026-10-01
//	    expires: 2027-10-01     # optional
//	    note: Code of conduct signed by all staff
//	    evidence: https://wiki.example.com/soc2/cc1.1
//
// Unknown keys, an unknown framework or status, a missing field, a bad date
// and a control given twice are refused with name:line. Whether the control
// exists is checked against the catalogues by Validate.
func ParseAttestations(name string, r io.Reader) (*Attestations, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxAttestationFile+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > maxAttestationFile {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, maxAttestationFile)
	}
	out := &Attestations{Path: name}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, fmt.Errorf("%s: empty attestation file", name)
	}
	at := func(n *yaml.Node, format string, args ...any) error {
		return fmt.Errorf("%s:%d: %s", name, n.Line, fmt.Sprintf(format, args...))
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, at(root, "want a mapping with an attestations list")
	}
	var list *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "attestations":
			list = v
		default:
			return nil, at(k, "unknown key %q (want attestations)", k.Value)
		}
	}
	if list == nil {
		return nil, at(root, "no attestations list")
	}
	if list.Kind != yaml.SequenceNode {
		return nil, at(list, "attestations: want a list")
	}
	seen := map[[2]string]int{}
	for _, item := range list.Content {
		if item.Kind != yaml.MappingNode {
			return nil, at(item, "attestation: want a mapping")
		}
		a := Attestation{Where: fmt.Sprintf("%s:%d", name, item.Line)}
		got := map[string]bool{}
		for i := 0; i+1 < len(item.Content); i += 2 {
			k, v := item.Content[i], item.Content[i+1]
			if got[k.Value] {
				return nil, at(k, "%s given twice", k.Value)
			}
			got[k.Value] = true
			if v.Kind != yaml.ScalarNode {
				return nil, at(v, "%s: want a single value", k.Value)
			}
			val := strings.TrimSpace(v.Value)
			switch k.Value {
			case "framework":
				if !KnownFramework(val) {
					return nil, at(v, "unknown framework %q (known: %s)", val, strings.Join(reportFrameworks, ", "))
				}
				a.Framework = val
			case "control":
				a.Control = val
			case "status":
				st, err := ParseAttestationStatus(val)
				if err != nil {
					return nil, at(v, "%v", err)
				}
				a.Status = st
			case "by":
				a.By = val
			case "date", "expires":
				t, err := parseDate(val)
				if err != nil {
					return nil, at(v, "%s: %v", k.Value, err)
				}
				if k.Value == "date" {
					a.Date = t
				} else {
					a.Expires = t
				}
			case "note":
				a.Note = val
			case "evidence":
				a.Evidence = val
			default:
				return nil, at(k, "unknown key %q (want framework, control, status, by, date, expires, note, evidence)", k.Value)
			}
		}
		for _, req := range []string{"framework", "control", "status", "by", "date"} {
			if !got[req] {
				return nil, at(item, "attestation without %s", req)
			}
		}
		if a.Control == "" || a.By == "" {
			return nil, at(item, "attestation with an empty control or by")
		}
		if !a.Expires.IsZero() && !a.Expires.After(a.Date) {
			return nil, at(item, "expires (%s) is not after date (%s)", a.Expires.Format(time.DateOnly), a.Date.Format(time.DateOnly))
		}
		key := [2]string{a.Framework, a.Control}
		if prev, dup := seen[key]; dup {
			return nil, at(item, "%s %s already attested on line %d", a.Framework, a.Control, prev)
		}
		seen[key] = item.Line
		out.Items = append(out.Items, a)
	}
	return out, nil
}

// Validate checks that every attestation of the frameworks that have a
// catalogue (shipped or given) names a control of that catalogue; for a
// framework without one (a CIS benchmark without --catalogue) the control
// must be one a rule maps to. It returns the first problem with file:line.
func (as *Attestations) Validate(rules []Rule, catalogues ...*Catalogue) error {
	if as == nil {
		return nil
	}
	given := map[string]*Catalogue{}
	for _, c := range catalogues {
		if c != nil {
			given[c.Framework] = c
		}
	}
	ids := map[string]map[string]bool{}
	for i := range as.Items {
		a := &as.Items[i]
		known, ok := ids[a.Framework]
		if !ok {
			cat := given[a.Framework]
			if cat == nil {
				var err error
				if cat, err = BuiltinCatalogue(a.Framework); err != nil {
					return err
				}
			}
			if cat != nil {
				known = cat.IDs()
			} else {
				known = map[string]bool{}
				for _, r := range rules {
					for _, c := range r.Frameworks[a.Framework] {
						known[c] = true
					}
				}
			}
			ids[a.Framework] = known
		}
		if !known[a.Control] {
			hint := ""
			if given[a.Framework] == nil && cisProvider(a.Framework) != "" {
				hint = " (no rule maps to it; give the benchmark's --catalogue to attest its other controls)"
			}
			return fmt.Errorf("%s: %s has no control %q%s", a.Where, a.Framework, a.Control, hint)
		}
	}
	return nil
}

// ParseAttestationStatus reads an attestation status (attested,
// not-applicable or failed, in any case).
func ParseAttestationStatus(s string) (AttestationStatus, error) {
	switch st := AttestationStatus(strings.ToLower(strings.TrimSpace(s))); st {
	case Attested, NotApplicable, AttestedFailed:
		return st, nil
	}
	return "", fmt.Errorf("unknown status %q (want attested, not-applicable or failed)", s)
}

// Decide is a control's status once its attestation (nil: none) is
// applied to the status its rules gave it (ruled), at now: rules that
// decided the control (PASSED or FAILED) keep deciding, except that an
// attestation saying failed fails it; a control rules did not decide is
// FAILED when attested failed, else MANUAL, its attestation's state
// (attested, not-applicable, or expired once now reaches its expiry)
// saying how it counts (ControlTally). vigil compliance (Build) and the
// dashboard (vigil serve) both decide through it.
func Decide(ruled Status, a *Attestation, now time.Time) (Status, *AttestationResult) {
	if a == nil {
		return ruled, nil
	}
	ar := &AttestationResult{State: string(a.Status), Attestation: *a}
	if a.Expired(now) {
		ar.State = "expired"
	}
	switch {
	case ruled == Failed, ruled == Passed:
		if ar.State == string(AttestedFailed) {
			return Failed, ar
		}
		return ruled, ar
	case ar.State == string(AttestedFailed):
		return Failed, ar
	}
	return Manual, ar
}

// ControlTally counts a framework's controls, each with its final status
// (Decide), into the report's summary: Score is (passed + attested) /
// (controls - not applicable), so NOT_COVERED, NOT_EVALUATED and expired
// controls count as not passed.
type ControlTally struct {
	s                              ReportSummary
	passed, autoPassed, autoFailed int
}

// Add counts one control: its status, its attestation (nil: none) and
// whether a rule maps to it (automated).
func (t *ControlTally) Add(st Status, ar *AttestationResult, automated bool) {
	s := &t.s
	s.Controls++
	if automated {
		s.Automated++
		switch st {
		case Failed:
			t.autoFailed++
		case Passed:
			t.autoPassed++
		}
	}
	switch st {
	case Passed:
		s.Passed++
		t.passed++
	case Failed:
		s.Failed++
	case NotEvaluated:
		s.NotEvaluated++
	case NotCovered:
		s.NotCovered++
	case Manual:
		s.Manual++
		if ar == nil {
			return
		}
		switch ar.State {
		case string(Attested):
			s.ManualAttested++
			t.passed++
		case string(NotApplicable):
			s.NotApplicable++
		case "expired":
			s.Expired++
		}
	}
}

// Summary is the summary of the controls added, without ByProvider.
func (t *ControlTally) Summary() ReportSummary {
	s := t.s
	if n := s.Controls - s.NotApplicable; n > 0 {
		s.Score = pct(t.passed, n)
	}
	if t.autoPassed+t.autoFailed > 0 {
		s.AutomatedScore = pct(t.autoPassed, t.autoPassed+t.autoFailed)
	}
	if s.Controls > 0 {
		s.Coverage = pct(s.Automated, s.Controls)
	}
	return s
}

func parseDate(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, errors.New("want a date (2026-11-24) or RFC 3339 time")
}
