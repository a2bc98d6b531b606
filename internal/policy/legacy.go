package policy

// The first rule contract, kept while the built-in pack migrates: a rule
// defines fail and pass (and maybe applicable); a resource in neither set is
// UNKNOWN. Delete this file once no rule defines `pass`.

import (
	"context"
	"fmt"
	"sort"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

func (e *Engine) legacyFindings(ctx context.Context, i int, in *Input, b rego.Vars) ([]finding.Finding, error) {
	rule := e.rules[i]
	res, err := fastResults(rule, in, b)
	if err != nil {
		return nil, err
	}
	if res == nil { // a result set holds more than ids of the rule's class
		if res, err = slowResults(rule, in, b); err != nil {
			return nil, err
		}
	}
	if e.messages[i] != nil && res.fails > 0 {
		if err := e.ruleMessages(ctx, i, in, res.failed, res.msgs); err != nil {
			return nil, err
		}
	}
	out := make([]finding.Finding, 0, len(res.covered))
	for k, r := range res.covered {
		msg := ""
		switch res.status[k] {
		case finding.Fail:
			msg = res.msgs[r.ID]
		case finding.Unknown:
			msg = "the input does not carry the data this rule needs"
		}
		out = append(out, rule.New(r.Ref(), res.status[k], msg, rule.refs))
	}
	return out, nil
}

// ruleResults are a rule's statuses for the resources it covers.
type ruleResults struct {
	covered []*resource.Resource
	status  []finding.Status
	fails   int
	failed  func(id string) bool
	msgs    map[string]string
}

// fastResults decides statuses by looking each covered resource's id up in
// the fail and pass sets. Iterating an OPA set sorts it first, which over a
// large inventory costs more than the rule; lookups do not. It returns nil
// when some element of a set is not the id of a covered resource (an
// {id, message} object, a resource of another class): slowResults handles
// those.
func fastResults(rule *Rule, in *Input, b rego.Vars) (*ruleResults, error) {
	fail, err := resultSet(b["fail"], "fail")
	if err != nil {
		return nil, fmt.Errorf("rule %s: %w", rule.ID, err)
	}
	pass, err := resultSet(b["pass"], "pass")
	if err != nil {
		return nil, fmt.Errorf("rule %s: %w", rule.ID, err)
	}
	app, err := resultSet(b["applicable"], "applicable")
	if err != nil {
		return nil, fmt.Errorf("rule %s: %w", rule.ID, err)
	}
	has := func(s ast.Set, k *ast.Term) bool { return s != nil && s.Contains(k) }
	size := func(s ast.Set) int {
		if s == nil {
			return 0
		}
		return s.Len()
	}
	res := &ruleResults{msgs: map[string]string{}}
	hitsF, hitsP, hitsA := 0, 0, 0
	failedIDs := map[string]bool{}
	for _, r := range in.byClass[rule.Class] {
		if !rule.HasProvider(r.Provider) {
			continue
		}
		k := ast.StringTerm(r.ID)
		if app != nil {
			if !app.Contains(k) {
				continue
			}
			hitsA++
		}
		st := finding.Unknown
		inF, inP := has(fail, k), has(pass, k)
		if inF {
			hitsF++
			st = finding.Fail
			failedIDs[r.ID] = true
		}
		if inP {
			hitsP++
			if !inF {
				st = finding.Pass
			}
		}
		res.covered = append(res.covered, r)
		res.status = append(res.status, st)
	}
	if hitsF != size(fail) || hitsP != size(pass) || hitsA != size(app) {
		return nil, nil
	}
	res.fails = hitsF
	res.failed = func(id string) bool { return failedIDs[id] }
	return res, nil
}

// slowResults reads the fail, pass and applicable sets element by element:
// fail elements may be {"id": ..., "message": ...} objects, and a rule may
// judge resources outside its class.
func slowResults(rule *Rule, in *Input, b rego.Vars) (*ruleResults, error) {
	fail, msgs, err := failSet(b["fail"])
	if err != nil {
		return nil, fmt.Errorf("rule %s: fail: %w", rule.ID, err)
	}
	pass, err := idSet(b["pass"])
	if err != nil {
		return nil, fmt.Errorf("rule %s: pass: %w", rule.ID, err)
	}
	// The resources the rule covers: `applicable` when the rule defines it,
	// otherwise every resource of its class from its providers.
	var covered []*resource.Resource
	if b["applicable"] != nil {
		app, err := idSet(b["applicable"])
		if err != nil {
			return nil, fmt.Errorf("rule %s: applicable: %w", rule.ID, err)
		}
		for _, r := range in.byClass[rule.Class] {
			if app[r.ID] {
				covered = append(covered, r)
				delete(app, r.ID)
			}
		}
		extra := make([]string, 0, len(app))
		for id := range app { // applicable resources of other classes
			extra = append(extra, id)
		}
		sort.Strings(extra)
		for _, id := range extra {
			if r := in.byID[id]; r != nil {
				covered = append(covered, r)
			}
		}
	} else {
		for _, r := range in.byClass[rule.Class] {
			if rule.HasProvider(r.Provider) {
				covered = append(covered, r)
			}
		}
	}
	// A rule may fail or pass a resource outside the covered set (e.g. of
	// another class); report those too.
	inCovered := make(map[string]bool, len(covered))
	for _, r := range covered {
		inCovered[r.ID] = true
	}
	for _, set := range []map[string]bool{fail, pass} {
		extra := make([]string, 0)
		for id := range set {
			if !inCovered[id] {
				extra = append(extra, id)
			}
		}
		sort.Strings(extra)
		for _, id := range extra {
			if r := in.byID[id]; r != nil && rule.HasProvider(r.Provider) {
				covered = append(covered, r)
				inCovered[id] = true
			}
		}
	}
	res := &ruleResults{covered: covered, msgs: msgs, failed: func(id string) bool { return fail[id] }}
	for _, r := range covered {
		st := finding.Unknown
		switch {
		case fail[r.ID]:
			st = finding.Fail
			res.fails++
		case pass[r.ID]:
			st = finding.Pass
		}
		res.status = append(res.status, st)
	}
	return res, nil
}

// idSet reads a set of resource ids.
func idSet(v any) (map[string]bool, error) {
	ids, _, err := failSet(v)
	return ids, err
}

// failSet reads a rule's fail set, whose elements are resource ids or
// objects {"id": ..., "message": ...}.
func failSet(v any) (map[string]bool, map[string]string, error) {
	ids := map[string]bool{}
	msgs := map[string]string{}
	if v == nil {
		return ids, msgs, nil
	}
	t, ok := v.(*ast.Term)
	if !ok {
		return nil, nil, fmt.Errorf("want a set of resource ids, got %T", v)
	}
	set, ok := t.Value.(ast.Set)
	if !ok {
		return nil, nil, fmt.Errorf("want a set of resource ids, got %v", ast.ValueName(t.Value))
	}
	var err error
	set.Foreach(func(x *ast.Term) {
		switch x := x.Value.(type) {
		case ast.String:
			ids[string(x)] = true
		case ast.Object:
			id, ok := x.Get(ast.StringTerm("id")).Value.(ast.String)
			if !ok {
				err = fmt.Errorf("fail element %v has no string id", x)
				return
			}
			ids[string(id)] = true
			if m := x.Get(ast.StringTerm("message")); m != nil {
				if ms, ok := m.Value.(ast.String); ok {
					msgs[string(id)] = string(ms)
				}
			}
		default:
			err = fmt.Errorf("want resource ids or {id, message} objects, got %v", x)
		}
	})
	if err != nil {
		return nil, nil, err
	}
	return ids, msgs, nil
}
