// Package awstest is a local AWS endpoint for tests of the AWS collector
// (internal/collect/aws) and of the commands running it: a real HTTP
// server on loopback the SDK is pointed at (its base endpoint), answering
// every service from response bodies kept in files in the APIs' wire
// formats. It is test code: nothing in vigil's binary imports it.
//
// Routing, by protocol as the SDK sends the request:
//   - query protocol (IAM, STS, EC2, SNS, RDS, ELBv2...): the form's Action;
//     a classic load balancer call (API version 2012-06-01, signed
//     "elasticloadbalancing" as ELBv2's) is service "elb";
//   - JSON protocol (Organizations, KMS, CloudTrail, Config, SQS, Secrets
//     Manager, CloudWatch Logs...): the operation after the last "." of X-Amz-Target;
//   - Smithy RPC v2 CBOR (CloudWatch): the path's operation, CBOR
//     answers converted from JSON response files (rpcv2.go);
//   - S3 REST: GET / is ListBuckets, GET /<bucket>?<subresource> the
//     bucket call (location, policy, acl, encryption, versioning, logging,
//     publicAccessBlock, ownershipControls, tagging); S3 Control's
//     GET /v20180820/configuration/publicAccessBlock is service
//     "s3control" GetPublicAccessBlock;
//   - other REST services (Lambda, EKS, GuardDuty, Security Hub,
//     CloudFront, API Gateway REST and v2, Access Analyzer, EFS): the method and path of the operations the collector
//     calls (restRoutes); a request whose path is not there is named by
//     the X-Vigil-Op header a test middleware may send (the SDK's
//     operation name), and when both name it they must agree (a
//     disagreement is reported in Missing).
//
// The service is the request's SigV4 signing name (iam, ec2, s3,
// organizations, elasticloadbalancing, lambda...), the region the
// signature's, and the account the one the access key names: the tests'
// keys are AKIDTEST<account> (the caller) and ASIATEST<account> (what
// AssumeRole answers), any other key is DefaultAccount's; STS
// GetCallerIdentity and AssumeRole are answered in code from them (Env
// sets the caller's key).
//
// Response files: <dir>/<service>/<Operation>[~<token>][.<resource>][.<account>][.<region>].<xml|json>
// with the dirs given to New in order (the collector's tests: testdata for
// IAM, S3, EC2, Organizations; testdata/more for the other services). The most specific existing name wins: resource, account and
// region parts are each optional, in that order. <token> is the page
// token the request carries (Marker, NextToken, position, continuation-token...):
// the first page has none, and a page answering <NextToken>p2</NextToken>
// is followed by the file named Operation~p2. <resource> is the call's
// subject with characters outside [A-Za-z0-9._-] replaced by "_": the S3
// bucket; for query and JSON calls the first of the parameters listed in
// resourceParams; for other REST calls the first of them in a JSON body
// (Account GetAlternateContact: the contact type), else the URL path
// without its leading "/", "/" replaced by "_" (Lambda GetPolicy on f:
// 2015-03-31_functions_f_policy).
//
// A file may start with a line "status: NNN" (an error answer in the
// service's wire format, NoSuchEntity for a missing password policy); a
// JSON error body's "__type" is also sent as X-Amzn-ErrorType.
//
// Handlers: Server.Handle answers an operation in code instead of from a
// file (after the faults, before the files); State (state.go) uses it to
// keep the resources the respond actions change (S3 public access blocks
// and bucket policies, IAM access keys and attached policies, EC2
// instances, security groups and snapshots) so that tests check the state
// before and after a write. S3 PUT and DELETE of ?policy and
// ?publicAccessBlock are named PutBucketPolicy, DeleteBucketPolicy,
// PutPublicAccessBlock and DeletePublicAccessBlock.
//
// Faults: Server.Fault, when set, is asked about each request and answers
// "" (serve the file), "denied", "throttle", "500", "notimpl" or
// "malformed" (a 200 whose body is cut short), answered in the service's
// wire format (AccessDenied / AccessDeniedException
// / UnauthorizedOperation 403, Throttling 400 / RequestLimitExceeded 503 /
// ThrottlingException 400 / SlowDown 503 / TooManyRequestsException 429,
// InternalError 500, NotImplemented 501). Latency delays every answer,
// Delay the answers it names.
// Every request is recorded (Server.Requests) for the permission test;
// a request with no response file is recorded in Missing and answered
// 400 MissingTestdata.
package awstest

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Request is what the server made of a request.
type Request struct {
	Service, Op, Account, Region, Resource, Token string
	Protocol                                      string // query, ec2, json, rpcv2cbor, s3, restxml, restjson
}

