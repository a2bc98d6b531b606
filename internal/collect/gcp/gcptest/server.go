// Package gcptest is a local gRPC server for tests of the GCP collector:
// Cloud Asset Inventory's AssetService and Resource Manager's Projects and
// Organizations services (the SDK's generated server interfaces), answering
// from data kept in the APIs' documented shapes, with paging and injected
// faults. It listens on loopback only.
package gcptest

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
	"time"

	"cloud.google.com/go/accessapproval/apiv1/accessapprovalpb"
	"cloud.google.com/go/asset/apiv1/assetpb"
	"cloud.google.com/go/iam/apiv1/iampb"
	"cloud.google.com/go/resourcemanager/apiv3/resourcemanagerpb"
	"cloud.google.com/go/securitycenter/apiv1/securitycenterpb"
	grafeaspb "google.golang.org/genproto/googleapis/grafeas/v1"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/durationpb"
)

// Server answers the collector's calls. Set its fields before Start.
//
// Call keys name a call for Faults, Loops and Blocks: "ListAssets PARENT
// CONTENT_TYPE", "SearchProjects", "SearchOrganizations",
// "Projects.GetIamPolicy RESOURCE", "ListFindings PARENT",
// "ListOccurrences PARENT" and "GetAccessApprovalSettings NAME".
type Server struct {
	assetpb.UnimplementedAssetServiceServer

	PageSize int                         // items per page at most (default 2)
	Latency  time.Duration               // added to every answer
	Assets   map[string][]*assetpb.Asset // by "PARENT CONTENT_TYPE"
	Orgs     []*resourcemanagerpb.Organization
	Projects []*resourcemanagerpb.Project
	Policies map[string]*iampb.Policy // by resource (projects/N)
	// Findings are Security Command Center's ListFindings results by
	// parent (organizations/N/sources/-); ListFindings answers those whose
	// finding is ACTIVE when the filter asks for it.
	Findings map[string][]*securitycenterpb.ListFindingsResponse_ListFindingsResult
	// Occurrences are Artifact Analysis occurrences by parent
	// (projects/ID); ListOccurrences answers those of the kind a
	// `kind="..."` filter names.
	Occurrences map[string][]*grafeaspb.Occurrence
	// AccessApproval are Access Approval settings by name
	// (projects/ID/accessApprovalSettings); GetAccessApprovalSettings
	// answers a name without settings with the name alone, as the API
	// does for a project that never enabled Access Approval.
	AccessApproval map[string]*accessapprovalpb.AccessApprovalSettings
	Faults         map[string][]error // by call key: the errors of successive attempts (nil: answer); the last error repeats
	Loops          map[string]bool    // call keys whose pages after the first give the first page's token again
	Blocks         map[string]bool    // call keys that never answer (until the caller gives up)

	mu       sync.Mutex
	attempts map[string]int // by call key
	methods  map[string]int // by gRPC method, with the content type for ListAssets
}

// New returns an empty server.
func New() *Server {
	return &Server{PageSize: 2, Assets: map[string][]*assetpb.Asset{}, Policies: map[string]*iampb.Policy{},
		Findings:       map[string][]*securitycenterpb.ListFindingsResponse_ListFindingsResult{},
		Occurrences:    map[string][]*grafeaspb.Occurrence{},
		AccessApproval: map[string]*accessapprovalpb.AccessApprovalSettings{},
		Faults:         map[string][]error{}, Loops: map[string]bool{}, Blocks: map[string]bool{},
		attempts: map[string]int{}, methods: map[string]int{}}
}

