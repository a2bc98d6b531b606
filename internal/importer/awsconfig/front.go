package awsconfig

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// CloudFront distributions and API Gateway REST APIs fronting their
// origins, read for reachability (internal/reach): each origin a
// behaviour or an integration forwards to, with the port it is reached on
// for each viewer port (resource.Origin), and the host names load
// balancers and instances answer on, so that an origin named by its DNS
// name is matched to them.
//
//   - CloudFront (AWS::CloudFront::Distribution, distributionConfig): each
//     origin targeted by the default or another cache behaviour
//     (targetOriginId), for the viewer ports its viewerProtocolPolicy
//     accepts (allow-all: 80 and 443; redirect-to-https, https-only: 443);
//     a custom origin (customOriginConfig) on its HTTPPort or HTTPSPort
//     by originProtocolPolicy (match-viewer: the viewer's); an S3 origin
//     (a bucket's REST or website endpoint) is the bucket.
//   - API Gateway (aws apigateway get-resources --embed methods): each
//     method's HTTP or HTTP_PROXY integration over the internet
//     (connectionType INTERNET) to its uri's host and port, on 443; an AWS
//     or AWS_PROXY integration invoking a Lambda function, the function.
//     Whether the API is public is its Config item's
//     endpointConfiguration (AWS::ApiGateway::RestApi, restAPI).
//   - Host names: an ELBv2 or classic load balancer's DNS name, an
//     instance's public DNS name.

// withHostNames wraps the normalizers of the types whose items name the
// host names they answer on.
func init() {
	for t, key := range map[string]string{"AWS::ElasticLoadBalancingV2::LoadBalancer": "dNSName", "AWS::ElasticLoadBalancing::LoadBalancer": "dnsname",
		"AWS::EC2::Instance": "publicDnsName"} {
		prev, key := normalizers[t], key
		normalizers[t] = func(it *item) {
			prev(it)
			if !it.cfg.Present() {
				return
			}
			before := it.cfg.C.Count()
			if h := hostName(it.cfg.S(key)); h != "" && it.cfg.C.Count() == before {
				if it.r.Facts.Addressing == nil {
					it.r.Facts.Addressing = &resource.Addressing{}
				}
				it.r.Facts.Addressing.HostNames = append(it.r.Facts.Addressing.HostNames, h)
			}
		}
	}
	// The REST API and HTTP/WebSocket API items: restAPI (services.go)
	// was defined but not in the table; an entry there wins.
	if _, ok := normalizers[TypeRestAPI]; !ok {
		normalizers[TypeRestAPI] = restAPI
	}
	if _, ok := normalizers[TypeAPIV2]; !ok {
		normalizers[TypeAPIV2] = apiV2
	}
	prev := normalizers["AWS::CloudFront::Distribution"]
	normalizers["AWS::CloudFront::Distribution"] = func(it *item) {
		prev(it)
		if it.r.Facts.CDN != nil && it.cfg.Present() {
			before := it.cfg.C.Count()
			if o := distributionOrigins(it.cfg.O("distributionConfig")); it.cfg.C.Count() == before {
				it.r.Facts.CDN.Origins = o // a field of the wrong shape could hide or move an origin: unknown
			}
		}
	}
}

// The API Gateway Config types read as fronts.
const (
	TypeRestAPI = "AWS::ApiGateway::RestApi"
	TypeAPIV2   = "AWS::ApiGatewayV2::Api"
)

// apiV2: an API Gateway v2 API (AWS::ApiGatewayV2::Api: name,
// protocolType HTTP or WEBSOCKET, apiEndpoint, disableExecuteApiEndpoint).
// Its default endpoint is public unless disabled (a custom domain may
// still serve it: unknown then). Its integrations are not in the item
// (aws apigatewayv2 get-integrations): it fronts nothing known yet.
func apiV2(it *item) {
	r, cfg := it.r, it.cfg
	r.Class = resource.ClassAPIGateway
	a := &resource.APIGateway{}
	r.Facts.APIGateway = a
	if !cfg.Present() {
		return
	}
	if n := cfg.S("name"); n != "" {
		r.Name = n
	}
	if d := cfg.B("disableExecuteApiEndpoint"); d == nil || !*d {
		a.Public = boolp(true)
	}
	if h := cfg.S("apiEndpoint"); h != "" {
		if u, err := url.Parse(h); err == nil && u.Hostname() != "" {
			r.Facts.Addressing = &resource.Addressing{HostNames: []string{hostName(u.Hostname())}}
		}
	}
}

