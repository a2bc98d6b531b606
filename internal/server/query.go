package server

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/history"
)

// maxPage bounds a page of findings.
const maxPage = 500

// filter is a findings query read from URL parameters, validated; the
// same parameters serve the explorer, its export and the API.
type filter struct {
	Q       history.FindingQuery
	Page    int    // 1-based
	GroupBy string // "" lists findings
	// Values are the parameters as given, to build links that keep them.
	Values url.Values
}

// activeStates are the explorer's default: what is failing now.
var activeStates = []history.State{history.StateNew, history.StateOpen, history.StateReopened, history.StateSuppressed}

// list splits repeated and comma-separated values.
func list(v url.Values, key string) []string {
	var out []string
	for _, s := range v[key] {
		for _, x := range strings.Split(s, ",") {
			if x = strings.TrimSpace(x); x != "" {
				out = append(out, x)
			}
		}
	}
	return out
}

func parseFilter(v url.Values) (*filter, error) {
	f := &filter{Values: v, Page: 1}
	q := &f.Q
	for _, s := range list(v, "state") {
		if s == "all" {
			q.States = nil
			break
		}
		st, err := history.ParseState(s)
		if err != nil {
			return nil, err
		}
		q.States = append(q.States, st)
	}
	if _, given := v["state"]; !given {
		q.States = activeStates
	}
	for _, s := range list(v, "severity") {
		sev, err := finding.ParseSeverity(s)
		if err != nil {
			return nil, err
		}
		q.Severities = append(q.Severities, sev)
	}
	for _, s := range list(v, "cloud") {
		s = strings.ToLower(s)
		if s != "aws" && s != "azure" && s != "gcp" {
			return nil, fmt.Errorf("unknown cloud %q (want aws, azure or gcp)", s)
		}
		q.Providers = append(q.Providers, s)
	}
	q.Accounts = list(v, "account")
	q.Rules = list(v, "rule")
	q.Resource = strings.TrimSpace(v.Get("resource"))
	q.Source = strings.TrimSpace(v.Get("source"))
	for _, vals := range [][]string{q.Accounts, q.Rules, {q.Resource, q.Source}} {
		if len(vals) > 50 {
			return nil, fmt.Errorf("at most 50 values of a filter")
		}
		for _, x := range vals {
			if len(x) > 2048 {
				return nil, fmt.Errorf("a filter value has at most 2048 bytes")
			}
		}
	}
	q.Sort = v.Get("sort")
	if q.Sort == "" {
		q.Sort = "severity"
	}
	if !slices.Contains(history.SortKeys, q.Sort) {
		return nil, fmt.Errorf("unknown sort %q (want one of %s)", q.Sort, strings.Join(history.SortKeys, ", "))
	}
	q.Desc = v.Get("desc") == "1" || v.Get("desc") == "true"
	q.Limit = 50
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxPage {
			return nil, fmt.Errorf("limit is 1 to %d", maxPage)
		}
		q.Limit = n
	}
	if s := v.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1_000_000 {
			return nil, fmt.Errorf("page is a positive number")
		}
		f.Page = n
	}
	if s := v.Get("after"); s != "" { // keyset paging: the last finding's ID
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("after is a finding ID")
		}
		q.After = n
	}
	if s := v.Get("offset"); s != "" { // the API's alternative to page
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("offset is a number, 0 or more")
		}
		q.Offset = n
	} else {
		q.Offset = (f.Page - 1) * q.Limit
	}
	if g := v.Get("group"); g != "" {
		if !slices.Contains(history.GroupKeys, g) {
			return nil, fmt.Errorf("unknown grouping %q (want one of %s)", g, strings.Join(history.GroupKeys, ", "))
		}
		f.GroupBy = g
	}
	return f, nil
}

// with returns the filter's query string with key set to val ("" removes
// it).
func (f *filter) with(kv ...string) string {
	v := url.Values{}
	for k, x := range f.Values {
		v[k] = x
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			v.Del(kv[i])
		} else {
			v.Set(kv[i], kv[i+1])
		}
	}
	return v.Encode()
}

// parseExpiry reads a suppression's expiry: empty (never), a date (the end
// of that day, UTC) or an RFC 3339 time.
func parseExpiry(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t.Add(24*time.Hour - time.Millisecond), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("expiry %q: want YYYY-MM-DD or an RFC 3339 time", s)
	}
	return t, nil
}

// localPath accepts a redirect target only when it stays on this server.
func localPath(s string) string {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.HasPrefix(s, "/\\") || strings.ContainsAny(s, "\r\n") {
		return "/"
	}
	return s
}
