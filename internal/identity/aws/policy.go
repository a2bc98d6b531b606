package awsiam

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	awsref "github.com/vigil-sec/vigil/internal/identity/refdata/aws"

	"github.com/vigil-sec/vigil/internal/resource"
)

// Policy is a policy document compiled for evaluation: action sets
// indexed, resource patterns split into ARN fields, condition operators
// read. It is immutable and safe for concurrent use; compile a managed
// policy once and share it between every principal it is attached to.
type Policy struct {
	// Name identifies the policy in decisions and problems: an ARN, or
	// "<principal ARN>#<inline name>" for an inline policy.
	Name string
	// Broken is why the document could not be used ("" when it could): a
	// parse error. A broken policy may allow or deny anything, so every
	// answer it could change is Uncertain.
	Broken string
	stmts  []stmt
	// byAction indexes the statements whose Action list names exact
	// actions (lower-cased); wild lists the others (wildcards, NotAction).
	byAction map[string][]int32
	wild     []int32
	// cache memoizes, per lower-cased action, the statements that may
	// apply (a managed policy is asked the same few actions for thousands
	// of principals); bounded by maxCached entries.
	cache  sync.Map // string → []int32
	cached atomic.Int32
}

// maxCached bounds the actions memoized per policy.
const maxCached = 512

// stmt is one compiled statement.
type stmt struct {
	idx       int
	sid       string
	allow     bool
	notAction bool
	actExact  []string // lower-cased
	actGlobs  []string // lower-cased patterns with wildcards
	// globsBySvc indexes actGlobs by their literal service prefix;
	// globsAny are those whose service part has a wildcard.
	globsBySvc map[string][]string
	globsAny   []string
	actAll     bool
	noAction   bool // neither Action nor NotAction: matches nothing
	notRes     bool
	res        []arnPattern
	resAll     bool // no Resource element (trust policies): any resource
	principals []resource.Principal
	notPrin    bool
	hasPrin    bool
	conds      []cond
	badOps     []string // operators AWS does not document: the statement is uncertain
}

// Problem is a policy vigil could not fully read: it names the policy and
// what is wrong; decisions that depend on it are Uncertain.
type Problem struct {
	// Principal is the principal the policy applies to, "" when it is
	// reported for the policy alone.
	Principal string `json:"principal,omitempty"`
	Policy    string `json:"policy"`
	Message   string `json:"message"`
}

func (p Problem) String() string {
	if p.Principal != "" {
		return fmt.Sprintf("%s: policy %s: %s", p.Principal, p.Policy, p.Message)
	}
	return fmt.Sprintf("policy %s: %s", p.Policy, p.Message)
}

// Catalog tells whether an action exists; awsref.Data implements it.
type Catalog interface {
	Known(action string) bool
	ServiceKnown(prefix string) bool
}

