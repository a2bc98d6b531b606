package gcptest

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
)

// Cloud is an in-memory Google Cloud for the tests of vigil respond's GCP
// actions: it answers the REST (JSON) calls of Google's API clients
// (google.golang.org/api) from its state and changes it, and tests read
// and set the state inside With. Its base URL stands for every service:
// Cloud Storage under /storage/v1/, Compute Engine under /compute/v1/,
// IAM under /v1/ and Resource Manager under /v3/, as on googleapis.com.
//
// Methods: storage.buckets.getIamPolicy and setIamPolicy (etags: a set
// with a stale etag is 412 conditionNotMet); iam.projects.serviceAccounts.keys.get,
// disable and enable; compute.firewalls.get and patch (the disabled field)
// and compute.globalOperations.get and wait; cloudresourcemanager.projects.getIamPolicy
// and setIamPolicy (a stale etag is 409 ABORTED). Errors are the APIs' JSON
// error bodies (404 NOT_FOUND for a missing resource).
type Cloud struct {
	mu sync.Mutex
	// Buckets are the buckets' IAM policies, by bucket name.
	Buckets map[string]*Policy
	// Projects are the projects' IAM policies, by project ID.
	Projects map[string]*Policy
	// Keys are service-account keys, by full name
	// (projects/P/serviceAccounts/EMAIL/keys/ID).
	Keys map[string]*Key
	// Firewalls are VPC firewall rules, by projects/P/global/firewalls/NAME.
	Firewalls map[string]*Firewall
	// Hook, when set, is called before each request is answered, without
	// the state locked (it may change the state in With, as another writer
	// would); a non-nil error is the answer.
	Hook func(c Call) *APIError
	// PendingOps makes a firewall patch answer a RUNNING operation whose
	// change is made when the operation is read or waited for.
	PendingOps bool

	etag    uint64
	ops     int
	pending map[string]func() // by operation name
	calls   []Call
}

// Policy is an IAM policy as the APIs' JSON has it.
type Policy struct {
	Version      int64             `json:"version,omitempty"`
	Etag         string            `json:"etag,omitempty"`
	Bindings     []Binding         `json:"bindings,omitempty"`
	AuditConfigs []json.RawMessage `json:"auditConfigs,omitempty"`
}

// Binding is a role granted to members, under an optional condition.
type Binding struct {
	Role      string   `json:"role"`
	Members   []string `json:"members"`
	Condition *Expr    `json:"condition,omitempty"`
}

// Expr is an IAM condition.
type Expr struct {
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
	Expression  string `json:"expression,omitempty"`
}

// Key is a service-account key; KeyType is USER_MANAGED when empty.
type Key struct {
	Disabled bool
	KeyType  string
}

// Firewall is a VPC firewall rule (the fields the tests look at).
type Firewall struct {
	Network      string
	SourceRanges []string
	Disabled     bool
	Description  string
}

// Call is one request answered: its API method id
// ("storage.buckets.setIamPolicy") and resource (the bucket name, the
// key's or firewall's name, the project ID).
type Call struct {
	Method, Resource string
}

// APIError is an error answer in the Google APIs' JSON shape.
type APIError struct {
	Code    int    // HTTP status
	Status  string // PERMISSION_DENIED, NOT_FOUND...
	Reason  string // forbidden, notFound, conditionNotMet...
	Message string
}

