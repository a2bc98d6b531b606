// Package fake is empty in vigil's stand-in for k8s.io/client-go (see the
// module's README.md): it exists because Helm's own engine tests import it,
// which `go mod tidy` follows. The fake dynamic client is not built in.
package fake
