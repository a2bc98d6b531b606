# METADATA
# title: "Namespace has no default-deny NetworkPolicy"
# description: "No NetworkPolicy in the scanned manifests selects every pod of the namespace and denies all ingress, so its pods accept traffic from any pod of the cluster; CIS Kubernetes 5.3.2 asks that every namespace has network policies."
# scope: package
# custom:
#   id: k8s-namespace-no-default-deny
#   severity: MEDIUM
#   category: network
#   class: kubernetes_namespace
#   providers: [kubernetes]
#   requires: [facts.namespace.default_deny_ingress]
#   remediation: "Add a NetworkPolicy with podSelector: {} and policyTypes: [Ingress] (and no ingress rules) to the namespace, then allow the traffic each application needs."
#   frameworks:
#     cis-kubernetes-1.10: ["5.3.2"]
#     nist-800-53-r5: ["SC-7", "AC-4"]
package vigil.rules.k8s_namespace_no_default_deny

fail contains r.id if {
	some r in input.resources.kubernetes_namespace
	r.facts.namespace.default_deny_ingress == false
}

message[r.id] := sprintf("namespace %s has no default-deny ingress NetworkPolicy", [r.name]) if {
	some r in input.resources.kubernetes_namespace
	r.id in fail
}
