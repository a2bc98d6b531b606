package load

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/vigil-sec/vigil/internal/findings"
	"github.com/vigil-sec/vigil/internal/findings/artifact"
	"github.com/vigil-sec/vigil/internal/findings/azuresec"
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

	// rawFiles are the files the raw records were left in (RawInFiles).
	rawFiles []*findings.RawFile
}

// Close closes the files that the findings' raw records were left in
// (RawInFiles): write the findings first. It does nothing for the other
// imports.
func (r *Result) Close() error {
	var errs []error
	for _, f := range r.rawFiles {
		errs = append(errs, f.Close())
	}
	return errors.Join(errs...)
}

// Option changes how Files reads.
type Option func(*options)

type options struct{ dropRaw, rawInFiles bool }

// WithoutRaw drops each finding's raw record once it is read, so that a
// file's content is not kept: for outputs that do not carry the record
// (a table, CSV, counts), it saves about the input's size in memory.
func WithoutRaw() Option { return func(o *options) { o.dropRaw = true } }

// RawInFiles leaves each finding's raw record in its file instead of
// holding the files' content in memory: the finding's RawAt locates it
// (Raw is nil), and findings.WriteOCSF and Finding.RawRecord read it back.
// The records of gzip files, of files under 1 MiB and of Inspector's CSV
// report (a JSON object vigil makes of the row) stay in Raw. It saves
// about the input's size in memory for outputs that write the records
// one by one (OCSF); call the Result's Close once they are written, and do
// not change the files before.
func RawInFiles() Option { return func(o *options) { o.rawInFiles = true } }

// Files reads every file under paths (directories recursively).
func Files(ctx context.Context, paths []string, opts ...Option) (*Result, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	var list []string
	var walkErr error
	for _, p := range paths {
		walkErr = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if d.IsDir() || !d.Type().IsRegular() {
				return nil
			}
			list = append(list, path)
			return nil
		})
		if walkErr != nil {
			break // what was listed before is read, and the error returned
		}
	}
	res := &Result{}
	if o.dropRaw || o.rawInFiles {
		readCompact(ctx, res, list, o)
		if err := ctx.Err(); err != nil {
			return res, err
		}
		return res, walkErr
	}
	// With the raw records in memory, which keep the files' content
	// anyway, every file is read and split on every core, and the records
	// decoded into one slice, their strings referring to the content.
	if err := ctx.Err(); err != nil {
		return res, err
	}
	ins := make([]input, len(list))
	eachIndex(len(list), func(i int) {
		in := &ins[i]
		in.file = list[i]
		if ctx.Err() != nil {
			in.err = ctx.Err()
			return
		}
		data, err := readFile(in.file)
		if err != nil {
			in.err = err
			return
		}
		in.split(data)
	})
	assemble(res, ins, findings.Refer, false)
	return res, walkErr
}

// eachIndex calls fn(0) ... fn(n-1) on every core.
func eachIndex(n int, fn func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(n, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				fn(i)
			}
		}()
	}
	wg.Wait()
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

// span is one record's extent in a file (its position in the file is
// its position among the file's spans), and its format as split
// recognised it (formUnknown when it did not: recordAt scans the record
// again), with the extent of an event's detail in the record.
type span struct {
	start, end int
	form       form
	dOff, dLen uint32
}

// containers are the keys under which CLI and API results list records:
// Findings (GuardDuty, Security Hub), findings (Inspector), data (Resource
// Graph via az graph query / REST), value (ARM REST lists),
// listFindingsResults (SCC), occurrences (Container Analysis).
var containers = []string{"findings", "data", "value", "listfindingsresults", "occurrences"}

// Data reads the records of one file's content. Findings keep sub-slices
// of data as their Raw record.
func Data(file string, data []byte) *Result {
	res := &Result{}
	in := []input{{file: file}}
	in[0].split(data)
	assemble(res, in, findings.Refer, false)
	return res
}

// input is one file being read: its content split into records, or what
// made it unreadable.
type input struct {
	file string
	info fs.FileInfo
	data []byte
	// kept is the content kept in memory when the records refer to it
	// (readCompact).
	kept  []byte
	spans []span
	// structural is a problem of the file's structure after which the
	// rest of it could not be split.
	structural *Problem
	// csv holds the rows of an Inspector CSV report, read whole.
	csv *Result
	// dropRaw is set when the raw records are not kept.
	dropRaw bool
	// err is why the file could not be read.
	err error
}

