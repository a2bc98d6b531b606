package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/vigil-sec/vigil/internal/lazy"
)

// Role is what a user or token may do; each role may do what the ones
// below it may.
type Role string

// The roles, lowest first.
const (
	Viewer    Role = "viewer"    // read every page and the API
	Analyst   Role = "analyst"   // and mute findings
	Responder Role = "responder" // and (later) approve playbook plans
	Admin     Role = "admin"     // and create API tokens, read the audit log
)

// Roles lists the roles, lowest first.
var Roles = []Role{Viewer, Analyst, Responder, Admin}

func (r Role) rank() int {
	for i, x := range Roles {
		if x == r {
			return i + 1
		}
	}
	return 0
}

// Allows reports whether r may do what min may.
func (r Role) Allows(min Role) bool { return r.rank() > 0 && r.rank() >= min.rank() }

// ParseRole reads a role name.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if r.rank() == 0 {
		return "", fmt.Errorf("unknown role %q (want viewer, analyst, responder or admin)", s)
	}
	return r, nil
}

// Argon2Params are argon2id's costs. DefaultArgon2 follows the OWASP
// password storage recommendation (19 MiB, 2 passes, 1 lane).
type Argon2Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultArgon2 are the costs new passwords are hashed with.
var DefaultArgon2 = Argon2Params{Memory: 19 * 1024, Time: 2, Threads: 1}

// hashPassword returns the PHC string of password hashed with argon2id:
// $argon2id$v=19$m=...,t=...,p=...$salt$hash.
func hashPassword(password string, p Argon2Params) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// checkPassword compares password with a PHC argon2id string in constant
// time.
func checkPassword(password, phc string) bool {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return false
	}
	var p Argon2Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil || p.Time == 0 || p.Threads == 0 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// randomToken is 32 random bytes, base64url.
func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// tokenHash is what is stored of a session or API token.
func tokenHash(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(h[:])
}

// User is a local user.
type User struct {
	ID   int64
	Name string
	Role Role
}

// principal is who makes a request: a user by session, or an API token.
type principal struct {
	Name string // user name, or "token:NAME"
	Role Role
	// CSRF is the session's CSRF token; empty for an API token (a bearer
	// token is not sent by a browser on its own, so needs none).
	CSRF    string
	Session string // session token hash
}

func validUserName(name string) error {
	if name == "" || utf8.RuneCountInString(name) > 64 {
		return errors.New("a user name has 1 to 64 characters")
	}
	for _, r := range name {
		if r <= ' ' || r == 0x7f {
			return errors.New("a user name has no spaces or control characters")
		}
	}
	return nil
}

// CreateUser adds a local user, or sets the password and role of an
// existing one (and enables it); the audit log names the command line.
func (s *Server) CreateUser(ctx context.Context, name, password string, role Role) error {
	return s.createUser(ctx, "cli", "", name, password, role)
}

func (s *Server) createUser(ctx context.Context, actor, ip, name, password string, role Role) error {
	if err := validUserName(name); err != nil {
		return err
	}
	if role.rank() == 0 {
		return fmt.Errorf("unknown role %q", role)
	}
	if len(password) < 12 {
		return errors.New("a password has at least 12 characters")
	}
	hash, err := hashPassword(password, s.opts.Argon2)
	if err != nil {
		return err
	}
	now := s.now().UnixMilli()
	res, err := s.db.exec(ctx, "UPDATE users SET password_hash = ?, role = ?, disabled = 0 WHERE name = ?", hash, string(role), name)
	if err != nil {
		return fmt.Errorf("server: %w", err)
	}
	action := "user_update"
	if n, _ := res.RowsAffected(); n == 0 {
		action = "user_create"
		if _, err := s.db.exec(ctx, "INSERT INTO users (name, role, password_hash, created_ms) VALUES (?, ?, ?, ?)", name, string(role), hash, now); err != nil {
			return fmt.Errorf("server: %w", err)
		}
	}
	s.audit(ctx, actor, action, name, "role "+string(role), ip)
	return nil
}

