package awsconfig

import (
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// API Gateway HTTP and WebSocket API integrations, read for reachability
// (internal/reach): AWS Config records the API (AWS::ApiGatewayV2::Api,
// apiV2) but not its integrations, which come from the CLI:
//
//	aws apigatewayv2 get-integrations --api-id ID
//	    {"Items":[{"IntegrationId":"..","IntegrationType":"AWS_PROXY|HTTP_PROXY|HTTP|AWS|MOCK",
//	      "IntegrationUri":"arn:aws:lambda:..:function:NAME | https://host:port/path | <ELB listener ARN> | <Cloud Map service ARN>",
//	      "ConnectionType":"INTERNET|VPC_LINK","ConnectionId":"<VPC link ID>","IntegrationSubtype":"..", ...}],
//	     "NextToken":".."}
//	    in a file named <api-id>.<region>.json (the output does not name the API)
//
// Each integration is an origin of the API (resource.Origin, viewer port
// 443: the API's default endpoint is HTTPS):
//
//   - AWS_PROXY to a Lambda function (its ARN, or the invocation URI): the
//     function, invoked through the API;
//   - HTTP_PROXY or HTTP over the internet: the URI's host and port;
//   - HTTP_PROXY through a VPC link to a load balancer listener (its ARN):
//     the listener, whose record names its load balancer and port
//     (RelListenerPort): an internal load balancer reached through the
//     API;
//   - a Cloud Map service (a VPC link to service instances), an AWS
//     service integration (IntegrationSubtype) or MOCK: nothing reached
//     in the model.
//
// The resource has the ID of the API's Config item
// (arn:aws:apigateway:<region>::/apis/<id>) and merges with it.

// FormatAPIV2Integrations is the get-integrations output; FormatVPCLinks
// the REST API VPC links (get-vpc-links, front.go).
const (
	FormatAPIV2Integrations = "aws-apigatewayv2-integrations"
	FormatVPCLinks          = "aws-apigateway-vpc-links"
)

// RelListenerPort: an ELBv2 listener's record → its port (decimal), so
// that an integration naming the listener reaches its load balancer on
// that port (internal/reach reads it).
const RelListenerPort = "listener_port"

func init() {
	prev := normalizers["AWS::ElasticLoadBalancingV2::Listener"]
	normalizers["AWS::ElasticLoadBalancingV2::Listener"] = func(it *item) {
		prev(it)
		if !it.cfg.Present() {
			return
		}
		before := it.cfg.C.Count()
		if p := it.cfg.I("Port"); p != nil && *p > 0 && it.cfg.C.Count() == before {
			attr.Relate(it.r, RelListenerPort, strconv.Itoa(*p))
		}
	}
}

// isAPIV2Integrations recognizes get-integrations output: an Items array
// whose entries are integrations.
func isAPIV2Integrations(d attr.M) bool {
	if !attr.Has(d, "Items") || !onlyKeys(d, "Items", "NextToken", "ResponseMetadata") {
		return false
	}
	return anyItemHas(d, "Items", "IntegrationType")
}

// parseAPIV2Integrations reads one API's integrations as its origins.
func parseAPIV2Integrations(res *attr.Result, path string, d attr.M) {
	apiID, _, _ := strings.Cut(filepath.Base(path), ".")
	region := regionInPath(path)
	if !apiIDRe.MatchString(apiID) || region == "" {
		res.Problems = append(res.Problems, attr.Problem{Err: "API Gateway v2 integrations output: name the file <api-id>.<region>.json, as the output does not say which API it lists"})
		return
	}
	arn := "arn:aws:apigateway:" + region + "::/apis/" + apiID
	r := &resource.Resource{Provider: resource.AWS, Account: accountOfPath(path), Region: region, Type: TypeAPIV2,
		ID: arn, Raw: d, Source: path, Class: resource.ClassAPIGateway, Aliases: []string{apiID}} // its name is its Config item's
	c := &checker{ID: arn}
	items, _ := node{M: d, C: c}.Objs("Items")
	g := &resource.APIGateway{}
	var origins []resource.Origin
	seen := map[string]bool{}
	add := func(o resource.Origin) {
		if k := o.Target + ":" + strconv.Itoa(o.Port); !seen[k] {
			seen[k] = true
			origins = append(origins, o)
		}
	}
	for _, it := range items {
		typ, uri := strings.ToUpper(it.S("IntegrationType")), it.S("IntegrationUri")
		if it.S("IntegrationSubtype") != "" {
			continue // an AWS service action (SQS, EventBridge...): nothing on a network
		}
		switch typ {
		case "AWS_PROXY", "AWS":
			fn := lambdaInvocation(uri)
			if fn == "" && strings.HasPrefix(uri, "arn:") && strings.Contains(uri, ":lambda:") && strings.Contains(uri, ":function:") {
				fn = uri
			}
			if fn != "" {
				name := fn[strings.LastIndex(fn, ":function:")+len(":function:"):]
				add(resource.Origin{Target: fn, Port: 443, ViewerPort: 443, Via: name})
			}
		case "HTTP_PROXY", "HTTP":
			if strings.EqualFold(it.S("ConnectionType"), "VPC_LINK") {
				if strings.Contains(uri, ":elasticloadbalancing:") && strings.Contains(uri, ":listener/") {
					add(resource.Origin{Target: uri, ViewerPort: 443, Via: "VPC link " + cmpOr(it.S("ConnectionId"), "(unnamed)")})
				}
				continue // a Cloud Map service: its instances are not in the model
			}
			u, err := url.Parse(uri)
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
			add(resource.Origin{Target: hostName(u.Hostname()), Port: port, ViewerPort: 443, Via: u.Host})
		}
	}
	if c.Count() == 0 {
		g.Origins = origins // a wrong shape could hide an integration: unknown
	}
	r.Facts.APIGateway = g
	res.Problems = append(res.Problems, c.Problems...)
	res.Resources = append(res.Resources, r)
}
