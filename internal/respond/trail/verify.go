package trail

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Reason says what is wrong with a trail.
type Reason string

// Reasons Verify reports.
const (
	// Modified: an entry's content does not match its hash.
	Modified Reason = "modified"
	// Removed: entries are missing before this one (a seq gap, their
	// seqs found nowhere after).
	Removed Reason = "removed"
	// Reordered: this entry comes before one with a lower seq.
	Reordered Reason = "reordered"
	// Inserted: an entry with a seq already used (a forged or copied
	// entry).
	Inserted Reason = "inserted"
	// BrokenChain: the entry has the expected seq but its prev is not the
	// hash of the entry before: that one was replaced (and re-hashed) or
	// this one forged.
	BrokenChain Reason = "broken-chain"
	// Truncated: the last line is incomplete (no newline: a write cut
	// off, or the file cut).
	Truncated Reason = "truncated"
	// Malformed: a line that is not a trail entry.
	Malformed Reason = "malformed"
	// HeadMissing: the expected head (VerifyOptions.ExpectHead) is the
	// hash of no entry: entries were removed from the end, or the trail
	// rewritten.
	HeadMissing Reason = "head-missing"
)

// Problem is the first thing wrong with a trail.
type Problem struct {
	Path   string
	Line   int    // 1-based line number
	Seq    uint64 // the seq of the entry on that line, 0 when unknown
	Reason Reason
	Detail string
}

func (p *Problem) Error() string {
	var b strings.Builder
	if p.Path != "" {
		b.WriteString(p.Path + ": ")
	}
	fmt.Fprintf(&b, "line %d", p.Line)
	if p.Seq > 0 {
		fmt.Fprintf(&b, " (seq %d)", p.Seq)
	}
	fmt.Fprintf(&b, ": %s: %s", p.Reason, p.Detail)
	return b.String()
}

// Report is the result of Verify.
type Report struct {
	Path string
	// Entries is the number of entries verified, in order from the first:
	// all of them when the trail verifies, those before the problem
	// otherwise.
	Entries int
	// Lines is the number of lines read.
	Lines int
	// Head and Seq are the hash and seq of the last verified entry ("" and
	// 0 when none). Recording Head elsewhere (a ticket, a log system)
	// lets a later Verify with ExpectHead detect entries removed from the
	// end.
	Head string
	Seq  uint64
	// HeadSeq is the seq of the entry whose hash is ExpectHead (0 when
	// not asked or not found).
	HeadSeq uint64
	// Problem is the first problem found; nil when the trail verifies.
	Problem *Problem
}

// OK reports whether the trail verified.
func (r *Report) OK() bool { return r.Problem == nil }

// Err returns the problem as an error, or nil.
func (r *Report) Err() error {
	if r.Problem == nil {
		return nil
	}
	return r.Problem
}

// VerifyOptions tune Verify.
type VerifyOptions struct {
	// ExpectHead is a hash recorded earlier (Report.Head or Log.Head):
	// it must be the hash of one of the trail's entries.
	ExpectHead string
}

// Verify re-computes the chain of the trail at path. The error is for a
// file that cannot be read or a bad option; what is wrong with the trail
// is in Report.Problem.
func Verify(path string, opts VerifyOptions) (*Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("trail: %w", err)
	}
	defer f.Close()
	r, err := VerifyReader(f, opts)
	if r != nil {
		r.Path = path
		if r.Problem != nil {
			r.Problem.Path = path
		}
	}
	if err != nil {
		return r, fmt.Errorf("trail %s: %w", path, err)
	}
	return r, nil
}