// Load reads a server's data from dir: organizations.json and
// projects.json (JSON arrays of the Resource Manager v3 messages),
// assets/<parent, its first / as _>/{resource,iam_policy}.json (Cloud
// Asset Inventory export lines), iam/<resource, its / as _>.json (IAM
// policies as the API's JSON) and scc/<parent, its first / as _>.json
// (Security Command Center ListFindings results of PARENT/sources/-, a
// JSON array) and artifact/<parent, its first / as _>.json (Artifact
// Analysis occurrences of projects/ID, a JSON array) and
// accessapproval/<anything>.json (Access Approval settings, one object,
// served under its name).
func Load(dir string) (*Server, error) {
	s := New()
	err := readArray(filepath.Join(dir, "organizations.json"), func() proto.Message {
		o := &resourcemanagerpb.Organization{}
		s.Orgs = append(s.Orgs, o)
		return o
	})
	if err != nil {
		return nil, err
	}
	err = readArray(filepath.Join(dir, "projects.json"), func() proto.Message {
		p := &resourcemanagerpb.Project{}
		s.Projects = append(s.Projects, p)
		return p
	})
	if err != nil {
		return nil, err
	}
	scopes, _ := filepath.Glob(filepath.Join(dir, "assets", "*"))
	for _, sc := range scopes {
		parent := strings.Replace(filepath.Base(sc), "_", "/", 1)
		for _, ct := range []assetpb.ContentType{assetpb.ContentType_RESOURCE, assetpb.ContentType_IAM_POLICY, assetpb.ContentType_ACCESS_POLICY, assetpb.ContentType_OS_INVENTORY} {
			file := filepath.Join(sc, strings.ToLower(ct.String())+".json")
			data, err := os.ReadFile(file)
			if os.IsNotExist(err) {
				continue
			}
			if err != nil {
				return nil, err
			}
			assets, err := ReadLines(data)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", file, err)
			}
			s.Assets[parent+" "+ct.String()] = assets
		}
	}
	pols, _ := filepath.Glob(filepath.Join(dir, "iam", "*.json"))
	for _, p := range pols {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		pol := &iampb.Policy{}
		if err := protojson.Unmarshal(data, pol); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		s.Policies[strings.Replace(strings.TrimSuffix(filepath.Base(p), ".json"), "_", "/", 1)] = pol
	}
	sccs, _ := filepath.Glob(filepath.Join(dir, "scc", "*.json"))
	for _, p := range sccs {
		parent := strings.Replace(strings.TrimSuffix(filepath.Base(p), ".json"), "_", "/", 1) + "/sources/-"
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		var raw []json.RawMessage
		if err := json.Unmarshal(data, &raw); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		for i, r := range raw {
			// Findings carry fields newer than this SDK's protos: kept out.
			f := &securitycenterpb.ListFindingsResponse_ListFindingsResult{}
			if err := (protojson.UnmarshalOptions{DiscardUnknown: true}).Unmarshal(r, f); err != nil {
				return nil, fmt.Errorf("%s: element %d: %w", p, i, err)
			}
			s.Findings[parent] = append(s.Findings[parent], f)
		}
	}
	aas, _ := filepath.Glob(filepath.Join(dir, "accessapproval", "*.json"))
	for _, p := range aas {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		aa := &accessapprovalpb.AccessApprovalSettings{}
		if err := protojson.Unmarshal(data, aa); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		s.AccessApproval[aa.GetName()] = aa
	}
	occs, _ := filepath.Glob(filepath.Join(dir, "artifact", "*.json"))
	for _, p := range occs {
		parent := strings.Replace(strings.TrimSuffix(filepath.Base(p), ".json"), "_", "/", 1)
		err := readArray(p, func() proto.Message {
			o := &grafeaspb.Occurrence{}
			s.Occurrences[parent] = append(s.Occurrences[parent], o)
			return o
		})
		if err != nil {
			return nil, err
		}
	}
	return s, nil
}

func readArray(file string, next func() proto.Message) error {
	data, err := os.ReadFile(file)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	for i, r := range raw {
		if err := protojson.Unmarshal(r, next()); err != nil {
			return fmt.Errorf("%s: element %d: %w", file, i, err)
		}
	}
	return nil
}

