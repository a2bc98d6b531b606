package playbook

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/respond"
)

// Match reports whether the playbook applies to s: its trigger, then its
// condition. A condition that fails to evaluate (a missing map key) is an
// error, not a match.
func (p *Playbook) Match(s *respond.Subject) (bool, error) {
	if !p.Trigger.match(s) {
		return false, nil
	}
	if p.program == nil {
		return true, nil
	}
	out, _, err := p.program.Eval(map[string]any{"subject": s.View(baseData)})
	if err != nil {
		return false, fmt.Errorf("%s: condition: %w", p.Name, err)
	}
	b, ok := out.Value().(bool)
	if !ok {
		return false, fmt.Errorf("%s: condition gave %v, not a boolean", p.Name, out.Value())
	}
	return b, nil
}

func (t *Trigger) match(s *respond.Subject) bool {
	switch s.Kind {
	case "finding":
		f := t.Findings
		if f == nil {
			return false
		}
		return anyGlob(f.Rules, s.Rule) && anyFold(f.Categories, s.Category) && anyFold(f.Severities, s.Severity) &&
			anyFold(f.Providers, s.Provider) && anyOf(f.Accounts, s.Account) && tagsMatch(f.Tags, s.Resource.Tags)
	case "alert":
		a := t.Alerts
		if a == nil {
			return false
		}
		if !(anyGlob(a.Rules, s.Rule) || len(a.Rules) > 0 && anyGlob(a.Rules, s.Title)) {
			return false
		}
		return anyFold(a.Levels, s.Level) && techniques(a.Techniques, s.Techniques) && anyFold(a.Providers, s.Provider) && anyOf(a.Accounts, s.Account)
	}
	return false
}

func anyGlob(pats []string, s string) bool {
	return len(pats) == 0 || slices.ContainsFunc(pats, func(p string) bool { return finding.GlobMatch(p, s) })
}

func anyFold(list []string, s string) bool {
	return len(list) == 0 || slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, s) })
}

func anyOf(list []string, s string) bool { return len(list) == 0 || slices.Contains(list, s) }

func tagsMatch(want, got map[string]string) bool {
	for k, v := range want {
		g, ok := got[k]
		if !ok || v != "*" && g != v {
			return false
		}
	}
	return true
}

// techniques: T1098 selects T1098 and its sub-techniques T1098.001.
func techniques(want, got []string) bool {
	if len(want) == 0 {
		return true
	}
	for _, w := range want {
		w = strings.ToUpper(w)
		for _, g := range got {
			g = strings.ToUpper(g)
			if g == w || strings.HasPrefix(g, w+".") {
				return true
			}
		}
	}
	return false
}

// Data is what templates and conditions see of s: every field by its
// JSON name (empty ones too, so that a reference to a known field never
// fails), and the outputs of earlier steps under "steps".
func Data(s *respond.Subject, steps map[string]map[string]string) map[string]any {
	base := s.View(baseData)
	if len(steps) == 0 {
		return base
	}
	d := maps.Clone(base)
	st := map[string]any{}
	for id, outs := range steps {
		m := map[string]any{}
		for k, v := range outs {
			m[k] = v
		}
		st[id] = m
	}
	d["steps"] = st
	return d
}

// baseData is Data without step outputs.
func baseData(s *respond.Subject) map[string]any {
	tags := map[string]any{}
	for k, v := range s.Resource.Tags {
		tags[k] = v
	}
	techs := make([]any, len(s.Techniques))
	for i, t := range s.Techniques {
		techs[i] = t
	}
	raw := s.Raw
	if raw == nil {
		raw = map[string]any{}
	}
	var tm string
	if !s.Time.IsZero() {
		tm = s.Time.UTC().Format(time.RFC3339)
	}
	return map[string]any{
		"kind": s.Kind, "id": s.ID, "rule": s.Rule, "title": s.Title, "category": s.Category, "severity": s.Severity,
		"level": s.Level, "status": s.Status, "techniques": techs, "message": s.Message, "provider": s.Provider,
		"account": s.Account, "region": s.Region, "principal": s.Principal, "source_ip": s.SourceIP, "time": tm,
		"resource": map[string]any{"id": s.Resource.ID, "type": s.Resource.Type, "name": s.Resource.Name, "tags": tags},
		"raw":      raw, "steps": map[string]any{},
	}
}

func funcs() template.FuncMap {
	return template.FuncMap{
		"lower": strings.ToLower,
		"upper": strings.ToUpper,
		"join": func(sep string, v any) string {
			switch x := v.(type) {
			case []any:
				parts := make([]string, len(x))
				for i, e := range x {
					parts[i] = fmt.Sprint(e)
				}
				return strings.Join(parts, sep)
			case []string:
				return strings.Join(x, sep)
			}
			return fmt.Sprint(v)
		},
		// default returns v, or def when v is empty.
		"default": func(def string, v any) string {
			if v == nil || fmt.Sprint(v) == "" {
				return def
			}
			return fmt.Sprint(v)
		},
		// tag is filled per render (the subject's tags); this one is for
		// parsing.
		"tag": func(string) string { return "" },
	}
}

// Render templates the step's inputs from s and the outputs of earlier
// steps. A reference to a value the subject does not have (a tag it lacks
// through .resource.tags.X, a raw field, an output an earlier step did not
// give) is an error naming the input.
func (st *Step) Render(s *respond.Subject, steps map[string]map[string]string) (map[string]string, error) {
	out := make(map[string]string, len(st.literal)+len(st.with))
	for k, v := range st.literal {
		out[k] = v
	}
	if len(st.with) == 0 {
		return out, nil
	}
	var data map[string]any
	if st.usesSteps {
		data = Data(s, steps)
	} else {
		data = s.View(baseData)
	}
	var b strings.Builder
	for k, tpl := range st.with {
		b.Reset()
		t := tpl
		if st.usesTag[k] {
			var err error
			if t, err = tpl.Clone(); err != nil {
				return nil, err
			}
			t.Funcs(template.FuncMap{"tag": func(key string) string { return s.Resource.Tags[key] }})
		}
		if err := t.Execute(&b, data); err != nil {
			return nil, fmt.Errorf("step %s: input %s: %w", st.id, k, err)
		}
		out[k] = b.String()
	}
	return out, nil
}
