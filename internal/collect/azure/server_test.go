package azurecollect

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// route is one answer of the fake clouds: the statuses of successive
// requests (the last one repeats; default 200), the body of a 200 (a file
// under testdata/server, "{{base}}" replaced by the server's URL), and of
// the others (default errors/<family>-<status>.json).
type route struct {
	File   string        `json:"file"`
	Status []int         `json:"status"`
	Error  string        `json:"error"`
	Delay  time.Duration `json:"-"`
	Body   []byte        `json:"-"` // the 200 body, instead of File
	// Header is set on the answers that are not a 200.
	Header map[string]string `json:"header"`
}

// fakeAzure answers Azure Resource Manager, Resource Graph and Microsoft
// Graph requests over TLS (azcore sends bearer tokens over https only)
// from routes keyed by:
//
//	GET <path>[ <page token>]                  ARM and Graph (/v1.0/...) GETs
//	RG <table> [mg:<group> ]<subscription>[ <$skipToken>]   Resource Graph queries
//
// Keys are compared case-insensitively. A request no route answers is a
// 404 and a test error.
type fakeAzure struct {
	t      testing.TB
	dir    string
	srv    *httptest.Server
	mu     sync.Mutex
	routes map[string]route
	hits   map[string]int
	log    []string // "METHOD path" of every request, in order
	// lenient: a request no route answers is a 404, not a test error
	// (fuzzed responses lead the collector to paths no route knows).
	lenient bool
}

func newFakeAzure(t testing.TB, dir string, routes map[string]route) *fakeAzure {
	t.Helper()
	f := &fakeAzure{t: t, dir: dir, routes: map[string]route{}, hits: map[string]int{}}
	for k, r := range routes {
		f.routes[strings.ToLower(k)] = r
	}
	f.srv = httptest.NewUnstartedServer(http.HandlerFunc(f.serve))
	f.srv.Config.ErrorLog = log.New(io.Discard, "", 0) // handshakes cut by the end of a test
	f.srv.StartTLS()
	t.Cleanup(f.srv.Close)
	return f
}

// loadRoutes reads testdata/server/routes.json.
func loadRoutes(t testing.TB) map[string]route {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "server", "routes.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rs map[string]route
	if err := json.Unmarshal(data, &rs); err != nil {
		t.Fatalf("routes.json: %v", err)
	}
	return rs
}

func (f *fakeAzure) serve(w http.ResponseWriter, r *http.Request) {
	if f.authority(w, r) {
		return
	}
	if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer test-token-") {
		f.t.Errorf("%s %s: no bearer token", r.Method, r.URL.Path)
		http.Error(w, `{"error":{"code":"InvalidAuthenticationToken","message":"no token"}}`, http.StatusUnauthorized)
		return
	}
	key, family := "", "arm"
	switch {
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
		if q.Options.Format != "objectArray" && !f.lenient {
			f.t.Errorf("resource graph query without the objectArray format: %s", body)
		}
		table, _, _ := strings.Cut(q.Query, " ")
		key = "rg " + table
		for _, mg := range q.ManagementGroups {
			key += " mg:" + mg
		}
		sub := ""
		if _, rest, ok := strings.Cut(q.Query, "subscriptionId == '"); ok {
			sub, _, _ = strings.Cut(rest, "'")
		} else if _, rest, ok := strings.Cut(q.Query, "subscriptionId in ('"); ok {
			sub, _, _ = strings.Cut(rest, "'")
		} else if len(q.Subscriptions) > 0 {
			sub = q.Subscriptions[0]
		}
		key += " " + sub
		if q.Options.SkipToken != "" {
			key += " " + q.Options.SkipToken
		}
	case r.Method == http.MethodGet:
		if strings.HasPrefix(r.URL.Path, "/v1.0/") {
			family = "graph"
		} else if r.URL.Query().Get("api-version") == "" && !f.lenient {
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
	f.log = append(f.log, r.Method+" "+r.URL.Path)
	rt, ok := f.routes[key]
	n := f.hits[key]
	f.hits[key]++
	f.mu.Unlock()
	if !ok {
		if !f.lenient {
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

// setRoute replaces one route.
func (f *fakeAzure) setRoute(key string, r route) {
	f.mu.Lock()
	f.routes[strings.ToLower(key)] = r
	f.mu.Unlock()
}

// requests returns the "METHOD path" of every request made.
func (f *fakeAzure) requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.log...)
}

// options points the collector at the fake server with a fake token.
func (f *fakeAzure) options() Options {
	client := f.srv.Client()
	client.Transport.(*http.Transport).MaxIdleConnsPerHost = 100 // a TLS handshake per call would be the test's bottleneck
	return Options{
		ARMEndpoint:   f.srv.URL,
		GraphEndpoint: f.srv.URL,
		Credential:    staticToken{},
		HTTPClient:    client,
		Concurrency:   8,
		CallTimeout:   10 * time.Second,
		RetryDelay:    time.Millisecond,
		Now:           func() time.Time { return time.Date(2026, 12, 4, 21, 0, 0, 0, time.UTC) },
	}
}

// staticToken is a token credential giving a token per scope.
type staticToken struct{ err error }

func (s staticToken) GetToken(_ context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if s.err != nil {
		return azcore.AccessToken{}, s.err
	}
	return azcore.AccessToken{Token: "test-token-" + strings.Join(o.Scopes, ","), ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// authority answers as the Entra ID token authority of tenantID: its
// OpenID configuration and its token endpoint, which gives a token for the
// client credentials testClientID/testClientSecret and refuses others as
// Entra ID does (invalid_client).
func (f *fakeAzure) authority(w http.ResponseWriter, r *http.Request) bool {
	base := "/" + tenantID
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
		if r.Form.Get("client_id") != testClientID || r.Form.Get("client_secret") != testClientSecret {
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

const (
	testClientID     = "0a1b2c3d-0000-4000-8000-0000000000c1"
	testClientSecret = "test-secret-not-a-real-one"
)
