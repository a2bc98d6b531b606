package escalate

import (
	"cmp"
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/vigil-sec/vigil/internal/identity/decision"
	"github.com/vigil-sec/vigil/internal/identity/graph"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Step is one move of a path: From acts (Method) and so becomes or controls
// To, because of Grant.
type Step struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Method string `json:"method"`
	// Actions are the permissions exercised.
	Actions []string `json:"actions,omitempty"`
	// Grant names the policies, statements, bindings or trust that allow
	// the step.
	Grant  string          `json:"grant,omitempty"`
	Result decision.Result `json:"result"`
	Reason string          `json:"reason,omitempty"`
}

// Path is a way for a principal to reach a target (an admin node, or a
// principal asked for), one step after another.
type Path struct {
	Principal string `json:"principal"`
	Target    string `json:"target"`
	Steps     []Step `json:"steps"`
	// Result is Allowed when every step is, Conditional when one depends on
	// a condition the inventory cannot decide.
	Result decision.Result `json:"result"`
}

// Analysis holds the escalation moves of a graph: the graph's own trust
// edges and the moves of every method in Methods, one per pair of nodes
// (the first method of the table that applies, an allowed one before a
// conditional one). Moves by which one AWS
// principal takes over another (access keys, login profiles, trust
// rewrites, PassRole, group membership) are computed only into principals
// that lead somewhere (an admin target, or a target Paths is asked for),
// so the work grows with what is reachable, not with every pair of
// principals of an account.
type Analysis struct {
	G     *graph.Graph
	Moves []Step
	ids   []string
	index map[string]int32
	in    [][]int32 // node -> moves reaching it
	// from and to are the node indexes of each move.
	from, to []int32
	aws      *awsIndex
	// valuable marks the nodes whose AWS take-over moves are computed.
	valuable []bool
	strs     map[string]string
	lists    map[string][]string
	pair     map[[2]int32]int32
}

// Analyze computes the escalation moves of the graph's principals toward
// every admin target. Moves the evaluators answer Uncertain or deny are
// left out; conditional ones are kept as conditional.
func Analyze(ctx context.Context, g *graph.Graph) (*Analysis, error) {
	a := &Analysis{G: g, index: map[string]int32{}}
	for _, n := range g.Nodes() {
		a.node(n.ID)
	}
	var ms []Step
	for _, e := range g.Edges() {
		if s, ok := edgeStep(e); ok {
			ms = append(ms, s)
		}
	}
	a.aws = a.awsIndex()
	for _, f := range []func(context.Context) ([]Step, error){a.awsSelfMoves, a.azureMoves, a.gcpMoves} {
		more, err := f(ctx)
		if err != nil {
			return nil, err
		}
		ms = append(ms, more...)
	}
	a.addMoves(ms)
	var seeds []string
	for _, id := range a.ids {
		if strings.HasPrefix(id, "admin:") {
			seeds = append(seeds, id)
		}
	}
	if err := a.expand(ctx, seeds); err != nil {
		return nil, err
	}
	return a, nil
}

// addMoves adds moves (leaving out uncertain, denied and self moves) and
// indexes them by target.
func (a *Analysis) addMoves(ms []Step) []int32 {
	var added []int32
	for _, s := range ms {
		if graph.Rank(s.Result) > 1 || strings.EqualFold(s.From, s.To) {
			continue
		}
		f := a.node(s.From)
		t := a.node(s.To)
		for len(a.in) < len(a.ids) {
			a.in = append(a.in, nil)
		}
		// One move per pair of nodes: the first method found, unless a
		// later one is allowed where it is conditional.
		if a.pair == nil {
			a.pair = map[[2]int32]int32{}
		}
		if j, ok := a.pair[[2]int32{f, t}]; ok {
			if graph.Rank(s.Result) < graph.Rank(a.Moves[j].Result) {
				s.Grant, s.Reason, s.Actions = a.intern(s.Grant), a.intern(s.Reason), a.internList(s.Actions)
				a.Moves[j] = s
			}
			continue
		}
		i := int32(len(a.Moves))
		a.pair[[2]int32{f, t}] = i
		s.Grant = a.intern(s.Grant)
		s.Reason = a.intern(s.Reason)
		s.Actions = a.internList(s.Actions)
		a.Moves = append(a.Moves, s)
		a.from = append(a.from, f)
		a.to = append(a.to, t)
		a.in[t] = append(a.in[t], i)
		added = append(added, i)
	}
	for len(a.in) < len(a.ids) {
		a.in = append(a.in, nil)
	}
	return added
}

