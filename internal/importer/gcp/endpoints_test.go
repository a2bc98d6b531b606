package gcp

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// parseBoth parses one asset line with Raw kept (attr.M payloads) and with
// Raw dropped (*attr.Object payloads) and returns the resource of each;
// problems are expected only when wantProblems.
func parseBoth(t *testing.T, name, data, typ string, wantProblems bool) []*resource.Resource {
	t.Helper()
	var out []*resource.Resource
	for _, ctx := range []context.Context{context.Background(), attr.WithRawDropped(context.Background())} {
		res := ParseNDJSON(ctx, "x.json", []byte(line(name, typ, data)))
		if len(res.Problems) > 0 != wantProblems {
			t.Errorf("%s (raw dropped %v): problems %+v", data, attr.RawDropped(ctx), res.Problems)
		}
		if len(res.Resources) != 1 || res.Resources[0].ID != name {
			t.Fatalf("raw dropped %v: %d resources", attr.RawDropped(ctx), len(res.Resources))
		}
		out = append(out, res.Resources[0])
	}
	return out
}

// The GKE control plane's authorized networks: the newer
// controlPlaneEndpointsConfig.ipEndpointsConfig.authorizedNetworksConfig
// wins over masterAuthorizedNetworksConfig; gcpPublicCidrsAccessEnabled
// true lets any Google Cloud public address in (read as 0.0.0.0/0, so
// kubernetes-endpoint-open-to-all fails), false keeps the blocks alone,
// absent leaves the list unknown unless a block admits any address.
func TestGKEAuthorizedNetworks(t *testing.T) {
	const c = "//container.googleapis.com/projects/p/locations/us-central1/clusters/c"
	const blocks = `"cidrBlocks":[{"displayName":"office","cidrBlock":"203.0.113.0/24"}]`
	ipcfg := func(inner string) string {
		return `"controlPlaneEndpointsConfig":{"dnsEndpointConfig":{"endpoint":"gke-x.us-central1.gke.goog","allowExternalTraffic":false},"ipEndpointsConfig":{` + inner + `}}`
	}
	for _, tc := range []struct {
		data, public string
		cidrs        []string // nil: unknown
	}{
		// Legacy fields.
		{`{"masterAuthorizedNetworksConfig":{"enabled":true,` + blocks + `,"gcpPublicCidrsAccessEnabled":false}}`, "true", []string{"203.0.113.0/24"}},
		{`{"masterAuthorizedNetworksConfig":{"enabled":true,` + blocks + `,"gcpPublicCidrsAccessEnabled":true}}`, "true", []string{"203.0.113.0/24", "0.0.0.0/0"}},
		{`{"masterAuthorizedNetworksConfig":{"enabled":true,` + blocks + `}}`, "true", nil},
		{`{"masterAuthorizedNetworksConfig":{"enabled":true,"cidrBlocks":[{"cidrBlock":"0.0.0.0/0"}]}}`, "true", []string{"0.0.0.0/0"}},
		{`{"masterAuthorizedNetworksConfig":{}}`, "true", []string{"0.0.0.0/0"}},
		{`{"privateClusterConfig":{"enablePrivateNodes":true,"enablePrivateEndpoint":true}}`, "false", nil},
		// Newer fields: public endpoint and its own authorized networks.
		{`{` + ipcfg(`"enabled":true,"enablePublicEndpoint":true,"globalAccess":true,"authorizedNetworksConfig":{"enabled":true,`+blocks+`,"gcpPublicCidrsAccessEnabled":false},"publicEndpoint":"34.1.2.3","privateEndpoint":"10.0.0.2"`) + `}`, "true", []string{"203.0.113.0/24"}},
		{`{` + ipcfg(`"enabled":true,"enablePublicEndpoint":true,"authorizedNetworksConfig":{"enabled":true,`+blocks+`,"gcpPublicCidrsAccessEnabled":true}`) + `}`, "true", []string{"203.0.113.0/24", "0.0.0.0/0"}},
		{`{` + ipcfg(`"enabled":true,"enablePublicEndpoint":true,"authorizedNetworksConfig":{"gcpPublicCidrsAccessEnabled":true}`) + `}`, "true", []string{"0.0.0.0/0"}},
		// The newer config wins over a legacy one beside it.
		{`{` + ipcfg(`"enabled":true,"enablePublicEndpoint":true,"authorizedNetworksConfig":{"enabled":true,`+blocks+`,"gcpPublicCidrsAccessEnabled":false}`) + `,"masterAuthorizedNetworksConfig":{"enabled":true,"cidrBlocks":[{"cidrBlock":"0.0.0.0/0"}]},"privateClusterConfig":{"enablePrivateEndpoint":false}}`, "true", []string{"203.0.113.0/24"}},
		// Without its own authorized networks the legacy config counts.
		{`{` + ipcfg(`"enabled":true,"enablePublicEndpoint":true`) + `,"masterAuthorizedNetworksConfig":{"enabled":true,` + blocks + `,"gcpPublicCidrsAccessEnabled":false}}`, "true", []string{"203.0.113.0/24"}},
		// Private endpoint (public endpoint off), and IP endpoints off.
		{`{` + ipcfg(`"enabled":true,"globalAccess":false,"authorizedNetworksConfig":{"enabled":true,`+blocks+`,"gcpPublicCidrsAccessEnabled":false}`) + `}`, "false", []string{"203.0.113.0/24"}},
		{`{` + ipcfg(`"enabled":false`) + `}`, "false", nil},
		// Wrong types are unknown (the problem is reported).
		{`{"masterAuthorizedNetworksConfig":{"enabled":"maybe",` + blocks + `}}`, "true", nil},
	} {
		for i, r := range parseBoth(t, c, tc.data, TypeCluster, strings.Contains(tc.data, "maybe")) {
			k := r.Facts.Kubernetes
			if got := show(k.PublicEndpoint); got != tc.public {
				t.Errorf("%s (raw dropped %v): public endpoint %s, want %s", tc.data, i == 1, got, tc.public)
			}
			if (k.EndpointAllowedCIDRs == nil) != (tc.cidrs == nil) || !slices.Equal(k.EndpointAllowedCIDRs, tc.cidrs) {
				t.Errorf("%s (raw dropped %v): allowed %q, want %q", tc.data, i == 1, k.EndpointAllowedCIDRs, tc.cidrs)
			}
		}
	}
}

