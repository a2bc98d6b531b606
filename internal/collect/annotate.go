package collect

import (
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/internal/finding"
)

// Annotate names, in each UNKNOWN finding's message, the failed calls that
// explain it: the calls about its resource, else the list calls that
// failed in its account and region (or globally in its account). A live
// scan calls it so a reader learns which permission or outage left a check
// undecided. Findings are changed in place.
func Annotate(fs []finding.Finding, failures []Failure) {
	if len(failures) == 0 {
		return
	}
	type scope struct{ cloud, account, region string }
	byResource := map[string][]Failure{}
	byScope := map[scope][]Failure{}
	for _, f := range failures {
		if f.Resource != "" {
			byResource[f.Resource] = append(byResource[f.Resource], f)
			continue
		}
		byScope[scope{f.Cloud, f.Account, f.Region}] = append(byScope[scope{f.Cloud, f.Account, f.Region}], f)
	}
	for i := range fs {
		f := &fs[i]
		if f.Status != finding.Unknown {
			continue
		}
		r := f.Resource
		why := byResource[r.ID]
		if len(why) == 0 && r.Name != "" {
			why = byResource[r.Name]
		}
		if len(why) == 0 {
			cloud := string(r.Provider)
			why = append(byScope[scope{cloud, r.Account, r.Region}], byScope[scope{cloud, r.Account, ""}]...)
			if r.Region != "global" {
				why = append(why, byScope[scope{cloud, r.Account, "global"}]...)
			}
		}
		if len(why) == 0 {
			continue
		}
		f.Message = joinMessage(f.Message, "not collected: "+describe(why))
	}
}

// describe lists at most three failed calls, then how many more.
func describe(fs []Failure) string {
	seen := map[string]bool{}
	var parts []string
	more := 0
	for _, f := range fs {
		s := f.Call + " (" + string(f.Kind) + ")"
		if seen[s] {
			continue
		}
		seen[s] = true
		if len(parts) == 3 {
			more++
			continue
		}
		parts = append(parts, s)
	}
	out := strings.Join(parts, ", ")
	if more > 0 {
		out += ", and " + strconv.Itoa(more) + " more"
	}
	return out
}

func joinMessage(msg, add string) string {
	if msg == "" {
		return add
	}
	return strings.TrimRight(msg, ". ") + "; " + add
}
