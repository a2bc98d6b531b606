// Command gen derives the embedded GCP predefined role data (roles.txt.gz)
// from gcp-predefined-roles.json of the iam-reference corpus (iam-dataset's
// gcp/roles/*.json joined). Run it through `go generate` in the parent
// directory; the format is described at gcproles.Decode; see ../README.md.
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
)

type rawRole struct {
	Name                string   `json:"name"`
	Title               string   `json:"title"`
	Stage               string   `json:"stage"`
	IncludedPermissions []string `json:"includedPermissions"`
}

func main() {
	in := flag.String("in", "", "gcp-predefined-roles.json")
	out := flag.String("out", "roles.txt.gz", "output file")
	flag.Parse()
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

func run(in, out string) error {
	b, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var roles []rawRole
	if err := json.Unmarshal(b, &roles); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	set := map[string]bool{}
	for i, r := range roles {
		if !strings.HasPrefix(r.Name, "roles/") || strings.ContainsAny(r.Name+r.Stage, "\t\n") {
			return fmt.Errorf("%s: role %d: bad name %q", in, i, r.Name)
		}
		for _, p := range r.IncludedPermissions {
			if p == "" || strings.ContainsAny(p, " \t\n,") {
				return fmt.Errorf("%s: role %s: bad permission %q", in, r.Name, p)
			}
			set[p] = true
		}
	}
	dict := make([]string, 0, len(set))
	for p := range set {
		dict = append(dict, p)
	}
	sort.Strings(dict)
	index := make(map[string]int, len(dict))
	for i, p := range dict {
		index[p] = i
	}
	sort.Slice(roles, func(i, j int) bool { return roles[i].Name < roles[j].Name })
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	zw, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	w := bufio.NewWriter(zw)
	fmt.Fprintf(w, "vigil-gcp-roles 1\nP %d\n", len(dict))
	for _, p := range dict {
		fmt.Fprintln(w, p)
	}
	for _, r := range roles {
		ids := make([]int, 0, len(r.IncludedPermissions))
		seen := map[int]bool{}
		for _, p := range r.IncludedPermissions {
			if i := index[p]; !seen[i] {
				seen[i] = true
				ids = append(ids, i)
			}
		}
		sort.Ints(ids)
		deltas := make([]string, len(ids))
		prev := -1
		for k, i := range ids {
			deltas[k] = strconv.FormatInt(int64(i-prev), 36)
			prev = i
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", r.Name, r.Stage, clean(r.Title), strings.Join(deltas, ","))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Printf("%s: %d roles, %d permissions\n", out, len(roles), len(dict))
	return nil
}