// Key is "service:Operation".
func (r Request) Key() string { return r.Service + ":" + r.Op }

// Server is the local AWS endpoint (see the package doc).
type Server struct {
	*httptest.Server
	Dirs    []string
	Latency time.Duration
	Fault   func(r Request) string
	// Delay, when set, adds its answer to Latency for a request.
	Delay func(r Request) time.Duration
	// CredentialTTL is how long the credentials AssumeRole answers last
	// (default an hour; negative: expired when given).
	CredentialTTL time.Duration
	// DefaultAccount is the account of an access key that names none
	// (another server's test key); "" refuses it as STS would.
	DefaultAccount string

	mu       sync.Mutex
	handlers map[string]Handler
	requests []Request
	missing  []string
	inFlight atomic.Int64
	peak     atomic.Int64
}

// resourceParams are the request parameters naming a call's subject, in
// the order they are looked for (query form fields and JSON members).
var resourceParams = []string{
	"SnapshotId", "ImageId", "PolicyId", "ParentId", "TargetId", "KeyId", "FunctionName", "QueueUrl", "TopicArn", "SecretId",
	"LoadBalancerArn", "ListenerArn", "TrailName", "DBInstanceIdentifier", "ClusterName", "DetectorId", "ResourceArn",
	"Name", "name", "Id", "Arn", "AlternateContactType", "directConnectGatewayId", "repositoryName",
}

// New starts a server answering from the response files under dirs (most
// specific first); Close stops it.
func New(dirs ...string) *Server {
	f := &Server{Dirs: dirs}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	return f
}

// Peak is the most requests the server was answering at once.
func (f *Server) Peak() int64 { return f.peak.Load() }

// Requests returns every request answered so far.
func (f *Server) Requests() []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Request(nil), f.requests...)
}

// Missing lists the requests no response file answered.
func (f *Server) Missing() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.missing...)
}

// Signature reads a SigV4 Authorization header: the access key, region
// and signing name (the service).
func Signature(h http.Header) (key, region, service string) {
	if m := credRe.FindStringSubmatch(h.Get("Authorization")); m != nil {
		return m[1], m[2], m[3]
	}
	return "", "", ""
}

var credRe = regexp.MustCompile(`Credential=([^/]+)/[0-9]{8}/([^/]+)/([^/]+)/aws4_request`)

