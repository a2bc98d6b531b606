package gcp

import (
	"context"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// parse reads NDJSON lines (given one per string) and indexes the resources.
func parse(t *testing.T, lines ...string) map[string]*resource.Resource {
	t.Helper()
	res := ParseNDJSON(context.Background(), "x.json", []byte(strings.Join(lines, "\n")))
	for _, p := range res.Problems {
		t.Errorf("problem: %+v", p)
	}
	m := map[string]*resource.Resource{}
	for _, r := range res.Resources {
		if m[r.ID] == nil { // a resource line and its IAM policy line: the first
			m[r.ID] = r
		}
	}
	return m
}

func line(name, typ, data string) string {
	return `{"name":"` + name + `","asset_type":"` + typ + `","resource":{"version":"v1","data":` + data + `},"update_time":"2026-11-21T03:00:00Z"}`
}

func TestCloudRunServiceAndFunctionV2(t *testing.T) {
	const run = "//run.googleapis.com/projects/p/locations/us-central1/services/api"
	const fn = "//cloudfunctions.googleapis.com/projects/p/locations/us-central1/functions/f"
	m := parse(t,
		line(run, TypeRunService, `{"apiVersion":"serving.knative.dev/v1","kind":"Service","metadata":{"name":"api","namespace":"123","annotations":{"run.googleapis.com/ingress":"internal-and-cloud-load-balancing"}},"spec":{"template":{"metadata":{"annotations":{"run.googleapis.com/vpc-access-connector":"projects/p/locations/us-central1/connectors/c"}},"spec":{"serviceAccountName":"api@p.iam.gserviceaccount.com","containers":[{"image":"us-docker.pkg.dev/p/r/api","env":[{"name":"STRIPE_SECRET_KEY","value":"sk_live_x"},{"name":"DB_PASSWORD","valueFrom":{"secretKeyRef":{"name":"db","key":"latest"}}}]}]}}}}`),
		line(fn, TypeCloudFunctionV2, `{"buildConfig":{"runtime":"python39"},"serviceConfig":{"ingressSettings":"ALLOW_ALL","environmentVariables":{"MODE":"x"},"serviceAccountEmail":"f@p.iam.gserviceaccount.com"},"environment":"GEN_2"}`),
	)
	r := m[run].Facts.Function
	if r.PublicNetwork == nil || *r.PublicNetwork || !isTrue(r.InVPC) || r.Identity != "api@p.iam.gserviceaccount.com" ||
		!isTrue(r.EnvironmentSecrets) || len(r.SecretVariables) != 1 || r.SecretVariables[0] != "STRIPE_SECRET_KEY" || !isTrue(r.HTTPSOnly) {
		t.Errorf("run service: %+v", r)
	}
	// The function is on python39 (deprecated 2025-10-05) and reachable
	// from the internet. Its IAM policy line: allUsers holds a viewer role,
	// not the invoker; the public invoker grant is conditional (which IAM
	// refuses, so no static answer): public invocation unknown.
	f := m[fn].Facts.Function
	if f.RuntimeEndOfSupport != "2025-10-05T00:00:00Z" || !isTrue(f.PublicNetwork) || f.InVPC == nil || *f.InVPC || f.EnvironmentSecrets == nil || *f.EnvironmentSecrets {
		t.Errorf("function: %+v", f)
	}
	res := ParseNDJSON(context.Background(), "x.json", []byte(`{"name":"`+fn+`","asset_type":"`+TypeCloudFunctionV2+`","iam_policy":{"bindings":[{"role":"roles/cloudfunctions.viewer","members":["allUsers"]},{"role":"roles/run.invoker","members":["allAuthenticatedUsers"],"condition":{"title":"office","expression":"request.time < timestamp('2027-01-01T00:00:00Z')"}}]}}`))
	pf := res.Resources[0].Facts.Function
	if pf.PublicInvocation != nil {
		t.Errorf("a viewer is not an invoker, and a conditional public invoker cannot be judged: %+v", pf)
	}
	var cond *resource.Resource
	for _, r := range res.Resources {
		if strings.HasSuffix(r.ID, "#condition/office") {
			cond = r
		}
	}
	if cond == nil || cond.Facts.Binding.Condition.Expression == "" || !isTrue(cond.Facts.Binding.Public) {
		t.Errorf("conditional binding: %+v", cond)
	}
}

func TestRuntimeEndOfSupport(t *testing.T) {
	at := func(s string) *resource.Resource {
		m := parse(t, `{"name":"//cloudfunctions.googleapis.com/projects/p/locations/l/functions/f","asset_type":"`+TypeCloudFunction+`","resource":{"data":{"runtime":"nodejs20","httpsTrigger":{}}},"update_time":"`+s+`"}`)
		return m["//cloudfunctions.googleapis.com/projects/p/locations/l/functions/f"]
	}
	// The date is the runtime's, whatever the asset's update time.
	for _, ts := range []string{"2026-04-29T23:00:00Z", "2026-04-30T00:00:00Z"} {
		if f := at(ts).Facts.Function; f.RuntimeEndOfSupport != "2026-04-30T00:00:00Z" {
			t.Errorf("nodejs20 updated %s: %q", ts, f.RuntimeEndOfSupport)
		}
	}
	f := at("2026-04-30T00:00:00Z").Facts.Function
	if f.HTTPSOnly == nil || *f.HTTPSOnly {
		t.Errorf("an HTTPS trigger without security level is SECURE_OPTIONAL: %+v", f.HTTPSOnly)
	}
	for rt, want := range map[string]string{"php81": "2025-12-31T00:00:00Z", "Python312": "2028-10-02T00:00:00Z",
		"java21": "2031-09-30T00:00:00Z", "cobol85": "", "go126": "", "": ""} {
		if got := runtimeEndOfSupport(rt); got != want {
			t.Errorf("%q: %q, want %q", rt, got, want)
		}
	}
}

func TestGKEShapes(t *testing.T) {
	const a = "//container.googleapis.com/projects/p/locations/l/clusters/auto"
	const d = "//container.googleapis.com/projects/p/locations/l/clusters/dns"
	m := parse(t,
		line(a, TypeCluster, `{"autopilot":{"enabled":true},"privateClusterConfig":{"enablePrivateNodes":true},"masterAuthorizedNetworksConfig":{"enabled":true,"cidrBlocks":[{"cidrBlock":"203.0.113.0/24"}],"gcpPublicCidrsAccessEnabled":false},"loggingConfig":{"componentConfig":{"enableComponents":["SYSTEM_COMPONENTS"]}},"networkConfig":{"datapathProvider":"ADVANCED_DATAPATH"},"databaseEncryption":{"state":"ENCRYPTED","keyName":"projects/p/locations/l/keyRings/r/cryptoKeys/k"},"masterAuth":{"clusterCaCertificate":"x"}}`),
		line(d, TypeCluster, `{"controlPlaneEndpointsConfig":{"ipEndpointsConfig":{"enabled":false},"dnsEndpointConfig":{"allowExternalTraffic":false}},"networkConfig":{"defaultEnablePrivateNodes":true},"loggingService":"logging.googleapis.com/kubernetes","networkPolicy":{"provider":"CALICO","enabled":true},"nodePools":[{"management":{"autoUpgrade":true}},{"management":{"autoRepair":true}}],"masterAuth":{"username":"admin","password":"x"}}`),
	)
	k := m[a].Facts.Kubernetes
	if !isTrue(k.PublicEndpoint) || len(k.EndpointAllowedCIDRs) != 1 || !isTrue(k.NodeAutoUpgrade) || !isTrue(k.NetworkPolicy) ||
		!isTrue(k.SecretsEncrypted) || !isTrue(k.PrivateNodes) || isTrue(k.LegacyAuth) || k.LegacyAuth == nil || !isTrue(k.ControlPlaneLogging) {
		t.Errorf("autopilot: %+v", k)
	}
	k = m[d].Facts.Kubernetes
	if k.PublicEndpoint == nil || *k.PublicEndpoint || !isTrue(k.PrivateNodes) || k.NodeAutoUpgrade == nil || *k.NodeAutoUpgrade ||
		!isTrue(k.LegacyAuth) || !isTrue(k.NetworkPolicy) || k.SecretsEncrypted == nil || *k.SecretsEncrypted {
		t.Errorf("DNS-endpoint cluster: %+v", k)
	}
}

// A passthrough load balancer: the forwarding rule names its backend
// service; an internal one is not public; pieces missing from the file
// leave the joined facts unknown.
func TestLoadBalancerJoin(t *testing.T) {
	const fr = "//compute.googleapis.com/projects/p/regions/r/forwardingRules/"
	m := parse(t,
		line(fr+"nlb", TypeForwardingRule, `{"IPProtocol":"TCP","ports":["443"],"loadBalancingScheme":"INTERNAL","backendService":"https://www.googleapis.com/compute/v1/projects/p/regions/r/backendServices/be"}`),
		line("//compute.googleapis.com/projects/p/regions/r/backendServices/be", TypeRegionBackendSvc, `{"selfLink":"https://www.googleapis.com/compute/v1/projects/p/regions/r/backendServices/be","loadBalancingScheme":"INTERNAL","logConfig":{"enable":true}}`),
		line(fr+"orphan", TypeForwardingRule, `{"portRange":"443-443","target":"https://www.googleapis.com/compute/v1/projects/p/global/targetHttpsProxies/elsewhere"}`),
	)
	lb := m[fr+"nlb"].Facts.LoadBalancer
	if lb.Public == nil || *lb.Public || !isTrue(lb.AccessLogs) || lb.WAF == nil || *lb.WAF || lb.HTTPListener == nil ||
		len(lb.Listeners) != 1 || lb.Listeners[0].Port != 443 || lb.Listeners[0].Protocol != "TCP" {
		t.Errorf("internal passthrough: %+v", lb)
	}
	o := m[fr+"orphan"].Facts.LoadBalancer
	if !isTrue(o.Public) || o.WeakTLS != nil || o.AccessLogs != nil || o.WAF != nil || o.HTTPListener != nil || o.Listeners != nil {
		t.Errorf("a frontend whose proxy is not in the file: %+v", o)
	}
}

func TestHierarchyV3AndGroups(t *testing.T) {
	const f = "//cloudresourcemanager.googleapis.com/folders/22"
	const g = "//cloudidentity.googleapis.com/groups/03x"
	m := parse(t,
		`{"name":"`+f+`","asset_type":"`+TypeFolder+`","resource":{"version":"v3","data":{"name":"folders/22","parent":"folders/11","displayName":"Data","state":"ACTIVE"}},"ancestors":["folders/22","folders/11","organizations/1"]}`,
		`{"name":"//cloudresourcemanager.googleapis.com/projects/9","asset_type":"`+TypeProject+`","resource":{"data":{"projectNumber":"9","projectId":"p9"}},"ancestors":["projects/9","folders/22","organizations/1"]}`,
		`{"name":"`+g+`","asset_type":"`+TypeGroup+`","resource":{"data":{"name":"groups/03x","groupKey":{"id":"sre@example.com"},"displayName":"SRE"}}}`,
		`{"name":"`+f+`","asset_type":"`+TypeFolder+`","iam_policy":{"bindings":[{"role":"roles/owner","members":["group:sre@example.com"]}]}}`,
	)
	if ou := m[f].Facts.OrgUnit; ou.Kind != "folder" || ou.Parent != "//cloudresourcemanager.googleapis.com/folders/11" {
		t.Errorf("folder: %+v", ou)
	}
	if p := m["//cloudresourcemanager.googleapis.com/projects/9"]; p.Facts.Account.Parent != f {
		t.Errorf("project parent from ancestors: %+v", p.Facts.Account)
	}
	if gr := m[g]; gr.Class != resource.ClassGroup || gr.Name != "sre@example.com" || len(gr.Aliases) != 2 || gr.Aliases[1] != "group:sre@example.com" {
		t.Errorf("group: %+v", gr)
	}
	if b := m[f+"#iam/roles/owner/group:sre@example.com"].Facts.Binding; b.ScopeLevel != "folder" || !isTrue(b.Privileged) {
		t.Errorf("folder binding: %+v", b)
	}
}

func TestServiceAccountKeyReader(t *testing.T) {
	const sa = "//iam.googleapis.com/projects/p/serviceAccounts/123"
	for data, want := range map[string]bool{
		`{"keyType":"USER_MANAGED","validAfterTime":"2024-01-01T00:00:00Z"}`: true,
		`{"keyType":7}`: false,
		`"oops"`:        false,
		`{"keyType":"USER_MANAGED","disabled":1}`: false,
		`{}`: false,
	} {
		res := ParseNDJSON(context.Background(), "x.json", []byte(line(sa+"/keys/k1", TypeServiceAccountKey, data)))
		key, owner, ok := ServiceAccountKey(res.Resources[0])
		if ok != want || owner != sa {
			t.Errorf("%s: ok %v owner %q", data, ok, owner)
		}
		if ok && (!isTrue(key.UserManaged) || !key.Active || key.Created == "" || key.ID != "k1") {
			t.Errorf("%s: %+v", data, key)
		}
	}
}
