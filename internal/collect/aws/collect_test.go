package awscollect

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/collect"
	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/testkit"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

const (
	mgmt   = "111122223333"
	member = "444455556666"
)

// coreFaults are the faults of the core collection test: calls denied,
// throttled for good, throttled twice then answered, and failing with a
// 500 after the retries.
func coreFaults() func(fakeReq) string {
	var mu sync.Mutex
	vpcThrottles := 0
	return func(r fakeReq) string {
		switch {
		case r.Key() == "ec2:DescribeVpcs" && r.Account == mgmt && r.Region == "us-east-1":
			mu.Lock()
			defer mu.Unlock()
			if vpcThrottles < 2 {
				vpcThrottles++
				return "throttle"
			}
		case r.Key() == "iam:GetAccountSummary" && r.Account == mgmt:
			return "throttle"
		case r.Key() == "s3:GetBucketEncryption" && r.Resource == "member-data":
			return "denied"
		case r.Key() == "ec2:DescribeFlowLogs" && r.Account == member && r.Region == "eu-west-1":
			return "denied"
		case r.Key() == "ec2:DescribeVolumes" && r.Account == member && r.Region == "us-east-1":
			return "500"
		case r.Key() == "ec2:DescribeSnapshotAttribute" && r.Resource == "snap-0aaa0003":
			return "500"
		case r.Key() == "organizations:ListTargetsForPolicy" && r.Resource == "p-regions01":
			return "denied"
		}
		return ""
	}
}

// runCore collects the core services of the test organization (two
// accounts through Organizations and an assumed role, two regions from
// DescribeRegions) into a directory.
func runCore(t *testing.T) (dir string, rec *collect.Recorder, srv *fakeAWS) {
	t.Helper()
	srv = newFakeAWS(t, "testdata")
	srv.Fault = coreFaults()
	opts := testOptions(t, srv, mgmt)
	opts.RoleName = "VigilReadOnly"
	opts.services = coreServices()
	dir = t.TempDir()
	rec = collect.NewRecorder(nil)
	if err := Collect(context.Background(), opts, collect.Dir(dir), rec, nil); err != nil {
		t.Fatal(err)
	}
	if m := srv.Missing(); len(m) > 0 {
		t.Errorf("requests without a response file:\n%s", strings.Join(m, "\n"))
	}
	return dir, rec, srv
}

// TestCollect runs the collector against the fake AWS endpoint and
// compares the files written, the failures recorded and the inventory
// imported from the files with the golden files (go test -run TestCollect
// -update after an intended change).
func TestCollect(t *testing.T) {
	dir, rec, srv := runCore(t)
	t.Run("golden", func(t *testing.T) { checkGolden(t, dir, rec) })
	t.Run("failures", func(t *testing.T) { checkFailures(t, dir, rec, srv) })
}

func checkGolden(t *testing.T, dir string, rec *collect.Recorder) {

	testkit.GoldenTree(t, filepath.Join("testdata", "golden", "files"), readTree(t, dir), *update)

	fails := rec.Failures()
	got, _ := json.MarshalIndent(fails, "", "  ")
	testkit.Golden(t, filepath.Join("testdata", "golden", "failures.json"), append(got, '\n'), *update)

	inv, err := importer.Load(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, filepath.Join("testdata", "golden", "inventory.json"), testkit.InventoryJSON(t, inv, dir), *update)
}

