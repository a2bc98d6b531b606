package awscollect

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	aatypes "github.com/aws/aws-sdk-go-v2/service/accessanalyzer/types"
	agtypes "github.com/aws/aws-sdk-go-v2/service/apigateway/types"
)

// TestCLIForm: member names in lower camel case (or as the SDK names
// them), the API's own map keys kept, unset members, empty enums and
// union members left out (members that are not pointers, such as a
// timeout, always there as the SDK holds them), times as the CLI prints
// them, dropped members gone at any depth.
func TestCLIForm(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	res := agtypes.Resource{Id: aws.String("r1"), Path: aws.String("/"), ResourceMethods: map[string]agtypes.Method{
		"GET": {AuthorizationType: aws.String("NONE"), MethodIntegration: &agtypes.Integration{Type: agtypes.IntegrationTypeHttpProxy,
			Uri: aws.String("http://x/"), RequestParameters: map[string]string{"integration.request.header.A": "'a'"}}},
	}}
	if got, want := mustJSON(cliForm(res, true)), `{"id":"r1","path":"/","resourceMethods":{"GET":{"authorizationType":"NONE","methodIntegration":{"requestParameters":{"integration.request.header.A":"'a'"},"timeoutInMillis":0,"type":"HTTP_PROXY","uri":"http://x/"}}}}`; got != want {
		t.Errorf("REST resource:\n got %s\nwant %s", got, want)
	}
	an := aatypes.AnalyzerSummary{Name: aws.String("a"), CreatedAt: &at, Type: aatypes.TypeAccount,
		Configuration: &aatypes.AnalyzerConfigurationMemberUnusedAccess{}, Tags: map[string]string{"Owner": "x"}}
	if got, want := mustJSON(cliForm(an, false, "Tags")), `{"CreatedAt":"2026-01-02T03:04:05.000000+00:00","Name":"a","Type":"ACCOUNT"}`; got != want {
		t.Errorf("analyzer:\n got %s\nwant %s", got, want)
	}
}
