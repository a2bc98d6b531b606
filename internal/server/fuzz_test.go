package server

import (
	"net/url"
	"slices"
	"testing"

	"github.com/vigil-sec/vigil/internal/history"
)

// FuzzParseFilter feeds query strings to the explorer's filter: it never
// panics, and what it accepts stays within the fixed lists and bounds the
// store is given.
func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{"", "state=new,open&severity=critical", "state=all&group=rule", "sort=account&desc=1&limit=500&page=3",
		"cloud=aws&account=1&account=2&rule=x&resource=%3Cscript%3E", "offset=10&limit=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		flt, err := parseFilter(v)
		if err != nil {
			return
		}
		q := flt.Q
		if q.Limit < 1 || q.Limit > maxPage || q.Offset < 0 || flt.Page < 1 {
			t.Fatalf("%q: limit %d offset %d page %d", raw, q.Limit, q.Offset, flt.Page)
		}
		if !slices.Contains(history.SortKeys, q.Sort) || (flt.GroupBy != "" && !slices.Contains(history.GroupKeys, flt.GroupBy)) {
			t.Fatalf("%q: sort %q group %q", raw, q.Sort, flt.GroupBy)
		}
		for _, st := range q.States {
			if _, err := history.ParseState(string(st)); err != nil {
				t.Fatalf("%q: state %q", raw, st)
			}
		}
		for _, p := range q.Providers {
			if p != "aws" && p != "azure" && p != "gcp" {
				t.Fatalf("%q: cloud %q", raw, p)
			}
		}
		_ = flt.with("page", "2")
	})
}