// ReadLines reads Cloud Asset Inventory export lines into assets
// (protojson accepts the export's proto field names).
func ReadLines(data []byte) ([]*assetpb.Asset, error) {
	var out []*assetpb.Asset
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<24)
	for n := 1; sc.Scan(); n++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		a := &assetpb.Asset{}
		if err := protojson.Unmarshal(sc.Bytes(), a); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		out = append(out, a)
	}
	return out, sc.Err()
}

// Start serves on a loopback port and returns its host:port (the
// collector's Endpoint) and a function that stops the server.
func (s *Server) Start() (addr string, stop func(), err error) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := grpc.NewServer(grpc.UnaryInterceptor(s.record))
	assetpb.RegisterAssetServiceServer(srv, s)
	resourcemanagerpb.RegisterProjectsServer(srv, &projectsServer{s: s})
	resourcemanagerpb.RegisterOrganizationsServer(srv, &orgsServer{s: s})
	securitycenterpb.RegisterSecurityCenterServer(srv, &sccServer{s: s})
	grafeaspb.RegisterGrafeasServer(srv, &grafeasServer{s: s})
	accessapprovalpb.RegisterAccessApprovalServer(srv, &approvalServer{s: s})
	go func() { _ = srv.Serve(lis) }()
	return lis.Addr().String(), srv.Stop, nil
}

// Counts returns copies of the calls served by gRPC method (with the
// content type for ListAssets: "/google.cloud.asset.v1.AssetService/ListAssets
// RESOURCE") and of the attempts by call key.
func (s *Server) Counts() (methods, attempts map[string]int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.methods), maps.Clone(s.attempts)
}

// Reset forgets the calls and attempts counted, so that Faults fire again.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.methods, s.attempts = map[string]int{}, map[string]int{}
}

type projectsServer struct {
	resourcemanagerpb.UnimplementedProjectsServer
	s *Server
}

type orgsServer struct {
	resourcemanagerpb.UnimplementedOrganizationsServer
	s *Server
}

func (s *Server) record(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
	m := info.FullMethod
	if r, ok := req.(*assetpb.ListAssetsRequest); ok {
		m += " " + r.GetContentType().String()
	}
	s.mu.Lock()
	if s.methods == nil {
		s.methods, s.attempts = map[string]int{}, map[string]int{}
	}
	s.methods[m]++
	s.mu.Unlock()
	if s.Latency > 0 {
		select {
		case <-time.After(s.Latency):
		case <-ctx.Done():
			return nil, status.FromContextError(ctx.Err()).Err()
		}
	}
	return h(ctx, req)
}

// fault returns the injected error of the call key's next attempt, after
// blocking until ctx is done for a blocked key.
func (s *Server) fault(ctx context.Context, key string) error {
	s.mu.Lock()
	n := s.attempts[key]
	s.attempts[key]++
	var err error
	if errs := s.Faults[key]; n < len(errs) {
		err = errs[n]
	} else if len(errs) > 0 {
		err = errs[len(errs)-1]
	}
	block := s.Blocks[key]
	s.mu.Unlock()
	if block {
		<-ctx.Done()
		return status.FromContextError(ctx.Err()).Err()
	}
	return err
}

// page cuts a page of n items from token ("" or "page-<offset>").
func (s *Server) page(key, token string, size int32, n int) (lo, hi int, next string, err error) {
	if token != "" {
		off, found := strings.CutPrefix(token, "page-")
		if lo, err = strconv.Atoi(off); !found || err != nil || lo < 0 || lo > n {
			return 0, 0, "", status.Errorf(codes.InvalidArgument, "Invalid page token %q", token)
		}
	}
	ps := s.PageSize
	if ps <= 0 {
		ps = 2
	}
	if size > 0 && int(size) < ps {
		ps = int(size)
	}
	hi = min(lo+ps, n)
	if hi < n {
		next = fmt.Sprintf("page-%d", hi)
		if s.Loops[key] && lo > 0 {
			next = fmt.Sprintf("page-%d", ps)
		}
	}
	return lo, hi, next, nil
}

