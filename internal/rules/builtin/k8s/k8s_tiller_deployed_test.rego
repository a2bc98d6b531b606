package vigil.rules.k8s_tiller_deployed_test

import data.vigil.rules.k8s_tiller_deployed as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_workload": [{"id": "r1", "provider": "kubernetes", "type": "Deployment.apps", "facts": {"workload": facts}}]}}

test_fail_tiller if {
	inp := one({"containers": [{"name": "tiller", "kind": "container", "image": "gcr.io/kubernetes-helm/tiller:v2.16.12"}]})
	"r1" in rule.fail with input as inp
	rule.message.r1 == "Tiller containers: tiller (gcr.io/kubernetes-helm/tiller:v2.16.12)" with input as inp
}

test_fail_untagged_tiller if {
	"r1" in rule.fail with input as one({"containers": [{"name": "carts-db", "kind": "container", "image": "tiller"}]})
}

test_pass_other_images if {
	inp := one({"containers": [{"name": "app", "kind": "container", "image": "mongo"}, {"name": "init", "kind": "init", "image": "example.com/tiller-docs/site:1.0"}]})
	not "r1" in rule.fail with input as inp
}

test_unknown_not_read if {
	not "r1" in rule.fail with input as one({"kind": "Pod"})
}
