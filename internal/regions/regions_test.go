package regions

import (
	"slices"
	"strings"
	"testing"
)

// iso3166 is the ISO 3166-1 alpha-2 list of officially assigned codes.
var iso3166 = strings.Fields(`
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL
BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV
CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD
GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM
IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK
LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW
MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR
PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS
ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY
UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW`)

func TestEveryRowValid(t *testing.T) {
	if len(iso3166) != 249 {
		t.Fatalf("the ISO list has %d codes, want 249", len(iso3166))
	}
	all := All()
	if len(all) < 150 {
		t.Fatalf("%d regions, want the three clouds' lists", len(all))
	}
	seen := map[string]bool{}
	perProvider := map[string]int{}
	for _, r := range all {
		id := r.Provider + "/" + r.Name
		if seen[id] {
			t.Errorf("%s: duplicate", id)
		}
		seen[id] = true
		perProvider[r.Provider]++
		if r.Country != "" && !slices.Contains(iso3166, r.Country) {
			t.Errorf("%s: country %q is not an ISO 3166-1 alpha-2 code", id, r.Country)
		}
		if r.Jurisdiction != "" && !KnownJurisdiction(r.Jurisdiction) {
			t.Errorf("%s: unknown jurisdiction %q", id, r.Jurisdiction)
		}
		if r.Country != "" && JurisdictionOf(r.Country) != r.Jurisdiction {
			t.Errorf("%s: country %s is in %s, row says %s", id, r.Country, JurisdictionOf(r.Country), r.Jurisdiction)
		}
		if !r.Multi() && (r.Country == "" || r.Jurisdiction == "") {
			t.Errorf("%s: a single region needs country and jurisdiction", id)
		}
		// Every row looks up by its name and display name, in any case.
		for _, n := range []string{r.Name, strings.ToUpper(r.Name), r.DisplayName, strings.ToLower(r.DisplayName)} {
			if got, ok := Lookup(strings.ToUpper(r.Provider), n); !ok || got.Name != r.Name {
				t.Errorf("Lookup(%s, %q) = %v %v, want %s", r.Provider, n, got.Name, ok, r.Name)
			}
		}
		if r.Pair != "" {
			p, ok := Lookup(r.Provider, r.Pair)
			if !ok || p.Multi() {
				t.Errorf("%s: pair %s is not a region", id, r.Pair)
			}
		}
		for _, m := range r.Members {
			mr, ok := Lookup(r.Provider, m)
			if !ok || mr.Multi() {
				t.Errorf("%s: member %s is not a region", id, m)
			}
			if r.Jurisdiction != "" && mr.Jurisdiction != r.Jurisdiction {
				t.Errorf("%s: member %s is in %s", id, m, mr.Jurisdiction)
			}
		}
	}
	for _, p := range []string{"aws", "azure", "gcp"} {
		if perProvider[p] < 30 {
			t.Errorf("%s: %d regions", p, perProvider[p])
		}
	}
	// Every jurisdiction is a real code with real countries, no country twice.
	countries := map[string]string{}
	for _, code := range Jurisdictions() {
		j, ok := JurisdictionInfo(code)
		if !ok || j.Name == "" {
			t.Errorf("jurisdiction %s: no info", code)
		}
		for _, c := range j.Countries {
			if !slices.Contains(iso3166, c) {
				t.Errorf("jurisdiction %s: %q is not an ISO code", code, c)
			}
			if prev := countries[c]; prev != "" {
				t.Errorf("country %s in %s and %s", c, prev, code)
			}
			countries[c] = code
		}
	}
	if eu, _ := JurisdictionInfo("EU"); len(eu.Countries) != 27 {
		t.Errorf("EU has %d member states, want 27", len(eu.Countries))
	}
}

