package findings

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/lazy"
)

//go:embed findings.html.tmpl
var htmlSource string

// htmlParsed is the template, parsed on first use (lazy: no initializer at
// every start of the binary).
var htmlParsed lazy.Value[*template.Template]

func htmlTemplate() *template.Template {
	t, _ := htmlParsed.Get(func() (*template.Template, error) {
		return template.Must(template.New("findings").Funcs(template.FuncMap{
			"lower": func(s any) string { return strings.ToLower(fmt.Sprint(s)) },
			"day": func(t time.Time) string {
				if t.IsZero() {
					return ""
				}
				return t.UTC().Format("2006-01-02 15:04")
			},
			"join":  strings.Join,
			"deref": func(b *bool) bool { return b != nil && *b },
		}).Parse(htmlSource)), nil
	})
	return t
}

// count is one row of a summary table.
type count struct {
	Name  string
	Total int
	// BySeverity counts the active findings per severity, critical first.
	BySeverity []int
}

type htmlData struct {
	Generated  string
	Total      int
	Active     int
	Severities []finding.Severity
	Products   []count
	Accounts   []count
	Findings   []Finding
}

// htmlSeverities are the columns of the summaries, worst first.
var htmlSeverities = []finding.Severity{finding.Critical, finding.High, finding.Medium, finding.Low, finding.Info}

// WriteHTML writes fs (in the order given: callers sort them worst first)
// as one self-contained HTML page: active findings per severity by
// product and by account, then every finding with its resource, context
// and, for vulnerabilities, the package, version and fixed version. Every
// value from the providers' records is escaped by html/template.
func WriteHTML(w io.Writer, fs []Finding, now time.Time) error {
	d := htmlData{Generated: now.UTC().Format(time.RFC3339), Total: len(fs), Severities: htmlSeverities, Findings: fs}
	products, accounts := map[string]*count{}, map[string]*count{}
	add := func(m map[string]*count, key string, f *Finding) {
		c := m[key]
		if c == nil {
			c = &count{Name: key, BySeverity: make([]int, len(htmlSeverities))}
			m[key] = c
		}
		c.Total++
		if f.Status != Active {
			return
		}
		for i, s := range htmlSeverities {
			if f.Severity == s {
				c.BySeverity[i]++
			}
		}
	}
	for i := range fs {
		f := &fs[i]
		if f.Status == Active {
			d.Active++
		}
		add(products, string(f.Product), f)
		acct := f.Resource.Account
		if acct == "" {
			acct = "(none)"
		}
		add(accounts, string(f.Resource.Provider)+" "+acct, f)
	}
	d.Products, d.Accounts = sorted(products), sorted(accounts)
	return htmlTemplate().Execute(w, d)
}

// sorted lists the counts worst first: most active critical, then high...
func sorted(m map[string]*count) []count {
	out := make([]count, 0, len(m))
	for _, c := range m {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		for k := range a.BySeverity {
			if a.BySeverity[k] != b.BySeverity[k] {
				return a.BySeverity[k] > b.BySeverity[k]
			}
		}
		return a.Name < b.Name
	})
	return out
}
