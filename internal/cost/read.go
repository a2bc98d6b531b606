package cost

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Problem is something wrong with an input: an unreadable file, an unknown
// format, columns the reader does not know (Columns; the known ones are
// still read), or a malformed row (Line; the rest of the file is read).
type Problem struct {
	File    string
	Line    int      // 0 for a problem with the whole file
	Columns []string // unknown columns, listed once per file
	Err     error
	// Warning is set for problems that lose no row (unknown columns).
	Warning bool
}

func (p *Problem) Error() string {
	pos := p.File
	if p.Line > 0 {
		pos += ":" + strconv.Itoa(p.Line)
	}
	if len(p.Columns) > 0 {
		return fmt.Sprintf("%s: %d unknown column(s) not read: %s", pos, len(p.Columns), strings.Join(p.Columns, ", "))
	}
	return pos + ": " + p.Err.Error()
}

func (p *Problem) Unwrap() error { return p.Err }

// ErrUnknownFormat is the error of a file whose header is no billing
// export vigil reads.
var ErrUnknownFormat = errors.New("not a billing export vigil reads (FOCUS, AWS CUR 2.0, Azure cost details, GCP billing export)")

// ReadStats is what reading one input gave.
type ReadStats struct {
	Format Format
	Rows   int // rows emitted
	Bad    int // malformed rows skipped
}

// ReadFile reads one billing export file (CSV, gzip CSV, JSON lines or
// Parquet), detecting its format from its header, and calls emit for each
// row. Problems go to onProblem and reading goes on; the error is for
// emit's errors and cancellation.
func ReadFile(ctx context.Context, path string, emit func(Row) error, onProblem func(Problem)) (ReadStats, error) {
	f, err := os.Open(path)
	if err != nil {
		onProblem(Problem{File: path, Err: err})
		return ReadStats{}, nil
	}
	defer f.Close()
	var head [4]byte
	n, _ := io.ReadFull(f, head[:])
	if n == 4 && string(head[:]) == "PAR1" {
		return readParquet(ctx, path, emit, onProblem)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		onProblem(Problem{File: path, Err: err})
		return ReadStats{}, nil
	}
	return Read(ctx, path, f, emit, onProblem)
}

// Read reads a billing export from r (gzip or not; name is for messages).
func Read(ctx context.Context, name string, r io.Reader, emit func(Row) error, onProblem func(Problem)) (ReadStats, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	if b, _ := br.Peek(2); len(b) == 2 && b[0] == 0x1f && b[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			onProblem(Problem{File: name, Err: fmt.Errorf("gzip: %w", err)})
			return ReadStats{}, nil
		}
		defer zr.Close()
		br = bufio.NewReaderSize(zr, 1<<20)
	}
	// Skip a UTF-8 byte order mark (Azure writes one) and blank space.
	if b, _ := br.Peek(3); bytes.Equal(b, []byte{0xef, 0xbb, 0xbf}) {
		br.Discard(3)
	}
	for {
		b, err := br.Peek(1)
		if err != nil {
			onProblem(Problem{File: name, Err: errors.New("empty file")})
			return ReadStats{}, nil
		}
		if b[0] != ' ' && b[0] != '\n' && b[0] != '\r' && b[0] != '\t' {
			break
		}
		br.Discard(1)
	}
	if b, _ := br.Peek(1); b[0] == '{' {
		return readJSONLines(ctx, name, br, emit, onProblem)
	}
	return readCSV(ctx, name, br, emit, onProblem)
}

