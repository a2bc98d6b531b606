package subjects

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/report"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/respond"
)

// Options tune reading.
type Options struct {
	// All keeps every finding: PASS, UNKNOWN and muted ones too. By
	// default only active failures become subjects.
	All bool
}

// Problem is an input that could not be read, naming the file and line.
type Problem struct {
	Path string
	Line int // 0: the whole file
	Err  error
}

func (p *Problem) Error() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", p.Path, p.Line, p.Err)
	}
	return fmt.Sprintf("%s: %v", p.Path, p.Err)
}

func (p *Problem) Unwrap() error { return p.Err }

// ErrNotRecognised: the input is none of the formats read here.
var ErrNotRecognised = errors.New("not a vigil findings or alerts file (vigil scan/iac --format json, ocsf, ocsf-jsonl; vigil detect output)")

// MaxLine bounds one JSON line (an alert embeds its events).
const MaxLine = 64 << 20

// ReadFile reads one findings or alerts file. Lines that cannot be read
// are returned as problems and the rest is read.
func ReadFile(path string, opts Options) ([]*respond.Subject, []error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, []error{&Problem{Path: path, Err: err}}
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	head, _ := br.Peek(64)
	head = bytes.TrimLeft(head, " \t\r\n\ufeff")
	if len(head) == 0 {
		return nil, []error{&Problem{Path: path, Err: errors.New("empty file")}}
	}
	// JSON lines when the first line is a whole JSON object; otherwise one
	// document (the JSON report, an OCSF array, an indented object).
	firstLine, lerr := readLine(br)
	if head[0] == '[' || lerr == errTooLong || !json.Valid(bytes.TrimSpace(firstLine)) {
		rest, err := io.ReadAll(br)
		if err != nil {
			return nil, []error{&Problem{Path: path, Err: err}}
		}
		return readDocument(path, append(firstLine, rest...), opts)
	}
	var out []*respond.Subject
	var probs []error
	_, err = ReadJSONL(context.Background(), io.MultiReader(bytes.NewReader(firstLine), br, strings.NewReader("\n")), 0, opts, func(line int, s *respond.Subject, perr error) error {
		if perr != nil {
			probs = append(probs, &Problem{Path: path, Line: line, Err: perr})
			return nil
		}
		if s != nil {
			out = append(out, s)
		}
		return nil
	})
	if err != nil {
		probs = append(probs, &Problem{Path: path, Err: err})
	}
	if len(out) == 0 && len(probs) == 1 && errors.Is(probs[0], ErrNotRecognised) {
		return nil, []error{&Problem{Path: path, Err: ErrNotRecognised}}
	}
	return out, probs
}

func readDocument(path string, b []byte, opts Options) ([]*respond.Subject, []error) {
	if !json.Valid(b) {
		var se *json.SyntaxError
		err := json.Unmarshal(b, new(any))
		if errors.As(err, &se) {
			line := 1 + bytes.Count(b[:min(int(se.Offset), len(b))], []byte{'\n'})
			return nil, []error{&Problem{Path: path, Line: line, Err: err}}
		}
		return nil, []error{&Problem{Path: path, Err: err}}
	}
	doc := gjson.ParseBytes(b)
	var items []gjson.Result
	switch {
	case doc.IsArray():
		items = doc.Array()
	case doc.Get("findings").IsArray():
		items = doc.Get("findings").Array()
	case doc.IsObject():
		items = []gjson.Result{doc}
	}
	var out []*respond.Subject
	var probs []error
	for i, it := range items {
		s, err := fromJSON(it, opts)
		if err != nil {
			probs = append(probs, &Problem{Path: path, Err: fmt.Errorf("item %d: %w", i+1, err)})
			continue
		}
		if s != nil {
			out = append(out, s)
		}
	}
	if len(items) > 0 && len(out) == 0 && len(probs) == len(items) {
		return nil, []error{&Problem{Path: path, Err: ErrNotRecognised}}
	}
	return out, probs
}

