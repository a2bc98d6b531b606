package collect

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

func TestAnnotate(t *testing.T) {
	failures := []Failure{
		{Cloud: "aws", Account: "111122223333", Region: "us-east-1", Service: "s3", Call: "s3:GetBucketEncryption", Resource: "arn:aws:s3:::logs", Kind: Denied, Err: "AccessDenied"},
		{Cloud: "aws", Account: "111122223333", Region: "eu-west-1", Service: "cloudtrail", Call: "cloudtrail:DescribeTrails", Kind: Throttled, Err: "Throttling"},
		{Cloud: "aws", Account: "111122223333", Region: "global", Service: "iam", Call: "iam:GetAccountPasswordPolicy", Kind: Denied, Err: "AccessDenied"},
		{Cloud: "azure", Account: "sub", Region: "eastus", Service: "storage", Call: "Microsoft.Storage/storageAccounts/blobServices/read", Resource: "st1", Kind: Denied, Err: "403"},
	}
	ref := func(id, region string) resource.Ref {
		return resource.Ref{ID: id, Provider: resource.AWS, Account: "111122223333", Region: region}
	}
	fs := []finding.Finding{
		{Status: finding.Unknown, Message: "encryption is not in the input.", Resource: ref("arn:aws:s3:::logs", "us-east-1")},
		{Status: finding.Unknown, Resource: ref("arn:aws:cloudtrail:eu-west-1:111122223333:trail/t", "eu-west-1")},
		{Status: finding.Fail, Message: "open", Resource: ref("arn:aws:s3:::logs", "us-east-1")},
		{Status: finding.Unknown, Message: "m", Resource: resource.Ref{ID: "x", Provider: resource.GCP, Account: "111122223333", Region: "eu-west-1"}},
		// Found by its name when the failure names the resource so.
		{Status: finding.Unknown, Resource: resource.Ref{ID: "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1", Name: "st1", Provider: resource.Azure, Account: "sub", Region: "westeurope"}},
	}
	Annotate(fs, failures)
	want := []string{
		"encryption is not in the input; not collected: s3:GetBucketEncryption (denied)",
		"not collected: cloudtrail:DescribeTrails (throttled), iam:GetAccountPasswordPolicy (denied)",
		"open",
		"m",
		"not collected: Microsoft.Storage/storageAccounts/blobServices/read (denied)",
	}
	for i, w := range want {
		if fs[i].Message != w {
			t.Errorf("finding %d: message %q, want %q", i, fs[i].Message, w)
		}
	}
}

func TestDescribeCapsTheList(t *testing.T) {
	var fs []Failure
	for _, c := range []string{"a", "b", "c", "d", "e", "a"} {
		fs = append(fs, Failure{Call: c, Kind: Failed})
	}
	if got, want := describe(fs), "a (failed), b (failed), c (failed), and 2 more"; got != want {
		t.Errorf("describe = %q, want %q", got, want)
	}
}

func TestPageGuard(t *testing.T) {
	var g PageGuard
	for _, tok := range []string{"", "p2", "p3", ""} {
		if g.Loop(tok) {
			t.Fatalf("token %q reported as a loop on first sight", tok)
		}
	}
	if !g.Loop("p2") {
		t.Error("a token returned twice is not reported as a loop")
	}
}

func TestRecorder(t *testing.T) {
	r := NewRecorder(nil)
	var wg sync.WaitGroup
	start := make(chan struct{})
	release := make(chan struct{})
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			done := r.Call()
			start <- struct{}{}
			<-release
			done()
			r.Fail(Failure{Cloud: "aws", Call: string(rune('a' + i)), Kind: Failed})
		}()
	}
	for range 8 {
		<-start
	}
	close(release)
	wg.Wait()
	if r.Calls() != 8 || r.PeakInFlight() != 8 {
		t.Errorf("calls %d peak %d, want 8 and 8", r.Calls(), r.PeakInFlight())
	}
	fs := r.Failures()
	if len(fs) != 8 || fs[0].Call != "a" || fs[7].Call != "h" {
		t.Errorf("failures not all kept in order: %v", fs)
	}
}

func TestSinksRefuseEscapingNames(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	var m Mem
	for _, bad := range []string{"../x", "/etc/passwd", "a/../../x", "", `a\..\x`} {
		if err := Dir(dir).Write(ctx, bad, []byte("x")); err == nil {
			t.Errorf("Dir wrote %q", bad)
		}
		if err := m.Write(ctx, bad, []byte("x")); err == nil {
			t.Errorf("Mem wrote %q", bad)
		}
	}
	if err := Dir(dir).Write(ctx, "aws/"+SafeSegment("../1")+"/f.json", []byte("{}")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "aws", ".._1", "f.json")); err != nil {
		t.Errorf("file not written where expected: %v", err)
	}
	if err := m.Write(ctx, "b/c.json", []byte("1")); err != nil || string(m.File("b/c.json")) != "1" || strings.Join(m.Names(), ",") != "b/c.json" {
		t.Errorf("Mem: %v %q %v", err, m.File("b/c.json"), m.Names())
	}
}