// detect returns the format of a header and the key function of its
// column names.
func detect(header []string) (Format, *colMap, func(string) string) {
	lower := map[string]bool{}
	cur := map[string]bool{}
	for _, h := range header {
		lower[strings.ToLower(strings.TrimSpace(h))] = true
		cur[curKey(strings.TrimSpace(h))] = true
	}
	lowerKey := func(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
	switch {
	case lower["billedcost"] && lower["chargeperiodstart"]:
		return FOCUS, &focusCols, lowerKey
	case cur["line_item_unblended_cost"] || cur["line_item_usage_account_id"]:
		return CUR, &curCols, func(s string) string { return curKey(strings.TrimSpace(s)) }
	case lower["costinbillingcurrency"] || lower["pretaxcost"] || (lower["subscriptionid"] || lower["subscriptionguid"]) && lower["metercategory"]:
		return Azure, &azureCols, lowerKey
	case lower["billing_account_id"] && lower["cost"]:
		return GCP, &gcpCols, lowerKey
	}
	return "", nil, nil
}

// binding is a header resolved against a format's columns.
type binding struct {
	format  Format
	idx     [nFields][]int
	tagCols []tagCol // legacy CUR resourceTags/user:key columns
	conv    converter
}

type tagCol struct {
	i   int
	key string
}

func bind(name string, header []string, onProblem func(Problem)) (*binding, bool) {
	format, cols, key := detect(header)
	if cols == nil {
		onProblem(Problem{File: name, Line: 1, Err: ErrUnknownFormat})
		return nil, false
	}
	b := &binding{format: format, conv: newConverter(format)}
	pos := map[string]int{}
	var unknown []string
	for i, h := range header {
		k := key(h)
		if _, dup := pos[k]; !dup {
			pos[k] = i
		}
		if format == CUR && strings.HasPrefix(k, "resource_tags_") && strings.Contains(h, ":") {
			// legacy CUR: resourceTags/user:owner
			tk := h[strings.Index(h, ":")+1:]
			if strings.HasPrefix(strings.ToLower(h), "resourcetags/aws:") {
				tk = "aws:" + tk
			}
			b.tagCols = append(b.tagCols, tagCol{i, tk})
			continue
		}
		if !cols.isKnown(k) {
			unknown = append(unknown, strings.TrimSpace(h))
		}
	}
	for f, names := range cols.fields {
		for _, n := range names {
			if i, ok := pos[n]; ok {
				b.idx[f] = append(b.idx[f], i)
			}
		}
	}
	if len(b.idx[fCost]) == 0 || len(b.idx[fDay]) == 0 {
		onProblem(Problem{File: name, Line: 1, Err: fmt.Errorf("%s export without its cost or date column", format)})
		return nil, false
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		onProblem(Problem{File: name, Columns: unknown, Warning: true})
	}
	return b, true
}

// row converts one record.
func (b *binding) row(rec []string) (Row, error) {
	return b.conv.row(func(f field) string { return b.get(rec, f) })
}

func (b *binding) get(rec []string, f field) string {
	for _, i := range b.idx[f] {
		if i < len(rec) && rec[i] != "" {
			return rec[i]
		}
	}
	return ""
}

// readCSV splits records in one goroutine and converts them in the
// calling one; problems are reported in line order.
func readCSV(ctx context.Context, name string, r *bufio.Reader, emit func(Row) error, onProblem func(Problem)) (ReadStats, error) {
	cr := newCSVReader(r)
	header, err := cr.Read()
	if err != nil {
		onProblem(Problem{File: name, Line: 1, Err: fmt.Errorf("header: %w", err)})
		return ReadStats{}, nil
	}
	header = append([]string(nil), header...)
	b, ok := bind(name, header, onProblem)
	if !ok {
		return ReadStats{}, nil
	}
	keep := make([]bool, len(header))
	keep[0] = true // a short row stays a short row
	for _, idx := range b.idx {
		for _, i := range idx {
			keep[i] = true
		}
	}
	for _, tc := range b.tagCols {
		keep[tc.i] = true
	}
	cr.Keep(keep)
	st := ReadStats{Format: b.format}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan *csvBatch, 4)
	free := make(chan *csvBatch, 6)
	var readErr error
	go func() {
		defer close(batches)
		readErr = splitCSV(ctx, name, cr, len(header), batches, free)
	}()
	var convErr error
	for bt := range batches {
		if convErr == nil {
			if convErr = b.convertBatch(name, bt, &st, emit, onProblem); convErr != nil {
				cancel()
			}
		}
		select {
		case free <- bt:
		default:
		}
	}
	if convErr != nil {
		return st, convErr
	}
	return st, readErr
}

