package server

import (
	"net/http"
	"slices"
	"strings"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/identity/decision"
	"github.com/vigil-sec/vigil/internal/identity/escalate"
	"github.com/vigil-sec/vigil/internal/identity/graph"
)

// pathRow is one escalation path as the page lists it.
type pathRow struct {
	Principal, Target, Result string
	Steps                     []escalate.Step
}

// identityView is the identity page's data.
type identityView struct {
	Snap            *snapshot
	Query           string
	Nodes, Edges    int
	Admins          int
	Kinds           []kv
	Paths           []pathRow
	Attack          []finding.Finding
	Graph           *svgGraph
	PathsCut        bool
	TotalPaths      int
	TotalAttack     int
	ConfigureAdvice string
}

type kv struct {
	Key   string
	Count int
}

// maxListed bounds the rows of a list page.
const maxListed = 500

// identityPage draws the attack paths (an exposed resource, the identity
// it runs as, and that identity's way to admin) and the privilege
// escalation paths as one graph, and lists them: attack paths first, then
// the paths of allowed steps before conditional ones, shortest first.
func (s *Server) identityPage(w http.ResponseWriter, r *http.Request, p *principal) {
	snap, ok := s.workspaceSnapshot(w, r, p)
	if !ok {
		return
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	v := identityView{Snap: snap, Query: q}
	if snap == nil || snap.Graph == nil {
		s.render(w, r, p, http.StatusOK, "identity", "Identity", v)
		return
	}
	g := snap.Graph
	v.Nodes, v.Edges, v.Admins = len(g.Nodes()), len(g.Edges()), len(g.AdminNodes())
	kinds := map[string]int{}
	for _, n := range g.Nodes() {
		kinds[string(n.Kind)]++
	}
	for k, n := range kinds {
		v.Kinds = append(v.Kinds, kv{k, n})
	}
	slices.SortFunc(v.Kinds, func(a, b kv) int { return b.Count - a.Count })
	match := func(ss ...string) bool {
		if q == "" {
			return true
		}
		for _, x := range ss {
			if strings.Contains(strings.ToLower(x), strings.ToLower(q)) {
				return true
			}
		}
		return false
	}
	paths := slices.Clone(snap.Escalation)
	slices.SortStableFunc(paths, func(a, b escalate.Path) int {
		if d := resultRank(a.Result) - resultRank(b.Result); d != 0 {
			return d
		}
		return len(a.Steps) - len(b.Steps)
	})
	byPrincipal := map[string][]escalate.Path{}
	for _, pa := range paths {
		k := strings.ToLower(pa.Principal)
		byPrincipal[k] = append(byPrincipal[k], pa)
	}
	for _, pa := range paths {
		if !match(pa.Principal, pa.Target) {
			continue
		}
		v.TotalPaths++
		if len(v.Paths) < maxListed {
			v.Paths = append(v.Paths, pathRow{Principal: pa.Principal, Target: pa.Target, Result: pa.Result.String(), Steps: pa.Steps})
		}
	}
	attack := slices.Clone(snap.Attack)
	slices.SortStableFunc(attack, func(a, b finding.Finding) int { return b.Severity.Rank() - a.Severity.Rank() })
	for _, f := range attack {
		if !match(f.Resource.ID, f.Resource.Name, f.Message) {
			continue
		}
		v.TotalAttack++
		if len(v.Attack) < maxListed {
			v.Attack = append(v.Attack, f)
		}
	}
	// The drawing: attack paths, then escalation paths, within a budget.
	b := newGraphBuilder(90)
	class := func(id string) string {
		if strings.HasPrefix(id, "admin:") {
			return "admin"
		}
		return ""
	}
	stepLinks := func(steps []escalate.Step) []link {
		out := make([]link, 0, len(steps))
		for _, st := range steps {
			out = append(out, link{To: st.To, Label: st.Method, Conditional: st.Result != decision.Allowed})
		}
		return out
	}
	for _, f := range v.Attack {
		for _, id := range g.RunsAs(f.Resource.ID) {
			links := []link{{To: f.Resource.ID, Label: "exposed"}, {To: id, Label: "runs as"}}
			for _, e := range g.Out(id) {
				if e.Kind == graph.Holds && (e.Result == decision.Allowed || e.Result == decision.Conditional) {
					b.chain("internet", "internet", append(slices.Clone(links), link{To: e.To, Label: "holds", Conditional: e.Result != decision.Allowed}), class)
				}
			}
			esc := byPrincipal[strings.ToLower(id)]
			if len(esc) == 0 {
				b.chain("internet", "internet", links, class)
				continue
			}
			for _, pa := range esc[:min(len(esc), 3)] {
				b.chain("internet", "internet", append(slices.Clone(links), stepLinks(pa.Steps)...), class)
			}
		}
	}
	for _, pa := range v.Paths {
		b.chain(pa.Principal, "", stepLinks(pa.Steps), class)
	}
	// Exposed resources are drawn as such.
	for _, f := range v.Attack {
		if i, ok := b.index[strings.ToLower(f.Resource.ID)]; ok {
			b.class[i] = "exposed"
		}
	}
	v.Graph = b.layout()
	s.render(w, r, p, http.StatusOK, "identity", "Identity and attack paths", v)
}

// resultRank orders decisions: allowed (worst: certain) first.
func resultRank(r decision.Result) int {
	if r == decision.Allowed {
		return 0
	}
	return 1
}
