// Command gen derives the embedded Azure built-in role data (roles.json.gz)
// from azure-built-in-roles.json of the iam-reference corpus (iam-dataset's
// azure/built-in-roles-raw.json). Run it through `go generate` in the parent
// directory; see ../README.md.
package main

import (
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
)

type rawPermission struct {
	Actions          []string `json:"actions"`
	NotActions       []string `json:"notActions"`
	DataActions      []string `json:"dataActions"`
	NotDataActions   []string `json:"notDataActions"`
	Condition        *string  `json:"condition"`
	ConditionVersion *string  `json:"conditionVersion"`
}

type rawRole struct {
	Name        string          `json:"name"` // the GUID
	RoleName    string          `json:"roleName"`
	RoleType    string          `json:"roleType"`
	Permissions []rawPermission `json:"permissions"`
}

type permission struct {
	Actions          []string `json:"actions,omitempty"`
	NotActions       []string `json:"not_actions,omitempty"`
	DataActions      []string `json:"data_actions,omitempty"`
	NotDataActions   []string `json:"not_data_actions,omitempty"`
	Condition        string   `json:"condition,omitempty"`
	ConditionVersion string   `json:"condition_version,omitempty"`
}

type role struct {
	ID          string       `json:"id"`
	Name        string       `json:"name"`
	Permissions []permission `json:"permissions"`
}

func main() {
	in := flag.String("in", "", "azure-built-in-roles.json")
	out := flag.String("out", "roles.json.gz", "output file")
	flag.Parse()
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func run(in, out string) error {
	b, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var raw []rawRole
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	roles := make([]role, 0, len(raw))
	for i, r := range raw {
		if r.Name == "" || r.RoleName == "" {
			return fmt.Errorf("%s: role %d: name or roleName missing", in, i)
		}
		ro := role{ID: r.Name, Name: r.RoleName, Permissions: []permission{}}
		for _, p := range r.Permissions {
			ro.Permissions = append(ro.Permissions, permission{p.Actions, p.NotActions, p.DataActions, p.NotDataActions, str(p.Condition), str(p.ConditionVersion)})
		}
		roles = append(roles, ro)
	}
	sort.SliceStable(roles, func(i, j int) bool { return roles[i].ID < roles[j].ID })
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	zw, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	enc := json.NewEncoder(zw)
	if err := enc.Encode(roles); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Printf("%s: %d roles\n", out, len(roles))
	return nil
}