// csvBatch is records split from a CSV file, with the problems met
// splitting them, in line order.
type csvBatch struct {
	items []csvItem
	flat  []string // the records' fields
}

type csvItem struct {
	line   int
	lo, hi int      // the record is flat[lo:hi]
	prob   *Problem // set for a row that could not be split
}

const csvBatchRecords = 2048

func splitCSV(ctx context.Context, name string, cr *csvReader, fields int, out chan<- *csvBatch, free <-chan *csvBatch) error {
	next := func() *csvBatch {
		select {
		case bt := <-free:
			bt.items, bt.flat = bt.items[:0], bt.flat[:0]
			return bt
		default:
			return &csvBatch{items: make([]csvItem, 0, csvBatchRecords), flat: make([]string, 0, csvBatchRecords*fields)}
		}
	}
	bt := next()
	send := func() error {
		if len(bt.items) == 0 {
			return nil
		}
		select {
		case out <- bt:
		case <-ctx.Done():
			return ctx.Err()
		}
		bt = next()
		return nil
	}
	for n := 0; ; n++ {
		if n&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		lo := len(bt.flat)
		rec, err := cr.ReadInto(bt.flat)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				bt.items = append(bt.items, csvItem{prob: &Problem{File: name, Line: pe.Line, Err: pe.Err}})
				continue
			}
			// The input failed: the rest of the file is lost.
			bt.items = append(bt.items, csvItem{prob: &Problem{File: name, Line: cr.Line(), Err: err}})
			break
		}
		line := cr.Line()
		n := len(rec) - lo
		if n == 1 && rec[lo] == "" {
			continue
		}
		if n != fields {
			bt.items = append(bt.items, csvItem{prob: &Problem{File: name, Line: line, Err: fmt.Errorf("%d fields, the header has %d", n, fields)}})
			continue
		}
		bt.flat = rec
		bt.items = append(bt.items, csvItem{line: line, lo: lo, hi: len(bt.flat)})
		if len(bt.items) >= csvBatchRecords {
			if err := send(); err != nil {
				return err
			}
		}
	}
	return send()
}

func (b *binding) convertBatch(name string, bt *csvBatch, st *ReadStats, emit func(Row) error, onProblem func(Problem)) error {
	for _, it := range bt.items {
		if it.prob != nil {
			st.Bad++
			onProblem(*it.prob)
			continue
		}
		rec := bt.flat[it.lo:it.hi]
		row, err := b.row(rec)
		if err != nil {
			st.Bad++
			onProblem(Problem{File: name, Line: it.line, Err: err})
			continue
		}
		own := false // row.Tags may be a tag set shared with other rows
		for _, tc := range b.tagCols {
			if v := rec[tc.i]; v != "" {
				if !own {
					row.Tags = maps.Clone(row.Tags)
					if row.Tags == nil {
						row.Tags = map[string]string{}
					}
					own = true
				}
				row.Tags[tc.key] = v
			}
		}
		row.File, row.Line = name, int64(it.line)
		st.Rows++
		if err := emit(row); err != nil {
			return err
		}
	}
	return nil
}