// VerifyReader verifies a trail read from rd (see Verify).
func VerifyReader(rd io.Reader, opts VerifyOptions) (*Report, error) {
	if opts.ExpectHead != "" && !isHex64(opts.ExpectHead) {
		return nil, fmt.Errorf("expected head %q is not a SHA-256 in hex (64 lowercase hex digits)", opts.ExpectHead)
	}
	br := bufio.NewReaderSize(rd, 64<<10)
	r := &Report{}
	next := func() ([]byte, bool, error) { // a line, whether it ended in a newline
		line, err := br.ReadBytes('\n')
		if err == io.EOF {
			if len(line) == 0 {
				return nil, false, io.EOF
			}
			return line, false, nil
		}
		if err != nil {
			return nil, false, err
		}
		return line[:len(line)-1], true, nil
	}
	expect, prev := uint64(1), GenesisHash
	var p *Problem
	for p == nil {
		line, complete, err := next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return r, err
		}
		r.Lines++
		e, perr := parseLine(line)
		switch {
		case !complete:
			p = &Problem{Line: r.Lines, Seq: e.Seq, Reason: Truncated, Detail: fmt.Sprintf("the last line (%d bytes) has no newline: a write was cut off or the file cut", len(line))}
		case errors.Is(perr, errHash):
			p = &Problem{Line: r.Lines, Seq: e.Seq, Reason: Modified, Detail: "the entry does not match its hash: it was changed after it was written"}
		case perr != nil:
			p = &Problem{Line: r.Lines, Reason: Malformed, Detail: perr.Error()}
		case e.Seq == expect && e.Prev == prev:
			r.Entries++
			r.Head, r.Seq = e.Hash, e.Seq
			if e.Hash == opts.ExpectHead {
				r.HeadSeq = e.Seq
			}
			expect, prev = e.Seq+1, e.Hash
		case e.Seq < expect:
			p = &Problem{Line: r.Lines, Seq: e.Seq, Reason: Inserted, Detail: fmt.Sprintf("seq %d was already used (line %d): an entry was inserted or copied here", e.Seq, r.Lines-int(expect-e.Seq))}
		case e.Seq == expect:
			p = &Problem{Line: r.Lines, Seq: e.Seq, Reason: BrokenChain, Detail: brokenDetail(r.Lines, expect)}
		default: // e.Seq > expect
			p = &Problem{Line: r.Lines, Seq: e.Seq, Reason: Removed, Detail: removedDetail(expect, e.Seq)}
		}
	}
	if p != nil && (p.Reason == BrokenChain || p.Reason == Removed) {
		// Does the seq expected here come later (a duplicate seq: an
		// inserted entry; a seq moved down: reordered)?
		for {
			line, _, err := next()
			if err != nil {
				break
			}
			r.Lines++
			var s struct{ Seq uint64 }
			if json.Unmarshal(line, &s) != nil || s.Seq != expect {
				continue
			}
			if p.Reason == BrokenChain {
				p.Reason = Inserted
				p.Detail = fmt.Sprintf("its prev is not the hash of the entry before, and seq %d comes again at line %d: a forged entry was inserted here", expect, r.Lines)
			} else {
				p.Reason = Reordered
				p.Detail = fmt.Sprintf("seq %d is expected here and comes later, at line %d: entries were moved", expect, r.Lines)
			}
			break
		}
	}
	if p == nil && opts.ExpectHead != "" && r.HeadSeq == 0 {
		p = &Problem{Line: r.Lines, Seq: r.Seq, Reason: HeadMissing,
			Detail: fmt.Sprintf("the expected head %s is the hash of no entry (the last is seq %d, %s): entries were removed from the end or the trail rewritten", opts.ExpectHead, r.Seq, r.Head)}
	}
	r.Problem = p
	return r, nil
}

func brokenDetail(line int, expect uint64) string {
	if expect == 1 {
		return "the first entry's prev is not the genesis hash: entries before it were removed, or it was forged"
	}
	return fmt.Sprintf("its prev is not the hash of line %d: that entry was replaced (and re-hashed), or this one forged", line-1)
}

func removedDetail(expect, got uint64) string {
	if got == expect+1 {
		return fmt.Sprintf("seq %d is missing before this entry: it was removed", expect)
	}
	return fmt.Sprintf("seqs %d to %d are missing before this entry: they were removed", expect, got-1)
}
