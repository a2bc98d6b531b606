package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/vigil-sec/vigil/internal/history"
	"github.com/vigil-sec/vigil/internal/jobs"
	"github.com/vigil-sec/vigil/internal/server"
)

type serveFlags struct {
	db, listen, initAdmin, source string
	oidc                          string
	scan                          []string
	queue                         queueFlags
	ws                            server.Workspace
}

func newServeCmd() *cobra.Command {
	var sf serveFlags
	cmd := &cobra.Command{
		Use:   "serve [--db DSN] [--listen ADDR] [--scan PATH...] [--init-admin USER]",
		Short: "Serve the dashboard and REST API over the history, behind authentication",
		Long: `Serve a web dashboard (overview with posture per cloud, account and framework and its trend; findings
explorer with filters, grouping, mute and CSV/JSON export; runs; diff between runs; API tokens and audit log
for admins) and a REST API under /api/v1 (OpenAPI document at /api/v1/openapi.json) over the history store.

Every page and API route needs a signed-in user or an API token, except GET /healthz. --init-admin USER
creates (or resets) an admin user, with the password from $VIGIL_ADMIN_PASSWORD or the first line of
standard input, before serving. --scan PATH scans those paths once at start and records the run, as
vigil history record does. --schedule FILE runs the scheduler and job workers in this process (scans of
the file's sources on intervals or cron expressions, each recorded as a run; see docs/jobs.md and
vigil worker). See docs/serve.md.

Exit status: 0 stopped by a signal; 2 usage error, or the address cannot be listened on.`,
		Example: `  VIGIL_ADMIN_PASSWORD='correct horse battery' vigil serve --init-admin admin --scan examples/org
  vigil serve --db postgres://vigil@db.internal/vigil --listen 127.0.0.1:8080`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runServe(cmd, sf) },
	}
	fl := cmd.Flags()
	addDBFlag(cmd, &sf.db)
	fl.StringVar(&sf.listen, "listen", "127.0.0.1:8080", "address to listen on")
	fl.StringArrayVar(&sf.scan, "scan", nil, "scan this path once at start and record the run (repeatable: one run of all paths)")
	fl.StringVar(&sf.source, "source", "", "with --scan: the source name of the run (default: the absolute paths)")
	fl.StringVar(&sf.oidc, "oidc", "", "single sign-on: a JSON file of issuer, client_id, redirect_url, scopes, role_claim, roles, default_role (client secret from $"+server.OIDCSecretEnv+"); see docs/serve.md")
	fl.StringVar(&sf.initAdmin, "init-admin", "", "create or reset this admin user before serving (password from $VIGIL_ADMIN_PASSWORD or stdin)")
	fl.StringArrayVar(&sf.ws.Inventory, "inventory", nil, "exports behind the inventory, identity and drift pages (repeatable; default: the latest run's inputs still on disk)")
	fl.StringArrayVar(&sf.ws.IaC, "iac", nil, "Terraform state, plan or HCL, CloudFormation or ARM templates for the drift page (repeatable)")
	fl.StringArrayVar(&sf.ws.Alerts, "alerts", nil, "vigil detect --output files, or directories of *.jsonl, for the alerts page (repeatable)")
	fl.StringVar(&sf.ws.Respond, "respond", "", "vigil respond's --state directory (plans/*.json, runs/, trail.jsonl) for the playbooks page")
	sf.queue.register(cmd, true)
	return cmd
}