// expand marks the seeds and every node that reaches them valuable,
// computing the AWS take-over moves into each newly valuable principal,
// until nothing new becomes valuable.
func (a *Analysis) expand(ctx context.Context, seeds []string) error {
	var queue []int32
	mark := func(i int32) {
		for len(a.valuable) < len(a.ids) {
			a.valuable = append(a.valuable, false)
		}
		if !a.valuable[i] {
			a.valuable[i] = true
			queue = append(queue, i)
		}
	}
	for _, s := range seeds {
		mark(a.node(s))
	}
	for len(queue) > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		// Everything that reaches the queued nodes by known moves.
		var targets []string
		for k := 0; k < len(queue); k++ {
			cur := queue[k]
			for len(a.in) < len(a.ids) {
				a.in = append(a.in, nil)
			}
			for _, mi := range a.in[cur] {
				mark(a.from[mi])
			}
			if n := a.G.Node(a.ids[cur]); n != nil && n.Provider == resource.AWS && n.Resource != "" {
				targets = append(targets, n.ID)
			}
		}
		queue = queue[:0]
		// Take-over moves into the AWS principals that became valuable.
		out := make([][]Step, len(targets))
		if err := graph.Parallel(ctx, len(targets), func(i int) { out[i] = a.awsInto(targets[i]) }); err != nil {
			return err
		}
		for _, ms := range out {
			for _, mi := range a.addMoves(ms) {
				mark(a.from[mi])
			}
		}
	}
	return nil
}

// intern shares equal grant and reason texts between moves.
func (a *Analysis) intern(s string) string {
	if s == "" {
		return s
	}
	if a.strs == nil {
		a.strs = map[string]string{}
	}
	if x, ok := a.strs[s]; ok {
		return x
	}
	a.strs[s] = s
	return s
}

// internList shares equal action lists between moves.
func (a *Analysis) internList(l []string) []string {
	if len(l) == 0 {
		return nil
	}
	k := strings.Join(l, "\x00")
	if a.lists == nil {
		a.lists = map[string][]string{}
	}
	if x, ok := a.lists[k]; ok {
		return x
	}
	a.lists[k] = l
	return l
}

func (a *Analysis) node(id string) int32 {
	k := strings.ToLower(id)
	if i, ok := a.index[k]; ok {
		return i
	}
	i := int32(len(a.ids))
	a.ids = append(a.ids, id)
	a.index[k] = i
	return i
}

// edgeStep turns a graph edge into a move: trust, federation, membership,
// impersonation and admin edges; act-as and ownership edges are used by
// methods instead.
func edgeStep(e graph.Edge) (Step, bool) {
	s := Step{From: e.From, To: e.To, Grant: e.Grant, Result: e.Result, Reason: e.Reason}
	if e.Action != "" {
		s.Actions = []string{e.Action}
	}
	switch e.Kind {
	case graph.MemberOf:
		s.Method = "member-of"
	case graph.CanAssume:
		s.Method = "aws-assume-role"
	case graph.Federates:
		s.Method = "federation"
	case graph.AuthenticatesAs:
		s.Method = "app-credentials"
	case graph.Impersonates:
		s.Method = map[string]string{
			"iam.serviceAccounts.getAccessToken": "gcp-get-access-token", "iam.serviceAccounts.signBlob": "gcp-sign-blob",
			"iam.serviceAccounts.signJwt": "gcp-sign-jwt", "iam.serviceAccounts.implicitDelegation": "gcp-implicit-delegation",
		}[e.Action]
	case graph.Holds:
		switch {
		case strings.HasSuffix(e.Action, "setIamPolicy"):
			s.Method = "gcp-set-iam-policy"
		case strings.HasPrefix(e.Action, "Microsoft.Authorization"):
			s.Method = "azure-role-assignment-write"
		case strings.HasPrefix(e.To, "admin:/tenants/"):
			s.Method = "azure-entra-admin"
		default:
			s.Method = "aws-admin-policy"
		}
	default:
		return s, false
	}
	return s, s.Method != ""
}

// Options select the paths.
type Options struct {
	// To are the target node IDs; empty means every admin node.
	To []string
	// MaxSteps bounds a path's length (0: 8).
	MaxSteps int
}

