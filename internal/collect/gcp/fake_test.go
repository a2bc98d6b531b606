package gcpcollect

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"cloud.google.com/go/asset/apiv1/assetpb"
	"cloud.google.com/go/iam/apiv1/iampb"
	"cloud.google.com/go/resourcemanager/apiv3/resourcemanagerpb"
	"google.golang.org/api/option"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/durationpb"
)

// fake is a local gRPC server implementing Cloud Asset Inventory's
// AssetService and Resource Manager's Projects and Organizations services
// (the SDK's generated server interfaces) from testdata: asset listings as
// export lines, projects and organizations and IAM policies as the APIs'
// JSON. It pages, and answers the faults a test sets.
type fake struct {
	assetpb.UnimplementedAssetServiceServer

	pageSize int
	latency  time.Duration               // added to every answer
	assets   map[string][]*assetpb.Asset // by "parent CONTENT_TYPE"
	orgs     []*resourcemanagerpb.Organization
	projects []*resourcemanagerpb.Project
	policies map[string]*iampb.Policy // by resource (projects/N)

	mu       sync.Mutex
	faults   map[string][]error // by call key: the errors of successive attempts (nil: answer)
	loops    map[string]bool    // call keys whose second page repeats the first page's token
	blocks   map[string]bool    // call keys that never answer (until the caller's deadline)
	attempts map[string]int
	methods  map[string]int // "Method" or "ListAssets CONTENT_TYPE" -> calls
}

type projectsServer struct {
	resourcemanagerpb.UnimplementedProjectsServer
	f *fake
}

type orgsServer struct {
	resourcemanagerpb.UnimplementedOrganizationsServer
	f *fake
}

// loadFake reads a server's data from dir: organizations.json and
// projects.json (JSON arrays of the v3 messages), assets/<parent with _ for
// />/{resource,iam_policy}.json (export lines) and iam/<resource>.json.
func loadFake(t *testing.T, dir string) *fake {
	t.Helper()
	f := &fake{pageSize: 2, assets: map[string][]*assetpb.Asset{}, policies: map[string]*iampb.Policy{},
		faults: map[string][]error{}, loops: map[string]bool{}, blocks: map[string]bool{}, attempts: map[string]int{}, methods: map[string]int{}}
	readArray(t, filepath.Join(dir, "organizations.json"), func() proto.Message {
		o := &resourcemanagerpb.Organization{}
		f.orgs = append(f.orgs, o)
		return o
	})
	readArray(t, filepath.Join(dir, "projects.json"), func() proto.Message {
		p := &resourcemanagerpb.Project{}
		f.projects = append(f.projects, p)
		return p
	})
	scopes, _ := filepath.Glob(filepath.Join(dir, "assets", "*"))
	for _, s := range scopes {
		parent := strings.Replace(filepath.Base(s), "_", "/", 1)
		for _, ct := range []assetpb.ContentType{assetpb.ContentType_RESOURCE, assetpb.ContentType_IAM_POLICY} {
			file := filepath.Join(s, strings.ToLower(ct.String())+".json")
			if data, err := os.ReadFile(file); err == nil {
				f.assets[parent+" "+ct.String()] = readLines(t, file, data)
			}
		}
	}
	pols, _ := filepath.Glob(filepath.Join(dir, "iam", "*.json"))
	for _, p := range pols {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		pol := &iampb.Policy{}
		if err := protojson.Unmarshal(data, pol); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		f.policies[strings.Replace(strings.TrimSuffix(filepath.Base(p), ".json"), "_", "/", 1)] = pol
	}
	return f
}

func readArray(t *testing.T, file string, next func() proto.Message) {
	t.Helper()
	data, err := os.ReadFile(file)
	if os.IsNotExist(err) {
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	for i, r := range raw {
		if err := protojson.Unmarshal(r, next()); err != nil {
			t.Fatalf("%s: element %d: %v", file, i, err)
		}
	}
}

// readLines reads export lines into assets: protojson accepts the
// export's proto field names.
func readLines(t *testing.T, file string, data []byte) []*assetpb.Asset {
	t.Helper()
	var out []*assetpb.Asset
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<24)
	for n := 1; sc.Scan(); n++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		a := &assetpb.Asset{}
		if err := protojson.Unmarshal(sc.Bytes(), a); err != nil {
			t.Fatalf("%s:%d: %v", file, n, err)
		}
		out = append(out, a)
	}
	return out
}

