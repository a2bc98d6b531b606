package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/vigil-sec/vigil/internal/collect"
	awscollect "github.com/vigil-sec/vigil/internal/collect/aws"
	azurecollect "github.com/vigil-sec/vigil/internal/collect/azure"
	gcpcollect "github.com/vigil-sec/vigil/internal/collect/gcp"
	"github.com/vigil-sec/vigil/internal/collect/live"
	"github.com/vigil-sec/vigil/internal/history"
	"github.com/vigil-sec/vigil/internal/iac"
	"github.com/vigil-sec/vigil/internal/scan"
)

// IaCKind is the River job kind of an IaC check.
const IaCKind = "vigil_iac"

// IaCArgs are the inputs of an IaC job: a tree of infrastructure as code
// (a repository's checkout), read as vigil iac reads it.
type IaCArgs struct {
	Path string `json:"path"`
	// Source names the history source of the runs (default the absolute
	// path).
	Source string `json:"source,omitempty"`
	// Respond, when set, plans playbooks over the run's new findings.
	Respond *Respond `json:"respond,omitempty"`
}

// Kind is River's job kind.
func (IaCArgs) Kind() string { return IaCKind }

// InsertOpts are the defaults of an IaC job.
func (IaCArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 3} }

// SourceName is the history source of the run.
func (a IaCArgs) SourceName() string {
	if a.Source != "" {
		return a.Source
	}
	return absPath(a.Path)
}

func absPath(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

type iacWorker struct {
	river.WorkerDefaults[IaCArgs]
	q *Queue
}

// Work checks the tree and records the run (kind iac) with the job's run,
// once.
func (w *iacWorker) Work(ctx context.Context, job *river.Job[IaCArgs]) error {
	a := job.Args
	jr := history.JobRun{Kind: IaCKind, Source: a.SourceName()}
	return w.q.workScan(ctx, job.JobRow, jr, func(ctx context.Context) (*history.Scan, error) { return w.q.iacScan(ctx, a) })
}

// iacScan runs vigil iac's check over the tree with the built-in rules.
func (q *Queue) iacScan(ctx context.Context, a IaCArgs) (*history.Scan, error) {
	started := time.Now().UTC()
	sc := &history.Scan{Source: a.SourceName(), Kind: "iac", Inputs: []string{absPath(a.Path)}, Started: started, Version: q.opts.Version}
	engine, err := q.engineFor(ctx)
	if err != nil {
		sc.Finished = time.Now().UTC()
		return sc, err
	}
	res, err := iac.Scan(ctx, engine, iac.Options{Paths: []string{a.Path}, Scan: scan.Options{Now: started, Logger: q.log}})
	sc.Finished = time.Now().UTC()
	if err != nil {
		return sc, err
	}
	for _, ie := range res.Inventory.Errors {
		sc.Errors = append(sc.Errors, ie.Error())
	}
	sc.Findings, sc.Rules, sc.Compliance = res.Report.Findings, res.Report.Rules, res.Report.Compliance
	return sc, nil
}

// LiveKind is the River job kind of a live collection and its scan.
const LiveKind = "vigil_live"

// LiveArgs are the inputs of a live job: the clouds to collect, read-only
// (vigil collect's collectors and their flags of the same names), with the
// credentials of each SDK's default chain in the worker's environment.
type LiveArgs struct {
	// Source names the history source of the runs (default
	// live:CLOUD,CLOUD).
	Source             string   `json:"source,omitempty" yaml:"-"`
	Clouds             []string `json:"clouds" yaml:"clouds"`
	AWSRegions         []string `json:"aws_regions,omitempty" yaml:"aws_regions"`
	AWSAccounts        []string `json:"aws_accounts,omitempty" yaml:"aws_accounts"`
	AWSExclude         []string `json:"aws_exclude_accounts,omitempty" yaml:"aws_exclude_accounts"`
	AWSRole            string   `json:"aws_role,omitempty" yaml:"aws_role"`
	AWSProfile         string   `json:"aws_profile,omitempty" yaml:"aws_profile"`
	AWSEndpoint        string   `json:"aws_endpoint,omitempty" yaml:"aws_endpoint"`
	AzureSubscriptions []string `json:"azure_subscriptions,omitempty" yaml:"azure_subscriptions"`
	AzureTenant        string   `json:"azure_tenant,omitempty" yaml:"azure_tenant"`
	AzureEndpoint      string   `json:"azure_endpoint,omitempty" yaml:"azure_endpoint"`
	AzureCAFile        string   `json:"azure_ca_file,omitempty" yaml:"azure_ca_file"`
	GCPScope           []string `json:"gcp_scope,omitempty" yaml:"gcp_scope"`
	GCPQuotaProject    string   `json:"gcp_quota_project,omitempty" yaml:"gcp_quota_project"`
	GCPEndpoint        string   `json:"gcp_endpoint,omitempty" yaml:"gcp_endpoint"`
	// Respond, when set, plans playbooks over the run's new findings.
	Respond *Respond `json:"respond,omitempty" yaml:"respond"`
	// Save, when set, keeps each collection under SAVE/job-ID (the
	// clouds' export formats, as vigil collect --out writes them).
	Save string `json:"save,omitempty" yaml:"save"`
}

// Kind is River's job kind.
func (LiveArgs) Kind() string { return LiveKind }

// InsertOpts are the defaults of a live job.
func (LiveArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 3} }

