package enrich

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/lake"
	"github.com/vigil-sec/vigil/internal/logs"
	"github.com/vigil-sec/vigil/internal/respond"
	"github.com/vigil-sec/vigil/internal/respond/respondtest"
)

func get(t *testing.T, name string, opts Options) respond.Action {
	t.Helper()
	for _, a := range Actions(opts) {
		if a.Spec().Name == name {
			return a
		}
	}
	t.Fatalf("no action %s", name)
	return nil
}

// plan plans a step and checks the enrich contract: only read-only calls,
// a no-op change with outputs, Apply repeating them with no call, nothing
// to roll back.
func plan(t *testing.T, a respond.Action, req *respond.Request) *respond.Change {
	t.Helper()
	rec := &respondtest.Recorder{}
	ch, err := a.Plan(context.Background(), rec.Env(), req)
	if err != nil {
		t.Fatalf("%s: Plan: %v", a.Spec().Name, err)
	}
	if w := rec.Writes(); len(w) > 0 || len(ch.Calls) > 0 || !ch.NoOp || ch.Reason == "" || ch.Action != a.Spec().Name || ch.Resource == "" {
		t.Fatalf("%s: writes %v, change %+v", a.Spec().Name, w, ch)
	}
	rec.Reset()
	out, err := a.Apply(context.Background(), rec.Env(), ch)
	if err != nil || len(rec.Calls) > 0 || len(out.Outputs) != len(ch.Outputs) {
		t.Fatalf("%s: Apply: %v, calls %v, outcome %+v", a.Spec().Name, err, rec.Calls, out)
	}
	if _, err := a.Rollback(context.Background(), rec.Env(), ch, out); err != nil || len(rec.Calls) > 0 {
		t.Fatalf("%s: Rollback: %v, calls %v", a.Spec().Name, err, rec.Calls)
	}
	return ch
}

func TestOwner(t *testing.T) {
	a := get(t, "enrich.owner", Options{})
	s := &respond.Subject{ID: "f1", Resource: respond.Resource{ID: "arn:aws:s3:::logs", Tags: map[string]string{"Owner": "ops@acme.test", "team": "platform", "owner": " "}}}
	for _, tc := range []struct {
		inputs            map[string]string
		owner, tag, found string
	}{
		{map[string]string{"tags": "owner,Owner,team"}, "ops@acme.test", "Owner", "true"}, // an empty "owner" tag is skipped
		{map[string]string{"tags": "team, Owner"}, "platform", "team", "true"},
		{map[string]string{}, "ops@acme.test", "Owner", "true"},
		{map[string]string{"tags": "contact", "default": "secops@acme.test"}, "secops@acme.test", "", "false"},
		{map[string]string{"tags": "OWNER"}, "", "", "false"}, // keys are exact
	} {
		ch := plan(t, a, &respond.Request{Subject: s, Inputs: tc.inputs})
		if o := ch.Outputs; o["owner"] != tc.owner || o["tag"] != tc.tag || o["found"] != tc.found || ch.Resource != "arn:aws:s3:::logs" {
			t.Errorf("%v: outputs %v", tc.inputs, o)
		}
	}
}

