package regions

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
)

//go:embed regions.csv
var regionsCSV string

//go:embed jurisdictions.csv
var jurisdictionsCSV string

// Region is one row of the table.
type Region struct {
	// Provider is "aws", "azure" or "gcp".
	Provider string `json:"provider"`
	// Name is the region code as the cloud spells it in APIs, lower case
	// (eu-west-1, westeurope, europe-west1, eu, nam4).
	Name string `json:"name"`
	// DisplayName is the provider's human name (Europe (Ireland), West
	// Europe, "St. Ghislain, Belgium").
	DisplayName string `json:"display_name"`
	// Country is the ISO 3166-1 alpha-2 code of the country the region is
	// in; "" for a multi-region spanning several countries.
	Country string `json:"country,omitempty"`
	// Jurisdiction is the legal area (a code of Jurisdictions: EU, UK, US,
	// ...); "" for a multi-region spanning several.
	Jurisdiction string `json:"jurisdiction,omitempty"`
	// Pair is an Azure region's paired region, where geo-redundant
	// storage (GRS, GZRS, RA-GRS) keeps its secondary copy; "" when the
	// region has no pair.
	Pair string `json:"pair,omitempty"`
	// Members are the regions a multi-region, dual-region or logical
	// geography stores data in; nil for a single region. Callers must not
	// modify it.
	Members []string `json:"members,omitempty"`
}

// Multi reports whether r stands for several regions (a multi-region,
// dual-region or logical geography).
func (r Region) Multi() bool { return len(r.Members) > 0 }

// Jurisdiction is one jurisdiction code of the table.
type Jurisdiction struct {
	Code      string   `json:"code"`
	Name      string   `json:"name"`
	Countries []string `json:"countries"`
}

type key struct{ provider, name string }

type table struct {
	rows          []Region
	index         map[key]int // lower-case provider and name or display name
	jurisdictions []Jurisdiction
	byCode        map[string]int
	byCountry     map[string]string // country -> jurisdiction code
}

var load = sync.OnceValue(func() *table {
	t, err := parse(regionsCSV, jurisdictionsCSV)
	if err != nil {
		// The data is embedded and tested: a bad row is a build defect.
		panic("regions: " + err.Error())
	}
	return t
})

// Lookup returns the region a provider ("aws", "azure", "gcp") names name,
// case-insensitively: the code (eu-west-1, westeurope, EUROPE-WEST1, EU,
// nam4) or the display name (East US, Europe (Ireland)). An availability
// zone is looked up as its region (us-east-1a, europe-west1-b; AWS Local
// and Wavelength Zones are not, their country may differ from the parent
// region's). false when the table does not know it.
func Lookup(provider, name string) (Region, bool) {
	t := load()
	i, ok := t.find(provider, name)
	if !ok {
		return Region{}, false
	}
	r := t.rows[i]
	r.Members = slices.Clone(r.Members)
	return r, true
}

func (t *table) find(provider, name string) (int, bool) {
	p, n := strings.ToLower(provider), strings.ToLower(strings.TrimSpace(name))
	if i, ok := t.index[key{p, n}]; ok {
		return i, true
	}
	if z := zoneRegion(p, n); z != "" {
		if i, ok := t.index[key{p, z}]; ok && !t.rows[i].Multi() {
			return i, true
		}
	}
	return 0, false
}

// zoneRegion returns the region of an availability zone name: AWS
// us-east-1a (region and one letter), GCP europe-west1-b (region, dash,
// one letter); "" when name is not one.
func zoneRegion(provider, name string) string {
	n := len(name)
	if n < 3 {
		return ""
	}
	last := name[n-1]
	if last < 'a' || last > 'z' {
		return ""
	}
	switch provider {
	case "aws":
		if c := name[n-2]; c >= '0' && c <= '9' {
			return name[:n-1]
		}
	case "gcp":
		if name[n-2] == '-' {
			return name[:n-2]
		}
	}
	return ""
}

// All returns every region of the table, in the order of the data file
// (AWS, Azure, GCP).
func All() []Region {
	t := load()
	out := make([]Region, len(t.rows))
	for i, r := range t.rows {
		r.Members = slices.Clone(r.Members)
		out[i] = r
	}
	return out
}

// KnownJurisdiction reports whether j is a jurisdiction code of the table
// (case-insensitive).
func KnownJurisdiction(j string) bool {
	_, ok := load().byCode[strings.ToUpper(j)]
	return ok
}

// Jurisdictions returns the jurisdiction codes, in the order of the data
// file (EU, EEA, UK, CH, US, ...).
func Jurisdictions() []string {
	t := load()
	out := make([]string, len(t.jurisdictions))
	for i, j := range t.jurisdictions {
		out[i] = j.Code
	}
	return out
}

// JurisdictionInfo returns a jurisdiction's name and member countries.
func JurisdictionInfo(code string) (Jurisdiction, bool) {
	t := load()
	i, ok := t.byCode[strings.ToUpper(code)]
	if !ok {
		return Jurisdiction{}, false
	}
	j := t.jurisdictions[i]
	j.Countries = slices.Clone(j.Countries)
	return j, true
}

// JurisdictionOf returns the jurisdiction of a country (ISO 3166-1
// alpha-2), "" when the table has none for it.
func JurisdictionOf(country string) string {
	return load().byCountry[strings.ToUpper(country)]
}

