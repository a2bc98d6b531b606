# METADATA
# title: "Helm 2 Tiller is deployed"
# description: "A container runs Tiller, the in-cluster server of Helm 2 (end of support in November 2020): it holds cluster-admin-like rights and by default serves its gRPC API without authentication to every pod of the cluster, so any workload can install charts with its rights."
# scope: package
# custom:
#   id: k8s-tiller-deployed
#   severity: HIGH
#   category: exposure
#   class: kubernetes_workload
#   providers: [kubernetes]
#   requires: [facts.workload.containers]
#   remediation: "Migrate the releases to Helm 3 (helm-2to3), which has no server component, and delete the Tiller deployment and its service account bindings."
#   frameworks:
#     nist-800-53-r5: ["AC-6", "CM-7"]
package vigil.rules.k8s_tiller_deployed

# tiller(c): the image's repository (without registry host, tag or
# digest) ends with the name tiller (gcr.io/kubernetes-helm/tiller,
# ghcr.io/helm/tiller).
tiller(c) if {
	repo := split(split(lower(object.get(c, "image", "")), "@")[0], "/")
	last := repo[count(repo) - 1]
	split(last, ":")[0] == "tiller"
}

bad(r) := [sprintf("%s (%s)", [c.name, c.image]) |
	some c in r.facts.workload.containers
	tiller(c)
]

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	count(bad(r)) > 0
}

message[r.id] := sprintf("Tiller containers: %s", [concat(", ", bad(r))]) if {
	some r in input.resources.kubernetes_workload
	r.id in fail
}