// checkFailures checks each fault of the run is in the failures with its
// kind, and that what the other calls gave is there.
func checkFailures(t *testing.T, dir string, rec *collect.Recorder, srv *fakeAWS) {
	want := []collect.Failure{
		{Account: mgmt, Service: "iam", Call: "iam:GetAccountSummary", Kind: collect.Throttled},
		{Account: member, Service: "s3", Call: "s3:GetEncryptionConfiguration", Resource: "arn:aws:s3:::member-data", Kind: collect.Denied},
		{Account: member, Region: "eu-west-1", Service: "ec2", Call: "ec2:DescribeFlowLogs", Kind: collect.Denied},
		{Account: member, Region: "us-east-1", Service: "ec2", Call: "ec2:DescribeVolumes", Kind: collect.Failed},
		{Account: mgmt, Region: "us-east-1", Service: "ec2", Call: "ec2:DescribeSnapshotAttribute", Resource: "arn:aws:ec2:us-east-1::snapshot/snap-0aaa0003", Kind: collect.Failed},
		{Account: mgmt, Service: "organizations", Call: "organizations:ListTargetsForPolicy", Kind: collect.Denied,
			Resource: "arn:aws:organizations::111122223333:policy/o-a1b2c3d4e5/service_control_policy/p-regions01"},
	}
	fails := rec.Failures()
	for _, w := range want {
		found := false
		for _, f := range fails {
			if f.Cloud == "aws" && f.Account == w.Account && (w.Region == "" || f.Region == w.Region) && f.Service == w.Service &&
				f.Call == w.Call && f.Resource == w.Resource && f.Kind == w.Kind && f.Err != "" {
				found = true
			}
		}
		if !found {
			t.Errorf("no failure like %+v among\n%v", w, fails)
		}
	}
	if len(fails) != len(want) {
		t.Errorf("%d failures, want %d: %v", len(fails), len(want), fails)
	}
	// Throttled twice, then answered: retried, collected, not a failure.
	n := 0
	for _, r := range srv.Requests() {
		if r.Key() == "ec2:DescribeVpcs" && r.Account == mgmt && r.Region == "us-east-1" {
			n++
		}
	}
	if n != 3 {
		t.Errorf("DescribeVpcs was sent %d times in %s us-east-1, want 3 (two throttled, then answered)", n, mgmt)
	}
	snap := readSnapshot(t, dir, mgmt, "us-east-1")
	if !hasItem(snap, "AWS::EC2::VPC", "vpc-0aaa0001") {
		t.Error("the VPC answered after two throttles is missing")
	}
	// The rest of the member account is collected: its bucket without the
	// encryption the denied call would have given, its IAM, its eu-west-1 volume.
	msnap := readSnapshot(t, dir, member, "us-east-1")
	b := findItem(msnap, "AWS::S3::Bucket", "member-data")
	if b == nil {
		t.Fatal("bucket member-data missing")
	}
	supp := b["supplementaryConfiguration"].(map[string]any)
	if _, ok := supp["ServerSideEncryptionConfiguration"]; ok {
		t.Error("member-data has an encryption setting though its call was denied")
	}
	if _, ok := supp["PublicAccessBlockConfiguration"]; !ok {
		t.Error("member-data lost its public access block (its call succeeded)")
	}
	if !hasItem(msnap, "AWS::IAM::User", "AIDASAMPLECI000000003") {
		t.Error("member IAM user missing")
	}
	if !hasItem(readSnapshot(t, dir, member, "eu-west-1"), "AWS::EC2::Volume", "vol-0bbb0001") {
		t.Error("member eu-west-1 volume missing")
	}
	// The suspended account is not collected; the failed snapshot
	// attribute leaves its file out, the others are written.
	if _, err := os.Stat(filepath.Join(dir, "aws", "777788889999")); err == nil {
		t.Error("the suspended account was collected")
	}
	cli := filepath.Join(dir, "aws", mgmt, "cli", "ec2-describe-snapshot-attribute")
	for snap, want := range map[string]bool{"snap-0aaa0001": true, "snap-0aaa0002": true, "snap-0aaa0003": false} {
		_, err := os.Stat(filepath.Join(cli, snap+".us-east-1.json"))
		if (err == nil) != want {
			t.Errorf("%s attribute file written: %v, want %v", snap, err == nil, want)
		}
	}
	// The policy whose targets were denied has no Targets (unknown), not
	// an empty list (applies nowhere).
	var org map[string]any
	readJSON(t, filepath.Join(dir, "aws", "organizations.json"), &org)
	for _, p := range org["Policies"].([]any) {
		pm := p.(map[string]any)
		id := pm["PolicySummary"].(map[string]any)["Id"]
		_, has := pm["Targets"]
		if has != (id != "p-regions01") {
			t.Errorf("policy %v: Targets present %v", id, has)
		}
	}
	if rec.Calls() == 0 || rec.PeakInFlight() == 0 {
		t.Errorf("calls %d, peak %d: the middleware did not count", rec.Calls(), rec.PeakInFlight())
	}
	// Every request the server answered was counted (retries included).
	if got := int64(len(srv.Requests())); got != rec.Calls() {
		t.Errorf("server answered %d requests, recorder counted %d", got, rec.Calls())
	}
}

