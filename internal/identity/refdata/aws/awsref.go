package awsref

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/vigil-sec/vigil/internal/iam/awspolicy"
	"github.com/vigil-sec/vigil/internal/resource"

	"github.com/vigil-sec/vigil/internal/lazy"
)

//go:embed data/managed-policies.json.gz
var managedGz []byte

//go:embed data/actions.json.gz
var actionsGz []byte

// Data is the decoded reference data. It is read-only and safe for
// concurrent use.
type Data struct {
	// ManagedSource and CatalogSource name the npm packages and versions
	// the data was derived from.
	ManagedSource string
	CatalogSource string

	managed map[string]json.RawMessage
	byName  map[string]string // policy name → ARN
	parsed  sync.Map          // ARN → *resource.PolicyDocument

	services map[string]*Service
	// prefixes are the services' prefixes, sorted (set by load).
	prefixes []string
	rcp      map[string]bool
}

// Service is one service prefix of the action catalog.
type Service struct {
	Prefix string
	// Actions in catalog order (by name); byLower indexes them.
	Actions []Action
	byLower map[string]int
	// ResourceTypes maps a resource type name to its ARN pattern
	// (arn:${Partition}:s3:::${BucketName}).
	ResourceTypes map[string]string
}

// Action is one IAM action of the catalog.
type Action struct {
	// Name is the full action, as AWS spells it: "s3:GetObject".
	Name string
	// AccessLevel: List, Read, Write, Permissions management or Tagging.
	AccessLevel string
	// ResourceTypes the action applies to; empty for actions that only
	// take Resource "*".
	ResourceTypes []string
}

// loaded holds what Load decoded (lazy: no initializer at every start).
var loaded lazy.Value[*Data]

// Load decodes the embedded data once and returns it (the same value on
// every call).
func Load() (*Data, error) {
	return loaded.Get(load)
}

func load() (*Data, error) {
	d := &Data{services: map[string]*Service{}, rcp: map[string]bool{}}
	var m struct {
		Source   string                     `json:"source"`
		Policies map[string]json.RawMessage `json:"policies"`
	}
	if err := gunzipJSON(managedGz, &m); err != nil {
		return nil, fmt.Errorf("embedded managed policies: %w", err)
	}
	d.ManagedSource, d.managed = m.Source, m.Policies
	d.byName = make(map[string]string, len(m.Policies))
	for arn := range m.Policies {
		d.byName[arn[strings.LastIndexByte(arn, '/')+1:]] = arn
	}
	var c struct {
		Source   string   `json:"source"`
		RCP      []string `json:"rcp_services"`
		Services map[string]struct {
			Actions []struct {
				Name   string   `json:"n"`
				Level  string   `json:"l"`
				RTypes []string `json:"r"`
			} `json:"a"`
			RTypes map[string]string `json:"t"`
		} `json:"services"`
	}
	if err := gunzipJSON(actionsGz, &c); err != nil {
		return nil, fmt.Errorf("embedded action catalog: %w", err)
	}
	d.CatalogSource = c.Source
	for _, s := range c.RCP {
		d.rcp[strings.ToLower(s)] = true
	}
	for prefix, s := range c.Services {
		sv := &Service{Prefix: prefix, ResourceTypes: s.RTypes, byLower: make(map[string]int, len(s.Actions))}
		for _, a := range s.Actions {
			sv.byLower[strings.ToLower(a.Name)] = len(sv.Actions)
			sv.Actions = append(sv.Actions, Action{Name: prefix + ":" + a.Name, AccessLevel: a.Level, ResourceTypes: a.RTypes})
		}
		d.services[prefix] = sv
		d.prefixes = append(d.prefixes, prefix)
	}
	sort.Strings(d.prefixes)
	return d, nil
}

func gunzipJSON(b []byte, v any) error {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return err
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, v)
}

