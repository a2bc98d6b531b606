package unused

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	azurerbac "github.com/vigil-sec/vigil/internal/identity/azure"
	"github.com/vigil-sec/vigil/internal/identity/decision"
	gcpiam "github.com/vigil-sec/vigil/internal/identity/gcp"
	"github.com/vigil-sec/vigil/internal/identity/graph"
	awsref "github.com/vigil-sec/vigil/internal/identity/refdata/aws"
	"github.com/vigil-sec/vigil/internal/resource"
)

// DefaultSince is the window asked about when Options.Since is zero.
const DefaultSince = 90 * 24 * time.Hour

// Statuses of a principal.
const (
	// Unused: its account has logs in the window and it is not in them.
	Unused = "unused"
	// Used: it acted in the window.
	Used = "used"
	// NoLogs: none of the accounts it could act in has logs in the
	// window: absence of logs is not absence of use.
	NoLogs = "no_logs"
)

// How an administrator used its rights in the window (Principal.AdminUse).
const (
	AdminWrite    = "write"     // at least one call that changes something (or not known to be read-only)
	AdminReadOnly = "read_only" // only reads: a reader role would do
	AdminNone     = "none"      // no call at all
)

// AccountCoverage is what the lake holds for one account of the inventory.
type AccountCoverage struct {
	Provider string `json:"provider"`
	Account  string `json:"account"`
	// Events in the window; First and Last are the first and last of
	// them (nil when none).
	Events int64      `json:"events"`
	First  *time.Time `json:"first,omitempty"`
	Last   *time.Time `json:"last,omitempty"`
	// Before: the account has events before the window only (their last
	// time).
	Before *time.Time `json:"logs_end_before_window,omitempty"`
}

// ActionUse is one permission a principal used, with its last use.
type ActionUse struct {
	Action string    `json:"action"`
	Count  int64     `json:"count"`
	Last   time.Time `json:"last"`
	// Granted is false when the principal's identity policies (AWS) do not
	// grant it: a resource policy or a session allowed it.
	Granted bool `json:"granted"`
}

// ServiceUse is one AWS service: how many of its actions the principal's
// identity policies grant, and those it used.
type ServiceUse struct {
	Service string      `json:"service"`
	Granted int         `json:"granted"`
	Used    []ActionUse `json:"used,omitempty"`
}

// GrantUse is one Azure role assignment or GCP binding the principal
// holds, and the logged calls it allowed.
type GrantUse struct {
	Binding string      `json:"binding"`
	Role    string      `json:"role"`
	Scope   string      `json:"scope"`
	Via     []string    `json:"via,omitempty"`
	Used    []ActionUse `json:"used,omitempty"`
	// Undecided says why the logs cannot tell whether the grant was used
	// (a binding on a resource the logs' resource names are not matched
	// to); such a grant is never reported unused.
	Undecided string `json:"undecided,omitempty"`
}

// KeyUse is one AWS access key of an IAM user seen in the logs.
type KeyUse struct {
	ID       string     `json:"id"`
	Events   int64      `json:"events"`
	LastUsed *time.Time `json:"last_used,omitempty"`
}

