package load

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/vigil-sec/vigil/internal/findings"
	"github.com/vigil-sec/vigil/internal/findings/artifact"
	"github.com/vigil-sec/vigil/internal/findings/defender"
	"github.com/vigil-sec/vigil/internal/findings/guardduty"
	"github.com/vigil-sec/vigil/internal/findings/inspector"
	"github.com/vigil-sec/vigil/internal/findings/scc"
	"github.com/vigil-sec/vigil/internal/findings/securityhub"
)

// Problem is an input that could not be read: a file, or one record of it.
type Problem struct {
	File string
	// Index is the record's 0-based position in the file, -1 for the
	// file as a whole.
	Index int
	// Offset is the record's (or the error's) byte offset in the file
	// (after decompression).
	Offset int
	Err    error
}

func (p Problem) Error() string {
	if p.Index < 0 {
		return fmt.Sprintf("%s: byte %d: %v", p.File, p.Offset, p.Err)
	}
	return fmt.Sprintf("%s: record %d (byte %d): %v", p.File, p.Index, p.Offset, p.Err)
}

func (p Problem) Unwrap() error { return p.Err }

// Result is what an import read.
type Result struct {
	Findings []findings.Finding
	Problems []Problem
	// Files counts the files read; Unrecognised lists those in which no
	// record was a finding of a known format.
	Files        int
	Unrecognised []string
	// Skipped counts records of no known finding format (another
	// securityresources type, a non-vulnerability occurrence, an event of
	// another detail-type).
	Skipped int
}

// Option changes how Files reads.
type Option func(*options)

type options struct{ dropRaw bool }

// WithoutRaw drops each finding's raw record once it is read, so that a
// file's content is not kept: for outputs that do not carry the record
// (a table, CSV, counts), it saves about the input's size in memory.
func WithoutRaw() Option { return func(o *options) { o.dropRaw = true } }

// Files reads every file under paths (directories recursively).
func Files(ctx context.Context, paths []string, opts ...Option) (*Result, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	res := &Result{}
	// Each file's findings are kept apart and joined once at the end:
	// growing one slice file after file copies it again for every file.
	var perFile [][]findings.Finding
	defer func() {
		n := len(res.Findings)
		for _, fs := range perFile {
			n += len(fs)
		}
		all := make([]findings.Finding, 0, n)
		all = append(all, res.Findings...)
		for _, fs := range perFile {
			all = append(all, fs...)
		}
		res.Findings = all
	}()
	for _, p := range paths {
		err := filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if d.IsDir() || !d.Type().IsRegular() {
				return nil
			}
			data, err := readFile(path)
			res.Files++
			if err != nil {
				res.Problems = append(res.Problems, Problem{File: path, Index: -1, Err: err})
				return nil
			}
			file := &Result{}
			read(file, path, data)
			if o.dropRaw {
				for i := range file.Findings {
					file.Findings[i].Raw = nil
				}
			}
			if len(file.Findings) == 0 {
				res.Unrecognised = append(res.Unrecognised, path)
			}
			perFile = append(perFile, file.Findings)
			res.Problems = append(res.Problems, file.Problems...)
			res.Skipped += file.Skipped
			return nil
		})
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

// readFile reads a file, decompressing gzip (recognised by its magic).
func readFile(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(data) > 2 && data[0] == 0x1f && data[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		if data, err = io.ReadAll(zr); err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
	}
	return data, nil
}

// span is one record's extent in a file and its position.
type span struct{ start, end, index int }

// containers are the keys under which CLI and API results list records:
// Findings (GuardDuty, Security Hub), findings (Inspector), data (Resource
// Graph via az graph query / REST), value (ARM REST lists),
// listFindingsResults (SCC), occurrences (Container Analysis).
var containers = []string{"findings", "data", "value", "listfindingsresults", "occurrences"}

// Data reads the records of one file's content. Findings keep sub-slices
// of data as their Raw record.
func Data(file string, data []byte) *Result {
	res := &Result{}
	read(res, file, data)
	return res
}