// ReadJSONL reads JSON lines from r, starting at byte offset start (already
// consumed from r by the caller: it only numbers lines and offsets), and
// calls fn with each line's subject (nil for a finding left out by
// Options), or with the line's problem. Only complete lines are read: it
// returns the offset after the last newline, from which a later call goes
// on when the file grows (vigil detect --follow output).
func ReadJSONL(ctx context.Context, r io.Reader, start int64, opts Options, fn func(line int, s *respond.Subject, err error) error) (int64, error) {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 1<<16)
	}
	off := start
	line := 0
	for {
		if err := ctx.Err(); err != nil {
			return off, err
		}
		b, err := readLine(br)
		if len(b) > 0 && b[len(b)-1] == '\n' {
			line++
			off += int64(len(b))
			text := bytes.TrimSpace(b)
			if len(text) > 0 {
				var s *respond.Subject
				var perr error
				if !json.Valid(text) {
					perr = errors.New("not a JSON object")
				} else if doc := gjson.ParseBytes(text); doc.Get("findings").IsArray() {
					// A JSON report written on one line.
					for _, it := range doc.Get("findings").Array() {
						s, perr = fromJSON(it, opts)
						if s == nil && perr == nil {
							continue
						}
						if ferr := fn(line, s, perr); ferr != nil {
							return off, ferr
						}
					}
					continue
				} else {
					s, perr = fromJSON(doc, opts)
				}
				if s == nil && perr == nil {
					continue
				}
				if ferr := fn(line, s, perr); ferr != nil {
					return off, ferr
				}
			}
		}
		if err == errTooLong {
			line++
			off += int64(len(b))
			if ferr := fn(line, nil, fmt.Errorf("line longer than %d bytes", MaxLine)); ferr != nil {
				return off, ferr
			}
			continue
		}
		if err == io.EOF {
			return off, nil
		}
		if err != nil {
			return off, err
		}
	}
}

var errTooLong = errors.New("line too long")

// readLine returns the next line with its newline; a line past MaxLine is
// consumed and errTooLong returned (with b its length in bytes only).
func readLine(br *bufio.Reader) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(buf)+len(chunk) > MaxLine {
			n := len(buf) + len(chunk)
			for err == bufio.ErrBufferFull {
				chunk, err = br.ReadSlice('\n')
				n += len(chunk)
			}
			if err == io.EOF {
				return nil, io.EOF
			}
			return make([]byte, n), errTooLong
		}
		buf = append(buf, chunk...)
		if err != bufio.ErrBufferFull {
			return buf, err
		}
	}
}

// fromJSON reads one finding or alert. A finding left out by opts gives
// (nil, nil).
func fromJSON(v gjson.Result, opts Options) (*respond.Subject, error) {
	if !v.IsObject() {
		return nil, errors.New("not a JSON object")
	}
	switch cls := v.Get("class_uid").Int(); {
	case cls == 2004:
		return fromDetection(v)
	case cls == 2003:
		return fromCompliance(v, opts)
	case v.Get("rule_id").Exists() && v.Get("resource").IsObject():
		return fromVigilFinding(v, opts)
	case v.Get("class_uid").Exists():
		return nil, fmt.Errorf("OCSF class %d is neither a Compliance Finding (2003) nor a Detection Finding (2004)", cls)
	}
	return nil, ErrNotRecognised
}

func raw(v gjson.Result) map[string]any {
	var m map[string]any
	_ = json.Unmarshal([]byte(v.Raw), &m)
	return m
}

func fromVigilFinding(v gjson.Result, opts Options) (*respond.Subject, error) {
	var f finding.Finding
	if err := json.Unmarshal([]byte(v.Raw), &f); err != nil {
		return nil, err
	}
	if f.RuleID == "" {
		return nil, errors.New("finding without rule_id")
	}
	if !opts.All && (f.Status != finding.Fail || f.Suppressed != nil) {
		return nil, nil
	}
	return &respond.Subject{
		Kind: "finding", ID: report.FindingUID(&f), Rule: f.RuleID, Title: f.Title, Category: f.Category,
		Severity: string(f.Severity), Status: string(f.Status), Message: f.Message,
		Provider: string(f.Resource.Provider), Account: f.Resource.Account, Region: f.Resource.Region,
		Resource: respond.Resource{ID: f.Resource.ID, Type: f.Resource.Type, Name: f.Resource.Name, Tags: f.Resource.Tags},
		Raw:      raw(v),
	}, nil
}

func ocsfSeverity(id int64) string {
	switch id {
	case 1:
		return "INFO"
	case 2:
		return "LOW"
	case 3:
		return "MEDIUM"
	case 4:
		return "HIGH"
	case 5, 6:
		return "CRITICAL"
	}
	return ""
}