// TestOwnerEmail: the email output is the owner when it is an address, a
// user name at the domain input, and empty for a team name.
func TestOwnerEmail(t *testing.T) {
	a := get(t, "enrich.owner", Options{})
	tags := map[string]string{"owner": "Jane Doe <jane@acme.test>", "created-by": "jdoe", "team": "platform team"}
	s := &respond.Subject{ID: "f1", Resource: respond.Resource{Name: "logs", Tags: tags}}
	for _, tc := range []struct {
		inputs       map[string]string
		owner, email string
	}{
		{map[string]string{}, "Jane Doe <jane@acme.test>", "jane@acme.test"},
		{map[string]string{"tags": "created-by"}, "jdoe", ""},
		{map[string]string{"tags": "created-by", "domain": "acme.test"}, "jdoe", "jdoe@acme.test"},
		{map[string]string{"tags": "created-by", "domain": "@acme.test"}, "jdoe", "jdoe@acme.test"},
		{map[string]string{"tags": "team", "domain": "acme.test"}, "platform team", ""},
		{map[string]string{"tags": "contact", "default": "secops@acme.test"}, "secops@acme.test", "secops@acme.test"},
		{map[string]string{"tags": "contact"}, "", ""},
	} {
		ch := plan(t, a, &respond.Request{Subject: s, Inputs: tc.inputs})
		if o := ch.Outputs; o["owner"] != tc.owner || o["email"] != tc.email {
			t.Errorf("%v: owner %q email %q, want %q %q", tc.inputs, o["owner"], o["email"], tc.owner, tc.email)
		}
		if _, ok := ch.Outputs["email"]; !ok {
			t.Errorf("%v: no email output (templates need it set, even empty)", tc.inputs)
		}
	}
	for _, d := range []string{"acme test", "a@b.test"} {
		_, err := a.Plan(context.Background(), nil, &respond.Request{Subject: s, Inputs: map[string]string{"domain": d}})
		if !errors.Is(err, respond.ErrInput) || !strings.Contains(err.Error(), "enrich.owner: input domain") {
			t.Errorf("domain %q: err = %v, want ErrInput naming the input", d, err)
		}
	}
}

func TestRelated(t *testing.T) {
	s := &respond.Subject{ID: "a1", Title: "Access key created", Severity: "HIGH", Principal: "arn:aws:iam::1:user/mallory", Resource: respond.Resource{ID: "arn:aws:iam::1:user/bob"}}
	all := []*respond.Subject{
		s,
		{ID: "f1", Title: "User without MFA", Severity: "MEDIUM", Resource: respond.Resource{ID: "arn:aws:iam::1:user/bob"}},
		{ID: "a2", Title: "CloudTrail stopped", Severity: "CRITICAL", Principal: "arn:aws:iam::1:user/mallory", Resource: respond.Resource{ID: "arn:aws:cloudtrail:us-east-1:1:trail/main"}},
		{ID: "a3", Title: "Policy attached", Severity: "LOW", Principal: "arn:aws:iam::1:user/mallory", Resource: respond.Resource{ID: "arn:aws:iam::1:user/bob"}},
		{ID: "f9", Title: "Unrelated", Severity: "CRITICAL", Resource: respond.Resource{ID: "arn:aws:s3:::other"}},
		{ID: "a1", Title: "the same alert read twice"},
	}
	ch := plan(t, get(t, "enrich.related", Options{}), &respond.Request{Subject: s, All: all, Inputs: map[string]string{"max": "2"}})
	o := ch.Outputs
	if o["count"] != "3" || o["same_resource"] != "2" || o["same_principal"] != "2" || o["ids"] != "a2,f1" ||
		o["list"] != "CloudTrail stopped (CRITICAL) on arn:aws:cloudtrail:us-east-1:1:trail/main; User without MFA (MEDIUM)" {
		t.Errorf("outputs %v", o)
	}
	ch = plan(t, get(t, "enrich.related", Options{}), &respond.Request{Subject: all[4], All: all})
	if ch.Outputs["count"] != "0" || ch.Outputs["list"] != "" {
		t.Errorf("unrelated: %v", ch.Outputs)
	}
	if _, err := get(t, "enrich.related", Options{}).Plan(context.Background(), nil, &respond.Request{Subject: s, Inputs: map[string]string{"max": "-1"}}); !errors.Is(err, respond.ErrInput) {
		t.Errorf("max -1: %v", err)
	}
}

// newLake ingests testdata/cloudtrail.jsonl (six CloudTrail events: five by
// mallory, one of them four days old and one denied, one by bob) into a
// new lake.
func newLake(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "lake")
	l, err := lake.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := l.Ingest(context.Background(), []string{filepath.Join("testdata", "cloudtrail.jsonl")}, lake.IngestOptions{})
	if err != nil || st.Stored[logs.AWSCloudTrail] != 6 {
		t.Fatalf("ingest: %+v %v", st, err)
	}
	return dir
}

