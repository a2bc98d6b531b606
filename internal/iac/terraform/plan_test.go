package terraform

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/iac/tfmap"
	"github.com/vigil-sec/vigil/internal/source"
)

// planInstances decodes the plan or state JSON file rel under root and
// returns its instances.
func planInstances(t testing.TB, root, rel string) (*planDoc, []tfmap.Instance) {
	t.Helper()
	src, err := readPlanFile(root, rel)
	if err != nil {
		t.Fatal(err)
	}
	d, err := decodePlan(src, rel)
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	return d, d.instances(newLoader(root))
}

// checkGolden compares got (as indented JSON) with the golden file,
// rewriting it with -update.
func checkGolden(t *testing.T, golden string, got any) {
	t.Helper()
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	if *update {
		if err := os.WriteFile(golden, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(want, b) {
		t.Errorf("%s differs from what was read (run with -update after checking):\n%s", golden, b)
	}
}

func instanceByAddr(insts []tfmap.Instance, addr string) *tfmap.Instance {
	for i := range insts {
		if insts[i].Address == addr {
			return &insts[i]
		}
	}
	return nil
}

// TestPlanGolden reads a plan whose root module's .tf files are beside
// it: values from planned_values, unknowns from after_unknown with the
// references of the configuration section, deleted and deposed objects
// left out, data sources from the prior state, regions from the provider
// configurations, locations at the HCL blocks with module call sites.
func TestPlanGolden(t *testing.T) {
	d, insts := planInstances(t, "testdata", "plan/plan.json")
	if d.format != formatPlan {
		t.Fatalf("format %q, want %q", d.format, formatPlan)
	}
	checkGolden(t, filepath.Join("testdata", "plan.golden"), insts)

	// The facts the golden file holds, said explicitly.
	if instanceByAddr(insts, "aws_s3_bucket.old") != nil {
		t.Error("a resource the plan deletes is read")
	}
	pab := instanceByAddr(insts, "aws_s3_bucket_public_access_block.data")
	if pab == nil {
		t.Fatal("aws_s3_bucket_public_access_block.data missing")
	}
	if u, ok := pab.Attrs["bucket"].(tfmap.Unknown); !ok || len(u.Refs) != 1 || u.Refs[0] != "aws_s3_bucket.data" {
		t.Errorf("public access block bucket = %#v, want Unknown{aws_s3_bucket.data}", pab.Attrs["bucket"])
	}
	if pab.Attrs["block_public_acls"] != true || pab.Region != "us-west-2" {
		t.Errorf("public access block: block_public_acls %v region %q", pab.Attrs["block_public_acls"], pab.Region)
	}
	if l := pab.Location; l.File != "plan/main.tf" || l.StartLine != 26 || l.EndLine != 33 {
		t.Errorf("public access block location %+v, want plan/main.tf:26-33", l)
	}
	logs := instanceByAddr(insts, "aws_s3_bucket.logs[1]")
	if logs == nil || logs.Attrs["bucket"] != "logs-1" || logs.Region != "eu-central-1" {
		t.Fatalf("aws_s3_bucket.logs[1] = %+v, want bucket logs-1 in the plan's var.region eu-central-1", logs)
	}
	// Computed attributes the configuration does not set are absent, as
	// in HCL (the provider's defaults apply), not unknown.
	for _, a := range []string{"arn", "id", "versioning"} {
		if v, set := logs.Attrs[a]; set {
			t.Errorf("logs %s = %#v, want absent (computed, not configured)", a, v)
		}
	}
	ver := instanceByAddr(insts, "aws_s3_bucket_versioning.data")
	vc, _ := ver.Attrs["versioning_configuration"].([]any)
	if len(vc) != 1 {
		t.Fatalf("versioning_configuration = %#v", ver.Attrs["versioning_configuration"])
	}
	if m, _ := vc[0].(map[string]any); m["status"] != "Enabled" {
		t.Errorf("versioning status = %#v", vc[0])
	} else if _, ok := m["mfa_delete"].(tfmap.Unknown); !ok {
		t.Errorf("nested unknown mfa_delete = %#v", m["mfa_delete"])
	}
	pol := instanceByAddr(insts, `module.store["a"].aws_s3_bucket_policy.this`)
	if pol == nil {
		t.Fatal("module resource missing")
	}
	if u, ok := pol.Attrs["policy"].(tfmap.Unknown); !ok || len(u.Refs) != 1 || u.Refs[0] != `module.store["a"].aws_s3_bucket.this` {
		t.Errorf("module policy = %#v, want Unknown{module.store[\"a\"].aws_s3_bucket.this}", pol.Attrs["policy"])
	}
	if l := pol.Location; l.File != "plan/modules/store/main.tf" || l.StartLine != 12 || l.EndLine != 18 || len(l.Calls) != 1 ||
		l.Calls[0].File != "plan/main.tf" || l.Calls[0].StartLine != 43 || l.Calls[0].Address != `module.store["a"]` {
		t.Errorf("module policy location %+v", l)
	}
	if me := instanceByAddr(insts, "data.aws_caller_identity.me"); me == nil || me.Mode != "data" || me.Attrs["account_id"] != "123456789012" {
		t.Errorf("data source from the prior state = %+v", me)
	}
}

// TestStateGolden reads a state with no .tf files beside it: exact values,
// child modules, deposed objects left out, locations at the state file.
func TestStateGolden(t *testing.T) {
	d, insts := planInstances(t, "testdata", "state/state.json")
	if d.format != formatState {
		t.Fatalf("format %q, want %q", d.format, formatState)
	}
	checkGolden(t, filepath.Join("testdata", "state.golden"), insts)
	if len(insts) != 3 {
		t.Fatalf("%d instances, want 3 (the deposed object left out)", len(insts))
	}
	sg := instanceByAddr(insts, "module.net.aws_security_group.web[0]")
	if sg == nil || sg.Region != "eu-west-1" || sg.Location.File != "state/state.json" || sg.Location.Address != sg.Address {
		t.Fatalf("security group = %+v", sg)
	}
	if in, _ := sg.Attrs["ingress"].([]any); len(in) != 1 {
		t.Errorf("ingress = %#v", sg.Attrs["ingress"])
	}
}

// TestPlanBatch maps a plan through tfmap: the split resources join the
// bucket they configure although its ID is unknown.
func TestPlanBatch(t *testing.T) {
	b := readPlan(context.Background(), "testdata", "plan/plan.json", nil)
	if b.Format != formatPlan {
		t.Fatalf("batch %+v", b)
	}
	for _, p := range b.Problems {
		t.Logf("problem: %s", p.Error())
	}
	var found bool
	for _, r := range b.Resources {
		if r.Location != nil && r.Location.Address == "aws_s3_bucket.data" {
			found = true
			if r.Facts.Storage == nil {
				t.Fatalf("aws_s3_bucket.data has no storage facts: %+v", r)
			}
			if r.Region != "us-west-2" {
				t.Errorf("region %q", r.Region)
			}
		}
	}
	if !found {
		t.Fatalf("aws_s3_bucket.data not among %d resources", len(b.Resources))
	}
	for id, typ := range b.Unsupported {
		if strings.Contains(id, "public_access_block.data") || strings.Contains(id, "versioning.data") {
			t.Errorf("split resource %s (%s) was not joined", id, typ)
		}
	}
	st := readPlan(context.Background(), "testdata", "state/state.json", nil)
	if st.Format != formatState || len(st.Resources) == 0 {
		t.Fatalf("state batch %+v", st)
	}
}

func TestIsPlanJSON(t *testing.T) {
	for _, c := range []struct {
		head string
		want bool
	}{
		{`{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{}}`, true},
		{`{"format_version":"1.0","values":{"root_module":{}}}`, true},
		{"\ufeff {\n \"variables\": {\"a\": {\"value\": {\"format_version\": 1}}}, \"format_version\": \"1.2\", \"resource_changes\": [", true},
		// the head is cut inside a large variables section
		{`{"format_version":"1.2","terraform_version":"1.9.5","variables":{"x":{"value":"` + strings.Repeat("a", 100), true},
		{`{"format_version":"1.0"}`, false},
		{`{"AWSTemplateFormatVersion":"2010-09-09","Resources":{}}`, false},
		{`{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#","resources":[]}`, false},
		{`{"nested":{"format_version":"1","values":{}}}`, false},
		{`[{"format_version":"1.2","values":{}}]`, false},
		{``, false},
		{`not json`, false},
	} {
		if got := isPlanJSON([]byte(c.head)); got != c.want {
			t.Errorf("isPlanJSON(%.60q) = %v, want %v", c.head, got, c.want)
		}
	}
}

// TestPlanBadInput: a file that does not decode is one problem naming the
// file and line; nothing is guessed.
func TestPlanBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("truncated.json", "{\n  \"format_version\": \"1.2\",\n  \"planned_values\": {\n    \"root_module\": {\n")
	write("future.json", `{"format_version":"9.0","planned_values":{}}`)
	write("wrongtype.json", "{\"format_version\":\"1.2\",\n\"resource_changes\": {\"a\": 1}}")
	write("notplan.json", `{"format_version":"1.2","something":{}}`)
	for _, c := range []struct{ file, want string }{
		{"truncated.json", "unexpected end"},
		{"future.json", "format"},
		{"wrongtype.json", "cannot unmarshal"},
		{"absent.json", "no such file"},
	} {
		b := readPlan(context.Background(), dir, c.file, nil)
		if b.Format != "" || len(b.Resources) != 0 || len(b.Problems) != 1 {
			t.Errorf("%s: batch %+v, want one problem and no format", c.file, b)
			continue
		}
		p := b.Problems[0]
		if p.Path != c.file || !strings.Contains(p.Err, c.want) {
			t.Errorf("%s: problem %q, want path %s and %q", c.file, p.Error(), c.file, c.want)
		}
	}
	if b := readPlan(context.Background(), dir, "notplan.json", nil); b.Skipped == "" || b.Format != "" || len(b.Problems) != 0 {
		t.Errorf("notplan.json: batch %+v, want skipped", b)
	}
	if b := readPlan(context.Background(), dir, "wrongtype.json", nil); len(b.Problems) == 1 && b.Problems[0].Line != 2 {
		t.Errorf("wrongtype.json: line %d, want 2", b.Problems[0].Line)
	}
}

// TestPlanHostile: deeply nested values, a module address that does not
// parse, references that are not addresses, a large plan: read without a
// crash, in bounded time.
func TestPlanHostile(t *testing.T) {
	dir := t.TempDir()
	deep := strings.Repeat(`{"a":`, 5000) + "1" + strings.Repeat("}", 5000)
	deepUnknown := strings.Repeat(`{"a":`, 5000) + "true" + strings.Repeat("}", 5000)
	doc := `{"format_version":"1.2","planned_values":{"root_module":{"resources":[
	 {"address":"module.[\"x.aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","values":{"v":` + deep + `}}],
	 "child_modules":[{"address":"module.x[","resources":[{"address":"module.x[.a.b","mode":"managed","type":"a","name":"b"}]}]}},
	"resource_changes":[{"address":"module.[\"x.aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b",
	 "change":{"actions":["create"],"after":{},"after_unknown":{"v":` + deepUnknown + `,"w":[true,[true,{"x":true}]]}}}],
	"configuration":{"root_module":{"resources":[{"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b",
	 "expressions":{"v":{"references":["..", "aws_s3_bucket", "data.x", "module.", "aws_s3_bucket.b[\"k\"].id", "aws_s3_bucket.b"]}}}]}}}`
	if err := os.WriteFile(filepath.Join(dir, "deep.json"), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	var big strings.Builder
	big.WriteString(`{"format_version":"1.0","values":{"root_module":{"resources":[`)
	for i := 0; i < 50000; i++ {
		if i > 0 {
			big.WriteByte(',')
		}
		big.WriteString(`{"address":"aws_s3_bucket.b[` + strconv.Itoa(i) + `]","mode":"managed","type":"aws_s3_bucket","name":"b","index":` + strconv.Itoa(i) + `,"values":{"bucket":"b` + strconv.Itoa(i) + `","acl":"private"}}`)
	}
	big.WriteString(`]}}}`)
	if err := os.WriteFile(filepath.Join(dir, "big.json"), []byte(big.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for _, f := range []string{"deep.json", "big.json"} {
		b := readPlan(context.Background(), dir, f, nil)
		t.Logf("%s: format %q, %d resources, %d problems", f, b.Format, len(b.Resources), len(b.Problems))
		if b.Format == "" {
			t.Errorf("%s: not read: %v", f, b.Problems)
		}
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("hostile plans took %v", d)
	}
}

// FuzzPlan: any bytes detected and decoded as a plan or state never crash
// the reader. Seeds are small plan and state samples of testdata (large
// seeds make Go's fuzzing engine crawl).
func FuzzPlan(f *testing.F) {
	for _, s := range []string{"seeds/plan-small.json", "seeds/state-small.json", "seeds/state-raw.tfstate"} {
		b, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(s)))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"format_version":"1.2","resource_changes":[{"address":"a.b","change":{"actions":["create"],"after":{"x":1},"after_unknown":{"x":[true]}}}]}`))
	l := newLoader("testdata")
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = isPlanJSON(b)
		d, err := decodePlan(b, "plan/fuzz.json")
		if err != nil {
			_ = jsonErrProblem("plan/fuzz.json", b, err)
			return
		}
		insts := d.instances(l)
		_, _, _ = tfmap.Map(context.Background(), insts)
	})
}

// BenchmarkPlan reads the sample plan (decode, walk, HCL locations, tfmap).
func BenchmarkPlan(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if bt := readPlan(context.Background(), "testdata", "plan/plan.json", nil); bt.Format == "" {
			b.Fatal(bt.Problems)
		}
	}
}

// TestSourcePlans: New reads plan and state files among the files, and a
// plan stands for the root module of its directory (not evaluated from
// HCL again), while the other roots are still evaluated.
func TestSourcePlans(t *testing.T) {
	files := []string{"plan/main.tf", "plan/modules/store/main.tf", "plan/plan.json", "state/state.json", "tree/prod/main.tf"}
	var got []string
	err := New("testdata", files, Options{}).Read(context.Background(), func(b source.Batch) error {
		got = append(got, b.Input+" "+b.Format)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"tree/prod terraform", "plan/plan.json terraform-plan", "state/state.json terraform-state"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("batches %q, want %q", got, want)
	}
	head, _ := os.ReadFile(filepath.Join("testdata", "plan", "plan.json"))
	if !Detect("plan/plan.json", head[:min(len(head), 8<<10)]) || Detect("x.json", []byte(`{"Resources":{}}`)) {
		t.Error("Detect does not tell plan JSON by content")
	}
}

// TestPlanMatchesHCL: the root module of testdata/plan read from its .tf
// files and from its plan gives the same facts and locations wherever the
// plan has no value HCL lacks (here: everywhere but the region, which the
// plan's var.region sets).
func TestPlanMatchesHCL(t *testing.T) {
	collect := func(files []string) map[string]string {
		out := map[string]string{}
		err := New(filepath.Join("testdata", "plan"), files, Options{}).Read(context.Background(), func(b source.Batch) error {
			for _, r := range b.Resources {
				facts, _ := json.Marshal(r.Facts)
				out[r.Location.Address] = r.Type + " " + r.Location.File + ":" + strconv.Itoa(r.Location.StartLine) + " " + string(facts)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	hcl := collect([]string{"main.tf", "modules/store/main.tf"})
	plan := collect([]string{"main.tf", "modules/store/main.tf", "plan.json"})
	if len(hcl) == 0 || len(hcl) != len(plan) {
		t.Fatalf("HCL read %d resources, the plan %d", len(hcl), len(plan))
	}
	for addr, h := range hcl {
		if plan[addr] != h {
			t.Errorf("%s:\n  HCL  %s\n  plan %s", addr, h, plan[addr])
		}
	}
}

// TestPlanPreciseRefs: the configuration section names aws_s3_bucket.logs
// for aws_s3_bucket.logs[count.index]; the HCL beside the plan names the
// instance, so each public access block joins its own bucket.
func TestPlanPreciseRefs(t *testing.T) {
	_, insts := planInstances(t, "testdata", "plan/plan.json")
	pab := instanceByAddr(insts, "aws_s3_bucket_public_access_block.logs[1]")
	if u, ok := pab.Attrs["bucket"].(tfmap.Unknown); !ok || strings.Join(u.Refs, ",") != "aws_s3_bucket.logs" {
		t.Fatalf("plan alone: %#v, want Unknown{aws_s3_bucket.logs}", pab.Attrs["bucket"])
	}
	hclInsts, _ := evaluate(t, filepath.Join("testdata", "plan"), Options{})
	known := map[string]*tfmap.Instance{}
	for i := range hclInsts {
		known[hclInsts[i].Address] = &hclInsts[i]
	}
	fillFromHCL(insts, known)
	if u, ok := pab.Attrs["bucket"].(tfmap.Unknown); !ok || strings.Join(u.Refs, ",") != "aws_s3_bucket.logs[1]" {
		t.Errorf("with HCL: %#v, want Unknown{aws_s3_bucket.logs[1]}", pab.Attrs["bucket"])
	}
	if pab.Attrs["block_public_acls"] != false {
		t.Errorf("the plan's exact value was replaced: %#v", pab.Attrs["block_public_acls"])
	}
}

// TestOnePlanPerRoot: of a state and a plan in the same directory, the
// plan is read and the state skipped, saying why (same resource IDs).
func TestOnePlanPerRoot(t *testing.T) {
	dir := t.TempDir()
	for src, dst := range map[string]string{"plan/plan.json": "z-plan.json", "state/state.json": "a-state.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(src)))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, dst), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	err := New(dir, []string{"a-state.json", "z-plan.json"}, Options{}).Read(context.Background(), func(b source.Batch) error {
		got = append(got, b.Input+" "+b.Format+" "+b.Skipped)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != "z-plan.json terraform-plan " || !strings.HasPrefix(got[1], "a-state.json  another plan or state") {
		t.Errorf("batches %q", got)
	}
}

// TestRawState reads a state as Terraform writes it (terraform.tfstate,
// version 4): detected by content, the same instances as the JSON of the
// same state (terraform show -json: testdata/state/state.json), deposed
// objects left out, data sources, for_each keys in module and resource
// addresses, regions from the values.
func TestRawState(t *testing.T) {
	const rel = "rawstate/terraform.tfstate"
	src, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	if !Detect(rel, src[:min(len(src), 8<<10)]) {
		t.Fatal("terraform.tfstate not detected")
	}
	if Detect("rawstate/terraform.tfstate.backup", src) {
		t.Error("a state backup is read")
	}
	d, insts := planInstances(t, "testdata", rel)
	if d.format != formatState {
		t.Fatalf("format %q, want %q", d.format, formatState)
	}
	_, fromJSON := planInstances(t, "testdata", "state/state.json")
	for _, want := range fromJSON {
		got := instanceByAddr(insts, want.Address)
		if got == nil {
			t.Errorf("%s: not read from the raw state", want.Address)
			continue
		}
		if got.Location.File != rel {
			t.Errorf("%s: location %+v", got.Address, got.Location)
		}
		got.Location.File, want.Location.File = "", ""
		if g, w := mustJSON(t, got), mustJSON(t, want); g != w {
			t.Errorf("%s differs from the state JSON:\n got %s\nwant %s", want.Address, g, w)
		}
	}
	if instanceByAddr(insts, "module.net.aws_s3_bucket.old") != nil {
		t.Error("a deposed object is read")
	}
	v := instanceByAddr(insts, `module.store["assets"].aws_s3_bucket_versioning.this["main"]`)
	if v == nil || v.Region != "" || v.Mode != "managed" {
		t.Fatalf("for_each instance in a for_each module: %+v (addresses %v)", v, addrs(insts))
	}
	if c := instanceByAddr(insts, "data.aws_caller_identity.current"); c == nil || c.Mode != "data" || c.Attrs["account_id"] != "123456789012" {
		t.Errorf("data source: %+v", c)
	}
	if len(insts) != 5 {
		t.Errorf("%d instances, want 5: %v", len(insts), addrs(insts))
	}
	// Mapped by tfmap like the state JSON: the public access block (one
	// setting of four off) joins the bucket, the SSH rule is open to the
	// internet.
	b := readPlan(context.Background(), "testdata", rel, nil)
	if b.Format != formatState || len(b.Problems) != 0 {
		t.Fatalf("batch: format %q, problems %v", b.Format, b.Problems)
	}
	var bucket, sg bool
	for _, r := range b.Resources {
		switch r.Location.Address {
		case "aws_s3_bucket.logs":
			st := r.Facts.Storage
			bucket = st != nil && st.PublicAccessBlocked != nil && !*st.PublicAccessBlocked && r.Region == "eu-west-1"
		case "module.net.aws_security_group.web[0]":
			sg = r.Facts.Firewall != nil && len(r.Facts.Firewall.Rules) == 1 && r.Facts.Firewall.Rules[0].FromPort == 22
		}
	}
	if !bucket || !sg {
		t.Errorf("mapped: bucket with its public access block %v, security group with its rule %v", bucket, sg)
	}
}

// TestRawStateBadInput: a state of another format version, legacy flat
// attributes, a bad index key and a truncated file are one problem each,
// naming the file (and the resource); nothing is guessed.
func TestRawStateBadInput(t *testing.T) {
	dir := t.TempDir()
	for name, c := range map[string]struct{ doc, want string }{
		"v3.tfstate":    {`{"version": 3, "terraform_version": "0.11.14", "modules": []}`, "format version 3 is not read"},
		"flat.tfstate":  {`{"version": 4, "terraform_version": "0.12.0", "resources": [{"mode": "managed", "type": "aws_s3_bucket", "name": "b", "instances": [{"attributes_flat": {"bucket": "x"}}]}]}`, "aws_s3_bucket.b: attributes only in the legacy flat form"},
		"index.tfstate": {`{"version": 4, "terraform_version": "1.9.5", "resources": [{"mode": "managed", "type": "aws_s3_bucket", "name": "b", "instances": [{"index_key": true, "attributes": {}}]}]}`, "index_key true"},
		"cut.tfstate":   {"{\n  \"version\": 4,\n  \"terraform_version\": \"1.9.5\",\n  \"resources\": [\n", "unexpected end"},
		"types.tfstate": {"{\"version\": 4, \"terraform_version\": \"1.9.5\",\n\"resources\": {}}", "cannot unmarshal"},
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(c.doc), 0o644); err != nil {
			t.Fatal(err)
		}
		if !Detect(name, []byte(c.doc)) {
			t.Errorf("%s: not detected", name)
		}
		b := readPlan(context.Background(), dir, name, nil)
		if b.Format != "" || len(b.Problems) != 1 || b.Problems[0].Path != name || !strings.Contains(b.Problems[0].Err, c.want) {
			t.Errorf("%s: batch %+v, want one problem with %q", name, b, c.want)
		}
	}
	for _, head := range []string{`{"version": "4", "terraform_version": "1.9.5"}`, `{"version": 4, "resources": []}`, `{"Version": "2012-10-17", "Statement": []}`} {
		if isPlanJSON([]byte(head)) {
			t.Errorf("isPlanJSON(%s) = true", head)
		}
	}
}

// TestRawStateBesideConfig: a terraform.tfstate in a root module's
// directory stands for it, its findings located at the .tf blocks.
func TestRawStateBesideConfig(t *testing.T) {
	dir := t.TempDir()
	tf := "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"prod-logs\"\n}\n"
	src, err := os.ReadFile(filepath.Join("testdata", "rawstate", "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"main.tf": []byte(tf), "terraform.tfstate": src} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var batches []source.Batch
	if err := New(dir, []string{"main.tf", "terraform.tfstate"}, Options{}).Read(context.Background(), func(b source.Batch) error {
		batches = append(batches, b)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(batches) != 1 || batches[0].Format != formatState {
		t.Fatalf("batches %+v, want the state's only", batches)
	}
	for _, r := range batches[0].Resources {
		if r.Location.Address == "aws_s3_bucket.logs" && (r.Location.File != "main.tf" || r.Location.StartLine != 1 || r.Location.EndLine != 3) {
			t.Errorf("aws_s3_bucket.logs located at %+v, want main.tf:1-3", r.Location)
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func addrs(insts []tfmap.Instance) []string {
	out := make([]string, len(insts))
	for i := range insts {
		out[i] = insts[i].Address
	}
	return out
}

// TestPlanProviderAccounts: a plan's configuration section gives each
// instance its provider configuration's account: a constant or a root
// variable's planned value of allowed_account_ids (one entry), the last
// assume_role's role ARN, Azure's subscription_id; more than one allowed
// account, or a value the plan does not have, leaves it unknown.
func TestPlanProviderAccounts(t *testing.T) {
	plan := `{"format_version":"1.2","terraform_version":"1.9.0",
 "variables":{"acct":{"value":["111111111111"]},"sub":{"value":"00000000-0000-0000-0000-000000000001"}},
 "planned_values":{"root_module":{"resources":[
  {"address":"aws_s3_bucket.a","mode":"managed","type":"aws_s3_bucket","name":"a","values":{"bucket":"a"}},
  {"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","values":{"bucket":"b"}},
  {"address":"aws_s3_bucket.c","mode":"managed","type":"aws_s3_bucket","name":"c","values":{"bucket":"c"}},
  {"address":"azurerm_resource_group.g","mode":"managed","type":"azurerm_resource_group","name":"g","values":{"name":"g"}}]}},
 "configuration":{"provider_config":{
   "aws":{"name":"aws","expressions":{"allowed_account_ids":{"references":["var.acct"]}}},
   "aws.hop":{"name":"aws","alias":"hop","expressions":{"assume_role":[{"role_arn":{"constant_value":"arn:aws:iam::111111111111:role/a"}},{"role_arn":{"constant_value":"arn:aws:iam::222222222222:role/b"}}]}},
   "aws.two":{"name":"aws","alias":"two","expressions":{"allowed_account_ids":{"constant_value":["111111111111","222222222222"]}}},
   "azurerm":{"name":"azurerm","expressions":{"subscription_id":{"references":["var.sub"]}}}},
  "root_module":{"resources":[
   {"address":"aws_s3_bucket.a","mode":"managed","type":"aws_s3_bucket","name":"a","provider_config_key":"aws","expressions":{}},
   {"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","provider_config_key":"aws.hop","expressions":{}},
   {"address":"aws_s3_bucket.c","mode":"managed","type":"aws_s3_bucket","name":"c","provider_config_key":"aws.two","expressions":{}},
   {"address":"azurerm_resource_group.g","mode":"managed","type":"azurerm_resource_group","name":"g","provider_config_key":"azurerm","expressions":{}}]}}}`
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "plan.json"), []byte(plan), 0o644); err != nil {
		t.Fatal(err)
	}
	_, insts := planInstances(t, dir, "plan.json")
	for addr, want := range map[string]string{
		"aws_s3_bucket.a": "111111111111", "aws_s3_bucket.b": "222222222222", "aws_s3_bucket.c": "",
		"azurerm_resource_group.g": "00000000-0000-0000-0000-000000000001",
	} {
		in := instanceByAddr(insts, addr)
		if in == nil {
			t.Errorf("%s not read", addr)
		} else if in.Account != want {
			t.Errorf("%s: account %q, want %q", addr, in.Account, want)
		}
	}
}