// Principal is one principal of the inventory and what the logs say of
// it.
type Principal struct {
	ID       string            `json:"id"`
	Provider resource.Provider `json:"provider"`
	Kind     graph.Kind        `json:"kind"`
	Name     string            `json:"name,omitempty"`
	Account  string            `json:"account,omitempty"`
	Status   string            `json:"status"`
	// Events in the window; LastUsed the last event up to the window's
	// end (before the window's start for an unused principal seen
	// earlier), nil when never in the lake.
	Events   int64      `json:"events"`
	LastUsed *time.Time `json:"last_used,omitempty"`
	// Admin: the principal holds an admin target (directly or through a
	// group); AdminOf names them, AdminUse says how it used the window.
	Admin    bool     `json:"admin,omitempty"`
	AdminOf  []string `json:"admin_of,omitempty"`
	AdminUse string   `json:"admin_use,omitempty"`
	// AWS: the actions the identity policies grant, by service, and those
	// used.
	GrantedActions  int          `json:"granted_actions,omitempty"`
	GrantedServices int          `json:"granted_services,omitempty"`
	UsedActions     int          `json:"used_actions,omitempty"`
	UsedServices    int          `json:"used_services,omitempty"`
	Services        []ServiceUse `json:"services,omitempty"`
	// Azure and GCP: each role assignment or binding, used or not.
	Grants []GrantUse `json:"grants,omitempty"`
	// AccessKeys are the AWS access keys (AKIA...) the logs show signing
	// the user's calls; ActiveKeys the active keys the inventory (the
	// credential report) counts, which names them by slot, not by ID.
	AccessKeys []KeyUse `json:"access_keys,omitempty"`
	ActiveKeys int      `json:"active_keys,omitempty"`
	// Unmapped counts the principal's calls in the window whose
	// permission is not known (never guessed).
	Unmapped int64 `json:"unmapped_calls,omitempty"`
}

// UnusedGrants are the grants of the principal no logged call used
// (undecided ones left out).
func (p *Principal) UnusedGrants() []GrantUse {
	var out []GrantUse
	for _, g := range p.Grants {
		if len(g.Used) == 0 && g.Undecided == "" {
			out = append(out, g)
		}
	}
	return out
}

// UnusedServices are the AWS services the principal is granted actions of
// and used none of.
func (p *Principal) UnusedServices() []ServiceUse {
	var out []ServiceUse
	for _, s := range p.Services {
		if s.Granted > 0 && !slices.ContainsFunc(s.Used, func(a ActionUse) bool { return a.Granted }) {
			out = append(out, s)
		}
	}
	return out
}

// Operation is a logged operation vigil could not map to a permission, or
// an actor not in the inventory.
type Operation struct {
	Provider  string    `json:"provider"`
	Service   string    `json:"service,omitempty"`
	Operation string    `json:"operation,omitempty"`
	Actor     string    `json:"actor,omitempty"`
	Count     int64     `json:"count"`
	Last      time.Time `json:"last"`
}

// Report is the answer of Analyze.
type Report struct {
	// Window is the range asked about; Logs the range the events of the
	// inventory's accounts actually cover within it.
	Window Window  `json:"window"`
	Logs   *Window `json:"logs_cover,omitempty"`
	// Accounts are the inventory's accounts with events in the window;
	// NoLogs those without (their principals are NoLogs, not unused).
	Accounts   []AccountCoverage `json:"accounts"`
	NoLogs     []AccountCoverage `json:"accounts_without_logs,omitempty"`
	Principals []Principal       `json:"principals"`
	// Unmapped are operations of the inventory's principals whose
	// permission is not known; Strangers the actors of the covered
	// accounts the inventory does not hold.
	Unmapped  []Operation `json:"unmapped_operations,omitempty"`
	Strangers []Operation `json:"actors_not_in_inventory,omitempty"`
	// Accounts in the lake that are not the inventory's.
	OtherAccounts []AccountCoverage `json:"other_accounts,omitempty"`
}

// Options configure Analyze.
type Options struct {
	// Since is how far back from Now the window goes (DefaultSince when
	// zero); Now is its end (time.Now when zero).
	Since time.Duration
	Now   time.Time
	// Ref is the AWS action catalog (nil: the embedded one).
	Ref *awsref.Data
}

// ErrNoLogs is returned (wrapped) when the lake holds no event, or none of
// an account of the inventory in the window.
var ErrNoLogs = errors.New("no audit logs")

// Window returns the window the options ask about.
func (o Options) Window() Window {
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	since := o.Since
	if since <= 0 {
		since = DefaultSince
	}
	return Window{Start: now.Add(-since).UTC(), End: now.UTC()}
}

type acctKey struct{ provider, account string }

func key(p, a string) acctKey { return acctKey{strings.ToLower(p), strings.ToLower(a)} }

