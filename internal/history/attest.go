package history

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/compliance"
)

// Bounds of an attestation's text.
const (
	maxAttestNote     = 4000
	maxAttestEvidence = 2000
)

// StoredAttestation is an attestation recorded in the history.
type StoredAttestation struct {
	ID int64 `json:"id"`
	compliance.Attestation
}

// Attest records an attestation of a framework control (a.Date is set to
// now). The control must be one the caller checked exists; the fields are
// checked here as vigil compliance checks an attestation file's.
func (s *Store) Attest(ctx context.Context, a compliance.Attestation, now time.Time) (StoredAttestation, error) {
	a.Framework, a.Control = strings.TrimSpace(a.Framework), strings.TrimSpace(a.Control)
	a.By, a.Note, a.Evidence = strings.TrimSpace(a.By), strings.TrimSpace(a.Note), strings.TrimSpace(a.Evidence)
	a.Date = now.UTC().Truncate(time.Millisecond)
	st, err := compliance.ParseAttestationStatus(string(a.Status))
	switch {
	case err != nil:
		return StoredAttestation{}, err
	case !compliance.KnownFramework(a.Framework):
		return StoredAttestation{}, fmt.Errorf("unknown framework %q", a.Framework)
	case a.Control == "":
		return StoredAttestation{}, errors.New("an attestation needs a control")
	case a.By == "":
		return StoredAttestation{}, errors.New("an attestation needs who attests")
	case len(a.Note) > maxAttestNote:
		return StoredAttestation{}, fmt.Errorf("a note has at most %d characters", maxAttestNote)
	case len(a.Evidence) > maxAttestEvidence:
		return StoredAttestation{}, fmt.Errorf("an evidence reference has at most %d characters", maxAttestEvidence)
	case !a.Expires.IsZero() && !a.Expires.After(a.Date):
		return StoredAttestation{}, fmt.Errorf("the attestation would expire at %s, before now", a.Expires.UTC().Format(timeFormat))
	}
	a.Status = st
	var expires any
	if !a.Expires.IsZero() {
		a.Expires = a.Expires.UTC().Truncate(time.Millisecond)
		expires = a.Expires.UnixMilli()
	}
	out := StoredAttestation{Attestation: a}
	tx, err := s.begin(ctx)
	if err != nil {
		return out, fmt.Errorf("history: %w", err)
	}
	defer tx.rollback(ctx)
	if err := tx.query(ctx, `INSERT INTO attestations (framework, control, status, note, evidence, attested_by, attested_ms, expires_ms)
VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, []any{a.Framework, a.Control, string(a.Status), a.Note, a.Evidence, a.By, a.Date.UnixMilli(), expires},
		func(scan func(...any) error) error { return scan(&out.ID) }); err != nil {
		return out, fmt.Errorf("history: %w", err)
	}
	out.Where = fmt.Sprintf("history attestation %d", out.ID)
	return out, tx.commit(ctx)
}

// AttestationQuery selects stored attestations.
type AttestationQuery struct {
	Framework string // "" every framework
	Control   string // with Framework: one control
	// All keeps every attestation (a control's history); otherwise only
	// each control's newest, which is the one that counts.
	All    bool
	Limit  int // 0: no limit
	Offset int
}

// Attestations returns stored attestations, newest first.
func (s *Store) Attestations(ctx context.Context, q AttestationQuery) ([]StoredAttestation, error) {
	sqlq := `SELECT id, framework, control, status, note, evidence, attested_by, attested_ms, expires_ms FROM attestations a WHERE 1 = 1`
	var args []any
	if q.Framework != "" {
		sqlq += " AND framework = ?"
		args = append(args, q.Framework)
		if q.Control != "" {
			sqlq += " AND control = ?"
			args = append(args, q.Control)
		}
	}
	if !q.All {
		sqlq += " AND id = (SELECT MAX(id) FROM attestations b WHERE b.framework = a.framework AND b.control = a.control)"
	}
	sqlq += " ORDER BY id DESC"
	if q.Limit > 0 {
		sqlq += " LIMIT ? OFFSET ?"
		args = append(args, q.Limit, q.Offset)
	}
	rows, err := s.db.QueryContext(ctx, s.rebind(sqlq), args...)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	defer rows.Close()
	out := []StoredAttestation{}
	for rows.Next() {
		var a StoredAttestation
		var status string
		var at int64
		var expires *int64
		if err := rows.Scan(&a.ID, &a.Framework, &a.Control, &status, &a.Note, &a.Evidence, &a.By, &at, &expires); err != nil {
			return nil, fmt.Errorf("history: %w", err)
		}
		a.Status = compliance.AttestationStatus(status)
		a.Date = msTime(at)
		if expires != nil {
			a.Expires = msTime(*expires)
		}
		a.Where = fmt.Sprintf("history attestation %d", a.ID)
		out = append(out, a)
	}
	return out, rows.Err()
}

// CurrentAttestations returns each control's newest attestation of
// framework ("" every framework) as vigil compliance's Attestations, so
// compliance.Decide counts them as it counts an attestation file's.
func (s *Store) CurrentAttestations(ctx context.Context, framework string) (*compliance.Attestations, error) {
	list, err := s.Attestations(ctx, AttestationQuery{Framework: framework})
	if err != nil {
		return nil, err
	}
	as := &compliance.Attestations{Path: "history", Items: make([]compliance.Attestation, len(list))}
	for i := range list {
		as.Items[i] = list[i].Attestation
	}
	return as, nil
}
