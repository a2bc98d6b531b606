package awsorg_test

import (
	"context"
	"encoding/json"
	"flag"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/importer/awsorg"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/testkit"
)

var update = flag.Bool("update", false, "rewrite testdata/golden.json")

const example = "../../../docs/formats/examples/aws-organizations.json"

// TestExampleGolden imports the documented example through the file
// importer (detection, merge, derivation): no input problem, the format
// counted, and the inventory equal to testdata/golden.json
// (go test ./internal/importer/awsorg -run ExampleGolden -update).
func TestExampleGolden(t *testing.T) {
	inv, err := importer.Load(context.Background(), []string{example})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Errors) != 0 || len(inv.Skipped) != 0 {
		t.Fatalf("errors %v, skipped %v", inv.Errors, inv.Skipped)
	}
	if inv.Files[awsorg.Format] != 1 {
		t.Fatalf("files: %v", inv.Files)
	}
	rs := append([]*resource.Resource(nil), inv.Resources...)
	sort.Slice(rs, func(i, j int) bool { return rs[i].ID < rs[j].ID })
	got, err := json.MarshalIndent(struct {
		Classes     map[string]int       `json:"classes"`
		Unsupported map[string]int       `json:"unsupported"`
		Resources   []*resource.Resource `json:"resources"`
	}{inv.Classes, inv.Unsupported, rs}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, filepath.Join("testdata", "golden.json"), append(got, '\n'), *update)
}

// TestExampleSCPs: the effective SCPs of the example's accounts, as the
// identity evaluation reads them.
func TestExampleSCPs(t *testing.T) {
	inv, err := importer.Load(context.Background(), []string{example})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*resource.Resource{}
	for _, r := range inv.Resources {
		byID[r.ID] = r
	}
	names := func(acct string) (bool, string) {
		a := byID["aws-account/"+acct]
		if a == nil || a.Facts.Account == nil || a.Facts.Account.SCPs == nil {
			t.Fatalf("no SCPs on account %s", acct)
		}
		ch := a.Facts.Account.SCPs
		if len(ch.Incomplete) != 0 || ch.Applies == nil {
			t.Fatalf("%s: chain %+v", acct, ch)
		}
		var lv []string
		for _, l := range ch.Levels {
			var ps []string
			for _, p := range l.Policies {
				if p.Document == nil || p.Document.Error != "" {
					t.Errorf("%s: policy %s has no parsed document", acct, p.Name)
				}
				ps = append(ps, p.Name)
			}
			lv = append(lv, strings.Join(ps, "+"))
		}
		return *ch.Applies, strings.Join(lv, " / ")
	}
	for acct, want := range map[string]string{
		"111111111111": "false FullAWSAccess+DenyLeaveOrganization / FullAWSAccess",
		"222222222222": "true FullAWSAccess+DenyLeaveOrganization / FullAWSAccess / FullAWSAccess",
		"333333333333": "true FullAWSAccess+DenyLeaveOrganization / FullAWSAccess+DenyOutsideEU / FullAWSAccess / FullAWSAccess+ProdNoIAMUsers",
		"444444444444": "true FullAWSAccess+DenyLeaveOrganization / FullAWSAccess",
	} {
		applies, lv := names(acct)
		if got := map[bool]string{true: "true", false: "false"}[applies] + " " + lv; got != want {
			t.Errorf("%s:\n got %s\nwant %s", acct, got, want)
		}
	}
	rcp := byID["aws-account/333333333333"].Facts.Account.RCPs
	if rcp == nil || rcp.Applies == nil || !*rcp.Applies || len(rcp.Levels) != 4 || len(rcp.Levels[0].Policies) != 2 {
		t.Errorf("RCPs of 333333333333: %+v", rcp)
	}
}
