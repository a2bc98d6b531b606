package awscollect

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// runLambda collects the region's functions as AWS Config items
// (AWS::Lambda::Function) with their resource policy in the supplementary
// configuration as Config records it ("Policy": the policy text; null when
// GetPolicy answers ResourceNotFoundException, the function has none;
// left out when the call failed: unknown). A function that has a policy
// also gets it as `aws lambda get-policy` prints it
// (lambda-get-policy/<name>.<region>.json): the importer decides whether a
// function URL with AuthType NONE is public from that output and the URLs
// together, not from the item's copy. Function URL configurations are
// written as `aws lambda list-function-url-configs` prints them
// (lambda-list-function-url-configs/<name>.<region>.json), an empty list
// included (the function has no URL) when every page was read.
func runLambda(ctx context.Context, t *Task) error {
	c := lambda.NewFromConfig(t.Config)
	var fns []types.FunctionConfiguration
	_, err := pages(ctx, t, "lambda", "lambda:ListFunctions", lambda.NewListFunctionsPaginator(lambdaListFunctions(c.ListFunctions), &lambda.ListFunctionsInput{}),
		func(o *lambda.ListFunctionsOutput) *string { return o.NextMarker },
		func(o *lambda.ListFunctionsOutput) { fns = append(fns, o.Functions...) })
	if err != nil {
		return err
	}
	return each(ctx, fns, func(fn types.FunctionConfiguration) {
		arn, name := str(fn.FunctionArn), str(fn.FunctionName)
		var tags map[string]string
		if out, err := c.ListTags(ctx, &lambda.ListTagsInput{Resource: aws.String(arn)}); err != nil {
			t.Fail("lambda", "lambda:ListTags", arn, err)
		} else {
			tags = out.Tags
			if tags == nil {
				tags = map[string]string{}
			}
		}
		pol, err := c.GetPolicy(ctx, &lambda.GetPolicyInput{FunctionName: aws.String(arn)})
		var nf *types.ResourceNotFoundException
		policy := funcPolicy{}
		switch {
		case errors.As(err, &nf):
			policy.known = true // no resource policy
		case err != nil:
			t.Fail("lambda", "lambda:GetPolicy", arn, err)
		case pol.Policy == nil:
			// An answer without a policy says nothing: unknown.
		default:
			policy.known, policy.text = true, pol.Policy
			t.CLI("lambda-get-policy/"+cliName(name, t.Region), omitNil(map[string]any{"Policy": pol.Policy, "RevisionId": pol.RevisionId}))
		}
		t.Item(functionItem(fn, tags, policy))
		urls := []map[string]any{}
		complete, _ := pagesOf(ctx, t, "lambda", "lambda:ListFunctionUrlConfigs", arn,
			lambda.NewListFunctionUrlConfigsPaginator(lambdaListFunctionUrlConfigs(c.ListFunctionUrlConfigs), &lambda.ListFunctionUrlConfigsInput{FunctionName: aws.String(arn)}),
			func(o *lambda.ListFunctionUrlConfigsOutput) *string { return o.NextMarker },
			func(o *lambda.ListFunctionUrlConfigsOutput) {
				for _, u := range o.FunctionUrlConfigs {
					urls = append(urls, functionURL(u))
				}
			})
		if complete {
			t.CLI("lambda-list-function-url-configs/"+cliName(name, t.Region), map[string]any{"FunctionUrlConfigs": urls})
		}
	})
}

// funcPolicy is what GetPolicy said of a function's resource policy:
// known with text nil is "none".
type funcPolicy struct {
	known bool
	text  *string
}

