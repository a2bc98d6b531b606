package azurecollect

import (
	"context"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/service"
)

// blobDataPlaneCall names the data-plane read in failures (the Blob
// service's Get Blob Service Properties operation).
const blobDataPlaneCall = "blob:GetServiceProperties"

// dataPlaneBlobService reads a storage account's blob service properties
// from the storage data plane, when ARM's were denied or failed and
// Options.BlobDataPlane asks for it, as a blobServices row with what the
// data plane knows (delete retention). Versioning is an ARM-only
// property: the row says null ("not said").
func (c *collector) dataPlaneBlobService(ctx context.Context, s subscription, accountID string) []any {
	name := accountID[strings.LastIndexByte(accountID, '/')+1:]
	svc, err := c.blobClient(name)
	if err == nil {
		var row map[string]any
		if row, err = c.readBlobService(ctx, svc, accountID); err == nil {
			return []any{row}
		}
	}
	c.fail(ctx, s.id, "Microsoft.Storage", blobDataPlaneCall, accountID, err)
	return nil
}

// blobClient is the data-plane client of an account: Options.BlobEndpoint
// and BlobKey (Azurite in tests) or the public endpoint and the token
// credential, with the collector's transport, retry and recording policies.
func (c *collector) blobClient(account string) (*service.Client, error) {
	endpoint := "https://" + account + ".blob.core.windows.net/"
	if c.opts.BlobEndpoint != nil {
		endpoint = c.opts.BlobEndpoint(account)
	}
	o := &service.ClientOptions{ClientOptions: c.clientOptions()}
	if c.opts.BlobKey != nil {
		if key := c.opts.BlobKey(account); key != "" {
			cred, err := azblob.NewSharedKeyCredential(account, key)
			if err != nil {
				return nil, fmt.Errorf("shared key of %s: %w", account, err)
			}
			return service.NewClientWithSharedKeyCredential(endpoint, cred, o)
		}
	}
	return service.NewClient(endpoint, c.cred, o)
}

// readBlobService makes the Get Blob Service Properties call and returns
// the blobServices row of the account.
func (c *collector) readBlobService(ctx context.Context, svc *service.Client, accountID string) (map[string]any, error) {
	resp, err := svc.GetProperties(ctx, nil)
	if err != nil {
		return nil, err
	}
	props := map[string]any{"isVersioningEnabled": nil}
	if p := resp.DeleteRetentionPolicy; p != nil && p.Enabled != nil {
		drp := map[string]any{"enabled": *p.Enabled}
		if p.Days != nil {
			drp["days"] = *p.Days
		}
		props["deleteRetentionPolicy"] = drp
	}
	return map[string]any{
		"id":         accountID + "/blobServices/default",
		"name":       "default",
		"type":       "Microsoft.Storage/storageAccounts/blobServices",
		"properties": props,
	}, nil
}
