package load

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/findings"
	"github.com/vigil-sec/vigil/internal/ocsf/ocsftest"
	"github.com/vigil-sec/vigil/internal/testkit"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func loadSamples(t *testing.T) *Result {
	t.Helper()
	res, err := Files(context.Background(), []string{"testdata/samples"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) > 0 {
		t.Fatalf("problems reading the samples: %v", res.Problems)
	}
	return res
}

// TestSamples reads a sample of every format and shape, checks what each
// product's mapping must get right, and compares the model and its OCSF
// form with the golden files; every OCSF event is validated against the
// OCSF 1.8.0 schema tree.
func TestSamples(t *testing.T) {
	res := loadSamples(t)
	if len(res.Unrecognised) > 0 {
		t.Errorf("samples with no finding: %v", res.Unrecognised)
	}
	// The pricings row and the DISCOVERY occurrence are not findings.
	if res.Skipped != 2 {
		t.Errorf("skipped %d records, want 2", res.Skipped)
	}
	byID := map[string]findings.Finding{}
	perProduct := map[findings.Product]int{}
	for _, f := range res.Findings {
		byID[f.ID] = f
		perProduct[f.Product]++
	}
	want := map[findings.Product]int{findings.GuardDuty: 3, findings.SecurityHub: 9, findings.Inspector: 6, findings.Defender: 5, findings.SCC: 4, findings.ArtifactAnalysis: 2}
	for p, n := range want {
		if perProduct[p] != n {
			t.Errorf("%s: %d findings, want %d", p, perProduct[p], n)
		}
	}
	check := func(id string, fn func(f findings.Finding) string) {
		t.Helper()
		f, ok := byID[id]
		if !ok {
			t.Errorf("finding %s not read", id)
			return
		}
		if msg := fn(f); msg != "" {
			t.Errorf("%s: %s", id, msg)
		}
	}
	check("arn:aws:guardduty:us-east-1:111122223333:detector/12c7a3e9f0b14d5e8a6b2c4d6e8f0a12/finding/c2c7a3f1e5b84f6d9a0b1c2d3e4f5a6b", func(f findings.Finding) string {
		if f.Severity != finding.High || f.OriginalSeverity != "8" || f.Status != findings.Active ||
			f.Resource.ID != "arn:aws:ec2:us-east-1:111122223333:instance/i-0b7fe5cdbceacc2bb" || f.FirstSeen.IsZero() {
			return "want HIGH (8), active, on the instance's ARN, with first seen"
		}
		return ""
	})
	check("arn:aws:guardduty:us-east-1:111122223333:detector/12c7a3e9f0b14d5e8a6b2c4d6e8f0a12/finding/a4e1b2c3d4e5f60718293a4b5c6d7e8f", func(f findings.Finding) string {
		if f.Status != findings.Suppressed || f.Severity != finding.Medium || f.Resource.ID != "arn:aws:iam::111122223333:user/svc-backup" {
			return "archived finding: want suppressed, MEDIUM (5.5), on the IAM user"
		}
		return ""
	})
	check("arn:aws:guardduty:us-east-1:444455556666:detector/9a8b7c6d5e4f30211a2b3c4d5e6f7a8b/finding/e8b4f1a2c3d4e5f6a7b8c9d0e1f2a3b4", func(f findings.Finding) string {
		if f.Severity != finding.Critical || f.Resource.ID != "arn:aws:s3:::nw-dev-partner-share" {
			return "EventBridge (camelCase) finding: want CRITICAL on the bucket"
		}
		return ""
	})
	check("arn:aws:inspector2:us-east-1:111122223333:finding/1b2c3d4e5f60718293a4b5c6d7e8f90a", func(f findings.Finding) string {
		if f.Kind != findings.Vulnerability || f.Severity != finding.Medium || f.Vuln.ID != "GHSA-4v7x-pqxf-cx7m" ||
			len(f.Vuln.Packages) != 1 || f.Vuln.Packages[0].FixedVersion != "" {
			return "UNTRIAGED: want MEDIUM from its score, no fixed version for NotAvailable"
		}
		return ""
	})
	check("arn:aws:inspector2:us-east-1:444455556666:finding/9f8e7d6c5b4a39281716a5b4c3d2e1f0", func(f findings.Finding) string {
		if f.Status != findings.Resolved || f.LastSeen.IsZero() || f.Vuln.Packages[0].FixedVersion != "2.32.0" {
			return "CLOSED event: want resolved, last seen read, fixed in 2.32.0"
		}
		return ""
	})
	check("arn:aws:inspector2:us-east-1:111122223333:finding/0a1b2c3d4e5f60718293a4b5c6d7e8f9", func(f findings.Finding) string {
		p := f.Vuln.Packages[0]
		if f.Severity != finding.Critical || f.Vuln.ID != "CVE-2023-38545" || p.Name != "libcurl" || p.Version != "7.88.1-1.amzn2023.0.2" ||
			p.FixedVersion != "0:8.0.1-1.amzn2023.0.1" || f.Resource.ID != "arn:aws:ec2:us-east-1:111122223333:instance/i-0d7f37aae9b62e1a8" {
			return "want CVE, package, version, fixed version and the instance ARN"
		}
		return ""
	})
	check("arn:aws:securityhub:us-east-1:111122223333:security-control/CloudTrail.2/finding/0f9e8d7c-6b5a-4321-9fed-cba987654321", func(f findings.Finding) string {
		if f.Status != findings.Resolved || f.Type != "CloudTrail.2" {
			return "PASSED control: want resolved, type the control id"
		}
		return ""
	})
	check("arn:aws:guardduty:us-east-1:444455556666:detector/9a8b7c6d5e4f30211a2b3c4d5e6f7a8b/finding/f0e1d2c3b4a5968778695a4b3c2d1e0f", func(f findings.Finding) string {
		if f.Product != findings.SecurityHub || f.Origin != "GuardDuty" || f.Status != findings.Suppressed || f.Severity != finding.Low {
			return "Security Hub event: want origin GuardDuty, suppressed, LOW"
		}
		return ""
	})
	check("2516884199999999999_4c1e2d3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f", func(f findings.Finding) string {
		if f.Severity != finding.High || f.Resource.Account != "8f2d6c3e-5b1a-4e7d-9c0f-2a4b6d8e1f37" || f.Resource.Region != "eastus" ||
			!strings.HasSuffix(f.Resource.ID, "/virtualMachines/vm-nw-legacy-win01") {
			return "Defender alert: want HIGH on the VM, its subscription and region"
		}
		return ""
	})
	check("2516901234567890123_7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a", func(f findings.Finding) string {
		if f.Status != findings.Suppressed || !strings.HasSuffix(f.Resource.ID, "/managedClusters/aks-nw-prod") {
			return "exported (PascalCase) alert: want dismissed = suppressed, on the AKS cluster"
		}
		return ""
	})
	// Security Hub's OCSF form (get-findings-v2 and "Findings Imported V2").
	check("arn:aws:securityhub:us-east-1:111122223333:security-control/S3.8/finding/7c3d2e1f-0a9b-4c8d-9e7f-6a5b4c3d2e1f", func(f findings.Finding) string {
		if f.Product != findings.SecurityHub || f.Origin != "Security Hub" || f.Type != "S3.8" || f.VigilRule != "storage-public-access-not-blocked" ||
			f.Severity != finding.High || f.Status != findings.Active || f.Resource.ID != "arn:aws:s3:::nw-dev-partner-share" ||
			f.Resource.Account != "111122223333" || len(f.Requirements) != 3 || f.FirstSeen.IsZero() || f.LastSeen.IsZero() {
			return "OCSF compliance finding: want S3.8 (HIGH, active) on the bucket with its account, requirements and times"
		}
		return ""
	})
	check("arn:aws:guardduty:eu-west-1:444455556666:detector/9a8b7c6d5e4f30211a2b3c4d5e6f7a8b/finding/0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f", func(f findings.Finding) string {
		if f.Origin != "GuardDuty" || f.Kind != findings.Threat || f.Severity != finding.Critical || f.Status != findings.Active ||
			f.Resource.Region != "eu-west-1" || f.FirstSeen.UnixMilli() != 1796032443000 {
			return "OCSF detection finding: want GuardDuty's, CRITICAL, active, first seen from epoch milliseconds"
		}
		return ""
	})
	check("arn:aws:inspector2:us-east-1:111122223333:finding/5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b", func(f findings.Finding) string {
		if f.Kind != findings.Vulnerability || f.Vuln.ID != "CVE-2024-6387" || f.Vuln.CVSS != 8.1 || f.Vuln.FixAvailable != "yes" ||
			len(f.Vuln.Packages) != 1 || f.Vuln.Packages[0].Version != "8.7p1-38.amzn2023.0.1" || f.Vuln.Packages[0].FixedVersion != "8.7p1-38.amzn2023.0.2" {
			return "OCSF vulnerability finding: want the CVE, its CVSS, the package's version with release and its fix"
		}
		return ""
	})
	check("arn:aws:securityhub:us-east-1:111122223333:security-control/CloudTrail.4/finding/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", func(f findings.Finding) string {
		if f.Status != findings.Resolved || f.OriginalStatus != "Compliance Pass, Status Resolved, Activity Close" || f.Severity != finding.Medium {
			return "closed OCSF event finding: want resolved with every original state named"
		}
		return ""
	})
	// Inspector's CSV findings report.
	check("arn:aws:inspector2:us-east-1:111122223333:finding/7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d", func(f findings.Finding) string {
		if f.Kind != findings.Vulnerability || f.Severity != finding.High || f.Vuln.ID != "CVE-2024-2961" || len(f.Vuln.Packages) != 2 ||
			f.Vuln.Packages[1].Name != "glibc-common" || f.Vuln.Packages[1].FixedVersion != "0:2.34-52.amzn2023.0.10" || f.Vuln.CVSS != 7.3 ||
			f.Resource.ID != "arn:aws:ec2:us-east-1:111122223333:instance/i-0b7fe5cdbceacc2bb" || f.Resource.Type != "AWS::EC2::Instance" ||
			f.Vuln.FixAvailable != "yes" || len(f.Vuln.References) != 2 || f.FirstSeen.IsZero() {
			return "CSV report row: want both packages with their fixes, the CVSS, the instance's ARN and type, the references"
		}
		return ""
	})
	check("arn:aws:inspector2:eu-west-1:444455556666:finding/3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f", func(f findings.Finding) string {
		if f.Resource.ID != "arn:aws:lambda:eu-west-1:444455556666:function:nw-invoice-export" || f.Vuln.Packages[0].FixedVersion != "" ||
			f.Vuln.Packages[0].Path != "/var/task/urllib3/__init__.py" || f.Severity != finding.Medium {
			return "CSV Lambda row: want the unqualified function ARN, no fix for NotAvailable, the file path"
		}
		return ""
	})
	check("arn:aws:inspector2:us-east-1:111122223333:finding/0f1e2d3c4b5a69788796a5b4c3d2e1f0", func(f findings.Finding) string {
		if f.Kind != findings.Threat || f.Status != findings.Resolved || f.Severity != finding.Low {
			return "CSV network reachability row: want a LOW threat, resolved (CLOSED)"
		}
		return ""
	})
	for _, f := range res.Findings {
		if f.Product == findings.Defender && f.Kind == findings.Vulnerability {
			p := f.Vuln.Packages[0]
			if f.Vuln.ID != "CVE-2023-44487" || p.Name != "golang.org/x/net" || p.Version != "0.15.0" || p.FixedVersion != "0.17.0" ||
				!strings.HasSuffix(f.Resource.ID, "/registries/acrnwprod") || f.Vuln.CVSS != 7.5 {
				t.Errorf("Defender sub-assessment: got %+v on %s", f.Vuln, f.Resource.ID)
			}
		}
		if f.Product == findings.ArtifactAnalysis && f.Vuln.ID == "CVE-2023-4039" {
			if f.Severity != finding.Low || f.Vuln.Packages[0].Version != "12.2.0-14" || f.Vuln.Packages[0].FixedVersion != "" || f.Resource.Region != "us-central1" {
				t.Errorf("Artifact Analysis: got %s %+v in %q", f.Severity, f.Vuln.Packages, f.Resource.Region)
			}
		}
		if f.Product == findings.SCC {
			switch f.Title {
			case "PUBLIC_BUCKET_ACL":
				if f.Status != findings.Suppressed {
					t.Errorf("muted SCC finding: %s, want suppressed", f.Status)
				}
			case "OS_VULNERABILITY":
				if f.Status != findings.Resolved || f.Kind != findings.Vulnerability || f.Vuln.Packages[0].FixedVersion != "2.36-9+deb12u4" {
					t.Errorf("inactive SCC vulnerability: %s %+v", f.Status, f.Vuln)
				}
			case "Execution: Cryptocurrency Mining Hash Match":
				if f.Resource.Account != "nw-analytics-prod" || f.Resource.Region != "us-central1" {
					t.Errorf("SCC resource: %+v", f.Resource)
				}
			}
		}
		if len(f.Raw) == 0 || f.Source.File == "" {
			t.Errorf("%s: no raw record or source", f.ID)
		}
	}

	Sort(res.Findings)
	model, ocsfOut := goldenJSON(t, res.Findings)
	testkit.Golden(t, "testdata/golden/findings.json", model, *update)
	testkit.Golden(t, "testdata/golden/findings.ocsf.json", ocsfOut, *update)
}

// goldenJSON is the findings (without raw records, paths relative) and
// their OCSF events as indented JSON.
func goldenJSON(t *testing.T, fs []findings.Finding) (model, events []byte) {
	t.Helper()
	var ms []findings.Finding
	var evs []any
	for _, f := range fs {
		evs = append(evs, f.OCSF())
		f.Raw = nil
		f.Source.File = filepath.ToSlash(f.Source.File)
		ms = append(ms, f)
	}
	m, err := json.MarshalIndent(ms, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	e, err := json.MarshalIndent(evs, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(m, '\n'), append(e, '\n')
}

// TestOCSFAgainstSchema validates every sample's OCSF event against the
// OCSF 1.8.0 schema tree (../shared/corpus/ocsf-schema).
func TestOCSFAgainstSchema(t *testing.T) {
	s := ocsftest.Load(t)
	s.Strict = true
	classes := map[float64]int{}
	for _, f := range loadSamples(t).Findings {
		b, err := json.Marshal(f.OCSF())
		if err != nil {
			t.Fatal(err)
		}
		var head struct {
			ClassUID float64 `json:"class_uid"`
		}
		_ = json.Unmarshal(b, &head)
		classes[head.ClassUID]++
		for _, e := range s.Validate(t, b) {
			t.Errorf("%s (%s): %s", f.ID, f.Product, e)
		}
	}
	if classes[2004] == 0 || classes[2002] == 0 {
		t.Errorf("classes written: %v, want Detection (2004) and Vulnerability (2002) Findings", classes)
	}
}

// TestBadInput: a malformed record is named by file and position and the
// others are read; a file that is not JSON, or has no finding, is said.
func TestBadInput(t *testing.T) {
	gd, err := os.ReadFile("testdata/samples/guardduty-get-findings.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ Findings []json.RawMessage }
	if err := json.Unmarshal(gd, &doc); err != nil {
		t.Fatal(err)
	}
	// Record 1 has a string where GuardDuty writes a number; record 2 is
	// not an object.
	bad := []byte(`{"Findings":[` + string(doc.Findings[0]) + `,{"Id":"x","Arn":"y","Type":"T","Service":{},"Resource":{},"Severity":"high"},42,` + string(doc.Findings[1]) + `]}`)
	res := Data("bad.json", bad)
	if len(res.Findings) != 2 {
		t.Errorf("read %d findings around the malformed records, want 2", len(res.Findings))
	}
	if len(res.Problems) != 2 || res.Problems[0].Index != 1 || res.Problems[1].Index != 2 ||
		!strings.Contains(res.Problems[0].Error(), "bad.json: record 1 (byte ") {
		t.Errorf("problems: %v, want records 1 and 2 of bad.json named", res.Problems)
	}
	if res.Findings[1].Source.Index != 3 {
		t.Errorf("the last finding is record %d, want 3", res.Findings[1].Source.Index)
	}

	// A truncated array: the records before the cut are read, the cut is named by its offset.
	cut := bad[:bytes.LastIndex(bad, []byte(`"Severity": 5.5`))]
	res = Data("cut.json", cut)
	if len(res.Findings) != 1 || len(res.Problems) != 3 || res.Problems[2].Index != -1 {
		t.Errorf("truncated: %d findings, problems %v", len(res.Findings), res.Problems)
	}

	res = Data("notes.txt", []byte("not json at all"))
	if len(res.Problems) != 0 || len(res.Findings) != 0 {
		t.Errorf("not JSON: %v", res.Problems)
	}

	// Inspector's CSV report: a row without its finding ARN is named with
	// its row and offset, the rows around it are read.
	csvData := []byte("\"AWS Account Id\",\"Severity\",\"Finding ARN\",\"Status\"\n" +
		"111122223333,HIGH,arn:aws:inspector2:us-east-1:111122223333:finding/a,ACTIVE\n" +
		"111122223333,HIGH,,ACTIVE\n" +
		"111122223333,LOW,arn:aws:inspector2:us-east-1:111122223333:finding/b,CLOSED\n" +
		"111122223333,LOW\n")
	res = Data("report.csv", csvData)
	if len(res.Findings) != 2 || len(res.Problems) != 2 || res.Problems[0].Index != 1 || res.Problems[1].Index != 3 ||
		!strings.Contains(res.Problems[0].Error(), "report.csv: record 1 (byte 128)") {
		t.Errorf("CSV report: %d findings, problems %v; want 2, and rows 1 (at byte 128) and 3 named", len(res.Findings), res.Problems)
	}

	// An OCSF finding of another vendor is not Security Hub's: skipped, not a problem.
	res = Data("other-ocsf.json", []byte(`{"class_uid":2004,"finding_info":{"uid":"f1","title":"t"},"metadata":{"product":{"name":"Falco","vendor_name":"Sysdig"}},"cloud":{"provider":"GCP"}}`))
	if len(res.Findings) != 0 || len(res.Problems) != 0 || res.Skipped != 1 {
		t.Errorf("another vendor's OCSF finding: %d findings, %v, %d skipped", len(res.Findings), res.Problems, res.Skipped)
	}
	// An AWS OCSF record of a class that is no finding is named.
	res = Data("ocsf-api.json", []byte(`{"class_uid":6003,"finding_info":{"uid":"f2"},"metadata":{"product":{"vendor_name":"AWS"}}}`))
	if len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Error(), "class_uid 6003") {
		t.Errorf("OCSF API Activity with finding_info: %v", res.Problems)
	}

	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "other.json"), []byte(`{"Records":[{"eventName":"GetObject"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "README"), []byte("not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	all, err := Files(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Findings) != 0 || len(all.Unrecognised) != 2 || len(all.Problems) != 0 {
		t.Errorf("a CloudTrail file and a text file: %d findings, unrecognised %v, problems %v", len(all.Findings), all.Unrecognised, all.Problems)
	}
}

// TestWriteOCSFSamples checks that the OCSF writer (the hand-written
// encoder, on every core) writes each sample's event exactly as
// encoding/json writes Finding.OCSF, raw records included.
func TestWriteOCSFSamples(t *testing.T) {
	res := loadSamples(t)
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	for i := range res.Findings {
		if err := enc.Encode(res.Findings[i].OCSF()); err != nil {
			t.Fatal(err)
		}
	}
	var got bytes.Buffer
	if err := findings.WriteOCSF(&got, res.Findings, true); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Errorf("WriteOCSF differs from encoding/json over the samples:\n%s", got.String())
	}
}

// TestSort compares Sort with sort.SliceStable over the same order, on
// findings with many ties (equal keys keep their order).
func TestSort(t *testing.T) {
	sevs := []finding.Severity{finding.Critical, finding.High, finding.Medium, finding.Low, finding.Info, ""}
	exposed, isolated := true, false
	var fs []findings.Finding
	for i := range 20000 { // enough for the halves sorted on two cores
		f := findings.Finding{
			Severity: sevs[i*7%len(sevs)], Product: []findings.Product{findings.GuardDuty, findings.SCC, findings.ArtifactAnalysis}[i/6%3],
			ID: fmt.Sprint("f", i%13), Title: fmt.Sprint(i), // the title tells equal findings apart
			Resource: findings.Resource{ID: fmt.Sprint("r", i%5)},
		}
		switch i % 4 {
		case 0:
			f.Resource.AttackPath = "path"
		case 1:
			f.Resource.Exposed = &exposed
		case 2:
			f.Resource.Exposed = &isolated
		}
		fs = append(fs, f)
	}
	want := slices.Clone(fs)
	sort.SliceStable(want, func(i, j int) bool {
		a, b := &want[i], &want[j]
		if ra, rb := a.Severity.Rank(), b.Severity.Rank(); ra != rb {
			return ra > rb
		}
		if pa, pb := a.Resource.Priority(), b.Resource.Priority(); pa != pb {
			return pa > pb
		}
		if a.Product != b.Product {
			return a.Product < b.Product
		}
		if a.Resource.ID != b.Resource.ID {
			return a.Resource.ID < b.Resource.ID
		}
		return a.ID < b.ID
	})
	Sort(fs)
	for i := range fs {
		if fs[i].Title != want[i].Title {
			t.Fatalf("position %d: finding %s, want %s", i, fs[i].Title, want[i].Title)
		}
	}
}
