package notify

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/respond"
	"github.com/vigil-sec/vigil/internal/respond/notify/httpcall"
)

// email is notify.email: one message over SMTP.
type email struct{ opts Options }

func (e *email) Spec() respond.Spec {
	return respond.Spec{
		Name: "notify.email", Class: respond.Notify,
		Description: "send an email over SMTP (STARTTLS when the server offers it, implicit TLS on port 465, AUTH PLAIN when a username is given)",
		Inputs: []respond.Input{
			{Name: "host", Required: true, Description: "the SMTP server's host name"},
			{Name: "port", Description: "the SMTP port (default 587)"},
			{Name: "from", Required: true, Description: "the sender address"},
			{Name: "to", Required: true, Description: "the recipients, comma-separated"},
			{Name: "username", Description: "the SMTP user (AUTH PLAIN; then password is required)"},
			{Name: "password", Secret: true, Description: "the SMTP password, a secret reference (env:NAME or file:PATH)"},
			{Name: "subject", Description: "the email's subject (default: the title)"},
			titleInput, textInput,
		},
	}
}

// emailState is what Apply needs (the password as a reference).
type emailState struct {
	Host      string   `json:"host"`
	Port      string   `json:"port"`
	From      string   `json:"from"`
	To        []string `json:"to"`
	Subject   string   `json:"subject"`
	Body      string   `json:"body"`
	Username  string   `json:"username,omitempty"`
	Password  string   `json:"password,omitempty"` // a secret reference
	MessageID string   `json:"message_id"`
}

// Plan checks the addresses and shows the message; it makes no call.
func (e *email) Plan(_ context.Context, _ *respond.Env, req *respond.Request) (*respond.Change, error) {
	const name = "notify.email"
	bad := func(input, why string) error {
		return fmt.Errorf("%w: %s: input %s: %s", respond.ErrInput, name, input, why)
	}
	in := func(k string) string { return strings.TrimSpace(req.Inputs[k]) }
	st := emailState{Host: in("host"), Port: cmp.Or(in("port"), "587"), Username: in("username")}
	if st.Host == "" || strings.ContainsAny(st.Host, " /:\r\n") {
		return nil, bad("host", "want a host name")
	}
	if p, err := strconv.Atoi(st.Port); err != nil || p < 1 || p > 65535 {
		return nil, bad("port", fmt.Sprintf("%q is not a port number", st.Port))
	}
	from, err := mail.ParseAddress(in("from"))
	if err != nil {
		return nil, bad("from", err.Error())
	}
	st.From = from.Address
	if in("to") == "" {
		return nil, bad("to", "no recipient")
	}
	to, err := mail.ParseAddressList(in("to"))
	if err != nil {
		return nil, bad("to", err.Error())
	}
	for _, a := range to {
		st.To = append(st.To, a.Address)
	}
	if st.Password, err = SecretRef(req, name, "password", st.Username != ""); err != nil {
		return nil, err
	}
	if st.Username == "" && st.Password != "" {
		return nil, bad("username", "a password is given without a username")
	}
	title, text := Message(req)
	st.Subject = cmp.Or(in("subject"), title)
	if strings.ContainsAny(st.Subject, "\r\n") {
		return nil, bad("subject", "it spans lines")
	}
	st.Body = text
	// The Message-ID is fixed when planned: a message sent again (a retry
	// after a lost answer) is recognised by its receivers as the same one.
	h := sha256.New()
	for _, p := range []string{subjectID(req), st.From, strings.Join(st.To, ","), st.Subject, st.Body} {
		h.Write([]byte(p + "\x00"))
	}
	_, domain, _ := strings.Cut(st.From, "@")
	st.MessageID = "<vigil." + hex.EncodeToString(h.Sum(nil)[:16]) + "@" + domain + ">"
	raw, _ := json.Marshal(st)
	addr := net.JoinHostPort(st.Host, st.Port)
	params := map[string]any{"from": st.From, "to": st.To, "subject": st.Subject, "body": st.Body, "message_id": st.MessageID,
		"tls": "STARTTLS when offered", "auth": "none"}
	if st.Port == "465" {
		params["tls"] = "implicit TLS"
	}
	if st.Username != "" {
		params["auth"] = "PLAIN as " + st.Username + " with " + st.Password
	}
	return &respond.Change{
		Action:   name,
		Resource: "mailto:" + strings.Join(st.To, ","),
		Calls:    []respond.Call{{Service: "smtp", Operation: "SEND", Target: addr, Params: params}},
		Diff:     []respond.AttrChange{{Attribute: "message", After: text}},
		State:    raw,
	}, nil
}

func subjectID(req *respond.Request) string {
	if req.Subject == nil {
		return ""
	}
	return req.Subject.ID
}