// A Cloud Run service in the Cloud Run Admin API v2 shape: top-level
// ingress, template.serviceAccount, template.vpcAccess and
// template.containers[].env (valueSource.secretKeyRef has no value).
func TestRunServiceV2(t *testing.T) {
	const run = "//run.googleapis.com/projects/p/locations/us-central1/services/api"
	const tmpl = `"template":{"serviceAccount":"api@p.iam.gserviceaccount.com",%s"containers":[{"image":"us-docker.pkg.dev/p/r/api","env":[{"name":"API_TOKEN","value":"t0k"},{"name":"DB_PASSWORD","valueSource":{"secretKeyRef":{"secret":"projects/p/secrets/db","version":"latest"}}},{"name":"LOG_LEVEL","value":"info"}]}]}`
	svc := func(ingress, vpc string) string {
		s := `{"name":"projects/p/locations/us-central1/services/api","uid":"u","generation":"3","launchStage":"GA","uri":"https://api-abc-uc.a.run.app",`
		if ingress != "" {
			s += `"ingress":"` + ingress + `",`
		}
		return s + strings.Replace(tmpl, "%s", vpc, 1) + `,"traffic":[{"type":"TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST","percent":100}]}`
	}
	for _, tc := range []struct{ data, public, vpc string }{
		{svc("INGRESS_TRAFFIC_ALL", ``), "true", "false"},
		{svc("INGRESS_TRAFFIC_INTERNAL_ONLY", `"vpcAccess":{"connector":"projects/p/locations/us-central1/connectors/c","egress":"PRIVATE_RANGES_ONLY"},`), "false", "true"},
		{svc("INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER", `"vpcAccess":{"networkInterfaces":[{"network":"default","subnetwork":"default"}],"egress":"ALL_TRAFFIC"},`), "false", "true"},
		{svc("INGRESS_TRAFFIC_NONE", `"vpcAccess":{},`), "false", "false"},
		{svc("", ``), "true", "false"},
		{svc("INGRESS_TRAFFIC_SOMETIMES", ``), "unknown", "false"},
	} {
		for i, r := range parseBoth(t, run, tc.data, TypeRunService, false) {
			fn := r.Facts.Function
			if got := show(fn.PublicNetwork); got != tc.public {
				t.Errorf("%s (raw dropped %v): public %s, want %s", tc.data, i == 1, got, tc.public)
			}
			if got := show(fn.InVPC); got != tc.vpc {
				t.Errorf("%s (raw dropped %v): in VPC %s, want %s", tc.data, i == 1, got, tc.vpc)
			}
			if fn.Identity != "api@p.iam.gserviceaccount.com" || !isTrue(fn.EnvironmentSecrets) ||
				!slices.Equal(fn.SecretVariables, []string{"API_TOKEN"}) || !isTrue(fn.HTTPSOnly) {
				t.Errorf("%s (raw dropped %v): %+v", tc.data, i == 1, fn)
			}
		}
	}
}