func (f *Server) serve(w http.ResponseWriter, r *http.Request) {
	n := f.inFlight.Add(1)
	defer f.inFlight.Add(-1)
	for {
		p := f.peak.Load()
		if n <= p || f.peak.CompareAndSwap(p, n) {
			break
		}
	}
	body, _ := io.ReadAll(r.Body)
	req := Request{}
	if m := credRe.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		req.Account, req.Region, req.Service = accountOfKey(m[1]), m[2], m[3]
		if req.Account == "" {
			req.Account = f.DefaultAccount
		}
	}
	var form url.Values
	var jsonBody map[string]any
	switch {
	case isRPCv2(r):
		req.Protocol = rpcv2Protocol
		req.Op, jsonBody = rpcv2Request(r, body)
		req.Token = firstString(jsonBody, "NextToken", "nextToken")
		req.Resource = firstString(jsonBody, resourceParams...)
	case r.Header.Get("X-Amz-Target") != "":
		req.Protocol = "json"
		tgt := r.Header.Get("X-Amz-Target")
		req.Op = tgt[strings.LastIndex(tgt, ".")+1:]
		_ = json.Unmarshal(body, &jsonBody)
		req.Token = firstString(jsonBody, "NextToken", "Marker", "nextToken", "NextMarker")
		req.Resource = firstString(jsonBody, resourceParams...)
	case strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded"):
		form, _ = url.ParseQuery(string(body))
		req.Protocol = "query"
		if req.Service == "ec2" {
			req.Protocol = "ec2"
		}
		req.Op = form.Get("Action")
		if req.Service == "elasticloadbalancing" && form.Get("Version") == "2012-06-01" {
			req.Service = "elb" // classic load balancers: signed as ELBv2 is, the same operation names
		}
		req.Token = firstForm(form, "Marker", "NextToken")
		req.Resource = firstForm(form, append(resourceParams, "RoleArn")...)
	case req.Service == "s3" && strings.HasPrefix(r.URL.Path, "/v20180820/"):
		req.Protocol, req.Service = "s3control", "s3control"
		if r.URL.Path == "/v20180820/configuration/publicAccessBlock" {
			req.Op = "GetPublicAccessBlock"
		}
	case req.Service == "s3":
		req.Protocol = "s3"
		req.Op, req.Resource = s3Op(r)
		req.Token = r.URL.Query().Get("continuation-token")
	default:
		req.Protocol = "restjson"
		if req.Service == "cloudfront" || req.Service == "route53" {
			req.Protocol = "restxml"
		}
		req.Op = restOp(req.Service, r.Method, r.URL.Path)
		if sdk := r.Header.Get("X-Vigil-Op"); req.Op == "" {
			req.Op = sdk
		} else if sdk != "" && sdk != req.Op {
			f.mu.Lock()
			f.missing = append(f.missing, fmt.Sprintf("%s %s %s: the route table says %s, the SDK %s", req.Service, r.Method, r.URL.Path, req.Op, sdk))
			f.mu.Unlock()
		}
		_ = json.Unmarshal(body, &jsonBody)
		if req.Resource = firstString(jsonBody, resourceParams...); req.Resource == "" {
			req.Resource = strings.ReplaceAll(strings.TrimPrefix(r.URL.Path, "/"), "/", "_")
		}
		q := r.URL.Query()
		req.Token = firstForm(q, "Marker", "marker", "NextToken", "nextToken", "next_token", "nexttoken", "position")
		if req.Service == "route53" && req.Op == "ListResourceRecordSets" {
			req.Token = q.Get("name") // the record a page starts at
		}
	}
	req.Resource = SafeName(req.Resource)
	f.mu.Lock()
	f.requests = append(f.requests, req)
	f.mu.Unlock()

	wait := f.Latency
	if f.Delay != nil {
		wait += f.Delay(req)
	}
	if wait > 0 {
		select {
		case <-time.After(wait):
		case <-r.Context().Done():
			return
		}
	}
	if f.Fault != nil {
		if kind := f.Fault(req); kind != "" {
			f.fault(w, req, kind)
			return
		}
	}
	if h := f.handler(req.Key()); h != nil {
		f.answer(w, r, req, form, body, h)
		return
	}
	if req.Service == "sts" {
		f.sts(w, req, form)
		return
	}
	status, data, ext, tried := f.lookup(req)
	if data == nil {
		f.mu.Lock()
		f.missing = append(f.missing, req.Key()+" (looked for "+strings.Join(tried, ", ")+")")
		f.mu.Unlock()
		f.errorAnswer(w, req, 400, "MissingTestdata", "no response file for "+req.Key())
		return
	}
	if req.Protocol == rpcv2Protocol {
		rpcv2Answer(w, status, data)
		return
	}
	if ext == ".json" {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		var e map[string]any
		if status >= 300 && json.Unmarshal(data, &e) == nil {
			if t, ok := e["__type"].(string); ok {
				w.Header().Set("X-Amzn-ErrorType", t)
			}
		}
	} else {
		w.Header().Set("Content-Type", "text/xml")
	}
	w.WriteHeader(status)
	w.Write(data)
}

