package importer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

func byID(inv *Inventory) map[string]*resource.Resource {
	m := make(map[string]*resource.Resource, len(inv.Resources))
	for _, r := range inv.Resources {
		m[r.ID] = r
	}
	return m
}

func TestLoadMixedDirectory(t *testing.T) {
	dir := filepath.Join("testdata", "mixed")
	inv, err := Load(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	skipped := map[string]string{}
	for _, s := range inv.Skipped {
		skipped[filepath.Base(s.Path)] = s.Reason
	}
	for _, name := range []string{"README.md", "cloudtrail-digest.json", "package.json", "other.csv"} {
		if skipped[name] == "" {
			t.Errorf("%s not skipped (skipped: %v)", name, skipped)
		}
	}
	if len(inv.Errors) != 1 {
		t.Fatalf("errors: %+v", inv.Errors)
	}
	e := inv.Errors[0]
	if filepath.Base(e.Path) != "broken-snapshot.json" || e.Offset == 0 {
		t.Errorf("error should name the file and a byte offset: %+v", e)
	}
	// The offset points into the line with the missing comma.
	if !strings.Contains(e.Error(), "broken-snapshot.json: at byte") {
		t.Errorf("error text: %s", e.Error())
	}
	// The gzip snapshot is still imported.
	if inv.Files["aws-config"] != 1 {
		t.Errorf("files: %v", inv.Files)
	}
	m := byID(inv)
	if _, ok := m["arn:aws:ec2:us-east-1:111122223333:volume/vol-0gz"]; !ok {
		t.Error("gzip snapshot not imported")
	}
	if inv.Classes["queue"] != 2 || inv.Unsupported["AWS::SNS::Topic"] != 0 {
		t.Errorf("SNS topics: classes %v, unsupported %v", inv.Classes, inv.Unsupported)
	}
	if acct := m["aws-account/111122223333"]; acct == nil || acct.Class != resource.ClassAccount {
		t.Error("account resource not synthesized")
	}
}

func TestLoadErrorOffset(t *testing.T) {
	data := []byte("{\"configurationItems\": [\n  {\"resourceType\": \"AWS::S3::Bucket\",, \"awsRegion\": \"x\"}]}")
	fr := parseData(context.Background(), "x.json", data)
	if fr.err == nil {
		t.Fatal("no error")
	}
	want := int64(bytes.Index(data, []byte(",,")))
	if fr.err.Offset < want || fr.err.Offset > want+2 {
		t.Errorf("offset %d, want about %d", fr.err.Offset, want)
	}
}

func TestLoadMergesConfigAndCredentialReport(t *testing.T) {
	aws := filepath.Join("awsconfig", "testdata")
	inv, err := Load(context.Background(), []string{filepath.Join(aws, "snapshot.json"), filepath.Join(aws, "credential-report.csv")}, KeepRaw())
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Errors) != 0 {
		t.Fatalf("errors: %+v", inv.Errors)
	}
	m := byID(inv)
	alice := m["arn:aws:iam::111122223333:user/alice"]
	if alice == nil {
		t.Fatal("alice missing")
	}
	id := alice.Facts.Identity
	if id.Admin == nil || !*id.Admin || id.MFAEnabled == nil || *id.MFAEnabled || len(id.AccessKeys) != 2 {
		t.Errorf("merged alice: %+v", id)
	}
	if !strings.Contains(alice.Source, "snapshot.json") || !strings.Contains(alice.Source, "credential-report.csv") {
		t.Errorf("source: %q", alice.Source)
	}
	if alice.Raw["configuration"] == nil || alice.Raw["mfa_active"] == nil {
		t.Error("raw attributes not merged")
	}
	n := 0
	for _, r := range inv.Resources {
		if r.ID == "arn:aws:iam::111122223333:user/alice" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("alice appears %d times", n)
	}
	if root := m["arn:aws:iam::111122223333:root"]; root == nil || root.Facts.Identity.Kind != "root" {
		t.Error("root identity missing")
	}
	if inv.Files["aws-config"] != 1 || inv.Files["aws-credential-report"] != 1 {
		t.Errorf("files: %v", inv.Files)
	}
}

