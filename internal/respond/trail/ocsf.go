package trail

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/vigil-sec/vigil/internal/ocsf"
)

// OCSF classes of trail entries (OCSF 1.8.0).
const (
	// ClassBaseEvent (category 0, Uncategorized) is the OCSF class for
	// events no other class defines: plans, approvals, run starts and
	// ends, skips, stops.
	ClassBaseEvent = 0
	// ClassRemediationActivity (category 7, Remediation) is an action or
	// a rollback.
	ClassRemediationActivity = 7001
	CategoryRemediation      = 7
)

// Remediation Activity activity_id values: the D3FEND tactic.
const (
	RemediationIsolate = 1
	RemediationEvict   = 2
	RemediationRestore = 3
	RemediationHarden  = 4
	RemediationOther   = 99
)

// Remediation Activity status_id values beyond Success and Failure.
const (
	RemediationDoesNotExist = 3
	RemediationPartial      = 4
)

// tactic returns the OCSF remediation activity of a playbook tactic.
func tactic(name string) (id int, label string, known bool) {
	switch name {
	case "isolate":
		return RemediationIsolate, "Isolate", true
	case "evict":
		return RemediationEvict, "Evict", true
	case "restore":
		return RemediationRestore, "Restore", true
	case "harden":
		return RemediationHarden, "Harden", true
	}
	return 0, "", false
}

// BaseEvent is the OCSF Base Event (class_uid 0) of a trail entry.
type BaseEvent struct {
	ocsf.Base
}

// RemediationActivity is the OCSF Remediation Activity (class_uid 7001).
type RemediationActivity struct {
	ocsf.Base
	CommandUID      string            `json:"command_uid"`
	Countermeasures []D3FEND          `json:"countermeasures,omitempty"`
	Remediation     *ocsf.Remediation `json:"remediation,omitempty"`
}

// D3FEND is the OCSF d3fend object.
type D3FEND struct {
	Tactic *D3FTactic `json:"d3f_tactic,omitempty"`
}

// D3FTactic is the OCSF d3f_tactic object.
type D3FTactic struct {
	UID    string `json:"uid,omitempty"`
	Name   string `json:"name,omitempty"`
	SrcURL string `json:"src_url,omitempty"`
}

// APIActivity is the OCSF API Activity (class_uid 6003) of a call entry.
type APIActivity struct {
	ocsf.APIActivity
	Duration int64 `json:"duration,omitempty"` // milliseconds
}

// OCSF returns e as an OCSF 1.8.0 event: a "call" entry is an API
// Activity, an "action" or "rollback" entry a Remediation Activity, any
// other kind a Base Event. The entry's trail fields are kept in unmapped
// ("trail"), its data decoded in unmapped ("data").
func OCSF(e Entry) (any, error) { return toOCSF(e, "") }