// Apply sends the planned message, retrying an SMTP 4xx (transient) reply
// or a failed connection; 530/534/535 (authentication) are ErrDenied.
func (e *email) Apply(ctx context.Context, env *respond.Env, ch *respond.Change) (*respond.Outcome, error) {
	const name = "notify.email"
	var st emailState
	if err := json.Unmarshal(ch.State, &st); err != nil || st.Host == "" || len(st.To) == 0 {
		return nil, fmt.Errorf("%w: %s: the change has no email state", respond.ErrInput, name)
	}
	addr := net.JoinHostPort(st.Host, st.Port)
	var pass string
	if st.Username != "" {
		var err error
		if pass, err = env.SecretValue(st.Password); err != nil {
			return nil, fmt.Errorf("%s: password: %w", name, err)
		}
	}
	msg := e.message(&st)
	call := respond.Call{Service: "smtp", Operation: "SEND", Target: addr, Params: map[string]any{"to": st.To, "message_id": st.MessageID}}
	attempts := cmp.Or(e.opts.MaxAttempts, 4)
	wait := 500 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := env.Do(ctx, call, func(ctx context.Context) error { return e.send(ctx, &st, pass, msg) })
		if err == nil {
			return &respond.Outcome{Note: fmt.Sprintf("sent to %s through %s", strings.Join(st.To, ", "), addr),
				Outputs: map[string]string{"message_id": st.MessageID}}, nil
		}
		code := smtpCode(err)
		var cv *tls.CertificateVerificationError
		permanent := errors.As(err, &cv) // an untrusted certificate stays untrusted
		err = errors.New(httpcall.Scrub(err.Error(), pass))
		if code == 530 || code == 534 || code == 535 {
			return nil, fmt.Errorf("%s: SMTP %s: %w: %v", name, addr, respond.ErrDenied, err)
		} else if code >= 500 || permanent || ctx.Err() != nil || attempt >= attempts {
			return nil, fmt.Errorf("%s: SMTP %s: %w (after %d attempt(s))", name, addr, err, attempt)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("%s: SMTP %s: %w (then %w)", name, addr, err, ctx.Err())
		case <-t.C:
		}
		wait *= 2
	}
}

// smtpCode is an SMTP error's reply code (535), 0 if none.
func smtpCode(err error) int {
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code
	}
	s := err.Error()
	if len(s) >= 3 {
		if n, e := strconv.Atoi(s[:3]); e == nil {
			return n
		}
	}
	return 0
}

// send is one SMTP session: connect, STARTTLS when offered, AUTH, MAIL,
// RCPT, DATA, QUIT. Errors keep the server's reply ("535 5.7.8 ...")
// first so that smtpCode reads it.
func (e *email) send(ctx context.Context, st *emailState, pass string, msg []byte) error {
	addr := net.JoinHostPort(st.Host, st.Port)
	tcfg := &tls.Config{ServerName: st.Host, MinVersion: tls.VersionTLS12}
	if e.opts.SMTPTLS != nil {
		tcfg = e.opts.SMTPTLS.Clone()
		tcfg.ServerName = cmp.Or(tcfg.ServerName, st.Host)
	}
	d := &net.Dialer{Timeout: 30 * time.Second}
	var conn net.Conn
	var err error
	if st.Port == "465" {
		conn, err = (&tls.Dialer{NetDialer: d, Config: tcfg}).DialContext(ctx, "tcp", addr)
	} else {
		conn, err = d.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return err
	}
	defer conn.Close()
	deadline := time.Now().Add(2 * time.Minute)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	_ = conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	c, err := smtp.NewClient(conn, st.Host)
	if err != nil {
		return err
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok && st.Port != "465" {
		if err := c.StartTLS(tcfg); err != nil {
			return fmt.Errorf("STARTTLS: %w", err)
		}
	}
	if st.Username != "" {
		if ok, mechs := c.Extension("AUTH"); !ok || !strings.Contains(" "+strings.ToUpper(mechs)+" ", " PLAIN ") {
			return fmt.Errorf("530 the server offers no AUTH PLAIN (offers %q)", mechs)
		}
		// net/smtp's PlainAuth refuses to send the password over a
		// connection without TLS, except to localhost.
		if err := c.Auth(smtp.PlainAuth("", st.Username, pass, st.Host)); err != nil {
			return err
		}
	}
	if err := c.Mail(st.From); err != nil {
		return err
	}
	for _, to := range st.To {
		if err := c.Rcpt(to); err != nil {
			return fmt.Errorf("%w (recipient %s)", err, to)
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(msg); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// message is the RFC 5322 message: headers (non-ASCII subject
// Q-encoded), a quoted-printable UTF-8 text body, CRLF line ends.
func (e *email) message(st *emailState) []byte {
	var b bytes.Buffer
	hdr := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	hdr("From", st.From)
	hdr("To", strings.Join(st.To, ", "))
	hdr("Subject", mime.QEncoding.Encode("utf-8", st.Subject))
	hdr("Date", e.opts.now().Format(time.RFC1123Z))
	hdr("Message-ID", st.MessageID)
	hdr("MIME-Version", "1.0")
	hdr("Content-Type", "text/plain; charset=utf-8")
	hdr("Content-Transfer-Encoding", "quoted-printable")
	hdr("X-Mailer", "vigil respond")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	body := strings.ReplaceAll(strings.ReplaceAll(st.Body, "\r\n", "\n"), "\n", "\r\n")
	qp.Write([]byte(body + "\r\n"))
	qp.Close()
	return b.Bytes()
}

// Rollback: an email sent cannot be unsent.
func (e *email) Rollback(context.Context, *respond.Env, *respond.Change, *respond.Outcome) (*respond.Outcome, error) {
	return nil, fmt.Errorf("notify.email: %w: an email sent cannot be unsent", respond.ErrIrreversible)
}
