package cloudtrail

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestAppendStringMatchesStdlib: strings with each byte that needs care
// (controls, quote, backslash, HTML characters, U+2028, invalid UTF-8,
// multi-byte runes) at every position of a word and across words are
// written as encoding/json writes them.
func TestAppendStringMatchesStdlib(t *testing.T) {
	specials := []string{"\x00", "\x1f", "\b", "\f", "\n", "\t", `"`, `\`, "<", ">", "&", "\x7f", "\u2028", "\u2029", "\xff", "é", "\xe2\x80", " ", "~"}
	for _, sp := range specials {
		for n := 0; n < 20; n++ {
			for pos := 0; pos <= n; pos++ {
				s := strings.Repeat("a", pos) + sp + strings.Repeat("b", n-pos)
				want, err := json.Marshal(s)
				if err != nil {
					t.Fatal(err)
				}
				if got := appendString(nil, s); string(got) != string(want) {
					t.Fatalf("appendString(%q) = %s, want %s", s, got, want)
				}
			}
		}
	}
}