// ActiveUsers counts the users who may sign in.
func (s *Server) ActiveUsers(ctx context.Context) (int, error) {
	var n int
	err := s.db.queryRow(ctx, "SELECT COUNT(*) FROM users WHERE disabled = 0").Scan(&n)
	return n, err
}

// userInfo describes a user (never the password hash).
type userInfo struct {
	ID       int64     `json:"id"`
	Name     string    `json:"name"`
	Role     Role      `json:"role"`
	Created  time.Time `json:"created"`
	Disabled bool      `json:"disabled"`
}

func (s *Server) users(ctx context.Context) ([]userInfo, error) {
	rows, err := s.db.query(ctx, "SELECT id, name, role, created_ms, disabled FROM users ORDER BY name LIMIT 1000")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []userInfo{}
	for rows.Next() {
		var u userInfo
		var c int64
		var d int
		if err := rows.Scan(&u.ID, &u.Name, &u.Role, &c, &d); err != nil {
			return nil, err
		}
		u.Created, u.Disabled = time.UnixMilli(c).UTC(), d != 0
		out = append(out, u)
	}
	return out, rows.Err()
}

// disableUser disables a user and ends its sessions; false when there is
// no such user.
func (s *Server) disableUser(ctx context.Context, id int64) (string, bool, error) {
	var name string
	err := s.db.queryRow(ctx, "SELECT name FROM users WHERE id = ?", id).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	if _, err := s.db.exec(ctx, "UPDATE users SET disabled = 1 WHERE id = ?", id); err != nil {
		return "", false, err
	}
	_, err = s.db.exec(ctx, "DELETE FROM sessions WHERE user_id = ?", id)
	return name, true, err
}

// dummyHash is checked against when the user does not exist, so that a
// login takes as long for an unknown user as for a wrong password.
var dummyHash lazy.Value[string]

