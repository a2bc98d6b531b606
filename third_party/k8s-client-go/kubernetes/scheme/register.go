// Package scheme is client-go's scheme in vigil's stand-in for k8s.io/client-go
// (see the module's README.md): it records the API group versions client-go
// v0.37.2's scheme registers, in the same order, without their types. Helm
// reads only the list (Scheme.PrioritizedVersionsAllGroups) for its default
// capabilities.
package scheme

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Scheme holds the group versions of client-go's clientset.
var Scheme = runtime.NewScheme()

// GroupVersions are the group versions client-go v0.37.2's
// kubernetes/scheme registers, in its order (its register.go).
var GroupVersions = []schema.GroupVersion{
	{Group: "", Version: "v1"},
	{Group: "admissionregistration.k8s.io", Version: "v1"},
	{Group: "admissionregistration.k8s.io", Version: "v1alpha1"},
	{Group: "admissionregistration.k8s.io", Version: "v1beta1"},
	{Group: "internal.apiserver.k8s.io", Version: "v1alpha1"},
	{Group: "apps", Version: "v1"},
	{Group: "apps", Version: "v1beta1"},
	{Group: "apps", Version: "v1beta2"},
	{Group: "authentication.k8s.io", Version: "v1"},
	{Group: "authentication.k8s.io", Version: "v1alpha1"},
	{Group: "authentication.k8s.io", Version: "v1beta1"},
	{Group: "authorization.k8s.io", Version: "v1"},
	{Group: "authorization.k8s.io", Version: "v1beta1"},
	{Group: "autoscaling", Version: "v1"},
	{Group: "autoscaling", Version: "v2"},
	{Group: "batch", Version: "v1"},
	{Group: "batch", Version: "v1beta1"},
	{Group: "certificates.k8s.io", Version: "v1"},
	{Group: "certificates.k8s.io", Version: "v1beta1"},
	{Group: "certificates.k8s.io", Version: "v1alpha1"},
	{Group: "coordination.k8s.io", Version: "v1alpha2"},
	{Group: "coordination.k8s.io", Version: "v1beta1"},
	{Group: "coordination.k8s.io", Version: "v1"},
	{Group: "discovery.k8s.io", Version: "v1"},
	{Group: "discovery.k8s.io", Version: "v1beta1"},
	{Group: "events.k8s.io", Version: "v1"},
	{Group: "events.k8s.io", Version: "v1beta1"},
	{Group: "extensions", Version: "v1beta1"},
	{Group: "flowcontrol.apiserver.k8s.io", Version: "v1"},
	{Group: "flowcontrol.apiserver.k8s.io", Version: "v1beta1"},
	{Group: "flowcontrol.apiserver.k8s.io", Version: "v1beta2"},
	{Group: "flowcontrol.apiserver.k8s.io", Version: "v1beta3"},
	{Group: "lifecycle.k8s.io", Version: "v1alpha1"},
	{Group: "networking.k8s.io", Version: "v1"},
	{Group: "networking.k8s.io", Version: "v1beta1"},
	{Group: "node.k8s.io", Version: "v1"},
	{Group: "node.k8s.io", Version: "v1alpha1"},
	{Group: "node.k8s.io", Version: "v1beta1"},
	{Group: "policy", Version: "v1"},
	{Group: "policy", Version: "v1beta1"},
	{Group: "rbac.authorization.k8s.io", Version: "v1"},
	{Group: "rbac.authorization.k8s.io", Version: "v1beta1"},
	{Group: "rbac.authorization.k8s.io", Version: "v1alpha1"},
	{Group: "resource.k8s.io", Version: "v1"},
	{Group: "resource.k8s.io", Version: "v1beta2"},
	{Group: "resource.k8s.io", Version: "v1beta1"},
	{Group: "resource.k8s.io", Version: "v1alpha3"},
	{Group: "scheduling.k8s.io", Version: "v1alpha3"},
	{Group: "scheduling.k8s.io", Version: "v1beta1"},
	{Group: "scheduling.k8s.io", Version: "v1"},
	{Group: "storage.k8s.io", Version: "v1beta1"},
	{Group: "storage.k8s.io", Version: "v1"},
	{Group: "storage.k8s.io", Version: "v1alpha1"},
	{Group: "storagemigration.k8s.io", Version: "v1"},
	{Group: "storagemigration.k8s.io", Version: "v1beta1"},
}

func init() {
	for _, gv := range GroupVersions {
		// What each API group's AddToScheme adds beside its own types: the
		// meta options types, which make the scheme observe the version.
		metav1.AddToGroupVersion(Scheme, gv)
	}
}
