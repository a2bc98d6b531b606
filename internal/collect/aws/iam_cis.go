package awscollect

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// collectServerCertificates writes the account's IAM server certificates
// (iam:ListServerCertificates, CIS AWS 2.17) as AWS::IAM::ServerCertificate
// configuration items with IAM's ServerCertificateMetadata as their
// configuration. A listing that did not end writes none: a certificate
// left out could be the expired one.
func collectServerCertificates(ctx context.Context, t *Task, cl *iam.Client) {
	var certs []iamtypes.ServerCertificateMetadata
	complete, err := pages(ctx, t, "iam", "iam:ListServerCertificates",
		iam.NewListServerCertificatesPaginator(cl, &iam.ListServerCertificatesInput{}),
		func(o *iam.ListServerCertificatesOutput) *string { return o.Marker },
		func(o *iam.ListServerCertificatesOutput) { certs = append(certs, o.ServerCertificateMetadataList...) })
	if err != nil || !complete {
		return
	}
	for _, c := range certs {
		cfg := map[string]any{
			"ServerCertificateName": aws.ToString(c.ServerCertificateName),
			"ServerCertificateId":   aws.ToString(c.ServerCertificateId),
			"Arn":                   aws.ToString(c.Arn),
			"Path":                  aws.ToString(c.Path),
		}
		if c.Expiration != nil {
			cfg["Expiration"] = c.Expiration.UTC().Format(time.RFC3339)
		}
		if c.UploadDate != nil {
			cfg["UploadDate"] = c.UploadDate.UTC().Format(time.RFC3339)
		}
		t.Item(Item{ResourceType: "AWS::IAM::ServerCertificate", ResourceID: aws.ToString(c.ServerCertificateId),
			ResourceName: aws.ToString(c.ServerCertificateName), ARN: aws.ToString(c.Arn), Region: "global",
			Created: c.UploadDate, Configuration: cfg})
	}
}