// parse reads the two data files. Lines starting with # are comments.
func parse(regionsData, jurisdictionsData string) (*table, error) {
	t := &table{index: map[key]int{}, byCode: map[string]int{}, byCountry: map[string]string{}}
	jrows, err := readCSV("jurisdictions.csv", jurisdictionsData, []string{"code", "name", "countries"})
	if err != nil {
		return nil, err
	}
	for _, row := range jrows {
		j := Jurisdiction{Code: row.f[0], Name: row.f[1], Countries: strings.Fields(row.f[2])}
		if j.Code == "" || j.Code != strings.ToUpper(j.Code) || len(j.Countries) == 0 {
			return nil, fmt.Errorf("jurisdictions.csv:%d: a code in upper case and its countries are required", row.line)
		}
		if _, dup := t.byCode[j.Code]; dup {
			return nil, fmt.Errorf("jurisdictions.csv:%d: duplicate jurisdiction %s", row.line, j.Code)
		}
		for _, c := range j.Countries {
			if prev, dup := t.byCountry[c]; dup {
				return nil, fmt.Errorf("jurisdictions.csv:%d: country %s already in %s", row.line, c, prev)
			}
			t.byCountry[c] = j.Code
		}
		t.byCode[j.Code] = len(t.jurisdictions)
		t.jurisdictions = append(t.jurisdictions, j)
	}
	rrows, err := readCSV("regions.csv", regionsData, []string{"provider", "name", "display_name", "country", "jurisdiction", "pair", "members"})
	if err != nil {
		return nil, err
	}
	for _, row := range rrows {
		f := row.f
		r := Region{Provider: f[0], Name: f[1], DisplayName: f[2], Country: f[3], Jurisdiction: f[4], Pair: f[5]}
		if m := strings.Fields(f[6]); len(m) > 0 {
			r.Members = slices.Clip(m)
		}
		if err := t.check(r); err != nil {
			return nil, fmt.Errorf("regions.csv:%d: %s %s: %w", row.line, r.Provider, r.Name, err)
		}
		i := len(t.rows)
		t.rows = append(t.rows, r)
		for _, n := range []string{r.Name, r.DisplayName} {
			k := key{r.Provider, strings.ToLower(n)}
			if j, dup := t.index[k]; dup && j != i {
				return nil, fmt.Errorf("regions.csv:%d: %s %q already names %s", row.line, r.Provider, n, t.rows[j].Name)
			}
			t.index[k] = i
		}
	}
	// References (pairs, members) once every row is known.
	for _, r := range t.rows {
		if r.Pair != "" {
			if i, ok := t.index[key{r.Provider, r.Pair}]; !ok || t.rows[i].Multi() {
				return nil, fmt.Errorf("regions.csv: %s %s: pair %s is not a region of the table", r.Provider, r.Name, r.Pair)
			}
		}
		for _, m := range r.Members {
			if i, ok := t.index[key{r.Provider, m}]; !ok || t.rows[i].Multi() {
				return nil, fmt.Errorf("regions.csv: %s %s: member %s is not a region of the table", r.Provider, r.Name, m)
			}
		}
		if r.Multi() {
			if c, j := t.common(r); c != r.Country || j != r.Jurisdiction {
				return nil, fmt.Errorf("regions.csv: %s %s: members give country %q jurisdiction %q, the row says %q %q", r.Provider, r.Name, c, j, r.Country, r.Jurisdiction)
			}
		}
	}
	return t, nil
}

// check validates one row on its own.
func (t *table) check(r Region) error {
	switch r.Provider {
	case "aws", "azure", "gcp":
	default:
		return fmt.Errorf("unknown provider")
	}
	if r.Name == "" || r.Name != strings.ToLower(r.Name) || strings.ContainsAny(r.Name, " \t") {
		return fmt.Errorf("the name must be a lower-case code")
	}
	if r.DisplayName == "" {
		return fmt.Errorf("no display name")
	}
	if r.Country != "" {
		j, ok := t.byCountry[r.Country]
		if !ok {
			return fmt.Errorf("country %q is in no jurisdiction of jurisdictions.csv", r.Country)
		}
		if r.Jurisdiction != j {
			return fmt.Errorf("country %s is in jurisdiction %s, the row says %q", r.Country, j, r.Jurisdiction)
		}
	}
	if r.Jurisdiction != "" {
		if _, ok := t.byCode[r.Jurisdiction]; !ok {
			return fmt.Errorf("unknown jurisdiction %q", r.Jurisdiction)
		}
	}
	if !r.Multi() && r.Country == "" {
		return fmt.Errorf("a single region needs its country")
	}
	if r.Pair != "" && (r.Provider != "azure" || r.Multi()) {
		return fmt.Errorf("only an Azure region has a pair")
	}
	return nil
}

// common returns the country and jurisdiction all of r's members share,
// "" for either when they differ.
func (t *table) common(r Region) (country, jurisdiction string) {
	for i, m := range r.Members {
		mr := t.rows[t.index[key{r.Provider, m}]]
		if i == 0 {
			country, jurisdiction = mr.Country, mr.Jurisdiction
			continue
		}
		if mr.Country != country {
			country = ""
		}
		if mr.Jurisdiction != jurisdiction {
			jurisdiction = ""
		}
	}
	return country, jurisdiction
}

type csvRow struct {
	line int
	f    []string
}

func readCSV(file, data string, header []string) ([]csvRow, error) {
	cr := csv.NewReader(strings.NewReader(data))
	cr.Comment = '#'
	cr.FieldsPerRecord = len(header)
	var rows []csvRow
	first := true
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		line, _ := cr.FieldPos(0)
		if first {
			first = false
			if !slices.Equal(rec, header) {
				return nil, fmt.Errorf("%s:%d: header %v, want %v", file, line, rec, header)
			}
			continue
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		rows = append(rows, csvRow{line: line, f: rec})
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: no rows", file)
	}
	return rows, nil
}
