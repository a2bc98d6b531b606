package awscollect

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// collectServerCertificates writes the account's IAM server certificates
// as `aws iam list-server-certificates` prints them
// (iam-list-server-certificates.json, an empty list included: CIS AWS 7.0
// 2.17, an account without any reads as such only from the whole
// listing). A listing that failed after its first page is written with
// what was read, IsTruncated and the Marker it stopped at (an expired
// certificate among them still fails the account); one whose first page
// failed writes nothing.
func collectServerCertificates(ctx context.Context, t *Task, cl *iam.Client) {
	list := []iamtypes.ServerCertificateMetadata{}
	var next *string
	complete, err := pages(ctx, t, "iam", "iam:ListServerCertificates",
		iam.NewListServerCertificatesPaginator(iamListServerCertificates(cl.ListServerCertificates), &iam.ListServerCertificatesInput{}),
		func(o *iam.ListServerCertificatesOutput) *string { return o.Marker },
		func(o *iam.ListServerCertificatesOutput) {
			list = append(list, o.ServerCertificateMetadataList...)
			next = o.Marker
		})
	if err != nil {
		return
	}
	out := map[string]any{"ServerCertificateMetadataList": cliForm(list, false), "IsTruncated": !complete}
	writeListing(t, "iam-list-server-certificates.json", false, out, "Marker", complete, next)
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
		iam.NewListVirtualMFADevicesPaginator(iamListVirtualMFADevices(cl.ListVirtualMFADevices), &iam.ListVirtualMFADevicesInput{}),
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