// read adds what one file's content holds to res.
func read(res *Result, file string, data []byte) {
	var spans []span
	i := skipSpace(data, 0)
	if i < len(data) && data[i] != '{' && data[i] != '[' {
		if inspector.IsCSVReport(data) {
			readInspectorCSV(res, file, data)
		}
		return // not JSON and no CSV report: not a findings export (Files lists it as unrecognised)
	}
	n := 0
	var structural *Problem
	add := func(s, e int) { spans = append(spans, span{s, e, n}); n++ }
	for i < len(data) {
		var end int
		var err error
		switch data[i] {
		case '[':
			end, err = elements(data, i, add)
		case '{':
			container := false
			end, err = members(data, i, func(key []byte, s int) (int, bool, error) {
				if !container && s < len(data) && data[s] == '[' && isContainer(key) {
					container = true
					e, err := elements(data, s, add)
					return e, false, err
				}
				e, err := skipValue(data, s)
				return e, false, err
			})
			if !container && err == nil {
				add(i, end)
			}
		default:
			err = &syntaxError{i, fmt.Sprintf("invalid character %q", data[i])}
		}
		if err != nil {
			off := i
			var se *syntaxError
			if errors.As(err, &se) {
				off = se.Offset
			}
			structural = &Problem{File: file, Index: -1, Offset: off, Err: err}
			break
		}
		i = skipSpace(data, end) // JSON lines: the next document
	}
	parse(file, data, spans, res)
	if structural != nil {
		res.Problems = append(res.Problems, *structural)
	}
}

// readInspectorCSV adds the rows of Inspector's CSV findings report.
func readInspectorCSV(res *Result, file string, data []byte) {
	rows, err := inspector.ParseCSV(data)
	if err != nil {
		res.Problems = append(res.Problems, Problem{File: file, Index: -1, Err: err})
		return
	}
	for _, r := range rows {
		if r.Err != nil {
			res.Problems = append(res.Problems, Problem{File: file, Index: r.Index, Offset: r.Offset, Err: r.Err})
			continue
		}
		r.Finding.Source = findings.Source{File: file, Index: r.Index}
		res.Findings = append(res.Findings, r.Finding)
	}
}

func isContainer(key []byte) bool {
	for _, c := range containers {
		if len(key) == len(c) && strings.EqualFold(string(key), c) {
			return true
		}
	}
	return false
}

// parsed is the outcome of one record: a finding, or more (a Security Hub
// event carries several), an error, or a record of no finding format.
type parsed struct {
	more    []findings.Finding
	err     error
	found   bool
	skipped bool
}

// parse decodes the records in parallel into res, keeping their order.
func parse(file string, data []byte, spans []span, res *Result) {
	out := make([]findings.Finding, len(spans))
	st := make([]parsed, len(spans))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(spans)/64))
	var wg sync.WaitGroup
	chunk := (len(spans) + workers - 1) / workers // contiguous: no two cores write one cache line
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := w * chunk; k < min((w+1)*chunk, len(spans)); k++ {
				st[k] = record(data[spans[k].start:spans[k].end], &out[k])
			}
		}()
	}
	wg.Wait()
	n := 0 // out is compacted in place: found findings first, in order
	for k := range st {
		p := &st[k]
		switch {
		case p.err != nil:
			res.Problems = append(res.Problems, Problem{File: file, Index: spans[k].index, Offset: spans[k].start, Err: p.err})
		case p.skipped:
			res.Skipped++
		}
		if p.found {
			out[k].Source = findings.Source{File: file, Index: spans[k].index}
			out[n] = out[k]
			n++
		}
	}
	fs := out[:n]
	for k := range st {
		for _, f := range st[k].more {
			f.Source = findings.Source{File: file, Index: spans[k].index}
			fs = append(fs, f)
		}
	}
	if res.Findings == nil {
		res.Findings = fs
	} else {
		res.Findings = append(res.Findings, fs...)
	}
}

// The top-level keys that recognising a record looks at.
const (
	kDetailType = 1 << iota
	kDetail
	kProductArn
	kSchemaVersion
	kGeneratorID
	kFindingArn
	kService
	kResource
	kType
	kArn
	kID
	kFinding
	kKind
	kVulnerability
	kSystemAlertID
	kAlertDisplayName
	kProperties
	kClassUID
	kFindingInfo
)

var keyNames = []string{"detail-type", "detail", "productarn", "schemaversion", "generatorid", "findingarn", "service", "resource",
	"type", "arn", "id", "finding", "kind", "vulnerability", "systemalertid", "alertdisplayname", "properties",
	"class_uid", "finding_info"}

// keys is what recognising a record needs of its top-level members.
type keys struct {
	has                   int
	detailType, typ, kind string
	detail                []byte
}

func scanKeys(b []byte) (keys, error) {
	var k keys
	_, err := members(b, 0, func(key []byte, s int) (int, bool, error) {
		e, err := skipValue(b, s)
		if err != nil {
			return 0, true, err
		}
		for i, n := range keyNames {
			if len(key) != len(n) || !bytes.EqualFold(key, []byte(n)) {
				continue
			}
			k.has |= 1 << i
			switch 1 << i {
			case kDetailType:
				k.detailType = unquote(b[s:e])
			case kType:
				k.typ = strings.ToLower(unquote(b[s:e]))
			case kKind:
				k.kind = unquote(b[s:e])
			case kDetail:
				k.detail = b[s:e]
			}
			break
		}
		return e, false, nil
	})
	return k, err
}

