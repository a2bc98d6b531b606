// Package azuretest is a local HTTPS server for tests of the Azure
// collector: Azure Resource Manager, Resource Graph, Microsoft Graph and the
// Entra ID token authority on one loopback address, answering from response
// bodies kept in the APIs' documented shapes, with paging and faults; and,
// for vigil respond's tests, resources with state that PUT, PATCH, DELETE
// and Graph's removePassword change (state.go).
package azuretest

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// Route is one answer of the fake clouds: the statuses of successive
// requests (the last one repeats; default 200), the body of a 200 (a file
// under testdata/server, "{{base}}" replaced by the server's URL), and of
// the others (default errors/<family>-<status>.json).
type Route struct {
	File   string        `json:"file"`
	Status []int         `json:"status"`
	Error  string        `json:"error"`
	Delay  time.Duration `json:"-"`
	Body   []byte        `json:"-"` // the 200 body, instead of File
	// Header is set on the answers that are not a 200.
	Header map[string]string `json:"header"`
}

// Server answers Azure Resource Manager, Resource Graph and Microsoft
// Graph requests over TLS (azcore sends bearer tokens over https only)
// from routes keyed by:
//
//	GET <path>[ <page token>]                  ARM and Graph (/v1.0/...) GETs
//	RG <table> [mg:<group> ]<subscription>[,<subscription>...][ <$skipToken>]   Resource Graph queries
//
// Keys are compared case-insensitively. A request no route answers is a
// 404 and a test error. It is also the token authority of TenantID (see
// authority). Every request must carry a bearer token starting with
// "test-token-" (the authority's and StaticToken's).
type Server struct {
	// URL is the base URL of every service (https://127.0.0.1:port).
	URL string
	// Lenient: a request no route answers is a 404, not a test error
	// (fuzzed responses lead the collector to paths no route knows).
	Lenient bool
	t       testing.TB
	dir     string
	srv     *httptest.Server
	mu      sync.Mutex
	routes  map[string]Route
	hits    map[string]int
	log     []string // "METHOD path" of every request, in order
	state   *state   // stateful resources (state.go)
}

// New starts a server answering from routes, with the files under dir
// (testdata/server of internal/collect/azure); it stops at the end of the
// test.
func New(t testing.TB, dir string, routes map[string]Route) *Server {
	t.Helper()
	f := &Server{t: t, dir: dir, routes: map[string]Route{}, hits: map[string]int{}}
	for k, r := range routes {
		f.routes[strings.ToLower(k)] = r
	}
	f.srv = httptest.NewUnstartedServer(http.HandlerFunc(f.serve))
	f.srv.Config.ErrorLog = log.New(io.Discard, "", 0) // handshakes cut by the end of a test
	f.srv.StartTLS()
	f.URL = f.srv.URL
	t.Cleanup(f.srv.Close)
	return f
}

// LoadRoutes reads dir/routes.json.
func LoadRoutes(dir string) (map[string]Route, error) {
	data, err := os.ReadFile(filepath.Join(dir, "routes.json"))
	if err != nil {
		return nil, err
	}
	var rs map[string]Route
	if err := json.Unmarshal(data, &rs); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "routes.json"), err)
	}
	return rs, nil
}