// use accumulates what the logs say of one principal.
type use struct {
	events   int64
	last     time.Time
	actions  map[string]*ActionUse // permission -> use (successful calls in the window)
	azure    map[[2]string]*ActionUse
	gcp      map[[2]string]*ActionUse
	keys     map[string]*KeyUse
	unmapped int64
	write    bool
}

// Analyze maps the lake's aggregates onto the graph's principals and
// their grants. The rows are ReadUsage's for the same window. It fails
// with ErrNoLogs when no account of the inventory has events in the
// window (saying which accounts the lake holds).
func Analyze(ctx context.Context, g *graph.Graph, rows []Row, o Options) (*Report, error) {
	ref := o.Ref
	if ref == nil {
		var err error
		if ref, err = awsref.Load(); err != nil {
			return nil, err
		}
	}
	w := o.Window()
	rep := &Report{Window: w}
	inv := inventoryAccounts(g)
	cover := map[acctKey]*AccountCoverage{}
	for i := range rows {
		r := &rows[i]
		k := key(r.Provider, r.Account)
		c := cover[k]
		if c == nil {
			c = &AccountCoverage{Provider: r.Provider, Account: r.Account}
			cover[k] = c
		}
		if r.InWindow > 0 {
			c.Events += r.InWindow
			c.First = minTime(c.First, r.FirstIn)
			c.Last = maxTime(c.Last, r.Last)
		} else {
			c.Before = maxTime(c.Before, r.Last)
		}
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%w: the lake holds no event before %s (run vigil logs ingest first)", ErrNoLogs, w.End.Format(time.RFC3339))
	}
	covered := map[acctKey]bool{}
	for _, a := range inv.list {
		c := cover[a]
		if c == nil {
			c = &AccountCoverage{Provider: inv.provider[a], Account: inv.name[a]}
		}
		c.Account = inv.name[a]
		if c.Events > 0 {
			covered[a] = true
			c.Before = nil
			rep.Accounts = append(rep.Accounts, *c)
			if rep.Logs == nil {
				rep.Logs = &Window{Start: *c.First, End: *c.Last}
			} else {
				rep.Logs.Start = minTime(&rep.Logs.Start, *c.First).UTC()
				rep.Logs.End = maxTime(&rep.Logs.End, *c.Last).UTC()
			}
		} else {
			rep.NoLogs = append(rep.NoLogs, *c)
		}
	}
	for k, c := range cover {
		if !inv.has(k) {
			rep.OtherAccounts = append(rep.OtherAccounts, *c)
		}
	}
	sortCoverage(rep.OtherAccounts)
	if len(rep.Accounts) == 0 {
		var names []string
		for _, c := range rep.OtherAccounts {
			names = append(names, c.Provider+" "+c.Account)
		}
		var want []string
		for _, c := range rep.NoLogs {
			want = append(want, c.Provider+" "+c.Account)
			if c.Before != nil {
				names = append(names, fmt.Sprintf("%s %s (its logs end %s, before the window)", c.Provider, c.Account, c.Before.Format(time.RFC3339)))
			}
		}
		return rep, fmt.Errorf("%w for any account of the inventory between %s and %s: the lake holds %s; the inventory's accounts are %s",
			ErrNoLogs, w.Start.Format(time.RFC3339), w.End.Format(time.RFC3339), orNone(names), orNone(want))
	}

	act := newActors(g)
	uses := map[string]*use{}
	unmapped := map[[3]string]*Operation{}
	strangers := map[[2]string]*Operation{}
	for i := range rows {
		r := &rows[i]
		id := act.principal(r)
		if id == "" {
			if r.InWindow > 0 && r.Actor != "" && covered[key(r.Provider, r.Account)] {
				k := [2]string{r.Provider, r.Actor}
				s := strangers[k]
				if s == nil {
					s = &Operation{Provider: r.Provider, Actor: r.Actor}
					strangers[k] = s
				}
				s.Count += r.InWindow
				s.Last = latest(s.Last, r.Last)
			}
			continue
		}
		u := uses[id]
		if u == nil {
			u = &use{actions: map[string]*ActionUse{}, azure: map[[2]string]*ActionUse{}, gcp: map[[2]string]*ActionUse{}, keys: map[string]*KeyUse{}}
			uses[id] = u
		}
		u.last = latest(u.last, r.Last)
		if r.InWindow == 0 {
			if r.AccessKey != "" {
				ku := u.key(r.AccessKey)
				ku.LastUsed = maxTime(ku.LastUsed, r.Last)
			}
			continue
		}
		u.events += r.InWindow
		if r.AccessKey != "" {
			ku := u.key(r.AccessKey)
			ku.Events += r.InWindow
			ku.LastUsed = maxTime(ku.LastUsed, r.Last)
		}
		if r.Failed {
			continue // a refused call used no permission
		}
		mapped := false
		switch r.Provider {
		case "AWS":
			if a := awsAction(ref, r.Service, r.Operation); a != "" {
				mapped = true
				add(u.actions, a, r)
				u.write = u.write || !awsReadOnly(ref, a)
			}
		case "Azure":
			if a := azureAction(r); a != "" {
				mapped = true
				scope := r.Resource
				if scope == "" {
					scope = "/subscriptions/" + r.Account
				}
				add2(u.azure, [2]string{a, scope}, a, r)
				u.write = u.write || !strings.HasSuffix(strings.ToLower(a), "/read")
			}
		case "GCP":
			if ps := gcpPermissions(r); len(ps) > 0 {
				mapped = true
				res := gcpResource(r)
				for _, p := range ps {
					add2(u.gcp, [2]string{p, res}, p, r)
					u.write = u.write || !gcpReadOnly(p)
				}
			}
		}
		if !mapped {
			u.unmapped += r.InWindow
			// An operation of unknown effect counts as a change: an
			// administrator is never called read-only on a guess.
			u.write = u.write || !readVerb(r.Operation)
			k := [3]string{r.Provider, r.Service, r.Operation}
			op := unmapped[k]
			if op == nil {
				op = &Operation{Provider: r.Provider, Service: r.Service, Operation: r.Operation}
				unmapped[k] = op
			}
			op.Count += r.InWindow
			op.Last = latest(op.Last, r.Last)
		}
	}
	for _, s := range strangers {
		rep.Strangers = append(rep.Strangers, *s)
	}
	for _, op := range unmapped {
		rep.Unmapped = append(rep.Unmapped, *op)
	}
	sortOps(rep.Strangers)
	sortOps(rep.Unmapped)

	admins := adminsOf(g)
	nodes := principals(g)
	byID := map[string]*resource.Resource{}
	for _, r := range g.Resources {
		if r.Class == resource.ClassIdentity {
			byID[r.ID] = r
		}
	}
	out := make([]Principal, len(nodes))
	cache := &awsGrantCache{}
	err := graph.Parallel(ctx, len(nodes), func(i int) {
		out[i] = principal(g, nodes[i], uses[nodes[i].ID], admins[nodes[i].ID], inv, covered, byID[nodes[i].Resource], cache)
	})
	if err != nil {
		return nil, err
	}
	rep.Principals = out
	return rep, nil
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	slices.Sort(s)
	return strings.Join(s, ", ")
}