// TestCollectPaginationLoop: a listing answering the same page token twice
// is reported as a pagination loop and stops; the collection goes on.
func TestCollectPaginationLoop(t *testing.T) {
	srv := newFakeAWS(t, filepath.Join("testdata", "loop"), "testdata")
	opts := testOptions(t, srv, mgmt)
	opts.Regions = []string{"us-east-1"}
	opts.services = coreServices()
	rec := collect.NewRecorder(nil)
	mem := &collect.Mem{}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := Collect(ctx, opts, mem, rec, nil); err != nil {
		t.Fatal(err)
	}
	var loops []collect.Failure
	for _, f := range rec.Failures() {
		if f.Kind == collect.PaginationLoop {
			loops = append(loops, f)
		}
	}
	if len(loops) != 1 || loops[0].Call != "ec2:DescribeVolumes" || loops[0].Account != mgmt {
		t.Fatalf("pagination loops %v, want one on ec2:DescribeVolumes", loops)
	}
	n := 0
	for _, r := range srv.Requests() {
		if r.Key() == "ec2:DescribeVolumes" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("DescribeVolumes sent %d times, want 2 (the first page, then the page answering its own token)", n)
	}
	// The pages read before the loop are kept, and the rest was collected.
	var snap configSnapshot
	for _, name := range mem.Names() {
		if strings.Contains(name, "/Config/us-east-1/") {
			if err := json.Unmarshal(mem.File(name), &snap); err != nil {
				t.Fatal(err)
			}
		}
	}
	vols := 0
	for _, it := range snap.Items {
		if it.ResourceType == "AWS::EC2::Volume" {
			vols++
		}
	}
	if vols != 2 {
		t.Errorf("%d volumes kept, want 2 (the first page and the looping page once)", vols)
	}
	if !slices.ContainsFunc(snap.Items, func(it configItem) bool { return it.ResourceType == "AWS::IAM::User" }) {
		t.Error("IAM was not collected after the loop")
	}
}

// TestCollectCallTimeout: a call slower than the per-call timeout is
// reported as a timeout and the rest of the region is collected.
func TestCollectCallTimeout(t *testing.T) {
	srv := newFakeAWS(t, "testdata")
	srv.Delay = func(r fakeReq) time.Duration {
		if r.Key() == "ec2:DescribeInstances" {
			return 2 * time.Second
		}
		return 0
	}
	opts := testOptions(t, srv, mgmt)
	opts.Regions = []string{"us-east-1"}
	opts.CallTimeout = 100 * time.Millisecond
	opts.services = []Service{{Name: "ec2", Run: runEC2}}
	rec := collect.NewRecorder(nil)
	mem := &collect.Mem{}
	start := time.Now()
	if err := Collect(context.Background(), opts, mem, rec, nil); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range srv.Requests() {
		if r.Key() == "ec2:DescribeInstances" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("DescribeInstances sent %d times, want 1 (the SDK does not retry a call it cancelled)", n)
	}
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Errorf("collection took %v: the per-call timeout did not cut the 2 s call", d)
	}
	fails := rec.Failures()
	if len(fails) != 1 || fails[0].Call != "ec2:DescribeInstances" || fails[0].Kind != collect.Timeout {
		t.Fatalf("failures %v, want one timeout of ec2:DescribeInstances", fails)
	}
	var vpcs int
	for _, name := range mem.Names() {
		var snap configSnapshot
		if strings.Contains(name, "/ConfigSnapshot/") && json.Unmarshal(mem.File(name), &snap) == nil {
			for _, it := range snap.Items {
				if it.ResourceType == "AWS::EC2::VPC" {
					vpcs++
				}
			}
		}
	}
	if vpcs != 2 {
		t.Errorf("%d VPCs collected after the timeout, want 2", vpcs)
	}
}

