package awsiam_test

import (
	"fmt"

	"github.com/vigil-sec/vigil/internal/iam/awspolicy"
	awsiam "github.com/vigil-sec/vigil/internal/identity/aws"
	"github.com/vigil-sec/vigil/internal/resource"
)

// An inventory's typed resources in, permission questions out.
func ExampleEvaluator() {
	inv := []*resource.Resource{
		{Provider: resource.AWS, Account: "111111111111", ID: "arn:aws:iam::111111111111:role/ci", Class: "identity",
			Facts: resource.Facts{Identity: &resource.Identity{Kind: "role",
				AttachedPolicies: []string{"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"},
				InlineDocuments: []resource.NamedPolicy{{Name: "deploy", Document: awspolicy.ParseText(
					`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"lambda.amazonaws.com"}}}]}`)}},
			}}},
	}
	e, err := awsiam.New(inv, awsiam.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	d := e.IsAllowed("arn:aws:iam::111111111111:role/ci", "s3:GetObject", "arn:aws:s3:::artifacts/app.zip", awsiam.Context{})
	fmt.Println(d.Result, d.Allows[0].Policy)
	for _, g := range e.Actions("arn:aws:iam::111111111111:role/ci", []string{"iam:PassRole", "iam:CreateAccessKey"}, awsiam.Context{}) {
		fmt.Println(g.Action, g.Decision.Result, g.Decision.Missing)
	}
	// Output:
	// allowed arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess
	// iam:PassRole conditional [iam:PassedToService]
	// iam:CreateAccessKey implicit_deny []
}