func (u *use) key(id string) *KeyUse {
	k := u.keys[id]
	if k == nil {
		k = &KeyUse{ID: id}
		u.keys[id] = k
	}
	return k
}

func add(m map[string]*ActionUse, a string, r *Row) {
	x := m[a]
	if x == nil {
		x = &ActionUse{Action: a}
		m[a] = x
	}
	x.Count += r.InWindow
	x.Last = latest(x.Last, r.Last)
}

func add2(m map[[2]string]*ActionUse, k [2]string, a string, r *Row) {
	x := m[k]
	if x == nil {
		x = &ActionUse{Action: a}
		m[k] = x
	}
	x.Count += r.InWindow
	x.Last = latest(x.Last, r.Last)
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func maxTime(a *time.Time, b time.Time) *time.Time {
	if a == nil || b.After(*a) {
		return &b
	}
	return a
}

func minTime(a *time.Time, b time.Time) *time.Time {
	if a == nil || b.Before(*a) {
		return &b
	}
	return a
}

func sortCoverage(cs []AccountCoverage) {
	slices.SortFunc(cs, func(a, b AccountCoverage) int {
		return cmp.Or(cmp.Compare(a.Provider, b.Provider), cmp.Compare(a.Account, b.Account))
	})
}

func sortOps(ops []Operation) {
	slices.SortFunc(ops, func(a, b Operation) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Provider, b.Provider), cmp.Compare(a.Service, b.Service),
			cmp.Compare(a.Operation, b.Operation), cmp.Compare(a.Actor, b.Actor))
	})
}

