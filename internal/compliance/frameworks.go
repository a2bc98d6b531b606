package compliance

import (
	"bufio"
	"embed"
	"fmt"
	"sort"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// catalogueFS holds the framework catalogues vigil ships (see
// catalogues/NOTICE.md for their sources and licences).
//
//go:embed catalogues/*.tsv
var catalogueFS embed.FS

// FrameworkInfo describes a framework vigil can report on.
type FrameworkInfo struct {
	Key  string `json:"key"`
	Name string `json:"name"`
	// Provider is set for a cloud's own benchmark (CIS): only that cloud's
	// resources count towards it.
	Provider resource.Provider `json:"provider,omitempty"`
	// Builtin is true when vigil ships the framework's control catalogue;
	// false for the licensed CIS benchmarks (give them with --catalogue).
	Builtin bool `json:"builtin_catalogue"`
	// Controls counts the shipped catalogue's controls (0 without one).
	Controls int `json:"controls"`
	// Source names where the catalogue's IDs and titles come from.
	Source string `json:"source,omitempty"`
}

// reportFrameworks are the cloud frameworks vigil compliance reports on, in
// the order --list prints them.
var reportFrameworks = []string{
	"cis-aws-7.0", "cis-azure-6.0", "cis-gcp-5.0",
	"soc2", "iso27001-2022", "gdpr", "hipaa", "pci-dss-4.0", "nist-800-53-r5", "nist-csf-2.0",
}

// manifestFrameworks are the Kubernetes manifest frameworks rules may name;
// vigil iac reports them, vigil compliance (cloud inventories) does not.
var manifestFrameworks = []string{"cis-kubernetes-1.10", "pss-baseline", "pss-restricted"}

// Frameworks lists the frameworks vigil can report on, with their shipped
// catalogues' sizes and sources.
func Frameworks() []FrameworkInfo {
	out := make([]FrameworkInfo, 0, len(reportFrameworks))
	for _, k := range reportFrameworks {
		fi := FrameworkInfo{Key: k, Name: FrameworkName(k), Provider: cisProvider(k)}
		if cat, src, err := builtin(k); err == nil && cat != nil {
			fi.Builtin, fi.Controls, fi.Source = true, len(cat.Controls), src
		}
		out = append(out, fi)
	}
	return out
}

// KnownFramework reports whether key names a framework vigil reports on.
func KnownFramework(key string) bool {
	for _, k := range reportFrameworks {
		if k == key {
			return true
		}
	}
	return false
}

// FrameworkKeys returns the keys of the frameworks vigil reports on.
func FrameworkKeys() []string { return append([]string(nil), reportFrameworks...) }

// BuiltinCatalogue returns the catalogue vigil ships for a framework, or
// nil (and no error) when it ships none (the CIS benchmarks).
func BuiltinCatalogue(key string) (*Catalogue, error) {
	cat, _, err := builtin(key)
	return cat, err
}

// builtin reads the shipped catalogue of key and its "# vigil-source:" line.
func builtin(key string) (*Catalogue, string, error) {
	name := "catalogues/" + key + ".tsv"
	data, err := catalogueFS.ReadFile(name)
	if err != nil {
		return nil, "", nil // none shipped
	}
	cat, err := ReadCatalogue(key, name, strings.NewReader(string(data)))
	if err != nil {
		return nil, "", err
	}
	src := ""
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "# vigil-source:"); ok {
			src = strings.TrimSpace(v)
			break
		}
	}
	return cat, src, nil
}

// cisProvider returns the cloud of a CIS cloud benchmark key, or "".
func cisProvider(key string) resource.Provider {
	for _, p := range []resource.Provider{"aws", "azure", "gcp"} {
		if strings.HasPrefix(key, "cis-"+string(p)+"-") {
			return p
		}
	}
	return ""
}

// CheckMappings checks the framework references of rules against the
// shipped catalogues: every framework key must be known, and every control
// a rule names must exist in its framework's shipped catalogue (frameworks
// without one, the CIS benchmarks, are checked against extra catalogues
// when given). It returns one error line per problem, sorted.
func CheckMappings(rules []Rule, extra ...*Catalogue) []string {
	ids := map[string]map[string]bool{}
	for _, k := range reportFrameworks {
		if cat, _, err := builtin(k); err == nil && cat != nil {
			ids[k] = cat.IDs()
		}
	}
	for _, c := range extra {
		if c != nil {
			ids[c.Framework] = c.IDs()
		}
	}
	var problems []string
	for _, r := range rules {
		for fw, ctrls := range r.Frameworks {
			if !KnownFramework(fw) && !contains(manifestFrameworks, fw) {
				problems = append(problems, fmt.Sprintf("rule %s: unknown framework key %q", r.ID, fw))
				continue
			}
			known := ids[fw]
			if known == nil {
				continue
			}
			for _, c := range ctrls {
				if !known[c] {
					problems = append(problems, fmt.Sprintf("rule %s: %s has no control %q", r.ID, fw, c))
				}
			}
		}
	}
	sort.Strings(problems)
	return problems
}

// IDs returns the set of the catalogue's control IDs.
func (c *Catalogue) IDs() map[string]bool {
	m := make(map[string]bool, len(c.Controls))
	for _, cc := range c.Controls {
		m[cc.ID] = true
	}
	return m
}