// lambdaInvocation: the function a Lambda integration's uri invokes
// (arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function
// ARN>/invocations), "" for another uri.
func lambdaInvocation(uri string) string {
	_, rest, ok := strings.Cut(uri, ":lambda:path/")
	if !ok {
		return ""
	}
	_, fn, ok := strings.Cut(rest, "/functions/")
	if !ok {
		return ""
	}
	fn, _, _ = strings.Cut(fn, "/invocations")
	if !strings.HasPrefix(fn, "arn:") || !strings.Contains(fn, ":function:") {
		return ""
	}
	return fn
}

func hostName(s string) string { return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".") }

// s3Endpoint matches a bucket's REST and website endpoints.
var s3Endpoint = regexp.MustCompile(`^(.+?)\.s3(?:-website)?(?:[.-][a-z]{2}(?:-gov)?-[a-z]+-\d)?\.amazonaws\.com(?:\.cn)?$`)

// distributionOrigins: the origins cache behaviours forward to.
func distributionOrigins(dc node) []resource.Origin {
	if !dc.Present() {
		return nil
	}
	if en := dc.B("enabled"); en != nil && !*en {
		return nil // a disabled distribution serves nothing
	}
	viewer := map[string][]int{} // origin ID → viewer ports
	add := func(cb node) {
		id := cb.S("targetOriginId")
		if id == "" {
			return
		}
		ports := []int{443}
		if p := cb.S("viewerProtocolPolicy"); p == "allow-all" || p == "" {
			ports = []int{80, 443}
		}
		for _, p := range ports {
			if !containsInt(viewer[id], p) {
				viewer[id] = append(viewer[id], p)
			}
		}
	}
	add(dc.O("defaultCacheBehavior"))
	cbs, _ := dc.Objs("cacheBehaviors", "items")
	for _, cb := range cbs {
		add(cb)
	}
	var out []resource.Origin
	origins, _ := dc.Objs("origins", "items")
	for _, o := range origins {
		dom := hostName(o.S("domainName"))
		vps := viewer[o.S("id")]
		if dom == "" || len(vps) == 0 {
			continue
		}
		target := dom
		if m := s3Endpoint.FindStringSubmatch(dom); m != nil {
			target = "arn:aws:s3:::" + m[1]
		}
		co := o.O("customOriginConfig")
		for _, vp := range vps {
			port := 443
			if co.Present() {
				httpPort, httpsPort := 80, 443
				if p := co.I("HTTPPort"); p != nil {
					httpPort = *p
				}
				if p := co.I("HTTPSPort"); p != nil {
					httpsPort = *p
				}
				switch co.S("originProtocolPolicy") {
				case "http-only":
					port = httpPort
				case "match-viewer":
					port = httpsPort
					if vp == 80 {
						port = httpPort
					}
				default:
					port = httpsPort
				}
			}
			out = append(out, resource.Origin{Target: target, Port: port, ViewerPort: vp, Via: dom})
		}
	}
	return out
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// apiOrigins: the HTTP backends a REST API's methods integrate with over
// the internet, the VPC links of its private integrations (their network
// load balancers are in get-vpc-links), the Lambda functions it invokes.
func apiOrigins(items []node, region string) []resource.Origin {
	var out []resource.Origin
	seen := map[string]bool{}
	for _, it := range items {
		methods, _ := it.Obj("resourceMethods")
		for verb := range methods.Map() {
			in := methods.O(verb).O("methodIntegration")
			t := strings.ToUpper(in.S("type"))
			if fn := lambdaInvocation(in.S("uri")); (t == "AWS" || t == "AWS_PROXY") && fn != "" {
				// A Lambda function invoked by the API: reached through it.
				if !seen[fn] {
					seen[fn] = true
					out = append(out, resource.Origin{Target: fn, Port: 443, ViewerPort: 443, Via: fn[strings.LastIndex(fn, ":function:")+len(":function:"):]})
				}
				continue
			}
			if t != "HTTP" && t != "HTTP_PROXY" {
				continue
			}
			u, err := url.Parse(in.S("uri"))
			if err != nil || u.Hostname() == "" {
				continue
			}
			port := 443
			if u.Scheme == "http" {
				port = 80
			}
			if p, err := strconv.Atoi(u.Port()); err == nil {
				port = p
			}
			if strings.EqualFold(in.S("connectionType"), "VPC_LINK") {
				// A private integration: the VPC link's network load
				// balancer, on the uri's port (the uri's host is only the
				// Host header). A link named by a stage variable is not
				// known.
				if id := in.S("connectionId"); region != "" && id != "" && !strings.Contains(id, "$") {
					o := resource.Origin{Target: vpcLinkARN(region, id), Port: port, ViewerPort: 443, Via: "VPC link " + id}
					if k := o.Target + ":" + strconv.Itoa(port); !seen[k] {
						seen[k] = true
						out = append(out, o)
					}
				}
				continue
			}
			o := resource.Origin{Target: hostName(u.Hostname()), Port: port, ViewerPort: 443, Via: u.Host}
			if k := o.Target + ":" + strconv.Itoa(port); !seen[k] {
				seen[k] = true
				out = append(out, o)
			}
		}
	}
	return out
}

// TypeVPCLink is a REST API VPC link (aws apigateway get-vpc-links).
const TypeVPCLink = "AWS::ApiGateway::VpcLink"

// RelVPCLinkTarget: a VPC link → a network load balancer it sends to
// (internal/reach reads it).
const RelVPCLinkTarget = "vpc_link_target"

func vpcLinkARN(region, id string) string {
	return "arn:aws:apigateway:" + region + "::/vpclinks/" + id
}

// isVPCLinks recognizes `aws apigateway get-vpc-links` output:
// {"items":[{"id":..,"name":..,"targetArns":[..],"status":"AVAILABLE"}]}.
func isVPCLinks(d attr.M) bool {
	if !onlyKeys(d, "items", "position", "ResponseMetadata") {
		return false
	}
	return anyItemHas(d, "items", "targetArns")
}

// parseVPCLinks: one resource per VPC link, related to its network load
// balancers while it is AVAILABLE (a pending, failed or deleting link
// sends nothing). The output does not name its region: the file's path
// does (vpc-links.us-east-1.json).
func parseVPCLinks(res *attr.Result, path string, d attr.M) {
	region := regionInPath(path)
	if region == "" {
		res.Problems = append(res.Problems, attr.Problem{Err: "API Gateway VPC links output: put a region name in the file's name (vpc-links.<region>.json), as the output does not say"})
		return
	}
	items, _ := node{M: d, C: &checker{}}.Objs("items")
	for _, it := range items {
		id := it.S("id")
		if id == "" {
			res.Problems = append(res.Problems, attr.Problem{Path: path, Field: it.Path.String(), Err: it.Path.String() + " names no id"})
			continue
		}
		r := &resource.Resource{Provider: resource.AWS, Account: accountOfPath(path), Region: region, Type: TypeVPCLink,
			ID: vpcLinkARN(region, id), Name: cmpOr(it.S("name"), id), Raw: it.M, Source: path, Class: resource.ClassOther, Aliases: []string{id}}
		c := &checker{ID: r.ID}
		it.C = c
		targets, _ := it.Strs("targetArns")
		if strings.EqualFold(it.S("status"), "AVAILABLE") || it.S("status") == "" {
			for _, t := range targets {
				attr.Relate(r, RelVPCLinkTarget, t)
			}
		}
		res.Problems = append(res.Problems, c.Problems...)
		res.Resources = append(res.Resources, r)
		res.AddUnsupported(r) // read for reachability, judged by no rule
	}
}
