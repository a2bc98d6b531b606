package compliance

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// Catalogue is the full control list of a benchmark, so that controls no
// rule covers can be reported as "manual / not covered".
type Catalogue struct {
	// Framework is the framework key, e.g. cis-aws-7.0.
	Framework string
	Name      string
	Controls  []CatalogueControl
}

// CatalogueControl is one control of a catalogue.
type CatalogueControl struct {
	ID         string
	Title      string
	Assessment string // Automated or Manual
	Profile    string // Level 1 / Level 2
	Section    string
}

// catalogueFile matches the CIS catalogue file names: cis_7.0_aws.tsv.
var catalogueFile = regexp.MustCompile(`^cis_([0-9]+\.[0-9]+)_(aws|azure|gcp)\.tsv$`)

// LoadCatalogue reads a CIS benchmark control list in the TSV form
// "control_id, title, assessment, prowler_checks, profile, section" (header
// row first). The framework key is derived from the file name
// (cis_7.0_aws.tsv -> cis-aws-7.0); use ReadCatalogue to name it yourself.
func LoadCatalogue(path string) (*Catalogue, error) {
	m := catalogueFile.FindStringSubmatch(filepath.Base(path))
	if m == nil {
		return nil, fmt.Errorf("catalogue %s: file name is not of the form cis_<version>_<aws|azure|gcp>.tsv", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("catalogue: %w", err)
	}
	defer f.Close()
	return ReadCatalogue("cis-"+m[2]+"-"+m[1], path, f)
}

// ReadCatalogue reads a catalogue TSV for framework from r; name is used in
// error messages. Lines starting with # are comments. Columns are found by their header names; control_id and
// title are required.
func ReadCatalogue(framework, name string, r io.Reader) (*Catalogue, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	cat := &Catalogue{Framework: framework, Name: FrameworkName(framework)}
	col := map[string]int{}
	line := 0
	seen := map[string]int{}
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue // blank lines and comments (a catalogue's source)
		}
		fields := strings.Split(text, "\t")
		if len(col) == 0 {
			for i, h := range fields {
				col[strings.ToLower(strings.TrimSpace(h))] = i
			}
			if _, ok := col["control_id"]; !ok {
				return nil, fmt.Errorf("%s:%d: header has no control_id column", name, line)
			}
			if _, ok := col["title"]; !ok {
				return nil, fmt.Errorf("%s:%d: header has no title column", name, line)
			}
			continue
		}
		get := func(k string) string {
			i, ok := col[k]
			if !ok || i >= len(fields) {
				return ""
			}
			return strings.TrimSpace(fields[i])
		}
		c := CatalogueControl{ID: get("control_id"), Title: get("title"), Assessment: get("assessment"),
			Profile: get("profile"), Section: get("section")}
		if c.ID == "" {
			return nil, fmt.Errorf("%s:%d: empty control_id", name, line)
		}
		if prev, dup := seen[c.ID]; dup {
			return nil, fmt.Errorf("%s:%d: control %s already listed on line %d", name, line, c.ID, prev)
		}
		seen[c.ID] = line
		cat.Controls = append(cat.Controls, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", name, line+1, err)
	}
	if len(col) == 0 {
		return nil, fmt.Errorf("%s: empty catalogue", name)
	}
	return cat, nil
}