// Compile compiles a parsed policy document. A nil document or one that did
// not parse gives a Broken policy. Problems lists what could not be read:
// the parse error, condition operators AWS does not document, and, when
// cat is non-nil, actions the catalog does not know.
func Compile(name string, doc *resource.PolicyDocument, cat Catalog) (*Policy, []Problem) {
	p := &Policy{Name: name, byAction: map[string][]int32{}}
	var probs []Problem
	switch {
	case doc == nil:
		p.Broken = "no policy document"
	case doc.Error != "":
		p.Broken = doc.Error
	}
	if p.Broken != "" {
		return p, []Problem{{Policy: name, Message: "policy does not parse: " + p.Broken}}
	}
	// Policy variables are substituted only in version 2012-10-17.
	variables := doc.Version == "2012-10-17"
	for i, s := range doc.Statements {
		st := stmt{idx: i, sid: s.Sid, allow: s.Effect == "Allow"}
		acts := s.Actions
		switch {
		case s.NotActions != nil:
			st.notAction, acts = true, s.NotActions
		case s.Actions == nil:
			st.noAction = true
			probs = append(probs, Problem{Policy: name, Message: fmt.Sprintf("statement %s has neither Action nor NotAction", stmtLabel(i, s.Sid))})
		}
		for _, a := range acts {
			la := strings.ToLower(a)
			switch {
			case la == "*":
				st.actAll = true
			case strings.ContainsAny(la, "*?"):
				st.actGlobs = append(st.actGlobs, la)
				if svc, _, ok := strings.Cut(la, ":"); ok && !strings.ContainsAny(svc, "*?") && isASCII(la) {
					if st.globsBySvc == nil {
						st.globsBySvc = map[string][]string{}
					}
					st.globsBySvc[svc] = append(st.globsBySvc[svc], la)
				} else {
					st.globsAny = append(st.globsAny, la)
				}
				if cat != nil {
					if svc, _, _ := strings.Cut(la, ":"); !strings.ContainsAny(svc, "*?") && !cat.ServiceKnown(svc) {
						probs = append(probs, Problem{Policy: name, Message: fmt.Sprintf("statement %s: unknown service in action %q", stmtLabel(i, s.Sid), a)})
					}
				}
			default:
				st.actExact = append(st.actExact, la)
				if cat != nil && !cat.Known(a) {
					probs = append(probs, Problem{Policy: name, Message: fmt.Sprintf("statement %s: unknown action %q", stmtLabel(i, s.Sid), a)})
				}
			}
		}
		res := s.Resources
		switch {
		case s.NotResources != nil:
			st.notRes, res = true, s.NotResources
		case s.Resources == nil:
			st.resAll = true
		}
		for _, r := range res {
			st.res = append(st.res, compileARN(r, variables))
		}
		if s.Principals != nil || s.NotPrincipals != nil {
			st.hasPrin = true
			st.principals = s.Principals
			if s.NotPrincipals != nil {
				st.notPrin, st.principals = true, s.NotPrincipals
			}
		}
		for _, c := range s.Conditions {
			cc, ok := compileCond(c, variables)
			if !ok {
				st.badOps = append(st.badOps, c.Operator)
				probs = append(probs, Problem{Policy: name, Message: fmt.Sprintf("statement %s: unsupported condition operator %q", stmtLabel(i, s.Sid), c.Operator)})
				continue
			}
			st.conds = append(st.conds, cc)
		}
		n := int32(len(p.stmts))
		p.stmts = append(p.stmts, st)
		if !st.notAction && !st.actAll && len(st.actGlobs) == 0 {
			seen := map[string]bool{}
			for _, a := range st.actExact {
				if !seen[a] {
					seen[a] = true
					p.byAction[a] = append(p.byAction[a], n)
				}
			}
		} else {
			p.wild = append(p.wild, n)
		}
	}
	return p, probs
}

func stmtLabel(i int, sid string) string {
	if sid != "" {
		return fmt.Sprintf("%d (%s)", i, sid)
	}
	return fmt.Sprint(i)
}

// matchAction tests the statement's Action/NotAction against a lower-cased
// action.
func (st *stmt) matchAction(action string) bool {
	if st.noAction {
		return false
	}
	in := st.actAll
	if !in {
		for _, a := range st.actExact {
			if a == action {
				in = true
				break
			}
		}
	}
	if !in && len(st.actGlobs) > 0 {
		svc, _, _ := strings.Cut(action, ":")
		ascii := isASCII(action)
		for _, g := range st.globsBySvc[svc] {
			if ascii && awsref.Wildcard(g, action) || !ascii && like(g, action, false) {
				in = true
				break
			}
		}
		if !in {
			for _, g := range st.globsAny {
				if like(g, action, false) {
					in = true
					break
				}
			}
		}
	}
	return in != st.notAction
}

// matchResource tests Resource/NotResource.
func (st *stmt) matchResource(s *requestState, res string) truth {
	if st.resAll {
		return tTrue
	}
	if s.anyResource {
		if st.allow || denyAnyResource(st) {
			return tTrue
		}
		return tFalse
	}
	in := tFalse
	for i := range st.res {
		if st.notRes && st.res[i].vars {
			// A policy variable whose key the request lacks leaves the
			// item undecided: unless its fixed ARN fields already differ
			// from the request's, NotResource fails (the statement does
			// not apply) rather than excluding nothing.
			if _, ok := s.resolve(st.res[i].raw); ok == tFalse && fixedFieldsMatch(st.res[i].raw, res) {
				return tFalse
			}
		}
		in = or(in, st.res[i].match(s, res))
		if in == tTrue {
			break
		}
	}
	if st.notRes {
		return not(in)
	}
	return in
}

// matchConditions ANDs the condition tests; an unsupported operator makes
// the statement uncertain.
func (st *stmt) matchConditions(s *requestState) truth {
	res := tTrue
	if len(st.badOps) > 0 {
		res = tUnc
	}
	for i := range st.conds {
		res = and(res, st.conds[i].eval(s))
		if res == tFalse {
			return tFalse
		}
	}
	return res
}