func TestLoadMissingPath(t *testing.T) {
	inv, err := Load(context.Background(), []string{filepath.Join("testdata", "does-not-exist")})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Errors) != 1 || !strings.Contains(inv.Errors[0].Path, "does-not-exist") {
		t.Errorf("errors: %+v", inv.Errors)
	}
}

func TestLoadCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Load(ctx, []string{"testdata"}); err == nil {
		t.Error("want an error for a cancelled context")
	}
}

func TestLoadAzureMergesCaseInsensitively(t *testing.T) {
	dir := t.TempDir()
	a := `{"count":1,"data":[{"id":"/subscriptions/S1/resourceGroups/RG/providers/Microsoft.Storage/storageAccounts/st1","name":"st1","type":"microsoft.storage/storageaccounts","subscriptionId":"s1","location":"westeurope","properties":{"allowBlobPublicAccess":false}}],"skip_token":null,"total_records":1}`
	b := `[{"id":"/subscriptions/s1/resourcegroups/rg/providers/microsoft.storage/storageaccounts/st1","name":"st1","type":"Microsoft.Storage/storageAccounts","properties":{"supportsHttpsTrafficOnly":true}}]`
	writeFile(t, filepath.Join(dir, "a.json"), a)
	writeFile(t, filepath.Join(dir, "b.json"), b)
	inv, err := Load(context.Background(), []string{dir, filepath.Join("azure", "testdata")})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Errors) != 0 || inv.Files["azure-resource-graph"] != 8 { // a.json, b.json and the six fixtures
		t.Fatalf("errors %+v files %v", inv.Errors, inv.Files)
	}
	var st []*resource.Resource
	for _, r := range inv.Resources {
		if strings.EqualFold(r.ID, "/subscriptions/s1/resourceGroups/RG/providers/Microsoft.Storage/storageAccounts/st1") {
			st = append(st, r)
		}
	}
	if len(st) != 1 {
		t.Fatalf("storage account appears %d times", len(st))
	}
	s := st[0].Facts.Storage
	if s.PublicAccessBlocked == nil || !*s.PublicAccessBlocked || s.SecureTransportOnly == nil || !*s.SecureTransportOnly {
		t.Errorf("merged facts: %+v", s)
	}
	if inv.Unsupported["microsoft.web/sites"] != 1 {
		t.Errorf("unsupported: %v", inv.Unsupported)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadGCPNDJSONWithBadLine(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join("gcp", "testdata", "assets.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(src), "\n")
	// Break line 5 and split the export in two files, as a multi-part
	// export is: the iam_policy lines still merge with their resources.
	lines[4] = `{"name": "//storage.googleapis.com/acme-logs", "asset_type": ` + "\n"
	writeFile(t, filepath.Join(dir, "part-1.json"), strings.Join(lines[:12], ""))
	writeFile(t, filepath.Join(dir, "part-2.json"), strings.Join(lines[12:], ""))
	inv, err := Load(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Errors) != 1 || inv.Errors[0].Line != 5 || filepath.Base(inv.Errors[0].Path) != "part-1.json" {
		t.Fatalf("errors: %+v", inv.Errors)
	}
	if !strings.HasPrefix(inv.Errors[0].Error(), filepath.Join(dir, "part-1.json")+":5: ") {
		t.Errorf("error text: %s", inv.Errors[0].Error())
	}
	if inv.Files["gcp-cloud-asset"] != 2 || inv.Classes["queue"] != 1 {
		t.Errorf("files %v classes %v", inv.Files, inv.Classes)
	}
	m := byID(inv)
	pub := m["//storage.googleapis.com/acme-public-web"]
	if pub == nil || pub.Facts.Storage.PublicAccess == nil || !*pub.Facts.Storage.PublicAccess || pub.Facts.Storage.UniformAccess == nil {
		t.Fatalf("merged public bucket: %+v", pub)
	}
	// The broken line was acme-logs' resource line: its policy line still
	// made a bucket, with only what the policy decides.
	logs := m["//storage.googleapis.com/acme-logs"]
	if logs == nil || logs.Facts.Storage.PublicAccess == nil || logs.Facts.Storage.Versioning != nil {
		t.Errorf("acme-logs: %+v", logs)
	}
	proj := m["//cloudresourcemanager.googleapis.com/projects/487615239784"]
	if proj == nil || proj.Account != "acme-prod" || proj.Facts.Account.AuditLogging == nil || !*proj.Facts.Account.AuditLogging {
		t.Errorf("project: %+v", proj)
	}
	for _, r := range inv.Resources {
		if r.Provider == resource.GCP && r.Account != "acme-prod" {
			t.Errorf("%s has account %q", r.ID, r.Account)
		}
	}
}

func TestDetection(t *testing.T) {
	asset := `{"name":"//storage.googleapis.com/b","asset_type":"storage.googleapis.com/Bucket","resource":{"data":{"name":"b"}},"ancestors":["projects/1"]}`
	cases := []struct {
		name, data string
		format     string // "" when skipped
		errLine    int
		resources  int
	}{
		{"single-line asset", asset, "gcp-cloud-asset", 0, 1},
		{"asset with BOM and blank lines", "\ufeff\n\n" + asset + "\n" + asset + "\n{oops\n", "gcp-cloud-asset", 5, 2},
		{"pretty single asset", "{\"name\": \"//storage.googleapis.com/b\", \"asset_type\": \"storage.googleapis.com/Bucket\",\n \"resource\": {\"data\": {}}}\n", "gcp-cloud-asset", 0, 1},
		{"NDJSON of other objects", "{\"a\":1}\n{\"b\":2}\n", "", 0, 0},
		{"JSON array of config items", `[{"resourceType":"AWS::EC2::VPC","awsRegion":"us-east-1","awsAccountId":"111122223333","resourceId":"vpc-1","configuration":{"isDefault":true}}]`, "aws-config", 0, 1},
		{"password policy", `{"PasswordPolicy":{"MinimumPasswordLength":14}}`, "aws-password-policy", 0, 1},
		{"azure bare row", `{"id":"/subscriptions/s/resourceGroups/r/providers/Microsoft.KeyVault/vaults/v","type":"microsoft.keyvault/vaults","properties":{}}`, "azure-resource-graph", 0, 1},
		{"text", "hello\n", "", 0, 0},
		{"empty", " \n", "", 0, 0},
		{"csv", "a,b\n1,2\n", "", 0, 0},
	}
	for _, c := range cases {
		fr := parseData(context.Background(), c.name, []byte(c.data))
		if fr.err != nil {
			t.Errorf("%s: error %v", c.name, fr.err)
			continue
		}
		if fr.format != c.format || (c.format == "") != (fr.skip != "") {
			t.Errorf("%s: format %q skip %q, want %q", c.name, fr.format, fr.skip, c.format)
			continue
		}
		if fr.res == nil {
			continue
		}
		n := 0
		for _, r := range fr.res.Resources {
			if r.Class != resource.ClassIAMBinding && r.Class != resource.ClassAuditLog {
				n++
			}
		}
		if n != c.resources {
			t.Errorf("%s: %d resources, want %d", c.name, n, c.resources)
		}
		if c.errLine > 0 && (len(fr.res.Problems) != 1 || fr.res.Problems[0].Line != c.errLine) {
			t.Errorf("%s: problems %+v, want one at line %d", c.name, fr.res.Problems, c.errLine)
		}
	}
}

func TestLoadMergesKeyRotationStatus(t *testing.T) {
	aws := filepath.Join("awsconfig", "testdata")
	inv, err := Load(context.Background(), []string{filepath.Join(aws, "snapshot.json"), filepath.Join(aws, "kms-rotation-status.json")})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range inv.Resources {
		if r.ID == "arn:aws:kms:us-east-1:111122223333:key/0a1b2c3d-1111-2222-3333-444455556666" {
			n++
			k := r.Facts.Key
			if k.RotationEnabled == nil || *k.RotationEnabled || k.CustomerManaged == nil || !*k.CustomerManaged {
				t.Errorf("merged key: %+v", k)
			}
		}
	}
	if n != 1 || inv.Files["aws-kms-key-rotation-status"] != 1 {
		t.Errorf("key appears %d times; files %v", n, inv.Files)
	}
}

func TestLoadTruncatedSnapshotKeepsCompleteItems(t *testing.T) {
	full, err := os.ReadFile(filepath.Join("awsconfig", "testdata", "snapshot.json"))
	if err != nil {
		t.Fatal(err)
	}
	// Cut inside the RDS item (the 11th): the ten before it are complete.
	cut := bytes.Index(full, []byte(`"dBInstanceClass"`))
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "snap.json"), string(full[:cut]))
	inv, err := Load(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Errors) != 1 || inv.Errors[0].Offset == 0 || filepath.Base(inv.Errors[0].Path) != "snap.json" {
		t.Fatalf("errors: %+v", inv.Errors)
	}
	m := byID(inv)
	if m["arn:aws:s3:::acme-public-assets"] == nil || m["arn:aws:ec2:us-east-1:111122223333:vpc/vpc-0def"] == nil {
		t.Error("items before the damage not imported")
	}
	if m["arn:aws:rds:us-east-1:111122223333:db:orders-db"] != nil {
		t.Error("the cut item must not be imported half-read")
	}
	if inv.Files["aws-config"] != 1 {
		t.Errorf("files: %v", inv.Files)
	}
}

