package inspector

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	json "github.com/goccy/go-json"

	"github.com/vigil-sec/vigil/internal/findings"
	"github.com/vigil-sec/vigil/internal/resource"
)

// The columns of Inspector's CSV findings report (CreateFindingsReport
// with reportFormat CSV) that vigil reads; the report has more (network
// paths, Lambda layers, EPSS...), kept in the raw record.
const (
	colAccount     = "AWS Account Id"
	colSeverity    = "Severity"
	colFix         = "Fix Available"
	colType        = "Finding Type"
	colTitle       = "Title"
	colDescription = "Description"
	colARN         = "Finding ARN"
	colFirstSeen   = "First Seen"
	colLastSeen    = "Last Seen"
	colUpdated     = "Last Updated"
	colResourceID  = "Resource ID"
	colRegion      = "Region"
	colPackages    = "Affected Packages"
	colInstalled   = "Package Installed Version"
	colFixed       = "Fixed in Version"
	colFilePath    = "File Path"
	colManager     = "Package Manager"
	colScore       = "Inspector Score"
	colStatus      = "Status"
	colVulnID      = "Vulnerability Id"
	colCVSS3       = "NVD CVSS3 Score"
	colCVSS3Vector = "NVD CVSS3 Vector"
	colVendorCVSS3 = "Vendor CVSS3 Score"
	colVendorVec   = "Vendor CVSS3 Vector"
	colResType     = "Resource Type"
	colReferences  = "Reference Urls"
)

// IsCSVReport reports whether data starts with the header line of
// Inspector's CSV findings report (a byte-order mark allowed).
func IsCSVReport(data []byte) bool {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	line, _, _ := bytes.Cut(data, []byte("\n"))
	return bytes.Contains(line, []byte(colARN)) && bytes.Contains(line, []byte(colAccount))
}

// CSVRow is one row of a CSV findings report: its finding, or why it
// could not be read, with its 0-based row (after the header) and byte
// offset.
type CSVRow struct {
	Index, Offset int
	Finding       findings.Finding
	Err           error
}

// ParseCSV reads Inspector's CSV findings report. Each row becomes a
// finding whose raw record is the row as a JSON object keyed by the
// header; a row that cannot be read is returned with its error and the
// rest are read. err is set only when the header itself cannot be read.
func ParseCSV(data []byte) ([]CSVRow, error) { return collectCSV(data, true) }

// ParseCSVWithoutRaw is ParseCSV without the raw records, for an import
// that drops them.
func ParseCSVWithoutRaw(data []byte) ([]CSVRow, error) { return collectCSV(data, false) }

func collectCSV(data []byte, withRaw bool) ([]CSVRow, error) {
	rows := make([]CSVRow, 0, bytes.Count(data, []byte{'\n'})) // a row a line, unless a cell spans lines
	err := ParseCSVEach(data, withRaw, func(r *CSVRow) { rows = append(rows, *r) })
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// ParseCSVEach is ParseCSV (without the raw records unless withRaw)
// handing each row to each as it is read, instead of a slice of every
// row: an import that keeps only the findings then holds them once. The
// row is reused after each returns.
func ParseCSVEach(data []byte, withRaw bool, each func(*CSVRow)) error {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("Inspector CSV report: header: %w", err)
	}
	col := make(map[string]int, len(header))
	for i, h := range header {
		col[strings.TrimSpace(h)] = i
	}
	if _, ok := col[colARN]; !ok {
		return fmt.Errorf("Inspector CSV report: no %q column", colARN)
	}
	order := rawOrder(header)
	var raw []byte
	var row CSVRow
	for idx := 0; ; idx++ {
		off := int(r.InputOffset())
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			row = CSVRow{Index: idx, Offset: off, Err: fmt.Errorf("Inspector CSV report: %w", err)}
			each(&row)
			var pe *csv.ParseError
			if errors.As(err, &pe) && pe.Err != csv.ErrFieldCount {
				return nil // the reader cannot resynchronise after a quoting error
			}
			continue
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		f, err := csvFinding(get)
		if err == nil && withRaw {
			if order != nil {
				raw = rawRow(raw[:0], header, order, rec)
				f.Raw = slices.Clone(raw)
			} else {
				obj := make(map[string]string, len(header))
				for i, h := range header {
					if i < len(rec) && rec[i] != "" {
						obj[h] = rec[i]
					}
				}
				f.Raw, err = json.Marshal(obj)
			}
		}
		row = CSVRow{Index: idx, Offset: off, Finding: f, Err: err}
		each(&row)
	}
}