// functionItem is a function as AWS Config records it: the function's
// configuration under Config's names (functionName, vpcConfig,
// environment.variables...), its tags (nil: unknown) in the item and in
// the supplementary configuration as Config records them, and its
// resource policy in the supplementary configuration (Policy: the text,
// null for none, left out when unknown). An environment
// Lambda could not decrypt (Environment.Error) is left out: its variables
// are unknown, not none.
func functionItem(fn types.FunctionConfiguration, tags map[string]string, policy funcPolicy) Item {
	cfg := map[string]any{
		"functionName": fn.FunctionName, "functionArn": fn.FunctionArn, "runtime": enum(fn.Runtime), "role": fn.Role,
		"handler": fn.Handler, "codeSize": fn.CodeSize, "description": fn.Description, "timeout": fn.Timeout,
		"memorySize": fn.MemorySize, "lastModified": fn.LastModified, "codeSha256": fn.CodeSha256, "version": fn.Version,
		"kMSKeyArn": fn.KMSKeyArn, "revisionId": fn.RevisionId, "state": enum(fn.State),
		"lastUpdateStatus": enum(fn.LastUpdateStatus), "packageType": enum(fn.PackageType),
		"signingProfileVersionArn": fn.SigningProfileVersionArn,
	}
	if fn.TracingConfig != nil {
		cfg["tracingConfig"] = omitNil(map[string]any{"mode": enum(fn.TracingConfig.Mode)})
	}
	layers := []map[string]any{}
	for _, l := range fn.Layers {
		layers = append(layers, omitNil(map[string]any{"arn": l.Arn, "codeSize": l.CodeSize}))
	}
	cfg["layers"] = layers
	var arch []string
	for _, a := range fn.Architectures {
		arch = append(arch, string(a))
	}
	if arch != nil {
		cfg["architectures"] = arch
	}
	if e := fn.EphemeralStorage; e != nil {
		cfg["ephemeralStorage"] = omitNil(map[string]any{"size": e.Size})
	}
	if l := fn.LoggingConfig; l != nil {
		cfg["loggingConfig"] = omitNil(map[string]any{"logFormat": enum(l.LogFormat), "logGroup": l.LogGroup,
			"applicationLogLevel": enum(l.ApplicationLogLevel), "systemLogLevel": enum(l.SystemLogLevel)})
	}
	if d := fn.DeadLetterConfig; d != nil {
		cfg["deadLetterConfig"] = omitNil(map[string]any{"targetArn": d.TargetArn})
	}
	var rels []Relationship
	if v := fn.VpcConfig; v != nil {
		cfg["vpcConfig"] = omitNil(map[string]any{"subnetIds": nonNil(v.SubnetIds), "securityGroupIds": nonNil(v.SecurityGroupIds), "vpcId": v.VpcId})
		for _, s := range v.SubnetIds {
			rels = append(rels, Relationship{ResourceType: "AWS::EC2::Subnet", ResourceID: s, Name: "Is associated with Subnet"})
		}
		for _, s := range v.SecurityGroupIds {
			rels = append(rels, Relationship{ResourceType: "AWS::EC2::SecurityGroup", ResourceID: s, Name: "Is associated with SecurityGroup"})
		}
	}
	if e := fn.Environment; e != nil && e.Error == nil {
		vars := e.Variables
		if vars == nil {
			vars = map[string]string{}
		}
		cfg["environment"] = map[string]any{"variables": vars}
	}
	if fn.Role != nil {
		rels = append(rels, Relationship{ResourceType: "AWS::IAM::Role", ResourceName: arnName(*fn.Role), Name: "Is associated with Role"})
	}
	it := Item{
		ResourceType: "AWS::Lambda::Function", ResourceID: str(fn.FunctionName), ResourceName: str(fn.FunctionName),
		ARN: str(fn.FunctionArn), AZ: "Regional", Relationships: rels, Tags: tags, Configuration: omitNil(cfg),
	}
	supp := map[string]any{}
	if tags != nil {
		supp["Tags"] = tags
	}
	if policy.known {
		supp["Policy"] = nil // encoded as null: no policy
		if policy.text != nil {
			supp["Policy"] = *policy.text
		}
	}
	if len(supp) > 0 {
		it.Supplementary = supp
	}
	return it
}

// functionURL is one entry of `aws lambda list-function-url-configs`.
func functionURL(u types.FunctionUrlConfig) map[string]any {
	m := map[string]any{"FunctionUrl": u.FunctionUrl, "FunctionArn": u.FunctionArn, "CreationTime": u.CreationTime,
		"LastModifiedTime": u.LastModifiedTime, "AuthType": enum(u.AuthType), "InvokeMode": enum(u.InvokeMode)}
	if c := u.Cors; c != nil {
		m["Cors"] = omitNil(map[string]any{"AllowCredentials": c.AllowCredentials, "AllowHeaders": c.AllowHeaders,
			"AllowMethods": c.AllowMethods, "AllowOrigins": c.AllowOrigins, "ExposeHeaders": c.ExposeHeaders, "MaxAge": c.MaxAge})
	}
	return omitNil(m)
}
