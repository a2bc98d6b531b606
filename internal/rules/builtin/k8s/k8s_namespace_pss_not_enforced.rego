# METADATA
# title: "Namespace does not enforce a Pod Security Standard"
# description: "The Namespace object has no pod-security.kubernetes.io/enforce label set to baseline or restricted, so Pod Security Admission admits privileged pods into it (unless the cluster-wide default says otherwise); CIS Kubernetes 5.2.1 asks for an active policy control mechanism."
# scope: package
# custom:
#   id: k8s-namespace-pss-not-enforced
#   severity: MEDIUM
#   category: exposure
#   class: kubernetes_namespace
#   providers: [kubernetes]
#   requires: [facts.namespace.pod_security_enforced]
#   remediation: "Label the namespace pod-security.kubernetes.io/enforce: restricted (or baseline), with a pinned enforce-version."
#   frameworks:
#     cis-kubernetes-1.10: ["5.2.1"]
#     nist-800-53-r5: ["CM-7", "AC-6"]
package vigil.rules.k8s_namespace_pss_not_enforced

fail contains r.id if {
	some r in input.resources.kubernetes_namespace
	r.facts.namespace.pod_security_enforced == false
}

message[r.id] := sprintf("the namespace enforces no Pod Security Standard (enforce label %q)", [object.get(r.facts.namespace, "pod_security_enforce", "")]) if {
	some r in input.resources.kubernetes_namespace
	r.id in fail
}
