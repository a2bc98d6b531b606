package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/source"
)

// writeRoots writes a tree of n root modules under live/ that all call
// mods/shared (whose bad.tf does not parse) and mods/env, root i with
// more resources the lower i is (so later roots tend to finish first),
// and two modules calling each other that no root reaches.
func writeRoots(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	write := func(rel, text string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("mods/shared/main.tf", `variable "name" {}
variable "public" { default = false }
resource "aws_s3_bucket" "b" {
  bucket = var.name
}
resource "aws_s3_bucket_public_access_block" "b" {
  bucket              = aws_s3_bucket.b.id
  block_public_acls   = !var.public
  block_public_policy = !var.public
}
output "arn" { value = aws_s3_bucket.b.arn }
`)
	write("mods/shared/bad.tf", "resource \"aws_s3_bucket\" \"broken\" {\n  bucket = \n")
	write("mods/env/main.tf", `variable "env" {}
module "logs" {
  source = "../shared"
  name   = "logs-${var.env}"
}
`)
	write("mods/cyc1/main.tf", "module \"two\" {\n  source = \"../cyc2\"\n}\nresource \"aws_sqs_queue\" \"q1\" {\n  name = \"q1\"\n}\n")
	write("mods/cyc2/main.tf", "module \"one\" {\n  source = \"../cyc1\"\n}\nresource \"aws_sqs_queue\" \"q2\" {\n  name = \"q2\"\n}\n")
	for i := range n {
		var b strings.Builder
		fmt.Fprintf(&b, "variable \"env\" { default = \"e%02d\" }\n", i)
		fmt.Fprintf(&b, "module \"buckets\" {\n  source   = \"../../mods/shared\"\n  for_each = toset([\"a\", \"b\"])\n  name     = \"r%02d-${each.key}\"\n  public   = each.key == \"b\"\n}\n", i)
		fmt.Fprintf(&b, "module \"env\" {\n  source = \"../../mods/env\"\n  env    = var.env\n}\n")
		for j := range (n - i) * 8 {
			fmt.Fprintf(&b, "resource \"aws_security_group\" \"sg%d\" {\n  name = \"sg-%02d-%d\"\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n    cidr_blocks = [%d %% 2 == 0 ? \"0.0.0.0/0\" : \"10.0.0.0/8\"]\n  }\n}\n", j, i, j, j)
		}
		// Each root's own problem: a registry module, not fetched.
		fmt.Fprintf(&b, "module \"remote%02d\" {\n  source = \"example/remote/aws\"\n}\n", i)
		fmt.Fprintf(&b, "resource \"aws_sqs_queue\" \"q\" {\n  name = \"q-%02d\"\n}\n", i)
		write(fmt.Sprintf("live/r%02d/main.tf", i), b.String())
	}
	return dir
}

// TestRootsConcurrentInOrder reads a tree of many root modules, evaluated
// concurrently, and checks that the batches come in the order of the
// roots' directories, that a module's parse problem is reported once, by
// the first root calling it, and that every run (several with more
// workers than cores, one with a single worker, which evaluates one root
// after the other) gives the same batches. Run it with -race.
func TestRootsConcurrentInOrder(t *testing.T) {
	const n = 12
	root := writeRoots(t, n)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	sequential := readAll(t, root, Options{})

	var inputs []string
	for _, b := range sequential {
		inputs = append(inputs, b.Input)
	}
	var want []string
	for i := range n {
		want = append(want, fmt.Sprintf("live/r%02d", i))
	}
	want = append(want, "mods/cyc1") // reached by no root: read after them
	if !reflect.DeepEqual(inputs, want) {
		t.Fatalf("batches %v, want %v", inputs, want)
	}
	parseProblems := func(b source.Batch) (n int) {
		for _, p := range b.Problems {
			if p.Path == "mods/shared/bad.tf" {
				n++
			}
		}
		return n
	}
	for i, b := range sequential {
		wantParse := 0
		if i == 0 {
			wantParse = 1
		}
		if got := parseProblems(b); got != wantParse {
			t.Errorf("%s: %d problems of mods/shared/bad.tf, want %d: %v", b.Input, got, wantParse, b.Problems)
		}
		if i < n {
			// The root's own sqs queue, two buckets and their access
			// blocks, the env module's bucket and block, and the groups.
			if got, wantRes := len(b.Resources)+len(b.Unsupported), 1+4+2+(n-i)*8; got != wantRes {
				t.Errorf("%s: %d resources, want %d", b.Input, got, wantRes)
			}
			missing := fmt.Sprintf("module.remote%02d", i)
			found := false
			for _, p := range b.Problems {
				found = found || strings.Contains(p.Err, missing)
			}
			if !found {
				t.Errorf("%s: no problem naming %s: %v", b.Input, missing, b.Problems)
			}
		}
	}

	for _, procs := range []int{8, 8, 8, 2} {
		runtime.GOMAXPROCS(procs)
		if got := readAll(t, root, Options{}); !reflect.DeepEqual(got, sequential) {
			for i := range min(len(got), len(sequential)) {
				if !reflect.DeepEqual(got[i], sequential[i]) {
					t.Errorf("GOMAXPROCS %d: batch %d (%s) differs from the sequential run's (%s):\n%+v\nwant\n%+v",
						procs, i, got[i].Input, sequential[i].Input, got[i].Problems, sequential[i].Problems)
					break
				}
			}
			t.Fatalf("GOMAXPROCS %d: %d batches, sequential run %d", procs, len(got), len(sequential))
		}
	}
}