// awsReadOnly tells whether an action only reads (the catalog's access
// level List or Read).
func awsReadOnly(ref *awsref.Data, action string) bool {
	a, ok := ref.Lookup(action)
	return ok && (a.AccessLevel == "List" || a.AccessLevel == "Read")
}

// gcpReadOnly tells whether a permission only reads (its verb is get,
// list, or getIamPolicy).
func gcpReadOnly(p string) bool {
	verb := p[strings.LastIndexByte(p, '.')+1:]
	return strings.HasPrefix(verb, "get") || strings.HasPrefix(verb, "list")
}

// readVerb tells whether an unmapped operation's name says it only reads.
func readVerb(op string) bool {
	for _, v := range []string{"Get", "List", "Describe", "Head", "Lookup", "Search"} {
		if strings.HasPrefix(op, v) {
			return true
		}
	}
	return false
}

// gcpResource is the resource name a GCP event's permission is checked
// on: the bucket of a Cloud Storage object or bucket, else the project.
func gcpResource(r *Row) string {
	if rest, ok := strings.CutPrefix(r.Resource, "projects/_/buckets/"); ok {
		b, _, _ := strings.Cut(rest, "/")
		return "//storage.googleapis.com/" + b
	}
	return "projects/" + r.Account
}

// accounts are the inventory's accounts: AWS accounts, Azure
// subscriptions, Entra tenants, GCP projects (by ID, the name audit logs
// use; the project number maps to it).
type accounts struct {
	list     []acctKey
	name     map[acctKey]string
	provider map[acctKey]string
	// gcpNumber: project number -> project ID.
	gcpNumber map[string]string
}

func (a *accounts) has(k acctKey) bool { _, ok := a.name[k]; return ok }

func (a *accounts) add(p resource.Provider, acct string) {
	if acct == "" {
		return
	}
	prov := map[resource.Provider]string{resource.AWS: "AWS", resource.Azure: "Azure", resource.GCP: "GCP"}[p]
	if prov == "" {
		return
	}
	k := key(prov, acct)
	if _, ok := a.name[k]; ok {
		return
	}
	a.name[k], a.provider[k] = acct, prov
	a.list = append(a.list, k)
}

func inventoryAccounts(g *graph.Graph) *accounts {
	a := &accounts{name: map[acctKey]string{}, provider: map[acctKey]string{}, gcpNumber: map[string]string{}}
	for _, r := range g.Resources {
		if r.Provider == resource.GCP && r.Type == "cloudresourcemanager.googleapis.com/Project" {
			for _, al := range r.Aliases {
				if n, ok := strings.CutPrefix(al, "projects/"); ok && n != r.Account && r.Account != "" {
					a.gcpNumber[n] = r.Account
				}
			}
			if n, ok := strings.CutPrefix(r.ID, "//cloudresourcemanager.googleapis.com/projects/"); ok && r.Account != "" {
				a.gcpNumber[n] = r.Account
			}
		}
		if r.Provider == resource.Azure && strings.HasPrefix(r.Type, "microsoft.graph.") {
			continue // Entra objects: their tenant is added below
		}
		a.add(r.Provider, r.Account)
	}
	for _, n := range g.Nodes() {
		if n.Provider == resource.Azure && strings.HasPrefix(n.ID, "/tenants/") {
			a.add(resource.Azure, n.Account)
		}
	}
	slices.SortFunc(a.list, func(x, y acctKey) int {
		return cmp.Or(cmp.Compare(x.provider, y.provider), cmp.Compare(x.account, y.account))
	})
	return a
}