func (f *Server) serve(w http.ResponseWriter, r *http.Request) {
	if f.authority(w, r) {
		return
	}
	if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer test-token-") {
		f.t.Errorf("%s %s: no bearer token", r.Method, r.URL.Path)
		http.Error(w, `{"error":{"code":"InvalidAuthenticationToken","message":"no token"}}`, http.StatusUnauthorized)
		return
	}
	if f.stateful(w, r) {
		return
	}
	key, family := "", "arm"
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/v1.0/$batch":
		f.batch(w, r)
		return
	case r.Method == http.MethodPost && strings.EqualFold(r.URL.Path, "/providers/Microsoft.ResourceGraph/resources"):
		family = "rg"
		var q struct {
			Query            string   `json:"query"`
			Subscriptions    []string `json:"subscriptions"`
			ManagementGroups []string `json:"managementGroups"`
			Options          struct {
				SkipToken string `json:"$skipToken"`
				Format    string `json:"resultFormat"`
			} `json:"options"`
		}
		body, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(body, &q); err != nil {
			f.t.Errorf("resource graph request body: %v", err)
		}
		if q.Options.Format != "objectArray" && !f.Lenient {
			f.t.Errorf("resource graph query without the objectArray format: %s", body)
		}
		table, _, _ := strings.Cut(q.Query, " ")
		key = "rg " + table
		for _, mg := range q.ManagementGroups {
			key += " mg:" + mg
		}
		subs := q.Subscriptions
		if _, rest, ok := strings.Cut(q.Query, "subscriptionId in~ ("); ok && len(subs) == 0 {
			list, _, _ := strings.Cut(rest, ")")
			for _, s := range strings.Split(list, ",") {
				subs = append(subs, strings.Trim(strings.TrimSpace(s), "'"))
			}
		}
		slices.Sort(subs)
		key += " " + strings.Join(subs, ",")
		if q.Options.SkipToken != "" {
			key += " " + q.Options.SkipToken
		}
	case r.Method == http.MethodGet:
		if strings.HasPrefix(r.URL.Path, "/v1.0/") {
			family = "graph"
		} else if r.URL.Query().Get("api-version") == "" && !f.Lenient {
			f.t.Errorf("GET %s without api-version", r.URL.Path)
		}
		key = "get " + r.URL.Path
		for _, p := range []string{"$skipToken", "$skiptoken"} {
			if v := r.URL.Query().Get(p); v != "" {
				key += " " + v
			}
		}
	default:
		f.t.Errorf("unexpected %s %s", r.Method, r.URL.Path)
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	key = strings.ToLower(key)
	f.mu.Lock()
	if r.Header.Get(batchedHeader) != "" {
		f.log = append(f.log, r.Method+" "+r.URL.Path+" (batched)")
	} else {
		f.log = append(f.log, r.Method+" "+r.URL.Path)
	}
	rt, ok := f.routes[key]
	n := f.hits[key]
	f.hits[key]++
	f.mu.Unlock()
	if !ok {
		if !f.Lenient {
			f.t.Errorf("no route for %q", key)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, `{"error":{"code":"NotFound","message":"no test route for %s"}}`, key)
		return
	}
	if rt.Delay > 0 {
		select {
		case <-time.After(rt.Delay):
		case <-r.Context().Done():
			return
		}
	}
	status := http.StatusOK
	if len(rt.Status) > 0 {
		status = rt.Status[min(n, len(rt.Status)-1)]
	}
	file := rt.File
	if status != http.StatusOK {
		file = rt.Error
		if file == "" {
			file = fmt.Sprintf("errors/%s-%d.json", family, status)
		}
	}
	body, err := rt.Body, error(nil)
	if (rt.File != "" && status == http.StatusOK) || status != http.StatusOK {
		body, err = os.ReadFile(filepath.Join(f.dir, file))
	}
	if err != nil {
		f.t.Errorf("route %q: %v", key, err)
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	body = bytes.ReplaceAll(body, []byte("{{base}}"), []byte(f.srv.URL))
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if status != http.StatusOK {
		var e struct {
			Error struct{ Code string } `json:"error"`
		}
		_ = json.Unmarshal(body, &e)
		w.Header().Set("x-ms-error-code", e.Error.Code)
		for k, v := range rt.Header {
			w.Header().Set(k, v)
		}
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// SetRoute replaces one route.
func (f *Server) SetRoute(key string, r Route) {
	f.mu.Lock()
	f.routes[strings.ToLower(key)] = r
	f.mu.Unlock()
}

// Requests returns the "METHOD path" of every request made (token
// requests as "TOKEN scope"; the requests of a $batch, after the POST of
// the batch, as "GET path (batched)").
func (f *Server) Requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.log...)
}

// Client is an HTTP client trusting the server's certificate, keeping
// enough idle connections that a TLS handshake per call is not the test's
// bottleneck.
func (f *Server) Client() *http.Client {
	c := f.srv.Client()
	c.Transport.(*http.Transport).MaxIdleConnsPerHost = 100
	return c
}

