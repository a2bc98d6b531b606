package terraform

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/iac/tfmap"
	"github.com/vigil-sec/vigil/internal/source"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// files lists the files under root, relative and slash-separated.
func files(t testing.TB, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// evaluate returns the instances and problems of every root module under root.
func evaluate(t testing.TB, root string, opts Options) ([]tfmap.Instance, []source.Problem) {
	t.Helper()
	return evaluateFiles(t, root, files(t, root), opts)
}

// evaluateFiles is evaluate over the given files of root.
func evaluateFiles(t testing.TB, root string, fs []string, opts Options) ([]tfmap.Instance, []source.Problem) {
	t.Helper()
	var insts []tfmap.Instance
	var probs []source.Problem
	err := walkRoots(context.Background(), root, fs, opts, nil, func(_ string, e *evaluator) error {
		insts = append(insts, e.insts...)
		probs = append(probs, e.problems...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return insts, probs
}

func readAll(t testing.TB, root string, opts Options) []source.Batch {
	t.Helper()
	var bs []source.Batch
	if err := New(root, files(t, root), opts).Read(context.Background(), func(b source.Batch) error {
		bs = append(bs, b)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return bs
}

func TestGoldenTree(t *testing.T) {
	insts, probs := evaluate(t, "testdata/tree", Options{})
	var b bytes.Buffer
	for _, in := range insts {
		attrs, _ := json.Marshal(in.Attrs)
		fmt.Fprintf(&b, "%s %s region=%q %s:%d-%d calls=%d\n  %s\n", in.Address, in.Mode, in.Region,
			in.Location.File, in.Location.StartLine, in.Location.EndLine, len(in.Location.Calls), attrs)
	}
	for _, p := range probs {
		fmt.Fprintf(&b, "problem: %s\n", p.Error())
	}
	for _, bt := range readAll(t, "testdata/tree", Options{}) {
		for _, r := range bt.Resources {
			facts, _ := json.Marshal(r.Facts)
			fmt.Fprintf(&b, "resource %s %s %s region=%q\n  %s\n", r.ID, r.Type, r.Class, r.Region, facts)
		}
	}
	golden := filepath.Join("testdata", "tree.golden")
	if *update {
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != string(want) {
		t.Errorf("output differs from %s (go test -run GoldenTree -update after checking):\n%s", golden, got)
	}
}

// TestResolution checks the values Terraform would deploy, one by one.
func TestResolution(t *testing.T) {
	insts, probs := evaluate(t, "testdata/tree", Options{})
	by := map[string]tfmap.Instance{}
	for _, in := range insts {
		by[in.Address] = in
	}
	want := map[string]string{
		// auto.tfvars override terraform.tfvars; count from a variable.
		`aws_s3_bucket.logs[0]`: "acme-prod-logs-0",
		`aws_s3_bucket.logs[1]`: "acme-prod-logs-1",
		// A local module called twice, once with for_each.
		`module.web.aws_s3_bucket.site`:           "acme-prod-web",
		`module.sites["blog"].aws_s3_bucket.site`: "acme-prod-blog",
		`module.sites["shop"].aws_s3_bucket.site`: "acme-prod-shop",
		`aws_s3_bucket.by_set["a"]`:               "acme-prod-a",
	}
	for addr, bucket := range want {
		in, ok := by[addr]
		if !ok {
			t.Errorf("%s: missing", addr)
			continue
		}
		if got := in.Attrs["bucket"]; got != bucket {
			t.Errorf("%s: bucket %v, want %s", addr, got, bucket)
		}
	}
	if r := by["aws_s3_bucket.logs[0]"].Region; r != "us-west-2" {
		t.Errorf("aliased provider region %q", r)
	}
	if r := by["aws_security_group.admin"].Region; r != "eu-west-1" {
		t.Errorf("default provider region %q", r)
	}
	if c := by[`module.sites["shop"].aws_s3_bucket.site`].Location.Calls; len(c) != 1 || c[0].Address != `module.sites["shop"]` || c[0].File != "prod/main.tf" {
		t.Errorf("module call sites %+v", c)
	}
	ing, _ := by["aws_security_group.admin"].Attrs["ingress"].([]any)
	if len(ing) != 1 || ing[0].(map[string]any)["from_port"] != float64(22) {
		t.Errorf("dynamic ingress %v", by["aws_security_group.admin"].Attrs["ingress"])
	}
	// The public access block refers to its bucket, whose id is unknown.
	u, ok := by["aws_s3_bucket_public_access_block.logs[1]"].Attrs["bucket"].(tfmap.Unknown)
	if !ok || len(u.Refs) != 1 || u.Refs[0] != "aws_s3_bucket.logs[1]" {
		t.Errorf("split resource reference %#v", by["aws_s3_bucket_public_access_block.logs[1]"].Attrs["bucket"])
	}
	if _, ok := by["aws_kms_key.unknown_rotation"].Attrs["enable_key_rotation"].(tfmap.Unknown); !ok {
		t.Errorf("a variable without a value is not unknown: %#v", by["aws_kms_key.unknown_rotation"].Attrs)
	}
	var registry bool
	for _, p := range probs {
		registry = registry || strings.Contains(p.Err, "module.registry") && strings.Contains(p.Err, "not a local path") && p.Warning
	}
	if !registry {
		t.Errorf("registry module not reported: %v", probs)
	}
	// The split resources are joined: the log buckets are blocked, the
	// module buckets versioned.
	for _, bt := range readAll(t, "testdata/tree", Options{}) {
		for _, r := range bt.Resources {
			switch {
			case strings.Contains(r.ID, "aws_s3_bucket.logs["):
				if s := r.Facts.Storage; s == nil || s.PublicAccessBlocked == nil || !*s.PublicAccessBlocked {
					t.Errorf("%s: public access block not joined: %+v", r.ID, s)
				}
			case strings.HasSuffix(r.ID, "aws_s3_bucket.site"):
				if s := r.Facts.Storage; s == nil || s.Versioning == nil || !*s.Versioning {
					t.Errorf("%s: versioning not joined: %+v", r.ID, s)
				}
			}
		}
	}
}

func TestVarPrecedence(t *testing.T) {
	dir := t.TempDir()
	vf := filepath.Join(dir, "extra.tfvars")
	if err := os.WriteFile(vf, []byte("env = \"from-file\"\nreplicas = 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	insts, _ := evaluate(t, "testdata/tree", Options{VarFiles: []string{vf}, Vars: map[string]string{"env": "cli", "open_ports": "[22, 3389]"}})
	n, ports := 0, 0
	for _, in := range insts {
		if in.Type == "aws_s3_bucket" && in.Name == "logs" {
			n++
			if !strings.HasPrefix(in.Attrs["bucket"].(string), "acme-cli-") {
				t.Errorf("-var does not win: %v", in.Attrs["bucket"])
			}
		}
		if in.Address == "aws_security_group.admin" {
			ing, _ := in.Attrs["ingress"].([]any)
			ports = len(ing)
		}
	}
	if n != 3 || ports != 2 {
		t.Errorf("var file count %d (want 3), typed -var ports %d (want 2)", n, ports)
	}
}

func TestBadInput(t *testing.T) {
	insts, probs := evaluate(t, "testdata/bad", Options{})
	var msgs []string
	for _, p := range probs {
		msgs = append(msgs, p.Error())
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{"broken.tf:5: Unclosed configuration block", "dependency cycle", "calls itself", "count is not known before apply"} {
		if !strings.Contains(all, want) {
			t.Errorf("no problem mentioning %q in:\n%s", want, all)
		}
	}
	// The rest is read: the block before the unclosed one and the other file.
	if !hasInstance(insts, "aws_s3_bucket.ok") {
		t.Errorf("aws_s3_bucket.ok (before the parse error) not read: %v", insts)
	}
	for _, in := range insts {
		if in.Address == "aws_s3_bucket.counted" || strings.HasPrefix(in.Address, "aws_s3_bucket.counted[") {
			t.Errorf("an instance was guessed for a count not known before apply: %s", in.Address)
		}
	}
}

func hasInstance(insts []tfmap.Instance, addr string) bool {
	for _, in := range insts {
		if in.Address == addr {
			return true
		}
	}
	return false
}

// TestModuleCycle: two modules calling each other, with and without a
// root above them, are reported (never evaluated forever, never silent).
func TestModuleCycle(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string]string{
		"a/main.tf":    "module \"b\" {\n  source = \"../b\"\n}\nresource \"aws_s3_bucket\" \"a\" {\n  bucket = \"a\"\n}\n",
		"b/main.tf":    "module \"a\" {\n  source = \"../a\"\n}\n",
		"root/main.tf": "module \"a\" {\n  source = \"../a\"\n}\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		files []string
		addr  string
	}{
		{[]string{"a/main.tf", "b/main.tf", "root/main.tf"}, "module.a.aws_s3_bucket.a"},
		{[]string{"a/main.tf", "b/main.tf"}, "aws_s3_bucket.a"},
	} {
		var probs []string
		var n int
		err := New(dir, c.files, Options{}).Read(context.Background(), func(b source.Batch) error {
			for _, p := range b.Problems {
				probs = append(probs, p.Error())
			}
			n += len(b.Resources)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		all := strings.Join(probs, "\n")
		if !strings.Contains(all, "calls itself") {
			t.Errorf("%v: cycle not reported: %s", c.files, all)
		}
		if n == 0 {
			t.Errorf("%v: the bucket of the cycle (%s) was not read", c.files, c.addr)
		}
	}
}

func TestHostileInput(t *testing.T) {
	dir := t.TempDir()
	deep := "locals {\n  x = " + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "\n}\n"
	var hb strings.Builder
	for i := 0; i < 20000; i++ {
		fmt.Fprintf(&hb, "resource \"aws_s3_bucket\" \"b%d\" {\n  bucket = \"x-%d\"\n  tags = { n = \"%d\" }\n}\n", i, i, i)
	}
	huge := hb.String()
	if err := os.WriteFile(filepath.Join(dir, "over.tf"), bytes.Repeat([]byte("# padding\n"), maxFileBytes/10+1), 0o644); err != nil {
		t.Fatal(err)
	}
	big := `resource "aws_s3_bucket" "many" {
  count  = 100000000
  bucket = "x-${count.index}"
}
`
	for name, src := range map[string]string{"deep.tf": deep, "huge.tf": huge, "big.tf": big} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	insts, probs := evaluate(t, dir, Options{})
	many := 0
	for _, in := range insts {
		if in.Name == "many" {
			many++
		}
	}
	if many != maxInstances {
		t.Errorf("%d instances of count = 100000000, want the bound %d", many, maxInstances)
	}
	found, over := false, false
	for _, p := range probs {
		found = found || strings.Contains(p.Err, "exceeds")
		over = over || (p.Path == "over.tf" && strings.Contains(p.Err, "larger than"))
	}
	if !found {
		t.Errorf("count bound not reported: %v", probs)
	}
	if !over {
		t.Errorf("file over the size bound not reported")
	}
	if !hasInstance(insts, "aws_s3_bucket.b19999") {
		t.Errorf("the last block of the 20,000-block file was not read")
	}
}

func TestTerragoat(t *testing.T) {
	root := filepath.Join("..", "..", "..", "..", "shared", "corpus", "iac-examples", "terragoat", "terraform")
	if _, err := os.Stat(root); err != nil {
		t.Skipf("terragoat corpus not found at %s (../shared absent): %v", root, err)
	}
	insts, probs := evaluate(t, root, Options{})
	if len(insts) < 60 {
		t.Errorf("%d instances from terragoat, want at least 60", len(insts))
	}
	// Every file parses and evaluates: no problem at all, and every file
	// declaring resources has instances located in it.
	for _, p := range probs {
		t.Errorf("problem: %s", p.Error())
	}
	located := map[string]int{}
	for _, in := range insts {
		located[in.Location.File]++
	}
	tf := files(t, root)
	for _, f := range tf {
		src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(src), "\nresource \"") && located[f] == 0 {
			t.Errorf("%s declares resources but none was read", f)
		}
	}
	t.Logf("terragoat: %d files, %d instances", len(tf), len(insts))
}

func FuzzRead(f *testing.F) {
	for _, p := range []string{"testdata/tree/prod/main.tf", "testdata/tree/modules/web/main.tf", "testdata/bad/cycle.tf", "testdata/bad/broken.tf"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), src, 0o644); err != nil {
			t.Fatal(err)
		}
		_ = New(dir, []string{"main.tf"}, Options{}).Read(context.Background(), func(source.Batch) error { return nil })
	})
}

func BenchmarkTree(b *testing.B) {
	dir := b.TempDir()
	const n = 1000
	var names []string
	for i := range n {
		sub := fmt.Sprintf("stack%02d", i%20)
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			b.Fatal(err)
		}
		name := fmt.Sprintf("%s/f%04d.tf", sub, i)
		src := fmt.Sprintf(`resource "aws_s3_bucket" "b%d" {
  bucket = "bucket-%d"
  tags   = { n = "%d" }
}

resource "aws_security_group" "sg%d" {
  name = "sg-%d"
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}
`, i, i, i, i, i)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			b.Fatal(err)
		}
		names = append(names, name)
	}
	b.ResetTimer()
	for b.Loop() {
		_ = New(dir, names, Options{}).Read(context.Background(), func(source.Batch) error { return nil })
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "files/s")
}

// TestJSONEncodeUnknownLeaves: a policy written with jsonencode() naming
// its bucket's ARN reaches the mapping as a document whose unknown leaf is
// unknown, so the public bucket FAILs instead of being UNKNOWN.
func TestJSONEncodeUnknownLeaves(t *testing.T) {
	dir := t.TempDir()
	src := `resource "aws_s3_bucket" "b" {
  bucket = "pub"
}
resource "aws_s3_bucket_policy" "b" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "${aws_s3_bucket.b.arn}/*" }]
  })
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	insts, _ := evaluate(t, dir, Options{})
	for _, in := range insts {
		if in.Type != "aws_s3_bucket_policy" {
			continue
		}
		doc, ok := in.Attrs["policy"].(map[string]any)
		if !ok {
			t.Fatalf("policy %#v, want the document", in.Attrs["policy"])
		}
		st := doc["Statement"].([]any)[0].(map[string]any)
		if st["Principal"] != "*" {
			t.Errorf("principal %v", st["Principal"])
		}
		if _, ok := st["Resource"].(tfmap.Unknown); !ok {
			t.Errorf("resource %#v, want unknown", st["Resource"])
		}
		return
	}
	t.Fatal("no bucket policy instance")
}

// TestPreciseRefs: a reference indexed by count.index or each.key names
// the instance; a splat or an unindexed use keeps the base address.
func TestPreciseRefs(t *testing.T) {
	dir := t.TempDir()
	src := `resource "aws_s3_bucket" "b" {
  for_each = toset(["x", "y"])
  bucket   = each.key
}
resource "aws_s3_bucket_versioning" "v" {
  for_each = toset(["x", "y"])
  bucket   = aws_s3_bucket.b[each.key].id
}
resource "aws_s3_bucket_policy" "p" {
  count  = 1
  bucket = element(values(aws_s3_bucket.b)[*].id, 0)
}
resource "aws_s3_bucket_logging" "l" {
  bucket        = aws_s3_bucket.b["x"].id
  target_bucket = "${aws_s3_bucket.b["y"].id}-${length(aws_s3_bucket.b)}"
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	insts, _ := evaluate(t, dir, Options{})
	got := map[string]string{}
	for _, in := range insts {
		for _, a := range []string{"bucket", "target_bucket"} {
			if u, ok := in.Attrs[a].(tfmap.Unknown); ok {
				got[in.Address+" "+a] = strings.Join(u.Refs, ",")
			}
		}
	}
	for k, want := range map[string]string{
		`aws_s3_bucket_versioning.v["y"] bucket`: `aws_s3_bucket.b["y"]`,
		// element 0 of the values sorted by key is b["x"], whose
		// computed id the value carries (refMark).
		`aws_s3_bucket_policy.p[0] bucket`:      `aws_s3_bucket.b["x"]`,
		`aws_s3_bucket_logging.l bucket`:        `aws_s3_bucket.b["x"]`,
		`aws_s3_bucket_logging.l target_bucket`: `aws_s3_bucket.b["y"],aws_s3_bucket.b`,
	} {
		if got[k] != want {
			t.Errorf("%s refs %q, want %q (all: %v)", k, got[k], want, got)
		}
	}
}

// TestFunctions: Terraform's functions from cty's and go-cty-funcs'
// libraries; file() reads under the scanned tree relative to the root
// module (path.module in a module), never an absolute path or outside.
func TestFunctions(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string]string{
		"live/main.tf": `module "m" {
  source = "../mods/m"
}
resource "aws_s3_bucket_policy" "p" {
  bucket = "b"
  policy = file("policy.json")
}
resource "aws_security_group" "g" {
  name        = sha256("x")
  description = base64encode("hi")
  ingress {
    cidr_blocks = [cidrsubnet("10.0.0.0/16", 8, 1)]
  }
}
resource "aws_s3_bucket" "abs" {
  bucket = file("/etc/hostname")
}
resource "aws_s3_bucket" "out" {
  bucket = file("../../outside.txt")
}
`,
		"live/policy.json": `{"Version":"2012-10-17"}`,
		"mods/m/main.tf":   "resource \"aws_s3_bucket\" \"b\" {\n  bucket = trimspace(file(\"${path.module}/name.txt\"))\n}\n",
		"mods/m/name.txt":  "from-module\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var insts []tfmap.Instance
	var probs []string
	err := walkRoots(context.Background(), dir, []string{"live/main.tf", "mods/m/main.tf"}, Options{}, nil, func(_ string, e *evaluator) error {
		insts = append(insts, e.insts...)
		for _, p := range e.problems {
			probs = append(probs, p.Error())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]map[string]any{}
	for _, in := range insts {
		by[in.Address] = in.Attrs
	}
	if got := by["aws_s3_bucket_policy.p"]["policy"]; got != `{"Version":"2012-10-17"}` {
		t.Errorf("file(policy.json) = %#v", got)
	}
	if got := by["module.m.aws_s3_bucket.b"]["bucket"]; got != "from-module" {
		t.Errorf("file(path.module/name.txt) = %#v", got)
	}
	g := by["aws_security_group.g"]
	if g["name"] != "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881" || g["description"] != "aGk=" {
		t.Errorf("sha256/base64encode: %#v", g)
	}
	if in, _ := g["ingress"].([]any); len(in) != 1 || fmt.Sprint(in[0].(map[string]any)["cidr_blocks"]) != "[10.0.1.0/24]" {
		t.Errorf("cidrsubnet: %#v", g["ingress"])
	}
	for _, a := range []string{"aws_s3_bucket.abs", "aws_s3_bucket.out"} {
		if _, ok := by[a]["bucket"].(tfmap.Unknown); !ok {
			t.Errorf("%s bucket = %#v, want unknown (file refused)", a, by[a]["bucket"])
		}
	}
	all := strings.Join(probs, "\n")
	if !strings.Contains(all, "absolute path is not read") || !strings.Contains(all, "outside the scanned tree") {
		t.Errorf("refused files not reported:\n%s", all)
	}
}

// BenchmarkTerragoat reads terragoat's terraform/ folder (47 .tf files,
// five root modules) through New and tfmap.
func BenchmarkTerragoat(b *testing.B) {
	root := filepath.Join("..", "..", "..", "..", "shared", "corpus", "iac-examples", "terragoat", "terraform")
	if _, err := os.Stat(root); err != nil {
		b.Skipf("terragoat corpus not found at %s (../shared absent): %v", root, err)
	}
	names := files(b, root)
	for b.Loop() {
		_ = New(root, names, Options{}).Read(context.Background(), func(source.Batch) error { return nil })
	}
	b.ReportMetric(float64(len(names)*b.N)/b.Elapsed().Seconds(), "files/s")
}

// TestJSONSyntax: .tf.json configuration and terraform.tfvars.json read as
// Terraform reads them (expressions in strings, blocks as objects).
func TestJSONSyntax(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string]string{
		"main.tf.json": `{
  "variable": {"env": {"default": "dev"}},
  "locals": {"name": "app-${var.env}"},
  "resource": {
    "aws_s3_bucket": {"b": {"bucket": "${local.name}", "count": 2}},
    "aws_security_group": {"g": {"name": "g", "ingress": [{"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}]}}
  }
}`,
		"terraform.tfvars.json": `{"env": "prod"}`,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	insts, probs := evaluate(t, dir, Options{})
	for _, p := range probs {
		t.Errorf("problem: %s", p.Error())
	}
	by := map[string]tfmap.Instance{}
	for _, in := range insts {
		by[in.Address] = in
	}
	if b := by["aws_s3_bucket.b[1]"]; b.Attrs["bucket"] != "app-prod" || b.Location.File != "main.tf.json" || b.Location.StartLine == 0 {
		t.Errorf("aws_s3_bucket.b[1] = %+v", b)
	}
	ing, _ := by["aws_security_group.g"].Attrs["ingress"].([]any)
	if len(ing) != 1 {
		t.Errorf("ingress from JSON = %#v", by["aws_security_group.g"].Attrs["ingress"])
	}
}

// TestDefaultTags: an AWS provider's default_tags and a Google provider's
// default_labels are on every resource the provider manages (in a called
// module too, which inherits the provider), under the resource's own tags;
// a resource of another provider configuration gets none.
func TestDefaultTags(t *testing.T) {
	got := map[string]map[string]string{}
	for _, b := range readAll(t, "testdata/default-tags", Options{}) {
		for _, r := range b.Resources {
			got[r.ID] = r.Tags
		}
	}
	want := map[string]map[string]string{
		".:aws_s3_bucket.logs":                {"owner": "security", "cost-center": "cc-100"},
		".:aws_s3_bucket.us":                  nil,
		".:google_storage_bucket.lake":        {"owner": "data-eng", "data-classification": "internal"},
		".:module.store.aws_dynamodb_table.t": {"owner": "platform", "cost-center": "cc-100"},
	}
	for id, w := range want {
		g, ok := got[id]
		if !ok {
			t.Errorf("%s not read (have %v)", id, got)
			continue
		}
		if !maps.Equal(g, w) {
			t.Errorf("%s: tags %v, want %v", id, g, w)
		}
	}
}

// TestRefsThroughModules: a value known only after apply names the
// resource instance it comes from however it travels (a module input, a
// local, try(), a module output), so a split resource in one module joins the
// bucket of another; a value made of variables alone stays open.
func TestRefsThroughModules(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"main.tf": `resource "aws_s3_bucket" "root" {
  bucket = "r"
}
module "m" {
  source    = "./m"
  bucket_id = aws_s3_bucket.root.id
}
resource "aws_s3_bucket_versioning" "v" {
  bucket = module.m.id
  versioning_configuration {
    status = "Enabled"
  }
}
variable "cidr" {}
resource "aws_security_group_rule" "r" {
  type              = "ingress"
  security_group_id = module.m.ids[1]
  protocol          = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_blocks       = [var.cidr]
}
`,
		"m/main.tf": `variable "bucket_id" {}
resource "aws_s3_bucket" "inner" {
  count  = 1
  bucket = "i"
}
resource "aws_security_group" "g" {
  count = 2
}
resource "aws_s3_bucket_public_access_block" "pab" {
  bucket = local.bucket
}
locals {
  bucket = var.bucket_id
}
output "id" {
  value = try(aws_s3_bucket.inner[0].id, "")
}
output "ids" {
  value = aws_security_group.g[*].id
}
`,
	})
	insts, probs := evaluate(t, dir, Options{})
	if len(probs) > 0 {
		t.Errorf("problems: %v", probs)
	}
	got := map[string]string{}
	for _, in := range insts {
		for _, a := range []string{"bucket", "security_group_id", "cidr_blocks"} {
			v := in.Attrs[a]
			if l, ok := v.([]any); ok && len(l) == 1 {
				v = l[0]
			}
			if u, ok := v.(tfmap.Unknown); ok {
				got[in.Address+" "+a] = strings.Join(u.Refs, ",")
			}
		}
	}
	for k, want := range map[string]string{
		`aws_s3_bucket_versioning.v bucket`:                     `module.m.aws_s3_bucket.inner[0]`,
		`module.m.aws_s3_bucket_public_access_block.pab bucket`: `aws_s3_bucket.root`,
		`aws_security_group_rule.r security_group_id`:           `module.m.aws_security_group.g[1]`,
		`aws_security_group_rule.r cidr_blocks`:                 ``,
	} {
		if g, found := got[k]; !found || g != want {
			t.Errorf("%s refs %q (found %v), want %q (all: %v)", k, g, found, want, got)
		}
	}
}

// TestRefsThroughForEach: the values of a for_each map (and the elements a
// dynamic block iterates) keep the resource instance they come from, so
// each.value joins a split resource onto that bucket or proxy.
func TestRefsThroughForEach(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`resource "aws_s3_bucket" "a" {
  bucket = "a"
}
resource "aws_s3_bucket" "b" {
  bucket = "b"
}
resource "aws_s3_bucket_versioning" "v" {
  for_each = { a = aws_s3_bucket.a.id, b = { id = aws_s3_bucket.b.id } }
  bucket   = try(each.value.id, each.value)
  versioning_configuration {
    status = "Enabled"
  }
}
resource "aws_security_group" "g" {
  dynamic "egress" {
    for_each = [aws_s3_bucket.a.arn]
    content {
      description = egress.value
    }
  }
}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	insts, probs := evaluate(t, dir, Options{})
	if len(probs) > 0 {
		t.Errorf("problems: %v", probs)
	}
	got := map[string]string{}
	for _, in := range insts {
		v := in.Attrs["bucket"]
		if eg, ok := in.Attrs["egress"].([]any); ok && len(eg) == 1 {
			v = eg[0].(map[string]any)["description"]
		}
		if u, ok := v.(tfmap.Unknown); ok {
			got[in.Address] = strings.Join(u.Refs, ",")
		}
	}
	for k, want := range map[string]string{
		`aws_s3_bucket_versioning.v["a"]`: `aws_s3_bucket.a`,
		`aws_s3_bucket_versioning.v["b"]`: `aws_s3_bucket.b`,
		`aws_security_group.g`:            `aws_s3_bucket.a`,
	} {
		if g := got[k]; g != want {
			t.Errorf("%s refs %q, want %q (all: %v)", k, g, want, got)
		}
	}
}

// TestNullableFalse: a null module input to a variable with nullable =
// false takes the variable's default, as Terraform does; a nullable one
// stays null. moved, import and check blocks are read without problems.
func TestNullableFalse(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"main.tf": `module "strict" {
  source = "./m"
  status = null
  loose  = null
}
moved {
  from = module.old
  to   = module.strict
}
import {
  to = module.strict.aws_s3_bucket_versioning.v
  id = "b"
}
check "up" {
  assert {
    condition     = true
    error_message = "down"
  }
}
`,
		"m/main.tf": `variable "status" {
  type     = string
  nullable = false
  default  = "Enabled"
}
variable "loose" {
  type    = string
  default = "Enabled"
}
resource "aws_s3_bucket_versioning" "v" {
  bucket = "b"
  versioning_configuration {
    status = var.status
  }
  expected_bucket_owner = var.loose
}
`,
	})
	insts, probs := evaluate(t, dir, Options{})
	if len(probs) > 0 {
		t.Errorf("problems: %v", probs)
	}
	if len(insts) != 1 {
		t.Fatalf("%d instances", len(insts))
	}
	vc, _ := insts[0].Attrs["versioning_configuration"].([]any)
	if len(vc) != 1 || vc[0].(map[string]any)["status"] != "Enabled" {
		t.Errorf("status: %#v", insts[0].Attrs["versioning_configuration"])
	}
	if v, found := insts[0].Attrs["expected_bucket_owner"]; found && v != nil {
		t.Errorf("a null input to a nullable variable: %#v", v)
	}
}

// TestTemplateFile: templatefile() renders a template of the scanned tree
// with its variables and the functions (a bucket policy from a template),
// keeps the resource instance a variable comes from, and reads nothing
// outside the tree.
func TestTemplateFile(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string]string{
		"main.tf": `resource "aws_s3_bucket" "b" {
  bucket = "site"
}
resource "aws_s3_bucket_policy" "known" {
  bucket = aws_s3_bucket.b.id
  policy = templatefile("${path.module}/policy.tpl", { bucket = aws_s3_bucket.b.bucket, actions = ["s3:GetObject"] })
}
resource "aws_s3_bucket_policy" "later" {
  bucket = aws_s3_bucket.b.id
  policy = templatefile("policy.tpl", { bucket = aws_s3_bucket.b.arn, actions = [] })
}
resource "aws_s3_bucket_policy" "outside" {
  bucket = "x"
  policy = templatefile("../outside.tpl", {})
}
`,
		"policy.tpl": `{"Statement":[{"Effect":"Allow","Principal":"*","Action":${jsonencode(actions)},"Resource":"arn:aws:s3:::${upper(bucket)}/*"}]}`,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	insts, probs := evaluate(t, dir, Options{})
	by := map[string]map[string]any{}
	for _, in := range insts {
		by[in.Address] = in.Attrs
	}
	if got := by["aws_s3_bucket_policy.known"]["policy"]; got != `{"Statement":[{"Effect":"Allow","Principal":"*","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::SITE/*"}]}` {
		t.Errorf("rendered policy = %#v", got)
	}
	if u, ok := by["aws_s3_bucket_policy.later"]["policy"].(tfmap.Unknown); !ok || strings.Join(u.Refs, ",") != "aws_s3_bucket.b" {
		t.Errorf("a template of an attribute known after apply = %#v", by["aws_s3_bucket_policy.later"]["policy"])
	}
	if _, ok := by["aws_s3_bucket_policy.outside"]["policy"].(tfmap.Unknown); !ok {
		t.Errorf("a template outside the tree = %#v", by["aws_s3_bucket_policy.outside"]["policy"])
	}
	all := ""
	for _, p := range probs {
		all += p.Error() + "\n"
	}
	if !strings.Contains(all, "outside the scanned tree") {
		t.Errorf("problems: %s", all)
	}
}

// writeTree writes files (slash-separated names relative to dir) under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestProviderAccountHCL: each instance carries the account of the
// provider configuration managing it (Azure subscription_id, Google
// project, AWS allowed_account_ids), through aliases, a module call's
// providers map and the default configurations a module inherits; a
// variable without a value leaves it unknown, and so do two allowed
// accounts.
func TestProviderAccountHCL(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"main.tf": `
variable "sub" {}
provider "azurerm" {
  features {}
  subscription_id = "00000000-0000-0000-0000-000000000001"
}
provider "azurerm" {
  alias           = "unknown"
  features {}
  subscription_id = var.sub
}
provider "google" {
  project = "projects/acme-prod"
}
provider "google" {
  alias   = "dev"
  project = "acme-dev"
}
provider "aws" {
  allowed_account_ids = ["111111111111", "222222222222"]
}
resource "azurerm_resource_group" "a" {
  name     = "a"
  location = "westeurope"
}
resource "azurerm_resource_group" "b" {
  provider = azurerm.unknown
  name     = "b"
  location = "westeurope"
}
resource "aws_s3_bucket" "two" {
  bucket = "two"
}
module "m" {
  source    = "./m"
  providers = { google = google.dev }
}
module "inherits" {
  source = "./m"
}
`,
		"m/main.tf": `
resource "google_storage_bucket" "b" {
  name     = "b"
  location = "EU"
}
`,
	})
	insts, probs := evaluate(t, dir, Options{})
	for _, p := range probs {
		if !p.Warning {
			t.Errorf("problem: %v", p)
		}
	}
	for addr, want := range map[string]string{
		"azurerm_resource_group.a": "00000000-0000-0000-0000-000000000001", "azurerm_resource_group.b": "",
		"aws_s3_bucket.two": "", "module.m.google_storage_bucket.b": "acme-dev", "module.inherits.google_storage_bucket.b": "acme-prod",
	} {
		in := instanceByAddr(insts, addr)
		if in == nil {
			t.Errorf("%s not read", addr)
		} else if in.Account != want {
			t.Errorf("%s: account %q, want %q", addr, in.Account, want)
		}
	}
}
