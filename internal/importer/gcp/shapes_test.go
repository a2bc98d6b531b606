package gcp

import (
	"context"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
)

// A cloudfunctions.googleapis.com/Function asset (Cloud Functions API v2)
// lists 1st gen functions too (environment GEN_1), whose URL accepts HTTP
// unless serviceConfig.securityLevel is SECURE_ALWAYS (unset is
// SECURE_OPTIONAL); 2nd gen functions are served over HTTPS only.
func TestFunctionV2HTTPSByGeneration(t *testing.T) {
	const fn = "//cloudfunctions.googleapis.com/projects/p/locations/us-central1/functions/f"
	const sc = `"serviceConfig":{"ingressSettings":"ALLOW_ALL","uri":"https://us-central1-p.cloudfunctions.net/f"`
	for _, tc := range []struct{ data, want string }{
		{`{"environment":"GEN_2",` + sc + `}}`, "true"},
		{`{"environment":"GEN_1",` + sc + `,"securityLevel":"SECURE_ALWAYS"}}`, "true"},
		{`{"environment":"GEN_1",` + sc + `,"securityLevel":"SECURE_OPTIONAL"}}`, "false"},
		{`{"environment":"GEN_1",` + sc + `}}`, "false"},
		{`{"environment":"GEN_1",` + sc + `,"securityLevel":"SECURITY_LEVEL_UNSPECIFIED"}}`, "false"},
		{`{"environment":"GEN_1",` + sc + `},"eventTrigger":{"eventType":"google.cloud.pubsub.topic.v1.messagePublished"}}`, "unknown"},
		{`{"environment":"GEN_1",` + sc + `,"securityLevel":"SECURE_SOMETIMES"}}`, "unknown"},
		{`{"environment":"GEN_3",` + sc + `}}`, "unknown"},
		{`{` + sc + `}}`, "true"},
		{`{` + sc + `,"securityLevel":"SECURE_OPTIONAL"}}`, "false"},
	} {
		m := parse(t, line(fn, TypeCloudFunctionV2, tc.data))
		got := "unknown"
		if b := m[fn].Facts.Function.HTTPSOnly; b != nil && *b {
			got = "true"
		} else if b != nil {
			got = "false"
		}
		if got != tc.want {
			t.Errorf("%s: https only %s, want %s", tc.data, got, tc.want)
		}
	}
}

// serial-port-enable in the project's common instance metadata (a
// compute.googleapis.com/Project asset) enables the serial console of the
// project's instances that do not set it themselves; an instance's own
// "false" wins. Read with and without Raw kept.
func TestProjectSerialPortEnable(t *testing.T) {
	const proj = `{"name":"//compute.googleapis.com/projects/p","asset_type":"compute.googleapis.com/Project","resource":{"version":"v1","data":{"name":"p","commonInstanceMetadata":{"items":[{"key":"serial-port-enable","value":"TRUE"},{"key":"enable-oslogin","value":"TRUE"}]}}}}`
	const inst = "//compute.googleapis.com/projects/p/zones/us-central1-a/instances/"
	vm := func(name, meta string) string {
		return line(inst+name, TypeInstance, `{"name":"`+name+`","status":"RUNNING","metadata":{"items":[`+meta+`]}}`)
	}
	for _, ctx := range []context.Context{context.Background(), attr.WithRawDropped(context.Background())} {
		for _, order := range [][]string{{proj, vm("a", ``), vm("b", `{"key":"serial-port-enable","value":"false"}`)},
			{vm("a", ``), vm("b", `{"key":"serial-port-enable","value":"false"}`), proj}} {
			res := ParseNDJSON(ctx, "x.json", []byte(strings.Join(order, "\n")))
			got := map[string]string{}
			for _, r := range res.Resources {
				if c := r.Facts.Compute; c != nil {
					got[r.Name] = "unknown"
					if c.SerialPortEnabled != nil {
						got[r.Name] = map[bool]string{true: "true", false: "false"}[*c.SerialPortEnabled]
					}
				}
			}
			if got["a"] != "true" || got["b"] != "false" {
				t.Errorf("raw dropped %v: serial ports %v, want a true (the project's), b false (its own)", attr.RawDropped(ctx), got)
			}
		}
	}
	// Without the project's metadata the instance's own reading stays.
	m := parse(t, vm("c", ``))
	if c := m[inst+"c"].Facts.Compute; c.SerialPortEnabled == nil || *c.SerialPortEnabled {
		t.Errorf("no project metadata: %v", c.SerialPortEnabled)
	}
}

// A Cloud Run service (Admin API v1, as Cloud Asset Inventory holds it)
// whose metadata has no run.googleapis.com/ingress annotation takes the
// default, all: reachable from the internet. Metadata of the wrong type, or
// an ingress value not documented, stays unknown.
func TestRunServiceIngressDefault(t *testing.T) {
	const run = "//run.googleapis.com/projects/p/locations/us-central1/services/api"
	for data, want := range map[string]string{
		`{"apiVersion":"serving.knative.dev/v1","kind":"Service","metadata":{"name":"api","annotations":{"run.googleapis.com/ingress":"internal"}},"spec":{}}`:      "false",
		`{"apiVersion":"serving.knative.dev/v1","kind":"Service","metadata":{"name":"api","annotations":{"run.googleapis.com/ingress":"all"}},"spec":{}}`:           "true",
		`{"apiVersion":"serving.knative.dev/v1","kind":"Service","metadata":{"name":"api","annotations":{"serving.knative.dev/creator":"x@p.com"}},"spec":{}}`:      "true",
		`{"apiVersion":"serving.knative.dev/v1","kind":"Service","metadata":{"name":"api"},"spec":{}}`:                                                              "true",
		`{"apiVersion":"serving.knative.dev/v1","kind":"Service","metadata":{"name":"api","annotations":{"run.googleapis.com/ingress":"internal-only"}},"spec":{}}`: "unknown",
		`{"apiVersion":"serving.knative.dev/v1","kind":"Service","spec":{}}`:                                                                                        "unknown",
	} {
		m := parse(t, line(run, TypeRunService, data))
		got := "unknown"
		if b := m[run].Facts.Function.PublicNetwork; b != nil {
			got = map[bool]string{true: "true", false: "false"}[*b]
		}
		if got != want {
			t.Errorf("%s: public network %s, want %s", data, got, want)
		}
	}
}
