package awscollect

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"
)

// runSNS collects the region's topics' attributes as `aws sns
// get-topic-attributes` prints them
// (sns-get-topic-attributes/<name>.<region>.json: encryption key and
// access policy). A topic whose attributes could not be read is written
// as an AWS Config item without configuration, so that it is in the
// inventory with its facts unknown (the attributes file without
// KmsMasterKeyId would say "not encrypted").
func runSNS(ctx context.Context, t *Task) error {
	c := sns.NewFromConfig(t.Config)
	var topics []types.Topic
	_, err := pages(ctx, t, "sns", "sns:ListTopics", sns.NewListTopicsPaginator(snsListTopics(c.ListTopics), &sns.ListTopicsInput{}),
		func(o *sns.ListTopicsOutput) *string { return o.NextToken },
		func(o *sns.ListTopicsOutput) { topics = append(topics, o.Topics...) })
	if err != nil {
		return err
	}
	return each(ctx, topics, func(tp types.Topic) {
		arn := str(tp.TopicArn)
		out, err := c.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(arn)})
		if err != nil {
			t.Fail("sns", "sns:GetTopicAttributes", arn, err)
			t.Item(Item{ResourceType: "AWS::SNS::Topic", ResourceID: arn, ResourceName: arnName(arn), ARN: arn, RelationshipsUnknown: true})
			return
		}
		t.CLI("sns-get-topic-attributes/"+cliName(arnName(arn), t.Region), attributesCLI(out.Attributes, "TopicArn", arn))
	})
}

// attributesCLI is what get-topic-attributes and get-queue-attributes
// print: {"Attributes": {...}}, with the resource's ARN under key even if
// the service left it out (the importer needs it to name the resource).
func attributesCLI(attrs map[string]string, key, arn string) map[string]any {
	a := map[string]string{}
	for k, v := range attrs {
		a[k] = v
	}
	if a[key] == "" {
		a[key] = arn
	}
	return map[string]any{"Attributes": a}
}