// split finds the records of one file's content.
func (in *input) split(data []byte) {
	in.data = data
	i := skipSpace(data, 0)
	if i < len(data) && data[i] != '{' && data[i] != '[' {
		if inspector.IsCSVReport(data) {
			in.csv = &Result{}
			readInspectorCSV(in.csv, in.file, data, in.dropRaw)
		}
		return // not JSON and no CSV report: not a findings export (listed as unrecognised)
	}
	// add adds a record and what recognising it needs of its members (k,
	// nil when they were not read), read as the record was split: the
	// record is not scanned again to be recognised.
	add := func(s, e int, k *keys) {
		sp := span{start: s, end: e}
		if k != nil && k.dEnd-s <= math.MaxUint32 {
			sp.form = k.classify()
			if sp.form >= formEventGuardDuty {
				sp.dOff, sp.dLen = uint32(k.dStart-s), uint32(k.dEnd-k.dStart)
			}
		}
		in.spans = append(in.spans, sp)
	}
	// record splits off one element of a container: a record.
	record := func(s int) (int, error) {
		if data[s] == '{' {
			var k keys
			if e, err := k.scan(data, s); err == nil {
				add(s, e, &k)
				return e, nil
			}
		}
		e, err := skipValue(data, s) // the record's error is reported when it is decoded
		if err == nil {
			add(s, e, nil)
		}
		return e, err
	}
	for i < len(data) {
		var end int
		var err error
		switch data[i] {
		case '[':
			end, err = eachElement(data, i, record)
		case '{':
			container := false
			var k keys
			end, err = members(data, i, func(key []byte, s int) (int, bool, error) {
				if !container && s < len(data) && data[s] == '[' && isContainer(key) {
					container = true
					e, err := eachElement(data, s, record)
					return e, false, err
				}
				e, err := skipValue(data, s)
				if err == nil {
					k.see(data, key, s, e)
				}
				return e, false, err
			})
			if !container && err == nil {
				add(i, end, &k)
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
			in.structural = &Problem{File: in.file, Index: -1, Offset: off, Err: err}
			break
		}
		i = skipSpace(data, end) // JSON lines: the next document
	}
}

// readInspectorCSV adds the rows of Inspector's CSV findings report.
func readInspectorCSV(res *Result, file string, data []byte, dropRaw bool) {
	// A row a line, unless a cell spans lines.
	res.Findings = slices.Grow(res.Findings, bytes.Count(data, []byte{'\n'}))
	var a arena // each finding's strings out of its row's line
	err := inspector.ParseCSVEach(data, !dropRaw, func(r *inspector.CSVRow) {
		if r.Err != nil {
			res.Problems = append(res.Problems, Problem{File: file, Index: r.Index, Offset: r.Offset, Err: r.Err})
			return
		}
		r.Finding.Source = findings.Source{File: file, Index: r.Index}
		a.own(&r.Finding)
		res.Findings = append(res.Findings, r.Finding)
	})
	if err != nil {
		res.Problems = append(res.Problems, Problem{File: file, Index: -1, Err: err})
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

// assemble decodes the records of every input on every core and adds the
// findings to res in the inputs' order, each input's records in order and
// then the findings of its records that carry several (a Security Hub
// event); the findings are decoded in place into one slice of exactly one
// element a record, compacted where a record was no finding.
func assemble(res *Result, ins []input, decode findings.Decode, dropRaw bool) {
	base := bases(ins)
	total := base[len(ins)]
	out := make([]findings.Finding, total)
	st := make([]parsed, total)
	const chunk = 256 // records a worker takes at a time
	eachIndex((total+chunk-1)/chunk, func(c int) {
		i := sort.SearchInts(base[1:], c*chunk+1) // the input of slot c*chunk
		for k := c * chunk; k < min((c+1)*chunk, total); k++ {
			for k >= base[i+1] {
				i++
			}
			in := &ins[i]
			if in.csv != nil {
				out[k] = in.csv.Findings[k-base[i]]
				st[k].found = true
				continue
			}
			sp := in.spans[k-base[i]]
			st[k] = recordAt(in.data, sp, &out[k], decode)
		}
	})
	collect(res, ins, base, out, st, dropRaw)
}

// bases are the inputs' first slots in one slice of a slot per record
// (or CSV row), and the total after the last.
func bases(ins []input) []int {
	base := make([]int, len(ins)+1)
	for i := range ins {
		n := len(ins[i].spans)
		if ins[i].csv != nil {
			n = len(ins[i].csv.Findings)
		}
		base[i+1] = base[i] + n
	}
	return base
}

// collect adds to res the findings decoded into out (st the outcome of
// each slot, base the inputs' first slots), the problems and the counts,
// in the inputs' order: each input's findings in the order of its
// records, then those of its records that carry several (a Security Hub
// event's, in st[k].more).
func collect(res *Result, ins []input, base []int, out []findings.Finding, st []parsed, dropRaw bool) {
	total := 0 // findings
	for i := range ins {
		in := &ins[i]
		res.Files++
		if in.err != nil {
			res.Problems = append(res.Problems, Problem{File: in.file, Index: -1, Err: in.err})
			continue
		}
		if in.csv != nil {
			res.Problems = append(res.Problems, in.csv.Problems...)
		}
		n := 0
		for k := base[i]; k < base[i+1]; k++ {
			p := &st[k]
			var index, offset int
			if in.csv == nil {
				index, offset = k-base[i], in.spans[k-base[i]].start
			}
			switch {
			case p.err != nil:
				res.Problems = append(res.Problems, Problem{File: in.file, Index: index, Offset: offset, Err: p.err})
			case p.skipped:
				res.Skipped++
			}
			if p.found {
				f := &out[k]
				if in.csv == nil {
					f.Source = findings.Source{File: in.file, Index: index}
				}
				if dropRaw {
					f.Raw = nil
				}
				n++
			}
			for j := range p.more {
				f := &p.more[j]
				f.Source = findings.Source{File: in.file, Index: index}
				if dropRaw {
					f.Raw = nil
				}
				n++
			}
		}
		if in.structural != nil {
			res.Problems = append(res.Problems, *in.structural)
		}
		if n == 0 {
			res.Unrecognised = append(res.Unrecognised, in.file)
		}
		total += n
	}
	var fs []findings.Finding
	if total <= len(out) {
		fs = place(ins, base, out, st, total)
	} else { // more findings than slots: into a slice of their own
		fs = make([]findings.Finding, 0, total)
		for i := range ins {
			if ins[i].err != nil {
				continue
			}
			for k := base[i]; k < base[i+1]; k++ {
				if st[k].found {
					fs = append(fs, out[k])
				}
			}
			for k := base[i]; k < base[i+1]; k++ {
				fs = append(fs, st[k].more...)
			}
		}
	}
	if res.Findings == nil {
		res.Findings = fs
	} else {
		res.Findings = append(res.Findings, fs...)
	}
}

// place moves the findings of out (its slots' findings) and of st (the
// several findings of one record) into out[:total] in collect's order,
// each moved at most once, and clears the rest of out so that it keeps
// nothing alive. (A Security Hub event's findings went to a second slice
// of every finding before: twice the memory.) The order maps the findings
// to increasing positions, so the findings that move left are moved
// first, in order (a position they move to holds no finding still to
// move), then those that move right and those of st, from the last (the
// position each goes to holds a finding already moved, or none).
func place(ins []input, base []int, out []findings.Finding, st []parsed, total int) []findings.Finding {
	pos := 0
	for i := range ins {
		if ins[i].err != nil {
			continue
		}
		for k := base[i]; k < base[i+1]; k++ {
			if st[k].found {
				if pos < k {
					out[pos] = out[k]
				}
				pos++
			}
		}
		for k := base[i]; k < base[i+1]; k++ {
			pos += len(st[k].more)
		}
	}
	for i := len(ins) - 1; i >= 0; i-- {
		if ins[i].err != nil {
			continue
		}
		for k := base[i+1] - 1; k >= base[i]; k-- {
			for j := len(st[k].more) - 1; j >= 0; j-- {
				pos--
				out[pos] = st[k].more[j]
			}
			st[k].more = nil
		}
		for k := base[i+1] - 1; k >= base[i]; k-- {
			if st[k].found {
				pos--
				if pos > k {
					out[pos] = out[k]
				}
			}
		}
	}
	clear(out[total:])
	return out[:total]
}

// parsed is the outcome of one record: a finding, or more (a Security Hub
// event carries several), an error, or a record of no finding format.
type parsed struct {
	more    []findings.Finding
	err     error
	found   bool
	skipped bool
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

// keys is what recognising a record needs of its top-level members: the
// keys present, the values of detail-type, type and kind (JSON, as they
// are in the record) and the extent of detail.
type keys struct {
	has                   int
	detailType, typ, kind []byte
	dStart, dEnd          int
}

// see notes the member key whose value is b[s:e].
func (k *keys) see(b, key []byte, s, e int) {
	for i, n := range keyNames {
		if len(key) != len(n) || !bytes.EqualFold(key, []byte(n)) {
			continue
		}
		k.has |= 1 << i
		switch 1 << i {
		case kDetailType:
			k.detailType = b[s:e]
		case kType:
			k.typ = b[s:e]
		case kKind:
			k.kind = b[s:e]
		case kDetail:
			k.dStart, k.dEnd = s, e
		}
		return
	}
}

// scan reads the keys of the object starting at b[i] == '{' and returns
// the index after it.
func (k *keys) scan(b []byte, i int) (int, error) {
	return members(b, i, func(key []byte, s int) (int, bool, error) {
		e, err := skipValue(b, s)
		if err != nil {
			return 0, true, err
		}
		k.see(b, key, s, e)
		return e, false, nil
	})
}

// form is a record's format, as its top-level members tell it.
type form uint8

const (
	formUnknown form = iota // not recognised yet
	formNone                // no finding format
	formSecurityHub
	formSecurityHubOCSF
	formInspector
	formGuardDuty
	formSCC
	formArtifact
	formDefender
	// EventBridge events, whose finding is their detail
	formEventGuardDuty
	formEventInspector
	formEventSecurityHub
	formEventSecurityHubOCSF
)

// classify recognises the format of the record whose keys k holds.
func (k *keys) classify() form {
	h := func(mask int) bool { return k.has&mask == mask }
	switch {
	case h(kDetailType | kDetail):
		switch string(unquote(k.detailType)) {
		case "GuardDuty Finding":
			return formEventGuardDuty
		case "Inspector2 Finding":
			return formEventInspector
		case "Security Hub Findings - Imported":
			return formEventSecurityHub
		case "Findings Imported V2": // Security Hub's OCSF findings
			return formEventSecurityHubOCSF
		}
		return formNone
	case h(kProductArn) && (h(kSchemaVersion) || h(kGeneratorID)):
		return formSecurityHub
	case h(kClassUID | kFindingInfo):
		return formSecurityHubOCSF
	case h(kFindingArn):
		return formInspector
	case h(kService|kResource|kType) && (h(kArn) || h(kID)):
		return formGuardDuty
	case h(kFinding):
		return formSCC
	case h(kKind | kVulnerability):
		if string(unquote(k.kind)) != "VULNERABILITY" {
			return formNone
		}
		return formArtifact
	case h(kSystemAlertID | kAlertDisplayName):
		return formDefender
	case h(kProperties):
		const prefix = "microsoft.security/"
		typ := unquote(k.typ)
		if len(typ) < len(prefix) || !bytes.EqualFold(typ[:len(prefix)], []byte(prefix)) {
			return formNone
		}
		if !azuresec.IsDefenderFinding(string(typ)) {
			return formNone
		}
		return formDefender
	}
	return formNone
}

// unquote is a JSON string's value (nil for another value): a part of b
// unless it has escapes.
func unquote(b []byte) []byte {
	if len(b) < 2 || b[0] != '"' {
		return nil
	}
	if bytes.IndexByte(b, '\\') < 0 {
		return b[1 : len(b)-1]
	}
	var s string
	if json.Unmarshal(b, &s) != nil {
		return nil
	}
	return []byte(s)
}

// recordAt reads the record sp of data into *f, in the format split
// recognised it in.
func recordAt(data []byte, sp span, f *findings.Finding, decode findings.Decode) parsed {
	b := data[sp.start:sp.end]
	if sp.form == formUnknown {
		return record(b, f, decode)
	}
	return decodeAs(sp.form, b, b[sp.dOff:sp.dOff+sp.dLen], f, decode)
}

// record recognises one record's format and reads it into *f.
func record(b []byte, f *findings.Finding, decode findings.Decode) parsed {
	if len(b) == 0 || b[0] != '{' {
		return parsed{err: fmt.Errorf("a record is a JSON object, not %.20q", b)}
	}
	var k keys
	if _, err := k.scan(b, 0); err != nil {
		return parsed{err: err}
	}
	return decodeAs(k.classify(), b, b[k.dStart:k.dEnd], f, decode)
}

// decodeAs reads the record b of the format fm into *f (an event's
// detail is detail).
func decodeAs(fm form, b, detail []byte, f *findings.Finding, decode findings.Decode) parsed {
	one := func(got findings.Finding, err error) parsed {
		if err != nil {
			return parsed{err: err}
		}
		*f = got
		f.Raw = b
		return parsed{found: true}
	}
	switch fm {
	case formEventGuardDuty:
		return event(guardduty.Parse, detail, f, decode)
	case formEventInspector:
		return event(inspector.Parse, detail, f, decode)
	case formEventSecurityHub:
		return eventFindings(detail, securityhub.Parse, decode)
	case formEventSecurityHubOCSF:
		return eventFindings(detail, securityhub.ParseOCSF, decode)
	case formSecurityHub:
		return one(securityhub.Parse(b, decode))
	case formSecurityHubOCSF:
		got, err := securityhub.ParseOCSF(b, decode)
		if errors.Is(err, securityhub.ErrNotAWS) {
			return parsed{skipped: true}
		}
		return one(got, err)
	case formInspector:
		return one(inspector.Parse(b, decode))
	case formGuardDuty:
		return one(guardduty.Parse(b, decode))
	case formSCC:
		return one(scc.Parse(b, decode))
	case formArtifact:
		return one(artifact.Parse(b, decode))
	case formDefender:
		return one(defender.Parse(b, decode))
	}
	return parsed{skipped: true}
}

// event reads an EventBridge event's detail into *out.
func event(read func([]byte, findings.Decode) (findings.Finding, error), detail []byte, out *findings.Finding, decode findings.Decode) parsed {
	f, err := read(detail, decode)
	if err != nil {
		return parsed{err: err}
	}
	*out = f
	out.Raw = detail
	return parsed{found: true}
}

// eventFindings reads the findings of an event whose detail lists several
// (Security Hub's detail.findings) into parsed.more.
func eventFindings(detail []byte, parse func([]byte, findings.Decode) (findings.Finding, error), decode findings.Decode) parsed {
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
			f, err := parse(detail[s:e], decode)
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
// findings.Resource.Priority), then by product, resource and id; findings
// equal in all of these keep their order. It sorts compact keys (the
// severity, context and product in one number, the two ids, the
// position), which a comparison reads without touching the findings
// (hundreds of bytes each, all over memory), and then moves each finding
// once.
func Sort(fs []findings.Finding) {
	if len(fs) < 2 {
		return
	}
	// The products in order, numbered.
	prods := map[findings.Product]uint32{}
	for i := range fs {
		prods[fs[i].Product] = 0
	}
	names := slices.Sorted(maps.Keys(prods))
	for n, p := range names {
		prods[p] = uint32(n)
	}
	type key struct {
		order   uint64 // severity and context (higher first), product, position
		rid, id string
	}
	keys := make([]key, len(fs))
	np := uint64(len(names))
	for i := range fs {
		f := &fs[i]
		rank := uint64(32 - (f.Severity.Rank()*4 + f.Resource.Priority())) // 0 < rank < 64
		keys[i] = key{order: (rank*np+uint64(prods[f.Product]))<<32 | uint64(i), rid: f.Resource.ID, id: f.ID}
	}
	compare := func(a, b key) int {
		if a.order>>32 != b.order>>32 {
			return cmp.Compare(a.order, b.order)
		}
		if c := strings.Compare(a.rid, b.rid); c != 0 {
			return c
		}
		if c := strings.Compare(a.id, b.id); c != 0 {
			return c
		}
		return cmp.Compare(a.order, b.order) // stable: by position
	}
	// The two halves are sorted on two cores and merged: the order is
	// total (the position decides last), so it is the order of one sort.
	half := len(keys)
	if len(keys) >= 1<<14 && runtime.GOMAXPROCS(0) > 1 {
		half = len(keys) / 2
	}
	a, b := keys[:half], keys[half:]
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); slices.SortFunc(b, compare) }()
	slices.SortFunc(a, compare)
	wg.Wait()
	idx := make([]int, len(fs))
	for p := range idx {
		var k key
		if len(b) == 0 || len(a) > 0 && compare(a[0], b[0]) < 0 {
			k, a = a[0], a[1:]
		} else {
			k, b = b[0], b[1:]
		}
		idx[p] = int(k.order & (1<<32 - 1))
	}
	keys = nil
	// fs[p] becomes the old fs[idx[p]]: follow each cycle of the
	// permutation once, marking the positions done.
	for p := range idx {
		if idx[p] < 0 || idx[p] == p {
			continue
		}
		tmp := fs[p]
		j := p
		for {
			k := idx[j]
			idx[j] = -1
			if k == p {
				fs[j] = tmp
				break
			}
			fs[j] = fs[k]
			j = k
		}
	}
}