func TestSalvage(t *testing.T) {
	for in, want := range map[string]string{
		`{"a":[1,2,{"b":`:          `{"a":[1,2]}`,
		`[{"x":1},{"y":2},{"z"`:    `[{"x":1},{"y":2}]`,
		`{"k":"v","o":{"p":1`:      `{"k":"v"}`,
		`{"a":[[1,2],[3,`:          `{"a":[[1,2],[3]]}`,
		`]`:                        `null`,
		`{"a":1,"b":[1,2],"c":tru`: `{"a":1,"b":[1,2]}`,
	} {
		got, err := json.Marshal(salvage([]byte(in)))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("salvage(%s) = %s, want %s", in, got, want)
		}
	}
}

// TestLoadProblemsNameFileResourceAndField: a field of the wrong type is
// reported through the seam with the file, the resource and the field, and
// the rest of the file is still imported.
func TestLoadProblemsNameFileResourceAndField(t *testing.T) {
	dir := t.TempDir()
	snap := `{"fileVersion":"1.0","configSnapshotId":"x","configurationItems":[
{"resourceType":"AWS::EC2::Volume","resourceId":"vol-1","ARN":"arn:aws:ec2:us-east-1:111122223333:volume/vol-1","awsAccountId":"111122223333","awsRegion":"us-east-1","configuration":{"encrypted":"yes","size":8}},
{"resourceType":"AWS::EC2::Volume","resourceId":"vol-2","ARN":"arn:aws:ec2:us-east-1:111122223333:volume/vol-2","awsAccountId":"111122223333","awsRegion":"us-east-1","configuration":{"encrypted":true,"size":8}}]}`
	azure := `[{"id":"/subscriptions/s1/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1","name":"kv1","type":"microsoft.keyvault/vaults","subscriptionId":"s1","properties":{"enableSoftDelete":"yes"}}]`
	writeFile(t, filepath.Join(dir, "snap.json"), snap)
	writeFile(t, filepath.Join(dir, "graph.json"), azure)
	inv, err := Load(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{ // file -> resource
		"snap.json":  "arn:aws:ec2:us-east-1:111122223333:volume/vol-1",
		"graph.json": "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1",
	}
	for _, p := range inv.Errors {
		file := filepath.Base(p.Path)
		if want[file] == "" {
			t.Errorf("unexpected problem %v", p)
			continue
		}
		if !strings.EqualFold(p.Resource, want[file]) || p.Field == "" || !strings.Contains(p.Error(), p.Field) ||
			!strings.HasPrefix(p.Error(), p.Path+": ") {
			t.Errorf("%s: problem %+v (%s) does not name the file, resource and field", file, p, p.Error())
		}
		delete(want, file)
	}
	if len(want) > 0 {
		t.Errorf("no problem reported for %v; errors %+v", want, inv.Errors)
	}
	m := byID(inv)
	if v := m["arn:aws:ec2:us-east-1:111122223333:volume/vol-1"]; v == nil || v.Facts.Disk == nil || v.Facts.Disk.Encrypted != nil {
		t.Errorf("wrong-typed encrypted must leave the fact unknown: %+v", v)
	}
	if v := m["arn:aws:ec2:us-east-1:111122223333:volume/vol-2"]; v == nil || v.Facts.Disk == nil || v.Facts.Disk.Encrypted == nil {
		t.Error("the rest of the file is not imported")
	}
}

// TestReadFileReusesBuffer reads files of several sizes through one buffer,
// as a worker does: each read gives the file's bytes (a shorter file after
// a longer one leaves nothing of it), the buffer is reused, and a missing
// file gives os.ReadFile's error.
func TestReadFileReusesBuffer(t *testing.T) {
	dir := t.TempDir()
	var buf []byte
	for i, n := range []int{5000, 10, 0, 70000, 3} {
		want := bytes.Repeat([]byte{byte('a' + i)}, n)
		path := filepath.Join(dir, "f"+itoa(i))
		if err := os.WriteFile(path, want, 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := readFile(path, buf[:0])
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("file %d: read %d bytes %.10q..., want %d", i, len(got), got, n)
		}
		if i == 1 && &got[:1][0] != &buf[:1][0] {
			t.Fatal("a smaller file did not reuse the buffer")
		}
		buf = got
	}
	missing := filepath.Join(dir, "missing")
	_, err := readFile(missing, buf[:0])
	_, want := os.ReadFile(missing)
	if err == nil || err.Error() != want.Error() {
		t.Fatalf("missing file: %v, want %v", err, want)
	}
}

// TestLoadEmptyLockListing: az lock list's [] saved as
// azure/<subscription>/locks.json is that subscription's empty lock
// listing, so its storage account has no lock (false, not unknown); the
// same [] in a locks.json whose path names no subscription is skipped with
// the reason.
func TestLoadEmptyLockListing(t *testing.T) {
	const sub = "5e0d4c3b-2a19-4f8e-9d7c-6b5a4f3e2d1c"
	dir := t.TempDir()
	subDir := filepath.Join(dir, "azure", sub)
	if err := os.MkdirAll(subDir, 0o755); err != nil {
		t.Fatal(err)
	}
	id := "/subscriptions/" + sub + "/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1"
	writeFile(t, filepath.Join(subDir, "resources.json"), `{"count":1,"data":[{"id":"`+id+`","name":"st1","type":"microsoft.storage/storageaccounts","subscriptionId":"`+sub+`","location":"westeurope","properties":{}}]}`)
	writeFile(t, filepath.Join(subDir, "locks.json"), "[]\n")
	writeFile(t, filepath.Join(dir, "locks.json"), `{"value": []}`)
	inv, err := Load(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	st := byID(inv)[id]
	if st == nil || st.Facts.Storage == nil {
		t.Fatalf("storage account not imported: %v", inv.Resources)
	}
	if s := st.Facts.Storage; s.DeleteLock == nil || *s.DeleteLock || s.ReadOnlyLock == nil || *s.ReadOnlyLock {
		t.Errorf("delete/read-only lock %v/%v, want false/false", s.DeleteLock, s.ReadOnlyLock)
	}
	if len(inv.Skipped) != 1 || !strings.Contains(fmt.Sprint(inv.Skipped), "directory named after the subscription") {
		t.Errorf("skipped %v, want the top-level locks.json with its reason", inv.Skipped)
	}
}
