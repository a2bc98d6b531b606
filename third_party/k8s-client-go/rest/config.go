// Package rest holds client-go's Config type in vigil's stand-in for
// k8s.io/client-go (see the module's README.md): nothing in vigil reaches a
// cluster, so no client can be made from a Config.
package rest

import "errors"

// ErrNotBuiltIn is the error of every call that would reach a Kubernetes
// cluster.
var ErrNotBuiltIn = errors.New("k8s.io/client-go: cluster access is not built into vigil")

// Config names a cluster; only its host is kept by this stand-in.
type Config struct {
	// Host is the API server's address (host, host:port or URL).
	Host string
}
