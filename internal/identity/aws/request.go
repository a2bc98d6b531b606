package awsiam

import (
	"strings"
)

// Request is one API call to evaluate.
type Request struct {
	// Principal is the caller's ARN: an IAM user
	// (arn:aws:iam::111122223333:user/alice), a role (the request is made
	// by a session of it), a role session
	// (arn:aws:sts::111122223333:assumed-role/R/session), the account root,
	// or an AWS service principal ("lambda.amazonaws.com").
	Principal string
	// Action is "service:Action", as AWS names it (case-insensitive).
	Action string
	// Resource is the resource ARN, or "*" for actions that take no
	// resource.
	Resource string
	// ResourceAccount is the account owning the resource; "" takes it from
	// the ARN (S3 bucket and object ARNs carry none: then the principal's
	// account is assumed).
	ResourceAccount string
	// Context holds the request context keys (case-insensitive names) with
	// their values; a key with one value is single-valued, with several
	// multivalued (aws:TagKeys).
	Context map[string][]string
	// ContextComplete says Context is everything the request carries: a
	// condition on an absent key is then decided as AWS decides it (a
	// missing key). When false, such a condition makes the result
	// Conditional.
	ContextComplete bool
	// CompletePrefixes are key prefixes ("aws:PrincipalTag/") under which
	// Context holds every key the request carries, when ContextComplete is
	// false: the principal's tags are known, so a tag it lacks is absent.
	CompletePrefixes []string
}

// principalInfo is what the evaluator reads from a principal ARN.
type principalInfo struct {
	arn     string
	account string
	kind    string // user, role, session, root, federated, provider, service, anonymous, other
	// roleARN is the role of a session (or the role itself).
	roleARN string
	name    string // user name, role name
}

func parsePrincipal(p string) principalInfo {
	pi := principalInfo{arn: p, kind: "other"}
	if p == "" || p == "*" {
		pi.kind = "anonymous"
		return pi
	}
	if !strings.HasPrefix(p, "arn:") {
		if strings.HasSuffix(p, ".amazonaws.com") || strings.HasSuffix(p, ".amazonaws.com.cn") {
			pi.kind = "service"
		}
		return pi
	}
	parts := strings.SplitN(p, ":", 6)
	if len(parts) != 6 {
		return pi
	}
	pi.account = parts[4]
	res := parts[5]
	switch parts[2] {
	case "iam":
		switch {
		case res == "root":
			pi.kind = "root"
		case strings.HasPrefix(res, "user/"):
			pi.kind = "user"
			pi.name = lastSegment(res)
		case strings.HasPrefix(res, "oidc-provider/") || strings.HasPrefix(res, "saml-provider/"):
			// A federated identity (web identity or SAML) entering through
			// the provider: only the role's trust policy speaks for it.
			pi.kind = "provider"
		case strings.HasPrefix(res, "role/"):
			pi.kind = "role"
			pi.roleARN = p
			pi.name = lastSegment(res)
		}
	case "sts":
		switch {
		case strings.HasPrefix(res, "assumed-role/"):
			f := strings.Split(res, "/")
			if len(f) >= 3 {
				pi.kind = "session"
				pi.name = f[1]
				// The role's path is not in a session ARN: the role ARN
				// without path is what a trust or resource policy names.
				pi.roleARN = "arn:" + parts[1] + ":iam::" + pi.account + ":role/" + f[1]
			}
		case strings.HasPrefix(res, "federated-user/"):
			pi.kind = "federated"
			pi.name = lastSegment(res)
		}
	}
	return pi
}

func lastSegment(s string) string {
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// arnAccount returns the account field of an ARN, "" when it has none.
func arnAccount(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 {
		return ""
	}
	return parts[4]
}

// requestState is a request prepared for evaluation: lower-cased action,
// principal facts, resource account, context with lower-cased keys and the
// keys the evaluator fills from the principal.
type requestState struct {
	req       *Request
	action    string // lower-cased
	service   string // lower-cased prefix
	principal principalInfo
	resAcct   string
	ctx       map[string][]string
	complete  bool
	// missing collects the context keys a conditional answer depends on.
	missing map[string]bool
	// anyResource: the question is "on some resource" (Actions): an Allow
	// statement matches whatever its Resource, a Deny only when it covers
	// every resource.
	anyResource bool
}

func newRequestState(r *Request) *requestState {
	s := &requestState{req: r, action: strings.ToLower(r.Action), complete: r.ContextComplete}
	s.service, _, _ = strings.Cut(s.action, ":")
	s.principal = parsePrincipal(r.Principal)
	s.resAcct = r.ResourceAccount
	if s.resAcct == "" {
		s.resAcct = arnAccount(r.Resource)
		if s.resAcct == "" || s.resAcct == "aws" {
			s.resAcct = s.principal.account
		}
	}
	s.ctx = make(map[string][]string, len(r.Context)+4)
	for k, v := range r.Context {
		s.ctx[strings.ToLower(k)] = v
	}
	// Keys AWS always sets from the authenticated principal.
	pi := s.principal
	if pi.kind != "anonymous" && pi.kind != "service" && pi.kind != "other" && pi.kind != "provider" {
		s.setDefault("aws:principalarn", principalARNKey(pi))
		s.setDefault("aws:principalaccount", pi.account)
		if pi.kind == "user" {
			s.setDefault("aws:username", pi.name)
		}
		s.setDefault("aws:principaltype", map[string]string{"root": "Account", "user": "User", "role": "AssumedRole", "session": "AssumedRole", "federated": "FederatedUser"}[pi.kind])
	}
	if pi.kind == "service" {
		s.setDefault("aws:principalservicename", pi.arn)
	}
	if r.Resource != "" && r.Resource != "*" {
		s.setDefault("aws:resourceaccount", s.resAcct)
	}
	return s
}

// principalARNKey is aws:PrincipalArn: the role ARN for a role session.
func principalARNKey(pi principalInfo) string {
	if pi.kind == "session" {
		return pi.roleARN
	}
	return pi.arn
}

func (s *requestState) setDefault(k, v string) {
	if _, ok := s.ctx[k]; !ok && v != "" {
		s.ctx[k] = []string{v}
	}
}

// lookup returns a context key's values: ok=tTrue when present, tFalse
// when known absent, tCond when the context is incomplete (and records the
// key as one the answer depends on).
func (s *requestState) lookup(key string) ([]string, truth) {
	k := strings.ToLower(key)
	if v, ok := s.ctx[k]; ok {
		return v, tTrue
	}
	if s.complete {
		return nil, tFalse
	}
	for _, p := range s.req.CompletePrefixes {
		if len(k) >= len(p) && strings.EqualFold(k[:len(p)], p) {
			return nil, tFalse
		}
	}
	if s.missing == nil {
		s.missing = map[string]bool{}
	}
	s.missing[key] = true
	return nil, tCond
}
