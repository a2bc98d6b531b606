package vigil.rules.k8s_docker_socket_mounted_test

import data.vigil.rules.k8s_docker_socket_mounted as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_workload": [{"id": "r1", "provider": "kubernetes", "type": "Deployment.apps", "facts": {"workload": facts}}]}}

test_fail_docker if {
	"r1" in rule.fail with input as one({"host_paths": ["/var/run/docker.sock"]})
	rule.message.r1 with input as one({"host_paths": ["/var/run/docker.sock"]})
}

test_fail_containerd if {
	"r1" in rule.fail with input as one({"host_paths": ["/run/containerd/containerd.sock"]})
	rule.message.r1 with input as one({"host_paths": ["/run/containerd/containerd.sock"]})
}

test_pass_other_path if {
	inp := one({"host_paths": ["/var/log"]})
	not "r1" in rule.fail with input as inp
}

test_unknown_not_read if {
	inp := one({"kind": "Pod"})
	not "r1" in rule.fail with input as inp
}
