package findings

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

// encodeOCSF is the reference AppendOCSF must match: encoding/json's
// Encoder over f.OCSF().
func encodeOCSF(t testing.TB, f *Finding) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(f.OCSF()); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func checkAppendOCSF(t testing.TB, f *Finding) {
	t.Helper()
	want := encodeOCSF(t, f)
	got, err := f.AppendOCSF([]byte("prefix"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got[len("prefix"):], want) {
		t.Errorf("%s: AppendOCSF differs from encoding/json\n got %s\nwant %s", f.ID, got[len("prefix"):], want)
	}
}

// awkward holds what a JSON string encoder can get wrong.
const awkward = "a \"quoted\" \\ back\b\f\n\r\t\x00\x01\x1f <b>&amp; \u2028\u2029 é 中 😀 \xff\xfe bad\xc3"

func ocsfCases() []Finding {
	t0 := time.Date(2026, 11, 22, 10, 14, 0, 123e6, time.UTC)
	yes := true
	base := Finding{
		Product: GuardDuty, Kind: Threat, ID: "arn:aws:guardduty:us-east-1:1:detector/d/finding/f", Title: "Port probe", Description: "desc",
		Type: "Recon:EC2/PortProbeUnprotectedPort", Severity: finding.High, OriginalSeverity: "8", Status: Active,
		Resource:  Resource{Provider: resource.AWS, Account: "111122223333", Region: "us-east-1", ID: "arn:aws:ec2:us-east-1:1:instance/i-1", Type: "AWS::EC2::Instance", Name: "i-1", Exposed: &yes},
		FirstSeen: t0, LastSeen: t0.Add(time.Hour), Raw: json.RawMessage(`{"Id":"x","Title":"<script>&</script>","N":[1,2.5e-7]}`),
	}
	var cs []Finding
	add := func(fn func(f *Finding)) {
		f := base
		fn(&f)
		cs = append(cs, f)
	}
	add(func(f *Finding) {})
	add(func(f *Finding) { f.Raw = nil; f.Status = Suppressed; f.OriginalStatus = "ARCHIVED" })
	add(func(f *Finding) {
		f.Title, f.Description, f.Type, f.ID, f.Origin = awkward, awkward, awkward, awkward, awkward
		f.Resource.Name, f.Resource.Region, f.Resource.Account = awkward, awkward, awkward
		f.OriginalSeverity, f.OriginalStatus = awkward, awkward
		f.Raw = json.RawMessage(awkward)
		f.LinkedAlerts = []string{awkward, "a2"}
		f.Sources = []string{"Security Hub S3.8", "vigil " + awkward}
	})
	add(func(f *Finding) {
		f.Product, f.Status, f.Severity = SecurityHub, Resolved, finding.Info
		f.Resource = Resource{Provider: resource.AWS}
		f.FirstSeen, f.LastSeen = time.Time{}, time.Time{}
		f.Description, f.Type, f.Title = "", "", ""
	})
	add(func(f *Finding) { f.LastSeen = time.Time{}; f.Severity = "weird"; f.Status = "odd" })
	add(func(f *Finding) { f.Kind = Vulnerability }) // no Vuln: a detection
	vulns := []Vuln{
		{ID: "CVE-2023-38545", CVSS: 9.8, Vector: "CVSS:3.1/AV:N", CVSSVer: "3.1", FixAvailable: "yes", References: []string{"https://nvd/<x>&"},
			Packages: []Package{{Name: "libcurl", Version: "7.88.1-1", FixedVersion: "8.0.1", Manager: "OS", Path: "/usr/lib"}, {Name: "curl"}}},
		{ID: "cve-2024-1", CVSS: 5, CVSSVer: "2.0", FixAvailable: "no"},
		{ID: "CVE-2024-2", CVSS: 1e-7, FixAvailable: "partial"},
		{ID: "CVE-2024-3", CVSS: 1e22},
		{ID: "GHSA-4v7x-pqxf-cx7m", CVSS: 7.5, FixAvailable: "unknown", References: []string{}},
		{ID: ""},
	}
	for _, v := range vulns {
		add(func(f *Finding) {
			f.Product, f.Kind, f.Vuln = Inspector, Vulnerability, &v
		})
	}
	add(func(f *Finding) {
		f.Product, f.Kind, f.Vuln = Defender, Vulnerability, &Vuln{ID: awkward, Packages: []Package{{Name: awkward, Version: awkward, FixedVersion: awkward, Manager: awkward, Path: awkward}}}
		f.Title, f.Description, f.OriginalSeverity = awkward, awkward, awkward
		f.FirstSeen = time.Unix(-86400, 0) // before the epoch
	})
	for _, p := range []Product{SCC, ArtifactAnalysis, "Other"} {
		add(func(f *Finding) { f.Product = p; f.Resource.Provider = resource.GCP })
	}
	return cs
}

// TestAppendOCSF checks the hand-written encoder against encoding/json
// over the two classes, every optional member and strings that need each
// kind of escape.
func TestAppendOCSF(t *testing.T) {
	for _, f := range ocsfCases() {
		checkAppendOCSF(t, &f)
	}
	f := ocsfCases()[6]
	f.Vuln = &Vuln{ID: "CVE-1", CVSS: math.NaN()}
	if _, err := f.AppendOCSF(nil); err == nil {
		t.Error("a NaN CVSS score: no error")
	}
}

// TestWriteOCSF checks the parallel writer keeps the order and writes
// what the events' encoding gives, in both forms, over more findings than
// one batch, and returns the writer's error.
func TestWriteOCSF(t *testing.T) {
	cs := ocsfCases()
	var fs []Finding
	for i := range 3*ocsfBatch + 7 {
		f := cs[i%len(cs)]
		f.ID = f.ID + "-" + strings.Repeat("x", i%5) + string(rune('a'+i%26))
		fs = append(fs, f)
	}
	for _, lines := range []bool{true, false} {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		if !lines {
			want.WriteString("[")
		}
		for i := range fs {
			if !lines && i > 0 {
				want.WriteString(",")
			}
			if err := enc.Encode(fs[i].OCSF()); err != nil {
				t.Fatal(err)
			}
		}
		if !lines {
			want.WriteString("]\n")
		}
		var got bytes.Buffer
		if err := WriteOCSF(&got, fs, lines); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("lines=%v: WriteOCSF differs from encoding/json (%d and %d bytes)", lines, got.Len(), want.Len())
		}
	}
	var empty bytes.Buffer
	if err := WriteOCSF(&empty, nil, false); err != nil || empty.String() != "[]\n" {
		t.Errorf("no findings: %q %v", empty.String(), err)
	}
	boom := errors.New("disk full")
	if err := WriteOCSF(&failingWriter{after: 2, err: boom}, fs, true); !errors.Is(err, boom) {
		t.Errorf("a failing writer: %v", err)
	}
	fs[len(fs)-1].Kind, fs[len(fs)-1].Vuln = Vulnerability, &Vuln{ID: "CVE-1", CVSS: math.Inf(1)}
	if err := WriteOCSF(&bytes.Buffer{}, fs, true); err == nil {
		t.Error("an infinite CVSS score: no error")
	}
}

