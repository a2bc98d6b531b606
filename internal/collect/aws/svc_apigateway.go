package awscollect

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	agtypes "github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	ag2types "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
)

// API Gateway authorizes every read as apigateway:GET on the path read
// (arn:aws:apigateway:<region>::/restapis/<id>/resources): the failures
// name that action and the path's ARN.
const apigatewayGET = "apigateway:GET"

func apigatewayARN(region, path string) string { return "arn:aws:apigateway:" + region + "::" + path }

// runAPIGateway collects the region's REST APIs and HTTP and WebSocket
// APIs for reachability (vigil reach: what an API sends its requests to):
//
//   - each REST API as AWS Config records it (AWS::ApiGateway::RestApi:
//     name, endpointConfiguration) and its resources with their methods
//     and integrations as `aws apigateway get-resources --rest-api-id ID
//     --embed methods` prints them
//     (apigateway-get-resources/<rest-api-id>.<region>.json);
//   - the region's REST VPC links as `aws apigateway get-vpc-links` prints
//     them (apigateway-get-vpc-links/vpc-links.<region>.json: the network
//     load balancers a private integration sends to);
//   - each HTTP or WebSocket API as AWS Config records it
//     (AWS::ApiGatewayV2::Api) and its integrations as `aws apigatewayv2
//     get-integrations --api-id ID` prints them
//     (apigatewayv2-get-integrations/<api-id>.<region>.json);
//   - each API's stages as AWS Config records them (AWS::ApiGateway::Stage,
//     AWS::ApiGatewayV2::Stage: logging, WAF, client certificate, tracing).
//
// A listing that failed part-way writes nothing for its API (its
// integrations are unknown rather than fewer); nothing is written for a
// region without VPC links.
func runAPIGateway(ctx context.Context, t *Task) error {
	c := apigateway.NewFromConfig(t.Config)
	var apis []agtypes.RestApi
	if _, err := pagesOf(ctx, t, "apigateway", apigatewayGET, apigatewayARN(t.Region, "/restapis"),
		apigateway.NewGetRestApisPaginator(apigatewayGetRestApis(c.GetRestApis), &apigateway.GetRestApisInput{}),
		func(o *apigateway.GetRestApisOutput) *string { return o.Position },
		func(o *apigateway.GetRestApisOutput) { apis = append(apis, o.Items...) }); err != nil {
		return err
	}
	vpcLinks(ctx, t, c)
	if err := each(ctx, apis, func(api agtypes.RestApi) { restResources(ctx, t, c, api) }); err != nil {
		return err
	}
	return httpAPIs(ctx, t, apigatewayv2.NewFromConfig(t.Config))
}

// apiItem adds an API as AWS Config records it (the API's own members, as
// GetRestApi or GetApi answer them) and returns its ID and ARN ("" for an
// API without an ID: nothing added).
func apiItem(t *Task, typ, path string, idp, name *string, tags map[string]string, created *time.Time, api any) (id, arn string) {
	id = aws.ToString(idp)
	if id == "" {
		return "", ""
	}
	arn = apigatewayARN(t.Region, path+id)
	t.Item(Item{ResourceType: typ, ResourceID: id, ResourceName: aws.ToString(name), ARN: arn, Tags: tags, Created: created,
		Configuration: cliForm(api, true)})
	return id, arn
}

// restResources writes one REST API's item and its resources.
func restResources(ctx context.Context, t *Task, c *apigateway.Client, api agtypes.RestApi) {
	id, arn := apiItem(t, "AWS::ApiGateway::RestApi", "/restapis/", api.Id, api.Name, api.Tags, api.CreatedDate, api)
	if id == "" {
		return
	}
	restStages(ctx, t, c, id, arn)
	var res []agtypes.Resource
	complete, err := pagesOf(ctx, t, "apigateway", apigatewayGET, arn+"/resources",
		apigateway.NewGetResourcesPaginator(apigatewayGetResources(c.GetResources), &apigateway.GetResourcesInput{RestApiId: aws.String(id), Embed: []string{"methods"}}),
		func(o *apigateway.GetResourcesOutput) *string { return o.Position },
		func(o *apigateway.GetResourcesOutput) { res = append(res, o.Items...) })
	if err != nil || !complete || len(res) == 0 {
		return // every API has its root resource: none read is nothing known
	}
	t.CLI("apigateway-get-resources/"+cliName(id, t.Region), cliForm(map[string]any{"items": res}, true))
}

// restStages writes a REST API's stages as AWS Config records them
// (AWS::ApiGateway::Stage: GetStages' members, with methodSettings,
// accessLogSettings, webAclArn, clientCertificateId, tracingEnabled) for
// CIS AWS 4.10 and the stage rules (logging, WAF, client certificate,
// tracing). GetStages answers every stage at once: a failure writes none.
func restStages(ctx context.Context, t *Task, c *apigateway.Client, id, arn string) {
	out, err := c.GetStages(ctx, &apigateway.GetStagesInput{RestApiId: aws.String(id)})
	if err != nil {
		if ctx.Err() == nil {
			t.Fail("apigateway", apigatewayGET, arn+"/stages", err)
		}
		return
	}
	for _, st := range out.Item {
		stageItem(t, "AWS::ApiGateway::Stage", "AWS::ApiGateway::RestApi", "Is contained in RestApi", id, arn,
			st.StageName, st.Tags, st.CreatedDate, st)
	}
}

