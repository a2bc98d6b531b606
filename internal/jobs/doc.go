// Package jobs is the job queue of vigil serve and vigil worker: scans of
// one source (an export folder, or one account and region of it) run as
// jobs of River (github.com/riverqueue/river) on the history store's own
// database, SQLite in one process by default (riversqlite) or PostgreSQL
// (riverpgxv5) shared by several processes on several machines.
//
// Open opens the history store, applies River's migrations (rivermigrate)
// to the same database and builds a River client: with Workers > 0 it
// works jobs, with a Schedule it also enqueues the schedule's sources on
// their intervals or cron expressions (River periodic jobs, enqueued by
// the elected leader), and with neither it only enqueues.
//
// Each attempt of a job is recorded in the history store's job runs
// (history.JobRun: kind, inputs, attempt, worker, status, duration, error)
// and a scan job's history run is recorded in the same transaction as its
// job run turning completed: a job records at most one run. A worker that
// dies mid-job (killed, or its machine lost) leaves its job running in
// River's table; after RescueAfter the elected leader among the remaining
// processes rescues it (River's stuck-job rescuer, which looks every 30 s)
// and another worker runs it again, which replaces the dead attempt's job
// run and records the run once.
package jobs
