package awstest

import (
	"encoding/xml"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Handler answers one operation in code: the response body in the
// service's wire format (XML for query, EC2 and S3), or an error the server
// writes in that format.
type Handler func(r *http.Request, req Request, form url.Values, body []byte) (resp string, err *APIError)

// APIError is an error answer: the HTTP status and the service's code,
// and headers to send with it.
type APIError struct {
	Status        int
	Code, Message string
	Header        http.Header
}

func apiErr(status int, code, format string, args ...any) *APIError {
	return &APIError{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Handle makes the server answer service's operation op with h (instead
// of a response file); a nil h removes it.
func (f *Server) Handle(service, op string, h Handler) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.handlers == nil {
		f.handlers = map[string]Handler{}
	}
	if h == nil {
		delete(f.handlers, service+":"+op)
		return
	}
	f.handlers[service+":"+op] = h
}

func (f *Server) handler(key string) Handler {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.handlers[key]
}

func (f *Server) answer(w http.ResponseWriter, r *http.Request, req Request, form url.Values, body []byte, h Handler) {
	resp, aerr := h(r, req, form, body)
	if aerr != nil {
		for k, v := range aerr.Header {
			w.Header()[k] = v
		}
		f.errorAnswer(w, req, aerr.Status, aerr.Code, aerr.Message)
		return
	}
	if req.Protocol == "json" || req.Protocol == "restjson" {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	} else {
		w.Header().Set("Content-Type", "text/xml")
	}
	w.Write([]byte(resp))
}

// State is an in-memory cloud the respond actions act on: Serve makes a
// server answer the operations below from it and change it, and tests read
// and set it inside With. Buckets are global (one namespace), the rest is
// kept per account (the caller's of each request, from its access key);
// regions are not told apart.
//
// Operations: s3 Get/Put/DeletePublicAccessBlock, Get/Put/DeleteBucketPolicy;
// iam ListAccessKeys, UpdateAccessKey, ListAttached{User,Role,Group}Policies,
// Attach/Detach{User,Role,Group}Policy; ec2 DescribeInstances,
// CreateSnapshot, DescribeSecurityGroups, DescribeSecurityGroupRules,
// CreateSecurityGroup, Authorize/RevokeSecurityGroupIngress/Egress,
// ModifyNetworkInterfaceAttribute. Errors are the services' codes
// (NoSuchBucket, NoSuchEntity, InvalidInstanceID.NotFound...).
type State struct {
	mu       sync.Mutex
	next     int
	Buckets  map[string]*Bucket
	Accounts map[string]*Account
}

// Bucket is an S3 bucket: its policy text ("" none) and public access
// block (nil none). A request signed for another region than Region (when
// set) is answered 301 PermanentRedirect with x-amz-bucket-region, as S3
// does.
type Bucket struct {
	Region            string
	Policy            string
	PublicAccessBlock *PublicAccessBlock
}

// PublicAccessBlock is a bucket's four flags.
type PublicAccessBlock struct {
	BlockPublicAcls       bool `xml:"BlockPublicAcls"`
	IgnorePublicAcls      bool `xml:"IgnorePublicAcls"`
	BlockPublicPolicy     bool `xml:"BlockPublicPolicy"`
	RestrictPublicBuckets bool `xml:"RestrictPublicBuckets"`
}

// Account is one account's IAM and EC2 resources.
type Account struct {
	Users map[string]*User
	// Roles and Groups hold the ARNs of their attached managed policies.
	Roles, Groups  map[string][]string
	Instances      map[string]*Instance
	SecurityGroups map[string]*SecurityGroup
	Snapshots      map[string]*Snapshot
}

// User is an IAM user: its access keys and attached managed policies.
type User struct {
	Keys     []AccessKey
	Policies []string
}

// AccessKey is one access key: its ID and Status (Active, Inactive).
type AccessKey struct{ ID, Status string }

// Instance is an EC2 instance: its EBS volumes and network interfaces.
type Instance struct {
	ID, VpcID string
	State     string // running (default), stopped, terminated
	Volumes   []string
	ENIs      []ENI
}

// ENI is a network interface and its security groups.
type ENI struct {
	ID     string
	Groups []string
}

// SecurityGroup is a VPC security group and its rules.
type SecurityGroup struct {
	ID, Name, Description, VpcID string
	Rules                        []Rule
}

// Rule is one security group rule; Protocol "-1" is every protocol.
type Rule struct {
	ID                                                     string
	Egress                                                 bool
	Protocol                                               string
	FromPort, ToPort                                       int
	CidrIPv4, CidrIPv6, PrefixListID, GroupID, Description string
}

// Snapshot is an EBS snapshot.
type Snapshot struct {
	ID, VolumeID, Description string
	Tags                      map[string]string
}

// NewState returns an empty state.
func NewState() *State {
	return &State{Buckets: map[string]*Bucket{}, Accounts: map[string]*Account{}}
}

// With runs fn with the state locked (fn reads or changes it).
func (s *State) With(fn func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn()
}

// Account returns account id's resources, made empty when new (call it in
// With, or before serving).
func (s *State) Account(id string) *Account {
	a := s.Accounts[id]
	if a == nil {
		a = &Account{Users: map[string]*User{}, Roles: map[string][]string{}, Groups: map[string][]string{},
			Instances: map[string]*Instance{}, SecurityGroups: map[string]*SecurityGroup{}, Snapshots: map[string]*Snapshot{}}
		s.Accounts[id] = a
	}
	return a
}

// NewID returns a new resource ID with prefix ("snap", "sg", "sgr").
func (s *State) NewID(prefix string) string {
	s.next++
	return fmt.Sprintf("%s-%017x", prefix, 0xf00000+s.next)
}

// Serve makes f answer the state's operations from s.
func (s *State) Serve(f *Server) {
	ops := map[string]map[string]func(r *http.Request, req Request, form url.Values, body []byte) (string, *APIError){
		"s3": {
			"GetPublicAccessBlock": s.s3GetPAB, "PutPublicAccessBlock": s.s3PutPAB, "DeletePublicAccessBlock": s.s3DeletePAB,
			"GetBucketPolicy": s.s3GetPolicy, "PutBucketPolicy": s.s3PutPolicy, "DeleteBucketPolicy": s.s3DeletePolicy,
		},
		"iam": {
			"ListAccessKeys": s.iamListKeys, "UpdateAccessKey": s.iamUpdateKey,
		},
		"ec2": {
			"DescribeInstances": s.ec2DescribeInstances, "CreateSnapshot": s.ec2CreateSnapshot,
			"DescribeSecurityGroups": s.ec2DescribeGroups, "DescribeSecurityGroupRules": s.ec2DescribeRules,
			"CreateSecurityGroup": s.ec2CreateGroup, "ModifyNetworkInterfaceAttribute": s.ec2ModifyENI,
			"AuthorizeSecurityGroupIngress": s.ec2Authorize, "AuthorizeSecurityGroupEgress": s.ec2Authorize,
			"RevokeSecurityGroupIngress": s.ec2Revoke, "RevokeSecurityGroupEgress": s.ec2Revoke,
		},
	}
	for _, kind := range []string{"User", "Role", "Group"} {
		ops["iam"]["ListAttached"+kind+"Policies"] = s.iamListAttached(kind)
		ops["iam"]["Attach"+kind+"Policy"] = s.iamAttach(kind, true)
		ops["iam"]["Detach"+kind+"Policy"] = s.iamAttach(kind, false)
	}
	for svc, m := range ops {
		for op, h := range m {
			f.Handle(svc, op, func(r *http.Request, req Request, form url.Values, body []byte) (string, *APIError) {
				s.mu.Lock()
				defer s.mu.Unlock()
				return h(r, req, form, body)
			})
		}
	}
}

// x is an XML element holding children (already XML); v one holding text.
func x(tag string, children ...string) string {
	return "<" + tag + ">" + strings.Join(children, "") + "</" + tag + ">"
}

func v(tag string, text any) string { return x(tag, xmlEscape(fmt.Sprint(text))) }

func items[T any](list []T, item func(T) string) string {
	var b strings.Builder
	for _, e := range list {
		b.WriteString(x("item", item(e)))
	}
	return b.String()
}

const reqID = "7a62c49f-347e-4fc4-9331-6e8eEXAMPLE"

// --- S3 ---

func (s *State) bucket(req Request) (*Bucket, *APIError) {
	b := s.Buckets[req.Resource]
	if b == nil {
		return nil, apiErr(404, "NoSuchBucket", "The specified bucket does not exist")
	}
	if b.Region != "" && req.Region != b.Region {
		e := apiErr(301, "PermanentRedirect", "The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.")
		e.Header = http.Header{"X-Amz-Bucket-Region": {b.Region}}
		return nil, e
	}
	return b, nil
}

func (s *State) s3GetPAB(_ *http.Request, req Request, _ url.Values, _ []byte) (string, *APIError) {
	b, err := s.bucket(req)
	if err != nil {
		return "", err
	}
	if b.PublicAccessBlock == nil {
		return "", apiErr(404, "NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found")
	}
	out, _ := xml.Marshal(struct {
		XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ PublicAccessBlockConfiguration"`
		*PublicAccessBlock
	}{PublicAccessBlock: b.PublicAccessBlock})
	return string(out), nil
}

func (s *State) s3PutPAB(_ *http.Request, req Request, _ url.Values, body []byte) (string, *APIError) {
	b, err := s.bucket(req)
	if err != nil {
		return "", err
	}
	var c PublicAccessBlock
	if e := xml.Unmarshal(body, &c); e != nil {
		return "", apiErr(400, "MalformedXML", "%v", e)
	}
	b.PublicAccessBlock = &c
	return "", nil
}

func (s *State) s3DeletePAB(_ *http.Request, req Request, _ url.Values, _ []byte) (string, *APIError) {
	b, err := s.bucket(req)
	if err != nil {
		return "", err
	}
	b.PublicAccessBlock = nil
	return "", nil
}

func (s *State) s3GetPolicy(_ *http.Request, req Request, _ url.Values, _ []byte) (string, *APIError) {
	b, err := s.bucket(req)
	if err != nil {
		return "", err
	}
	if b.Policy == "" {
		return "", apiErr(404, "NoSuchBucketPolicy", "The bucket policy does not exist")
	}
	return b.Policy, nil
}

func (s *State) s3PutPolicy(_ *http.Request, req Request, _ url.Values, body []byte) (string, *APIError) {
	b, err := s.bucket(req)
	if err != nil {
		return "", err
	}
	if !strings.HasPrefix(strings.TrimSpace(string(body)), "{") {
		return "", apiErr(400, "MalformedPolicy", "Policies must be valid JSON")
	}
	b.Policy = string(body)
	return "", nil
}

func (s *State) s3DeletePolicy(_ *http.Request, req Request, _ url.Values, _ []byte) (string, *APIError) {
	b, err := s.bucket(req)
	if err != nil {
		return "", err
	}
	b.Policy = ""
	return "", nil
}

// --- IAM ---

func iamAnswer(op, result string) string {
	return `<` + op + `Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/">` + x(op+"Result", result) +
		x("ResponseMetadata", v("RequestId", reqID)) + `</` + op + `Response>`
}

func noEntity(kind, name string) *APIError {
	return apiErr(404, "NoSuchEntity", "The %s with name %s cannot be found.", strings.ToLower(kind), name)
}

func (s *State) iamListKeys(_ *http.Request, req Request, form url.Values, _ []byte) (string, *APIError) {
	name := form.Get("UserName")
	u := s.Account(req.Account).Users[name]
	if u == nil {
		return "", noEntity("user", name)
	}
	var members string
	for _, k := range u.Keys {
		members += x("member", v("UserName", name), v("AccessKeyId", k.ID), v("Status", k.Status), v("CreateDate", "2026-01-02T03:04:05Z"))
	}
	return iamAnswer("ListAccessKeys", x("AccessKeyMetadata", members)+v("IsTruncated", false)), nil
}

func (s *State) iamUpdateKey(_ *http.Request, req Request, form url.Values, _ []byte) (string, *APIError) {
	name, id, status := form.Get("UserName"), form.Get("AccessKeyId"), form.Get("Status")
	u := s.Account(req.Account).Users[name]
	if u == nil {
		return "", noEntity("user", name)
	}
	if status != "Active" && status != "Inactive" {
		return "", apiErr(400, "ValidationError", "Status %q is not Active or Inactive", status)
	}
	for i := range u.Keys {
		if u.Keys[i].ID == id {
			u.Keys[i].Status = status
			return iamAnswer("UpdateAccessKey", ""), nil
		}
	}
	return "", apiErr(404, "NoSuchEntity", "The Access Key with id %s cannot be found.", id)
}

// attached returns the policy list of the principal named in form.
func (s *State) attached(acct, kind string, form url.Values) (*[]string, *APIError) {
	a := s.Account(acct)
	name := form.Get(kind + "Name")
	switch kind {
	case "User":
		if u := a.Users[name]; u != nil {
			return &u.Policies, nil
		}
	case "Role", "Group":
		m := a.Roles
		if kind == "Group" {
			m = a.Groups
		}
		if list, ok := m[name]; ok {
			p := &list
			return p, nil
		}
	}
	return nil, noEntity(kind, name)
}

func (s *State) setAttached(acct, kind string, form url.Values, list []string) {
	a := s.Account(acct)
	name := form.Get(kind + "Name")
	switch kind {
	case "User":
		a.Users[name].Policies = list
	case "Role":
		a.Roles[name] = list
	case "Group":
		a.Groups[name] = list
	}
}

func (s *State) iamListAttached(kind string) func(*http.Request, Request, url.Values, []byte) (string, *APIError) {
	return func(_ *http.Request, req Request, form url.Values, _ []byte) (string, *APIError) {
		list, err := s.attached(req.Account, kind, form)
		if err != nil {
			return "", err
		}
		var members string
		for _, arn := range *list {
			members += x("member", v("PolicyName", arn[strings.LastIndex(arn, "/")+1:]), v("PolicyArn", arn))
		}
		op := "ListAttached" + kind + "Policies"
		return iamAnswer(op, x("AttachedPolicies", members)+v("IsTruncated", false)), nil
	}
}

func (s *State) iamAttach(kind string, attach bool) func(*http.Request, Request, url.Values, []byte) (string, *APIError) {
	return func(_ *http.Request, req Request, form url.Values, _ []byte) (string, *APIError) {
		list, err := s.attached(req.Account, kind, form)
		if err != nil {
			return "", err
		}
		arn := form.Get("PolicyArn")
		l := slices.Clone(*list)
		i := slices.Index(l, arn)
		switch {
		case attach && i < 0:
			l = append(l, arn)
		case !attach && i < 0:
			return "", apiErr(404, "NoSuchEntity", "Policy %s was not found.", arn)
		case !attach:
			l = slices.Delete(l, i, i+1)
		}
		s.setAttached(req.Account, kind, form, l)
		op := "Detach"
		if attach {
			op = "Attach"
		}
		return `<` + op + kind + `PolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">` +
			x("ResponseMetadata", v("RequestId", reqID)) + `</` + op + kind + `PolicyResponse>`, nil
	}
}

// --- EC2 ---

func ec2Answer(op string, parts ...string) string {
	return `<` + op + `Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">` + v("requestId", reqID) +
		strings.Join(parts, "") + `</` + op + `Response>`
}

// list reads a query list: prefix.1, prefix.2...
func list(form url.Values, prefix string) []string {
	var out []string
	for i := 1; form.Has(prefix + "." + strconv.Itoa(i)); i++ {
		out = append(out, form.Get(prefix+"."+strconv.Itoa(i)))
	}
	return out
}

// filters reads Filter.N.Name / Filter.N.Value.M.
func filters(form url.Values) map[string][]string {
	out := map[string][]string{}
	for i := 1; form.Has("Filter." + strconv.Itoa(i) + ".Name"); i++ {
		p := "Filter." + strconv.Itoa(i)
		out[form.Get(p+".Name")] = list(form, p+".Value")
	}
	return out
}

func (s *State) ec2DescribeInstances(_ *http.Request, req Request, form url.Values, _ []byte) (string, *APIError) {
	a := s.Account(req.Account)
	ids := list(form, "InstanceId")
	var found []*Instance
	for _, id := range ids {
		in := a.Instances[id]
		if in == nil {
			return "", apiErr(400, "InvalidInstanceID.NotFound", "The instance ID '%s' does not exist", id)
		}
		found = append(found, in)
	}
	if len(ids) == 0 {
		for _, in := range a.Instances {
			found = append(found, in)
		}
	}
	group := func(id string) string {
		name := ""
		if g := a.SecurityGroups[id]; g != nil {
			name = g.Name
		}
		return v("groupId", id) + v("groupName", name)
	}
	var res string
	for _, in := range found {
		state := in.State
		if state == "" {
			state = "running"
		}
		var primary []string
		if len(in.ENIs) > 0 {
			primary = in.ENIs[0].Groups
		}
		enis := ""
		for i, e := range in.ENIs {
			enis += x("item", v("networkInterfaceId", e.ID), v("vpcId", in.VpcID), x("groupSet", items(e.Groups, group)),
				x("attachment", v("deviceIndex", i), v("status", "attached")))
		}
		vols := ""
		for i, vol := range in.Volumes {
			vols += x("item", v("deviceName", fmt.Sprintf("/dev/xvd%c", 'a'+i)), x("ebs", v("volumeId", vol), v("status", "attached")))
		}
		res += x("item", v("reservationId", "r-"+strings.TrimPrefix(in.ID, "i-")), v("ownerId", req.Account),
			x("instancesSet", x("item", v("instanceId", in.ID), x("instanceState", v("name", state)), v("vpcId", in.VpcID),
				x("groupSet", items(primary, group)), x("blockDeviceMapping", vols), x("networkInterfaceSet", enis))))
	}
	return ec2Answer("DescribeInstances", x("reservationSet", res)), nil
}

func (s *State) ec2CreateSnapshot(_ *http.Request, req Request, form url.Values, _ []byte) (string, *APIError) {
	a := s.Account(req.Account)
	vol := form.Get("VolumeId")
	attached := false
	for _, in := range a.Instances {
		attached = attached || slices.Contains(in.Volumes, vol)
	}
	if !attached {
		return "", apiErr(400, "InvalidVolume.NotFound", "The volume '%s' does not exist.", vol)
	}
	snap := &Snapshot{ID: s.NewID("snap"), VolumeID: vol, Description: form.Get("Description"), Tags: map[string]string{}}
	for i := 1; form.Has(fmt.Sprintf("TagSpecification.%d.ResourceType", i)); i++ {
		for j := 1; ; j++ {
			k := fmt.Sprintf("TagSpecification.%d.Tag.%d.", i, j)
			if !form.Has(k + "Key") {
				break
			}
			snap.Tags[form.Get(k+"Key")] = form.Get(k + "Value")
		}
	}
	a.Snapshots[snap.ID] = snap
	return ec2Answer("CreateSnapshot", v("snapshotId", snap.ID), v("volumeId", vol), v("status", "pending"),
		v("description", snap.Description), v("ownerId", req.Account), v("progress", "")), nil
}

func (s *State) group(a *Account, id string) (*SecurityGroup, *APIError) {
	g := a.SecurityGroups[id]
	if g == nil {
		return nil, apiErr(400, "InvalidGroup.NotFound", "The security group '%s' does not exist", id)
	}
	return g, nil
}

func perms(rules []Rule) string {
	var b strings.Builder
	for _, r := range rules {
		ranges := func(tag, attr, cidr string) string {
			if cidr == "" {
				return x(tag)
			}
			return x(tag, x("item", v(attr, cidr), v("description", r.Description)))
		}
		groups := x("groups")
		if r.GroupID != "" {
			groups = x("groups", x("item", v("groupId", r.GroupID), v("description", r.Description)))
		}
		prefixes := x("prefixListIds")
		if r.PrefixListID != "" {
			prefixes = x("prefixListIds", x("item", v("prefixListId", r.PrefixListID), v("description", r.Description)))
		}
		b.WriteString(x("item", v("ipProtocol", r.Protocol), v("fromPort", r.FromPort), v("toPort", r.ToPort), groups,
			ranges("ipRanges", "cidrIp", r.CidrIPv4), ranges("ipv6Ranges", "cidrIpv6", r.CidrIPv6), prefixes))
	}
	return b.String()
}

func (s *State) ec2DescribeGroups(_ *http.Request, req Request, form url.Values, _ []byte) (string, *APIError) {
	a := s.Account(req.Account)
	var found []*SecurityGroup
	ids := list(form, "GroupId")
	for _, id := range ids {
		g, err := s.group(a, id)
		if err != nil {
			return "", err
		}
		found = append(found, g)
	}
	if len(ids) == 0 {
		flt := filters(form)
		for _, g := range a.SecurityGroups {
			if ok := func(key, val string) bool { f, has := flt[key]; return !has || slices.Contains(f, val) }; ok("vpc-id", g.VpcID) &&
				ok("group-name", g.Name) && ok("group-id", g.ID) {
				found = append(found, g)
			}
		}
		slices.SortFunc(found, func(p, q *SecurityGroup) int { return strings.Compare(p.ID, q.ID) })
	}
	return ec2Answer("DescribeSecurityGroups", x("securityGroupInfo", items(found, func(g *SecurityGroup) string {
		var in, out []Rule
		for _, r := range g.Rules {
			if r.Egress {
				out = append(out, r)
			} else {
				in = append(in, r)
			}
		}
		return v("ownerId", req.Account) + v("groupId", g.ID) + v("groupName", g.Name) + v("groupDescription", g.Description) +
			v("vpcId", g.VpcID) + x("ipPermissions", perms(in)) + x("ipPermissionsEgress", perms(out))
	}))), nil
}

func ruleXML(acct, group string) func(Rule) string {
	return func(r Rule) string {
		out := v("securityGroupRuleId", r.ID) + v("groupId", group) + v("groupOwnerId", acct) + v("isEgress", r.Egress) +
			v("ipProtocol", r.Protocol) + v("fromPort", r.FromPort) + v("toPort", r.ToPort) + v("description", r.Description)
		for tag, val := range map[string]string{"cidrIpv4": r.CidrIPv4, "cidrIpv6": r.CidrIPv6, "prefixListId": r.PrefixListID} {
			if val != "" {
				out += v(tag, val)
			}
		}
		if r.GroupID != "" {
			out += x("referencedGroupInfo", v("groupId", r.GroupID), v("userId", acct))
		}
		return out
	}
}

func (s *State) ec2DescribeRules(_ *http.Request, req Request, form url.Values, _ []byte) (string, *APIError) {
	a := s.Account(req.Account)
	ids := list(form, "SecurityGroupRuleId")
	groups := filters(form)["group-id"]
	var out string
	seen := map[string]bool{}
	for _, gid := range slices.Sorted(maps.Keys(a.SecurityGroups)) {
		g := a.SecurityGroups[gid]
		if groups != nil && !slices.Contains(groups, g.ID) {
			continue
		}
		for _, r := range g.Rules {
			if len(ids) == 0 || slices.Contains(ids, r.ID) {
				seen[r.ID] = true
				out += x("item", ruleXML(req.Account, g.ID)(r))
			}
		}
	}
	for _, id := range ids {
		if !seen[id] {
			return "", apiErr(400, "InvalidSecurityGroupRuleId.NotFound", "The security group rule ID '%s' does not exist", id)
		}
	}
	return ec2Answer("DescribeSecurityGroupRules", x("securityGroupRuleSet", out)), nil
}

func (s *State) ec2CreateGroup(_ *http.Request, req Request, form url.Values, _ []byte) (string, *APIError) {
	a := s.Account(req.Account)
	name, vpc := form.Get("GroupName"), form.Get("VpcId")
	for _, g := range a.SecurityGroups {
		if g.Name == name && g.VpcID == vpc {
			return "", apiErr(400, "InvalidGroup.Duplicate", "The security group '%s' already exists for VPC '%s'", name, vpc)
		}
	}
	// As in AWS, a new group allows all outbound traffic.
	g := &SecurityGroup{ID: s.NewID("sg"), Name: name, Description: form.Get("GroupDescription"), VpcID: vpc,
		Rules: []Rule{{ID: s.NewID("sgr"), Egress: true, Protocol: "-1", FromPort: -1, ToPort: -1, CidrIPv4: "0.0.0.0/0"}}}
	a.SecurityGroups[g.ID] = g
	return ec2Answer("CreateSecurityGroup", v("return", true), v("groupId", g.ID)), nil
}

func (s *State) ec2ModifyENI(_ *http.Request, req Request, form url.Values, _ []byte) (string, *APIError) {
	a := s.Account(req.Account)
	id, groups := form.Get("NetworkInterfaceId"), list(form, "SecurityGroupId")
	for _, g := range groups {
		if _, err := s.group(a, g); err != nil {
			return "", err
		}
	}
	for _, in := range a.Instances {
		for i := range in.ENIs {
			if in.ENIs[i].ID == id {
				if len(groups) > 0 {
					in.ENIs[i].Groups = groups
				}
				return ec2Answer("ModifyNetworkInterfaceAttribute", v("return", true)), nil
			}
		}
	}
	return "", apiErr(400, "InvalidNetworkInterfaceID.NotFound", "The networkInterface ID '%s' does not exist", id)
}

// permRules reads IpPermissions.N into rules (one per range, group or
// prefix list).
func permRules(form url.Values, egress bool) []Rule {
	var out []Rule
	for i := 1; form.Has(fmt.Sprintf("IpPermissions.%d.IpProtocol", i)); i++ {
		p := fmt.Sprintf("IpPermissions.%d.", i)
		from, _ := strconv.Atoi(form.Get(p + "FromPort"))
		to, _ := strconv.Atoi(form.Get(p + "ToPort"))
		base := Rule{Egress: egress, Protocol: form.Get(p + "IpProtocol"), FromPort: from, ToPort: to}
		if base.Protocol == "-1" && !form.Has(p+"FromPort") {
			base.FromPort, base.ToPort = -1, -1
		}
		for _, src := range []struct{ list, field string }{{"IpRanges", "CidrIp"}, {"Ipv6Ranges", "CidrIpv6"}, {"PrefixListIds", "PrefixListId"}, {"Groups", "GroupId"}} {
			for j := 1; form.Has(fmt.Sprintf("%s%s.%d.%s", p, src.list, j, src.field)); j++ {
				k := fmt.Sprintf("%s%s.%d.", p, src.list, j)
				r := base
				r.Description = form.Get(k + "Description")
				val := form.Get(k + src.field)
				switch src.field {
				case "CidrIp":
					r.CidrIPv4 = val
				case "CidrIpv6":
					r.CidrIPv6 = val
				case "PrefixListId":
					r.PrefixListID = val
				default:
					r.GroupID = val
				}
				out = append(out, r)
			}
		}
	}
	return out
}

func sameRule(p, q Rule) bool {
	return p.Egress == q.Egress && p.Protocol == q.Protocol && p.FromPort == q.FromPort && p.ToPort == q.ToPort &&
		p.CidrIPv4 == q.CidrIPv4 && p.CidrIPv6 == q.CidrIPv6 && p.PrefixListID == q.PrefixListID && p.GroupID == q.GroupID
}

func (s *State) ec2Authorize(_ *http.Request, req Request, form url.Values, _ []byte) (string, *APIError) {
	g, err := s.group(s.Account(req.Account), form.Get("GroupId"))
	if err != nil {
		return "", err
	}
	egress := req.Op == "AuthorizeSecurityGroupEgress"
	rules := permRules(form, egress)
	if len(rules) == 0 {
		return "", apiErr(400, "MissingParameter", "No IpPermissions given")
	}
	for _, r := range rules {
		for _, have := range g.Rules {
			if sameRule(r, have) {
				return "", apiErr(400, "InvalidPermission.Duplicate", "the specified rule already exists")
			}
		}
	}
	for i := range rules {
		rules[i].ID = s.NewID("sgr")
	}
	g.Rules = append(g.Rules, rules...)
	return ec2Answer(req.Op, v("return", true), x("securityGroupRuleSet", items(rules, ruleXML(req.Account, g.ID)))), nil
}

func (s *State) ec2Revoke(_ *http.Request, req Request, form url.Values, _ []byte) (string, *APIError) {
	g, err := s.group(s.Account(req.Account), form.Get("GroupId"))
	if err != nil {
		return "", err
	}
	egress := req.Op == "RevokeSecurityGroupEgress"
	keep := slices.Clone(g.Rules)
	if ids := list(form, "SecurityGroupRuleId"); len(ids) > 0 {
		for _, id := range ids {
			i := slices.IndexFunc(keep, func(r Rule) bool { return r.ID == id && r.Egress == egress })
			if i < 0 {
				return "", apiErr(400, "InvalidSecurityGroupRuleId.NotFound", "The security group rule ID '%s' does not exist", id)
			}
			keep = slices.Delete(keep, i, i+1)
		}
	} else {
		rules := permRules(form, egress)
		if len(rules) == 0 {
			return "", apiErr(400, "MissingParameter", "No IpPermissions or SecurityGroupRuleIds given")
		}
		for _, r := range rules {
			i := slices.IndexFunc(keep, func(have Rule) bool { return sameRule(r, have) })
			if i < 0 {
				return "", apiErr(400, "InvalidPermission.NotFound", "The specified rule does not exist in this security group.")
			}
			keep = slices.Delete(keep, i, i+1)
		}
	}
	g.Rules = keep
	return ec2Answer(req.Op, v("return", true)), nil
}

// SplitS3 is a proxy for tests against a real S3-compatible server
// (MinIO): the requests signed for S3 go to s3, the others (STS, IAM...)
// to rest, each with its signed Host kept. Close stops it.
func SplitS3(s3, rest *url.URL) *httptest.Server {
	toS3, toRest := httputil.NewSingleHostReverseProxy(s3), httputil.NewSingleHostReverseProxy(rest)
	for _, p := range []*httputil.ReverseProxy{toS3, toRest} {
		d := p.Director
		p.Director = func(r *http.Request) {
			host := r.Host // signed: the server checks the signature against it
			d(r)
			r.Host = host
		}
	}
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, _, svc := Signature(r.Header); svc == "s3" {
			toS3.ServeHTTP(w, r)
			return
		}
		toRest.ServeHTTP(w, r)
	}))
}