// RESTError is the error answer the APIs give with HTTP status code.
func RESTError(code int, message string) *APIError {
	e := &APIError{Code: code, Message: message}
	switch code {
	case http.StatusBadRequest:
		e.Status, e.Reason = "INVALID_ARGUMENT", "badRequest"
	case http.StatusUnauthorized:
		e.Status, e.Reason = "UNAUTHENTICATED", "authError"
	case http.StatusForbidden:
		e.Status, e.Reason = "PERMISSION_DENIED", "forbidden"
	case http.StatusNotFound:
		e.Status, e.Reason = "NOT_FOUND", "notFound"
	case http.StatusConflict:
		e.Status, e.Reason = "ABORTED", "aborted"
	case http.StatusPreconditionFailed:
		e.Status, e.Reason = "FAILED_PRECONDITION", "conditionNotMet"
	case http.StatusTooManyRequests:
		e.Status, e.Reason = "RESOURCE_EXHAUSTED", "rateLimitExceeded"
	case http.StatusServiceUnavailable:
		e.Status, e.Reason = "UNAVAILABLE", "backendError"
	default:
		e.Status, e.Reason = "INTERNAL", "backendError"
	}
	return e
}

// NewCloud returns an empty cloud.
func NewCloud() *Cloud {
	return &Cloud{Buckets: map[string]*Policy{}, Projects: map[string]*Policy{}, Keys: map[string]*Key{}, Firewalls: map[string]*Firewall{}}
}

// With runs fn with the state locked (fn reads or changes it).
func (c *Cloud) With(fn func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fn()
}

// Etag returns a new etag (call it in With, or before serving).
func (c *Cloud) Etag() string {
	c.etag++
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], c.etag)
	return base64.StdEncoding.EncodeToString(b[:])
}

// Calls returns the requests answered so far, in order.
func (c *Cloud) Calls() []Call {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.calls)
}

// Start serves the cloud on a loopback port; the server's URL is the
// clients' base URL.
func (c *Cloud) Start() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(c.serve))
}

// route names a request's method and resource, and the handler answering
// it (with the state locked); ok is false for a path no method has.
func (c *Cloud) route(r *http.Request) (call Call, h func(body []byte, r *http.Request) (any, *APIError), ok bool) {
	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, "/storage/v1/b/") && strings.HasSuffix(p, "/iam"):
		bucket := strings.TrimSuffix(strings.TrimPrefix(p, "/storage/v1/b/"), "/iam")
		switch r.Method {
		case http.MethodGet:
			return Call{"storage.buckets.getIamPolicy", bucket}, func(_ []byte, r *http.Request) (any, *APIError) { return c.bucketPolicy(bucket, r) }, true
		case http.MethodPut:
			return Call{"storage.buckets.setIamPolicy", bucket}, func(b []byte, _ *http.Request) (any, *APIError) { return c.setBucketPolicy(bucket, b) }, true
		}
	case strings.HasPrefix(p, "/v1/projects/") && strings.Contains(p, "/serviceAccounts/") && strings.Contains(p, "/keys/"):
		name, verb, _ := strings.Cut(strings.TrimPrefix(p, "/v1/"), ":")
		switch {
		case r.Method == http.MethodGet && verb == "":
			return Call{"iam.projects.serviceAccounts.keys.get", name}, func([]byte, *http.Request) (any, *APIError) { return c.key(name) }, true
		case r.Method == http.MethodPost && (verb == "disable" || verb == "enable"):
			return Call{"iam.projects.serviceAccounts.keys." + verb, name}, func([]byte, *http.Request) (any, *APIError) {
				return c.setKey(name, verb == "disable")
			}, true
		}
	case strings.HasPrefix(p, "/compute/v1/projects/") && strings.Contains(p, "/global/firewalls/"):
		name := strings.TrimPrefix(p, "/compute/v1/")
		switch r.Method {
		case http.MethodGet:
			return Call{"compute.firewalls.get", name}, func([]byte, *http.Request) (any, *APIError) { return c.firewall(name) }, true
		case http.MethodPatch:
			return Call{"compute.firewalls.patch", name}, func(b []byte, _ *http.Request) (any, *APIError) { return c.patchFirewall(name, b) }, true
		}
	case strings.HasPrefix(p, "/compute/v1/projects/") && strings.Contains(p, "/global/operations/"):
		name := strings.TrimSuffix(strings.TrimPrefix(p, "/compute/v1/"), "/wait")
		if r.Method == http.MethodGet || r.Method == http.MethodPost && strings.HasSuffix(p, "/wait") {
			m := "compute.globalOperations.get"
			if r.Method == http.MethodPost {
				m = "compute.globalOperations.wait"
			}
			return Call{m, name}, func([]byte, *http.Request) (any, *APIError) { return c.operation(name, "", "", "") }, true
		}
	case strings.HasPrefix(p, "/v3/projects/") && r.Method == http.MethodPost:
		project, verb, _ := strings.Cut(strings.TrimPrefix(p, "/v3/projects/"), ":")
		switch verb {
		case "getIamPolicy":
			return Call{"cloudresourcemanager.projects.getIamPolicy", project}, func(b []byte, _ *http.Request) (any, *APIError) { return c.projectPolicy(project, b) }, true
		case "setIamPolicy":
			return Call{"cloudresourcemanager.projects.setIamPolicy", project}, func(b []byte, _ *http.Request) (any, *APIError) { return c.setProjectPolicy(project, b) }, true
		}
	}
	return Call{}, nil, false
}

