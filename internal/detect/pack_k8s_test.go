package detect

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Cases of vigil_pack_k8s.yml: Kubernetes API server audit Events, written
// as the API server writes them (audit.k8s.io/v1), some delivered as EKS
// (CloudWatch Logs) and AKS (kube-audit records) deliver them.

// k8sEvent is an audit Event of verb on the object ref (a JSON object's
// members) by user, answered code, with further members extra (a
// requestObject).
func k8sEvent(min int, verb, uri, user, ref string, code int, extra string) string {
	groups := `["system:authenticated"]`
	if strings.HasPrefix(user, "system:serviceaccount:") {
		ns := strings.Split(user, ":")[2]
		groups = fmt.Sprintf(`["system:serviceaccounts","system:serviceaccounts:%s","system:authenticated"]`, ns)
	}
	ev := fmt.Sprintf(`{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"RequestResponse","auditID":"%08x-2b7d-4e58-a6c0-91d2e8f7b3a4","stage":"ResponseComplete","requestURI":%q,"verb":%q,"user":{"username":%q,"groups":%s},"sourceIPs":["203.0.113.24"],"userAgent":"kubectl/v1.29.2 (linux/amd64) kubernetes/4b8e819","objectRef":{%s},"responseStatus":{"metadata":{},"code":%d},`,
		min*7919+len(uri), uri, verb, user, groups, ref, code)
	if extra != "" {
		ev += extra + ","
	}
	return ev + fmt.Sprintf(`"requestReceivedTimestamp":"2024-05-07T09:%02d:11.912345Z","stageTimestamp":"2024-05-07T09:%02d:11.931245Z","annotations":{"authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":""}}`, min, min)
}

// asEKS is ev as an EKS cluster's CloudWatch Logs output delivers it.
func asEKS(ev string) string {
	msg, _ := json.Marshal(ev)
	return `{"events":[{"logStreamName":"kube-apiserver-audit-0c6b3a1b1e0f4c2d","timestamp":1715072471912,"message":` + string(msg) + `,"ingestionTime":1715072472000,"eventId":"38262316312871649261123049843219638261927347209821470720"}]}`
}

// asAKS is ev as an AKS cluster's kube-audit diagnostic record.
func asAKS(ev string) string {
	msg, _ := json.Marshal(ev)
	return `{"records":[{"category":"kube-audit-admin","operationName":"Microsoft.ContainerService/managedClusters/diagnosticLogs/Read","properties":{"log":` + string(msg) + `,"pod":"kube-apiserver-6d8f7c9b5-x2k4q","stream":"stdout"},"resourceId":"/SUBSCRIPTIONS/00000000-1111-2222-3333-444444444444/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS-PROD","time":"2024-05-07T09:00:11.9000000Z"}]}`
}

