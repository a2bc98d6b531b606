package vigil.rules.k8s_image_no_digest_test

import data.vigil.rules.k8s_image_no_digest as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_workload": [{"id": "r1", "provider": "kubernetes", "type": "Deployment.apps", "facts": {"workload": facts}}]}}

test_fail_tag_only if {
	"r1" in rule.fail with input as one({"containers": [{"name": "app", "kind": "container", "image": "busybox:1.33.1", "registry": "docker.io", "tag": "1.33.1"}]})
	rule.message.r1 with input as one({"containers": [{"name": "app", "kind": "container", "image": "busybox:1.33.1", "registry": "docker.io", "tag": "1.33.1"}]})
}

test_pass_digest if {
	inp := one({"containers": [{"name": "app", "kind": "container", "image": "nginx:1.27@sha256:abc", "registry": "docker.io", "tag": "1.27", "digest": "sha256:abc"}]})
	not "r1" in rule.fail with input as inp
}

test_unknown_not_read if {
	inp := one({"kind": "Pod"})
	not "r1" in rule.fail with input as inp
}
