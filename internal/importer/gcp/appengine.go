package gcp

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// TypeAppEngineVersion is a version of an App Engine service
// (apps/<app>/services/<service>/versions/<version>), as Cloud Asset
// Inventory exports it with the App Engine Admin API's Version as its data:
// env, servingStatus, runtime, serviceAccount and the URL handlers, each
// with its securityLevel (app.yaml's `secure`). A version is class function.
const TypeAppEngineVersion = "appengine.googleapis.com/Version"

func init() { normalizers[TypeAppEngineVersion] = appEngineVersion }

// appEngineVersion reads a version's runtime, identity and whether it
// enforces HTTPS (CIS GCP 5.0 4.10): true when every URL handler is
// SECURE_ALWAYS (plain HTTP is redirected to HTTPS), false when a handler
// lets HTTP through (SECURE_OPTIONAL, SECURE_DEFAULT, SECURE_NEVER, or no
// level: SECURE_UNSPECIFIED behaves as SECURE_OPTIONAL). Unknown for a
// version whose data lists no handlers, and for the flexible environment,
// which ignores handlers' security levels (the application must redirect
// itself).
func appEngineVersion(_ *file, r *resource.Resource, d, _ node) {
	r.Class = resource.ClassFunction
	fn := &resource.Function{}
	r.Facts.Function = fn
	if !d.present() {
		return
	}
	fn.Runtime = d.s("runtime")
	fn.Identity = d.s("serviceAccount")
	if id := d.s("id"); id != "" {
		r.Name = id
	}
	env, st := d.str("env")
	switch {
	case st == bad || strings.EqualFold(env, "flex") || strings.EqualFold(env, "flexible"):
		return
	}
	hs, st := d.objs("handlers")
	if st != ok || len(hs) == 0 {
		return
	}
	secure := true
	for _, h := range hs {
		lvl, st := h.str("securityLevel")
		switch {
		case st == bad:
			return // a level of the wrong type: unknown
		case !strings.EqualFold(lvl, "SECURE_ALWAYS"):
			secure = false
		}
	}
	fn.HTTPSOnly = boolp(secure)
}
