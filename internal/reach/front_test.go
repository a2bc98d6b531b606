package reach_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/resource"
)

// frontPaths: each exposure path as "proto/port first-hop-resource".
func frontPaths(e *resource.Exposure) string {
	if e == nil || e.Internet == nil {
		return "undecided"
	}
	var s []string
	for _, p := range e.Paths {
		s = append(s, p.Protocol+"/"+itoa(p.FromPort)+" "+lastPart(p.Hops[0].Resource))
	}
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

// TestFronts reads testdata/front: a CloudFront distribution whose default
// behaviour (redirect-to-https) serves an S3 bucket; /app/* (allow-all) an
// instance by its public DNS name, http-only on 8080 (its group opens
// 8080 to the internet); /api/* an internet-facing ALB by its DNS name
// (https-only; its group opens 443); /int/* an internal ALB; /pl/* an
// instance whose group admits 443 from a prefix list only; an origin no
// behaviour uses (an instance whose group admits 443 from one office
// range); /narrow/* an instance on 8081 whose group admits 52.0.0.0/8
// only. A REST API whose methods integrate over the internet with that
// instance and with the first one on 8080, over VPC link vl-1 (get-vpc-links:
// the internal ALB) on https, and with a Lambda function (AWS_PROXY); its Config item says
// it is public (REGIONAL), so the instance and the function are reached
// through it on 443. An HTTP API (v2) item, public, whose integrations
// (get-integrations) are the internal ALB's listener through a VPC link
// (its group admits 443 from anywhere, so the VPC link too) and the
// function: both reached through it on 443.
// The expected exposure of each origin, written before the code.
func TestFronts(t *testing.T) {
	inv, err := importer.Load(context.Background(), []string{filepath.Join("testdata", "front")})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Errors) > 0 {
		t.Fatalf("input problems: %+v", inv.Errors)
	}
	want := map[string]string{
		"i-0web":           "tcp/80 E2FRONT0TEST, tcp/443 E2FRONT0TEST, tcp/443 a1b2c3d4e5, tcp/8080 i-0web", // CloudFront on both viewer ports, the API on 443, and 8080 directly
		"orders-fn":        "tcp/443 a1b2c3d4e5, tcp/443 h7k2m9p4q1",                                         // the function both APIs invoke
		"front-assets":     "tcp/443 E2FRONT0TEST",                                                           // the bucket through the distribution (HTTPS viewers only)
		"0a1b2c3d4e5f6a7b": "",                                                                               // checked by name below (two load balancers share the suffix)
		"i-0pl":            "undecided",                                                                      // a prefix list: CloudFront's origin-facing list or not
		"i-0api":           "undecided",                                                                      // 52.0.0.0/8 may or may not hold the API's edge addresses
		"i-0unused":        "none",                                                                           // no behaviour forwards to it; its group admits one office range
	}
	for _, r := range inv.Resources {
		if r.Facts.Exposure == nil || r.Facts.Firewall != nil {
			continue
		}
		got := frontPaths(r.Facts.Exposure)
		switch {
		case strings.Contains(r.ID, "/front-alb/"):
			if got != "tcp/443 0a1b2c3d4e5f6a7b, tcp/443 E2FRONT0TEST" {
				t.Errorf("front-alb: %s", got)
			}
			continue
		case strings.Contains(r.ID, "/int-alb/"):
			if got != "tcp/443 a1b2c3d4e5, tcp/443 h7k2m9p4q1" { // through both APIs' VPC links; CloudFront's VPC origin undecided
				t.Errorf("int-alb: %s", got)
			}
			if u := strings.Join(r.Facts.Exposure.Undecided, "; "); !strings.Contains(u, "an internal load balancer as the origin of") {
				t.Errorf("int-alb undecided: %q", u)
			}
			continue
		}
		k := lastPart(strings.TrimPrefix(r.ID, "arn:aws:s3:::"))
		if _, fn, ok := strings.Cut(k, ":function:"); ok {
			k = fn
		}
		w, ok := want[k]
		if !ok {
			continue
		}
		delete(want, k)
		if got != w {
			t.Errorf("%s: %s, want %s (%q)", r.ID, got, w, r.Facts.Exposure.Undecided)
		}
		if u := strings.Join(r.Facts.Exposure.Undecided, "; "); k == "i-0api" && (!strings.Contains(u, "whether 52.0.0.0/8 covers the front's edge addresses is not evaluated") ||
			strings.Contains(u, "whether that API is public (its endpoint type) is not in the inventory")) {
			t.Errorf("i-0api undecided: %q", u)
		} else if k == "i-0pl" && !strings.Contains(u, "source pl-3b927c52 (a prefix list: CloudFront's origin-facing list?) is not evaluated") {
			t.Errorf("i-0pl undecided: %q", u)
		}
	}
	delete(want, "0a1b2c3d4e5f6a7b")
	httpAPI := false
	for _, r := range inv.Resources {
		if lastPart(r.ID) == "h7k2m9p4q1" {
			httpAPI = true
			if r.Class != resource.ClassAPIGateway || r.Facts.APIGateway.Public == nil || !*r.Facts.APIGateway.Public || r.Name != "orders-http" {
				t.Errorf("HTTP API: %s %+v", r.Class, r.Facts.APIGateway)
			}
		}
	}
	if !httpAPI {
		t.Error("the HTTP API item is not imported")
	}
	if len(want) > 0 {
		t.Errorf("not evaluated: %v", want)
	}
	// The CloudFront hop names the distribution, the viewer port, the
	// origin and the origin port; the rest is the instance's own way in.
	for _, r := range inv.Resources {
		if lastPart(r.ID) != "i-0web" {
			continue
		}
		var hops []string
		for _, h := range r.Facts.Exposure.Paths[0].Hops {
			hops = append(hops, lastPart(h.Resource)+": "+h.Allows)
		}
		want := "E2FRONT0TEST: CloudFront distribution E2FRONT0TEST on port 80 forwards to origin ec2-203-0-113-5.compute-1.amazonaws.com on port 8080\n" +
			"i-0web: public IP\nrtb-0v: route 0.0.0.0/0 -> igw-0v\nacl-0v: acl-0v: allow all 0-65535 from 0.0.0.0/0 (priority 100)\nsg-0web: 0web: allow tcp 8080 from 0.0.0.0/0\n" +
			"acl-0v: reply: acl-0v: allow all 0-65535 to 0.0.0.0/0 (priority 100)"
		if got := strings.Join(hops, "\n"); got != want {
			t.Errorf("hops:\n%s\nwant:\n%s", got, want)
		}
	}
}