// restRoutes name the REST operations the collector calls by their
// method and path (the APIs' HTTP bindings).
var restRoutes = []struct {
	service, method string
	path            *regexp.Regexp
	op              string
}{
	{"lambda", "GET", regexp.MustCompile(`^/2015-03-31/functions/?$`), "ListFunctions"},
	{"lambda", "GET", regexp.MustCompile(`^/2015-03-31/functions/[^/]+/policy/?$`), "GetPolicy"},
	{"lambda", "GET", regexp.MustCompile(`^/2021-10-31/functions/[^/]+/urls/?$`), "ListFunctionUrlConfigs"},
	{"lambda", "GET", regexp.MustCompile(`^/2017-03-31/tags/.+$`), "ListTags"},
	{"eks", "GET", regexp.MustCompile(`^/clusters/?$`), "ListClusters"},
	{"eks", "GET", regexp.MustCompile(`^/clusters/[^/]+/?$`), "DescribeCluster"},
	{"guardduty", "GET", regexp.MustCompile(`^/detector/?$`), "ListDetectors"},
	{"guardduty", "GET", regexp.MustCompile(`^/detector/[^/]+/?$`), "GetDetector"},
	{"guardduty", "GET", regexp.MustCompile(`^/tags/.+$`), "ListTagsForResource"},
	{"guardduty", "POST", regexp.MustCompile(`^/detector/[^/]+/findings/?$`), "ListFindings"},
	{"guardduty", "POST", regexp.MustCompile(`^/detector/[^/]+/findings/get/?$`), "GetFindings"},
	{"securityhub", "POST", regexp.MustCompile(`^/findings/?$`), "GetFindings"},
	{"inspector2", "POST", regexp.MustCompile(`^/findings/list/?$`), "ListFindings"},
	{"securityhub", "GET", regexp.MustCompile(`^/accounts/?$`), "DescribeHub"},
	{"securityhub", "POST", regexp.MustCompile(`^/standards/get/?$`), "GetEnabledStandards"},
	{"macie2", "GET", regexp.MustCompile(`^/macie/?$`), "GetMacieSession"},
	{"cloudfront", "GET", regexp.MustCompile(`^/2020-05-31/distribution/?$`), "ListDistributions"},
	{"cloudfront", "GET", regexp.MustCompile(`^/2020-05-31/distribution/[^/]+/?$`), "GetDistribution"},
	{"cloudfront", "GET", regexp.MustCompile(`^/2020-05-31/tagging/?$`), "ListTagsForResource"},
	{"account", "POST", regexp.MustCompile(`^/getAlternateContact/?$`), "GetAlternateContact"},
	// API Gateway REST and v2 sign as one service, "apigateway".
	{"apigateway", "GET", regexp.MustCompile(`^/restapis/?$`), "GetRestApis"},
	{"apigateway", "GET", regexp.MustCompile(`^/restapis/[^/]+/resources/?$`), "GetResources"},
	{"apigateway", "GET", regexp.MustCompile(`^/vpclinks/?$`), "GetVpcLinks"},
	{"apigateway", "GET", regexp.MustCompile(`^/v2/apis/?$`), "GetApis"},
	{"apigateway", "GET", regexp.MustCompile(`^/v2/apis/[^/]+/integrations/?$`), "GetIntegrations"},
	{"apigateway", "GET", regexp.MustCompile(`^/restapis/[^/]+/stages/?$`), "GetStages"},
	{"apigateway", "GET", regexp.MustCompile(`^/v2/apis/[^/]+/stages/?$`), "GetStages"},
	{"access-analyzer", "GET", regexp.MustCompile(`^/analyzer/?$`), "ListAnalyzers"},
	{"elasticfilesystem", "GET", regexp.MustCompile(`^/2015-02-01/file-systems/?$`), "DescribeFileSystems"},
	{"route53", "GET", regexp.MustCompile(`^/2013-04-01/hostedzone/?$`), "ListHostedZones"},
	{"route53", "GET", regexp.MustCompile(`^/2013-04-01/hostedzone/[^/]+/?$`), "GetHostedZone"},
	{"route53", "GET", regexp.MustCompile(`^/2013-04-01/hostedzone/[^/]+/rrset/?$`), "ListResourceRecordSets"},
	{"route53", "GET", regexp.MustCompile(`^/2013-04-01/queryloggingconfig/?$`), "ListQueryLoggingConfigs"},
}

func restOp(service, method, path string) string {
	for _, r := range restRoutes {
		if r.service == service && r.method == method && r.path.MatchString(path) {
			return r.op
		}
	}
	return ""
}

func s3Op(r *http.Request) (op, bucket string) {
	path := strings.Trim(r.URL.Path, "/")
	if path == "" {
		return "ListBuckets", ""
	}
	bucket, _, _ = strings.Cut(path, "/")
	q := r.URL.Query()
	if r.Method == http.MethodPut || r.Method == http.MethodDelete {
		// The writes of the subresources the stateful handlers serve.
		verb := map[string]string{http.MethodPut: "Put", http.MethodDelete: "Delete"}[r.Method]
		for sub, name := range map[string]string{"policy": "BucketPolicy", "publicAccessBlock": "PublicAccessBlock"} {
			if q.Has(sub) {
				return verb + name, bucket
			}
		}
	}
	for sub, op := range map[string]string{
		"location": "GetBucketLocation", "policy": "GetBucketPolicy", "acl": "GetBucketAcl", "encryption": "GetBucketEncryption",
		"versioning": "GetBucketVersioning", "logging": "GetBucketLogging", "publicAccessBlock": "GetPublicAccessBlock",
		"ownershipControls": "GetBucketOwnershipControls", "tagging": "GetBucketTagging",
	} {
		if q.Has(sub) {
			return op, bucket
		}
	}
	return r.Method + "Object", bucket
}