// start serves f on a loopback port and returns the collector's options.
func (f *fake) start(t *testing.T) Options { return f.startTB(t) }

func (f *fake) startTB(t testing.TB) Options {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer(grpc.UnaryInterceptor(f.record))
	assetpb.RegisterAssetServiceServer(srv, f)
	resourcemanagerpb.RegisterProjectsServer(srv, &projectsServer{f: f})
	resourcemanagerpb.RegisterOrganizationsServer(srv, &orgsServer{f: f})
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	return Options{
		Endpoint: lis.Addr().String(),
		ClientOptions: []option.ClientOption{
			option.WithoutAuthentication(),
			option.WithGRPCDialOption(grpc.WithTransportCredentials(insecure.NewCredentials())),
		},
		Concurrency: 8, CallTimeout: 2 * time.Second, RetryBackoff: time.Millisecond,
	}
}

// record counts the calls by method (and content type for ListAssets).
func (f *fake) record(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
	m := info.FullMethod
	if r, ok := req.(*assetpb.ListAssetsRequest); ok {
		m += " " + r.GetContentType().String()
	}
	f.mu.Lock()
	f.methods[m]++
	f.mu.Unlock()
	if f.latency > 0 {
		select {
		case <-time.After(f.latency):
		case <-ctx.Done():
			return nil, status.FromContextError(ctx.Err()).Err()
		}
	}
	return h(ctx, req)
}

// fault returns the injected error of the call key's next attempt, after
// blocking until ctx is done for a blocked key.
func (f *fake) fault(ctx context.Context, key string) error {
	f.mu.Lock()
	n := f.attempts[key]
	f.attempts[key]++
	var err error
	if errs := f.faults[key]; n < len(errs) {
		err = errs[n]
	} else if len(errs) > 0 && errs[len(errs)-1] != nil {
		err = errs[len(errs)-1] // the last error repeats
	}
	block := f.blocks[key]
	f.mu.Unlock()
	if block {
		<-ctx.Done()
		return status.FromContextError(ctx.Err()).Err()
	}
	return err
}

// page cuts a page of n items from token ("" or "page-<offset>"). A loop
// key's pages after the first give the first page's token again.
func (f *fake) page(key, token string, size int32, n int) (lo, hi int, next string, err error) {
	if token != "" {
		off, found := strings.CutPrefix(token, "page-")
		if lo, err = strconv.Atoi(off); !found || err != nil || lo < 0 || lo > n {
			return 0, 0, "", status.Errorf(codes.InvalidArgument, "Invalid page token %q", token)
		}
	}
	ps := f.pageSize
	if size > 0 && int(size) < ps {
		ps = int(size)
	}
	hi = min(lo+ps, n)
	if hi < n {
		next = fmt.Sprintf("page-%d", hi)
		if f.loops[key] && lo > 0 {
			next = fmt.Sprintf("page-%d", ps)
		}
	}
	return lo, hi, next, nil
}

func (f *fake) ListAssets(ctx context.Context, req *assetpb.ListAssetsRequest) (*assetpb.ListAssetsResponse, error) {
	key := "ListAssets " + req.GetParent() + " " + req.GetContentType().String()
	if err := f.fault(ctx, key); err != nil {
		return nil, err
	}
	var all []*assetpb.Asset
	for _, a := range f.assets[req.GetParent()+" "+req.GetContentType().String()] {
		if len(req.GetAssetTypes()) == 0 || slices.Contains(req.GetAssetTypes(), a.GetAssetType()) {
			all = append(all, a)
		}
	}
	lo, hi, next, err := f.page(key, req.GetPageToken(), req.GetPageSize(), len(all))
	if err != nil {
		return nil, err
	}
	return &assetpb.ListAssetsResponse{Assets: all[lo:hi], NextPageToken: next}, nil
}