// readJSONLines reads the GCP billing export as JSON lines (bq extract
// --destination_format NEWLINE_DELIMITED_JSON): nested records become dotted
// columns (service.description), repeated fields (labels, credits) stay JSON.
func readJSONLines(ctx context.Context, name string, r *bufio.Reader, emit func(Row) error, onProblem func(Problem)) (ReadStats, error) {
	var (
		st      ReadStats
		b       *binding
		cols    []string
		pos     = map[string]int{}
		unknown = map[string]bool{}
	)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	rec := []string{}
	for line := 1; sc.Scan(); line++ {
		if line&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return st, err
			}
		}
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(raw, &obj); err != nil {
			st.Bad++
			onProblem(Problem{File: name, Line: line, Err: fmt.Errorf("JSON: %w", err)})
			continue
		}
		flat := map[string]string{}
		flatten("", obj, flat, 0)
		if b == nil {
			// The first row decides the format; later rows may add columns.
			keys := make([]string, 0, len(flat))
			for k := range flat {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			format, cm, _ := detect(keys)
			if format != GCP {
				onProblem(Problem{File: name, Line: line, Err: ErrUnknownFormat})
				return st, nil
			}
			b = &binding{format: GCP, conv: newConverter(GCP)}
			for f, names := range cm.fields {
				for _, n := range names {
					if _, ok := pos[n]; !ok {
						pos[n] = len(cols)
						cols = append(cols, n)
					}
					b.idx[f] = append(b.idx[f], pos[n])
				}
			}
			st.Format = GCP
			rec = make([]string, len(cols))
		}
		for i := range rec {
			rec[i] = ""
		}
		for k, v := range flat {
			if i, ok := pos[k]; ok {
				rec[i] = v
			} else if !gcpCols.isKnown(k) && !strings.HasPrefix(k, "labels") && !strings.HasPrefix(k, "credits") {
				unknown[k] = true
			}
		}
		row, err := b.row(rec)
		if err != nil {
			st.Bad++
			onProblem(Problem{File: name, Line: line, Err: err})
			continue
		}
		row.File, row.Line = name, int64(line)
		st.Rows++
		if err := emit(row); err != nil {
			return st, err
		}
	}
	if err := sc.Err(); err != nil {
		onProblem(Problem{File: name, Err: err})
	}
	if b == nil && st.Bad == 0 {
		onProblem(Problem{File: name, Err: errors.New("no rows")})
	}
	if len(unknown) > 0 {
		u := make([]string, 0, len(unknown))
		for k := range unknown {
			u = append(u, k)
		}
		sort.Strings(u)
		onProblem(Problem{File: name, Columns: u, Warning: true})
	}
	return st, nil
}

// flatten turns nested JSON objects into dotted keys with string values;
// arrays and deeper objects stay JSON text.
func flatten(prefix string, obj map[string]json.RawMessage, out map[string]string, depth int) {
	for k, v := range obj {
		key := k
		if prefix != "" {
			key = prefix + "." + k
		}
		v = bytes.TrimSpace(v)
		if len(v) == 0 || string(v) == "null" {
			continue
		}
		switch v[0] {
		case '{':
			if depth < 1 {
				var sub map[string]json.RawMessage
				if json.Unmarshal(v, &sub) == nil {
					flatten(key, sub, out, depth+1)
					continue
				}
			}
			out[key] = string(v)
		case '"':
			var s string
			if json.Unmarshal(v, &s) == nil {
				out[key] = s
			}
		default:
			out[key] = string(v)
		}
	}
}

// day parses a charge period start: RFC 3339 / ISO 8601 date-times,
// "2006-01-02 15:04:05 UTC" (BigQuery), bare dates, and Azure's
// "MM/DD/YYYY". The result is the UTC day.
func parseDay(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if len(s) >= 10 && s[4] == '-' && s[7] == '-' {
		rest := s[10:]
		if rest == "" || strings.HasSuffix(rest, "Z") || strings.HasSuffix(rest, " UTC") || !strings.ContainsAny(rest[1:], "+-") {
			return time.Parse("2006-01-02", s[:10])
		}
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05-0700", "2006-01-02 15:04:05-07:00", "2006-01-02T15:04-07:00"} {
			if t, err := time.Parse(layout, s); err == nil {
				t = t.UTC()
				return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
			}
		}
		return time.Time{}, fmt.Errorf("unreadable date-time %q", s)
	}
	if i := strings.IndexByte(s, ' '); i > 0 {
		s = s[:i] // "11/02/2026 00:00:00"
	}
	if t, err := time.Parse("1/2/2006", s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("20060102", s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("unreadable date %q", s)
}
