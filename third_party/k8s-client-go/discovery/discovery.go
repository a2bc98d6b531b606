// Package discovery is client-go's discovery client in vigil's stand-in for
// k8s.io/client-go (see the module's README.md): it cannot be created.
package discovery

import (
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"k8s.io/client-go/rest"
)

// DiscoveryClient would list a cluster's API resources.
type DiscoveryClient struct{ host string }

// NewDiscoveryClientForConfig fails with rest.ErrNotBuiltIn.
func NewDiscoveryClientForConfig(c *rest.Config) (*DiscoveryClient, error) {
	host := ""
	if c != nil {
		host = c.Host
	}
	return nil, fmt.Errorf("discovery client for %q: %w", host, rest.ErrNotBuiltIn)
}

// ServerResourcesForGroupVersion fails with rest.ErrNotBuiltIn.
func (d *DiscoveryClient) ServerResourcesForGroupVersion(groupVersion string) (*metav1.APIResourceList, error) {
	return nil, fmt.Errorf("resources of %s: %w", groupVersion, rest.ErrNotBuiltIn)
}