func k8sCases() []accCase {
	const dev = "dev@acme.example"
	ref := func(resource, ns, name, sub string) string {
		r := fmt.Sprintf(`"resource":%q`, resource)
		if ns != "" {
			r += fmt.Sprintf(`,"namespace":%q`, ns)
		}
		if name != "" {
			r += fmt.Sprintf(`,"name":%q`, name)
		}
		if sub != "" {
			r += fmt.Sprintf(`,"subresource":%q`, sub)
		}
		return r + `,"apiVersion":"v1"`
	}
	received := func(ev string) string {
		ev = strings.Replace(ev, `"stage":"ResponseComplete"`, `"stage":"RequestReceived"`, 1)
		return strings.Replace(ev, `"responseStatus":{"metadata":{},"code":200},`, ``, 1)
	}
	secretsAll := func(user string) string {
		return k8sEvent(10, "list", "/api/v1/secrets?limit=500", user, ref("secrets", "", "", ""), 200, "")
	}
	exec := func(verb, user string) string {
		return k8sEvent(3, verb, "/api/v1/namespaces/payments/pods/api-7d9f/exec?command=%2Fbin%2Fsh&container=main&stdin=true&stdout=true&tty=true", user, ref("pods", "payments", "api-7d9f", "exec"), 101, "")
	}
	podReq := func(kind, spec string) string {
		return fmt.Sprintf(`"requestObject":{"kind":%q,"apiVersion":"v1","metadata":{"name":"k8s.privilege-escalation"},"spec":%s}`, kind, spec)
	}
	pod := func(user, ns, spec string) string {
		return k8sEvent(6, "create", "/api/v1/namespaces/"+ns+"/pods", user, ref("pods", ns, "k8s.privilege-escalation", ""), 201, podReq("Pod", spec))
	}
	daemonset := func(user, spec string) string {
		return k8sEvent(6, "create", "/apis/apps/v1/namespaces/monitoring/daemonsets", user, ref("daemonsets", "monitoring", "node-agent", ""), 201,
			`"requestObject":{"kind":"DaemonSet","apiVersion":"apps/v1","metadata":{"name":"node-agent"},"spec":{"template":{"spec":`+spec+`}}}`)
	}
	busybox := func(extra string) string {
		return `{"containers":[{"name":"main","image":"busybox:stable","command":["sh","-c"],"args":["while true; do sleep 3600; done"]` + extra + `}]`
	}
	hostVol := func(path string) string {
		return busybox(`,"volumeMounts":[{"name":"host","mountPath":"/host"}]`) + `,"volumes":[{"name":"host","hostPath":{"path":` + fmt.Sprintf("%q", path) + `}}]}`
	}
	clusterRole := func(user, verbs, resources string) string {
		return k8sEvent(7, "create", "/apis/rbac.authorization.k8s.io/v1/clusterroles", user, ref("clusterroles", "", "stratus-red-team-clusterrole", ""), 201,
			`"requestObject":{"kind":"ClusterRole","apiVersion":"rbac.authorization.k8s.io/v1","metadata":{"name":"stratus-red-team-clusterrole"},"rules":[{"apiGroups":["*"],"resources":`+resources+`,"verbs":`+verbs+`}]}`)
	}
	binding := func(kind, role, user string) string {
		res, uri, ns := "clusterrolebindings", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", ""
		if kind == "RoleBinding" {
			res, uri, ns = "rolebindings", "/apis/rbac.authorization.k8s.io/v1/namespaces/payments/rolebindings", "payments"
		}
		return k8sEvent(1, "create", uri, user, ref(res, ns, "ops-debug", ""), 201,
			fmt.Sprintf(`"requestObject":{"kind":%q,"apiVersion":"rbac.authorization.k8s.io/v1","metadata":{"name":"ops-debug"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":%q},"subjects":[{"kind":"ServiceAccount","name":"api","namespace":"payments"}]}`, kind, role))
	}
	csr := func(verb, sub, user string) string {
		return k8sEvent(8, verb, "/apis/certificates.k8s.io/v1/certificatesigningrequests", user, ref("certificatesigningrequests", "", "stratus-red-team-csr", sub), 201,
			`"requestObject":{"kind":"CertificateSigningRequest","apiVersion":"certificates.k8s.io/v1","metadata":{"name":"stratus-red-team-csr"},"spec":{"signerName":"kubernetes.io/kube-apiserver-client","usages":["client auth"]}}`)
	}
	token := func(ns, sa, user string) string {
		return k8sEvent(9, "create", "/api/v1/namespaces/"+ns+"/serviceaccounts/"+sa+"/token", user, ref("serviceaccounts", ns, sa, "token"), 201,
			`"requestObject":{"kind":"TokenRequest","apiVersion":"authentication.k8s.io/v1","spec":{"audiences":null,"expirationSeconds":315360000}}`)
	}
	webhook := func(verb, res, user string) string {
		return k8sEvent(12, verb, "/apis/admissionregistration.k8s.io/v1/"+res, user, ref(res, "", "pod-policy", ""), 200, "")
	}
	anon := func(uri string, code int) string {
		return k8sEvent(4, "get", uri, "system:anonymous", ref("secrets", "kube-system", "", ""), code, "")
	}
	const eksAdmin = "arn:aws:sts::111122223333:assumed-role/DevOps/alice"
	nodeRole := `- rolearn: arn:aws:iam::111122223333:role/eks-nodes\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n  - system:bootstrappers\n  - system:nodes\n`
	backdoor := nodeRole + `- rolearn: arn:aws:iam::999988887777:role/stratus-red-team-backdoor\n  username: backdoor\n  groups:\n  - system:masters\n`
	awsAuth := func(verb, user, mapRoles string) string {
		extra := ""
		if mapRoles != "" {
			extra = `"requestObject":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"aws-auth","namespace":"kube-system"},"data":{"mapRoles":"` + mapRoles + `"}}`
		}
		return k8sEvent(16, verb, "/api/v1/namespaces/kube-system/configmaps/aws-auth", user, ref("configmaps", "kube-system", "aws-auth", ""), 200, extra)
	}
	return []accCase{
		{
			// Stratus Red Team k8s.credential-access.dump-secrets: LIST
			// /api/v1/secrets, on EKS and AKS too.
			title: "Kubernetes Secrets Listed Across All Namespaces", level: LevelMedium,
			attack: []string{secretsAll(dev), secretsAll("system:serviceaccount:payments:api"), asEKS(secretsAll("arn:aws:sts::111122223333:assumed-role/DevOps/alice")), asAKS(secretsAll("alice@contoso.example"))},
			// One namespace's secrets; the namespace controller; one
			// secret read; the request's first stage (no outcome yet).
			benign: []string{
				k8sEvent(10, "list", "/api/v1/namespaces/payments/secrets", dev, ref("secrets", "payments", "", ""), 200, ""),
				secretsAll("system:serviceaccount:kube-system:namespace-controller"),
				secretsAll("eks:certificate-controller"),
				k8sEvent(10, "get", "/api/v1/namespaces/payments/secrets/db", dev, ref("secrets", "payments", "db", ""), 200, ""),
				received(secretsAll(dev)),
			},
		},
		{
			// Stratus Red Team k8s.persistence.create-admin-clusterrole.
			title: "Kubernetes ClusterRole With Full Permissions Created", level: LevelHigh,
			attack: []string{clusterRole(dev, `["*"]`, `["*"]`), asEKS(clusterRole("arn:aws:sts::111122223333:assumed-role/DevOps/alice", `["*"]`, `["*"]`))},
			// Read-only verbs; every verb on one resource; the
			// aggregation controller.
			benign: []string{
				clusterRole(dev, `["get","list","watch"]`, `["*"]`),
				clusterRole(dev, `["*"]`, `["configmaps"]`),
				clusterRole("system:serviceaccount:kube-system:clusterrole-aggregation-controller", `["*"]`, `["*"]`),
			},
		},
		{
			title: "Kubernetes Cluster-Admin Or Admin Role Bound", level: LevelHigh,
			attack: []string{
				binding("ClusterRoleBinding", "cluster-admin", dev),
				binding("RoleBinding", "admin", "system:serviceaccount:payments:api"),
				asAKS(binding("ClusterRoleBinding", "cluster-admin", "masterclient")),
			},
			// A read-only role; the controller manager's own binding.
			benign: []string{
				binding("ClusterRoleBinding", "view", dev),
				binding("ClusterRoleBinding", "cluster-admin", "system:kube-controller-manager"),
			},
		},
		{
			// Stratus Red Team k8s.persistence.create-client-certificate.
			title: "Kubernetes Client Certificate Signing Request Created Or Approved", level: LevelMedium,
			attack: []string{csr("create", "", dev), csr("update", "approval", dev)},
			// A node's kubelet bootstrapping; a bootstrap token; the CSR
			// read.
			benign: []string{
				csr("create", "", "system:node:ip-10-0-1-23.ec2.internal"),
				csr("create", "", "system:bootstrap:abcdef"),
				csr("get", "", dev),
			},
		},
		{
			// Stratus Red Team k8s.persistence.create-token.
			title: "Kubernetes Token Created For A kube-system Service Account", level: LevelMedium,
			attack: []string{token("kube-system", "clusterrole-aggregation-controller", dev)},
			// A kubelet's projected token for its pod; an application's
			// own namespace.
			benign: []string{
				token("kube-system", "clusterrole-aggregation-controller", "system:node:ip-10-0-1-23.ec2.internal"),
				token("payments", "api", dev),
			},
		},
		{
			// Stratus Red Team k8s.privilege-escalation.hostpath-volume.
			title: "Kubernetes Pod Or Workload Mounts A Sensitive Host Path", level: LevelHigh,
			attack: []string{pod(dev, "stratus-red-team", hostVol("/")), daemonset("system:serviceaccount:ci:deployer", hostVol("/var/run/docker.sock"))},
			// A log directory; no host path; the DaemonSet controller's
			// pods; the pod read back.
			benign: []string{
				pod(dev, "stratus-red-team", hostVol("/var/log")),
				pod(dev, "stratus-red-team", busybox("")+"}"),
				pod("system:serviceaccount:kube-system:daemon-set-controller", "monitoring", hostVol("/")),
			},
		},
		{
			// Stratus Red Team k8s.privilege-escalation.privileged-pod.
			title: "Kubernetes Privileged Container Created", level: LevelMedium,
			attack: []string{
				pod(dev, "stratus-red-team", busybox(`,"securityContext":{"privileged":true}`)+"}"),
				daemonset("system:serviceaccount:ci:deployer", busybox(`,"securityContext":{"privileged":true}`)+"}"),
				pod(dev, "stratus-red-team", busybox("")+`,"hostPID":true}`),
			},
			// Not privileged; privileged explicitly false; a kube-system
			// add-on's controller.
			benign: []string{
				pod(dev, "stratus-red-team", busybox(`,"securityContext":{"runAsNonRoot":true}`)+"}"),
				pod(dev, "stratus-red-team", busybox(`,"securityContext":{"privileged":false}`)+`,"hostPID":false}`),
				pod("system:serviceaccount:kube-system:daemon-set-controller", "kube-system", busybox(`,"securityContext":{"privileged":true}`)+"}"),
			},
		},
		{
			// Stratus Red Team k8s.privilege-escalation.nodes-proxy.
			title: "Kubernetes Node Proxy API Used", level: LevelMedium,
			attack: []string{k8sEvent(11, "get", "/api/v1/nodes/ip-10-0-1-23/proxy/runningpods/", "system:serviceaccount:stratus-red-team-nodeproxy:sa", ref("nodes", "", "ip-10-0-1-23", "proxy"), 200, "")},
			// The node read; the node's own kubelet.
			benign: []string{
				k8sEvent(11, "get", "/api/v1/nodes/ip-10-0-1-23", dev, ref("nodes", "", "ip-10-0-1-23", ""), 200, ""),
				k8sEvent(11, "get", "/api/v1/nodes/ip-10-0-1-23/proxy/metrics", "system:node:ip-10-0-1-23", ref("nodes", "", "ip-10-0-1-23", "proxy"), 200, ""),
			},
		},
		{
			title: "Kubernetes Command Executed In A Pod", level: LevelLow,
			// A person (POST, and the WebSocket GET of kubectl 1.30+); a
			// workload's service account token (stolen from a pod); on
			// AKS.
			attack: []string{exec("create", dev), exec("get", dev), exec("create", "system:serviceaccount:payments:api"), asAKS(exec("create", "alice@contoso.example"))},
			// The pod read; its logs; the stream's start (ResponseStarted).
			benign: []string{
				k8sEvent(3, "get", "/api/v1/namespaces/payments/pods/api-7d9f", dev, ref("pods", "payments", "api-7d9f", ""), 200, ""),
				k8sEvent(3, "get", "/api/v1/namespaces/payments/pods/api-7d9f/log", dev, ref("pods", "payments", "api-7d9f", "log"), 200, ""),
				strings.Replace(exec("create", dev), `"stage":"ResponseComplete"`, `"stage":"ResponseStarted"`, 1),
			},
		},
		{
			title: "Kubernetes API Request Allowed For An Anonymous User", level: LevelHigh,
			attack: []string{anon("/api/v1/namespaces/kube-system/secrets", 200)},
			// The same request refused (the usual case); a health probe; a
			// signed-in user.
			benign: []string{
				anon("/api/v1/namespaces/kube-system/secrets", 403),
				k8sEvent(4, "get", "/readyz", "system:anonymous", `"resource":""`, 200, ""),
				k8sEvent(4, "get", "/api/v1/namespaces/kube-system/secrets", dev, ref("secrets", "kube-system", "", ""), 200, ""),
			},
		},
		{
			title: "Kubernetes Request Refused For An Anonymous Or Unauthenticated Caller", level: LevelInformational,
			attack: []string{anon("/api/v1/namespaces/kube-system/secrets", 403), k8sEvent(4, "list", "/api/v1/pods", "", `"resource":"pods"`, 401, "")},
			// Allowed; a health probe refused; a signed-in user refused.
			benign: []string{
				anon("/api/v1/namespaces/kube-system/secrets", 200),
				k8sEvent(4, "get", "/healthz", "system:anonymous", `"resource":""`, 403, ""),
				k8sEvent(4, "get", "/api/v1/namespaces/kube-system/secrets", dev, ref("secrets", "kube-system", "", ""), 403, ""),
			},
		},
		{
			title: "Kubernetes Admission Webhook Created Or Deleted", level: LevelMedium,
			attack: []string{webhook("create", "mutatingwebhookconfigurations", dev), webhook("delete", "validatingwebhookconfigurations", "system:serviceaccount:payments:api")},
			// cert-manager's CA injection (a patch); the configuration
			// read.
			benign: []string{
				webhook("patch", "mutatingwebhookconfigurations", "system:serviceaccount:cert-manager:cert-manager-cainjector"),
				webhook("get", "validatingwebhookconfigurations", dev),
			},
		},
		{
			title: "Kubernetes Events Deleted", level: LevelMedium,
			attack: []string{
				k8sEvent(13, "deletecollection", "/api/v1/namespaces/payments/events", dev, ref("events", "payments", "", ""), 200, ""),
				k8sEvent(13, "delete", "/api/v1/namespaces/payments/events/api-7d9f.17c", "system:serviceaccount:payments:api", ref("events", "payments", "api-7d9f.17c", ""), 200, ""),
			},
			// Events listed; the namespace controller emptying a deleted
			// namespace.
			benign: []string{
				k8sEvent(13, "list", "/api/v1/namespaces/payments/events", dev, ref("events", "payments", "", ""), 200, ""),
				k8sEvent(13, "deletecollection", "/api/v1/namespaces/old/events", "system:serviceaccount:kube-system:namespace-controller", ref("events", "old", "", ""), 200, ""),
			},
		},
		{
			title: "Kubernetes Own Permissions Enumerated", level: LevelLow,
			attack: []string{k8sEvent(14, "create", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", "system:serviceaccount:payments:api", `"resource":"selfsubjectrulesreviews","apiGroup":"authorization.k8s.io","apiVersion":"v1"`, 201, "")},
			// One permission checked (kubectl auth can-i VERB RESOURCE);
			// the API server's own review.
			benign: []string{
				k8sEvent(14, "create", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", dev, `"resource":"selfsubjectaccessreviews","apiGroup":"authorization.k8s.io","apiVersion":"v1"`, 201, ""),
				k8sEvent(14, "create", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", "system:kube-controller-manager", `"resource":"selfsubjectrulesreviews","apiGroup":"authorization.k8s.io","apiVersion":"v1"`, 201, ""),
			},
		},
		{
			title: "Kubernetes Pod Created In kube-system By A Person", level: LevelMedium,
			attack: []string{pod(dev, "kube-system", busybox("")+"}")},
			// The ReplicaSet controller's pod; another namespace; a pod's
			// binding to a node (the scheduler, a subresource).
			benign: []string{
				pod("system:serviceaccount:kube-system:replicaset-controller", "kube-system", busybox("")+"}"),
				pod(dev, "payments", busybox("")+"}"),
				k8sEvent(6, "create", "/api/v1/namespaces/kube-system/pods/coredns-5d78/binding", dev, ref("pods", "kube-system", "coredns-5d78", "binding"), 201, ""),
			},
		},
		{
			// Stratus Red Team eks.persistence.backdoor-aws-auth-configmap:
			// a role mapped to system:masters, through EKS's CloudWatch
			// Logs.
			title: "Amazon EKS aws-auth ConfigMap Grants system:masters", level: LevelHigh,
			attack: []string{asEKS(awsAuth("update", eksAdmin, backdoor)), awsAuth("patch", eksAdmin, backdoor)},
			// A node role's mapping; another ConfigMap with the same text;
			// EKS's own identity.
			benign: []string{
				awsAuth("update", eksAdmin, nodeRole),
				strings.Replace(awsAuth("update", eksAdmin, backdoor), `"name":"aws-auth"`, `"name":"aws-auth-notes"`, 1),
				awsAuth("update", "eks:node-manager", backdoor),
			},
		},
		{
			title: "Amazon EKS aws-auth ConfigMap Changed", level: LevelMedium,
			attack: []string{asEKS(awsAuth("update", eksAdmin, nodeRole)), awsAuth("delete", eksAdmin, "")},
			// The ConfigMap read; a system:masters grant (the high rule's
			// alone).
			benign: []string{
				awsAuth("get", eksAdmin, ""),
				awsAuth("update", eksAdmin, backdoor),
			},
		},
		{
			title: "Kubernetes CronJob Created Or Changed By A Person", level: LevelLow,
			attack: []string{k8sEvent(15, "create", "/apis/batch/v1/namespaces/payments/cronjobs", dev, ref("cronjobs", "payments", "backup", ""), 201, "")},
			// A deploy pipeline's service account; the CronJob controller
			// updating its status.
			benign: []string{
				k8sEvent(15, "create", "/apis/batch/v1/namespaces/payments/cronjobs", "system:serviceaccount:argocd:argocd-application-controller", ref("cronjobs", "payments", "backup", ""), 201, ""),
				k8sEvent(15, "update", "/apis/batch/v1/namespaces/payments/cronjobs/backup/status", "system:serviceaccount:kube-system:cronjob-controller", ref("cronjobs", "payments", "backup", "status"), 200, ""),
			},
		},
	}
}

// TestK8sPack: every rule of vigil_pack_k8s.yml has a case and every case
// holds (checkAccCase), on plain Events and on EKS's and AKS's deliveries.
func TestK8sPack(t *testing.T) {
	checkPackFile(t, "vigil_pack_k8s.yml", k8sCases(), 18)
}

// TestSigmaHQKubernetesFields: rules of logsource kubernetes/audit in
// SigmaHQ's form (rules/application/kubernetes/audit: the Event's own
// names, and capabilities / hostPath for what the pod spec holds) load
// and match wherever the pod spec carries them: a Pod's containers or init
// containers, a workload's template, a CronJob's job template; and not a
// pod without them; responseStatus.code 'ALLOW' is a request carried out.
func TestSigmaHQKubernetesFields(t *testing.T) {
	dir := t.TempDir()
	rule := func(name, title, field string) {
		y := fmt.Sprintf("title: %s\nid: %s\nstatus: test\nlogsource:\n    category: application\n    product: kubernetes\n    service: audit\ndetection:\n    selection:\n        verb: 'create'\n        objectRef.resource:\n            - pods\n            - deployments\n            - cronjobs\n        %s: '*'\n    condition: selection\nlevel: low\n",
			title, map[string]string{"caps": "c5cd1b20-36bb-488d-8c05-486be3d0cb97", "host": "402b955c-8fe0-4a8c-b635-622b4ac5f902"}[name], field)
		if err := os.WriteFile(filepath.Join(dir, name+".yml"), []byte(y), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	rule("caps", "Privileged Container Deployed", "capabilities")
	rule("host", "Container With A hostPath Mount Created", "hostPath")
	obj := func(res, spec string) string {
		return k8sEvent(5, "create", "/api/v1/namespaces/payments/"+res, "dev@acme.example", fmt.Sprintf(`"resource":%q,"namespace":"payments","name":"x","apiVersion":"v1"`, res), 201,
			`"requestObject":{"kind":"X","apiVersion":"v1","metadata":{"name":"x"},"spec":`+spec+`}`)
	}
	caps := `{"containers":[{"name":"main","image":"busybox:stable"}],"initContainers":[{"name":"init","image":"busybox:stable","securityContext":{"capabilities":{"add":["SYS_ADMIN"]}}}]}`
	host := `{"containers":[{"name":"main","image":"busybox:stable"}],"volumes":[{"name":"h","hostPath":{"path":"/var/log"}}]}`
	plain := `{"containers":[{"name":"main","image":"busybox:stable","securityContext":{"capabilities":{"drop":["ALL"]}}}]}`
	for _, tc := range []struct {
		name  string
		ev    string
		title string
	}{
		{"pod init container capabilities", obj("pods", caps), "Privileged Container Deployed"},
		{"deployment template capabilities", obj("deployments", `{"template":{"spec":`+caps+`}}`), "Privileged Container Deployed"},
		{"pod host path", obj("pods", host), "Container With A hostPath Mount Created"},
		{"cronjob host path", obj("cronjobs", `{"jobTemplate":{"spec":{"template":{"spec":`+host+`}}}}`), "Container With A hostPath Mount Created"},
		{"EKS delivery", asEKS(obj("pods", host)), "Container With A hostPath Mount Created"},
	} {
		got := alertsOf(runWith(t, []string{dir}, []string{tc.ev}), tc.title)
		if len(got) != 1 {
			t.Errorf("%s: %d alerts of %q, want 1", tc.name, len(got), tc.title)
		}
	}
	// responseStatus.code 'ALLOW' (SigmaHQ's enumeration rules): a
	// request carried out, not one refused.
	allow := "title: Kubernetes Enumeration Tool\nid: 597a7e84-187d-458b-9e4f-2f5a0e676711\nstatus: test\nlogsource:\n    product: kubernetes\n    service: audit\ndetection:\n    selection_user_agent:\n        userAgent|contains: trufflehog\n    selection_status:\n        responseStatus.code: 'ALLOW'\n    condition: selection_user_agent and selection_status\nlevel: medium\n"
	if err := os.WriteFile(filepath.Join(dir, "allow.yml"), []byte(allow), 0o600); err != nil {
		t.Fatal(err)
	}
	tool := func(code int) string {
		return strings.Replace(k8sEvent(5, "list", "/api/v1/secrets", "system:serviceaccount:payments:api", `"resource":"secrets","apiVersion":"v1"`, code, ""),
			`"userAgent":"kubectl/v1.29.2 (linux/amd64) kubernetes/4b8e819"`, `"userAgent":"trufflehog/3.63.2"`, 1)
	}
	if got := alertsOf(runWith(t, []string{dir}, []string{tool(200)}), "Kubernetes Enumeration Tool"); len(got) != 1 {
		t.Errorf("allowed request: %d alerts, want 1", len(got))
	}
	if got := alertsOf(runWith(t, []string{dir}, []string{tool(403)}), "Kubernetes Enumeration Tool"); len(got) != 0 {
		t.Errorf("refused request: %d alerts, want 0", len(got))
	}
	for _, title := range []string{"Privileged Container Deployed", "Container With A hostPath Mount Created"} {
		if got := alertsOf(runWith(t, []string{dir}, []string{obj("pods", plain)}), title); len(got) != 0 {
			t.Errorf("a pod without added capabilities or host paths raised %q", title)
		}
	}
}