// ManagedPolicy returns the document of the AWS managed policy with this
// ARN (arn:aws:iam::aws:policy/..., any partition), parsed; nil when the
// data does not know the ARN. AWS managed policy names are unique, so an
// ARN whose path differs from the data's (aws-service-role/ for
// service-role/) resolves by its name.
func (d *Data) ManagedPolicy(arn string) *resource.PolicyDocument {
	key := normalizeManagedARN(arn)
	if v, ok := d.parsed.Load(key); ok {
		return v.(*resource.PolicyDocument)
	}
	raw, ok := d.managed[key]
	if !ok && IsAWSManagedARN(key) {
		if k, found := d.byName[key[strings.LastIndexByte(key, '/')+1:]]; found {
			raw, ok = d.managed[k]
		}
	}
	if !ok {
		return nil
	}
	doc := awspolicy.ParseText(string(raw))
	v, _ := d.parsed.LoadOrStore(key, doc)
	return v.(*resource.PolicyDocument)
}

// ManagedPolicyCount is the number of AWS managed policies known.
func (d *Data) ManagedPolicyCount() int { return len(d.managed) }

// IsAWSManagedARN tells whether arn names an AWS managed policy (account
// "aws"), whether or not the data knows it.
func IsAWSManagedARN(arn string) bool {
	p := strings.SplitN(arn, ":", 6)
	return len(p) == 6 && p[0] == "arn" && p[2] == "iam" && p[4] == "aws" && strings.HasPrefix(p[5], "policy/")
}

func normalizeManagedARN(arn string) string {
	p := strings.SplitN(arn, ":", 6)
	if len(p) == 6 && p[1] != "aws" {
		p[1] = "aws" // aws-cn, aws-us-gov: same documents
		return strings.Join(p, ":")
	}
	return arn
}

// Service returns the catalog entry of a service prefix (case-insensitive),
// nil when unknown.
func (d *Data) Service(prefix string) *Service { return d.services[strings.ToLower(prefix)] }

// Lookup returns the catalog entry of an action ("s3:GetObject",
// case-insensitive) and whether it is known.
func (d *Data) Lookup(action string) (Action, bool) {
	svc, name, ok := strings.Cut(action, ":")
	if !ok {
		return Action{}, false
	}
	s := d.services[strings.ToLower(svc)]
	if s == nil {
		return Action{}, false
	}
	i, ok := s.byLower[strings.ToLower(name)]
	if !ok {
		return Action{}, false
	}
	return s.Actions[i], true
}

// Known tells whether the catalog has the action.
func (d *Data) Known(action string) bool { _, ok := d.Lookup(action); return ok }

// ServiceKnown tells whether the catalog has the service prefix.
func (d *Data) ServiceKnown(prefix string) bool { return d.services[strings.ToLower(prefix)] != nil }

// Services returns the service prefixes, sorted.
func (d *Data) Services() []string { return slices.Clone(d.prefixes) }

// RCPSupported tells whether resource control policies apply to the
// service.
func (d *Data) RCPSupported(prefix string) bool { return d.rcp[strings.ToLower(prefix)] }

// Expand returns the catalog actions an IAM action pattern matches ("*",
// "iam:*", "s3:Get*", "ec2:?escribe*"; case-insensitive), sorted. A
// pattern without a service prefix other than "*" matches nothing.
func (d *Data) Expand(pattern string) []string {
	var out []string
	if pattern == "*" {
		for _, p := range d.prefixes {
			for _, a := range d.services[p].Actions {
				out = append(out, a.Name)
			}
		}
		return out
	}
	svc, name, ok := strings.Cut(strings.ToLower(pattern), ":")
	if !ok {
		return nil
	}
	prefixes := d.prefixes
	if !strings.ContainsAny(svc, "*?") {
		// A literal service: only its own actions can match.
		if d.services[svc] == nil {
			return nil
		}
		prefixes = []string{svc}
	}
	for _, p := range prefixes {
		if !Wildcard(svc, p) {
			continue
		}
		for _, a := range d.services[p].Actions {
			if Wildcard(name, strings.ToLower(a.Name[len(p)+1:])) {
				out = append(out, a.Name)
			}
		}
	}
	return out
}

// Wildcard reports whether s matches pattern, where "*" matches any run
// of characters and "?" any one character (IAM wildcards); it compares
// bytes exactly (lower both sides first for a case-insensitive match).
func Wildcard(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
