package awscollect

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	aatypes "github.com/aws/aws-sdk-go-v2/service/accessanalyzer/types"
)

// runAccessAnalyzer writes the region's IAM Access Analyzer analyzers as
// `aws accessanalyzer list-analyzers` prints them
// (accessanalyzer-list-analyzers.<region>.json, an empty list in a region
// without one), for CIS AWS 2.18 (an active external access analyzer in
// every region in use). A listing that failed part-way writes nothing for
// the region, and the account's coverage is then decided only by the
// regions read (dropIncomplete).
func runAccessAnalyzer(ctx context.Context, t *Task) error {
	c := accessanalyzer.NewFromConfig(t.Config)
	list := []aatypes.AnalyzerSummary{}
	complete, err := pages(ctx, t, "access-analyzer", "access-analyzer:ListAnalyzers",
		accessanalyzer.NewListAnalyzersPaginator(accessanalyzerListAnalyzers(c.ListAnalyzers), &accessanalyzer.ListAnalyzersInput{}),
		func(o *accessanalyzer.ListAnalyzersOutput) *string { return o.NextToken },
		func(o *accessanalyzer.ListAnalyzersOutput) { list = append(list, o.Analyzers...) })
	if err != nil || !complete {
		return err
	}
	t.CLI("accessanalyzer-list-analyzers."+t.Region+".json", cliForm(map[string]any{"analyzers": list}, true))
	return nil
}

// externalAnalyzerActive reports whether a list-analyzers output (as
// generic JSON) has an ACTIVE external access analyzer (type ACCOUNT or
// ORGANIZATION), as the awsconfig importer judges CIS AWS 2.18.
func externalAnalyzerActive(v any) bool {
	m, _ := v.(map[string]any)
	list, _ := m["analyzers"].([]any)
	for _, a := range list {
		am, _ := a.(map[string]any)
		if am["status"] == string(aatypes.AnalyzerStatusActive) &&
			(am["type"] == string(aatypes.TypeAccount) || am["type"] == string(aatypes.TypeOrganization)) {
			return true
		}
	}
	return false
}
