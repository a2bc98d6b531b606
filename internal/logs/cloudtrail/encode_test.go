package cloudtrail_test

import (
	"bytes"
	"context"
	stdjson "encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	json "github.com/goccy/go-json"

	"github.com/vigil-sec/vigil/internal/logs"
	"github.com/vigil-sec/vigil/internal/logs/cloudtrail"
	"github.com/vigil-sec/vigil/internal/ocsf"
)

// sameAsNormalize fails t unless AppendOCSF's output for raw is the
// encoding of Normalize's event (raw_data set as the lake sets it) and its
// fields are that event's. It returns whether AppendOCSF encoded raw.
func sameAsNormalize(t *testing.T, where string, raw []byte, members []int32) bool {
	t.Helper()
	const rawData = "(raw)"
	prefix := []byte("prefix")
	got, f, ok := cloudtrail.AppendOCSF(prefix, raw, members, rawData)
	if !bytes.HasPrefix(got, prefix) {
		t.Fatalf("%s: dst not appended to", where)
	}
	got = got[len(prefix):]
	ev, err := cloudtrail.Normalize(raw)
	if !ok {
		return false
	}
	if err != nil {
		t.Fatalf("%s: encoded an event Normalize rejects (%v):\n%s", where, err, got)
	}
	b := ev.Common()
	b.RawData = rawData
	want, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s: encodings differ:\ngot  %s\nwant %s", where, got, want)
	}
	if !stdjson.Valid(got) {
		t.Fatalf("%s: not JSON: %s", where, got)
	}
	w := cloudtrail.Fields{
		Time: b.Time, ClassUID: b.ClassUID, ClassName: b.ClassName, ActivityID: b.ActivityID, ActivityName: b.ActivityName,
		SeverityID: b.SeverityID, Severity: b.Severity, StatusID: b.StatusID, Status: b.Status,
		UID: b.Metadata.UID, ResourceUIDs: ev.ResourceUIDs(),
	}
	if c := b.Cloud; c != nil {
		if c.Provider != "AWS" {
			t.Fatalf("%s: provider %q", where, c.Provider)
		}
		w.Region = c.Region
		if c.Account != nil {
			w.AccountUID = c.Account.UID
		}
	}
	if a := b.Actor; a != nil && a.User != nil {
		w.UserUID, w.UserName, w.UserType = a.User.UID, a.User.Name, a.User.Type
	}
	if e := b.SrcEndpoint; e != nil {
		w.SrcIP = e.IP
	}
	if h := b.HTTPRequest; h != nil {
		w.UserAgent = h.UserAgent
	}
	if api := b.API; api != nil {
		w.Operation = api.Operation
		if api.Service != nil {
			w.Service = api.Service.Name
		}
	}
	if !reflect.DeepEqual(f, w) {
		t.Fatalf("%s: fields differ:\ngot  %+v\nwant %+v", where, f, w)
	}
	return true
}

func corpus() []string {
	p := filepath.Join("..", "..", "..", "..", "shared", "corpus", "logs")
	if _, err := os.Stat(p); err != nil {
		return nil
	}
	return []string{p}
}

