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

// Files reads every file under paths (directories recursively).
func Files(ctx context.Context, paths []string) (*Result, error) {
	res := &Result{}
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
			before := len(res.Findings)
			res.add(Data(path, data))
			if len(res.Findings) == before {
				res.Unrecognised = append(res.Unrecognised, path)
			}
			return nil
		})
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

func (r *Result) add(o *Result) {
	r.Findings = append(r.Findings, o.Findings...)
	r.Problems = append(r.Problems, o.Problems...)
	r.Skipped += o.Skipped
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
	var spans []span
	i := skipSpace(data, 0)
	if i < len(data) && data[i] != '{' && data[i] != '[' {
		return res // not JSON: not a findings export (Files lists it as unrecognised)
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
	return res
}

func isContainer(key []byte) bool {
	for _, c := range containers {
		if len(key) == len(c) && strings.EqualFold(string(key), c) {
			return true
		}
	}
	return false
}

// parsed is the outcome of one record.
type parsed struct {
	fs      []findings.Finding
	err     error
	skipped bool
}

// parse decodes the records in parallel, keeping their order.
func parse(file string, data []byte, spans []span, res *Result) {
	out := make([]parsed, len(spans))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(spans)/64))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := w; k < len(spans); k += workers {
				out[k] = record(data[spans[k].start:spans[k].end])
			}
		}()
	}
	wg.Wait()
	for k, p := range out {
		switch {
		case p.err != nil:
			res.Problems = append(res.Problems, Problem{File: file, Index: spans[k].index, Offset: spans[k].start, Err: p.err})
		case p.skipped:
			res.Skipped++
		}
		for j := range p.fs {
			p.fs[j].Source = findings.Source{File: file, Index: spans[k].index}
		}
		res.Findings = append(res.Findings, p.fs...)
	}
}

// keys is what recognising a record needs of its top-level members.
type keys struct {
	has                   map[string]bool
	detailType, typ, kind string
	detail                []byte
}

func scanKeys(b []byte) (keys, error) {
	k := keys{has: make(map[string]bool, 16)}
	_, err := members(b, 0, func(key []byte, s int) (int, bool, error) {
		e, err := skipValue(b, s)
		if err != nil {
			return 0, true, err
		}
		name := strings.ToLower(string(key))
		k.has[name] = true
		switch name {
		case "detail-type":
			k.detailType = unquote(b[s:e])
		case "type":
			k.typ = strings.ToLower(unquote(b[s:e]))
		case "kind":
			k.kind = unquote(b[s:e])
		case "detail":
			k.detail = b[s:e]
		}
		return e, false, nil
	})
	return k, err
}

func unquote(b []byte) string {
	var s string
	if json.Unmarshal(b, &s) != nil {
		return ""
	}
	return s
}

// record recognises one record's format and reads it.
func record(b []byte) parsed {
	if len(b) == 0 || b[0] != '{' {
		return parsed{err: fmt.Errorf("a record is a JSON object, not %.20q", b)}
	}
	k, err := scanKeys(b)
	if err != nil {
		return parsed{err: err}
	}
	one := func(f findings.Finding, err error) parsed {
		if err != nil {
			return parsed{err: err}
		}
		f.Raw = b
		return parsed{fs: []findings.Finding{f}}
	}
	h := k.has
	switch {
	case h["detail-type"] && k.detail != nil:
		return event(k.detailType, k.detail)
	case h["productarn"] && (h["schemaversion"] || h["generatorid"]):
		return one(securityhub.Parse(b))
	case h["findingarn"]:
		return one(inspector.Parse(b))
	case h["service"] && h["resource"] && h["type"] && (h["arn"] || h["id"]):
		return one(guardduty.Parse(b))
	case h["finding"]:
		return one(scc.Parse(b))
	case h["kind"] && h["vulnerability"]:
		if k.kind != "VULNERABILITY" {
			return parsed{skipped: true}
		}
		return one(artifact.Parse(b))
	case h["systemalertid"] && h["alertdisplayname"]:
		return one(defender.Parse(b))
	case strings.HasPrefix(k.typ, "microsoft.security/") && h["properties"]:
		if !strings.HasSuffix(k.typ, "/alerts") && k.typ != "microsoft.security/assessments" && k.typ != "microsoft.security/assessments/subassessments" {
			return parsed{skipped: true}
		}
		return one(defender.Parse(b))
	}
	return parsed{skipped: true}
}

// event reads an EventBridge event's detail.
func event(detailType string, detail []byte) parsed {
	var read func([]byte) (findings.Finding, error)
	switch detailType {
	case "GuardDuty Finding":
		read = guardduty.Parse
	case "Inspector2 Finding":
		read = inspector.Parse
	case "Security Hub Findings - Imported":
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
				f, err := securityhub.Parse(detail[s:e])
				if err != nil {
					p.err = err
					return
				}
				f.Raw = detail[s:e]
				p.fs = append(p.fs, f)
			})
			return 0, true, err
		})
		if err != nil {
			p.err = err
		}
		return p
	default:
		return parsed{skipped: true}
	}
	f, err := read(detail)
	if err != nil {
		return parsed{err: err}
	}
	f.Raw = detail
	return parsed{fs: []findings.Finding{f}}
}

// Sort orders findings worst first, then by product, resource and id.
func Sort(fs []findings.Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := &fs[i], &fs[j]
		if ra, rb := a.Severity.Rank(), b.Severity.Rank(); ra != rb {
			return ra > rb
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