// ListAssets answers from Assets, filtered by the request's asset types.
func (s *Server) ListAssets(ctx context.Context, req *assetpb.ListAssetsRequest) (*assetpb.ListAssetsResponse, error) {
	key := "ListAssets " + req.GetParent() + " " + req.GetContentType().String()
	if err := s.fault(ctx, key); err != nil {
		return nil, err
	}
	var all []*assetpb.Asset
	for _, a := range s.Assets[req.GetParent()+" "+req.GetContentType().String()] {
		if len(req.GetAssetTypes()) == 0 || slices.Contains(req.GetAssetTypes(), a.GetAssetType()) {
			all = append(all, a)
		}
	}
	lo, hi, next, err := s.page(key, req.GetPageToken(), req.GetPageSize(), len(all))
	if err != nil {
		return nil, err
	}
	return &assetpb.ListAssetsResponse{Assets: all[lo:hi], NextPageToken: next}, nil
}

func (p *projectsServer) SearchProjects(ctx context.Context, req *resourcemanagerpb.SearchProjectsRequest) (*resourcemanagerpb.SearchProjectsResponse, error) {
	key := "SearchProjects"
	if err := p.s.fault(ctx, key); err != nil {
		return nil, err
	}
	var ps []*resourcemanagerpb.Project
	for _, pr := range p.s.Projects {
		if req.GetQuery() != "state:ACTIVE" || pr.GetState() == resourcemanagerpb.Project_ACTIVE {
			ps = append(ps, pr)
		}
	}
	lo, hi, next, err := p.s.page(key, req.GetPageToken(), req.GetPageSize(), len(ps))
	if err != nil {
		return nil, err
	}
	return &resourcemanagerpb.SearchProjectsResponse{Projects: ps[lo:hi], NextPageToken: next}, nil
}

// GetIamPolicy answers from Policies, or with a policy without bindings;
// it wants policy version 3 asked for, as the collector does.
func (p *projectsServer) GetIamPolicy(ctx context.Context, req *iampb.GetIamPolicyRequest) (*iampb.Policy, error) {
	if err := p.s.fault(ctx, "Projects.GetIamPolicy "+req.GetResource()); err != nil {
		return nil, err
	}
	if v := req.GetOptions().GetRequestedPolicyVersion(); v != 3 {
		return nil, status.Errorf(codes.InvalidArgument, "want policy version 3, got %d", v)
	}
	if pol, ok := p.s.Policies[req.GetResource()]; ok {
		return pol, nil
	}
	return &iampb.Policy{Version: 1, Etag: []byte("BwAAAAAAAAA=")}, nil
}

func (o *orgsServer) SearchOrganizations(ctx context.Context, req *resourcemanagerpb.SearchOrganizationsRequest) (*resourcemanagerpb.SearchOrganizationsResponse, error) {
	key := "SearchOrganizations"
	if err := o.s.fault(ctx, key); err != nil {
		return nil, err
	}
	lo, hi, next, err := o.s.page(key, req.GetPageToken(), req.GetPageSize(), len(o.s.Orgs))
	if err != nil {
		return nil, err
	}
	return &resourcemanagerpb.SearchOrganizationsResponse{Organizations: o.s.Orgs[lo:hi], NextPageToken: next}, nil
}

type sccServer struct {
	securitycenterpb.UnimplementedSecurityCenterServer
	s *Server
}

