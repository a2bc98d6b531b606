package iac

import (
	"bufio"
	"context"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/source"
)

// fakeReader is a test reader (never shipped) of a line format: each
// "bucket NAME public|private" line is an S3 bucket located at its line,
// each "module NAME FILE" line instantiates the buckets of FILE (relative
// to the root) through a module call. Files that are module sources are
// read only through their calls, as Terraform reads child modules.
var fakeReader = Reader{
	Name:   "fake",
	Detect: func(p string, _ []byte) bool { return path.Ext(p) == ".vtf" },
	New: func(root string, files []string) source.Source {
		return source.Func{SourceName: "fake", ReadFunc: func(ctx context.Context, emit func(source.Batch) error) error {
			children := map[string]bool{}
			parsed := map[string][][]string{}
			for _, f := range files {
				parsed[f] = fakeParse(filepath.Join(root, filepath.FromSlash(f)))
				for _, l := range parsed[f] {
					if l[1] == "module" && len(l) > 3 {
						children[l[3]] = true
					}
				}
			}
			for _, f := range files {
				if children[f] {
					continue
				}
				b := source.Batch{Input: f, Format: "fake"}
				fakeResources(root, f, f, "", nil, parsed[f], &b)
				if err := emit(b); err != nil {
					return err
				}
			}
			return nil
		}}
	},
}

// fakeParse returns the file's lines as fields, each led by its line number.
func fakeParse(name string) [][]string {
	f, err := os.Open(name)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out [][]string
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line, _, _ := strings.Cut(sc.Text(), "#")
		fs := strings.Fields(line)
		if len(fs) >= 3 && (fs[0] == "bucket" || fs[0] == "module") {
			out = append(out, append([]string{strconv.Itoa(n)}, fs...))
		}
	}
	return out
}

func fakeResources(root, rootFile, file, prefix string, calls []resource.Location, lines [][]string, b *source.Batch) {
	for _, l := range lines {
		n, _ := strconv.Atoi(l[0])
		switch l[1] {
		case "bucket":
			addr := prefix + "bucket." + l[2]
			b.Resources = append(b.Resources, &resource.Resource{
				Provider: resource.AWS, Type: "AWS::S3::Bucket", ID: rootFile + ":" + addr, Name: l[2], Source: file,
				Location: &resource.Location{File: file, StartLine: n, EndLine: n, Address: addr, Calls: calls},
				Class:    resource.ClassObjectStorage,
				Facts:    resource.Facts{Storage: &resource.ObjectStorage{PublicAccess: resource.Bool(l[3] == "public")}},
			})
		case "module":
			if len(l) < 4 {
				continue
			}
			call := resource.Location{File: file, StartLine: n, EndLine: n, Address: prefix + "module." + l[2]}
			child := fakeParse(filepath.Join(root, filepath.FromSlash(l[3])))
			fakeResources(root, rootFile, l[3], call.Address+".", append(calls[:len(calls):len(calls)], call), child, b)
		}
	}
}
