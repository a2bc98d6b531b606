// Package sqlite stands in for github.com/glebarez/go-sqlite, a fork of
// modernc.org/sqlite that Grype's database layer (through the GORM
// dialector github.com/glebarez/sqlite) brings in. Both register the
// database/sql driver "sqlite" at init, and a binary holding both panics
// ("sql: Register called twice for driver sqlite"); vigil already uses
// modernc.org/sqlite (internal/history). This module is put in the fork's
// place by a replace directive in vigil's go.mod: it registers nothing of
// its own, leaves "sqlite" to modernc.org/sqlite, and gives the dialector
// the one name it uses, Error.
package sqlite

import msqlite "modernc.org/sqlite"

// Error is modernc.org/sqlite's error, with its result code.
type Error = msqlite.Error
