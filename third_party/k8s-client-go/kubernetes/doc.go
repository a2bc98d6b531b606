// Package kubernetes is empty in vigil's stand-in for k8s.io/client-go: Helm
// imports it blank only to put client-go in the build information (see the
// module's README.md). The typed clientset is not built in.
package kubernetes