// authenticate checks a user's password.
func (s *Server) authenticate(ctx context.Context, name, password string) (*User, error) {
	var u User
	var hash string
	var disabled int
	err := s.db.queryRow(ctx, "SELECT id, name, role, password_hash, disabled FROM users WHERE name = ?", name).
		Scan(&u.ID, &u.Name, &u.Role, &hash, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		h, _ := dummyHash.Get(func() (string, error) { return hashPassword("vigil-no-such-user", DefaultArgon2) })
		checkPassword(password, h)
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	if !checkPassword(password, hash) || disabled != 0 {
		return nil, nil
	}
	return &u, nil
}

// newSession starts a session and returns its token (for the cookie).
func (s *Server) newSession(ctx context.Context, u *User) (string, error) {
	tok := randomToken()
	now := s.now()
	_, err := s.db.exec(ctx, "INSERT INTO sessions (token_hash, user_id, csrf, created_ms, expires_ms) VALUES (?, ?, ?, ?, ?)",
		tokenHash(tok), u.ID, randomToken(), now.UnixMilli(), now.Add(s.opts.SessionTTL).UnixMilli())
	if err != nil {
		return "", fmt.Errorf("server: %w", err)
	}
	// Expired sessions are removed as new ones start.
	s.db.exec(ctx, "DELETE FROM sessions WHERE expires_ms < ?", now.UnixMilli())
	return tok, nil
}

// session finds the live session of a cookie token.
func (s *Server) session(ctx context.Context, tok string) (*principal, error) {
	h := tokenHash(tok)
	var p principal
	var disabled int
	err := s.db.queryRow(ctx, `SELECT u.name, u.role, s.csrf, u.disabled FROM sessions s JOIN users u ON u.id = s.user_id
WHERE s.token_hash = ? AND s.expires_ms > ?`, h, s.now().UnixMilli()).Scan(&p.Name, &p.Role, &p.CSRF, &disabled)
	if errors.Is(err, sql.ErrNoRows) || disabled != 0 {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	p.Session = h
	return &p, nil
}

func (s *Server) endSession(ctx context.Context, hash string) error {
	_, err := s.db.exec(ctx, "DELETE FROM sessions WHERE token_hash = ?", hash)
	return err
}

// APIToken describes an API token (never its secret).
type APIToken struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Role      Role      `json:"role"`
	CreatedBy string    `json:"created_by"`
	Created   time.Time `json:"created"`
	Expires   time.Time `json:"expires"`
}

// tokenPrefix starts every API token, so that a leaked one is recognisable.
const tokenPrefix = "vigil_"

// CreateToken creates an API token for role, expiring at expires, and
// returns its secret (shown once; only its hash is stored).
func (s *Server) CreateToken(ctx context.Context, by, name string, role Role, expires time.Time) (string, APIToken, error) {
	t := APIToken{Name: strings.TrimSpace(name), Role: role, CreatedBy: by, Created: s.now().UTC().Truncate(time.Millisecond),
		Expires: expires.UTC().Truncate(time.Millisecond)}
	switch {
	case t.Name == "" || utf8.RuneCountInString(t.Name) > 100:
		return "", t, errors.New("a token needs a name (at most 100 characters)")
	case role.rank() == 0:
		return "", t, fmt.Errorf("unknown role %q", role)
	case !t.Expires.After(t.Created):
		return "", t, errors.New("a token's expiry must be in the future")
	case t.Expires.Sub(t.Created) > 366*24*time.Hour:
		return "", t, errors.New("a token expires within a year")
	}
	secret := tokenPrefix + randomToken()
	err := s.db.queryRow(ctx, `INSERT INTO api_tokens (token_hash, name, role, created_by, created_ms, expires_ms)
VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, tokenHash(secret), t.Name, string(role), by, t.Created.UnixMilli(), t.Expires.UnixMilli()).Scan(&t.ID)
	if err != nil {
		return "", t, fmt.Errorf("server: %w", err)
	}
	return secret, t, nil
}

// revokeToken deletes an API token; false when there is none.
func (s *Server) revokeToken(ctx context.Context, id int64) (bool, error) {
	res, err := s.db.exec(ctx, "DELETE FROM api_tokens WHERE id = ?", id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// tokens lists the API tokens, newest first.
func (s *Server) tokens(ctx context.Context) ([]APIToken, error) {
	rows, err := s.db.query(ctx, "SELECT id, name, role, created_by, created_ms, expires_ms FROM api_tokens ORDER BY id DESC LIMIT 500")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []APIToken{}
	for rows.Next() {
		var t APIToken
		var c, e int64
		if err := rows.Scan(&t.ID, &t.Name, &t.Role, &t.CreatedBy, &c, &e); err != nil {
			return nil, err
		}
		t.Created, t.Expires = time.UnixMilli(c).UTC(), time.UnixMilli(e).UTC()
		out = append(out, t)
	}
	return out, rows.Err()
}

// bearer finds the live API token of a bearer secret.
func (s *Server) bearer(ctx context.Context, secret string) (*principal, error) {
	if !strings.HasPrefix(secret, tokenPrefix) {
		return nil, nil
	}
	var p principal
	var name string
	err := s.db.queryRow(ctx, "SELECT name, role FROM api_tokens WHERE token_hash = ? AND expires_ms > ?",
		tokenHash(secret), s.now().UnixMilli()).Scan(&name, &p.Role)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	p.Name = "token:" + name
	return &p, nil
}

// limiter counts failed logins per key (a client address, a user name) in
// a sliding window.
type limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	fails  map[string][]time.Time
}

func newLimiter(max int, window time.Duration) *limiter {
	return &limiter{max: max, window: window, fails: map[string][]time.Time{}}
}

// blocked reports whether key has reached its failures in the window.
func (l *limiter) blocked(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.prune(key, now)) >= l.max
}

func (l *limiter) fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.fails[key] = append(l.prune(key, now), now)
	if len(l.fails) > 100000 { // bound memory under a spray of names
		for k := range l.fails {
			if len(l.prune(k, now)) == 0 {
				delete(l.fails, k)
			}
		}
	}
}

func (l *limiter) prune(key string, now time.Time) []time.Time {
	ts := l.fails[key]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= l.window {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.fails, key)
		return nil
	}
	l.fails[key] = ts
	return ts
}