// Paths returns, for every target and every principal that can reach it
// but does not hold it directly, the shortest path: made of allowed steps
// when there is one, else of allowed and conditional steps (Result
// Conditional). Sorted by target, then principal.
//
// Paths is not safe for concurrent use: a target outside the admin
// targets extends the analysis.
func (a *Analysis) Paths(ctx context.Context, o Options) ([]Path, error) {
	targets := o.To
	if len(targets) > 0 {
		if err := a.expand(ctx, targets); err != nil {
			return nil, err
		}
	}
	if len(targets) == 0 {
		for _, n := range a.G.AdminNodes() {
			targets = append(targets, n.ID)
		}
		for _, s := range a.Moves {
			if strings.HasPrefix(s.To, "admin:") && !slices.Contains(targets, s.To) {
				targets = append(targets, s.To)
			}
		}
		slices.Sort(targets)
	}
	maxSteps := cmp.Or(o.MaxSteps, 8)
	out := make([][]Path, len(targets))
	var mu sync.Mutex
	var firstErr error
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for ti, t := range targets {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ti, t := ti, t
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			ps, err := a.pathsTo(ctx, t, maxSteps)
			mu.Lock()
			defer mu.Unlock()
			if err != nil && firstErr == nil {
				firstErr = err
			}
			out[ti] = ps
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	var all []Path
	for _, ps := range out {
		all = append(all, ps...)
	}
	return all, nil
}

// pathsTo runs a breadth-first search backwards from one target, first
// over allowed moves, then over allowed and conditional ones.
func (a *Analysis) pathsTo(ctx context.Context, target string, maxSteps int) ([]Path, error) {
	ti, ok := a.index[strings.ToLower(target)]
	if !ok {
		return nil, nil
	}
	n := len(a.ids)
	next := make([]int32, n) // move index toward the target, -1 unset
	tier := make([]int8, n)  // 0 unreached, 1 allowed, 2 conditional
	for i := range next {
		next[i] = -1
	}
	for pass := int8(1); pass <= 2; pass++ {
		queue := []int32{ti}
		tier[ti] = pass
		dist := make([]int16, n)
		seen := make([]bool, n)
		seen[ti] = true
		for len(queue) > 0 {
			if len(queue)%4096 == 0 && ctx.Err() != nil {
				return nil, ctx.Err()
			}
			cur := queue[0]
			queue = queue[1:]
			if int(dist[cur]) >= maxSteps {
				continue
			}
			for _, mi := range a.in[cur] {
				m := &a.Moves[mi]
				if pass == 1 && m.Result != decision.Allowed {
					continue
				}
				f := a.from[mi]
				if seen[f] {
					continue
				}
				seen[f] = true
				dist[f] = dist[cur] + 1
				if tier[f] == 0 {
					tier[f], next[f] = pass, mi
				}
				queue = append(queue, f)
			}
		}
	}
	var out []Path
	for i := range n {
		if tier[i] == 0 || int32(i) == ti || next[i] < 0 {
			continue
		}
		start := a.G.Node(a.ids[i])
		if start != nil && !start.IsPrincipal() {
			continue
		}
		if strings.HasPrefix(a.ids[i], "admin:") {
			continue
		}
		if first := a.Moves[next[i]]; first.To == target && isHold(first.Method) {
			continue // holds the target already: an admin, not an escalation
		}
		p := Path{Principal: a.ids[i], Target: target, Result: decision.Allowed}
		cur := int32(i)
		for cur != ti && len(p.Steps) <= maxSteps {
			m := a.Moves[next[cur]]
			p.Steps = append(p.Steps, m)
			if m.Result == decision.Conditional {
				p.Result = decision.Conditional
			}
			cur = a.to[next[cur]]
			if next[cur] < 0 && cur != ti {
				break
			}
		}
		out = append(out, p)
	}
	slices.SortFunc(out, func(x, y Path) int { return cmp.Compare(x.Principal, y.Principal) })
	return out, nil
}

func isHold(method string) bool {
	switch method {
	case "aws-admin-policy", "azure-role-assignment-write", "azure-entra-admin", "gcp-set-iam-policy":
		return true
	}
	return false
}

// Text renders a path on one line per step.
func (p Path) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s → %s (%s)\n", p.Principal, p.Target, p.Result)
	for i, s := range p.Steps {
		fmt.Fprintf(&b, "  %d. %s —%s→ %s", i+1, s.From, s.Method, s.To)
		if s.Grant != "" {
			fmt.Fprintf(&b, " [%s]", s.Grant)
		}
		if s.Result != decision.Allowed {
			fmt.Fprintf(&b, " (%s: %s)", s.Result, s.Reason)
		}
		b.WriteByte('\n')
	}
	return b.String()
}
