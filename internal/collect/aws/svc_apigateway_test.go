package awscollect

import (
	"slices"
	"testing"

	"github.com/vigil-sec/vigil/internal/collect"
)

// The stages of testdata/more's APIs.
const (
	stageOrdersProd = restOrders + "/stages/prod"
	stageOrdersTest = restOrders + "/stages/test"
	stageAdmin      = restAdmin + "/stages/internal"
	stageHTTPDef    = httpOrders + "/stages/$default"
	stageHTTPProd   = httpOrders + "/stages/prod"
)

// TestAPIStages: collect, import, scan: the REST and HTTP APIs' stages
// (the HTTP API's over two pages) are AWS Config stage items whose
// logging, WAF, client certificate and tracing the stage rules judge
// (CIS AWS 4.10: api-gateway-logging fails the stages with neither access
// nor execution logging).
func TestAPIStages(t *testing.T) {
	dir, fails, _ := collectMore(t, nil)
	for _, f := range fails {
		t.Errorf("unexpected failure: %s", f)
	}
	checkFacts(t, imported(t, dir), []factWant{
		{stageOrdersProd, "api_gateway.logging", true}, {stageOrdersProd, "api_gateway.waf", true},
		{stageOrdersProd, "api_gateway.client_certificate", true}, {stageOrdersProd, "api_gateway.tracing", true},
		{stageOrdersTest, "api_gateway.logging", false}, {stageOrdersTest, "api_gateway.waf", false},
		{stageOrdersTest, "api_gateway.client_certificate", false}, {stageOrdersTest, "api_gateway.tracing", false},
		{stageAdmin, "api_gateway.logging", true},
		{stageHTTPDef, "api_gateway.logging", false}, {stageHTTPProd, "api_gateway.logging", true},
	})
	got := ruleStatuses(t, dir, "api-gateway-logging")
	want := map[string]string{stageOrdersProd: "PASS", stageOrdersTest: "FAIL", stageAdmin: "PASS", stageHTTPDef: "FAIL", stageHTTPProd: "PASS"}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("api-gateway-logging on %s = %q, want %s", id, got[id], w)
		}
	}
}

// TestAPIStagesFaults: a REST API whose stages were denied and an HTTP API
// whose second page of stages failed have no stage items (a stage left out
// could be the unlogged one); the failures name the stages' path.
func TestAPIStagesFaults(t *testing.T) {
	dir, fails, _ := collectMore(t, func(r fakeReq) string {
		switch {
		case r.Key() == "apigateway:GetStages" && r.Resource == "restapis_a1b2c3d4e5_stages":
			return "denied"
		case r.Key() == "apigateway:GetStages" && r.Token == "st2":
			return "500"
		}
		return ""
	})
	var got []string
	for _, f := range fails {
		got = append(got, f.Call+" "+f.Resource+" "+string(f.Kind))
	}
	slices.Sort(got)
	want := []string{"apigateway:GET " + httpOrders + "/stages " + string(collect.Failed),
		"apigateway:GET " + restOrders + "/stages " + string(collect.Denied)}
	if mustJSON(got) != mustJSON(want) {
		t.Errorf("failures:\n got %v\nwant %v", got, want)
	}
	rs := imported(t, dir)
	for _, id := range []string{stageOrdersProd, stageOrdersTest, stageHTTPDef, stageHTTPProd} {
		if rs[id] != nil {
			t.Errorf("%s imported although its listing failed", id)
		}
	}
	checkFacts(t, rs, []factWant{{stageAdmin, "api_gateway.logging", true}, {restOrders, "api_gateway.public", true}})
}
