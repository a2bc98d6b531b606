package attack

import (
	"strings"
	"testing"
)

// TestShippedCatalog: the embedded list parses, names its version and
// source, and holds the cloud techniques vigil's rules are about.
func TestShippedCatalog(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.Version, "ATT&CK Enterprise v") || !strings.Contains(c.Source, "enterprise-attack") {
		t.Errorf("version %q, source %q", c.Version, c.Source)
	}
	for id, want := range map[string]string{
		"T1098.001": "Additional Cloud Credentials",
		"T1562.008": "Disable or Modify Cloud Logs",
		"T1580":     "Cloud Infrastructure Discovery",
		"T1110.003": "Password Spraying",
	} {
		tech, ok := c.Lookup(id)
		if !ok || tech.Name != want {
			t.Errorf("%s: %+v, %v; want %q", id, tech, ok, want)
		}
	}
	iaas := c.OnPlatform("IaaS")
	idp := c.OnPlatform("Azure AD")
	if len(iaas) < 90 || len(idp) < 40 {
		t.Errorf("%d IaaS and %d Azure AD (Identity Provider) entries, want the full v15 lists (94 and 47)", len(iaas), len(idp))
	}
	for _, tech := range c.Techniques {
		if p := tech.Parent(); p != "" && !strings.HasPrefix(tech.ID, p+".") {
			t.Errorf("%s: parent %s", tech.ID, p)
		}
	}
}

func TestParseRejects(t *testing.T) {
	for name, in := range map[string]string{
		"no version": "# source: x\nT1078\tValid Accounts\tinitial-access\tIaaS\n",
		"bad id":     "# version: v\n# source: s\nT10780\tValid Accounts\tinitial-access\tIaaS\n",
		"lower id":   "# version: v\n# source: s\nt1078\tValid Accounts\tinitial-access\tIaaS\n",
		"fields":     "# version: v\n# source: s\nT1078\tValid Accounts\n",
		"duplicate":  "# version: v\n# source: s\nT1078\tA\tx\tIaaS\nT1078\tA\tx\tIaaS\n",
		"empty":      "# version: v\n# source: s\n",
		"no tactic":  "# version: v\n# source: s\nT1078\tValid Accounts\t\tIaaS\n",
	} {
		if _, err := Parse(strings.NewReader(in)); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
}

// FuzzParse: Parse never panics, and what it accepts has a version, a
// source and well-formed ids.
func FuzzParse(f *testing.F) {
	f.Add(enterpriseCloud)
	f.Add("# version: v\n# source: s\nT1078\tValid Accounts\tinitial-access\tIaaS\n")
	f.Add("# version: v\n# source: s\nT1078.004\tCloud Accounts\tpersistence,initial-access\t-\n")
	f.Fuzz(func(t *testing.T, in string) {
		c, err := Parse(strings.NewReader(in))
		if err != nil {
			return
		}
		if c.Version == "" || c.Source == "" || len(c.Techniques) == 0 {
			t.Fatalf("accepted without version, source or techniques: %q", in)
		}
		for _, tech := range c.Techniques {
			if !IsID(tech.ID) {
				t.Fatalf("accepted id %q", tech.ID)
			}
		}
	})
}
