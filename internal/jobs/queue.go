package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/vigil-sec/vigil/internal/history"
	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/respond"
)

// Defaults of Options.
const (
	DefaultJobTimeout   = 30 * time.Minute
	DefaultPollInterval = time.Second
)

// Options configure a Queue.
type Options struct {
	// DSN is the history store's database: an SQLite file or a
	// postgres:// URL (as history.Open takes it). River's tables go into
	// the same database.
	DSN string
	// Store, when set, is the history store already open on DSN (it is
	// not closed by Close); otherwise Open opens one.
	Store *history.Store
	// ID names this process among the workers (River's client ID and the
	// job runs' worker); default host-pid.
	ID string
	// Workers is how many jobs this process works at once; 0 makes a
	// queue that only enqueues.
	Workers int
	// Schedule, when set, enqueues its sources on their intervals or cron
	// expressions (needs Workers > 0: the elected leader enqueues).
	Schedule *Schedule
	// JobTimeout cancels a job running longer (default 30 min).
	JobTimeout time.Duration
	// RescueAfter is how long a job may stay running before it is taken as
	// stuck (its worker died) and run again; it must exceed JobTimeout
	// (default JobTimeout + 1 min).
	RescueAfter time.Duration
	// PollInterval is how often a worker looks for jobs (default 1 s); on
	// PostgreSQL a new job is also announced at once (LISTEN/NOTIFY).
	PollInterval time.Duration
	// Version is recorded with each run.
	Version string
	// Engine evaluates the rules of scan jobs; default the built-in rules,
	// compiled at the first scan job.
	Engine *policy.Engine
	// Delay waits this long at the start of each job: for tests that kill
	// a worker mid-job.
	Delay time.Duration
	// Hold waits this long after a scan job recorded its run, before the
	// queue hears it completed: for tests that kill a worker in between.
	Hold time.Duration
	// ApplySteps lets step jobs approved for apply change the clouds;
	// without it this process runs every step dry (read-only).
	ApplySteps bool
	// BeforeCommit waits this long after a follow job read its files and
	// wrote its alerts, before it records them: for tests that kill a
	// worker in between.
	BeforeCommit time.Duration
	// Registry, when set, builds the response actions of plan and step jobs
	// (default: every action with the clouds' default credentials).
	Registry func() (*respond.Registry, error)
	Logger   *slog.Logger
}

// riverClient is what the queue uses of a River client, whatever its
// driver's transaction type.
type riverClient interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	StopAndCancel(ctx context.Context) error
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	JobList(ctx context.Context, params *river.JobListParams) (*river.JobListResult, error)
	Subscribe(kinds ...river.EventKind) (<-chan *river.Event, func())
}

// Queue is a River client on the history store's database, with vigil's
// job kinds registered.
type Queue struct {
	opts      Options
	store     *history.Store
	ownStore  bool
	riverDB   *sql.DB // SQLite only: River's own connection
	client    riverClient
	log       *slog.Logger
	id        string
	engineMu  sync.Mutex
	engine    *policy.Engine
	Migrated  int // River migrations applied by Open
	scheduled []string
}

// Open opens the store, applies River's migrations to its database and
// builds the client (not started: see Start).
func Open(ctx context.Context, opts Options) (q *Queue, err error) {
	if opts.Schedule != nil && opts.Workers <= 0 {
		return nil, errors.New("jobs: a schedule needs workers (the elected leader enqueues)")
	}
	if opts.JobTimeout <= 0 {
		opts.JobTimeout = DefaultJobTimeout
	}
	if opts.RescueAfter <= 0 {
		opts.RescueAfter = opts.JobTimeout + time.Minute
	}
	if opts.RescueAfter <= opts.JobTimeout {
		return nil, fmt.Errorf("jobs: the rescue delay (%s) must exceed the job timeout (%s)", opts.RescueAfter, opts.JobTimeout)
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = DefaultPollInterval
	}
	q = &Queue{opts: opts, log: opts.Logger, id: opts.ID, engine: opts.Engine}
	if q.log == nil {
		q.log = slog.Default()
	}
	if q.id == "" {
		host, _ := os.Hostname()
		q.id = fmt.Sprintf("%s-%d", cmpOr(host, "vigil"), os.Getpid())
	}
	q.store = opts.Store
	if q.store == nil {
		if q.store, err = history.Open(ctx, opts.DSN); err != nil {
			return nil, err
		}
		q.ownStore = true
	}
	defer func() {
		if err != nil {
			q.Close()
		}
	}()
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &scanWorker{q: q}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &detectWorker{q: q}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &followWorker{q: q}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &iacWorker{q: q}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &liveWorker{q: q}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &planWorker{q: q}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &stepWorker{q: q}); err != nil {
		return nil, err
	}
	cfg := &river.Config{
		ID:                   sanitizeID(q.id),
		JobTimeout:           opts.JobTimeout,
		RescueStuckJobsAfter: opts.RescueAfter,
		FetchPollInterval:    opts.PollInterval,
		FetchCooldown:        min(100*time.Millisecond, opts.PollInterval),
		Logger:               q.log,
		Workers:              workers,
	}
	if opts.Workers > 0 {
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: opts.Workers}}
	}
	if opts.Schedule != nil {
		cfg.PeriodicJobs, q.scheduled = opts.Schedule.periodicJobs()
	}
	if q.store.Dialect() == history.Postgres {
		drv := riverpgxv5.New(q.store.Pool())
		if q.Migrated, err = migrate(ctx, drv, q.log); err != nil {
			return nil, err
		}
		if q.client, err = river.NewClient(drv, cfg); err != nil {
			return nil, fmt.Errorf("jobs: %w", err)
		}
		return q, nil
	}
	// SQLite: a connection of River's own on the same file, one at a time
	// (River's services run side by side; SQLite has one writer).
	path := strings.TrimPrefix(opts.DSN, "sqlite:")
	if path == "" {
		return nil, errors.New("jobs: on SQLite the queue needs the store's DSN (its file)")
	}
	q.riverDB, err = sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	q.riverDB.SetMaxOpenConns(1)
	drv := riversqlite.New(q.riverDB)
	if q.Migrated, err = migrate(ctx, drv, q.log); err != nil {
		return nil, err
	}
	if q.client, err = river.NewClient(drv, cfg); err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	return q, nil
}

