package gcp

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// TestPrivateServiceConnect: CIS GCP 5.0 3.9 from the global forwarding
// rules of an export. Project a has an endpoint for all-apis in network
// prod (by full URL) and none in dev, beside an external load balancer;
// project b's endpoint for vpc-sc names its network by relative URL;
// project c has only an external load balancer (its network fails);
// project d holds no global forwarding rule (unknown); project e's rule
// has a target of the wrong type (unknown). Endpoints are private and balance nothing: not
// public, and the file's load balancers stay resolved.
func TestPrivateServiceConnect(t *testing.T) {
	network := func(p, n string) string {
		return fmt.Sprintf(`{"name":"//compute.googleapis.com/projects/%s/global/networks/%s","asset_type":"compute.googleapis.com/Network","resource":{"data":{"name":%q,"autoCreateSubnetworks":false}},"ancestors":["projects/1%s"]}`, p, n, n, p)
	}
	rule := func(p, n, data string) string {
		return fmt.Sprintf(`{"name":"//compute.googleapis.com/projects/%s/global/forwardingRules/%s","asset_type":"compute.googleapis.com/GlobalForwardingRule","resource":{"data":%s},"ancestors":["projects/1%s"]}`, p, n, data, p)
	}
	lines := []string{
		network("a", "prod"), network("a", "dev"), network("b", "core"), network("c", "site"), network("d", "lone"), network("e", "odd"),
		rule("a", "pscapis", `{"name":"pscapis","IPAddress":"10.10.0.5","IPProtocol":"TCP","target":"all-apis","network":"https://www.googleapis.com/compute/v1/projects/a/global/networks/prod"}`),
		rule("a", "web", `{"name":"web","IPAddress":"34.1.2.3","IPProtocol":"TCP","portRange":"443-443","loadBalancingScheme":"EXTERNAL_MANAGED","target":"https://www.googleapis.com/compute/v1/projects/a/global/targetHttpsProxies/web"}`),
		rule("b", "pscvpcsc", `{"name":"pscvpcsc","IPAddress":"10.20.0.5","target":"vpc-sc","network":"projects/b/global/networks/core"}`),
		rule("c", "web", `{"name":"web","IPAddress":"34.1.2.4","portRange":"80","target":"https://www.googleapis.com/compute/v1/projects/c/global/targetHttpProxies/web"}`),
		rule("e", "bad", `{"name":"bad","target":["all-apis"],"network":"projects/e/global/networks/odd"}`),
	}
	res := ParseNDJSON(context.Background(), "resource.json", []byte(strings.Join(lines, "\n")))
	if len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Error(), "target") {
		t.Errorf("problems: %v, want one naming target", res.Problems)
	}
	Finalize(res.Resources)
	got := map[string]string{}
	for _, r := range res.Resources {
		switch r.Type {
		case TypeNetwork:
			got[r.Account+"/"+r.Name] = show(r.Facts.Network.VPCEndpoints)
		case TypeGlobalForwarding:
			got[r.Account+"/"+r.Name] = "public " + show(r.Facts.LoadBalancer.Public)
		}
	}
	want := map[string]string{
		"a/prod": "true", "a/dev": "false", "b/core": "true", "c/site": "false", "c/web": "public true", "d/lone": "unknown", "e/odd": "unknown", "e/bad": "public unknown",
		"a/pscapis": "public false", "b/pscvpcsc": "public false", "a/web": "public true",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %s, want %s", k, got[k], w)
		}
	}
	for _, r := range res.Resources {
		if r.Name == "pscapis" && !slices.Contains(r.Relationships, resource.Relationship{Type: "targets", TargetID: "all-apis"}) {
			t.Errorf("pscapis relationships %v", r.Relationships)
		}
	}
}
