package gcprespond

import (
	"errors"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/respond"
)

// FuzzInputs: the resource names a playbook templates from a finding
// (untrusted text) are either refused with ErrInput or read into one
// resource whose name has no path separator left in its parts: never a
// panic, never a name that would address more than one resource.
func FuzzInputs(f *testing.F) {
	for _, s := range []string{
		"site", "gs://site", "//storage.googleapis.com/site", "projects/_/buckets/site",
		leakedKey, "//iam.googleapis.com/" + leakedKey, sa, sa + "/keys/", "1f2e3d4c",
		sshRule, "//compute.googleapis.com/" + sshRule, "https://www.googleapis.com/compute/v1/" + sshRule, "allow-ssh",
		"projects/proj-a", "//cloudresourcemanager.googleapis.com/projects/proj-a", "example.com:proj-a", "", "/", "projects//global/firewalls/",
	} {
		f.Add(s)
	}
	c := &clients{opts: Options{Project: "fallback-project"}}
	f.Fuzz(func(t *testing.T, v string) {
		req := request(map[string]string{"bucket": v, "key": v, "firewall": v, "project": v, "service_account": "x@p.iam.gserviceaccount.com"})
		check := func(what string, err error, parts ...string) {
			if err != nil {
				if !errors.Is(err, respond.ErrInput) {
					t.Errorf("%s %q: error %v is not ErrInput", what, v, err)
				}
				return
			}
			for _, p := range parts {
				if p == "" || strings.ContainsAny(p, "/?#") {
					t.Errorf("%s %q read into a part %q", what, v, p)
				}
			}
		}
		bt, err := bucketPolicy.target(c, req)
		check("bucket", err, bt.Name)
		pt, err := projectPolicy.target(c, req)
		check("project", err, pt.Name)
		fp, fn, err := (&disableFirewall{c}).parse(req)
		check("firewall", err, fp, fn)
		name, _, err := parseKey(req)
		if err == nil {
			m := keyName.Get().FindStringSubmatch(name)
			check("key", nil, m[1], m[2], m[3])
		} else {
			check("key", err)
		}
	})
}
