package jobs

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/robfig/cron/v3"
	"gopkg.in/yaml.v3"
)

// Schedule is a schedule file: the sources to scan, the audit-log folders
// to follow, and when (see docs/jobs.md).
//
//	sources:
//	  - name: prod-aws            # the history source of its runs
//	    path: exports/prod/aws    # an export folder (relative to the file)
//	    accounts: ["111122223333", "444455556666"]   # one job per account (optional)
//	    region: eu-west-1         # keep one region (optional)
//	    every: 6h                 # an interval (Go duration, at least 1m) ...
//	  - name: gcp
//	    path: exports/gcp
//	    cron: "30 2 * * *"        # ... or a cron expression (5 fields, or @daily, @every 2h)
//	    run_on_start: true        # also once when the schedule starts
//	logs:
//	  - name: cloudtrail          # the follow's name (its checkpoint's key)
//	    path: logs/cloudtrail     # a folder of audit log files (an export of a bucket)
//	    output: alerts/           # alerts-job-ID.jsonl written there
//	    rules: [sigma/rules/cloud]
//	    every: 5m
//	iac:
//	  - name: infra
//	    path: repos/infra         # an IaC tree, as vigil iac reads it
//	    every: 1h
//	live:
//	  - name: aws-live
//	    clouds: [aws]             # collected read-only, as vigil collect does
//	    aws_role: VigilReadOnly
//	    every: 24h
type Schedule struct {
	Sources []ScheduledSource `yaml:"sources"`
	Logs    []ScheduledLogs   `yaml:"logs"`
	IaC     []ScheduledIaC    `yaml:"iac"`
	Live    []ScheduledLive   `yaml:"live"`
}

// When is when a schedule entry runs: Every or Cron, and RunOnStart.
type When struct {
	Every      string `yaml:"every"`
	Cron       string `yaml:"cron"`
	RunOnStart bool   `yaml:"run_on_start"`

	schedule river.PeriodicSchedule
}

// parse checks the timing and builds River's schedule of it.
func (w *When) parse(where string) error {
	switch {
	case w.Every != "" && w.Cron != "":
		return fmt.Errorf("%s: give every or cron, not both", where)
	case w.Every != "":
		d, err := time.ParseDuration(w.Every)
		if err != nil {
			return fmt.Errorf("%s: every: %w", where, err)
		}
		if d < MinInterval {
			return fmt.Errorf("%s: every %s is shorter than %s", where, d, MinInterval)
		}
		w.schedule = river.PeriodicInterval(d)
	case w.Cron != "":
		cs, err := cron.ParseStandard(w.Cron)
		if err != nil {
			return fmt.Errorf("%s: cron %q: %w", where, w.Cron, err)
		}
		w.schedule = cs
	default:
		return fmt.Errorf("%s: give when to run: every (e.g. 6h) or cron (e.g. \"0 3 * * *\")", where)
	}
	return nil
}

func (w *When) String() string {
	if w.Cron != "" {
		return "cron " + w.Cron
	}
	return "every " + w.Every
}

// ScheduledSource is one export folder of a schedule, scanned as vigil
// scan reads it.
type ScheduledSource struct {
	Name     string   `yaml:"name"`
	Path     string   `yaml:"path"`
	Accounts []string `yaml:"accounts"`
	Region   string   `yaml:"region"`
	When     `yaml:",inline"`
	// Respond, when set, plans its playbooks over the new findings of
	// each run (a plan job; nothing is applied).
	Respond *Respond `yaml:"respond"`
}

// ScheduledLogs is an audit-log folder of a schedule, followed: each run
// detects over the files (and the parts of files) not read by an earlier
// run, as vigil detect --follow does, its checkpoint kept in the store.
type ScheduledLogs struct {
	Name   string   `yaml:"name"`
	Path   string   `yaml:"path"`
	Output string   `yaml:"output"`
	Rules  []string `yaml:"rules"`
	When   `yaml:",inline"`
	// Respond, when set, plans its playbooks over the alerts of each run
	// (a plan job; nothing is applied).
	Respond *Respond `yaml:"respond"`
}

// ScheduledIaC is an IaC tree of a schedule (a repository's checkout),
// checked as vigil iac does and recorded as a run of kind iac.
type ScheduledIaC struct {
	Name    string `yaml:"name"`
	Path    string `yaml:"path"`
	When    `yaml:",inline"`
	Respond *Respond `yaml:"respond"`
}

// ScheduledLive is a live collection of a schedule: the clouds collected
// read-only as vigil collect does (credentials from each SDK's default
// chain), scanned and recorded as a run of kind live.
type ScheduledLive struct {
	Name     string `yaml:"name"`
	LiveArgs `yaml:",inline"`
	When     `yaml:",inline"`
}

// MinInterval is the shortest interval a schedule takes.
const MinInterval = time.Minute

