package notify

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"mime"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/vigil-sec/vigil/internal/respond"
)

// mailbox is an SMTP server (go-smtp) accepting one user over TLS.
type mailbox struct {
	addr, port string
	roots      *x509.CertPool

	mu        sync.Mutex
	msgs      []delivered
	authUsers []string
	tempFails int // answer 451 to this many MAIL commands first
}

type delivered struct {
	from string
	to   []string
	data []byte
	tls  bool
	user string
}

type session struct {
	box  *mailbox
	conn *smtp.Conn
	user string
	from string
	to   []string
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != "alerts" || password != "smtp-pa55word" {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "bad credentials"}
		}
		s.user = username
		s.box.mu.Lock()
		s.box.authUsers = append(s.box.authUsers, username)
		s.box.mu.Unlock()
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.box.mu.Lock()
	defer s.box.mu.Unlock()
	if s.box.tempFails > 0 {
		s.box.tempFails--
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error { s.to = append(s.to, to); return nil }

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.box.mu.Lock()
	s.box.msgs = append(s.box.msgs, delivered{from: s.from, to: s.to, data: b, tls: isTLS, user: s.user})
	s.box.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

func newMailbox(t *testing.T, withTLS bool) *mailbox {
	t.Helper()
	box := &mailbox{}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{box: box, conn: c}, nil }))
	srv.Domain = "mail.test"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	if withTLS {
		cert, roots := selfSigned(t)
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
		box.roots = roots
	} else {
		srv.AllowInsecureAuth = true
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	box.addr, box.port, _ = net.SplitHostPort(l.Addr().String())
	return box
}

// selfSigned is a certificate for 127.0.0.1 and the pool trusting it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "mail.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(c)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

func TestEmail(t *testing.T) {
	box := newMailbox(t, true)
	t.Setenv("VIGIL_TEST_SMTP_PASS", "smtp-pa55word")
	now := time.Date(2026, 12, 5, 1, 2, 3, 0, time.UTC)
	a := action(t, Options{Now: func() time.Time { return now }, SMTPTLS: &tls.Config{RootCAs: box.roots}}, "notify.email")
	inputs := map[string]string{"host": box.addr, "port": box.port, "from": "Vigil <vigil@example.com>", "to": "ops@example.com, sec@example.com",
		"username": "alerts", "password": "env:VIGIL_TEST_SMTP_PASS", "subject": "Öffentlicher Bucket: logs", "text": "Bucket logs is public.\nOwner: ops"}
	ch, out, rec, err := run(t, a, inputs)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if len(box.msgs) != 1 {
		t.Fatalf("%d messages delivered", len(box.msgs))
	}
	m := box.msgs[0]
	if !m.tls || m.user != "alerts" || m.from != "vigil@example.com" || strings.Join(m.to, ",") != "ops@example.com,sec@example.com" {
		t.Errorf("delivered tls=%v user=%q from=%q to=%v", m.tls, m.user, m.from, m.to)
	}
	msg, err := mail.ReadMessage(strings.NewReader(string(m.data)))
	if err != nil {
		t.Fatalf("the message does not parse: %v\n%s", err, m.data)
	}
	subj, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if subj != "Öffentlicher Bucket: logs" || msg.Header.Get("From") != "vigil@example.com" || msg.Header.Get("To") != "ops@example.com, sec@example.com" {
		t.Errorf("headers %v", msg.Header)
	}
	if d, err := msg.Header.Date(); err != nil || !d.Equal(now) {
		t.Errorf("Date %q", msg.Header.Get("Date"))
	}
	id := msg.Header.Get("Message-ID")
	if !strings.HasPrefix(id, "<vigil.") || !strings.HasSuffix(id, "@example.com>") || id != out.Outputs["message_id"] || id != ch.Calls[0].Params["message_id"] {
		t.Errorf("Message-ID %q, outputs %v", id, out.Outputs)
	}
	if msg.Header.Get("MIME-Version") != "1.0" || msg.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Errorf("MIME headers %v", msg.Header)
	}
	body, _ := io.ReadAll(msg.Body) // quoted-printable of plain ASCII: as is
	if string(body) != "Bucket logs is public.\r\nOwner: ops\r\n" {
		t.Errorf("body %q", body)
	}
	if w := rec.Writes(); len(w) != 1 || w[0].Service != "smtp" || w[0].Target != net.JoinHostPort(box.addr, box.port) {
		t.Errorf("recorded %+v", w)
	}
	noSecret(t, "email", []any{ch, out, rec.Calls}, nil, "smtp-pa55word")
	if _, err := a.Rollback(context.Background(), nil, ch, out); !errors.Is(err, respond.ErrIrreversible) {
		t.Errorf("Rollback: %v", err)
	}

	// A wrong password: 535, ErrDenied, not retried, the password nowhere.
	t.Setenv("VIGIL_TEST_SMTP_PASS", "wrong-pa55word")
	_, _, _, err = run(t, a, inputs)
	if !errors.Is(err, respond.ErrDenied) || !strings.Contains(err.Error(), "535") || !strings.Contains(err.Error(), "notify.email: SMTP "+box.addr) {
		t.Errorf("wrong password: %v", err)
	}
	noSecret(t, "wrong password", nil, err, "wrong-pa55word")
	if len(box.authUsers) != 1 {
		t.Errorf("auth attempts %v", box.authUsers)
	}
}

func TestEmailTransientAndPlain(t *testing.T) {
	// No TLS offered and no username: a plain session; two 451 replies are
	// retried.
	box := newMailbox(t, false)
	box.tempFails = 2
	a := action(t, Options{}, "notify.email")
	_, _, rec, err := run(t, a, map[string]string{"host": box.addr, "port": box.port, "from": "vigil@example.com", "to": "ops@example.com"})
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if len(box.msgs) != 1 || box.msgs[0].tls || len(rec.Calls) != 3 {
		t.Fatalf("msgs %+v, calls %d", box.msgs, len(rec.Calls))
	}
	msg, _ := mail.ReadMessage(strings.NewReader(string(box.msgs[0].data)))
	if msg.Header.Get("Subject") != "HIGH Bucket is public" {
		t.Errorf("default subject %q", msg.Header.Get("Subject"))
	}
	// Without a trusted certificate, STARTTLS fails and nothing is sent.
	tlsBox := newMailbox(t, true)
	_, _, _, err = run(t, a, map[string]string{"host": tlsBox.addr, "port": tlsBox.port, "from": "vigil@example.com", "to": "ops@example.com"})
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") || len(tlsBox.msgs) != 0 {
		t.Errorf("untrusted certificate: %v", err)
	}
}