// lookup finds the most specific response file for req.
func (f *Server) lookup(req Request) (status int, data []byte, ext string, tried []string) {
	base := req.Op
	if req.Token != "" {
		base += "~" + SafeName(req.Token)
	}
	var names []string
	for _, res := range []string{req.Resource, ""} {
		for _, acct := range []string{req.Account, ""} {
			for _, region := range []string{req.Region, ""} {
				n := base
				for _, p := range []string{res, acct, region} {
					if p != "" {
						n += "." + p
					}
				}
				if len(names) == 0 || names[len(names)-1] != n {
					names = append(names, n)
				}
			}
		}
	}
	for _, dir := range f.Dirs {
		for _, n := range names {
			for _, e := range []string{".xml", ".json"} {
				p := filepath.Join(dir, req.Service, n+e)
				b, err := os.ReadFile(p)
				if err != nil {
					continue
				}
				status = 200
				if rest, ok := strings.CutPrefix(string(b), "status: "); ok {
					line, body, _ := strings.Cut(rest, "\n")
					fmt.Sscanf(line, "%d", &status)
					b = []byte(body)
				}
				return status, b, e, nil
			}
		}
	}
	for _, n := range names {
		tried = append(tried, req.Service+"/"+n)
	}
	return 0, nil, "", tried
}

func (f *Server) fault(w http.ResponseWriter, req Request, kind string) {
	switch kind {
	case "denied":
		code := map[string]string{"json": "AccessDeniedException", "restjson": "AccessDeniedException", "ec2": "UnauthorizedOperation"}[req.Protocol]
		if code == "" {
			code = "AccessDenied"
		}
		status := 403
		if req.Protocol == "json" {
			status = 400
		}
		f.errorAnswer(w, req, status, code, "User: arn:aws:sts::"+req.Account+":assumed-role/vigil/test is not authorized to perform: "+req.Service+":"+req.Op)
	case "throttle":
		switch req.Protocol {
		case "json":
			f.errorAnswer(w, req, 400, "ThrottlingException", "Rate exceeded")
		case "restjson":
			f.errorAnswer(w, req, 429, "TooManyRequestsException", "Rate exceeded")
		case rpcv2Protocol:
			f.errorAnswer(w, req, 400, "Throttling", "Rate exceeded")
		case "ec2":
			f.errorAnswer(w, req, 503, "RequestLimitExceeded", "Request limit exceeded.")
		case "s3":
			f.errorAnswer(w, req, 503, "SlowDown", "Please reduce your request rate.")
		default:
			f.errorAnswer(w, req, 400, "Throttling", "Rate exceeded")
		}
	case "500":
		f.errorAnswer(w, req, 500, "InternalError", "We encountered an internal error. Please try again.")
	case "notimpl":
		f.errorAnswer(w, req, 501, "NotImplemented", "A header you provided implies functionality that is not implemented")
	case "malformed":
		// A 200 whose body is cut short: what the SDK cannot decode.
		if req.Protocol == rpcv2Protocol {
			rpcv2Malformed(w)
		} else if req.Protocol == "json" || req.Protocol == "restjson" {
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			fmt.Fprint(w, `{"Items": [{"Name": "cut`)
		} else {
			w.Header().Set("Content-Type", "text/xml")
			fmt.Fprintf(w, `<%sResponse><%sResult><Items><member>cut`, req.Op, req.Op)
		}
	default:
		panic("awstest: unknown fault " + kind)
	}
}