func (s *projectsServer) SearchProjects(ctx context.Context, req *resourcemanagerpb.SearchProjectsRequest) (*resourcemanagerpb.SearchProjectsResponse, error) {
	key := "SearchProjects"
	if err := s.f.fault(ctx, key); err != nil {
		return nil, err
	}
	var ps []*resourcemanagerpb.Project
	for _, p := range s.f.projects {
		if req.GetQuery() != "state:ACTIVE" || p.GetState() == resourcemanagerpb.Project_ACTIVE {
			ps = append(ps, p)
		}
	}
	lo, hi, next, err := s.f.page(key, req.GetPageToken(), req.GetPageSize(), len(ps))
	if err != nil {
		return nil, err
	}
	return &resourcemanagerpb.SearchProjectsResponse{Projects: ps[lo:hi], NextPageToken: next}, nil
}

func (s *projectsServer) GetIamPolicy(ctx context.Context, req *iampb.GetIamPolicyRequest) (*iampb.Policy, error) {
	if err := s.f.fault(ctx, "Projects.GetIamPolicy "+req.GetResource()); err != nil {
		return nil, err
	}
	if req.GetOptions().GetRequestedPolicyVersion() != 3 {
		return nil, status.Errorf(codes.InvalidArgument, "want policy version 3, got %d", req.GetOptions().GetRequestedPolicyVersion())
	}
	if p, ok := s.f.policies[req.GetResource()]; ok {
		return p, nil
	}
	return &iampb.Policy{Version: 1, Etag: []byte("BwAAAAAAAAA=")}, nil
}

func (s *orgsServer) SearchOrganizations(ctx context.Context, req *resourcemanagerpb.SearchOrganizationsRequest) (*resourcemanagerpb.SearchOrganizationsResponse, error) {
	key := "SearchOrganizations"
	if err := s.f.fault(ctx, key); err != nil {
		return nil, err
	}
	lo, hi, next, err := s.f.page(key, req.GetPageToken(), req.GetPageSize(), len(s.f.orgs))
	if err != nil {
		return nil, err
	}
	return &resourcemanagerpb.SearchOrganizationsResponse{Organizations: s.f.orgs[lo:hi], NextPageToken: next}, nil
}

// Errors as Google APIs send them, with their documented details.
func denied() error {
	return status.Error(codes.PermissionDenied, "The caller does not have permission")
}

func throttled() error {
	s, _ := status.New(codes.ResourceExhausted, "Quota exceeded for quota metric 'List assets requests' and limit 'List assets requests per minute per project'").
		WithDetails(&errdetails.RetryInfo{RetryDelay: durationpb.New(2 * time.Millisecond)})
	return s.Err()
}

func serviceDisabledErr(project string) error {
	s, _ := status.New(codes.PermissionDenied, "Cloud Asset API has not been used in project "+project+" before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/cloudasset.googleapis.com/overview?project="+project+" then retry.").
		WithDetails(&errdetails.ErrorInfo{Reason: "SERVICE_DISABLED", Domain: "googleapis.com", Metadata: map[string]string{"service": "cloudasset.googleapis.com", "consumer": "projects/" + project}})
	return s.Err()
}

func internal() error {
	return status.Error(codes.Internal, "Internal error encountered.")
}

func unauthenticated() error {
	return status.Error(codes.Unauthenticated, "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.")
}

// counts returns copies of the calls by method and the attempts by call
// key, once the server has answered (or seen cancelled) as many calls as
// the collector made: a call whose client gave up may reach the server's
// handlers after Collect returned.
func (f *fake) counts(t *testing.T, made int64) (methods, attempts map[string]int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		f.mu.Lock()
		var served int64
		for _, n := range f.methods {
			served += int64(n)
		}
		methods, attempts = maps.Clone(f.methods), maps.Clone(f.attempts)
		f.mu.Unlock()
		if served >= made || time.Now().After(deadline) {
			return methods, attempts
		}
		time.Sleep(10 * time.Millisecond)
	}
}