// forEach calls f with every statement that may apply to the lower-cased
// action (the exact index, then the wildcard and NotAction statements).
func (p *Policy) forEach(action string, f func(*stmt)) {
	if len(p.wild) == 0 {
		for _, i := range p.byAction[action] {
			f(&p.stmts[i])
		}
		return
	}
	for _, i := range p.candidates(action) {
		f(&p.stmts[i])
	}
}

// candidates returns the statements whose Action/NotAction matches the
// lower-cased action, memoized.
func (p *Policy) candidates(action string) []int32 {
	if v, ok := p.cache.Load(action); ok {
		return v.([]int32)
	}
	exact := p.byAction[action]
	out := make([]int32, 0, len(exact)+2)
	out = append(out, exact...)
	for _, i := range p.wild {
		if p.stmts[i].matchAction(action) {
			out = append(out, i)
		}
	}
	if len(exact) > 0 && len(out) > len(exact) {
		sort.Slice(out, func(a, b int) bool { return out[a] < out[b] })
	}
	if p.cached.Load() < maxCached {
		if _, loaded := p.cache.LoadOrStore(action, out); !loaded {
			p.cached.Add(1)
		}
	}
	return out
}

// principal match levels of a resource-policy statement.
type prinLevel uint8

const (
	prinNone    prinLevel = iota
	prinAccount           // the principal's account (root ARN or account ID)
	prinRole              // the role of a role session
	prinDirect            // the principal itself (user, session) or "*"
)

// matchPrincipal tells how a Principal/NotPrincipal element matches the
// request principal.
func (st *stmt) matchPrincipal(pi principalInfo) prinLevel {
	if !st.hasPrin {
		return prinNone
	}
	best := prinNone
	for _, p := range st.principals {
		if l := principalLevel(p, pi); l > best {
			best = l
		}
	}
	if st.notPrin {
		if best != prinNone {
			return prinNone
		}
		return prinDirect
	}
	return best
}

func principalLevel(p resource.Principal, pi principalInfo) prinLevel {
	if p.Type == "*" || (p.Type == "AWS" && p.ID == "*") {
		return prinDirect
	}
	switch p.Type {
	case "AWS":
		id := p.ID
		if pi.account != "" && (id == pi.account || id == "arn:aws:iam::"+pi.account+":root" || strings.HasSuffix(id, ":iam::"+pi.account+":root")) {
			// The account, root user included: its own permissions decide.
			return prinAccount
		}
		if id == pi.arn && pi.kind != "role" {
			return prinDirect
		}
		if pi.roleARN != "" && id == pi.roleARN {
			// A role given by ARN stands for a session of it.
			return prinRole
		}
		if pi.kind == "session" && pi.roleARN != "" && roleARNWithoutPath(id) == pi.roleARN {
			return prinRole
		}
		if pi.kind == "role" && roleARNWithoutPath(id) == roleARNWithoutPath(pi.arn) {
			return prinRole
		}
	case "Service":
		if pi.kind == "service" && strings.EqualFold(p.ID, pi.arn) {
			return prinDirect
		}
	case "Federated":
		if p.ID == pi.arn || pi.kind == "provider" && strings.HasSuffix(pi.arn, ":oidc-provider/"+p.ID) {
			return prinDirect
		}
	case "CanonicalUser":
		if p.ID == pi.arn {
			return prinDirect
		}
	}
	return prinNone
}

// roleARNWithoutPath drops the path of a role ARN
// (arn:aws:iam::1:role/path/R → arn:aws:iam::1:role/R).
func roleARNWithoutPath(arn string) string {
	i := strings.Index(arn, ":role/")
	if i < 0 {
		return arn
	}
	return arn[:i+len(":role/")] + lastSegment(arn[i+len(":role/"):])
}

// fixedFieldsMatch tells whether the partition, service, region and account
// fields of an ARN pattern that hold no policy variable match the ARN.
func fixedFieldsMatch(pattern, arn string) bool {
	pp := strings.SplitN(pattern, ":", 6)
	rp := strings.SplitN(arn, ":", 6)
	if len(pp) != 6 || len(rp) != 6 {
		return true
	}
	for i := 1; i < 5; i++ {
		if !hasVariable(pp[i]) && !like(strings.ToLower(pp[i]), strings.ToLower(rp[i]), false) {
			return false
		}
	}
	return true
}
