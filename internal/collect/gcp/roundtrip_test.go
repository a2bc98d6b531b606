package gcpcollect

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"google.golang.org/protobuf/encoding/protojson"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"cloud.google.com/go/accessapproval/apiv1/accessapprovalpb"
	"cloud.google.com/go/asset/apiv1/assetpb"
	"cloud.google.com/go/resourcemanager/apiv3/resourcemanagerpb"

	"github.com/vigil-sec/vigil/internal/collect"
	"github.com/vigil-sec/vigil/internal/collect/gcp/gcptest"
	"github.com/vigil-sec/vigil/internal/importer"
)

// TestRoundTrip serves the Cloud Asset Inventory exports of examples/org/gcp
// from the local server, collects them with the default scopes (the
// organization's hierarchy, then each project) and checks that the files
// written say what the exports said, line by line, and import to the same
// resources and facts.
func TestRoundTrip(t *testing.T) {
	examples := filepath.Join("..", "..", "..", "examples", "org", "gcp")
	exportDirs, _ := filepath.Glob(filepath.Join(examples, "*"))
	f := gcptest.New()
	f.PageSize = 7
	var files []string // the example exports, relative to examples
	approvals := 0
	for _, d := range exportDirs {
		var parent string
		for _, ct := range append(slices.Clone(contents), accessPolicies, osInventories) {
			file := filepath.Join(d, ct.file)
			data, err := os.ReadFile(file)
			if err != nil {
				continue
			}
			files = append(files, filepath.Join(filepath.Base(d), ct.file))
			assets, err := gcptest.ReadLines(data)
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			for _, a := range assets {
				switch a.GetAssetType() {
				case "cloudresourcemanager.googleapis.com/Organization":
					parent = strings.TrimPrefix(a.GetName(), "//cloudresourcemanager.googleapis.com/")
					if ct.typ == assetpb.ContentType_RESOURCE {
						f.Orgs = append(f.Orgs, &resourcemanagerpb.Organization{Name: parent, State: resourcemanagerpb.Organization_ACTIVE})
					}
				case "cloudresourcemanager.googleapis.com/Project":
					parent = strings.TrimPrefix(a.GetName(), "//cloudresourcemanager.googleapis.com/")
					if ct.typ == assetpb.ContentType_RESOURCE {
						id := a.GetResource().GetData().GetFields()["projectId"].GetStringValue()
						f.Projects = append(f.Projects, &resourcemanagerpb.Project{Name: parent, ProjectId: id, State: resourcemanagerpb.Project_ACTIVE})
					}
				}
			}
			f.Assets[parent+" "+ct.typ.String()] = assets
		}
		if parent == "" {
			t.Fatalf("%s: no organization or project asset to serve it under", d)
		}
		// the project's Access Approval settings (gcloud access-approval settings get)
		if data, err := os.ReadFile(filepath.Join(d, "accessapproval.json")); err == nil {
			aa := &accessapprovalpb.AccessApprovalSettings{}
			if err := protojson.Unmarshal(data, aa); err != nil {
				t.Fatalf("%s: %v", d, err)
			}
			f.AccessApproval[aa.GetName()] = aa
			f.AccessApproval[parent+"/accessApprovalSettings"] = aa // asked by project number
			approvals++
		}
	}
	if len(files) == 0 {
		t.Fatalf("no export under %s", examples)
	}
	opts := start(t, f)
	dir := t.TempDir()
	rec := &collect.Recorder{}
	if err := Collect(context.Background(), opts, collect.Dir(dir), rec, nil); err != nil {
		t.Fatal(err)
	}
	if fs := rec.Failures(); len(fs) > 0 {
		t.Fatalf("failures: %v", fs)
	}
	for _, rel := range files {
		want, err := os.ReadFile(filepath.Join(examples, rel))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(dir, "gcp", rel))
		if err != nil {
			t.Errorf("%s was not collected: %v", rel, err)
			continue
		}
		wl, gl := decodeLines(t, want), decodeLines(t, got)
		if len(wl) != len(gl) {
			t.Errorf("%s: %d lines collected, the export has %d", rel, len(gl), len(wl))
			continue
		}
		for i := range wl {
			if !reflect.DeepEqual(wl[i], gl[i]) {
				w, _ := json.Marshal(wl[i])
				g, _ := json.Marshal(gl[i])
				t.Errorf("%s line %d differs:\n got: %s\nwant: %s", rel, i+1, g, w)
			}
		}
	}

	// Sensitive Data Protection's discovery configurations (CIS GCP 5.0
	// 7.4) are the DLP API's, which the collector does not read: the
	// exports are compared without them.
	var exported []string
	err := filepath.WalkDir(examples, func(path string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() && e.Name() != "dlpdiscoveryconfigs.json" {
			exported = append(exported, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want, err := importer.Load(context.Background(), exported)
	if err != nil {
		t.Fatal(err)
	}
	got, err := importer.Load(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	wv, gv := views(want, examples), views(got, dir)
	for i := range wv {
		wv[i].Source = ""
	}
	for i := range gv {
		gv[i].Source = ""
	}
	if len(wv) != len(gv) {
		t.Fatalf("%d resources after the round trip, %d imported from the exports", len(gv), len(wv))
	}
	for i := range wv {
		if !reflect.DeepEqual(wv[i], gv[i]) {
			w, _ := json.Marshal(wv[i])
			g, _ := json.Marshal(gv[i])
			t.Errorf("resource %s differs:\n got: %s\nwant: %s", wv[i].ID, g, w)
		}
	}
	if approvals == 0 {
		t.Error("no accessapproval.json in the examples: the Access Approval round trip is not exercised")
	}
	if len(wv) < 100 {
		t.Errorf("only %d resources imported from %s", len(wv), examples)
	}
}

// decodeLines decodes export lines, with etags (bytes in the API) as the
// bytes they encode (base64 text has more than one spelling of them) and
// the IAM policy's field names in the proto spelling (the example export
// spells auditConfigs as the JSON API does; the importer reads both).
func decodeLines(t *testing.T, data []byte) []any {
	t.Helper()
	var out []any
	for _, l := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		var v any
		if err := json.Unmarshal(l, &v); err != nil {
			t.Fatal(err)
		}
		if m, ok := v.(map[string]any); ok {
			if p, ok := m["iam_policy"].(map[string]any); ok {
				if e, ok := p["etag"].(string); ok {
					b, err := base64.StdEncoding.DecodeString(e)
					if err != nil {
						t.Fatalf("etag %q: %v", e, err)
					}
					p["etag"] = b
				}
				m["iam_policy"] = protoNames(p)
			}
		}
		out = append(out, v)
	}
	return out
}

func protoNames(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			var b strings.Builder
			for _, r := range k {
				if r >= 'A' && r <= 'Z' {
					b.WriteByte('_')
					r += 'a' - 'A'
				}
				b.WriteRune(r)
			}
			out[b.String()] = protoNames(e)
		}
		return out
	case []any:
		for i := range t {
			t[i] = protoNames(t[i])
		}
	}
	return v
}
