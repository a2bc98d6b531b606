package compliance

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/vigil-sec/vigil/internal/resource"
)

// Formats lists the formats Write accepts.
var Formats = []string{"html", "json"}

// Write renders the report in format (html or json).
func Write(ctx context.Context, w io.Writer, format string, r *Report) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(r)
	case "html", "":
		return htmlTemplate().Execute(w, r)
	}
	return fmt.Errorf("unknown format %q (want html or json)", format)
}

//go:embed report.html.tmpl
var htmlSource string

// htmlTemplate is parsed on first use, not at every start of the binary.
var htmlTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("compliance").Funcs(template.FuncMap{
		"score": func(s *float64) string {
			if s == nil {
				return "n/a"
			}
			return fmt.Sprintf("%.1f%%", *s)
		},
		"grade": func(s *float64) string {
			switch {
			case s == nil:
				return "na"
			case *s >= 90:
				return "good"
			case *s >= 70:
				return "fair"
			}
			return "poor"
		},
		"cloud": cloudName,
		"time":  func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"join":  func(s []string, sep string) string { return strings.Join(s, sep) },
		"providers": func(ps []resource.Provider) string {
			names := make([]string, len(ps))
			for i, p := range ps {
				names[i] = cloudName(p)
			}
			return strings.Join(names, ", ")
		},
		"cell": func(pe ProviderEvidence) string {
			if pe.Checked == 0 && pe.Unknown == 0 {
				return "–"
			}
			s := fmt.Sprintf("%d/%d", pe.Passed, pe.Checked)
			if pe.Unknown > 0 {
				s += fmt.Sprintf(" (+%d unknown)", pe.Unknown)
			}
			return s
		},
		"sections": sections,
		"scoped": func(r *Report, pes []ProviderEvidence) []ProviderEvidence {
			var out []ProviderEvidence
			for _, pe := range pes {
				for _, p := range r.Providers {
					if pe.Provider == p {
						out = append(out, pe)
					}
				}
			}
			return out
		},
		"cellFor": func(pes []ProviderEvidence, p resource.Provider) ProviderEvidence {
			for _, pe := range pes {
				if pe.Provider == p {
					return pe
				}
			}
			return ProviderEvidence{Provider: p}
		},
		"anchor": func(id string) string {
			var b strings.Builder
			for _, r := range id {
				if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' {
					b.WriteRune(r)
				} else {
					b.WriteByte('_')
				}
			}
			return "c-" + b.String()
		},
	}).Parse(htmlSource))
})

func cloudName(p resource.Provider) string {
	switch p {
	case "aws":
		return "AWS"
	case "azure":
		return "Azure"
	case "gcp":
		return "GCP"
	}
	return string(p)
}

// section groups consecutive controls of one catalogue section.
type section struct {
	Name     string
	Controls []*ControlEvidence
}

func sections(cs []ControlEvidence) []section {
	var out []section
	for i := range cs {
		name := cs[i].Section
		if name == "" {
			name = "Controls mapped by vigil's rules"
		}
		if len(out) == 0 || out[len(out)-1].Name != name {
			out = append(out, section{Name: name})
		}
		out[len(out)-1].Controls = append(out[len(out)-1].Controls, &cs[i])
	}
	return out
}