// LoadSchedule reads a schedule file; relative paths in it are taken from
// the file's directory.
func LoadSchedule(path string) (*Schedule, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s, err := ParseSchedule(b, filepath.Dir(path))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// ParseSchedule reads a schedule (YAML, or JSON, which is YAML too);
// relative paths are joined to dir.
func ParseSchedule(data []byte, dir string) (*Schedule, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var s Schedule
	if err := dec.Decode(&s); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("empty schedule: list what to run under sources:, logs:, iac: or live:")
		}
		return nil, err
	}
	if len(s.Sources)+len(s.Logs)+len(s.IaC)+len(s.Live) == 0 {
		return nil, errors.New("no sources: list what to run under sources:, logs:, iac: or live:")
	}
	abs := func(p string) string {
		if p != "" && !filepath.IsAbs(p) && dir != "" {
			return filepath.Join(dir, p)
		}
		return p
	}
	names := map[string]bool{}
	named := func(where string, name *string, def string) error {
		if *name == "" {
			*name = def
		}
		if names[*name] {
			return fmt.Errorf("%s: two entries are named %q", where, *name)
		}
		names[*name] = true
		return nil
	}
	for i := range s.Sources {
		src := &s.Sources[i]
		where := entryName("source", i, src.Name)
		if src.Path == "" {
			return nil, fmt.Errorf("%s: path is required (an export folder)", where)
		}
		src.Path = abs(src.Path)
		if err := named(where, &src.Name, src.Path); err != nil {
			return nil, err
		}
		if src.Respond != nil {
			if err := src.Respond.parse(where, abs); err != nil {
				return nil, err
			}
		}
		if err := src.When.parse(where); err != nil {
			return nil, err
		}
		seen := map[string]bool{}
		for _, a := range src.Accounts {
			if strings.TrimSpace(a) == "" || seen[a] {
				return nil, fmt.Errorf("%s: accounts: empty or repeated account %q", where, a)
			}
			seen[a] = true
		}
	}
	for i := range s.Logs {
		l := &s.Logs[i]
		where := entryName("logs", i, l.Name)
		if l.Path == "" || l.Output == "" {
			return nil, fmt.Errorf("%s: path (a folder of audit logs) and output (the folder of the alert files) are required", where)
		}
		l.Path, l.Output = abs(l.Path), abs(l.Output)
		for j := range l.Rules {
			l.Rules[j] = abs(l.Rules[j])
		}
		if l.Respond != nil {
			if err := l.Respond.parse(where, abs); err != nil {
				return nil, err
			}
		}
		if err := named(where, &l.Name, l.Path); err != nil {
			return nil, err
		}
		if err := l.When.parse(where); err != nil {
			return nil, err
		}
	}
	for i := range s.IaC {
		c := &s.IaC[i]
		where := entryName("iac", i, c.Name)
		if c.Path == "" {
			return nil, fmt.Errorf("%s: path is required (an IaC tree)", where)
		}
		c.Path = abs(c.Path)
		if err := named(where, &c.Name, c.Path); err != nil {
			return nil, err
		}
		if c.Respond != nil {
			if err := c.Respond.parse(where, abs); err != nil {
				return nil, err
			}
		}
		if err := c.When.parse(where); err != nil {
			return nil, err
		}
	}
	for i := range s.Live {
		l := &s.Live[i]
		where := entryName("live", i, l.Name)
		if len(l.Clouds) == 0 {
			return nil, fmt.Errorf("%s: clouds is required (aws, azure, gcp)", where)
		}
		for _, c := range l.Clouds {
			if c != "aws" && c != "azure" && c != "gcp" {
				return nil, fmt.Errorf("%s: clouds: %q is not aws, azure or gcp", where, c)
			}
		}
		l.AzureCAFile = abs(l.AzureCAFile)
		if l.Respond != nil {
			if err := l.Respond.parse(where, abs); err != nil {
				return nil, err
			}
		}
		if err := named(where, &l.Name, "live:"+strings.Join(l.Clouds, ",")); err != nil {
			return nil, err
		}
		l.Source = l.Name
		if err := l.When.parse(where); err != nil {
			return nil, err
		}
	}
	return &s, nil
}

func entryName(kind string, i int, name string) string {
	where := fmt.Sprintf("%s %d", kind, i+1)
	if name != "" {
		where += " (" + name + ")"
	}
	return where
}

// Jobs returns the scan jobs one tick of the source enqueues: one per
// account, or one for the whole source.
func (src *ScheduledSource) Jobs() []ScanArgs {
	if len(src.Accounts) == 0 {
		return []ScanArgs{{Path: src.Path, Source: src.Name, Region: src.Region, Respond: src.Respond}}
	}
	out := make([]ScanArgs, 0, len(src.Accounts))
	for _, a := range src.Accounts {
		out = append(out, ScanArgs{Path: src.Path, Source: src.Name + "#" + a, Account: a, Region: src.Region, Respond: src.Respond})
	}
	return out
}

// scheduledUnique keeps a scheduled scan from being enqueued again while
// the last one is still waiting or running (scans slower than their
// interval, or a new leader's run on start).
var scheduledUnique = river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable,
	rivertype.JobStateRunning, rivertype.JobStateScheduled,
}}

// periodicJobs are River's periodic jobs of the schedule, and their names.
func (s *Schedule) periodicJobs() ([]*river.PeriodicJob, []string) {
	var out []*river.PeriodicJob
	var names []string
	add := func(w *When, name string, args river.JobArgs) {
		out = append(out, river.NewPeriodicJob(w.schedule, func() (river.JobArgs, *river.InsertOpts) {
			return args, &river.InsertOpts{UniqueOpts: scheduledUnique}
		}, &river.PeriodicJobOpts{RunOnStart: w.RunOnStart}))
		names = append(names, name+" ("+w.String()+")")
	}
	for i := range s.Sources {
		src := &s.Sources[i]
		for _, a := range src.Jobs() {
			add(&src.When, a.Source, a)
		}
	}
	for i := range s.Logs {
		l := &s.Logs[i]
		add(&l.When, "logs "+l.Name, l.Job())
	}
	for i := range s.IaC {
		c := &s.IaC[i]
		add(&c.When, "iac "+c.Name, IaCArgs{Path: c.Path, Source: c.Name, Respond: c.Respond})
	}
	for i := range s.Live {
		l := &s.Live[i]
		add(&l.When, "live "+l.Name, l.LiveArgs)
	}
	return out, names
}

// Job is the follow job one tick of the logs entry enqueues.
func (l *ScheduledLogs) Job() FollowArgs {
	return FollowArgs{Name: l.Name, Dir: l.Path, Output: l.Output, Rules: l.Rules, Respond: l.Respond}
}
