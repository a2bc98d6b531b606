package jsonenc

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// reference is what encoding/json writes for s, with HTML escaping on or
// off.
func reference(t testing.TB, s string, html bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(html)
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func check(t testing.TB, s string) {
	t.Helper()
	for _, html := range []bool{true, false} {
		want := reference(t, s, html)
		var gotS, gotB []byte
		if html {
			gotS, gotB = AppendHTML([]byte("p"), s), AppendHTML([]byte("p"), []byte(s))
		} else {
			gotS, gotB = Append([]byte("p"), s), Append([]byte("p"), []byte(s))
		}
		for _, got := range [][]byte{gotS, gotB} {
			if !bytes.Equal(got[1:], want) || got[0] != 'p' {
				t.Fatalf("html=%v %q:\n got %q\nwant %q", html, s, got, want)
			}
		}
		if !html {
			// Plain is exact on ASCII; text of other bytes is never plain.
			if plain := string(want) == `"`+s+`"`; Plain(s) && !plain || !Plain(s) && plain && ascii(s) {
				t.Fatalf("Plain(%q) = %v, but encoding/json writes %s", s, Plain(s), want)
			}
		}
	}
}

// TestAppend compares both escapings with encoding/json's over every
// byte, every escape, invalid UTF-8 at the ends, runes cut short and
// long strings (which grow the buffer in the escape of a byte).
func TestAppend(t *testing.T) {
	var all []byte
	for c := range 256 {
		all = append(all, byte(c))
		check(t, string([]byte{byte(c)}))
		check(t, "ab"+string([]byte{byte(c)})+"cd")
	}
	cases := []string{
		"", "plain", string(all),
		"a \"quoted\" \\ back\b\f\n\r\t\x00\x01\x1f <b>&amp; \u2028\u2029 é 中 😀 \xff\xfe bad\xc3",
		"\xe2\x80", "\xe2\x80\xa8", "\xe2\x80\xa9x", "é", "\xc3", "x\xf0\x9f\x98", "\xed\xa0\x80", // a surrogate is invalid
		strings.Repeat("<", 5000), strings.Repeat("\x01", 3000) + "tail", strings.Repeat("\xff", 4097),
		strings.Repeat(`{"k":"v","n":[1,2]}`, 2000), strings.Repeat("é\u2028", 999),
		// long escapes first, then two-byte ones: the room made for the
		// first must leave two bytes for each byte after it
		strings.Repeat("\x01", 3000) + strings.Repeat(`"`, 3000), strings.Repeat("<\xff", 1500) + strings.Repeat("\n", 4000),
	}
	for _, s := range cases {
		check(t, s)
	}
}

// FuzzAppend checks both escapings against encoding/json.
func FuzzAppend(f *testing.F) {
	f.Add("a \"quoted\" \\ <b>&amp; \u2028 é \xff")
	f.Add(`{"Id":"x","Title":"<script>&</script>"}`)
	f.Add("\x00\x1f\x7f\xc3")
	f.Fuzz(func(t *testing.T, s string) {
		check(t, s)
		if !utf8.ValidString(s) {
			check(t, s+"\u2029")
		}
	})
}

// BenchmarkAppendHTMLRecord escapes provider records (JSON text, as the
// OCSF writer escapes each raw record into raw_data).
func BenchmarkAppendHTMLRecord(b *testing.B) {
	var recs [][]byte
	for _, name := range []string{"securityhub-get-findings.json", "guardduty-get-findings.json", "defender-resource-graph.json", "inspector-list-findings.json", "scc-list-findings.json"} {
		data, err := os.ReadFile("../findings/load/testdata/samples/" + name)
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, data); err != nil {
			b.Fatal(err)
		}
		recs = append(recs, buf.Bytes())
	}
	size := 0
	for _, r := range recs {
		size += len(r)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	var out []byte
	cpu0 := cpuTime()
	for b.Loop() {
		out = out[:0]
		for _, r := range recs {
			out = AppendHTML(out, r)
		}
	}
	// The CPU time, which a loaded machine does not inflate as it does
	// the wall time.
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/float64(size), "cpu-ns/B")
}
