package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vigil-sec/vigil/internal/drift"
	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/history"
	"github.com/vigil-sec/vigil/internal/iac"
	"github.com/vigil-sec/vigil/internal/identity/escalate"
	"github.com/vigil-sec/vigil/internal/identity/graph"
	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/inventory"
)

// Workspace names the files behind the pages the history does not hold:
// the inventory (inventory search, identity graph and attack paths,
// drift), infrastructure as code (drift), detection alerts and the
// response state (playbook plans, approvals and runs). Each page says what
// to give when its part is empty.
type Workspace struct {
	// Inventory are export files or directories (as vigil scan reads).
	// Empty: the inputs of the latest recorded run that are still on
	// disk (vigil serve --scan PATH records them).
	Inventory []string
	// IaC are Terraform state, plan or HCL, CloudFormation or ARM files
	// or directories, compared with the inventory (vigil drift --iac).
	IaC []string
	// Alerts are the JSON lines files (or directories of *.jsonl) that
	// vigil detect --output writes: one OCSF Detection Finding per line.
	Alerts []string
	// Respond is vigil respond's state directory (--state): plans in
	// plans/*.json, run records in runs/*.jsonl, the trail in
	// trail.jsonl. Approving a plan from the dashboard writes the plan
	// file and the trail as vigil respond approve does.
	Respond string
}

// workspace loads the inventory and what is derived from it once per set
// of inputs, and again when the inputs change (a new run, a file written).
type workspace struct {
	cfg Workspace
	log *slog.Logger

	mu   sync.Mutex
	key  string
	snap *snapshot
}

// snapshot is one load of the inventory and its derived views.
type snapshot struct {
	Paths      []string
	Loaded     time.Time
	Inv        *inventory.Inventory
	Graph      *graph.Graph
	Escalation []escalate.Path
	Attack     []finding.Finding
	GraphErr   string
	// Drift compares the IaC with the inventory (nil without IaC).
	Drift    *drift.Report
	IaC      []string
	DriftErr string
}

func (s *Server) dashboardRoutes() []route {
	s.ws = &workspace{cfg: s.opts.Workspace, log: s.log}
	return []route{
		{method: "GET", path: "/compliance", role: Viewer, h: s.compliancePage},
		{method: "GET", path: "/compliance/{framework}", role: Viewer, h: s.frameworkPage},
		{method: "POST", path: "/compliance/{framework}/attest", role: attestRole, h: s.attestPage},
		{method: "GET", path: "/identity", role: Viewer, h: s.identityPage},
		{method: "GET", path: "/inventory", role: Viewer, h: s.inventoryPage},
		{method: "GET", path: "/drift", role: Viewer, h: s.driftPage},
		{method: "GET", path: "/alerts", role: Viewer, h: s.alertsPage},
		{method: "GET", path: "/playbooks", role: Viewer, h: s.playbooksPage},
		{method: "GET", path: "/playbooks/{id}", role: Viewer, h: s.playbookPage},
		{method: "POST", path: "/playbooks/{id}/approve", role: Responder, h: s.approvePage},
		{method: "GET", path: "/jobs", role: Viewer, h: s.jobsPage},
	}
}

// inventoryPaths are the inputs the inventory is read from: the
// configured ones, else the latest run's inputs that are still on disk.
func (s *Server) inventoryPaths(ctx context.Context) ([]string, error) {
	if len(s.ws.cfg.Inventory) > 0 {
		return s.ws.cfg.Inventory, nil
	}
	runs, err := s.store.Runs(ctx, history.RunQuery{Limit: 20})
	if err != nil {
		return nil, err
	}
	for _, run := range runs {
		var out []string
		for _, in := range run.Inputs {
			if in == "live" {
				continue
			}
			if _, err := os.Stat(in); err == nil {
				out = append(out, in)
			}
		}
		if len(out) > 0 {
			return out, nil
		}
	}
	return nil, nil
}

// stamp identifies the state of the inputs: their paths and modification
// times (a directory's changes when a file is added or removed in it).
func stamp(paths []string) string {
	var b strings.Builder
	for _, p := range paths {
		b.WriteString(p)
		if st, err := os.Stat(p); err == nil {
			fmt.Fprintf(&b, "@%d/%d", st.ModTime().UnixNano(), st.Size())
		}
		b.WriteByte(0)
	}
	return b.String()
}

// snapshot returns the loaded inventory of the current inputs (nil when
// there are none), loading it when the inputs changed.
func (s *Server) snapshot(ctx context.Context) (*snapshot, error) {
	paths, err := s.inventoryPaths(ctx)
	if err != nil || len(paths) == 0 {
		return nil, err
	}
	key := stamp(paths) + "|" + stamp(s.ws.cfg.IaC)
	ws := s.ws
	ws.mu.Lock()
	defer ws.mu.Unlock()
	if ws.snap != nil && ws.key == key {
		return ws.snap, nil
	}
	// The load outlives the request that asked for it: later ones share it.
	lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Minute)
	defer cancel()
	inv, err := importer.Load(lctx, paths)
	if err != nil {
		return nil, fmt.Errorf("loading the inventory of %s: %w", strings.Join(paths, ", "), err)
	}
	snap := &snapshot{Paths: slices.Clone(paths), Loaded: s.now(), Inv: inv}
	if err := snap.identity(lctx); err != nil {
		s.log.WarnContext(ctx, "identity analysis", slog.Any("err", err))
		snap.GraphErr = err.Error()
	}
	if len(s.ws.cfg.IaC) > 0 {
		snap.IaC = slices.Clone(s.ws.cfg.IaC)
		if err := snap.compare(lctx); err != nil {
			s.log.WarnContext(ctx, "drift", slog.Any("err", err))
			snap.DriftErr = err.Error()
		}
	}
	ws.key, ws.snap = key, snap
	return snap, nil
}

// identity builds the entitlement graph, the escalation paths and the
// attack paths, as vigil scan's identity analysis does.
func (snap *snapshot) identity(ctx context.Context) error {
	g, err := graph.Build(ctx, snap.Inv.Resources, graph.Options{})
	if err != nil {
		return fmt.Errorf("identity graph: %w", err)
	}
	snap.Graph = g
	a, err := escalate.Analyze(ctx, g)
	if err != nil {
		return fmt.Errorf("escalation analysis: %w", err)
	}
	if snap.Escalation, err = a.Paths(ctx, escalate.Options{}); err != nil {
		return fmt.Errorf("escalation paths: %w", err)
	}
	snap.Attack = escalate.AttackPaths(a, snap.Escalation)
	return nil
}

// compare reads the IaC and compares it with the inventory, as vigil
// drift does.
func (snap *snapshot) compare(ctx context.Context) error {
	iacInv, _, err := drift.ReadIaC(ctx, snap.IaC, iac.Builtin(iac.ReaderOptions{}))
	if err != nil {
		return fmt.Errorf("reading the IaC of %s: %w", strings.Join(snap.IaC, ", "), err)
	}
	snap.Drift = drift.Compare(iacInv.Resources, snap.Inv.Resources, drift.Options{})
	return nil
}

// workspaceSnapshot is snapshot for a page (an error answered). a page's "nothing to show" with what to configure.
func (s *Server) workspaceSnapshot(w http.ResponseWriter, r *http.Request, p *principal) (*snapshot, bool) {
	snap, err := s.snapshot(r.Context())
	if err != nil {
		s.internalError(w, r, p, false, err)
		return nil, false
	}
	return snap, true
}