func (c *Cloud) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, errorBody(badRequest("reading the request: %v", err)))
		return
	}
	call, h, ok := c.route(r)
	if !ok {
		writeJSON(w, http.StatusNotFound, errorBody(RESTError(http.StatusNotFound, fmt.Sprintf("the test cloud has no method %s %s", r.Method, r.URL.Path))))
		return
	}
	c.mu.Lock()
	c.calls = append(c.calls, call)
	hook := c.Hook
	c.mu.Unlock()
	if hook != nil {
		if e := hook(call); e != nil {
			writeJSON(w, e.Code, errorBody(e))
			return
		}
	}
	c.mu.Lock()
	resp, e := h(body, r)
	c.mu.Unlock()
	if e != nil {
		writeJSON(w, e.Code, errorBody(e))
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func errorBody(e *APIError) any {
	return map[string]any{"error": map[string]any{
		"code": e.Code, "message": e.Message, "status": e.Status,
		"errors": []map[string]string{{"message": e.Message, "domain": "global", "reason": e.Reason}},
	}}
}

func badRequest(format string, args ...any) *APIError {
	return RESTError(http.StatusBadRequest, fmt.Sprintf(format, args...))
}

// clone copies a policy for an answer.
func (p *Policy) clone() *Policy {
	out := *p
	out.Bindings = nil
	for _, b := range p.Bindings {
		b.Members = slices.Clone(b.Members)
		if b.Condition != nil {
			cond := *b.Condition
			b.Condition = &cond
		}
		out.Bindings = append(out.Bindings, b)
	}
	out.AuditConfigs = slices.Clone(p.AuditConfigs)
	return &out
}

// conditional reports whether p has a conditional binding, which only
// version 3 of the policy format can carry.
func (p *Policy) conditional() bool {
	return slices.ContainsFunc(p.Bindings, func(b Binding) bool { return b.Condition != nil })
}

// checkVersion refuses to show or take a conditional policy in a version
// below 3, as the APIs do.
func checkVersion(p *Policy, version int64, resource string) *APIError {
	if p.conditional() && version < 3 {
		return badRequest("Policy of %s has conditional role bindings: requested or set policy version %d is below 3", resource, version)
	}
	return nil
}

func (c *Cloud) bucketPolicy(bucket string, r *http.Request) (any, *APIError) {
	pol, ok := c.Buckets[bucket]
	if !ok {
		return nil, RESTError(http.StatusNotFound, "The specified bucket does not exist.")
	}
	var v int64
	fmt.Sscan(r.URL.Query().Get("optionsRequestedPolicyVersion"), &v)
	if e := checkVersion(pol, v, "bucket "+bucket); e != nil {
		return nil, e
	}
	out := pol.clone()
	if out.Etag == "" {
		pol.Etag = c.Etag()
		out.Etag = pol.Etag
	}
	return map[string]any{"kind": "storage#policy", "resourceId": "projects/_/buckets/" + bucket, "version": max(out.Version, 1),
		"etag": out.Etag, "bindings": out.Bindings}, nil
}

// setPolicy replaces cur by the policy sent when its etag (if any) is
// current; conflict is the answer to a stale etag.
func (c *Cloud) setPolicy(cur *Policy, sent *Policy, resource string, conflict *APIError, keepAudit bool) (*Policy, *APIError) {
	if sent.Etag != "" && sent.Etag != cur.Etag {
		return nil, conflict
	}
	if e := checkVersion(sent, sent.Version, resource); e != nil {
		return nil, e
	}
	for _, b := range sent.Bindings {
		if b.Role == "" || len(b.Members) == 0 {
			return nil, badRequest("Policy of %s: a binding without a role or members: %+v", resource, b)
		}
	}
	next := sent.clone()
	if keepAudit {
		next.AuditConfigs = cur.AuditConfigs
	}
	next.Etag = c.Etag()
	next.Version = max(next.Version, 1)
	*cur = *next
	return cur.clone(), nil
}

func (c *Cloud) setBucketPolicy(bucket string, body []byte) (any, *APIError) {
	cur, ok := c.Buckets[bucket]
	if !ok {
		return nil, RESTError(http.StatusNotFound, "The specified bucket does not exist.")
	}
	var sent Policy
	if err := json.Unmarshal(body, &sent); err != nil {
		return nil, badRequest("Invalid JSON payload received: %v", err)
	}
	out, e := c.setPolicy(cur, &sent, "bucket "+bucket, RESTError(http.StatusPreconditionFailed, "Precondition Failed"), false)
	if e != nil {
		return nil, e
	}
	return map[string]any{"kind": "storage#policy", "resourceId": "projects/_/buckets/" + bucket, "version": out.Version,
		"etag": out.Etag, "bindings": out.Bindings}, nil
}

func (c *Cloud) projectPolicy(project string, body []byte) (any, *APIError) {
	pol, ok := c.Projects[project]
	if !ok {
		return nil, RESTError(http.StatusForbidden, fmt.Sprintf("The caller does not have permission (or project %s does not exist)", project))
	}
	var req struct {
		Options struct {
			RequestedPolicyVersion int64 `json:"requestedPolicyVersion"`
		} `json:"options"`
	}
	if len(body) > 0 {
		if err := json.Unmarshal(body, &req); err != nil {
			return nil, badRequest("Invalid JSON payload received: %v", err)
		}
	}
	if e := checkVersion(pol, req.Options.RequestedPolicyVersion, "projects/"+project); e != nil {
		return nil, e
	}
	if pol.Etag == "" {
		pol.Etag = c.Etag()
	}
	out := pol.clone()
	out.Version = max(out.Version, 1)
	return out, nil
}

func (c *Cloud) setProjectPolicy(project string, body []byte) (any, *APIError) {
	cur, ok := c.Projects[project]
	if !ok {
		return nil, RESTError(http.StatusForbidden, fmt.Sprintf("The caller does not have permission (or project %s does not exist)", project))
	}
	var req struct {
		Policy     Policy `json:"policy"`
		UpdateMask string `json:"updateMask"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, badRequest("Invalid JSON payload received: %v", err)
	}
	conflict := RESTError(http.StatusConflict, "There were concurrent policy changes. Please retry the whole read-modify-write with exponential backoff.")
	// Without an update mask only bindings and etag are set: the audit
	// configuration stays.
	return c.setPolicy(cur, &req.Policy, "projects/"+project, conflict, !strings.Contains(req.UpdateMask, "auditConfigs"))
}

func (c *Cloud) key(name string) (any, *APIError) {
	k, ok := c.Keys[name]
	if !ok {
		return nil, RESTError(http.StatusNotFound, "Service account key "+name+" does not exist.")
	}
	return map[string]any{"name": name, "keyAlgorithm": "KEY_ALG_RSA_2048", "keyOrigin": "GOOGLE_PROVIDED",
		"keyType": cmpOr(k.KeyType, "USER_MANAGED"), "disabled": k.Disabled,
		"validAfterTime": "2026-01-02T03:04:05Z", "validBeforeTime": "9999-12-31T23:59:59Z"}, nil
}

func (c *Cloud) setKey(name string, disabled bool) (any, *APIError) {
	k, ok := c.Keys[name]
	if !ok {
		return nil, RESTError(http.StatusNotFound, "Service account key "+name+" does not exist.")
	}
	if cmpOr(k.KeyType, "USER_MANAGED") != "USER_MANAGED" {
		return nil, badRequest("Service account key %s is %s: only user-managed keys can be disabled or enabled", name, k.KeyType)
	}
	k.Disabled = disabled
	return map[string]any{}, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (c *Cloud) firewall(name string) (any, *APIError) {
	fw, ok := c.Firewalls[name]
	if !ok {
		return nil, RESTError(http.StatusNotFound, "The resource '"+name+"' was not found")
	}
	project, rule := firewallParts(name)
	return map[string]any{"kind": "compute#firewall", "id": "4242", "name": rule, "network": fw.Network,
		"selfLink": "https://www.googleapis.com/compute/v1/" + name, "direction": "INGRESS", "priority": 1000,
		"sourceRanges": fw.SourceRanges, "allowed": []map[string]any{{"IPProtocol": "tcp", "ports": []string{"22"}}},
		"disabled": fw.Disabled, "description": fw.Description, "project": project}, nil
}

func firewallParts(name string) (project, rule string) {
	project, _, _ = strings.Cut(strings.TrimPrefix(name, "projects/"), "/")
	return project, name[strings.LastIndex(name, "/")+1:]
}

// patchFirewall sets the fields sent: disabled and description (the
// others are refused, so that a test sees what a patch would change).
func (c *Cloud) patchFirewall(name string, body []byte) (any, *APIError) {
	fw, ok := c.Firewalls[name]
	if !ok {
		return nil, RESTError(http.StatusNotFound, "The resource '"+name+"' was not found")
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return nil, badRequest("Invalid JSON payload received: %v", err)
	}
	next := *fw
	for k, v := range fields {
		var err error
		switch k {
		case "disabled":
			err = json.Unmarshal(v, &next.Disabled)
		case "description":
			err = json.Unmarshal(v, &next.Description)
		default:
			return nil, badRequest("the test cloud does not patch the firewall field %q", k)
		}
		if err != nil {
			return nil, badRequest("Invalid value at %q: %v", k, err)
		}
	}
	project, _ := firewallParts(name)
	c.ops++
	op := fmt.Sprintf("projects/%s/global/operations/operation-%d", project, c.ops)
	if !c.PendingOps {
		*fw = next
		return c.operation(op, "patch", name, "DONE")
	}
	if c.pending == nil {
		c.pending = map[string]func(){}
	}
	c.pending[op] = func() { *fw = next }
	return c.operation(op, "patch", name, "RUNNING")
}

// operation answers a global operation: status, or DONE once its pending
// change is made.
func (c *Cloud) operation(name, typ, target, status string) (any, *APIError) {
	project, op := firewallParts(name)
	if status == "" {
		if done, ok := c.pending[name]; ok {
			done()
			delete(c.pending, name)
		} else if !strings.HasPrefix(op, "operation-") {
			return nil, RESTError(http.StatusNotFound, "The resource '"+name+"' was not found")
		}
		status = "DONE"
	}
	return map[string]any{"kind": "compute#operation", "id": "77", "name": op, "operationType": typ, "status": status,
		"progress": 100, "targetLink": "https://www.googleapis.com/compute/v1/" + target,
		"selfLink": "https://www.googleapis.com/compute/v1/projects/" + project + "/global/operations/" + op}, nil
}