// errorAnswer writes an error in the wire format of req's protocol.
func (f *Server) errorAnswer(w http.ResponseWriter, req Request, status int, code, msg string) {
	switch req.Protocol {
	case rpcv2Protocol:
		rpcv2Error(w, status, code, msg)
	case "json", "restjson":
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.Header().Set("X-Amzn-ErrorType", code)
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"__type":%q,"message":%q}`, code, msg)
	case "ec2":
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(status)
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>%s</Code><Message>%s</Message></Error></Errors><RequestID>ea966190-f9aa-478e-9ede-example</RequestID></Response>`, code, xmlEscape(msg))
	case "s3":
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(status)
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>%s</Code><Message>%s</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>`, code, xmlEscape(msg))
	default:
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(status)
		typ := "Sender"
		if status >= 500 {
			typ = "Receiver"
		}
		fmt.Fprintf(w, `<ErrorResponse><Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>b5fc3c6e-example</RequestId></ErrorResponse>`, typ, code, xmlEscape(msg))
	}
}

// sts answers GetCallerIdentity and AssumeRole from the access key and
// the role ARN.
func (f *Server) sts(w http.ResponseWriter, req Request, form url.Values) {
	w.Header().Set("Content-Type", "text/xml")
	if req.Account == "" {
		f.errorAnswer(w, req, 403, "InvalidClientTokenId", "The security token included in the request is invalid.")
		return
	}
	switch req.Op {
	case "GetCallerIdentity":
		fmt.Fprintf(w, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::%[1]s:user/vigil-test</Arn>
    <UserId>AIDASAMPLEUSERID%[1]s</UserId>
    <Account>%[1]s</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>`, req.Account)
	case "AssumeRole":
		role := form.Get("RoleArn")
		parts := strings.Split(role, ":")
		if len(parts) < 6 {
			f.errorAnswer(w, req, 400, "ValidationError", "bad RoleArn")
			return
		}
		acct := parts[4]
		fmt.Fprintf(w, `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::%[1]s:assumed-role/%[2]s/%[3]s</Arn>
      <AssumedRoleId>AROA3XFRBF535PLBIFPI4:%[3]s</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIATEST%[1]s</AccessKeyId>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
      <SessionToken>FwoGZXIvYXdzEXAMPLETOKEN</SessionToken>
      <Expiration>%[4]s</Expiration>
    </Credentials>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
</AssumeRoleResponse>`, acct, parts[5][strings.LastIndex(parts[5], "/")+1:], form.Get("RoleSessionName"), time.Now().Add(cmp.Or(f.CredentialTTL, time.Hour)).UTC().Format(time.RFC3339Nano))
	default:
		f.errorAnswer(w, req, 400, "InvalidAction", "unknown STS action "+req.Op)
	}
}

func accountOfKey(key string) string {
	for _, p := range []string{"AKIDTEST", "ASIATEST"} {
		if a, ok := strings.CutPrefix(key, p); ok && len(a) == 12 {
			return a
		}
	}
	return ""
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]`)

// SafeName is s as a part of a response file name: characters outside
// [A-Za-z0-9._-] replaced by "_".
func SafeName(s string) string { return unsafeName.ReplaceAllString(s, "_") }

func firstForm(v url.Values, keys ...string) string {
	for _, k := range keys {
		if s := v.Get(k); s != "" {
			return s
		}
	}
	return ""
}

func firstString(m map[string]any, keys ...string) string {
	for _, k := range keys {
		if s, ok := m[k].(string); ok && s != "" {
			return s
		}
	}
	return ""
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// Env is the environment a collection needs to reach the server as
// account caller and nothing else: the caller's test key, no profile or
// shared files, no instance metadata, no CA bundle or endpoint from the
// machine (set each with t.Setenv).
func Env(caller string) map[string]string {
	return map[string]string{
		"AWS_ACCESS_KEY_ID": "AKIDTEST" + caller, "AWS_SECRET_ACCESS_KEY": "test-secret", "AWS_SESSION_TOKEN": "",
		"AWS_PROFILE": "", "AWS_DEFAULT_PROFILE": "", "AWS_CONFIG_FILE": os.DevNull, "AWS_SHARED_CREDENTIALS_FILE": os.DevNull,
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "",
		"AWS_ENDPOINT_URL": "", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "",
		"AWS_WEB_IDENTITY_TOKEN_FILE": "", "AWS_ROLE_ARN": "", "AWS_CA_BUNDLE": "",
	}
}

// Client is an HTTP client connecting every request to the server
// whatever its host name (S3 Control puts the account ID in the host).
func (f *Server) Client() *http.Client { return DialOnly(f.Listener.Addr().String()) }

// DialOnly is an HTTP client connecting to addr whatever the host.
func DialOnly(addr string) *http.Client {
	var d net.Dialer
	return &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return d.DialContext(ctx, network, addr)
		},
		MaxIdleConns: 512, MaxIdleConnsPerHost: 512,
	}}
}