func migrate[TTx any](ctx context.Context, drv riverdriver.Driver[TTx], log *slog.Logger) (int, error) {
	m, err := rivermigrate.New(drv, &rivermigrate.Config{Logger: log})
	if err != nil {
		return 0, fmt.Errorf("jobs: River migrations: %w", err)
	}
	res, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return 0, fmt.Errorf("jobs: River migrations: %w", err)
	}
	return len(res.Versions), nil
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// sanitizeID keeps a client ID to the characters River allows.
func sanitizeID(id string) string {
	var b strings.Builder
	for _, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// Store is the history store the queue records into.
func (q *Queue) Store() *history.Store { return q.store }

// ID is this process's name among the workers.
func (q *Queue) ID() string { return q.id }

// Scheduled lists the schedule's entries (one per source and account).
func (q *Queue) Scheduled() []string { return q.scheduled }

// Start starts working jobs (and the schedule) until Stop or ctx ends. A
// queue that works jobs compiles the rules first, so that its first job
// takes no longer than the others.
func (q *Queue) Start(ctx context.Context) error {
	if q.opts.Workers > 0 {
		if _, err := q.engineFor(ctx); err != nil {
			return err
		}
	}
	if err := q.client.Start(ctx); err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	return nil
}

// Stop stops fetching jobs and waits for the running ones to finish (or
// ctx to end).
func (q *Queue) Stop(ctx context.Context) error { return q.client.Stop(ctx) }

// StopAndCancel stops fetching jobs and cancels the running ones (their
// contexts end), waiting for them to return: as a process that dies mid-job,
// for tests.
func (q *Queue) StopAndCancel(ctx context.Context) error { return q.client.StopAndCancel(ctx) }

// Subscribe passes River's events of the kinds given (e.g. job completed).
func (q *Queue) Subscribe(kinds ...river.EventKind) (<-chan *river.Event, func()) {
	return q.client.Subscribe(kinds...)
}

// Close closes what Open opened. Stop the queue first.
func (q *Queue) Close() error {
	var errs []error
	if q.riverDB != nil {
		errs = append(errs, q.riverDB.Close())
	}
	if q.ownStore && q.store != nil {
		errs = append(errs, q.store.Close())
	}
	return errors.Join(errs...)
}

// Enqueue inserts a job and returns its ID.
func (q *Queue) Enqueue(ctx context.Context, args river.JobArgs) (int64, error) {
	res, err := q.client.Insert(ctx, args, nil)
	if err != nil {
		return 0, fmt.Errorf("jobs: enqueuing %s: %w", args.Kind(), err)
	}
	return res.Job.ID, nil
}

// Jobs lists the queue's jobs (River's job table), oldest first, at most
// limit (default 1000).
func (q *Queue) Jobs(ctx context.Context, limit int) ([]*rivertype.JobRow, error) {
	if limit <= 0 {
		limit = 1000
	}
	res, err := q.client.JobList(ctx, river.NewJobListParams().First(limit).OrderBy(river.JobListOrderByID, river.SortOrderAsc).
		States(rivertype.JobStates()...))
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	return res.Jobs, nil
}
