package report

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"runtime"
	"sort"

	"github.com/vigil-sec/vigil/internal/compliance"
	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/ocsf"
	"github.com/vigil-sec/vigil/internal/resource"
)

// FindingUID is a stable identifier of a finding: the same rule on the
// same resource gives the same UID in every scan.
func FindingUID(f *finding.Finding) string {
	h := sha256.Sum256([]byte(f.RuleID + "\x00" + string(f.Resource.Provider) + "\x00" + f.Resource.ID))
	return "vigil-" + hex.EncodeToString(h[:16])
}

func ocsfComplianceStatus(s finding.Status) int {
	switch s {
	case finding.Pass:
		return ocsf.ComplianceStatusPass
	case finding.Fail:
		return ocsf.ComplianceStatusFail
	}
	return ocsf.ComplianceStatusWarning // UNKNOWN: no result, missing information
}

// ocsfCloud builds the cloud object: provider caption and the account with
// its OCSF account type (AWS Account, Azure Subscription, GCP Project).
func ocsfCloud(ref resource.Ref) *ocsf.Cloud {
	c := &ocsf.Cloud{Region: ref.Region}
	acct := &ocsf.Account{UID: ref.Account}
	switch ref.Provider {
	case resource.AWS:
		c.Provider, acct.TypeID, acct.Type = "AWS", 10, "AWS Account"
	case resource.Azure:
		c.Provider, acct.TypeID, acct.Type = "Azure", 13, "Azure Subscription"
	case resource.GCP:
		c.Provider, acct.TypeID, acct.Type = "GCP", 11, "GCP Project"
	default:
		c.Provider = string(ref.Provider)
	}
	if ref.Account != "" {
		c.Account = acct
	}
	return c
}

// ToOCSF converts a finding to an OCSF 1.8.0 Compliance Finding.
func ToOCSF(f *finding.Finding, rule finding.RuleInfo, r *Report) ocsf.ComplianceFinding {
	ms := r.GeneratedAt.UnixMilli()
	sev := ocsf.SeverityIDOf(string(f.Severity))
	status := ocsf.FindingStatusNew
	if f.Suppressed != nil {
		status = ocsf.FindingStatusSuppressed
	}
	var standards, reqs []string
	seen := map[string]bool{}
	for _, ref := range refsFor(f) {
		if !seen[ref.Framework] {
			seen[ref.Framework] = true
			standards = append(standards, compliance.FrameworkName(ref.Framework))
		}
		reqs = append(reqs, ref.Framework+":"+ref.Control)
	}
	sort.Strings(standards)
	if len(standards) == 0 {
		standards = []string{"vigil built-in rules"}
	}
	cst := ocsfComplianceStatus(f.Status)
	desc := rule.Description
	if desc == "" {
		desc = f.Message
	}
	title := f.Title
	if title == "" {
		title = f.RuleID
	}
	msg := f.Message
	if msg == "" {
		msg = title
	}
	cf := ocsf.ComplianceFinding{
		FindingHeader: ocsf.FindingHeader{
			ActivityID:   ocsf.FindingActivityCreate,
			ActivityName: "Create",
			CategoryUID:  ocsf.FindingsCategoryUID,
			CategoryName: "Findings",
			ClassUID:     ocsf.ComplianceFindingClassUID,
			ClassName:    "Compliance Finding",
			TypeUID:      ocsf.ComplianceFindingCreate,
			TypeName:     "Compliance Finding: Create",
			Time:         ms,
			Message:      msg,
			SeverityID:   sev,
			Severity:     ocsf.SeverityName(sev),
			StatusID:     status,
			Status:       ocsf.FindingStatusName(status),
		},
		Metadata: ocsf.Metadata{
			Version:  ocsf.Version,
			Profiles: []string{"cloud"},
			Product:  ocsf.VigilProduct(r.Version),
			Labels:   []string{"posture"},
		},
		Compliance: ocsf.Compliance{
			Standards:    standards,
			Requirements: reqs,
			Control:      f.RuleID,
			StatusID:     cst,
			Status:       ocsf.ComplianceStatusName(cst),
			StatusCode:   string(f.Status),
			StatusDetail: f.Message,
		},
		FindingInfo: ocsf.FindingInfo{
			UID:         FindingUID(f),
			Title:       title,
			Desc:        desc,
			CreatedTime: ms,
			Analytic:    &ocsf.Analytic{UID: f.RuleID, Name: title, Type: "Rule", TypeID: 1},
		},
		Resources: []ocsf.ResourceDetails{{
			UID:    f.Resource.ID,
			Name:   f.Resource.Name,
			Type:   f.Resource.Type,
			Region: f.Resource.Region,
		}},
		Cloud: ocsfCloud(f.Resource),
	}
	if f.Category != "" {
		cf.FindingInfo.Types = []string{f.Category}
	}
	if f.Remediation != "" {
		cf.Remediation = &ocsf.Remediation{Desc: f.Remediation}
	}
	if f.Suppressed != nil {
		cf.Unmapped = map[string]any{"suppression": f.Suppressed}
	}
	// The governance policy's data class and the rule's own severity when
	// the finding's was raised or lowered: no OCSF attribute of a
	// Compliance Finding's resources holds them (the data_classification
	// profile applies to data objects, not resource_details).
	if f.DataClass != "" || f.BaseSeverity != "" {
		if cf.Unmapped == nil {
			cf.Unmapped = map[string]any{}
		}
		if f.DataClass != "" {
			cf.Unmapped["data_class"] = f.DataClass
		}
		if f.BaseSeverity != "" {
			cf.Unmapped["base_severity"] = string(f.BaseSeverity)
		}
	}
	return cf
}

func writeOCSF(w io.Writer, r *Report, lines bool) error {
	rules := r.ruleByID()
	bw := bufio.NewWriterSize(w, writeBufferSize)
	v := r.view()
	// encoder returns a function that appends the i-th finding's OCSF
	// object to dst, compact and without the new line.
	encoder := func() elementEncoder {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		var x finding.Finding
		return func(dst []byte, i int) ([]byte, error) {
			f := v.at(i, &x)
			cf := ToOCSF(f, rules[f.RuleID], r)
			buf.Reset()
			if err := enc.Encode(&cf); err != nil {
				return dst, err
			}
			return append(dst, bytes.TrimSuffix(buf.Bytes(), []byte{'\n'})...), nil
		}
	}
	workers := runtime.GOMAXPROCS(0)
	if lines {
		err := encodeChunks(v.n, workers, func() elementEncoder {
			enc := encoder()
			return func(dst []byte, i int) ([]byte, error) {
				dst, err := enc(dst, i)
				return append(dst, '\n'), err
			}
		}, func(text []byte, _ []int) error {
			_, err := bw.Write(text)
			return err
		})
		return errors.Join(err, bw.Flush())
	}
	err := writeJSONStream(bw, streamSlot{}, "  ", func(a *jsonArray) error {
		sep := a.separator()
		return encodeChunks(v.n, workers, func() elementEncoder {
			enc := encoder()
			var compact []byte
			return func(dst []byte, i int) ([]byte, error) {
				var err error
				if compact, err = enc(compact[:0], i); err != nil {
					return dst, err
				}
				return appendIndentCompact(append(dst, sep...), compact, a.elemPrefix, a.indent), nil
			}
		}, func(text []byte, ends []int) error { return a.emitSeparated(text, len(ends)) })
	})
	return errors.Join(err, bw.Flush())
}