func toOCSF(e Entry, version string) (any, error) {
	var data any
	if len(e.Data) > 0 {
		if err := json.Unmarshal(e.Data, &data); err != nil {
			return nil, fmt.Errorf("trail: seq %d: data: %w", e.Seq, err)
		}
	}
	b := ocsf.Base{
		Time:     e.Time.UnixMilli(),
		Metadata: ocsf.Metadata{Version: ocsf.Version, Product: ocsf.VigilProduct(version), UID: e.Hash, CorrelationUID: e.Run, LogName: "vigil respond trail", EventCode: e.Kind},
		Actor:    &ocsf.Actor{AppName: "vigil"},
		Unmapped: map[string]any{"trail": trailFields(e)},
	}
	if e.Actor != "" {
		b.Actor.User = &ocsf.User{Name: e.Actor}
	}
	if data != nil {
		b.Unmapped["data"] = data
	}
	b.SetSeverity(ocsf.SeverityInformational)
	if p := provider(e.Action); p != "" {
		b.Cloud = &ocsf.Cloud{Provider: p}
		b.Metadata.Profiles = append(b.Metadata.Profiles, "cloud")
	}
	switch e.Kind {
	case KindCall:
		var c Call
		if data != nil {
			if err := json.Unmarshal(e.Data, &c); err != nil {
				return nil, fmt.Errorf("trail: seq %d: call data: %w", e.Seq, err)
			}
		}
		b.SetClass(ocsf.ClassAPIActivity, apiActivity(c))
		setStatus(&b, e)
		b.API = &ocsf.API{Operation: firstNonEmpty(c.Operation, "unknown")}
		if c.Service != "" {
			b.API.Service = &ocsf.Service{Name: c.Service}
		}
		if len(c.Params) > 0 {
			b.API.Request = &ocsf.APIRequest{UID: e.Hash, Data: c.Params} // uid is required: the trail entry
		}
		if e.Error != "" {
			b.API.Response = &ocsf.APIResponse{Error: e.Error}
			b.StatusDetail = e.Error
		}
		// src_endpoint is required: where vigil ran.
		b.SrcEndpoint = &ocsf.Endpoint{Hostname: e.Host}
		if e.Host == "" {
			b.SrcEndpoint.Hostname = "unknown"
		}
		b.Message = fmt.Sprintf("%s %s %s", c.Service, c.Operation, orDash(c.Target))
		if e.Status != "" {
			b.Message += ": " + e.Status
		}
		ev := &APIActivity{APIActivity: ocsf.APIActivity{Base: b}, Duration: int64(c.TookMS)}
		if r := firstNonEmpty(c.Target, e.Resource); r != "" {
			ev.Resources = []ocsf.ResourceDetails{{UID: r}}
		}
		return ev, nil
	case KindAction, KindRollback:
		b.Metadata.Profiles = append(b.Metadata.Profiles, "host") // actor
		b.ClassUID, b.ClassName = ClassRemediationActivity, "Remediation Activity"
		b.CategoryUID, b.CategoryName = CategoryRemediation, "Remediation"
		ev := &RemediationActivity{CommandUID: e.Hash}
		id, name, known := tactic(strings.ToLower(e.Tactic))
		switch {
		case e.Kind == KindRollback:
			b.ActivityID, b.ActivityName = RemediationOther, "Rollback"
		case known:
			b.ActivityID, b.ActivityName = id, name
		default:
			b.ActivityID, b.ActivityName = RemediationOther, "Other"
		}
		if known {
			ev.Countermeasures = []D3FEND{{Tactic: &D3FTactic{UID: "d3f:" + name, Name: name, SrcURL: "https://d3fend.mitre.org/tactic/d3f:" + name + "/"}}}
		}
		b.TypeUID = ClassRemediationActivity*100 + b.ActivityID
		b.TypeName = "Remediation Activity: " + b.ActivityName
		switch e.Status {
		case StatusGone:
			b.StatusID, b.Status = RemediationDoesNotExist, "Does Not Exist"
		case StatusPartial:
			b.StatusID, b.Status = RemediationPartial, "Partial"
		}
		if b.StatusID != 0 {
			b.StatusCode = e.Status
		} else {
			setStatus(&b, e)
		}
		b.StatusDetail = e.Error
		verb := "applied"
		if e.Kind == KindRollback {
			verb = "rolled back"
		}
		b.Message = fmt.Sprintf("%s %s on %s", e.Action, verb, orDash(e.Resource))
		if e.Status != "" {
			b.Message += ": " + e.Status
		}
		ev.Base = b
		return ev, nil
	}
	b.Metadata.Profiles = append(b.Metadata.Profiles, "host") // actor
	b.ClassUID, b.ClassName, b.CategoryUID, b.CategoryName = ClassBaseEvent, "Base Event", 0, "Uncategorized"
	b.ActivityID, b.ActivityName = RemediationOther, e.Kind // 99: Other
	b.TypeUID, b.TypeName = ClassBaseEvent*100+b.ActivityID, "Base Event: Other"
	setStatus(&b, e)
	b.StatusDetail = e.Error
	b.Message = "vigil respond " + e.Kind
	for _, s := range []string{e.Action, e.Resource, e.Run, e.Plan} {
		if s != "" {
			b.Message += " " + s
		}
	}
	if e.Status != "" {
		b.Message += ": " + e.Status
	}
	return &BaseEvent{Base: b}, nil
}

