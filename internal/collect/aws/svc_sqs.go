package awscollect

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// runSQS collects the region's queues' attributes as `aws sqs
// get-queue-attributes --attribute-names All` prints them
// (sqs-get-queue-attributes/<name>.<region>.json). A queue whose
// attributes could not be read is written as an AWS Config item without
// configuration: in the inventory, its facts unknown.
func runSQS(ctx context.Context, t *Task) error {
	c := sqs.NewFromConfig(t.Config)
	var urls []string
	// ListQueues pages only when asked for a page size.
	_, err := pages(ctx, t, "sqs", "sqs:ListQueues", sqs.NewListQueuesPaginator(sqsListQueues(c.ListQueues), &sqs.ListQueuesInput{MaxResults: aws.Int32(1000)}),
		func(o *sqs.ListQueuesOutput) *string { return o.NextToken },
		func(o *sqs.ListQueuesOutput) { urls = append(urls, o.QueueUrls...) })
	if err != nil {
		return err
	}
	return each(ctx, urls, func(url string) {
		name := url[strings.LastIndex(url, "/")+1:]
		arn := t.ARN("sqs", t.Region, t.Account, name)
		out, err := c.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(url),
			AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameAll}})
		if err != nil {
			t.Fail("sqs", "sqs:GetQueueAttributes", arn, err)
			t.Item(Item{ResourceType: "AWS::SQS::Queue", ResourceID: url, ResourceName: name, ARN: arn, RelationshipsUnknown: true})
			return
		}
		t.CLI("sqs-get-queue-attributes/"+cliName(name, t.Region), attributesCLI(out.Attributes, "QueueArn", arn))
	})
}
