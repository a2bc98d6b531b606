package awsconfig

import (
	"fmt"
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// IAM Access Analyzer analyzers of one region, as `aws accessanalyzer
// list-analyzers` prints them (`vigil collect` writes one per region,
// accessanalyzer-list-analyzers.<region>.json, an empty list included):
//
//	{"analyzers":[{"arn":"..","name":"..","type":"ACCOUNT|ORGANIZATION|ACCOUNT_UNUSED_ACCESS|..",
//	  "status":"ACTIVE|CREATING|DISABLED|FAILED","createdAt":"..","tags":{..}}],"nextToken":".."}
//
// The output does not name its region: the file's path does. Each file is
// one resource of type TypeAnalyzerList for the region (listed among the
// unsupported types), whose Raw says whether an external access analyzer
// (type ACCOUNT or ORGANIZATION; CIS AWS 2.18 asks for one, an unused
// access analyzer does not watch sharing) is ACTIVE there. Unlike the
// AWS::AccessAnalyzer::Analyzer items of AWS Config, which show only the
// regions that have an analyzer, an empty list shows a region that has
// none: with a list for every region collected, an account without any
// analyzer is known to miss them all. A page of a longer list (nextToken)
// without an active external analyzer says nothing of its region.

// FormatAnalyzers is the list-analyzers output.
const FormatAnalyzers = "aws-accessanalyzer-analyzers"

// TypeAnalyzerList is one region's list of analyzers.
const TypeAnalyzerList = "AWS::AccessAnalyzer::AnalyzerList"

func isAnalyzers(d attr.M) bool {
	return attr.Has(d, "analyzers") && onlyKeys(d, "analyzers", "nextToken", "ResponseMetadata")
}

// parseAnalyzers makes the region's analyzer list resource.
func parseAnalyzers(res *attr.Result, path string, d attr.M) {
	region := regionInPath(path)
	list, isArr := d["analyzers"].([]any)
	if region == "" || !isArr {
		res.Problems = append(res.Problems, attr.Problem{Field: "analyzers",
			Err: "IAM Access Analyzer list: name the file after its region (accessanalyzer-list-analyzers.<region>.json) and give analyzers as a list"})
		return
	}
	active, unreadable := false, false
	names := []any{}
	for i, v := range list {
		a := attr.AsObj(v)
		typ, status := strings.ToUpper(attr.Str(a, "type")), strings.ToUpper(attr.Str(a, "status"))
		if a == nil || typ == "" || status == "" {
			unreadable = true
			res.Problems = append(res.Problems, attr.Problem{Path: path, Field: fmt.Sprintf("analyzers[%d]", i),
				Err: fmt.Sprintf("analyzers[%d] has no type or status: whether the region has an active external access analyzer is unknown", i)})
			continue
		}
		names = append(names, attr.Str(a, "name"))
		if status == "ACTIVE" && (typ == "ACCOUNT" || typ == "ORGANIZATION") {
			active = true
		}
	}
	r := &resource.Resource{Provider: resource.AWS, Account: accountOfPath(path), Region: region, Type: TypeAnalyzerList,
		ID: "aws-access-analyzers:" + region + "#" + path, Name: "access-analyzers-" + region, Source: path, Class: resource.ClassOther,
		// Complete: the whole list, every entry read: a region without an
		// active external analyzer is known to have none.
		Raw: attr.M{"analyzers": names, "ExternalActive": active, "Complete": attr.Str(d, "nextToken") == "" && !unreadable}}
	res.Resources = append(res.Resources, r)
}

// analyzerListCoverage adds the regions of the analyzer lists to the
// coverage of IAM Access Analyzer: on where an external access analyzer
// is active, off where a complete list has none. It returns, per account,
// the regions whose list is partial without one: unknown there, as for an
// input not read whole.
func analyzerListCoverage(c regionCoverage, lists []*resource.Resource) map[string]map[string]bool {
	partial := map[string]map[string]bool{}
	for _, l := range lists {
		on := attr.Any(attr.Bool(l.Raw, "ExternalActive"))
		if on || attr.Any(attr.Bool(l.Raw, "Complete")) {
			c.set(l.Account, l.Region, on)
			continue
		}
		if partial[l.Account] == nil {
			partial[l.Account] = map[string]bool{}
		}
		partial[l.Account][l.Region] = true
	}
	return partial
}

// withRegions is the union of two region sets (nil when both are empty).
func withRegions(a, b map[string]bool) map[string]bool {
	if len(b) == 0 {
		return a
	}
	out := make(map[string]bool, len(a)+len(b))
	for r := range a {
		out[r] = true
	}
	for r := range b {
		out[r] = true
	}
	return out
}