// ListFindings answers from Findings: a parent without findings has none
// (Security Command Center answers so where it is active with nothing to
// report).
func (c *sccServer) ListFindings(ctx context.Context, req *securitycenterpb.ListFindingsRequest) (*securitycenterpb.ListFindingsResponse, error) {
	key := "ListFindings " + req.GetParent()
	if err := c.s.fault(ctx, key); err != nil {
		return nil, err
	}
	var all []*securitycenterpb.ListFindingsResponse_ListFindingsResult
	for _, r := range c.s.Findings[req.GetParent()] {
		if req.GetFilter() != `state="ACTIVE"` || r.GetFinding().GetState() == securitycenterpb.Finding_ACTIVE {
			all = append(all, r)
		}
	}
	lo, hi, next, err := c.s.page(key, req.GetPageToken(), req.GetPageSize(), len(all))
	if err != nil {
		return nil, err
	}
	return &securitycenterpb.ListFindingsResponse{ListFindingsResults: all[lo:hi], NextPageToken: next, TotalSize: int32(len(all))}, nil
}

type approvalServer struct {
	accessapprovalpb.UnimplementedAccessApprovalServer
	s *Server
}

// GetAccessApprovalSettings answers from AccessApproval.
func (a *approvalServer) GetAccessApprovalSettings(ctx context.Context, req *accessapprovalpb.GetAccessApprovalSettingsMessage) (*accessapprovalpb.AccessApprovalSettings, error) {
	if err := a.s.fault(ctx, "GetAccessApprovalSettings "+req.GetName()); err != nil {
		return nil, err
	}
	if got := a.s.AccessApproval[req.GetName()]; got != nil {
		return got, nil
	}
	return &accessapprovalpb.AccessApprovalSettings{Name: req.GetName()}, nil
}

type grafeasServer struct {
	grafeaspb.UnimplementedGrafeasServer
	s *Server
}

// ListOccurrences answers from Occurrences: a project without any has
// none.
func (g *grafeasServer) ListOccurrences(ctx context.Context, req *grafeaspb.ListOccurrencesRequest) (*grafeaspb.ListOccurrencesResponse, error) {
	key := "ListOccurrences " + req.GetParent()
	if err := g.s.fault(ctx, key); err != nil {
		return nil, err
	}
	kind, filtered := strings.CutPrefix(req.GetFilter(), "kind=")
	var all []*grafeaspb.Occurrence
	for _, o := range g.s.Occurrences[req.GetParent()] {
		if !filtered || strings.Trim(kind, `"`) == o.GetKind().String() {
			all = append(all, o)
		}
	}
	lo, hi, next, err := g.s.page(key, req.GetPageToken(), req.GetPageSize(), len(all))
	if err != nil {
		return nil, err
	}
	return &grafeaspb.ListOccurrencesResponse{Occurrences: all[lo:hi], NextPageToken: next}, nil
}

// Errors as Google APIs send them, with their documented details.

// Denied is a missing permission.
func Denied() error {
	return status.Error(codes.PermissionDenied, "The caller does not have permission")
}

// Throttled is an exhausted quota, with the delay to wait.
func Throttled() error {
	s, _ := status.New(codes.ResourceExhausted, "Quota exceeded for quota metric 'List assets requests' and limit 'List assets requests per minute per project'").
		WithDetails(&errdetails.RetryInfo{RetryDelay: durationpb.New(2 * time.Millisecond)})
	return s.Err()
}

// ServiceDisabled is the Cloud Asset API not enabled in a project.
func ServiceDisabled(project string) error {
	s, _ := status.New(codes.PermissionDenied, "Cloud Asset API has not been used in project "+project+" before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/cloudasset.googleapis.com/overview?project="+project+" then retry.").
		WithDetails(&errdetails.ErrorInfo{Reason: "SERVICE_DISABLED", Domain: "googleapis.com", Metadata: map[string]string{"service": "cloudasset.googleapis.com", "consumer": "projects/" + project}})
	return s.Err()
}

// Internal is a server error.
func Internal() error {
	return status.Error(codes.Internal, "Internal error encountered.")
}

// Unauthenticated is refused credentials.
func Unauthenticated() error {
	return status.Error(codes.Unauthenticated, "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.")
}
