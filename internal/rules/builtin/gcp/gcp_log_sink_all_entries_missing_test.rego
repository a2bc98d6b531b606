package vigil.rules.gcp_log_sink_all_entries_missing_test

import data.vigil.rules.gcp_log_sink_all_entries_missing as rule

one(cis) := {"resources": {"account": [{"id": "r1", "provider": "gcp", "type": "cloudresourcemanager.googleapis.com/Project", "facts": {"account": {"cis": cis}}}]}}

test_fail_filtered_sinks_only if {
	"r1" in rule.fail with input as one({"log_sink_all_entries": false})
}

test_pass_sink_of_every_entry if {
	not "r1" in rule.fail with input as one({"log_sink_all_entries": true})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"log_metric_alerts": {"route": true}})
}