// setStatus maps e.Status: ok and noop are Success, failed and denied
// Failure, "" Unknown, any other word Other (named by the word). The word
// is also the status_code.
func setStatus(b *ocsf.Base, e Entry) {
	switch e.Status {
	case "":
		b.SetStatus(ocsf.StatusUnknown, "")
	case StatusOK, StatusNoOp:
		b.SetStatus(ocsf.StatusSuccess, "")
	case StatusFailed, StatusDenied:
		b.SetStatus(ocsf.StatusFailure, "")
	default:
		b.SetStatus(ocsf.StatusOther, e.Status)
	}
	b.StatusCode = e.Status
}

// apiActivity guesses the CRUD activity of a call from its operation.
func apiActivity(c Call) int {
	if c.ReadOnly {
		return ocsf.APIRead
	}
	op := strings.ToLower(c.Operation)
	for _, p := range []string{"delete", "remove", "detach", "revoke", "disassociate"} {
		if strings.HasPrefix(op, p) {
			return ocsf.APIDelete
		}
	}
	for _, p := range []string{"create", "post", "insert", "add", "attach", "associate"} {
		if strings.HasPrefix(op, p) {
			return ocsf.APICreate
		}
	}
	return ocsf.APIUpdate
}

// provider returns the OCSF cloud provider named by an action
// ("aws.s3.block-public-access"), "" for cloud-neutral actions.
func provider(action string) string {
	p, _, _ := strings.Cut(action, ".")
	return map[string]string{"aws": "AWS", "azure": "Azure", "gcp": "GCP"}[p]
}

func trailFields(e Entry) map[string]any {
	m := map[string]any{"seq": e.Seq, "kind": e.Kind, "prev": e.Prev, "hash": e.Hash}
	for k, v := range map[string]string{"time": e.Time.UTC().Format("2006-01-02T15:04:05.999999999Z07:00"), "actor": e.Actor, "host": e.Host, "run": e.Run, "plan": e.Plan,
		"action": e.Action, "tactic": e.Tactic, "resource": e.Resource, "status": e.Status, "error": e.Error} {
		if v != "" {
			m[k] = v
		}
	}
	return m
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// OCSFWriter writes trail entries as OCSF events, one JSON object a line.
type OCSFWriter struct {
	w       *bufio.Writer
	version string
}

// NewOCSFWriter writes to w; version is vigil's (metadata.product.version).
func NewOCSFWriter(w io.Writer, version string) *OCSFWriter {
	return &OCSFWriter{w: bufio.NewWriter(w), version: version}
}

// Write writes e's event.
func (w *OCSFWriter) Write(e Entry) error {
	ev, err := toOCSF(e, w.version)
	if err != nil {
		return err
	}
	b, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("trail: seq %d: %w", e.Seq, err)
	}
	w.w.Write(b)
	return w.w.WriteByte('\n')
}

// Flush writes what is buffered.
func (w *OCSFWriter) Flush() error { return w.w.Flush() }

// ExportOCSF writes the OCSF events of the trail at path to w after
// verifying it: a trail that does not verify is an error (nothing is
// exported from a tampered trail). It returns the number of events.
func ExportOCSF(ctx context.Context, path string, w io.Writer, version string) (int, error) {
	rep, err := Verify(path, VerifyOptions{})
	if err != nil {
		return 0, err
	}
	if err := rep.Err(); err != nil {
		return 0, fmt.Errorf("trail does not verify: %w", err)
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("trail: %w", err)
	}
	defer f.Close()
	ow := NewOCSFWriter(w, version)
	br := bufio.NewReaderSize(f, 64<<10)
	n := 0
	for n < rep.Entries {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		line, err := br.ReadBytes('\n')
		if err != nil {
			return n, fmt.Errorf("trail %s: %w", path, err)
		}
		e, err := parseLine(line[:len(line)-1])
		if err != nil {
			return n, fmt.Errorf("trail %s: line %d: %w", path, n+1, err)
		}
		if err := ow.Write(e); err != nil {
			return n, err
		}
		n++
	}
	return n, ow.Flush()
}