func runServe(cmd *cobra.Command, sf serveFlags) error {
	ctx := cmd.Context()
	stderr := cmd.ErrOrStderr()
	var password string
	if sf.initAdmin != "" {
		var err error
		if password, err = adminPassword(cmd.InOrStdin(), stderr); err != nil {
			return usageErr(err)
		}
	}
	for _, p := range slices.Concat(sf.ws.Inventory, sf.ws.IaC, sf.ws.Alerts, []string{sf.ws.Respond}) {
		if _, err := os.Stat(p); p != "" && err != nil {
			return usageErr(err)
		}
	}
	if err := scheduleWorkspace(&sf); err != nil {
		return usageErr(err)
	}
	store, err := history.Open(ctx, sf.db)
	if err != nil {
		return usageErr(err)
	}
	defer store.Close()
	var sso *server.OIDCConfig
	if sf.oidc != "" {
		if sso, err = server.LoadOIDCConfig(sf.oidc); err != nil {
			return usageErr(err)
		}
	}
	q, stopJobs, err := startQueue(cmd, sf.db, store, sf.queue)
	if err != nil {
		return err
	}
	defer stopJobs()
	opts := server.Options{Logger: slog.Default(), Workspace: sf.ws, OIDC: sso}
	if q != nil {
		opts.Steps = stepQueue{q}
	}
	srv, err := server.New(ctx, store, opts)
	if err != nil {
		return err
	}
	if sf.initAdmin != "" {
		if err := srv.CreateUser(ctx, sf.initAdmin, password, server.Admin); err != nil {
			return usageErr(fmt.Errorf("--init-admin: %w", err))
		}
		fmt.Fprintf(stderr, "vigil: admin user %q ready\n", sf.initAdmin)
	}
	if n, err := srv.ActiveUsers(ctx); err != nil {
		return err
	} else if n == 0 {
		fmt.Fprintln(stderr, "vigil: warning: no user can sign in yet: create the first admin with vigil serve --init-admin USER")
	}
	if len(sf.scan) > 0 {
		if err := serveScan(cmd, store, sf); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", sf.listen)
	if err != nil {
		return usageErr(err)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(slog.Default().Handler(), slog.LevelWarn)}
	if a, ok := ln.Addr().(*net.TCPAddr); ok && !a.IP.IsLoopback() {
		fmt.Fprintln(stderr, "vigil: warning: listening beyond loopback over plain HTTP: browsers keep the Secure session cookie only over HTTPS, so put a TLS reverse proxy in front")
	}
	fmt.Fprintf(stderr, "vigil: serving on http://%s (stop with Ctrl-C)\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(stderr, "vigil: stopped")
	return nil
}

// scheduleWorkspace shows what the schedule's jobs write: the alert
// folders of its logs: entries on the alerts page, and the response state
// of their playbook plans on the playbooks page (unless --respond names
// one).
func scheduleWorkspace(sf *serveFlags) error {
	if sf.queue.schedule == "" {
		return nil
	}
	s, err := jobs.LoadSchedule(sf.queue.schedule)
	if err != nil {
		return fmt.Errorf("--schedule: %w", err)
	}
	for _, l := range s.Logs {
		if err := os.MkdirAll(l.Output, 0o755); err != nil {
			return err
		}
		if !slices.Contains(sf.ws.Alerts, l.Output) {
			sf.ws.Alerts = append(sf.ws.Alerts, l.Output)
		}
		if l.Respond != nil && sf.ws.Respond == "" {
			if err := os.MkdirAll(l.Respond.State, 0o700); err != nil {
				return err
			}
			sf.ws.Respond = l.Respond.State
		}
	}
	return nil
}

// serveScan scans the --scan paths once and records the run, as vigil
// history record does (same scan, same recording).
func serveScan(cmd *cobra.Command, store *history.Store, sf serveFlags) error {
	sc, _, scanErr := scanForHistory(cmd, sf.scan, scanFlags{format: "table"}, liveFlags{})
	if sc == nil {
		return scanErr
	}
	if sf.source != "" {
		sc.Source = sf.source
	}
	run, err := store.Record(cmd.Context(), sc)
	if err != nil {
		return err
	}
	if scanErr != nil {
		return fmt.Errorf("--scan failed (recorded as failed run %d): %w", run.ID, scanErr)
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "vigil: run %d recorded (%s): %d findings, %d failing, posture %s\n",
		run.ID, run.Status, run.Total, run.Fail, pct(run.PostureScore))
	for _, e := range sc.Errors {
		fmt.Fprintln(cmd.ErrOrStderr(), "vigil: input error:", e)
	}
	return nil
}

// adminPassword reads the first admin's password: $VIGIL_ADMIN_PASSWORD,
// else a line of standard input (without echo on a terminal).
func adminPassword(in io.Reader, stderr io.Writer) (string, error) {
	if p := os.Getenv("VIGIL_ADMIN_PASSWORD"); p != "" {
		return p, nil
	}
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, "admin password: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		return string(b), err
	}
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("--init-admin: give the password in $VIGIL_ADMIN_PASSWORD or on standard input")
	}
	return line, nil
}
