package azurerbac_test

// An external test package: internal/importer reaches this package through
// internal/inventory (which derives identity.vm_access with it), so only a
// test outside the package may load the sample organization.

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	azurerbac "github.com/vigil-sec/vigil/internal/identity/azure"
	"github.com/vigil-sec/vigil/internal/importer"
)

// TestSampleOrg evaluates the Azure part of examples/org as the importer
// types it.
func TestSampleOrg(t *testing.T) {
	root := filepath.Join("..", "..", "..", "examples", "org", "azure")
	if _, err := os.Stat(root); err != nil {
		t.Skip("examples/org/azure not found")
	}
	inv, err := importer.Load(context.Background(), []string{root})
	if err != nil {
		t.Fatal(err)
	}
	e, err := azurerbac.New(inv.Resources, azurerbac.Options{})
	if err != nil {
		t.Fatal(err)
	}
	const s = "/subscriptions/8f2d6c3e-5b1a-4e7d-9c0f-2a4b6d8e1f37"
	core := s + "/resourceGroups/rg-nw-core-prod/providers/Microsoft.Network/virtualNetworks/vnet-core"
	for _, tt := range []struct {
		p, action string
		data      bool
		scope     string
		want      azurerbac.Result
	}{
		{"64656e0b-bbaa-5772-be3f-2b397ea4ce17", azurerbac.AdminAction, false, s, azurerbac.Allowed}, // Owner at the subscription
		// The deployment stack's deny assignment excludes a service
		// principal the inventory does not hold; the export says it is a
		// service principal, so it cannot be a group holding the owner.
		{"64656e0b-bbaa-5772-be3f-2b397ea4ce17", "Microsoft.Network/virtualNetworks/delete", false, core, azurerbac.ExplicitDeny},
		{"64656e0b-bbaa-5772-be3f-2b397ea4ce17", "Microsoft.Network/virtualNetworks/write", false, core, azurerbac.Allowed},
		{"5f6e5471-f364-5cc6-a108-87d37fe22f18", "Microsoft.Network/virtualNetworks/delete", false, core, azurerbac.Uncertain},                // excluded; Owner only via groups of unknown membership
		{"45ea0306-8932-5b7a-8a8c-88e3ee8469dd", azurerbac.AdminAction, false, s + "/resourceGroups/rg-nw-analytics-prod", azurerbac.Allowed}, // Owner at mg-nw-prod
		{"9e0beea5-0417-5add-9a93-7614c97820c9", "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", true, s + "/resourceGroups/rg-nw-analytics-prod", azurerbac.Conditional},
		{"4e65d986-eabd-5636-88e3-0890b7fd371d", azurerbac.AdminAction, false, s, azurerbac.Allowed}, // User Access Administrator
	} {
		if d := e.Check(azurerbac.Request{Principal: tt.p, Action: tt.action, Data: tt.data, Scope: tt.scope}); d.Result != tt.want {
			t.Errorf("%s %s at %s = %+v, want %s", tt.p, tt.action, tt.scope, d, tt.want)
		}
	}
	admins := e.SubscriptionAdmins()[s]
	if len(admins) < 4 {
		t.Errorf("subscription admins = %+v", admins)
	}
	for _, h := range admins {
		if h.Decision.Result.Denied() {
			t.Errorf("admin with a denied decision: %+v", h)
		}
	}
}
