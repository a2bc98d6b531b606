package findings

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/vigil-sec/vigil/internal/finding"
)

// RuleResult is a failed vigil rule on a resource, from vigil scan's JSON.
type RuleResult struct {
	RuleID     string
	ResourceID string
}

// ReadScan reads the FAIL findings of vigil scan --format json.
func ReadScan(r io.Reader, name string) ([]RuleResult, error) {
	var rep struct {
		Findings []struct {
			RuleID   string         `json:"rule_id"`
			Status   finding.Status `json:"status"`
			Resource struct {
				ID string `json:"id"`
			} `json:"resource"`
		} `json:"findings"`
	}
	if err := json.NewDecoder(r).Decode(&rep); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var out []RuleResult
	for _, f := range rep.Findings {
		if f.Status == finding.Fail {
			out = append(out, RuleResult{RuleID: f.RuleID, ResourceID: f.Resource.ID})
		}
	}
	return out, nil
}

// MergeScan makes a provider's control finding (a Security Hub control,
// a Defender for Cloud recommendation, a Security Command Center
// category) and vigil's failed rule that checks the same control on the
// same resource (id compared without case) one finding with both sources. It returns how many findings were
// merged.
func MergeScan(fs []Finding, results []RuleResult) int {
	failed := map[string]bool{}
	for _, r := range results {
		failed[r.RuleID+"\x00"+strings.ToLower(r.ResourceID)] = true
	}
	n := 0
	for i := range fs {
		f := &fs[i]
		if f.VigilRule == "" || !failed[f.VigilRule+"\x00"+strings.ToLower(f.Resource.ID)] {
			continue
		}
		control := f.Type
		if f.Product == Defender { // its type is "recommendation": the recommendation's name says which
			control = f.Title
		}
		f.Sources = []string{string(f.Product) + " " + control, "vigil " + f.VigilRule}
		n++
	}
	return n
}
