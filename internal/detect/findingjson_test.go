package detect

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	gojson "github.com/goccy/go-json"

	"github.com/vigil-sec/vigil/internal/logs"
	"github.com/vigil-sec/vigil/internal/ocsf"
)

// goJSONFinding is what MarshalFinding wrote before appendFinding.
func goJSONFinding(t *testing.T, f *ocsf.DetectionFinding) []byte {
	t.Helper()
	b, err := gojson.MarshalWithOption(f, gojson.DisableHTMLEscape())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestAppendFindingSameAsGoJSON checks the hand-written finding encoder
// against go-json byte for byte: on every alert (single-event and
// correlation) of the built-in and SigmaHQ rules over the corpus audit
// logs of every cloud, and on made-up findings with what a string can
// hold (HTML characters, U+2028, invalid UTF-8, controls), empty and
// absent members, and raw values that are not compact.
func TestAppendFindingSameAsGoJSON(t *testing.T) {
	ctx := context.Background()
	eng, err := New(ctx, Config{RuleDirs: []string{corpus(t, "sigma-cloud")}, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	sink := &collectSink{}
	if err := eng.Run(ctx, []string{corpus(t, "logs")}, sink, RunOptions{OnInputError: func(logs.InputError) {}}); err != nil {
		t.Fatal(err)
	}
	// Azure, Entra ID and GCP alerts (the corpus raises none).
	others := runWithTuning(t, NoTuning(), []string{
		azureOp("MICROSOFT.COMPUTE/SNAPSHOTS/BEGINGETACCESS/ACTION", "Success"),
		entraOp("Delete user", "success"),
		gcpEvent(1, "compute.googleapis.com", "v1.compute.images.setIamPolicy", "projects/acme-prod-4821/resources/r1", ""),
	})
	kinds := map[string]int{}
	for _, a := range append(sink.alerts, others...) {
		got, err := MarshalFinding(a)
		if err != nil {
			t.Fatal(err)
		}
		if want := goJSONFinding(t, &a.Finding); !bytes.Equal(got, want) {
			t.Fatalf("alert %s (%s):\n got %s\nwant %s", a.Finding.FindingInfo.UID, a.Rule.Title, got, want)
		}
		if a.Rule.Correlation {
			kinds["correlation"]++
		} else {
			kinds["single"]++
		}
		if a.Finding.Actor != nil {
			kinds["actor"]++
		}
		if len(a.Finding.Resources) > 0 {
			kinds["resources"]++
		}
		if a.Finding.Cloud != nil {
			kinds[a.Finding.Cloud.Provider]++
		}
	}
	for _, k := range []string{"single", "correlation", "actor", "resources", "AWS", "Azure", "GCP"} {
		if kinds[k] == 0 {
			t.Errorf("no alert of kind %q compared (%v)", k, kinds)
		}
	}

	odd := "a<b>&c\u2028d\u2029e\x00\x1f\t\n\"\\ \xff\xfe é 😀 \xe2\x80"
	info := &RuleInfo{ID: "r1", Title: "T " + odd, Description: odd, Author: odd, Level: "high",
		Tags: []string{"attack.t1078", "attack.initial-access"}, References: []string{odd}}
	rec := logs.Record{Source: logs.AWSCloudTrail, File: "f<&>" + odd, Offset: 7, Line: 2,
		Raw: []byte(`{"eventName": "A<&>` + "\u2028" + `", "userIdentity": {"arn": "x"},  "n": [1, 2 ,3]}`)}
	norm, _ := logs.Normalize(logs.Record{Source: logs.AWSCloudTrail, Raw: []byte(`{"eventVersion":"1.08","eventTime":"2024-01-02T03:04:05Z","eventSource":"iam.amazonaws.com","eventName":"CreateUser","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9","userAgent":"` + "ua<&>\u2028" + `","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/a<b>","accountId":"123456789012","userName":"a<b>"},"requestParameters":{"userName":"x&y"},"recipientAccountId":"123456789012"}`)})
	a := NewAlert(info, LevelHigh, "group<&>"+odd, []Event{{Record: rec}, {Record: rec, Norm: norm}}, "v<1>")
	cases := map[string]*Alert{"made": &a}
	b := a
	b.made = false
	b.Finding.Unmapped = json.RawMessage(` { "x" : [ 1 , "<&>" ] } `)
	b.Finding.Evidences = append([]ocsf.Evidence{{Data: json.RawMessage("[ 1,\n 2 ]")}, {}}, b.Finding.Evidences...)
	cases["not compact"] = &b
	c := a
	c.Finding = ocsf.DetectionFinding{}
	cases["empty"] = &c
	d := a
	d.Rule = nil
	d.Finding.FindingInfo.Analytic = &ocsf.Analytic{}
	d.Finding.FindingInfo.Attacks = append([]ocsf.Attack(nil), a.Finding.FindingInfo.Attacks...)
	d.Finding.Metadata.Profiles, d.Finding.Metadata.Labels = []string{}, nil
	d.Finding.StatusID, d.Finding.Confidence, d.Finding.RawData = 0, odd, odd
	cases["other"] = &d
	// The cloud and endpoints written by hand: every member, odd strings,
	// empty objects; an evidence with the finding's actor but its own api.
	o := a
	o.Finding.Cloud = &ocsf.Cloud{Provider: odd, Region: odd, Account: &ocsf.Account{UID: odd, Name: odd, Type: odd, TypeID: 10}}
	o.Finding.Evidences = []ocsf.Evidence{
		{Actor: a.Finding.Actor, API: &ocsf.API{Operation: odd}, SrcEndpoint: &ocsf.Endpoint{IP: odd, Domain: odd, Hostname: odd, Location: &ocsf.Location{City: odd, Country: odd, Region: odd}}},
		{Actor: a.Finding.Actor, API: a.Finding.API, SrcEndpoint: &ocsf.Endpoint{Location: &ocsf.Location{}}},
		{SrcEndpoint: &ocsf.Endpoint{}},
	}
	cases["hand-written objects"] = &o
	e := a
	e.Finding.Cloud = &ocsf.Cloud{Account: &ocsf.Account{}}
	e.Finding.Actor, e.Finding.API = nil, nil
	e.Finding.Evidences = []ocsf.Evidence{{Data: a.Finding.Evidences[0].Data}}
	cases["empty objects"] = &e
	if len(a.Finding.FindingInfo.Attacks) == 0 || a.Finding.Actor == nil || len(a.Finding.Evidences) != 2 {
		t.Fatalf("made-up alert lacks attacks, actor or evidences: %+v", a.Finding)
	}
	for name, al := range cases {
		got, err := MarshalFinding(al)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if want := goJSONFinding(t, &al.Finding); !bytes.Equal(got, want) {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
	}
}