// CAFile writes the server's certificate as a PEM file under dir and
// returns its path, for a client configured by file (vigil's CLI).
func (f *Server) CAFile(dir string) (string, error) {
	p := filepath.Join(dir, "azuretest-ca.pem")
	return p, os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: f.srv.Certificate().Raw}), 0o644)
}

// StaticToken is a token credential giving a token per scope, or Err.
type StaticToken struct{ Err error }

// GetToken returns "test-token-<scopes>".
func (s StaticToken) GetToken(_ context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if s.Err != nil {
		return azcore.AccessToken{}, s.Err
	}
	return azcore.AccessToken{Token: "test-token-" + strings.Join(o.Scopes, ","), ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// authority answers as the Entra ID token authority of TenantID: its
// OpenID configuration and its token endpoint, which gives a token for the
// client credentials ClientID/ClientSecret and refuses others as
// Entra ID does (invalid_client).
func (f *Server) authority(w http.ResponseWriter, r *http.Request) bool {
	base := "/" + TenantID
	switch {
	case r.URL.Path == base+"/v2.0/.well-known/openid-configuration":
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"token_endpoint":"%[1]s%[2]s/oauth2/v2.0/token","authorization_endpoint":"%[1]s%[2]s/oauth2/v2.0/authorize",`+
			`"issuer":"%[1]s%[2]s/v2.0","token_endpoint_auth_methods_supported":["client_secret_post","private_key_jwt","client_secret_basic"],`+
			`"response_types_supported":["code","id_token","code id_token","id_token token"],"tenant_region_scope":"EU"}`, f.srv.URL, base)
	case r.URL.Path == base+"/oauth2/v2.0/token" && r.Method == http.MethodPost:
		_ = r.ParseForm()
		f.mu.Lock()
		f.log = append(f.log, "TOKEN "+r.Form.Get("scope"))
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if r.Form.Get("client_id") != ClientID || r.Form.Get("client_secret") != ClientSecret {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.","error_codes":[7000215]}`)
			return true
		}
		fmt.Fprintf(w, `{"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"test-token-%s"}`, r.Form.Get("scope"))
	default:
		return false
	}
	return true
}

// The tenant of the testdata, and the client credentials the token
// authority accepts (AZURE_CLIENT_ID, AZURE_CLIENT_SECRET).
const (
	TenantID     = "11111111-2222-4333-8444-555555555555"
	ClientID     = "0a1b2c3d-0000-4000-8000-0000000000c1"
	ClientSecret = "test-secret-not-a-real-one"
)

// batchedHeader marks the requests of a $batch as they are served.
const batchedHeader = "X-Azuretest-Batched"

// batch answers a Microsoft Graph JSON batch: each request as if it came
// alone (its route, statuses and faults), gathered in one response.
func (f *Server) batch(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.log = append(f.log, r.Method+" "+r.URL.Path)
	f.mu.Unlock()
	var in struct {
		Requests []struct{ ID, Method, URL string } `json:"requests"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || len(in.Requests) == 0 || len(in.Requests) > 20 {
		f.t.Errorf("$batch request: %v (%d requests)", err, len(in.Requests))
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	type answer struct {
		ID      string            `json:"id"`
		Status  int               `json:"status"`
		Headers map[string]string `json:"headers"`
		Body    json.RawMessage   `json:"body,omitempty"`
	}
	var out struct {
		Responses []answer `json:"responses"`
	}
	for _, q := range in.Requests {
		sub := httptest.NewRequest(q.Method, "/v1.0"+q.URL, nil)
		sub.Header.Set("Authorization", r.Header.Get("Authorization"))
		sub.Header.Set(batchedHeader, "1")
		rec := httptest.NewRecorder()
		f.serve(rec, sub)
		a := answer{ID: q.ID, Status: rec.Code, Headers: map[string]string{}}
		for k := range rec.Header() {
			a.Headers[k] = rec.Header().Get(k)
		}
		if b := rec.Body.Bytes(); json.Valid(b) {
			a.Body = b
		}
		out.Responses = append(out.Responses, a)
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}