// TestWriteJSON checks WriteJSON against encoding/json's indenting
// Encoder over more findings than one batch, raw records included, and
// with none.
func TestWriteJSON(t *testing.T) {
	cs := ocsfCases()
	var fs []Finding
	for i := range 2*ocsfBatch + 3 {
		f := cs[i%len(cs)]
		f.ID = f.ID + "-" + strings.Repeat("x", i%5) + string(rune('a'+i%26))
		f.Raw = nil // the cases' own are not all JSON
		if i%3 == 0 {
			id, _ := json.Marshal(f.ID)
			f.Raw = json.RawMessage(`{"Id": ` + string(id) + `, "Html": "<a&b>", "N": [1, 2]}`)
		}
		fs = append(fs, f)
	}
	for _, fs := range [][]Finding{fs, {}, nil} {
		var want, got bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		if fs == nil {
			fs = []Finding{}
		}
		if err := enc.Encode(fs); err != nil {
			t.Fatal(err)
		}
		if err := WriteJSON(&got, fs); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%d findings: WriteJSON differs from encoding/json (%d and %d bytes)", len(fs), got.Len(), want.Len())
		}
	}
	boom := errors.New("disk full")
	if err := WriteJSON(&failingWriter{after: 2, err: boom}, fs); !errors.Is(err, boom) {
		t.Errorf("a failing writer: %v", err)
	}
}

type failingWriter struct {
	after int
	err   error
}

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.after == 0 {
		return 0, w.err
	}
	w.after--
	return len(p), nil
}

// FuzzAppendOCSF compares the hand-written encoder with encoding/json on
// arbitrary strings and scores.
func FuzzAppendOCSF(f *testing.F) {
	f.Add("title", `{"a":"b"}`, "CVE-2024-1", 7.5, true)
	f.Add(awkward, awkward, "GHSA-x", 1e-9, false)
	f.Add("", "", "", 0.0, true)
	f.Fuzz(func(t *testing.T, title, raw, vid string, cvss float64, vuln bool) {
		if math.IsNaN(cvss) || math.IsInf(cvss, 0) {
			return
		}
		fd := ocsfCases()[0]
		fd.Title, fd.Description, fd.Raw, fd.Resource.Name = title, raw, json.RawMessage(raw), title
		if vuln {
			fd.Kind, fd.Vuln = Vulnerability, &Vuln{ID: vid, CVSS: cvss, References: []string{raw}, Packages: []Package{{Name: title, Version: vid}}}
		}
		checkAppendOCSF(t, &fd)
	})
}