// Every CloudTrail event of the samples and the corpus: the lake's encoder
// writes what Normalize and json.Marshal write, or leaves the event to
// them; it must take most of them (API Activity events).
func TestAppendOCSFMatchesNormalize(t *testing.T) {
	paths := append([]string{filepath.Join("..", "testdata", "samples")}, corpus()...)
	var n, encoded, withMembers int
	err := logs.Walk(context.Background(), paths, func(r logs.Record) error {
		if r.Source != cloudtrail.Name {
			return nil
		}
		n++
		if r.Members != nil {
			withMembers++
		}
		if sameAsNormalize(t, r.File, r.Raw, r.Members) != sameAsNormalize(t, r.File, r.Raw, nil) {
			t.Fatalf("%s:%d: encoded with the reader's members and without them differ", r.File, r.Line)
		} else if sameAsNormalize(t, r.File, r.Raw, nil) {
			encoded++
		}
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(corpus()) == 0 {
		t.Logf("corpus not present: samples only")
	}
	t.Logf("%d of %d CloudTrail events encoded directly; %d came with their members located", encoded, n, withMembers)
	if withMembers == 0 {
		t.Fatal("no event came with its members: the reader's offsets are not tested")
	}
	if n == 0 || encoded*10 < n*8 {
		t.Fatalf("%d of %d CloudTrail events encoded directly: want at least 80%%", encoded, n)
	}
}

// Shapes the encoder must write as Normalize does, or leave to it.
func TestAppendOCSFShapes(t *testing.T) {
	for _, c := range []struct {
		raw    string
		encode bool
	}{
		{`{"eventName":"GetObject","eventTime":"2024-01-01T00:00:00Z","eventSource":"s3.amazonaws.com"}`, true},
		{`{"eventName":"X","eventTime":"2024-01-01T00:00:00.123+02:00"}`, true},
		{` { "eventName" : "DescribeInstances" , "eventTime" : "2024-01-01T00:00:00Z",
		   "userIdentity" : null, "resources" : [ ] , "errorCode":"AccessDenied", "errorMessage": "no \u003c\"x\" é \ud83d\ude00" } `, true},
		{`{"eventName":"PutObject","eventTime":"2024-01-01T00:00:00Z","eventName":"Ignored","awsRegion":5,"eventVersion":1.08,"recipientAccountId":true}`, true},
		{`{"eventName":"A","eventTime":"2024-01-01T00:00:00Z","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/R/s","principalId":"P","accountId":"1","sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::1:role/R"},"attributes":{"mfaAuthenticated":"TRUE","creationDate":"2024-01-01T00:00:00Z"}}},"sourceIPAddress":"::FFFF:10.0.0.1","userAgent":"a<b>&c\u2028"}`, true},
		{`{"eventName":"A","eventTime":"2024-01-01T00:00:00Z","userIdentity":{"type":"Root","invokedBy":"x","identityProvider":"idp","sessionContext":{"attributes":{"mfaAuthenticated":"maybe"}}},"sourceIPAddress":"1.2.3.4:443"}`, true},
		{`{"eventName":"A","eventTime":"2024-01-01T00:00:00Z","userIdentity":{"type":"AWSService","invokedBy":"ec2.amazonaws.com","sessionContext":7},"sourceIPAddress":"ec2.amazonaws.com"}`, true},
		{`{"eventName":"A","eventTime":"2024-01-01T00:00:00Z","userIdentity":"x","resources":[{"ARN":null},1,"x",{"type":"T","accountId":"2"},{"ARN":"a","ARN":"b"}]}`, true},
		{`{"eventName":"A","eventTime":"2024-01-01T00:00:00Z","responseElements":{"ConsoleLogin":"failure"},"errorMessage":"m"}`, true},
		{`{"eventName":"A","eventTime":"2024-01-01T00:00:00Z","responseElements":"Failure"}`, true},
		{`{"eventName":"ConsoleLogin","eventTime":"2024-01-01T00:00:00Z","eventSource":"signin.amazonaws.com"}`, false},
		{`{"eventName":"CreateUser","eventTime":"2024-01-01T00:00:00Z","eventSource":"iam.amazonaws.com"}`, false},
		{`{"eventName":"ListUsers","eventTime":"2024-01-01T00:00:00Z","eventSource":"iam.amazonaws.com"}`, true},
		{`{"eventName":"","eventTime":"2024-01-01T00:00:00Z"}`, false},
		{`{"eventName":"A","eventTime":"yesterday"}`, false},
		{`{"eventName":"A","eventTime":"2024-01-01T00:00:00Z","userAgent":"\ud800"}`, false},
		{`{"event\u004eame":"A","eventTime":"2024-01-01T00:00:00Z"}`, false},
		{`{"eventName":"A\u00e9","eventTime":"2024-01-01T00:00:00Z","eventSource":"s"}`, true},
	} {
		if got := sameAsNormalize(t, c.raw, []byte(c.raw), nil); got != c.encode {
			t.Errorf("%s: encoded %v, want %v", c.raw, got, c.encode)
		}
	}
}

func FuzzAppendOCSF(f *testing.F) {
	for _, s := range []string{"aws_eventbridge.json", "aws_cloudtrail_lake.jsonl"} {
		d, err := os.ReadFile(filepath.Join("..", "testdata", "samples", s))
		if err != nil {
			continue
		}
		for _, line := range bytes.Split(d, []byte("\n")) {
			if i := bytes.Index(line, []byte(`"detail":{`)); i >= 0 {
				line = line[i+len(`"detail":`) : len(line)-1]
			}
			f.Add(line)
		}
	}
	f.Add([]byte(`{"eventName":"A","eventTime":"2024-01-01T00:00:00Z","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/u"},"resources":[{"ARN":"a","accountId":"1"}]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		// AppendOCSF's input is a valid JSON object, as a Record's Raw.
		if !stdjson.Valid(raw) {
			return
		}
		sameAsNormalize(t, "fuzz", raw, nil)
	})
}

var _ ocsf.Event = (*ocsf.APIActivity)(nil)