// TestCollectOrgListingDenied: an Organizations listing that is denied
// leaves its part of organizations.json out (unknown, not empty), the
// accounts it would have listed are not collected, the rest is.
func TestCollectOrgListingDenied(t *testing.T) {
	srv := newFakeAWS(t, "testdata")
	srv.Fault = func(r fakeReq) string {
		if (r.Key() == "organizations:ListAccountsForParent" && r.Resource == "ou-ab12-wkld0001") ||
			(r.Key() == "organizations:DescribePolicy" && r.Resource == "p-denyleave1") {
			return "denied"
		}
		return ""
	}
	opts := testOptions(t, srv, mgmt)
	opts.RoleName = "VigilReadOnly"
	opts.Regions = []string{"us-east-1"}
	opts.services = []Service{{Name: "ec2", Run: runEC2}}
	rec := collect.NewRecorder(nil)
	mem := &collect.Mem{}
	if err := Collect(context.Background(), opts, mem, rec, nil); err != nil {
		t.Fatal(err)
	}
	var org map[string]any
	if err := json.Unmarshal(mem.File("aws/organizations.json"), &org); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"Accounts", "OrganizationalUnits"} {
		if _, ok := org[k]; ok {
			t.Errorf("organizations.json has %s though a listing of the tree was denied", k)
		}
	}
	for _, k := range []string{"Organization", "Roots", "Policies"} {
		if _, ok := org[k]; !ok {
			t.Errorf("organizations.json lost %s", k)
		}
	}
	// The policy whose content was denied is kept, without its content.
	pols, _ := org["Policies"].([]any)
	if len(pols) != 3 {
		t.Fatalf("%d policies, want 3", len(pols))
	}
	for _, p := range pols {
		pm := p.(map[string]any)
		id := pm["PolicySummary"].(map[string]any)["Id"]
		if _, has := pm["Content"]; has == (id == "p-denyleave1") {
			t.Errorf("policy %v: content present %v", id, has)
		}
	}
	var accts []string
	for _, n := range mem.Names() {
		if parts := strings.Split(n, "/"); len(parts) > 2 && parts[1] != "organizations.json" && !slices.Contains(accts, parts[1]) {
			accts = append(accts, parts[1])
		}
	}
	if !slices.Equal(accts, []string{mgmt}) {
		t.Errorf("accounts collected %v, want only the caller's", accts)
	}
	fails := rec.Failures()
	if len(fails) != 2 || fails[0].Call != "organizations:DescribePolicy" || fails[1].Call != "organizations:ListAccountsForParent" ||
		fails[0].Kind != collect.Denied || fails[1].Kind != collect.Denied {
		t.Errorf("failures %v, want the denied policy and listing", fails)
	}
}

// TestCollectPlainClient: with the SDK's own HTTP client, as a command
// runs it, every call reaches the endpoint (S3 Control without the
// account ID before the host).
func TestCollectPlainClient(t *testing.T) {
	srv := newFakeAWS(t, "testdata")
	opts := testOptions(t, srv, mgmt)
	opts.HTTPClient, opts.apiOptions = nil, nil
	opts.Regions = []string{"us-east-1"}
	opts.services = coreServices()
	rec := collect.NewRecorder(nil)
	if err := Collect(context.Background(), opts, &collect.Mem{}, rec, nil); err != nil {
		t.Fatal(err)
	}
	if f := rec.Failures(); len(f) > 0 {
		t.Errorf("failures: %v", f)
	}
	if !slices.ContainsFunc(srv.Requests(), func(r fakeReq) bool { return r.Key() == "s3control:GetPublicAccessBlock" }) {
		t.Error("S3 Control was not reached")
	}
}

// TestCollectRenewsCredentialsAtTheBound: with one call in flight at a
// time and assumed-role credentials that expire as soon as they are
// given, every call renews them (AssumeRole) without deadlocking on the
// one slot.
func TestCollectRenewsCredentialsAtTheBound(t *testing.T) {
	srv := newFakeAWS(t, "testdata")
	srv.CredentialTTL = -time.Minute // expired when given
	opts := testOptions(t, srv, mgmt)
	opts.RoleName = "VigilReadOnly"
	opts.Accounts = []string{member}
	opts.Regions = []string{"us-east-1"}
	opts.Concurrency = 1
	opts.services = []Service{{Name: "ec2", Run: runEC2}}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	rec := collect.NewRecorder(nil)
	if err := Collect(ctx, opts, &collect.Mem{}, rec, nil); err != nil {
		t.Fatal(err)
	}
	assumed := 0
	for _, r := range srv.Requests() {
		if r.Key() == "sts:AssumeRole" {
			assumed++
		}
	}
	if assumed < 5 {
		t.Errorf("AssumeRole called %d times: the credentials were not renewed", assumed)
	}
	if p := rec.PeakInFlight(); p != 1 {
		t.Errorf("peak in flight %d, want 1", p)
	}
}

