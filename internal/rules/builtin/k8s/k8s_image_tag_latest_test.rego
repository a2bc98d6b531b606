package vigil.rules.k8s_image_tag_latest_test

import data.vigil.rules.k8s_image_tag_latest as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_workload": [{"id": "r1", "provider": "kubernetes", "type": "Deployment.apps", "facts": {"workload": facts}}]}}

test_fail_latest if {
	"r1" in rule.fail with input as one({"containers": [{"name": "app", "kind": "container", "image": "busybox:latest", "registry": "docker.io", "tag": "latest"}]})
	rule.message.r1 with input as one({"containers": [{"name": "app", "kind": "container", "image": "busybox:latest", "registry": "docker.io", "tag": "latest"}]})
}

test_fail_untagged if {
	"r1" in rule.fail with input as one({"containers": [{"name": "app", "kind": "container", "image": "nginx", "registry": "docker.io"}]})
	rule.message.r1 with input as one({"containers": [{"name": "app", "kind": "container", "image": "nginx", "registry": "docker.io"}]})
}

test_pass_version_tag if {
	inp := one({"containers": [{"name": "app", "kind": "container", "image": "busybox:1.33.1", "registry": "docker.io", "tag": "1.33.1"}]})
	not "r1" in rule.fail with input as inp
}

test_pass_digest if {
	inp := one({"containers": [{"name": "app", "kind": "container", "image": "nginx@sha256:abc", "registry": "docker.io", "digest": "sha256:abc"}]})
	not "r1" in rule.fail with input as inp
}

test_unknown_not_read if {
	inp := one({"kind": "Pod"})
	not "r1" in rule.fail with input as inp
}