// stageItem adds a stage of the API id (ARN apiARN) as AWS Config records
// it: ID and ARN <api ARN>/stages/<name>, the stage's own members as its
// configuration, contained in its API.
func stageItem(t *Task, typ, apiType, rel, id, apiARN string, name *string, tags map[string]string, created *time.Time, stage any) {
	n := aws.ToString(name)
	if n == "" {
		return
	}
	arn := apiARN + "/stages/" + n
	t.Item(Item{ResourceType: typ, ResourceID: arn, ResourceName: n, ARN: arn, Tags: tags, Created: created,
		Configuration: cliForm(stage, true),
		Relationships: []Relationship{{ResourceType: apiType, ResourceID: id, Name: rel}}})
}

// vpcLinks writes the region's REST VPC links.
func vpcLinks(ctx context.Context, t *Task, c *apigateway.Client) {
	var links []agtypes.VpcLink
	complete, err := pagesOf(ctx, t, "apigateway", apigatewayGET, apigatewayARN(t.Region, "/vpclinks"),
		apigateway.NewGetVpcLinksPaginator(apigatewayGetVpcLinks(c.GetVpcLinks), &apigateway.GetVpcLinksInput{}),
		func(o *apigateway.GetVpcLinksOutput) *string { return o.Position },
		func(o *apigateway.GetVpcLinksOutput) { links = append(links, o.Items...) })
	if err != nil || !complete || len(links) == 0 {
		return
	}
	t.CLI("apigateway-get-vpc-links/vpc-links."+t.Region+".json", cliForm(map[string]any{"items": links}, true))
}

// httpAPIs writes the region's HTTP and WebSocket APIs and their
// integrations.
func httpAPIs(ctx context.Context, t *Task, c *apigatewayv2.Client) error {
	var apis []ag2types.Api
	Pages(ctx, t, "apigateway", apigatewayGET, apigatewayARN(t.Region, "/apis"),
		func(ctx context.Context, tok *string) (*apigatewayv2.GetApisOutput, *string, error) {
			o, err := c.GetApis(ctx, &apigatewayv2.GetApisInput{NextToken: tok})
			if err != nil {
				return nil, nil, err
			}
			return o, o.NextToken, nil
		}, func(o *apigatewayv2.GetApisOutput) { apis = append(apis, o.Items...) })
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return each(ctx, apis, func(api ag2types.Api) {
		id, arn := apiItem(t, "AWS::ApiGatewayV2::Api", "/apis/", api.ApiId, api.Name, api.Tags, api.CreatedDate, api)
		if id == "" {
			return
		}
		httpStages(ctx, t, c, id, arn)
		var ins []ag2types.Integration
		if !Pages(ctx, t, "apigateway", apigatewayGET, arn+"/integrations",
			func(ctx context.Context, tok *string) (*apigatewayv2.GetIntegrationsOutput, *string, error) {
				o, err := c.GetIntegrations(ctx, &apigatewayv2.GetIntegrationsInput{ApiId: aws.String(id), NextToken: tok})
				if err != nil {
					return nil, nil, err
				}
				return o, o.NextToken, nil
			}, func(o *apigatewayv2.GetIntegrationsOutput) { ins = append(ins, o.Items...) }) || len(ins) == 0 {
			return // an empty output is no recognizable export: the API's origins stay unknown
		}
		t.CLI("apigatewayv2-get-integrations/"+cliName(id, t.Region), cliForm(map[string]any{"Items": ins}, false))
	})
}

// httpStages writes an HTTP or WebSocket API's stages as AWS Config
// records them (AWS::ApiGatewayV2::Stage: accessLogSettings,
// defaultRouteSettings, routeSettings...). A listing that failed part-way
// writes none: the stages left out could be the unlogged ones.
func httpStages(ctx context.Context, t *Task, c *apigatewayv2.Client, id, arn string) {
	var stages []ag2types.Stage
	if !Pages(ctx, t, "apigateway", apigatewayGET, arn+"/stages",
		func(ctx context.Context, tok *string) (*apigatewayv2.GetStagesOutput, *string, error) {
			o, err := c.GetStages(ctx, &apigatewayv2.GetStagesInput{ApiId: aws.String(id), NextToken: tok})
			if err != nil {
				return nil, nil, err
			}
			return o, o.NextToken, nil
		}, func(o *apigatewayv2.GetStagesOutput) { stages = append(stages, o.Items...) }) {
		return
	}
	for _, st := range stages {
		stageItem(t, "AWS::ApiGatewayV2::Stage", "AWS::ApiGatewayV2::Api", "Is contained in Api", id, arn,
			st.StageName, st.Tags, st.CreatedDate, st)
	}
}
