// Package kubernetes reads Kubernetes manifests (multi-document YAML and
// JSON, List kinds) into vigil's resource model: workloads, RBAC objects,
// Services and namespaces with their NetworkPolicy coverage (provider
// kubernetes), each located by file, lines and kind/namespace/name.
package kubernetes
