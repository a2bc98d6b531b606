package findings

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

// productNames are the names a product is given on the command line
// (compared without case, spaces or dashes).
var productNames = []struct {
	name    string
	product Product
}{
	{"guardduty", GuardDuty},
	{"securityhub", SecurityHub},
	{"inspector", Inspector},
	{"inspector2", Inspector},
	{"defender", Defender},
	{"defenderforcloud", Defender},
	{"scc", SCC},
	{"securitycommandcenter", SCC},
	{"artifact", ArtifactAnalysis},
	{"artifactanalysis", ArtifactAnalysis},
	{"containeranalysis", ArtifactAnalysis},
}

// ParseProduct reads a product name: "guardduty", "Security Hub",
// "defender", "scc", "artifact-analysis"...
func ParseProduct(s string) (Product, error) {
	k := strings.NewReplacer(" ", "", "-", "", "_", "").Replace(strings.ToLower(strings.TrimSpace(s)))
	for _, p := range productNames {
		if p.name == k {
			return p.product, nil
		}
	}
	return "", fmt.Errorf("unknown product %q (want guardduty, securityhub, inspector, defender, scc or artifact)", s)
}

// ParseStatus reads a status name.
func ParseStatus(s string) (Status, error) {
	st := Status(strings.ToLower(strings.TrimSpace(s)))
	if st != Active && st != Suppressed && st != Resolved {
		return "", fmt.Errorf("unknown status %q (want active, suppressed or resolved)", s)
	}
	return st, nil
}

// Filter selects findings; an empty field selects all.
type Filter struct {
	Products    []Product
	Providers   []resource.Provider
	Accounts    []string
	Statuses    []Status
	MinSeverity finding.Severity
}

// Match reports whether f passes the filter.
func (flt *Filter) Match(f *Finding) bool {
	return (len(flt.Products) == 0 || slices.Contains(flt.Products, f.Product)) &&
		(len(flt.Providers) == 0 || slices.Contains(flt.Providers, f.Resource.Provider)) &&
		(len(flt.Accounts) == 0 || slices.Contains(flt.Accounts, f.Resource.Account)) &&
		(len(flt.Statuses) == 0 || slices.Contains(flt.Statuses, f.Status)) &&
		f.Severity.Rank() >= flt.MinSeverity.Rank()
}

// Apply keeps the findings that pass the filter, in place.
func (flt *Filter) Apply(fs []Finding) []Finding {
	n := 0
	for i := range fs {
		if flt.Match(&fs[i]) {
			if n != i {
				fs[n] = fs[i]
			}
			n++
		}
	}
	clear(fs[n:]) // as slices.DeleteFunc: the dropped findings' memory is not kept
	return fs[:n]
}
