package awsconfig

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// analyzerCIS parses list-analyzers outputs (by path) with a VPC of the
// account in us-east-1 and eu-west-1, and returns the account's IAM
// Access Analyzer fact and the problems.
func analyzerCIS(t *testing.T, files map[string]string) (*bool, []string, []attr.Problem) {
	t.Helper()
	const a = "111122223333"
	res := parseItems1(t,
		cisItem(a, "us-east-1", "AWS::EC2::VPC", "vpc-1", attr.M{"vpcId": "vpc-1"}),
		cisItem(a, "eu-west-1", "AWS::EC2::VPC", "vpc-2", attr.M{"vpcId": "vpc-2"}))
	rs := res.Resources
	var problems []attr.Problem
	for path, doc := range files {
		var d any
		if err := json.Unmarshal([]byte(doc), &d); err != nil {
			t.Fatal(err)
		}
		if f := Detect(d); f != FormatAnalyzers {
			t.Fatalf("%s: detected as %q, want %s", path, f, FormatAnalyzers)
		}
		r := Parse(context.Background(), path, d)
		rs = append(rs, r.Resources...)
		problems = append(problems, r.Problems...)
	}
	for _, r := range rs {
		FinishRaw(r)
	}
	added, _ := Finalize(rs)
	for _, r := range added {
		if r.Account == a && r.Facts.Account != nil && r.Facts.Account.CIS != nil {
			return r.Facts.Account.CIS.AccessAnalyzerAllRegions, r.Facts.Account.CIS.AccessAnalyzerMissingRegions, problems
		}
	}
	return nil, nil, problems
}

const (
	pathEast = "aws/111122223333/cli/accessanalyzer-list-analyzers.us-east-1.json"
	pathWest = "aws/111122223333/cli/accessanalyzer-list-analyzers.eu-west-1.json"
	pathOhio = "aws/111122223333/cli/accessanalyzer-list-analyzers.us-east-2.json"
	external = `{"analyzers":[{"arn":"arn:aws:access-analyzer:us-east-1:111122223333:analyzer/a","name":"a","type":"ACCOUNT","status":"ACTIVE"}]}`
	orgWide  = `{"analyzers":[{"name":"o","type":"ORGANIZATION","status":"ACTIVE"}]}`
	none     = `{"analyzers":[]}`
)

// TestAnalyzerLists: the per-region lists decide CIS AWS 2.18 for the
// regions in use (a region without resources, us-east-2, is not asked
// for); an empty complete list is a region without an analyzer, so an
// account with none anywhere fails; an unused access analyzer, a disabled
// one, or one whose entry cannot be read does not count; a page of a
// longer list without an external analyzer says nothing.
func TestAnalyzerLists(t *testing.T) {
	cases := []struct {
		name    string
		files   map[string]string
		want    string
		missing []string
		probs   int
	}{
		{"every region in use", map[string]string{pathEast: external, pathWest: orgWide, pathOhio: none}, "true", nil, 0},
		{"none anywhere", map[string]string{pathEast: none, pathWest: none}, "false", []string{"eu-west-1", "us-east-1"}, 0},
		{"unused access only", map[string]string{pathEast: external,
			pathWest: `{"analyzers":[{"name":"u","type":"ACCOUNT_UNUSED_ACCESS","status":"ACTIVE"}]}`}, "false", []string{"eu-west-1"}, 0},
		{"disabled", map[string]string{pathEast: external,
			pathWest: `{"analyzers":[{"name":"d","type":"ACCOUNT","status":"DISABLED"}]}`}, "false", []string{"eu-west-1"}, 0},
		{"a page without one", map[string]string{pathEast: external, pathWest: `{"analyzers":[],"nextToken":"p2"}`}, "nil", nil, 0},
		{"an entry unreadable", map[string]string{pathEast: external,
			pathWest: `{"analyzers":[{"name":"x"},{"name":"u","type":"ACCOUNT_UNUSED_ACCESS","status":"ACTIVE"}]}`}, "nil", nil, 1},
		{"an unreadable entry beside an active one", map[string]string{pathEast: external,
			pathWest: `{"analyzers":[5,{"name":"a","type":"ACCOUNT","status":"ACTIVE"}]}`}, "true", nil, 1},
		{"no list at all", map[string]string{}, "nil", nil, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, missing, probs := analyzerCIS(t, c.files)
			if fmtB(got) != c.want || !reflect.DeepEqual(missing, c.missing) || len(probs) != c.probs {
				t.Errorf("got %s %v (%d problems: %+v), want %s %v (%d problems)", fmtB(got), missing, len(probs), probs, c.want, c.missing, c.probs)
			}
		})
	}
}

// TestAnalyzerListShape: a list whose region is not in its path, or whose
// analyzers is not a list, is reported and makes no resource.
func TestAnalyzerListShape(t *testing.T) {
	for path, doc := range map[string]string{
		"aws/111122223333/cli/analyzers.json": none,
		pathEast:                              `{"analyzers":{"name":"a"}}`,
	} {
		var d any
		_ = json.Unmarshal([]byte(doc), &d)
		r := Parse(context.Background(), path, d)
		if len(r.Resources) != 0 || len(r.Problems) != 1 {
			t.Errorf("%s %s: %d resources, problems %+v; want none and one problem", path, doc, len(r.Resources), r.Problems)
		}
	}
}

// FuzzAnalyzerList: no list-analyzers output panics the importer, and
// every resource it makes is well formed.
func FuzzAnalyzerList(f *testing.F) {
	for _, s := range []string{external, orgWide, none, `{"analyzers":[null,5,"x",{"type":7,"status":[]}],"nextToken":5}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var d any
		if json.Unmarshal(data, &d) != nil {
			return
		}
		r := Parse(context.Background(), pathEast, d)
		checkResources(t, r.Resources)
		for _, x := range r.Resources {
			if x.Type == TypeAnalyzerList && (x.Region != "us-east-1" || x.Account != "111122223333") {
				t.Fatalf("analyzer list resource %+v", x)
			}
		}
		Finalize(append([]*resource.Resource{}, r.Resources...))
	})
}
