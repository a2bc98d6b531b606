package awsconfig

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// publicBucket is a bucket item whose policy makes it public and whose
// Block Public Access settings are all off.
func publicBucket(policy any) attr.M {
	return attr.M{
		"resourceType": "AWS::S3::Bucket", "resourceId": "b", "resourceName": "b", "ARN": "arn:aws:s3:::b",
		"awsAccountId": "111122223333", "awsRegion": "us-east-1", "configuration": attr.M{"name": "b"},
		"supplementaryConfiguration": attr.M{
			"BucketPolicy": policy,
			"PublicAccessBlockConfiguration": attr.M{"blockPublicAcls": false, "ignorePublicAcls": false,
				"blockPublicPolicy": false, "restrictPublicBuckets": false},
			"AccessControlList": `{"grantList":[{"grantee":{"id":"abc"},"permission":"FullControl"}],"owner":{"id":"abc"}}`,
		},
	}
}

const publicPolicyText = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`

func parseItems1(t *testing.T, items ...attr.M) *attr.Result {
	t.Helper()
	list := make([]any, len(items))
	for i, it := range items {
		list[i] = it
	}
	doc := attr.M{"configurationItems": list}
	// The same items as a snapshot's text, decoded along itemShape (with
	// Raw dropped, their objects as attr.Objects) by ParseShaped, must
	// give the same result: the bad-input guarantees hold on both paths.
	if data, err := json.Marshal(doc); err == nil {
		checkShaped(t, "snap.json", data)
	}
	return Parse(context.Background(), "snap.json", doc)
}

func hasProblem(res *attr.Result, id, field string) bool {
	for _, p := range res.Problems {
		if p.Resource == id && p.Field == field && p.Err != "" {
			return true
		}
	}
	return false
}

// The bucket policy of the wrong type, or one that does not parse, on a
// public bucket: a problem naming the bucket and the field, and public
// access unknown (it used to become false: FAIL turned into PASS).
func TestBucketPolicyOfTheWrongType(t *testing.T) {
	res := parseItems1(t, publicBucket(attr.M{"policyText": publicPolicyText}))
	if s := res.Resources[0].Facts.Storage; s.PublicAccess == nil || !*s.PublicAccess || len(res.Problems) > 0 {
		t.Fatalf("baseline: public %v, problems %v", fmtB(s.PublicAccess), res.Problems)
	}
	cases := []struct {
		name   string
		policy any
		field  string
	}{
		{"policy a string", "oops", "supplementaryConfiguration.BucketPolicy"},
		{"policyText a number", attr.M{"policyText": 42.0}, "supplementaryConfiguration.BucketPolicy.policyText"},
		{"policyText not JSON", attr.M{"policyText": "{not json"}, "supplementaryConfiguration.BucketPolicy.policyText"},
		{"policy an array", []any{publicPolicyText}, "supplementaryConfiguration.BucketPolicy"},
		{"statement malformed", attr.M{"policyText": `{"Statement":{"Effect":"Allow","Principal":"*","Action":7}}`}, "supplementaryConfiguration.BucketPolicy.policyText"},
	}
	for _, c := range cases {
		res := parseItems1(t, publicBucket(c.policy))
		s := res.Resources[0].Facts.Storage
		if s.PublicAccess != nil || s.SecureTransportOnly != nil {
			t.Errorf("%s: public_access %s, secure_transport_only %s: want unknown", c.name, fmtB(s.PublicAccess), fmtB(s.SecureTransportOnly))
		}
		if !hasProblem(res, "arn:aws:s3:::b", c.field) {
			t.Errorf("%s: no problem on %s: %+v", c.name, c.field, res.Problems)
		}
		if s.PublicAccessBlocked == nil || *s.PublicAccessBlocked {
			t.Errorf("%s: the other settings stay known", c.name)
		}
	}
	// A policy given as an object (a tool that decoded it) is read as one.
	var doc attr.M
	_ = json.Unmarshal([]byte(publicPolicyText), &doc)
	res = parseItems1(t, publicBucket(attr.M{"policyText": doc}))
	if s := res.Resources[0].Facts.Storage; !attr.Any(s.PublicAccess) || len(res.Problems) > 0 {
		t.Errorf("object policy: %v %v", fmtB(s.PublicAccess), res.Problems)
	}
}

func TestConfigurationItemsNotAList(t *testing.T) {
	for _, body := range []string{
		`{"fileVersion":"1.0","configSnapshotId":"x","configurationItems":{"resourceType":"AWS::S3::Bucket"}}`,
		`{"configurationItems":"oops"}`,
		`{"baseConfigurationItems":{"a":1},"unprocessedResourceKeys":[]}`,
	} {
		var doc any
		if err := attr.Decode([]byte(body), &doc); err != nil {
			t.Fatal(err)
		}
		if Detect(doc) != FormatConfig {
			t.Errorf("%s: not detected as a Config export", body)
			continue
		}
		res := Parse(context.Background(), "snap.json", doc)
		if len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Err, "not an array") {
			t.Errorf("%s: problems %+v", body, res.Problems)
		}
	}
}

// A broken policy document of a principal is reported with the principal
// and the policy, kept with its error, and leaves admin unknown.
func TestBrokenPolicyDocuments(t *testing.T) {
	user := attr.M{"resourceType": "AWS::IAM::User", "resourceId": "AIDA1", "resourceName": "eve", "ARN": "arn:aws:iam::111122223333:user/eve",
		"awsAccountId": "111122223333", "awsRegion": "global", "configuration": attr.M{"userName": "eve",
			"userPolicyList":          []any{attr.M{"policyName": "broken", "policyDocument": "%7Bnot json"}},
			"attachedManagedPolicies": []any{}}}
	role := attr.M{"resourceType": "AWS::IAM::Role", "resourceId": "AROA1", "resourceName": "r", "ARN": "arn:aws:iam::111122223333:role/r",
		"awsAccountId": "111122223333", "awsRegion": "global", "configuration": attr.M{"roleName": "r",
			"assumeRolePolicyDocument": `{"Statement":{"Effect":"Maybe"}}`, "rolePolicyList": []any{}, "attachedManagedPolicies": []any{}}}
	pol := attr.M{"resourceType": "AWS::IAM::Policy", "resourceId": "ANPA1", "resourceName": "p", "ARN": "arn:aws:iam::111122223333:policy/p",
		"awsAccountId": "111122223333", "awsRegion": "global", "configuration": attr.M{"policyName": "p", "defaultVersionId": "v1",
			"attachmentCount": 1.0, "policyVersionList": []any{attr.M{"versionId": "v1", "isDefaultVersion": true, "document": "[]"}}}}
	res := parseItems1(t, user, role, pol)
	byID := map[string]*resource.Resource{}
	for _, r := range res.Resources {
		byID[r.ID] = r
	}
	eve := byID["arn:aws:iam::111122223333:user/eve"].Facts.Identity
	if eve.Admin != nil || len(eve.InlineDocuments) != 1 || eve.InlineDocuments[0].Document.Error == "" || eve.PolicyErrors[0] != "broken" {
		t.Errorf("eve: %+v", eve)
	}
	r := byID["arn:aws:iam::111122223333:role/r"].Facts.Identity
	if r.TrustPolicy == nil || r.TrustPolicy.Error == "" || r.TrustsExternal != nil {
		t.Errorf("role: %+v", r)
	}
	p := byID["arn:aws:iam::111122223333:policy/p"].Facts.Policy
	if p.Admin != nil || p.Document == nil || p.Document.Error == "" || !attr.Any(p.Attached) {
		t.Errorf("policy: %+v", p)
	}
	want := map[string]string{"eve": "broken", "role r": "trust policy", "managed policy p": "p"}
	for owner, pol := range want {
		found := false
		for _, pr := range res.Problems {
			if strings.Contains(pr.Err, owner) && strings.Contains(pr.Err, fmt.Sprintf("%q", pol)) {
				found = true
			}
		}
		if !found && owner != "role r" {
			t.Errorf("no problem naming %s and policy %q: %+v", owner, pol, res.Problems)
		}
	}
	if len(res.Problems) != 3 {
		t.Errorf("want 3 problems: %+v", res.Problems)
	}
}

// flatten turns facts into leaf path → JSON value.
func flatten(prefix string, v any, out map[string]string) {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			flatten(prefix+"."+k, e, out)
		}
	case []any:
		for i, e := range t {
			flatten(fmt.Sprintf("%s[%d]", prefix, i), e, out)
		}
	case nil:
		// null: unknown, as if omitted
	default:
		b, _ := json.Marshal(t)
		out[prefix] = string(b)
	}
}

func factsOf(r *resource.Resource) map[string]string {
	b, _ := json.Marshal(struct {
		Class resource.Class `json:"class"`
		Facts resource.Facts `json:"facts"`
	}{r.Class, r.Facts})
	var v any
	_ = json.Unmarshal(b, &v)
	out := map[string]string{}
	flatten("", v, out)
	return out
}

// mutations lists, for every field path of v (objects and arrays, depth
// bounded), a copy of the root with that one value replaced by one of
// another JSON type.
func fieldPaths(v any, path []any, depth int, out *[][]any) {
	if depth > 7 {
		return
	}
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			p := append(append([]any(nil), path...), k)
			*out = append(*out, p)
			fieldPaths(e, p, depth+1, out)
		}
	case []any:
		for i, e := range t {
			p := append(append([]any(nil), path...), i)
			*out = append(*out, p)
			fieldPaths(e, p, depth+1, out)
		}
	case string:
		// JSON held in a string (configuration in API outputs, the ACL,
		// policy texts) is walked as what it holds.
		s := strings.TrimSpace(t)
		if strings.HasPrefix(s, "{") {
			var o any
			if json.Unmarshal([]byte(s), &o) == nil {
				fieldPaths(o, append(append([]any(nil), path...), jsonIn{}), depth+1, out)
			}
		}
	}
}

// jsonIn marks a step into JSON text.
type jsonIn struct{}

func deepCopy(v any) any {
	b, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

func otherType(v any) any {
	switch v.(type) {
	case string:
		return 42.0
	case float64, bool:
		return "oops"
	case map[string]any, []any:
		return "oops"
	}
	return nil
}

// replace sets the value at path in root (a deep copy) to one of another type.
func replace(root any, path []any) (any, bool) {
	if len(path) == 0 {
		return otherType(root), otherType(root) != nil
	}
	switch step := path[0].(type) {
	case jsonIn:
		var inner any
		_ = json.Unmarshal([]byte(root.(string)), &inner)
		nv, ok := replace(inner, path[1:])
		b, _ := json.Marshal(nv)
		return string(b), ok
	case string:
		m := root.(map[string]any)
		nv, ok := replace(m[step], path[1:])
		m[step] = nv
		return m, ok
	case int:
		a := root.([]any)
		nv, ok := replace(a[step], path[1:])
		a[step] = nv
		return a, ok
	}
	return root, false
}

func pathString(p []any) string {
	var b strings.Builder
	for _, s := range p {
		switch t := s.(type) {
		case string:
			b.WriteString("." + t)
		case int:
			fmt.Fprintf(&b, "[%d]", t)
		case jsonIn:
			b.WriteString("<json>")
		}
	}
	return b.String()
}

// sampleItems reads the configuration items of the test snapshots and of
// the sample organization's AWS Config snapshots.
func sampleItems(t *testing.T) []any {
	var items []any
	read := func(path string) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(path, ".gz") {
			return // the uncompressed ones cover the same shapes
		}
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"configurationItems", "baseConfigurationItems"} {
			if a, ok := doc[k].([]any); ok {
				items = append(items, a...)
			}
		}
	}
	read(filepath.Join("testdata", "snapshot.json"))
	read(filepath.Join("testdata", "replication.json"))
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "examples", "org", "aws", "*", "AWSLogs", "*", "Config", "*", "*", "*", "*", "ConfigSnapshot", "*.json"))
	files2, _ := filepath.Glob(filepath.Join("..", "..", "..", "examples", "org", "aws", "*", "cli", "batch-get-resource-config.*.json"))
	for _, f := range append(files, files2...) {
		read(f)
	}
	return items
}

// policyDocRE matches a field path inside a resource policy document (not
// the document itself).
var policyDocRE = regexp.MustCompile(`\.(policyText|Policy|ResourcePolicy|RepositoryPolicyText)(<json>)?[.\[]`)

// withoutDoc is facts without the resource policy document's.
func withoutDoc(facts map[string]string) map[string]string {
	out := make(map[string]string, len(facts))
	for k, v := range facts {
		if !strings.HasPrefix(k, ".facts.resource_policy.") {
			out[k] = v
		}
	}
	return out
}

// Changing the type of any one field of an item never changes a fact to
// another value: the fact stays or becomes unknown, and a fact that
// becomes unknown comes with a problem naming the resource.
func TestFieldTypeChangeNeverChangesAFact(t *testing.T) {
	items := sampleItems(t)
	if len(items) < 50 {
		t.Fatalf("only %d items", len(items))
	}
	seenTypes := map[string]bool{}
	checked := 0
	for i, it := range items {
		base := parseItems1(t, it.(map[string]any))
		if len(base.Resources) != 1 {
			continue
		}
		r0 := base.Resources[0]
		typ := r0.Type
		if testing.Short() && seenTypes[typ] {
			continue
		}
		seenTypes[typ] = true
		want := factsOf(r0)
		var paths [][]any
		fieldPaths(it, nil, 0, &paths)
		sort.Slice(paths, func(a, b int) bool { return pathString(paths[a]) < pathString(paths[b]) })
		for _, p := range paths {
			ps := pathString(p)
			switch {
			case ps == ".resourceType", ps == ".ARN", ps == ".arn", ps == ".resourceId", ps == ".awsAccountId", ps == ".accountId",
				ps == ".awsRegion", strings.HasPrefix(ps, ".configurationItemStatus"):
				continue // identity: another resource, not another fact
			}
			mut, ok := replace(deepCopy(it), p)
			if !ok {
				continue
			}
			res := parseItems1(t, mut.(map[string]any))
			if len(res.Resources) != 1 {
				continue
			}
			r := res.Resources[0]
			if r.ID != r0.ID {
				continue
			}
			checked++
			got := factsOf(r)
			// Inside a resource policy document, the parsed document is the
			// input transcribed (another document, or one kept with its
			// error), not a fact decided from it: it may change, but a
			// document that no longer parses is reported.
			want := want
			if policyDocRE.MatchString(ps) {
				if _, e := got[".facts.resource_policy.error"]; e && len(res.Problems) == 0 {
					t.Errorf("item %d %s %s: %s changed type: the resource policy does not parse, without a problem", i, typ, r.ID, ps)
				}
				want, got = withoutDoc(want), withoutDoc(got)
			}
			lost := false
			for k, v := range got {
				if w, ok := want[k]; ok && w != v {
					t.Errorf("item %d %s %s: %s changed type: fact %s %s -> %s", i, typ, r.ID, ps, k, w, v)
				} else if !ok && k != ".class" && !strings.HasSuffix(k, ".kind") && !strings.HasSuffix(k, ".managed") {
					t.Errorf("item %d %s %s: %s changed type: fact %s appeared (%s)", i, typ, r.ID, ps, k, v)
				}
			}
			for k := range want {
				if _, ok := got[k]; !ok {
					lost = true
				}
			}
			if lost && len(res.Problems) == 0 {
				t.Errorf("item %d %s %s: %s changed type: facts became unknown without a problem", i, typ, r.ID, ps)
			}
			for _, pr := range res.Problems {
				if pr.Resource != r.ID || pr.Field == "" {
					t.Errorf("item %d: problem without resource or field: %+v", i, pr)
				}
			}
		}
	}
	t.Logf("%d mutations of %d items (%d types)", checked, len(items), len(seenTypes))
	if reflect.DeepEqual(seenTypes, map[string]bool{}) {
		t.Fatal("nothing checked")
	}
}

// Every supplementaryConfiguration object of every sample item turned into
// a string at once (it used to flip 39 PASS to FAIL and 1 FAIL to PASS):
// no fact takes another value, and every fact lost comes with a problem.
func TestEverySupplementaryObjectAString(t *testing.T) {
	for i, it := range sampleItems(t) {
		item := it.(map[string]any)
		base := parseItems1(t, item)
		if len(base.Resources) != 1 {
			continue
		}
		mut := deepCopy(item).(map[string]any)
		supp, _ := mut["supplementaryConfiguration"].(map[string]any)
		changed := false
		for k, v := range supp {
			switch v.(type) {
			case map[string]any, []any:
				supp[k] = "oops"
				changed = true
			}
		}
		if !changed {
			continue
		}
		res := parseItems1(t, mut)
		want, got := factsOf(base.Resources[0]), factsOf(res.Resources[0])
		lost := false
		for k, w := range want {
			g, ok := got[k]
			if ok && g != w {
				t.Errorf("item %d %s: fact %s %s -> %s", i, base.Resources[0].ID, k, w, g)
			}
			lost = lost || !ok
		}
		for k, g := range got {
			if _, ok := want[k]; !ok {
				t.Errorf("item %d %s: fact %s appeared (%s)", i, base.Resources[0].ID, k, g)
			}
		}
		if lost && len(res.Problems) == 0 {
			t.Errorf("item %d %s: facts lost without a problem", i, base.Resources[0].ID)
		}
	}
}

// A role whose inline policy has a million actions: reported, admin
// unknown, nothing else lost, and no blow-up.
func TestRoleWithAMillionActions(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*","Action":[`)
	for i := range 1_000_000 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"s3:GetObject%d"`, i%7)
	}
	b.WriteString(`]}]}`)
	role := attr.M{"resourceType": "AWS::IAM::Role", "resourceId": "AROA9", "resourceName": "huge", "ARN": "arn:aws:iam::111122223333:role/huge",
		"awsAccountId": "111122223333", "awsRegion": "global", "configuration": attr.M{"roleName": "huge",
			"assumeRolePolicyDocument": `{"Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`,
			"rolePolicyList":           []any{attr.M{"policyName": "everything-listed", "policyDocument": b.String()}},
			"attachedManagedPolicies":  []any{}}}
	res := parseItems1(t, role)
	id := res.Resources[0].Facts.Identity
	if id.Admin != nil || len(id.PolicyErrors) != 1 || id.InlineDocuments[0].Document.Error == "" ||
		len(id.InlineDocuments[0].Document.Raw) > 4096 || id.TrustPolicy == nil || id.TrustPolicy.Error != "" {
		t.Errorf("identity: admin %s, errors %v, trust %+v", fmtB(id.Admin), id.PolicyErrors, id.TrustPolicy)
	}
	if len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Err, "everything-listed") || !strings.Contains(res.Problems[0].Err, "huge") {
		t.Errorf("problems: %+v", res.Problems)
	}
}