// unquote is a JSON string's value ("" for another value).
func unquote(b []byte) string {
	if len(b) < 2 || b[0] != '"' {
		return ""
	}
	if bytes.IndexByte(b, '\\') < 0 {
		return string(b[1 : len(b)-1])
	}
	var s string
	if json.Unmarshal(b, &s) != nil {
		return ""
	}
	return s
}

// record recognises one record's format and reads it into *f.
func record(b []byte, f *findings.Finding) parsed {
	if len(b) == 0 || b[0] != '{' {
		return parsed{err: fmt.Errorf("a record is a JSON object, not %.20q", b)}
	}
	k, err := scanKeys(b)
	if err != nil {
		return parsed{err: err}
	}
	one := func(got findings.Finding, err error) parsed {
		if err != nil {
			return parsed{err: err}
		}
		*f = got
		f.Raw = b
		return parsed{found: true}
	}
	h := func(mask int) bool { return k.has&mask == mask }
	switch {
	case h(kDetailType|kDetail) && k.detail != nil:
		return event(k.detailType, k.detail, f)
	case h(kProductArn) && (h(kSchemaVersion) || h(kGeneratorID)):
		return one(securityhub.Parse(b))
	case h(kClassUID | kFindingInfo):
		got, err := securityhub.ParseOCSF(b)
		if errors.Is(err, securityhub.ErrNotAWS) {
			return parsed{skipped: true}
		}
		return one(got, err)
	case h(kFindingArn):
		return one(inspector.Parse(b))
	case h(kService|kResource|kType) && (h(kArn) || h(kID)):
		return one(guardduty.Parse(b))
	case h(kFinding):
		return one(scc.Parse(b))
	case h(kKind | kVulnerability):
		if k.kind != "VULNERABILITY" {
			return parsed{skipped: true}
		}
		return one(artifact.Parse(b))
	case h(kSystemAlertID | kAlertDisplayName):
		return one(defender.Parse(b))
	case strings.HasPrefix(k.typ, "microsoft.security/") && h(kProperties):
		if !strings.HasSuffix(k.typ, "/alerts") && k.typ != "microsoft.security/assessments" && k.typ != "microsoft.security/assessments/subassessments" {
			return parsed{skipped: true}
		}
		return one(defender.Parse(b))
	}
	return parsed{skipped: true}
}

// event reads an EventBridge event's detail into *out (a Security Hub
// event's findings into parsed.more).
func event(detailType string, detail []byte, out *findings.Finding) parsed {
	var read func([]byte) (findings.Finding, error)
	switch detailType {
	case "GuardDuty Finding":
		read = guardduty.Parse
	case "Inspector2 Finding":
		read = inspector.Parse
	case "Security Hub Findings - Imported":
		return eventFindings(detail, securityhub.Parse)
	case "Findings Imported V2": // Security Hub's OCSF findings
		return eventFindings(detail, securityhub.ParseOCSF)
	default:
		return parsed{skipped: true}
	}
	f, err := read(detail)
	if err != nil {
		return parsed{err: err}
	}
	*out = f
	out.Raw = detail
	return parsed{found: true}
}

// eventFindings reads the findings of an event whose detail lists several
// (Security Hub's detail.findings) into parsed.more.
func eventFindings(detail []byte, parse func([]byte) (findings.Finding, error)) parsed {
	var p parsed
	i := skipSpace(detail, 0)
	if i >= len(detail) || detail[i] != '{' {
		return parsed{err: fmt.Errorf("Security Hub event: detail is not an object")}
	}
	_, err := members(detail, i, func(key []byte, s int) (int, bool, error) {
		if !strings.EqualFold(string(key), "findings") || s >= len(detail) || detail[s] != '[' {
			e, err := skipValue(detail, s)
			return e, false, err
		}
		_, err := elements(detail, s, func(s, e int) {
			f, err := parse(detail[s:e])
			if err != nil {
				p.err = err
				return
			}
			f.Raw = detail[s:e]
			p.more = append(p.more, f)
		})
		return 0, true, err
	})
	if err != nil {
		p.err = err
	}
	return p
}

// Sort orders findings worst first: by severity, then by their resource's
// context (on an attack path, then exposed, then the rest: see
// findings.Resource.Priority), then by product, resource and id.
func Sort(fs []findings.Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := &fs[i], &fs[j]
		if ra, rb := a.Severity.Rank(), b.Severity.Rank(); ra != rb {
			return ra > rb
		}
		if pa, pb := a.Resource.Priority(), b.Resource.Priority(); pa != pb {
			return pa > pb
		}
		if a.Product != b.Product {
			return a.Product < b.Product
		}
		if a.Resource.ID != b.Resource.ID {
			return a.Resource.ID < b.Resource.ID
		}
		return a.ID < b.ID
	})
}