// TestPublished spot-checks rows against the providers' published lists.
func TestPublished(t *testing.T) {
	for _, c := range []struct {
		provider, name                  string
		want, country, jurisdiction, pr string
	}{
		{"aws", "eu-west-1", "eu-west-1", "IE", "EU", ""},
		{"aws", "eu-west-2", "eu-west-2", "GB", "UK", ""},
		{"aws", "eu-central-2", "eu-central-2", "CH", "CH", ""},
		{"aws", "us-gov-west-1", "us-gov-west-1", "US", "US", ""},
		{"aws", "cn-northwest-1", "cn-northwest-1", "CN", "CN", ""},
		{"aws", "ap-east-1", "ap-east-1", "HK", "HK", ""},
		{"aws", "Europe (Frankfurt)", "eu-central-1", "DE", "EU", ""},
		{"aws", "us-east-1a", "us-east-1", "US", "US", ""},
		{"aws", "EU", "eu", "IE", "EU", ""}, // S3's legacy constraint for eu-west-1
		{"azure", "westeurope", "westeurope", "NL", "EU", "northeurope"},
		{"azure", "northeurope", "northeurope", "IE", "EU", "westeurope"},
		{"azure", "East US", "eastus", "US", "US", "westus"},
		{"azure", "EASTUS2", "eastus2", "US", "US", "centralus"},
		{"azure", "uksouth", "uksouth", "GB", "UK", "ukwest"},
		{"azure", "norwayeast", "norwayeast", "NO", "EEA", "norwaywest"},
		{"azure", "brazilsouth", "brazilsouth", "BR", "BR", "southcentralus"}, // pair outside the geography
		{"azure", "westus3", "westus3", "US", "US", "eastus"},
		{"azure", "italynorth", "italynorth", "IT", "EU", ""},
		{"gcp", "europe-west1", "europe-west1", "BE", "EU", ""},
		{"gcp", "EUROPE-WEST2", "europe-west2", "GB", "UK", ""},
		{"gcp", "europe-west6", "europe-west6", "CH", "CH", ""},
		{"gcp", "us-central1-a", "us-central1", "US", "US", ""},
		{"gcp", "asia-east1", "asia-east1", "TW", "TW", ""},
		{"gcp", "NAM4", "nam4", "US", "US", ""},
		{"gcp", "US", "us", "US", "US", ""},
		{"gcp", "eur4", "eur4", "", "EU", ""},
		{"gcp", "EUR7", "eur7", "", "", ""},
	} {
		r, ok := Lookup(c.provider, c.name)
		if !ok || r.Name != c.want || r.Country != c.country || r.Jurisdiction != c.jurisdiction || r.Pair != c.pr {
			t.Errorf("Lookup(%s, %q) = %+v %v, want %s %s %s pair %q", c.provider, c.name, r, ok, c.want, c.country, c.jurisdiction, c.pr)
		}
	}
	eu, ok := Lookup("gcp", "EU")
	if !ok || len(eu.Members) < 5 || eu.Jurisdiction != "EU" {
		t.Fatalf("gcp EU = %+v", eu)
	}
	for _, m := range eu.Members {
		if r, _ := Lookup("gcp", m); r.Jurisdiction != "EU" {
			t.Errorf("EU multi-region member %s is in %q", m, r.Jurisdiction)
		}
	}
	if r, _ := Lookup("gcp", "eur5"); !slices.Equal(r.Members, []string{"europe-west1", "europe-west2"}) {
		t.Errorf("EUR5 members %v", r.Members)
	}
	if r, _ := Lookup("gcp", "asia"); r.Jurisdiction != "" || len(r.Members) < 5 {
		t.Errorf("ASIA = %+v, spans jurisdictions", r)
	}
}

func TestUnknown(t *testing.T) {
	for _, c := range [][2]string{
		{"aws", "mars-north-1"}, {"aws", ""}, {"gcp", "westeurope"}, {"azure", "eu-west-1"},
		{"aws", "global"}, {"oracle", "eu-frankfurt-1"},
		{"aws", "us-east-1-bos-1a"}, // a Local Zone is not taken for its parent region
		{"gcp", "eu-b"},             // a zone of a multi-region does not exist
	} {
		if r, ok := Lookup(c[0], c[1]); ok {
			t.Errorf("Lookup(%s, %q) = %+v, want not found", c[0], c[1], r)
		}
	}
	if KnownJurisdiction("XX") || !KnownJurisdiction("eu") {
		t.Error("KnownJurisdiction")
	}
}

// TestImmutable: what callers get is theirs to change.
func TestImmutable(t *testing.T) {
	r, _ := Lookup("gcp", "nam4")
	r.Members[0] = "changed"
	all := All()
	all[0].Country = "XX"
	if r2, _ := Lookup("gcp", "nam4"); r2.Members[0] != "us-central1" {
		t.Error("Lookup shares Members")
	}
	if r2, _ := Lookup("aws", all[0].Name); r2.Country == "XX" {
		t.Error("All shares rows")
	}
}

func TestBadData(t *testing.T) {
	const head = "provider,name,display_name,country,jurisdiction,pair,members\n"
	for name, data := range map[string]string{
		"unknown country":      head + "aws,x-1,X,ZZ,EU,,\n",
		"wrong jurisdiction":   head + "aws,x-1,X,DE,UK,,\n",
		"duplicate":            head + "aws,x-1,X,DE,EU,,\naws,x-1,Y,DE,EU,,\n",
		"duplicate display":    head + "aws,x-1,X,DE,EU,,\naws,x-2,X,DE,EU,,\n",
		"unknown member":       head + "gcp,m,M,DE,EU,,nope\n",
		"pair on aws":          head + "aws,x-1,X,DE,EU,x-2,\naws,x-2,Y,DE,EU,,\n",
		"unknown pair":         head + "azure,a,A,DE,EU,b,\n",
		"upper-case name":      head + "aws,X-1,X,DE,EU,,\n",
		"no country":           head + "aws,x-1,X,,,,\n",
		"multi says wrong":     head + "gcp,a,A,DE,EU,,\ngcp,b,B,FR,EU,,\ngcp,m,M,DE,EU,,a b\n",
		"bad header":           "provider,name\naws,x\n",
		"short row":            head + "aws,x-1,X,DE,EU\n",
		"unknown provider":     head + "oci,x-1,X,DE,EU,,\n",
		"unknown jurisdiction": head + "gcp,a,A,,XX,,\n",
		"no rows":              head,
	} {
		if _, err := parse(data, jurisdictionsCSV); err == nil {
			t.Errorf("%s: parsed", name)
		} else if !strings.Contains(err.Error(), "regions.csv") {
			t.Errorf("%s: error %q does not name the file", name, err)
		}
	}
	if _, err := parse(regionsCSV, "code,name,countries\nEU,EU,DE\nXE,X,DE\n"); err == nil {
		t.Error("a country in two jurisdictions parsed")
	}
}
