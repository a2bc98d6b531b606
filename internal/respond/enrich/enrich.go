package enrich

import (
	"cmp"
	"context"
	"fmt"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/respond"
)

// Options configure the enrich actions.
type Options struct {
	// Now is the clock enrich.activity's window ends at (default
	// time.Now).
	Now func() time.Time
}

// Actions returns enrich.owner, enrich.related and enrich.activity.
func Actions(opts Options) []respond.Action {
	return []respond.Action{owner{}, related{}, &activity{opts: opts}}
}

// readOnly is the Apply and Rollback of an action that did its reads in
// Plan.
type readOnly struct{}

// Apply makes no call: the outputs were read when planned.
func (readOnly) Apply(_ context.Context, _ *respond.Env, ch *respond.Change) (*respond.Outcome, error) {
	return &respond.Outcome{Outputs: ch.Outputs, Note: "read when planned; nothing to change"}, nil
}

// Rollback: nothing was changed.
func (readOnly) Rollback(context.Context, *respond.Env, *respond.Change, *respond.Outcome) (*respond.Outcome, error) {
	return &respond.Outcome{Note: "nothing was changed"}, nil
}

// change is the no-op change carrying an enrichment's outputs.
func change(action, resource, reason string, outputs map[string]string) *respond.Change {
	return &respond.Change{Action: action, Resource: resource, NoOp: true, Reason: reason, Outputs: outputs, Reversible: true}
}

func in(req *respond.Request, name string) string { return strings.TrimSpace(req.Inputs[name]) }

// count reads a positive count input.
func count(req *respond.Request, action, name string, def int) (int, error) {
	v := in(req, name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 1000 {
		return 0, fmt.Errorf("%w: %s: input %s: %q is not a count from 1 to 1000", respond.ErrInput, action, name, v)
	}
	return n, nil
}

// owner is enrich.owner.
type owner struct{ readOnly }

func (owner) Spec() respond.Spec {
	return respond.Spec{Name: "enrich.owner", Class: respond.Enrich, Reversible: true,
		Description: "the owner of the subject's resource, from the first of the given tags it has (outputs owner, email, tag, found)",
		Inputs: []respond.Input{
			{Name: "tags", Description: "the tag keys to look at, in order, comma-separated (default owner,Owner,team,Team)"},
			{Name: "default", Description: "the owner when the resource has none of the tags (default empty)"},
			{Name: "domain", Description: "the mail domain making an owner that is a user name an address for the email output (jdoe -> jdoe@DOMAIN)"},
		}}
}

func (owner) Plan(_ context.Context, _ *respond.Env, req *respond.Request) (*respond.Change, error) {
	const name = "enrich.owner"
	if req.Subject == nil {
		return nil, fmt.Errorf("%w: %s: no subject", respond.ErrInput, name)
	}
	domain := strings.TrimPrefix(in(req, "domain"), "@")
	if _, err := mail.ParseAddress("x@" + domain); domain != "" && (err != nil || strings.ContainsAny(domain, "@ ")) {
		return nil, fmt.Errorf("%w: %s: input domain: %q is not a mail domain", respond.ErrInput, name, domain)
	}
	keys := strings.Split(cmp.Or(in(req, "tags"), "owner,Owner,team,Team"), ",")
	res := cmp.Or(req.Subject.Resource.ID, req.Subject.Resource.Name, req.Subject.ID)
	for _, k := range keys {
		k = strings.TrimSpace(k)
		if v := strings.TrimSpace(req.Subject.Resource.Tags[k]); k != "" && v != "" {
			return change(name, res, fmt.Sprintf("owner %s from tag %s", v, k),
				map[string]string{"owner": v, "email": emailOf(v, domain), "tag": k, "found": "true"}), nil
		}
	}
	def := in(req, "default")
	return change(name, res, fmt.Sprintf("none of the tags %s is set; owner %q (the default)", strings.Join(keys, ","), def),
		map[string]string{"owner": def, "email": emailOf(def, domain), "tag": "", "found": "false"}), nil
}

// emailOf is the mail address an owner names: the owner itself when it is
// an address ("ops@acme.com", "Ops <ops@acme.com>"), a user name at domain
// when one is given, else "" (a team name).
func emailOf(owner, domain string) string {
	if owner == "" {
		return ""
	}
	if a, err := mail.ParseAddress(owner); err == nil {
		return a.Address
	}
	if domain == "" || strings.ContainsAny(owner, "@ ,;<>\"") {
		return ""
	}
	if a, err := mail.ParseAddress(owner + "@" + domain); err == nil {
		return a.Address
	}
	return ""
}

// related is enrich.related.
type related struct{ readOnly }

func (related) Spec() respond.Spec {
	return respond.Spec{Name: "enrich.related", Class: respond.Enrich, Reversible: true,
		Description: "the run's other findings and alerts on the same resource or by the same principal (outputs count, same_resource, same_principal, list, ids)",
		Inputs: []respond.Input{
			{Name: "max", Description: "how many to name in list and ids, most severe first (default 5)"},
		}}
}

func severityRank(s string) int {
	switch s {
	case "CRITICAL":
		return 5
	case "HIGH":
		return 4
	case "MEDIUM":
		return 3
	case "LOW":
		return 2
	case "INFO":
		return 1
	}
	return 0
}

func (related) Plan(_ context.Context, _ *respond.Env, req *respond.Request) (*respond.Change, error) {
	const name = "enrich.related"
	s := req.Subject
	if s == nil {
		return nil, fmt.Errorf("%w: %s: no subject", respond.ErrInput, name)
	}
	max, err := count(req, name, "max", 5)
	if err != nil {
		return nil, err
	}
	var rel []*respond.Subject
	sameRes, samePrin := 0, 0
	for _, o := range req.All {
		if o == nil || o == s || (o.ID != "" && o.ID == s.ID) {
			continue
		}
		r := s.Resource.ID != "" && o.Resource.ID == s.Resource.ID
		p := s.Principal != "" && o.Principal == s.Principal
		if r {
			sameRes++
		}
		if p {
			samePrin++
		}
		if r || p {
			rel = append(rel, o)
		}
	}
	slices.SortStableFunc(rel, func(a, b *respond.Subject) int {
		return severityRank(strings.ToUpper(b.Severity)) - severityRank(strings.ToUpper(a.Severity))
	})
	var list, ids []string
	for _, o := range rel[:min(max, len(rel))] {
		what := cmp.Or(o.Title, o.Rule, o.ID)
		if o.Severity != "" {
			what += " (" + o.Severity + ")"
		}
		if where := cmp.Or(o.Resource.ID, o.Resource.Name); where != "" && where != s.Resource.ID {
			what += " on " + where
		}
		list = append(list, what)
		ids = append(ids, o.ID)
	}
	out := map[string]string{"count": strconv.Itoa(len(rel)), "same_resource": strconv.Itoa(sameRes), "same_principal": strconv.Itoa(samePrin),
		"list": strings.Join(list, "; "), "ids": strings.Join(ids, ",")}
	return change(name, cmp.Or(s.Resource.ID, s.Principal, s.ID),
		fmt.Sprintf("%d related (%d on the resource, %d by the principal)", len(rel), sameRes, samePrin), out), nil
}
