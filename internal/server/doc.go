// Package server is vigil serve: a web dashboard and a REST API over the
// history store (internal/history), behind authentication.
//
// Pages are rendered on the server with html/template (every value from
// the clouds is escaped by the template; nothing from a scan is ever
// template.HTML), with one embedded stylesheet served from /static/ and no
// script at all, under a Content-Security-Policy of default-src 'self'.
//
// Authentication: local users whose passwords are hashed with argon2id;
// sessions in Secure, HttpOnly, SameSite=Strict cookies holding a random
// 32-byte token of which only the SHA-256 is stored; a per-session CSRF
// token checked on every state-changing request made with a session (the
// login form uses a double-submit cookie); API tokens (Authorization:
// Bearer), stored hashed, scoped to a role and expiring. Roles are ordered
// viewer < analyst (mute) < responder < admin. Every route answers only an
// authenticated caller except GET /healthz, the login page and the
// embedded stylesheet. Failed logins are limited per client address and
// per user name; every user action (login, failed login, logout, mute,
// token creation, user creation) is written to an audit log shown to
// admins.
//
// The server's tables (users, sessions, api_tokens, audit_log) live in the
// history store's database, created by the package's own versioned
// migrations (server_migrations), on SQLite and PostgreSQL alike. Scores,
// lifecycle states and posture are read from the store as it defines them;
// the server computes none of its own.
//
// The compliance pages read the history too; the identity, inventory and
// drift pages read the exports (and IaC) of a Workspace, the alerts page
// vigil detect's output files and the playbook pages vigil respond's state
// directory (dashboard.go). The identity graph is laid out on the server
// and drawn as inline SVG (svggraph.go): still no script.
//
// Not in this package yet: the scheduler (interval or cron scans through a
// job queue) and OIDC sign-on.
package server