func TestActivity(t *testing.T) {
	dir := newLake(t)
	now := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	a := get(t, "enrich.activity", Options{Now: func() time.Time { return now }})
	s := &respond.Subject{ID: "a1", Principal: "arn:aws:iam::111122223333:user/mallory"}

	rec := &respondtest.Recorder{}
	ch, err := a.Plan(context.Background(), rec.Env(), &respond.Request{Subject: s, Inputs: map[string]string{"lake": dir}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Calls) != 1 || !rec.Calls[0].ReadOnly || rec.Calls[0].Service != "lake" || rec.Calls[0].Target != dir {
		t.Errorf("calls %+v", rec.Calls)
	}
	want := map[string]string{"events": "4", "failed": "1", "first": "2026-12-04T10:00:00Z", "last": "2026-12-04T12:00:00Z",
		"services": "iam.amazonaws.com, s3.amazonaws.com", "operations": "AttachUserPolicy, CreateAccessKey, ListBuckets, ListUsers",
		"source_ips": "203.0.113.9, 198.51.100.7", "since": "2026-12-04T00:00:00Z"}
	for k, v := range want {
		if ch.Outputs[k] != v {
			t.Errorf("%s = %q, want %q", k, ch.Outputs[k], v)
		}
	}
	if ch.Resource != s.Principal || !strings.Contains(ch.Reason, "4 events by arn:aws:iam::111122223333:user/mallory") {
		t.Errorf("change %+v", ch)
	}
	plan(t, a, &respond.Request{Subject: s, Inputs: map[string]string{"lake": dir}})

	// A wider window, the user's name instead of the ARN, a shorter list.
	ch = plan(t, a, &respond.Request{Subject: s, Inputs: map[string]string{"lake": dir, "principal": "Mallory", "since": "7d", "max": "1"}})
	if o := ch.Outputs; o["events"] != "5" || o["first"] != "2026-12-01T09:00:00Z" || o["services"] != "iam.amazonaws.com" || o["source_ips"] != "203.0.113.9" {
		t.Errorf("7d: %v", o)
	}
	ch = plan(t, a, &respond.Request{Subject: s, Inputs: map[string]string{"lake": dir, "since": "2026-12-04T10:30:00Z", "principal": "arn:aws:iam::111122223333:user/bob"}})
	if o := ch.Outputs; o["events"] != "1" || o["services"] != "ec2.amazonaws.com" || o["source_ips"] != "192.0.2.50" {
		t.Errorf("bob: %v", o)
	}
	// Nobody: zero events, empty lists.
	ch = plan(t, a, &respond.Request{Subject: s, Inputs: map[string]string{"lake": dir, "principal": "nobody"}})
	if o := ch.Outputs; o["events"] != "0" || o["first"] != "" || o["services"] != "" {
		t.Errorf("nobody: %v", o)
	}
	// An empty lake (a directory with nothing ingested) answers zero.
	empty := t.TempDir()
	ch = plan(t, a, &respond.Request{Subject: s, Inputs: map[string]string{"lake": empty}})
	if ch.Outputs["events"] != "0" {
		t.Errorf("empty lake: %v", ch.Outputs)
	}
}

func TestActivityBadInputs(t *testing.T) {
	dir := t.TempDir()
	a := get(t, "enrich.activity", Options{})
	missing := filepath.Join(dir, "no-such-lake")
	for _, tc := range []struct {
		subject *respond.Subject
		inputs  map[string]string
		want    string
	}{
		{&respond.Subject{ID: "f1"}, map[string]string{"lake": dir}, "input principal"},
		{&respond.Subject{Principal: "p"}, map[string]string{"lake": missing}, "input lake: " + missing + " is not a lake directory"},
		{&respond.Subject{Principal: "p"}, map[string]string{"lake": dir, "since": "yesterday"}, "input since"},
		{&respond.Subject{Principal: "p"}, map[string]string{"lake": dir, "since": "-1h"}, "input since"},
	} {
		_, err := a.Plan(context.Background(), nil, &respond.Request{Subject: tc.subject, Inputs: tc.inputs})
		if !errors.Is(err, respond.ErrInput) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "enrich.activity") {
			t.Errorf("%v: err = %v, want ErrInput with %q", tc.inputs, err, tc.want)
		}
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("planning against a missing lake created it: %v", err)
	}
}