// A load balancer judged with its listeners: a listener item that cannot
// be read (the whole item, its configuration, its type) never lets the
// load balancer's HTTP-listener fact become false.
func TestUnreadableListenerKeepsLoadBalancerUnknown(t *testing.T) {
	const lbARN = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web/1"
	lb := func() any {
		return attr.M{"resourceType": "AWS::ElasticLoadBalancingV2::LoadBalancer", "ARN": lbARN, "resourceId": lbARN, "awsRegion": "us-east-1",
			"configuration": attr.M{"scheme": "internet-facing", "loadBalancerArn": lbARN}}
	}
	listener := func(port float64, proto string, actions []any) any {
		arn := fmt.Sprintf("arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/web/1/%v", port)
		return attr.M{"resourceType": "AWS::ElasticLoadBalancingV2::Listener", "ARN": arn, "resourceId": arn, "awsRegion": "us-east-1",
			"relationships": []any{attr.M{"resourceType": "AWS::ElasticLoadBalancingV2::LoadBalancer", "resourceId": lbARN, "name": "Is attached to LoadBalancer"}},
			"configuration": attr.M{"LoadBalancerArn": lbARN, "Port": port, "Protocol": proto, "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06", "DefaultActions": actions}}
	}
	forward := []any{attr.M{"Type": "forward", "TargetGroupArn": "tg"}}
	parse := func(items ...any) *resource.LoadBalancer {
		res := Parse(context.Background(), "s.json", attr.M{"configurationItems": items})
		for _, r := range res.Resources {
			if r.ID == lbARN {
				return r.Facts.LoadBalancer
			}
		}
		t.Fatal("no load balancer")
		return nil
	}
	if f := parse(lb(), listener(80, "HTTP", forward), listener(443, "HTTPS", forward)); !attr.Any(f.HTTPListener) || len(f.Listeners) != 2 {
		t.Fatalf("baseline: %+v", f)
	}
	if f := parse(lb(), listener(443, "HTTPS", forward)); f.HTTPListener == nil || *f.HTTPListener || f.WeakTLS == nil || *f.WeakTLS {
		t.Fatalf("HTTPS only: %+v", f)
	}
	broken := map[string]func(attr.M){
		"item a string":          nil,
		"configuration a string": func(m attr.M) { m["configuration"] = "oops" },
		"type a number":          func(m attr.M) { m["resourceType"] = 42.0 },
		"actions an object":      func(m attr.M) { m["configuration"].(attr.M)["DefaultActions"] = attr.M{"Type": "forward"} },
		"protocol a number":      func(m attr.M) { m["configuration"].(attr.M)["Protocol"] = 80.0 },
	}
	for name, mutate := range broken {
		var bad any = "oops"
		if mutate != nil {
			m := listener(80, "HTTP", forward).(attr.M)
			mutate(m)
			bad = m
		}
		f := parse(lb(), bad, listener(443, "HTTPS", forward))
		if f.HTTPListener != nil && !*f.HTTPListener {
			t.Errorf("%s: http_listener false", name)
		}
	}
}

// A CLI output whose list is not a list is reported, not skipped.
func TestCLIListNotAList(t *testing.T) {
	for _, body := range []string{`{"Snapshots":{"SnapshotId":"snap-1"}}`, `{"Images":"oops"}`, `{"FlowLogs":{"a":1}}`} {
		var doc any
		_ = attr.Decode([]byte(body), &doc)
		if Detect(doc) == "" {
			t.Errorf("%s: not detected", body)
			continue
		}
		res := Parse(context.Background(), "111122223333/cli/x.us-east-1.json", doc)
		if len(res.Problems) != 1 || len(res.Resources) != 0 {
			t.Errorf("%s: %d problems, %d resources", body, len(res.Problems), len(res.Resources))
		}
	}
}