// TestRESTAPIOneResource: a REST API's Config item (with its ARN, or an
// advanced-query row without one) and its get-resources output are one
// resource: endpoint type and integrations together, and the API's
// function reached through it. Written before the code.
func TestRESTAPIOneResource(t *testing.T) {
	const arn = "arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5"
	getRes, err := os.ReadFile(filepath.Join("testdata", "front", "555555555555", "cli", "apigateway-get-resources", "a1b2c3d4e5.us-east-1.json"))
	if err != nil {
		t.Fatal(err)
	}
	row := `{"accountId":"555555555555","resourceType":"AWS::ApiGateway::RestApi","resourceId":"a1b2c3d4e5","awsRegion":"us-east-1",` +
		`"configuration":{"id":"a1b2c3d4e5","name":"orders","endpointConfiguration":{"types":["REGIONAL"]}}}`
	fn := `{"accountId":"555555555555","arn":"arn:aws:lambda:us-east-1:555555555555:function:orders-fn","resourceType":"AWS::Lambda::Function",` +
		`"resourceId":"orders-fn","awsRegion":"us-east-1","configuration":{"functionName":"orders-fn"}}`
	for _, tc := range []struct{ note, dir string }{
		{"Config snapshot item with its ARN", filepath.Join("testdata", "front")},
		{"advanced-query row without an ARN", func() string {
			dir := t.TempDir()
			cli := filepath.Join(dir, "555555555555", "cli", "apigateway-get-resources")
			if err := os.MkdirAll(cli, 0o755); err != nil {
				t.Fatal(err)
			}
			sel, _ := json.Marshal(map[string]any{"Results": []string{row, fn}, "QueryInfo": map[string]any{"SelectFields": []any{}}})
			if err := os.WriteFile(filepath.Join(dir, "555555555555", "select.json"), sel, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(cli, "a1b2c3d4e5.us-east-1.json"), getRes, 0o644); err != nil {
				t.Fatal(err)
			}
			return dir
		}()},
	} {
		inv, err := importer.Load(context.Background(), []string{tc.dir})
		if err != nil {
			t.Fatal(err)
		}
		var apis []*resource.Resource
		for _, r := range inv.Resources {
			if strings.Contains(r.ID, "a1b2c3d4e5") && strings.Contains(r.Type, "RestApi") {
				apis = append(apis, r)
			}
		}
		if len(apis) != 1 || apis[0].ID != arn {
			var ids []string
			for _, r := range apis {
				ids = append(ids, r.ID)
			}
			t.Errorf("%s: the API is %d resources %q, want one %s", tc.note, len(apis), ids, arn)
			continue
		}
		ag := apis[0].Facts.APIGateway
		if ag == nil || ag.Public == nil || !*ag.Public || len(ag.Origins) == 0 || apis[0].Name != "orders" {
			t.Errorf("%s: merged API %q %+v", tc.note, apis[0].Name, ag)
		}
		for _, r := range inv.Resources {
			if strings.HasSuffix(r.ID, ":function:orders-fn") && !strings.Contains(frontPaths(r.Facts.Exposure), "tcp/443 a1b2c3d4e5") {
				t.Errorf("%s: orders-fn %s", tc.note, frontPaths(r.Facts.Exposure))
			}
		}
	}
}