func fromCompliance(v gjson.Result, opts Options) (*respond.Subject, error) {
	status := v.Get("compliance.status_code").String()
	if status == "" {
		status = map[int64]string{1: "PASS", 2: "UNKNOWN", 3: "FAIL"}[v.Get("compliance.status_id").Int()]
	}
	muted := v.Get("status_id").Int() == 3
	if !opts.All && (status != string(finding.Fail) || muted) {
		return nil, nil
	}
	s := &respond.Subject{
		Kind: "finding", ID: v.Get("finding_info.uid").String(), Rule: v.Get("compliance.control").String(),
		Title: v.Get("finding_info.title").String(), Category: v.Get("finding_info.types.0").String(),
		Severity: ocsfSeverity(v.Get("severity_id").Int()), Status: status,
		Message:  v.Get("compliance.status_detail").String(),
		Provider: provider(v.Get("cloud.provider").String()), Account: v.Get("cloud.account.uid").String(),
		Region: first(v.Get("resources.0.region").String(), v.Get("cloud.region").String()),
		Resource: respond.Resource{ID: v.Get("resources.0.uid").String(), Type: v.Get("resources.0.type").String(),
			Name: v.Get("resources.0.name").String(), Tags: ocsfTags(v.Get("resources.0"))},
		Time: msTime(v.Get("time").Int()),
		Raw:  raw(v),
	}
	if s.Rule == "" {
		s.Rule = v.Get("finding_info.analytic.uid").String()
	}
	if s.ID == "" {
		return nil, errors.New("compliance finding without finding_info.uid")
	}
	return s, nil
}

func fromDetection(v gjson.Result) (*respond.Subject, error) {
	rule := first(v.Get("finding_info.analytic.name").String(), v.Get("unmapped.rule.name").String(), v.Get("finding_info.analytic.uid").String())
	s := &respond.Subject{
		Kind: "alert", ID: first(v.Get("finding_info.uid").String(), v.Get("metadata.uid").String()), Rule: rule,
		Title: v.Get("finding_info.title").String(), Category: "detection",
		Severity: ocsfSeverity(v.Get("severity_id").Int()),
		// The effective level: tuning (vigil detect --tuning) may have
		// raised or lowered the rule's own.
		Level:     strings.ToLower(first(v.Get("unmapped.rule.tuned_level").String(), v.Get("unmapped.rule.level").String())),
		Message:   v.Get("message").String(),
		Provider:  provider(v.Get("cloud.provider").String()),
		Account:   first(v.Get("cloud.account.uid").String(), v.Get("actor.user.account.uid").String()),
		Region:    v.Get("cloud.region").String(),
		Principal: first(v.Get("actor.user.uid").String(), v.Get("actor.user.email_addr").String(), v.Get("actor.user.name").String()),
		SourceIP:  first(v.Get("src_endpoint.ip").String(), v.Get("evidences.#.src_endpoint.ip|0").String()),
		Resource: respond.Resource{ID: v.Get("resources.0.uid").String(), Type: v.Get("resources.0.type").String(),
			Name: v.Get("resources.0.name").String(), Tags: ocsfTags(v.Get("resources.0"))},
		Time: msTime(v.Get("time").Int()),
		Raw:  raw(v),
	}
	if s.Level == "" {
		s.Level = strings.ToLower(v.Get("severity").String())
	}
	attacks := v.Get("finding_info.attacks").Array()
	if len(attacks) == 0 {
		attacks = v.Get("attacks").Array() // OCSF before 1.1
	}
	for _, a := range attacks {
		if t := a.Get("technique.uid").String(); t != "" {
			s.Techniques = append(s.Techniques, t)
		}
		if t := a.Get("sub_technique.uid").String(); t != "" {
			s.Techniques = append(s.Techniques, t)
		}
	}
	if s.ID == "" {
		return nil, errors.New("detection finding without finding_info.uid")
	}
	return s, nil
}

// ocsfTags reads an OCSF resource's tags (key_value_pair objects).
func ocsfTags(r gjson.Result) map[string]string {
	var out map[string]string
	for _, kv := range r.Get("tags").Array() {
		if out == nil {
			out = map[string]string{}
		}
		out[kv.Get("name").String()] = kv.Get("value").String()
	}
	return out
}

func provider(p string) string {
	switch strings.ToLower(p) {
	case "aws":
		return string(resource.AWS)
	case "azure":
		return string(resource.Azure)
	case "gcp", "google", "google cloud platform":
		return string(resource.GCP)
	case "kubernetes":
		return string(resource.K8s)
	}
	return strings.ToLower(p)
}

func msTime(ms int64) time.Time {
	if ms <= 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

func first(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}
