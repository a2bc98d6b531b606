package azuretest

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Stateful resources, for tests of the actions that change Azure (vigil
// respond): a resource put with PutState answers GET, PUT (create or
// replace), PATCH (a JSON merge patch, RFC 7386), DELETE and, for a
// Microsoft Graph application or service principal, POST .../removePassword;
// a path marked with Gone answers 404 until it is put again. The
// collection holding a stateful resource lists its children (GET with an
// optional $filter "principalId eq '<id>'"). Fail queues error answers
// before them. Paths no state knows are answered from the routes as before.

type state struct {
	objs   map[string]map[string]any // lower-cased path: the resource
	gone   map[string]bool
	colls  map[string]bool // lower-cased collection paths
	faults map[string][]fault
	async  bool // ARM PUT and DELETE answer 202 and an operation to poll
	ops    int
	delay  time.Duration
}

type fault struct {
	status int
	header map[string]string
}

func (f *Server) st() *state {
	if f.state == nil {
		f.state = &state{objs: map[string]map[string]any{}, gone: map[string]bool{}, colls: map[string]bool{}, faults: map[string][]fault{}}
	}
	return f.state
}

// PutState stores the resource at p (an ARM ID or a Graph path such as
// /v1.0/servicePrincipals/<id>); its "id" and, for ARM, "name" are set
// from p when absent.
func (f *Server) PutState(p string, obj map[string]any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.putLocked(p, obj)
}

func (f *Server) putLocked(p string, obj map[string]any) {
	s := f.st()
	obj = clone(obj)
	if _, ok := obj["id"]; !ok {
		if strings.HasPrefix(p, "/v1.0/") {
			obj["id"] = path.Base(p)
		} else {
			obj["id"] = p
		}
	}
	if _, ok := obj["name"]; !ok && !strings.HasPrefix(p, "/v1.0/") {
		obj["name"] = path.Base(p)
	}
	k := strings.ToLower(p)
	s.objs[k] = obj
	delete(s.gone, k)
	s.colls[path.Dir(k)] = true
}

// Gone makes p answer 404 (a deleted resource).
func (f *Server) Gone(p string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	k := strings.ToLower(p)
	delete(f.st().objs, k)
	f.st().gone[k] = true
}

// State returns a copy of the resource at p, or false when there is none.
func (f *Server) State(p string) (map[string]any, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	o, ok := f.st().objs[strings.ToLower(p)]
	return clone(o), ok
}

// Async makes ARM's PUT and DELETE of stateful resources answer as the
// long-running operations they are in Azure (a security rule's): 202
// Accepted with an Azure-AsyncOperation URL whose status is Succeeded
// (the state changes at once).
func (f *Server) Async(on bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.st().async = on
}

// Latency delays every answer of the state by d (many calls in flight).
func (f *Server) Latency(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.st().delay = d
}

// Fail makes the next len(statuses) requests "METHOD path" answer those
// statuses (with header, and the error body of testdata's errors/ when it
// has one), before the state answers again.
func (f *Server) Fail(method, p string, header map[string]string, statuses ...int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	k := strings.ToLower(method + " " + p)
	for _, st := range statuses {
		f.st().faults[k] = append(f.st().faults[k], fault{st, header})
	}
}

func clone(o map[string]any) map[string]any {
	if o == nil {
		return nil
	}
	b, _ := json.Marshal(o)
	var c map[string]any
	_ = json.Unmarshal(b, &c)
	return c
}

var appIDKey = regexp.MustCompile(`^/v1\.0/applications\(appid='([^']+)'\)$`)

var principalFilter = regexp.MustCompile(`(?i)^principalId eq '([^']+)'$`)

// stateful answers r from the state; false when the state does not know
// its path (the routes answer it).
func (f *Server) stateful(w http.ResponseWriter, r *http.Request) bool {
	f.mu.Lock()
	if f.state != nil && f.state.delay > 0 {
		d := f.state.delay
		f.mu.Unlock()
		select {
		case <-time.After(d):
		case <-r.Context().Done():
		}
		f.mu.Lock()
	}
	defer f.mu.Unlock()
	if f.state == nil {
		return false
	}
	s := f.state
	k := strings.ToLower(r.URL.Path)
	family := "arm"
	if strings.HasPrefix(k, "/v1.0/") {
		family = "graph"
	}
	action := ""
	if family == "graph" && r.Method == http.MethodPost {
		if base, act, ok := cutLast(k); ok && (act == "removepassword" || act == "addpassword") {
			k, action = base, act
		}
	}
	if strings.HasPrefix(k, "/azuretest/operations/") && r.Method == http.MethodGet {
		f.log = append(f.log, r.Method+" "+r.URL.Path)
		writeJSON(w, http.StatusOK, map[string]any{"status": "Succeeded"})
		return true
	}
	alias := false
	if m := appIDKey.FindStringSubmatch(k); m != nil {
		// Graph's alternate key: the application whose appId it is.
		alias = true
		for key, o := range s.objs {
			if path.Dir(key) == "/v1.0/applications" && strings.EqualFold(fmt.Sprint(o["appId"]), m[1]) {
				k = key
			}
		}
	}
	obj, have := s.objs[k]
	if !have && !alias && !s.gone[k] && !s.colls[k] && !s.colls[path.Dir(k)] {
		return false
	}
	f.log = append(f.log, r.Method+" "+r.URL.Path)
	if family == "arm" && r.URL.Query().Get("api-version") == "" {
		f.t.Errorf("%s %s without api-version", r.Method, r.URL.Path)
	}
	fk := strings.ToLower(r.Method + " " + r.URL.Path)
	if q := s.faults[fk]; len(q) > 0 {
		s.faults[fk] = q[1:]
		f.errorLocked(w, family, q[0].status, q[0].header)
		return true
	}
	if s.async && family == "arm" && (r.Method == http.MethodPut || r.Method == http.MethodDelete) {
		s.ops++
		w = asyncWriter{w, fmt.Sprintf("%s/azuretest/operations/%d?api-version=%s", f.URL, s.ops, r.URL.Query().Get("api-version"))}
	}
	body, _ := io.ReadAll(r.Body)
	var in map[string]any
	if len(body) > 0 {
		if err := json.Unmarshal(body, &in); err != nil {
			f.t.Errorf("%s %s: body: %v", r.Method, r.URL.Path, err)
			f.errorLocked(w, family, http.StatusBadRequest, nil)
			return true
		}
	}
	switch {
	case r.Method == http.MethodGet && have:
		writeJSON(w, http.StatusOK, obj)
	case r.Method == http.MethodGet && s.colls[k] && !have:
		var list []any
		want := ""
		if m := principalFilter.FindStringSubmatch(r.URL.Query().Get("$filter")); m != nil {
			want = m[1]
		}
		for _, c := range slices.Sorted(maps.Keys(s.objs)) {
			if path.Dir(c) != k {
				continue
			}
			props, _ := s.objs[c]["properties"].(map[string]any)
			if p, _ := props["principalId"].(string); want != "" && !strings.EqualFold(p, want) {
				continue
			}
			list = append(list, s.objs[c])
		}
		writeJSON(w, http.StatusOK, map[string]any{"value": list})
	case r.Method == http.MethodPut:
		if family == "arm" && s.gone[path.Dir(path.Dir(k))] {
			f.errorLocked(w, family, http.StatusNotFound, nil)
			break
		}
		if props, ok := in["properties"].(map[string]any); ok && family == "arm" {
			if scope, _, ok := strings.Cut(r.URL.Path, "/providers/Microsoft.Authorization/roleAssignments/"); ok {
				props["scope"] = scope // read-only, from the ID
			} else {
				props["provisioningState"] = "Succeeded"
			}
		}
		status := http.StatusCreated
		if have {
			status = http.StatusOK
		}
		f.putLocked(r.URL.Path, in)
		writeJSON(w, status, s.objs[k])
	case r.Method == http.MethodPatch && have:
		s.objs[k] = mergePatch(obj, in).(map[string]any)
		if family == "graph" {
			w.WriteHeader(http.StatusNoContent)
		} else {
			writeJSON(w, http.StatusOK, s.objs[k])
		}
	case r.Method == http.MethodDelete:
		status := http.StatusNoContent
		if have {
			status = http.StatusOK
			delete(s.objs, k)
			s.gone[k] = true
		}
		if family == "graph" {
			status = http.StatusNoContent
		}
		w.WriteHeader(status)
	case action == "removepassword" && have:
		id, _ := in["keyId"].(string)
		creds, _ := obj["passwordCredentials"].([]any)
		kept := []any{}
		for _, c := range creds {
			if m, _ := c.(map[string]any); !strings.EqualFold(fmt.Sprint(m["keyId"]), id) {
				kept = append(kept, c)
			}
		}
		if len(kept) == len(creds) {
			f.errorLocked(w, family, http.StatusBadRequest, nil)
			break
		}
		obj["passwordCredentials"] = kept
		w.WriteHeader(http.StatusNoContent)
	default:
		f.errorLocked(w, family, http.StatusNotFound, nil)
	}
	return true
}

// asyncWriter turns a success into 202 Accepted with the operation to poll.
type asyncWriter struct {
	http.ResponseWriter
	op string
}

func (a asyncWriter) WriteHeader(status int) {
	if status < 300 {
		a.Header().Set("Azure-AsyncOperation", a.op)
		status = http.StatusAccepted
	}
	a.ResponseWriter.WriteHeader(status)
}

// cutLast splits p at its last slash.
func cutLast(p string) (string, string, bool) {
	i := strings.LastIndexByte(p, '/')
	if i <= 0 {
		return "", "", false
	}
	return p[:i], p[i+1:], true
}

// errorLocked writes an error answer: testdata's errors/<family>-<status>.json
// when there is one, else a body of the API's error shape.
func (f *Server) errorLocked(w http.ResponseWriter, family string, status int, header map[string]string) {
	body, err := os.ReadFile(filepath.Join(f.dir, fmt.Sprintf("errors/%s-%d.json", family, status)))
	if err != nil {
		code := map[int]string{400: "BadRequest", 404: "ResourceNotFound", 409: "Conflict"}[status]
		if family == "graph" && status == 404 {
			code = "Request_ResourceNotFound"
		}
		body = fmt.Appendf(nil, `{"error":{"code":%q,"message":"azuretest: status %d"}}`, code, status)
	}
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	_ = json.Unmarshal(body, &e)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("x-ms-error-code", e.Error.Code)
	for k, v := range header {
		w.Header().Set(k, v)
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// mergePatch applies a JSON merge patch (RFC 7386): objects merge, null
// removes, anything else (arrays included) replaces.
func mergePatch(target, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	t, ok := target.(map[string]any)
	if !ok {
		t = map[string]any{}
	}
	for k, v := range p {
		if v == nil {
			delete(t, k)
			continue
		}
		t[k] = mergePatch(t[k], v)
	}
	return t
}
