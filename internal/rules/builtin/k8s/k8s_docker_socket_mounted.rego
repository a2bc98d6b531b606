# METADATA
# title: "Pod mounts the container runtime socket"
# description: "A hostPath volume mounts the Docker, containerd or CRI-O socket: whoever controls the container controls the node's runtime and every container on it."
# scope: package
# custom:
#   id: k8s-docker-socket-mounted
#   severity: CRITICAL
#   category: exposure
#   class: kubernetes_workload
#   providers: [kubernetes]
#   requires: [facts.workload.host_paths]
#   remediation: "Do not mount the runtime socket; use the Kubernetes API or a dedicated build service instead."
#   frameworks:
#     pss-baseline: ["HostPath Volumes"]
#     cis-kubernetes-1.10: ["5.2.12"]
#     nist-800-53-r5: ["AC-6", "SC-39"]
package vigil.rules.k8s_docker_socket_mounted

sockets := {
	"/var/run/docker.sock", "/run/docker.sock", "/var/run/containerd/containerd.sock",
	"/run/containerd/containerd.sock", "/var/run/crio/crio.sock", "/run/crio/crio.sock",
	"/var/run", "/run",
}

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	some p in r.facts.workload.host_paths
	trim_right(p, "/") in sockets
}

message[id] := "a hostPath volume mounts the container runtime socket" if some id in fail