// rawOrder is the header's columns in the order of their names, as a
// JSON object of the row lists them (a map's keys sorted), or nil when two
// columns share a name (the map keeps the last non-empty).
func rawOrder(header []string) []int {
	order := make([]int, len(header))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(header[a], header[b]) })
	for i := 1; i < len(order); i++ {
		if header[order[i]] == header[order[i-1]] {
			return nil
		}
	}
	return order
}

// rawRow appends the row's raw record, a JSON object of its non-empty
// cells keyed by their column's name, byte for byte what json.Marshal
// writes for that map.
func rawRow(b []byte, header []string, order []int, rec []string) []byte {
	b = append(b, '{')
	first := true
	for _, i := range order {
		if i >= len(rec) || rec[i] == "" {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = findings.AppendJSONString(b, header[i])
		b = append(b, ':')
		b = findings.AppendJSONString(b, rec[i])
	}
	return append(b, '}')
}

// csvResourceTypes maps the report's resource types (written as the API
// names them, or in the console's words) to the inventory's.
var csvResourceTypes = map[string]string{
	"AWS_EC2_INSTANCE": "AWS::EC2::Instance", "AWS_ECR_CONTAINER_IMAGE": "AWS::ECR::Image",
	"AWS_ECR_REPOSITORY": "AWS::ECR::Repository", "AWS_LAMBDA_FUNCTION": "AWS::Lambda::Function",
}

func csvFinding(get func(string) string) (findings.Finding, error) {
	arn := get(colARN)
	if arn == "" {
		return findings.Finding{}, fmt.Errorf("Inspector CSV report: no %s", colARN)
	}
	if f, ok := csvDirect(get); ok {
		return f, nil
	}
	return csvViaRecord(get)
}

// csvDirect maps a row as csvViaRecord does, without making and decoding
// its list-findings record; ok is false for a row whose values that record
// would change (invalid UTF-8, which JSON replaces) or could not hold (a
// score that is not a JSON number): csvViaRecord reads those.
func csvDirect(get func(string) string) (f findings.Finding, ok bool) {
	val := func(name string) string {
		v := get(name)
		if !utf8.ValidString(v) {
			ok = false
		}
		return v
	}
	ok = true
	num := func(name string) (float64, bool) {
		v, err := strconv.ParseFloat(val(name), 64)
		if err != nil {
			return 0, false
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			ok = false
		}
		return v, true
	}
	account := val(colAccount)
	sev, status := strings.ToUpper(val(colSeverity)), strings.ToUpper(val(colStatus))
	f = findings.Finding{
		Product: findings.Inspector, Kind: findings.Threat, ID: val(colARN), Title: val(colTitle), Description: val(colDescription),
		Type: val(colType), OriginalSeverity: sev, OriginalStatus: status,
		FirstSeen: findings.ParseTime(val(colFirstSeen)), LastSeen: findings.ParseTime(findings.First(val(colLastSeen), val(colUpdated))),
		Resource: findings.Resource{Provider: resource.AWS, Account: account},
	}
	var sevOK bool
	if f.Severity, sevOK = findings.SeverityFromName(sev); !sevOK {
		score, _ := num(colScore)
		f.Severity = findings.SeverityFromScore(score)
	} else {
		num(colScore) // a score JSON cannot hold fails the row either way
	}
	switch status {
	case "SUPPRESSED":
		f.Status = findings.Suppressed
	case "CLOSED":
		f.Status = findings.Resolved
	default:
		f.Status = findings.Active
	}
	resType, resID, region := val(colResType), val(colResourceID), val(colRegion)
	f.Resource.Region, f.Resource.ID, f.Resource.Type = region, resID, findings.First(resourceTypes[resType], resType)
	if resType == "AWS_LAMBDA_FUNCTION" && strings.Count(resID, ":") == 7 {
		f.Resource.ID = resID[:strings.LastIndexByte(resID, ':')]
	}
	if resType == "AWS_EC2_INSTANCE" && !strings.HasPrefix(resID, "arn:") {
		f.Resource.Name = resID
		f.Resource.ID = fmt.Sprintf("arn:aws:ec2:%s:%s:instance/%s", region, account, resID)
	}
	if t, ok := csvResourceTypes[resType]; ok {
		f.Resource.Type = t
	}
	if id := val(colVulnID); id != "" || val(colPackages) != "" {
		names, versions, fixed := splitList(val(colPackages)), splitList(val(colInstalled)), splitList(val(colFixed))
		paths, managers := splitList(val(colFilePath)), splitList(val(colManager))
		pkgs := make([]findings.AWSPackage, len(names))
		for i, n := range names {
			pkgs[i] = findings.AWSPackage{Name: n, Version: at(versions, i), FixedInVersion: at(fixed, i), FilePath: at(paths, i), PackageManager: at(managers, i)}
		}
		var cvss []findings.AWSCvss
		for _, c := range [][2]string{{colCVSS3, colCVSS3Vector}, {colVendorCVSS3, colVendorVec}} {
			if v, isNum := num(c[0]); isNum {
				cvss = append(cvss, findings.AWSCvss{Version: "3.1", BaseScore: v, BaseVector: val(c[1])})
			}
		}
		f.Kind = findings.Vulnerability
		f.Vuln = findings.AWSVuln(id, pkgs, cvss, splitList(val(colReferences)), strings.ToUpper(val(colFix)))
	}
	return f, ok
}

// csvViaRecord maps a row by making the list-findings record it stands
// for and reading it with Parse.
func csvViaRecord(get func(string) string) (findings.Finding, error) {
	arn := get(colARN)
	// The CSV row carries the same facts as a list-findings record: build
	// that record and read it with Parse, so both forms map alike.
	rec := map[string]any{
		"findingArn": arn, "awsAccountId": get(colAccount), "title": get(colTitle), "description": get(colDescription),
		"type": get(colType), "severity": strings.ToUpper(get(colSeverity)), "status": strings.ToUpper(get(colStatus)),
		"firstObservedAt": get(colFirstSeen), "lastObservedAt": get(colLastSeen), "updatedAt": get(colUpdated),
		"fixAvailable": strings.ToUpper(get(colFix)),
	}
	if s := get(colScore); s != "" {
		if v, err := strconv.ParseFloat(s, 64); err == nil {
			rec["inspectorScore"] = v
		}
	}
	resType := get(colResType)
	rec["resources"] = []map[string]string{{"id": get(colResourceID), "type": resType, "region": get(colRegion)}}
	if id := get(colVulnID); id != "" || get(colPackages) != "" {
		names, versions, fixed := splitList(get(colPackages)), splitList(get(colInstalled)), splitList(get(colFixed))
		paths, managers := splitList(get(colFilePath)), splitList(get(colManager))
		pkgs := make([]findings.AWSPackage, len(names))
		for i, n := range names {
			pkgs[i] = findings.AWSPackage{Name: n, Version: at(versions, i), FixedInVersion: at(fixed, i), FilePath: at(paths, i), PackageManager: at(managers, i)}
		}
		var cvss []findings.AWSCvss
		for _, c := range [][2]string{{get(colCVSS3), get(colCVSS3Vector)}, {get(colVendorCVSS3), get(colVendorVec)}} {
			if v, err := strconv.ParseFloat(c[0], 64); err == nil {
				cvss = append(cvss, findings.AWSCvss{Version: "3.1", BaseScore: v, BaseVector: c[1]})
			}
		}
		rec["packageVulnerabilityDetails"] = map[string]any{
			"vulnerabilityId": id, "vulnerablePackages": pkgs, "cvss": cvss, "referenceUrls": splitList(get(colReferences)),
		}
	}
	b, err := json.Marshal(rec)
	if err != nil {
		return findings.Finding{}, err
	}
	f, err := Parse(b, findings.Copy)
	if err != nil {
		return f, err
	}
	f.Resource.Provider = resource.AWS
	if t, ok := csvResourceTypes[resType]; ok {
		f.Resource.Type = t
	}
	return f, nil
}

// splitList splits a cell listing several values (the report joins a
// finding's packages, versions and URLs with commas).
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func at(ss []string, i int) string {
	if i < len(ss) {
		return ss[i]
	}
	return ""
}
