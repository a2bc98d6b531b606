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
	pod := func(principal, spec string) string {
		return gkeEvent(6, "io.k8s.core.v1.pods.create", "core/v1/namespaces/stratus-red-team-umusjhhg/pods/k8s.privilege-escalation.privileged-pod", principal,
			`"request":{"@type":"core.k8s.io/v1.Pod","apiVersion":"v1","kind":"Pod","metadata":{"name":"k8s.privilege-escalation.privileged-pod"},"spec":`+spec+`}`)
	}
	daemonset := func(spec string) string {
		return gkeEvent(6, "io.k8s.apps.v1.daemonsets.create", "apps/v1/namespaces/monitoring/daemonsets/node-agent", "ci-deployer@acme-prod-4821.iam.gserviceaccount.com",
			`"request":{"@type":"apps.k8s.io/v1.DaemonSet","apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"node-agent"},"spec":{"template":{"spec":`+spec+`}}}`)
	}
	busybox := func(extra string) string {
		return `{"containers":[{"name":"main","image":"busybox:stable","command":["sh","-c"],"args":["while true; do sleep 3600; done"]` + extra + `}]`
	}
	hostVol := func(path string) string {
		return busybox(`,"volumeMounts":[{"name":"host","mountPath":"/host"}]`) + `,"volumes":[{"name":"host","hostPath":{"path":` + fmt.Sprintf("%q", path) + `}}]}`
	}
	clusterRole := func(verbs, resources string) string {
		return gkeEvent(7, "io.k8s.authorization.rbac.v1.clusterroles.create", "rbac.authorization.k8s.io/v1/clusterroles/stratus-red-team-clusterrole", "dev@acme.example",
			`"request":{"@type":"rbac.authorization.k8s.io/v1.ClusterRole","apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"stratus-red-team-clusterrole"},"rules":[{"apiGroups":["*"],"resources":`+resources+`,"verbs":`+verbs+`}]}`)
	}
	csr := func(method, principal string) string {
		return gkeEvent(8, method, "certificates.k8s.io/v1/certificatesigningrequests/stratus-red-team-csr", principal,
			`"request":{"@type":"certificates.k8s.io/v1.CertificateSigningRequest","apiVersion":"certificates.k8s.io/v1","kind":"CertificateSigningRequest","metadata":{"name":"stratus-red-team-csr"},"spec":{"signerName":"kubernetes.io/kube-apiserver-client","usages":["client auth"]}}`)
	}
	token := func(ns, sa, principal string) string {
		return gkeEvent(9, "io.k8s.core.v1.serviceaccounts.token.create", "core/v1/namespaces/"+ns+"/serviceaccounts/"+sa+"/token", principal,
			`"request":{"@type":"authentication.k8s.io/v1.TokenRequest","apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"expirationSeconds":315360000}}`)
	}
	return []accCase{
		{
			// Stratus Red Team k8s.credential-access.dump-secrets: LIST
			// /api/v1/secrets.
			title: "GKE Secrets Listed Across All Namespaces", level: LevelMedium,
			attack: []string{
				gkeEvent(10, "io.k8s.core.v1.secrets.list", "core/v1/secrets", "dev@acme.example", ""),
				gkeEvent(10, "io.k8s.core.v1.secrets.list", "core/v1/secrets", "system:serviceaccount:payments:api", ""),
			},
			// One namespace's secrets; the namespace controller; one
			// secret read.
			benign: []string{
				gkeEvent(10, "io.k8s.core.v1.secrets.list", "core/v1/namespaces/payments/secrets", "dev@acme.example", ""),
				gkeEvent(10, "io.k8s.core.v1.secrets.list", "core/v1/secrets", "system:serviceaccount:kube-system:namespace-controller", ""),
				gkeEvent(10, "io.k8s.core.v1.secrets.get", "core/v1/namespaces/payments/secrets/db", "dev@acme.example", ""),
			},
		},
		{
			// Stratus Red Team k8s.persistence.create-admin-clusterrole.
			title: "GKE ClusterRole With Full Permissions Created", level: LevelHigh,
			attack: []string{clusterRole(`["*"]`, `["*"]`)},
			// Read-only verbs on everything; every verb on config maps.
			benign: []string{clusterRole(`["get","list","watch"]`, `["*"]`), clusterRole(`["*"]`, `["configmaps"]`)},
		},
		{
			// Stratus Red Team k8s.persistence.create-client-certificate.
			title: "GKE Client Certificate Signing Request Created Or Approved", level: LevelMedium,
			attack: []string{
				csr("io.k8s.certificates.v1.certificatesigningrequests.create", "dev@acme.example"),
				csr("io.k8s.certificates.v1.certificatesigningrequests.approval.update", "dev@acme.example"),
			},
			// A kubelet bootstrapping; the controller manager approving
			// it; the CSR read.
			benign: []string{
				csr("io.k8s.certificates.v1.certificatesigningrequests.create", "kubelet"),
				csr("io.k8s.certificates.v1.certificatesigningrequests.approval.update", "system:kube-controller-manager"),
				csr("io.k8s.certificates.v1.certificatesigningrequests.get", "dev@acme.example"),
			},
		},
		{
			// Stratus Red Team k8s.persistence.create-token.
			title: "GKE Token Created For A kube-system Service Account", level: LevelMedium,
			attack: []string{token("kube-system", "clusterrole-aggregation-controller", "dev@acme.example")},
			// A kubelet's projected token for its pod; an application's
			// own namespace.
			benign: []string{
				token("kube-system", "clusterrole-aggregation-controller", "system:node:gke-prod-1-pool-1-3c9a7d2e-x1b4"),
				token("payments", "api", "dev@acme.example"),
			},
		},
		{
			// Stratus Red Team k8s.privilege-escalation.hostpath-volume.
			title: "GKE Pod Or Workload Mounts A Sensitive Host Path", level: LevelHigh,
			attack: []string{pod("dev@acme.example", hostVol("/")), daemonset(hostVol("/var/run/docker.sock"))},
			// A log directory; no host path; a DaemonSet's pods created by
			// its controller.
			benign: []string{
				pod("dev@acme.example", hostVol("/var/log")),
				pod("dev@acme.example", busybox("")+`}`),
				pod("system:serviceaccount:kube-system:daemon-set-controller", hostVol("/")),
			},
		},
		{
			// Stratus Red Team k8s.privilege-escalation.privileged-pod.
			title: "GKE Privileged Container Created", level: LevelMedium,
			attack: []string{
				pod("dev@acme.example", busybox(`,"securityContext":{"privileged":true}`)+`}`),
				daemonset(busybox(`,"securityContext":{"privileged":true}`) + `}`),
			},
			benign: []string{
				pod("dev@acme.example", busybox(`,"securityContext":{"privileged":false,"runAsNonRoot":true}`)+`}`),
				pod("system:serviceaccount:kube-system:daemon-set-controller", busybox(`,"securityContext":{"privileged":true}`)+`}`),
			},
		},
		{
			// Stratus Red Team k8s.privilege-escalation.nodes-proxy.
			title: "GKE Node Proxy API Used", level: LevelMedium,
			attack: []string{gkeEvent(11, "io.k8s.core.v1.nodes.proxy.get", "core/v1/nodes/gke-prod-1-pool-1-3c9a7d2e-x1b4/proxy/runningpods/", "system:serviceaccount:stratus-red-team-nodeproxy:sa", "")},
			// The node read; the node's own kubelet.
			benign: []string{
				gkeEvent(11, "io.k8s.core.v1.nodes.get", "core/v1/nodes/gke-prod-1-pool-1-3c9a7d2e-x1b4", "dev@acme.example", ""),
				gkeEvent(11, "io.k8s.core.v1.nodes.proxy.get", "core/v1/nodes/gke-prod-1-pool-1-3c9a7d2e-x1b4/proxy/metrics", "system:node:gke-prod-1-pool-1-3c9a7d2e-x1b4", ""),
			},
		},
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
	checkPackFile(t, "vigil_pack_gke.yml", gkeCases(), 10)
}
