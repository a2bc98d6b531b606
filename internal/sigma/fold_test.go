package sigma

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// foldSlow is matchString's case-insensitive definition: the value's
// lower case (strings.ToLower, rune by rune) against the lower-cased
// literal p, the ASCII fast paths left out.
func foldSlow(op strOp, s, p string) bool {
	switch op {
	case opEq:
		return strings.EqualFold(s, p)
	case opPrefix:
		return len(s) >= len(p) && equalFoldLower(s[:len(p)], p) || !isASCII(s) && strings.HasPrefix(strings.ToLower(s), p)
	case opSuffix:
		return len(s) >= len(p) && equalFoldLower(s[len(s)-len(p):], p) || !isASCII(s) && strings.HasSuffix(strings.ToLower(s), p)
	case opContains:
		if isASCII(s) {
			if len(p) > len(s) {
				return false
			}
			for i := 0; i+len(p) <= len(s); i++ {
				if equalFoldLower(s[i:i+len(p)], p) {
					return true
				}
			}
			return false
		}
		return strings.Contains(strings.ToLower(s), p)
	}
	return false
}

var foldCases = []string{
	"", "a", "A", "Describe", "DescribeInstances", "describeinstances", "DESCRIBE", "Get", "GetObject",
	"List", "ListBuckets", "AKIAEXAMPLE", "ASIAEXAMPLE", "akia", "aws-sdk-go/1.0 Terraform/1.5 (+https://www.terraform.io)",
	"terraform/", "TERRAFORM/", "K", "\u212a", "\u212aey", "kEY", "key", "Straße", "STRASSE", "strasse",
	"ß", "é", "É", "xé", "Éx", "\xff", "a\xff", "\xffa", "abc\xff", "ec2.amazonaws.com", ".amazonaws.com",
	"EC2.AMAZONAWS.COM", "s3.AMAZONAWS.com\u212a", "İ", "i̇", "ı", "I", "ǅ", "ǆ", "Ǆ",
}

// TestFoldFastPathsSameAsSlow compares the ASCII fast paths of
// case-insensitive equality, prefix, suffix and contains with their
// definitions over ASCII, non-ASCII, case-changing-length and invalid
// UTF-8 values.
func TestFoldFastPathsSameAsSlow(t *testing.T) {
	for _, raw := range foldCases {
		for _, s := range foldCases {
			checkFold(t, s, strings.ToLower(raw))
		}
	}
}

func checkFold(t *testing.T, s, p string) {
	t.Helper()
	for _, op := range []strOp{opEq, opPrefix, opSuffix, opContains} {
		m := &vmatch{kind: vStr, op: op, s: p}
		want := foldSlow(op, s, p)
		if op == opEq {
			// matchString's own equality (not strings.EqualFold) is the
			// reference for lengths that differ.
			want = len(s) == len(p) && equalFoldLower(s, p) || len(s) != len(p) && !isASCII(s) && strings.EqualFold(s, p)
		}
		if got := m.matchString(s); got != want {
			t.Errorf("op %d: matchString(%q) against %q = %v, want %v", op, s, p, got, want)
		}
	}
}

func FuzzFoldFastPaths(f *testing.F) {
	for _, s := range foldCases {
		f.Add(s, "describe")
		f.Add("x"+s, s)
	}
	f.Fuzz(func(t *testing.T, s, raw string) {
		if !utf8.ValidString(raw) {
			return // literals come from YAML: valid UTF-8
		}
		checkFold(t, s, strings.ToLower(raw))
	})
}
