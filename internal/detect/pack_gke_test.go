package detect

import (
	"fmt"
	"strings"
	"testing"
)

// Cases of vigil_pack_gke.yml: GKE Kubernetes API audit entries.

// gkeEvent is a GKE API server audit entry of method on resource by
// principal, with further protoPayload members pp.
func gkeEvent(min int, method, resource, principal, pp string) string {
	ev := gcpEvent(min, "k8s.io", method, resource, pp)
	ev = strings.Replace(ev, `"principalEmail":"ops@acme.example"`, fmt.Sprintf(`"principalEmail":%q`, principal), 1)
	ev = strings.Replace(ev, `"callerSuppliedUserAgent":"google-cloud-sdk gcloud/460.0.0"`, `"callerSuppliedUserAgent":"kubectl/v1.29.2 (linux/amd64) kubernetes/4b8e819"`, 1)
	return strings.Replace(ev, `"resource":{"type":"project","labels":{"project_id":"acme-prod-4821"}}`, `"resource":{"type":"k8s_cluster","labels":{"cluster_name":"prod-1","location":"europe-west1","project_id":"acme-prod-4821"}}`, 1)
}

// binding is a (Cluster)RoleBinding create request to role for subject.
func binding(min int, kind, role, principal string) string {
	method := "io.k8s.authorization.rbac.v1.clusterrolebindings.create"
	resource := "rbac.authorization.k8s.io/v1/clusterrolebindings/ops-debug"
	if kind == "RoleBinding" {
		method = "io.k8s.authorization.rbac.v1.rolebindings.create"
		resource = "rbac.authorization.k8s.io/v1/namespaces/payments/rolebindings/ops-debug"
	}
	return gkeEvent(min, method, resource, principal, fmt.Sprintf(`"request":{"@type":"rbac.authorization.k8s.io/v1.%s","apiVersion":"rbac.authorization.k8s.io/v1","kind":%q,"metadata":{"name":"ops-debug"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":%q},"subjects":[{"kind":"User","name":"drop.box.8812@gmail.com"}]}`, kind, kind, role))
}

func gkeCases() []accCase {
	exec := func(principal string) string {
		return gkeEvent(3, "io.k8s.core.v1.pods.exec.create", "core/v1/namespaces/payments/pods/api-7d9f/exec", principal, `"request":{"@type":"k8s.io/core/v1.PodExecOptions","command":["/bin/sh"],"stdin":true,"tty":true}`)
	}
	return []accCase{
		{
			title: "GKE Cluster-Admin Or Admin Role Bound", level: LevelHigh,
			attack: []string{
				binding(1, "ClusterRoleBinding", "cluster-admin", "dev@acme.example"),
				binding(2, "RoleBinding", "admin", "ci-deployer@acme-prod-4821.iam.gserviceaccount.com"),
				binding(2, "ClusterRoleBinding", "cluster-admin", "system:serviceaccount:payments:api"),
			},
			// A read-only role; the controller manager's own binding;
			// the binding read.
			benign: []string{
				binding(1, "ClusterRoleBinding", "view", "dev@acme.example"),
				binding(1, "ClusterRoleBinding", "cluster-admin", "system:kube-controller-manager"),
				gkeEvent(1, "io.k8s.authorization.rbac.v1.clusterrolebindings.get", "rbac.authorization.k8s.io/v1/clusterrolebindings/cluster-admin", "dev@acme.example", ""),
			},
		},
		{
			title: "GKE Command Executed In A Pod", level: LevelLow,
			// A person; a workload's service account token (stolen from a
			// pod).
			attack: []string{exec("dev@acme.example"), exec("system:serviceaccount:payments:api")},
			benign: []string{
				exec("system:serviceaccount:kube-system:node-problem-detector"),
				gkeEvent(3, "io.k8s.core.v1.pods.log.get", "core/v1/namespaces/payments/pods/api-7d9f/log", "dev@acme.example", ""),
			},
		},
		{
			title: "GKE API Request Allowed For An Anonymous User", level: LevelHigh,
			attack: []string{
				gkeEvent(4, "io.k8s.core.v1.secrets.list", "core/v1/namespaces/kube-system/secrets", "system:anonymous", ""),
				gkeEvent(5, "io.k8s.core.v1.pods.create", "core/v1/namespaces/default/pods/miner", "system:anonymous", ""),
			},
			// The same request refused (the usual case); a health probe; a
			// signed-in user.
			benign: []string{
				gcpFailed(gkeEvent(4, "io.k8s.core.v1.secrets.list", "core/v1/namespaces/kube-system/secrets", "system:anonymous", "")),
				gkeEvent(4, "io.k8s.get.healthz", "healthz", "system:anonymous", ""),
				gkeEvent(4, "io.k8s.core.v1.secrets.list", "core/v1/namespaces/kube-system/secrets", "dev@acme.example", ""),
			},
		},
	}
}

// TestGKEPack: every rule of vigil_pack_gke.yml has a case and every case
// holds (checkAccCase).
func TestGKEPack(t *testing.T) {
	checkPackFile(t, "vigil_pack_gke.yml", gkeCases(), 3)
}
