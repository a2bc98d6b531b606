// Package helm renders Helm charts with the Helm SDK (default values,
// values files, --set) and reads the rendered manifests with the
// Kubernetes reader, locating each object in its template file.
package helm