// TestCollectMalformedAnswer: an answer the SDK cannot decode is reported
// as failed and the rest of the region is collected.
func TestCollectMalformedAnswer(t *testing.T) {
	srv := newFakeAWS(t, "testdata")
	srv.Fault = func(r fakeReq) string {
		if r.Key() == "ec2:DescribeSubnets" || r.Key() == "organizations:ListRoots" {
			return "malformed"
		}
		return ""
	}
	opts := testOptions(t, srv, mgmt)
	opts.Regions = []string{"us-east-1"}
	opts.services = []Service{{Name: "ec2", Run: runEC2}}
	rec := collect.NewRecorder(nil)
	mem := &collect.Mem{}
	if err := Collect(context.Background(), opts, mem, rec, nil); err != nil {
		t.Fatal(err)
	}
	fails := rec.Failures()
	if len(fails) != 2 || fails[0].Call != "ec2:DescribeSubnets" || fails[1].Call != "organizations:ListRoots" ||
		fails[0].Kind != collect.Failed || fails[1].Kind != collect.Failed || fails[0].Err == "" {
		t.Fatalf("failures %v, want the two malformed answers as failed", fails)
	}
	t.Log(fails)
	var types []string
	for _, name := range mem.Names() {
		var snap configSnapshot
		if strings.Contains(name, "/ConfigSnapshot/") && json.Unmarshal(mem.File(name), &snap) == nil {
			for _, it := range snap.Items {
				if !slices.Contains(types, it.ResourceType) {
					types = append(types, it.ResourceType)
				}
			}
		}
	}
	if slices.Contains(types, "AWS::EC2::Subnet") || !slices.Contains(types, "AWS::EC2::VPC") || !slices.Contains(types, "AWS::EC2::Instance") {
		t.Errorf("types collected %v: want no subnet, the rest of the region", types)
	}
}

// TestCollectNoCredentials: refused credentials give one error naming AWS
// and what to configure.
func TestCollectNoCredentials(t *testing.T) {
	srv := newFakeAWS(t, "testdata")
	opts := testOptions(t, srv, mgmt)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAEXPIREDKEY000000")
	err := Collect(context.Background(), opts, &collect.Mem{}, collect.NewRecorder(nil), nil)
	if !errors.Is(err, ErrCredentials) {
		t.Fatalf("error %v, want ErrCredentials", err)
	}
	msg := err.Error()
	for _, want := range []string{"aws: no usable credentials", "InvalidClientTokenId", "AWS_PROFILE", "AWS_ACCESS_KEY_ID"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q does not say %q", msg, want)
		}
	}
	if strings.Count(msg, "\n") > 0 || len(msg) > 400 {
		t.Errorf("message is not one short line: %q", msg)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d requests after the refused credentials, want 1 (GetCallerIdentity only)", n)
	}
	// No credentials at all: the chain's own message, same advice.
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	err = Collect(context.Background(), opts, &collect.Mem{}, collect.NewRecorder(nil), nil)
	if !errors.Is(err, ErrCredentials) || !strings.Contains(err.Error(), "AWS_PROFILE") {
		t.Fatalf("without credentials: %v", err)
	}
	// A profile that does not exist is named.
	opts.Profile = "vigil-no-such-profile"
	err = Collect(context.Background(), opts, &collect.Mem{}, collect.NewRecorder(nil), nil)
	if !errors.Is(err, ErrCredentials) || !strings.Contains(err.Error(), "vigil-no-such-profile") {
		t.Fatalf("with a missing profile: %v", err)
	}
	t.Log(err)
}

func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	return files
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// readSnapshot reads the account's configuration snapshot of a region.
func readSnapshot(t *testing.T, dir, acct, region string) []map[string]any {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "aws", acct, "AWSLogs", acct, "Config", region, "*", "*", "*", "ConfigSnapshot", "*.json"))
	if len(files) != 1 {
		t.Fatalf("%d snapshots for %s %s, want 1", len(files), acct, region)
	}
	var snap struct {
		Items []map[string]any `json:"configurationItems"`
	}
	readJSON(t, files[0], &snap)
	return snap.Items
}

func findItem(items []map[string]any, typ, id string) map[string]any {
	for _, it := range items {
		if it["resourceType"] == typ && it["resourceId"] == id {
			return it
		}
	}
	return nil
}

func hasItem(items []map[string]any, typ, id string) bool { return findItem(items, typ, id) != nil }
