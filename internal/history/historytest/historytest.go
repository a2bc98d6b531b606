// Package historytest gives tests a fresh history database on each engine:
// an SQLite file in the test's temporary directory, and a database of its
// own on the PostgreSQL server VIGIL_POSTGRES names (scripts/postgres.sh
// starts one), skipped with a message when it is unset or unreachable.
package historytest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Env is the environment variable naming the test PostgreSQL server.
const Env = "VIGIL_POSTGRES"

// Engine is one database engine for a test.
type Engine struct {
	Name string
	// DSN returns the DSN of a new, empty database, dropped when the test
	// ends; on PostgreSQL it skips the test when no server is reachable.
	DSN func(t testing.TB) string
}

// Engines lists SQLite and PostgreSQL.
func Engines() []Engine {
	return []Engine{{Name: "sqlite", DSN: SQLite}, {Name: "postgres", DSN: Postgres}}
}

// SQLite returns the path of a new SQLite database file.
func SQLite(t testing.TB) string {
	return filepath.Join(t.TempDir(), "history.db")
}

// Postgres creates a database on the VIGIL_POSTGRES server and returns its
// DSN; the test is skipped when the variable is unset or the server does not
// answer.
func Postgres(t testing.TB) string {
	t.Helper()
	base := os.Getenv(Env)
	if base == "" {
		t.Skip(Env + " is unset: no PostgreSQL server for this test (export " + Env + "=$(sh scripts/postgres.sh start))")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Skipf("%s=%s does not answer: %v (start it with sh scripts/postgres.sh start)", Env, base, err)
	}
	defer conn.Close(ctx)
	var b [6]byte
	rand.Read(b[:])
	name := "vigil_test_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("creating a test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Logf("dropping %s: %v", name, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("dropping %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", Env, err)
	}
	u.Path = "/" + name
	return u.String()
}