// principals are the graph's nodes that act on their own: users, roles,
// root users, service principals, managed identities, service accounts;
// not groups, providers, placeholders or admin targets. AWS principals the
// inventory does not hold (named by trust policies only) are left out.
func principals(g *graph.Graph) []*graph.Node {
	var out []*graph.Node
	for _, n := range g.Nodes() {
		if !n.IsPrincipal() {
			continue
		}
		switch n.Kind {
		case graph.AWSUser, graph.AWSRole, graph.AWSRoot:
			if n.Resource == "" {
				continue
			}
		case graph.EntraUser, graph.EntraSP, graph.EntraMI, graph.EntraPrincipal, graph.GCPUser, graph.GCPSA:
		default:
			continue
		}
		out = append(out, n)
	}
	slices.SortFunc(out, func(a, b *graph.Node) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// adminsOf returns, by principal, the admin targets it holds directly or
// through the groups it is in.
func adminsOf(g *graph.Graph) map[string][]string {
	out := map[string][]string{}
	for _, t := range g.AdminNodes() {
		seen := map[string]bool{}
		var walk func(id string, depth int)
		walk = func(id string, depth int) {
			if seen[id] || depth > 8 {
				return
			}
			seen[id] = true
			if !slices.Contains(out[id], t.ID) {
				out[id] = append(out[id], t.ID)
			}
			for _, e := range g.In(id) {
				if e.Kind == graph.MemberOf && !e.Result.Denied() {
					walk(e.From, depth+1)
				}
			}
		}
		for _, e := range g.In(t.ID) {
			if e.Kind == graph.Holds && (e.Result == decision.Allowed || e.Result == decision.Conditional) {
				walk(e.From, 0)
			}
		}
	}
	return out
}

// principal builds one principal's entry.
func principal(g *graph.Graph, n *graph.Node, u *use, adminOf []string, inv *accounts, covered map[acctKey]bool, r *resource.Resource, grants *awsGrantCache) Principal {
	p := Principal{ID: n.ID, Provider: n.Provider, Kind: n.Kind, Name: n.Name, Account: n.Account, AdminOf: adminOf, Admin: len(adminOf) > 0}
	if u != nil && !u.last.IsZero() {
		l := u.last
		p.LastUsed = &l
	}
	switch n.Provider {
	case resource.AWS:
		awsGrants(g, n, u, &p, r, grants)
	case resource.Azure:
		azureGrants(g, n, u, &p)
	case resource.GCP:
		gcpGrants(g, n, u, &p)
	}
	switch {
	case u != nil && u.events > 0:
		p.Status, p.Events, p.Unmapped = Used, u.events, u.unmapped
	case principalCovered(n, &p, inv, covered):
		p.Status = Unused
	default:
		p.Status = NoLogs
	}
	if p.Admin && p.Status != NoLogs {
		switch {
		case p.Status == Unused:
			p.AdminUse = AdminNone
		case u.write:
			p.AdminUse = AdminWrite
		default:
			p.AdminUse = AdminReadOnly
		}
	}
	return p
}

// principalCovered tells whether the logs cover an account the principal
// could act in: its own (AWS account, Entra tenant, a service account's
// project), or one its grants are in (a subscription or project at or
// below the grant's scope).
func principalCovered(n *graph.Node, p *Principal, inv *accounts, covered map[acctKey]bool) bool {
	prov := map[resource.Provider]string{resource.AWS: "AWS", resource.Azure: "Azure", resource.GCP: "GCP"}[n.Provider]
	if n.Account != "" && covered[key(prov, n.Account)] {
		return true
	}
	for _, gr := range p.Grants {
		for _, a := range scopeAccounts(prov, gr.Scope, inv) {
			if covered[key(prov, a)] {
				return true
			}
		}
	}
	return false
}

// scopeAccounts are the accounts of the inventory a grant's scope covers:
// its subscription or project, or every one of the cloud for a management
// group, folder or organization (the hierarchy below them is not
// followed: any covered one counts).
func scopeAccounts(prov, scope string, inv *accounts) []string {
	ls := strings.ToLower(scope)
	switch {
	case strings.HasPrefix(ls, "/subscriptions/"):
		s, _, _ := strings.Cut(scope[len("/subscriptions/"):], "/")
		return []string{s}
	case strings.Contains(ls, "/projects/") && !strings.Contains(ls, "/folders/"):
		rest := scope[strings.Index(ls, "/projects/")+len("/projects/"):]
		pr, _, _ := strings.Cut(rest, "/")
		if id, ok := inv.gcpNumber[pr]; ok {
			pr = id
		}
		return []string{pr}
	}
	var out []string
	for _, k := range inv.list {
		if k.provider == strings.ToLower(prov) {
			out = append(out, inv.name[k])
		}
	}
	return out
}

// awsGrants fills the AWS actions the identity policies grant, by service,
// and those the logs show used.
func awsGrants(g *graph.Graph, n *graph.Node, u *use, p *Principal, r *resource.Resource, grants *awsGrantCache) {
	if u != nil {
		for _, ku := range u.keys {
			p.AccessKeys = append(p.AccessKeys, *ku)
		}
	}
	if r != nil && r.Facts.Identity != nil {
		for _, k := range r.Facts.Identity.AccessKeys {
			if k.Active {
				p.ActiveKeys++
			}
		}
	}
	slices.SortFunc(p.AccessKeys, func(a, b KeyUse) int { return cmp.Compare(a.ID, b.ID) })
	if n.Kind == graph.AWSRoot || g.AWS.Principal(n.ID) == nil {
		return
	}
	by := map[string]*ServiceUse{}
	svc := func(a string) *ServiceUse {
		s, _, _ := strings.Cut(a, ":")
		x := by[s]
		if x == nil {
			x = &ServiceUse{Service: s}
			by[s] = x
		}
		return x
	}
	gs := grants.of(g, n.ID)
	for svcName, c := range gs.perService {
		x := svc(svcName + ":")
		x.Granted = c
	}
	granted := gs.actions
	if u != nil {
		for a, x := range u.actions {
			au := *x
			au.Granted = granted[a]
			s := svc(a)
			s.Used = append(s.Used, au)
		}
	}
	for _, s := range by {
		slices.SortFunc(s.Used, func(a, b ActionUse) int { return cmp.Compare(a.Action, b.Action) })
		p.Services = append(p.Services, *s)
		if s.Granted > 0 {
			p.GrantedServices++
			p.GrantedActions += s.Granted
		}
		if len(s.Used) > 0 {
			p.UsedServices++
			p.UsedActions += len(s.Used)
		}
	}
	slices.SortFunc(p.Services, func(a, b ServiceUse) int { return cmp.Compare(a.Service, b.Service) })
}

// azureGrants lists the principal's role assignments and marks those that
// allowed a logged call: each call is checked with the evaluator on the
// resource it acted on.
func azureGrants(g *graph.Graph, n *graph.Node, u *use, p *Principal) {
	who := n.Principal
	if who == "" {
		who = n.ID
	}
	idx := map[string]int{}
	for _, gr := range g.Azure.GrantsOf(who) {
		if gr.Deny || gr.Match == azurerbac.MatchUncertain {
			continue
		}
		idx[gr.Binding] = len(p.Grants)
		p.Grants = append(p.Grants, GrantUse{Binding: gr.Binding, Role: cmp.Or(gr.RoleName, gr.Role), Scope: gr.Scope, Via: gr.Via})
	}
	if u == nil {
		return
	}
	for k, x := range u.azure {
		d := g.Azure.Check(azurerbac.Request{Principal: who, Action: k[0], Scope: k[1]})
		for _, a := range d.Allows {
			if i, ok := idx[a.Binding]; ok {
				p.Grants[i].Used = append(p.Grants[i].Used, *x)
			}
		}
	}
	for i := range p.Grants {
		sortUses(p.Grants[i].Used)
	}
}

// gcpGrants lists the principal's bindings and marks those that allowed a
// logged call's permissions, checked on the bucket or project it acted on.
// A binding on another kind of resource is undecided: the logs' resource
// names are not matched to it.
func gcpGrants(g *graph.Graph, n *graph.Node, u *use, p *Principal) {
	who := n.Principal
	if who == "" {
		who = n.ID
	}
	idx := map[string]int{}
	for _, gr := range g.GCP.GrantsOf(who) {
		if gr.Deny || gr.Match == gcpiam.MatchUncertain || !ownGrant(who, gr) {
			continue
		}
		gu := GrantUse{Binding: gr.Binding, Role: cmp.Or(gr.RoleName, gr.Role), Scope: gr.Scope, Via: gr.Via}
		if !strings.HasPrefix(gr.Scope, "//cloudresourcemanager.googleapis.com/") && !strings.HasPrefix(gr.Scope, "//storage.googleapis.com/") {
			gu.Undecided = "binding on a resource the audit logs' resource names are not matched to"
		}
		idx[gr.Binding] = len(p.Grants)
		p.Grants = append(p.Grants, gu)
	}
	if u == nil {
		return
	}
	for k, x := range u.gcp {
		d := g.GCP.Check(gcpiam.Request{Member: who, Permission: k[0], Resource: k[1]})
		for _, a := range d.Allows {
			if i, ok := idx[a.Binding]; ok {
				p.Grants[i].Used = append(p.Grants[i].Used, *x)
			}
		}
	}
	for i := range p.Grants {
		sortUses(p.Grants[i].Used)
	}
}

// ownGrant tells whether a GCP binding names the member or a group it is
// in: bindings to allUsers, allAuthenticatedUsers, a domain or a principal
// set reach everyone alike and say nothing of the member's own grants.
func ownGrant(member string, gr decision.Grant) bool {
	return len(gr.Via) > 0 || strings.EqualFold(gr.Principal, member)
}

func sortUses(us []ActionUse) {
	slices.SortFunc(us, func(a, b ActionUse) int { return cmp.Compare(a.Action, b.Action) })
}

// awsGranted is what an AWS principal's identity policies grant: the
// actions, and their count per service.
type awsGranted struct {
	actions    map[string]bool
	perService map[string]int
}

// awsGrantCache answers AllowedActions once per set of principals the
// evaluator says answer alike (awsiam.Evaluator.SharedKey): the same
// managed policies, boundary and SCPs, and nothing that depends on who
// asks. Expanding an administrator's grants is some 20,000 actions.
type awsGrantCache struct {
	m sync.Map // key -> *awsGrantEntry
}

type awsGrantEntry struct {
	once sync.Once
	v    awsGranted
}

func (c *awsGrantCache) of(g *graph.Graph, principal string) awsGranted {
	k, ok := g.AWS.SharedKey(principal)
	if !ok {
		return allowed(g, principal)
	}
	e, _ := c.m.LoadOrStore(k, &awsGrantEntry{})
	en := e.(*awsGrantEntry)
	en.once.Do(func() { en.v = allowed(g, principal) })
	return en.v
}

func allowed(g *graph.Graph, principal string) awsGranted {
	v := awsGranted{actions: map[string]bool{}, perService: map[string]int{}}
	for _, a := range g.AWS.AllowedActionNames(principal) {
		v.actions[a] = true
		s, _, _ := strings.Cut(a, ":")
		v.perService[s]++
	}
	return v
}
