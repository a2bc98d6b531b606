package historytest

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/history"
)

// ServerCPU is the user and system CPU time of the PostgreSQL backends
// serving dsn's database, when the server runs on this machine (their
// process titles name the database: "postgres: USER DB HOST(PORT) ..."); 0
// otherwise, and for SQLite. The server's background processes (WAL
// writer, checkpointer) are not in it.
func ServerCPU(dsn string) time.Duration {
	if !history.IsPostgres(dsn) {
		return 0
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return 0
	}
	db := " " + strings.TrimPrefix(u.Path, "/") + " "
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	var ticks int64
	for _, d := range dirs {
		cmd, err := os.ReadFile(d + "/cmdline")
		if err != nil || !bytes.HasPrefix(cmd, []byte("postgres: ")) || !bytes.Contains(cmd, []byte(db)) {
			continue
		}
		stat, err := os.ReadFile(d + "/stat")
		if err != nil {
			continue
		}
		// Fields after the command's closing parenthesis: state is the
		// third field of the line, utime and stime the 14th and 15th.
		f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
		if len(f) < 13 {
			continue
		}
		ut, _ := strconv.ParseInt(f[11], 10, 64)
		st, _ := strconv.ParseInt(f[12], 10, 64)
		ticks += ut + st
	}
	return time.Duration(ticks) * (time.Second / 100) // USER_HZ is 100 on Linux
}