// SourceName is the history source of the run.
func (a LiveArgs) SourceName() string {
	if a.Source != "" {
		return a.Source
	}
	return "live:" + strings.Join(a.Clouds, ",")
}

// options are the collectors' options.
func (a LiveArgs) options(log *slog.Logger) (live.Options, error) {
	var o live.Options
	if len(a.Clouds) == 0 {
		return o, errors.New("a live job needs clouds (aws, azure, gcp)")
	}
	for _, c := range a.Clouds {
		switch c {
		case "aws":
			o.AWS = &awscollect.Options{Regions: a.AWSRegions, Accounts: a.AWSAccounts, ExcludeAccounts: a.AWSExclude,
				RoleName: a.AWSRole, Profile: a.AWSProfile, Endpoint: a.AWSEndpoint, Logger: log}
		case "azure":
			o.Azure = &azurecollect.Options{Subscriptions: a.AzureSubscriptions, TenantID: a.AzureTenant,
				Endpoint: a.AzureEndpoint, CAFile: a.AzureCAFile, Logger: log}
		case "gcp":
			o.GCP = &gcpcollect.Options{Scope: a.GCPScope, QuotaProject: a.GCPQuotaProject, Endpoint: a.GCPEndpoint}
		default:
			return o, fmt.Errorf("cloud %q: want aws, azure or gcp", c)
		}
	}
	return o, nil
}

type liveWorker struct {
	river.WorkerDefaults[LiveArgs]
	q *Queue
}

// Work collects the clouds, scans the collection and records the run
// (kind live) with the job's run, once.
func (w *liveWorker) Work(ctx context.Context, job *river.Job[LiveArgs]) error {
	a := job.Args
	jr := history.JobRun{Kind: LiveKind, Source: a.SourceName()}
	return w.q.workScan(ctx, job.JobRow, jr, func(ctx context.Context) (*history.Scan, error) { return w.q.liveScan(ctx, job.ID, a) })
}

// liveScan collects the clouds into a folder (a temporary one, or
// SAVE/job-ID) and scans it as vigil scan --live does: calls that failed
// make the findings that needed them UNKNOWN, a cloud that could not be
// collected is an input error of the run (partial), and none collected
// fails it.
func (q *Queue) liveScan(ctx context.Context, id int64, a LiveArgs) (*history.Scan, error) {
	started := time.Now().UTC()
	sc := &history.Scan{Source: a.SourceName(), Kind: "live", Inputs: []string{"live:" + strings.Join(a.Clouds, ",")}, Started: started, Version: q.opts.Version}
	done := func(err error) (*history.Scan, error) {
		sc.Finished = time.Now().UTC()
		return sc, err
	}
	opts, err := a.options(q.log)
	if err != nil {
		return done(err)
	}
	engine, err := q.engineFor(ctx)
	if err != nil {
		return done(err)
	}
	var dir string
	if a.Save != "" {
		dir = filepath.Join(a.Save, fmt.Sprintf("job-%d", id))
		if err := os.RemoveAll(dir); err != nil { // what a dead attempt left
			return done(err)
		}
		sc.Inputs = append(sc.Inputs, dir)
	} else {
		if dir, err = os.MkdirTemp("", "vigil-live-"); err != nil {
			return done(err)
		}
		defer os.RemoveAll(dir)
	}
	sum, err := live.Collect(ctx, opts, collect.Dir(dir))
	if err != nil {
		return done(err)
	}
	for _, c := range sum.Clouds {
		if c.Error != "" {
			sc.Errors = append(sc.Errors, fmt.Sprintf("%s not collected: %s", c.Name, c.Error))
		}
	}
	if !sum.Reached() {
		return done(errors.New("no cloud could be collected: " + strings.Join(sc.Errors, "; ")))
	}
	res, err := scan.Run(ctx, engine, scan.Options{Paths: []string{dir}, Now: started, Identity: true, Logger: q.log})
	if err != nil {
		return done(err)
	}
	collect.Annotate(res.Report.Findings, sum.Failures)
	for _, ie := range res.Inventory.Errors {
		sc.Errors = append(sc.Errors, ie.Error())
	}
	if n := len(sum.Failures); n > 0 {
		sc.Errors = append(sc.Errors, fmt.Sprintf("%d API calls failed (the checks that needed them are UNKNOWN)", n))
	}
	sc.Findings, sc.Rules, sc.Compliance = res.Report.Findings, res.Report.Rules, res.Report.Compliance
	sc.Errors = slices.Clip(sc.Errors)
	return done(nil)
}
