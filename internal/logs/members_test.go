package logs

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/vigil-sec/vigil/internal/logs/logsource"
)

// memberEvents are CloudTrail events whose top-level members exercise
// what the validator must locate exactly: nested objects and arrays
// holding braces and quotes in strings, escaped keys and values, white
// space between tokens, a dotted key, a repeated key, and
// an event time that is not a plain member string (escaped, a number, a
// key spelled with an escape before the real one).
var memberEvents = []string{
	`{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/a","sessionContext":{"attributes":{"mfaAuthenticated":"false"}}},"eventTime":"2023-07-10T12:11:15Z","eventSource":"iam.amazonaws.com","eventName":"CreateUser","awsRegion":"us-east-1","sourceIPAddress":"192.0.2.1","requestParameters":{"userName":"x}\"{[","tags":[{"key":"a","value":"]"},[],{}]},"responseElements":null,"readOnly":false,"eventID":"e1"}`,
	"{ \"eventVersion\" : \"1.08\" ,\t\r" + `
	  "eventTime" : "2023-07-10T12:11:16Z" , "eventSource":"s3.amazonaws.com", "eventName":"GetObject",
	  "a.b":{"c":1}, "eventID":"e2", "n":-1.5e3, "t":true, "x":[1,"2",{"3":[4]}] }`,
	`{"eventVersion":"1.08","ev\u0065ntTime":"2020-01-01T00:00:00Z","eventTime":"2023-07-10T12:11:17Z","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","eventID":"e3"}`,
	`{"eventVersion":"1.08","eventTime":"2023-07-10T12:11:18\u005a","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","eventID":"e4","k\"q":"v\\"}`,
	`{"eventVersion":"1.08","eventSource":"sts.amazonaws.com","eventName":"GetCallerIdentity","eventID":"e5","eventTime":"2023-07-10T12:11:19Z","eventTime":"2099-01-01T00:00:00Z"}`,
}

// TestRecordMembers reads the events in a {"Records":[...]} file, in a
// bare array and as JSON lines, through a Reader that lends buffers (so marks are reused
// from file to file), and checks that every event has its member offsets
// and that they locate exactly the members gjson finds, in order, and
// MemberDots whether a key holds a dot (event 2's "a.b"); and that the
// event time read through them is the one gjson reads.
func TestRecordMembers(t *testing.T) {
	dir := t.TempDir()
	// One line each (a CloudTrail log file is one line; a document
	// spanning lines is split without the validator's marks).
	oneLine := make([]string, len(memberEvents))
	for i, ev := range memberEvents {
		oneLine[i] = strings.ReplaceAll(ev, "\n", " ")
	}
	wrapped := `{"Records":[` + strings.Join(oneLine, ", ") + `]}`
	array := "[ " + strings.Join(oneLine, " , ") + " ]\n"
	jsonLines := strings.Join(oneLine, "\n") + "\n"
	var paths []string
	for i, data := range []string{wrapped, array, jsonLines, wrapped} {
		p := filepath.Join(dir, "f"+string(rune('0'+i))+".json")
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	rd := Reader{Buffers: &BufferPool{}}
	desc, ok := Builtin().Lookup(AWSCloudTrail)
	if !ok {
		t.Fatal("no CloudTrail descriptor")
	}
	for _, p := range paths {
		n := 0
		err := rd.ReadFile(context.Background(), p, func(r Record) error {
			n++
			if r.Members == nil {
				t.Errorf("%s: event %d has no member offsets", p, n)
				return nil
			}
			var want [][2]string
			gjson.ParseBytes(r.Raw).ForEach(func(k, v gjson.Result) bool {
				want = append(want, [2]string{k.Raw[1 : len(k.Raw)-1], v.Raw})
				return true
			})
			if len(r.Members) != 4*len(want) {
				t.Fatalf("%s: event %d: %d offsets for %d members", p, n, len(r.Members), len(want))
			}
			dots := false
			for _, w := range want {
				dots = dots || strings.Contains(w[0], ".")
			}
			if r.MemberDots != dots {
				t.Errorf("%s: event %d: MemberDots %v, want %v", p, n, r.MemberDots, dots)
			}
			for i, w := range want {
				m := r.Members[4*i : 4*i+4]
				if k, v := string(r.Raw[m[0]:m[1]]), string(r.Raw[m[2]:m[3]]); k != w[0] || v != w[1] {
					t.Errorf("%s: event %d member %d: got %q: %q, want %q: %q", p, n, i, k, v, w[0], w[1])
				}
			}
			tm, err := logsource.EventTime(desc.Time, r.Raw)
			if err != nil {
				t.Fatalf("%s: event %d: %v", p, n, err)
			}
			if !r.Time.Equal(tm) {
				t.Errorf("%s: event %d: time %v through the members, %v through gjson", p, n, r.Time, tm)
			}
			return nil
		}, func(e InputError) { t.Errorf("%s: %v", p, e) })
		if err != nil {
			t.Fatal(err)
		}
		if n != len(memberEvents) {
			t.Errorf("%s: %d events read, want %d", p, n, len(memberEvents))
		}
	}
}

// TestEventTimeMembers checks the member path of EventTimeMembers against
// gjson on the cases it must hand back (escapes, non-string values,
// paths that are not one member name) and those it answers itself.
func TestEventTimeMembers(t *testing.T) {
	for _, ev := range memberEvents {
		raw := []byte(ev)
		var mem []int32
		// Offsets from gjson (what the reader records).
		gjson.ParseBytes(raw).ForEach(func(k, v gjson.Result) bool {
			mem = append(mem, int32(k.Index+1), int32(k.Index+len(k.Raw)-1), int32(v.Index), int32(v.Index+len(v.Raw)))
			return true
		})
		for _, paths := range [][]string{{"eventTime"}, {"missing", "eventTime"}, {"n", "eventTime"}, {"userIdentity.arn", "eventTime"}, {"t"}, {"k\"q"}} {
			want, werr := logsource.EventTime(paths, raw)
			got, gerr := logsource.EventTimeMembers(paths, raw, mem)
			if !got.Equal(want) || (werr == nil) != (gerr == nil) {
				t.Errorf("%s %v: members %v (%v), gjson %v (%v)", ev[:40], paths, got, gerr, want, werr)
			}
		}
	}
}
