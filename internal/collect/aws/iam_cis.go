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

// collectVirtualMFA writes the account's virtual MFA devices as `aws iam
// list-virtual-mfa-devices` prints them (iam-list-virtual-mfa-devices.json;
// CIS AWS 2.6: the root user's MFA is a hardware device when the
// credential report says root has MFA and none of these is root's). The
// seed and QR code a device is created with are left out (IAM returns
// them only then). A listing that failed after its first page is written
// with what was read and IsTruncated and the Marker it stopped at: a root
// device among them still decides, else the fact is unknown; one whose
// first page failed writes nothing.
func collectVirtualMFA(ctx context.Context, t *Task, cl *iam.Client) {
	list := []iamtypes.VirtualMFADevice{}
	var next *string
	complete, err := pages(ctx, t, "iam", "iam:ListVirtualMFADevices",
		iam.NewListVirtualMFADevicesPaginator(cl, &iam.ListVirtualMFADevicesInput{}),
		func(o *iam.ListVirtualMFADevicesOutput) *string { return o.Marker },
		func(o *iam.ListVirtualMFADevicesOutput) {
			list = append(list, o.VirtualMFADevices...)
			next = o.Marker
		})
	if err != nil {
		return
	}
	out := map[string]any{"VirtualMFADevices": cliForm(list, false, "Base32StringSeed", "QRCodePNG"), "IsTruncated": !complete}
	writeListing(t, "iam-list-virtual-mfa-devices.json", false, out, "Marker", complete, next)
}

// collectSAMLProviders writes the account's IAM SAML identity providers as
// `aws iam list-saml-providers` prints them (iam-list-saml-providers.json,
// an empty list included: CIS AWS 2.19, users federated through IAM
// Identity Center or an identity provider). The call is not paginated.
func collectSAMLProviders(ctx context.Context, t *Task, cl *iam.Client) {
	out, err := cl.ListSAMLProviders(ctx, &iam.ListSAMLProvidersInput{})
	if err != nil {
		t.Fail("iam", "iam:ListSAMLProviders", "", err)
		return
	}
	list := out.SAMLProviderList
	if list == nil {
		list = []iamtypes.SAMLProviderListEntry{}
	}
	t.CLI("iam-list-saml-providers.json", map[string]any{"SAMLProviderList": cliForm(list, false)})
}
