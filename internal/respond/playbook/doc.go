// Package playbook loads response playbooks (YAML): a trigger selecting
// findings and alerts, an optional CEL condition, and steps naming actions
// whose inputs are templated from the finding or alert. Every mistake is
// reported on load with its file and line, before anything runs.
//
//	name: lock-public-buckets
//	description: Block public access on public S3 buckets in production.
//	trigger:
//	  findings: {rules: [storage-public-access], providers: [aws], severities: [CRITICAL, HIGH]}
//	condition: 'subject.resource.tags["env"] == "prod"'
//	on_error: stop            # or continue
//	steps:
//	  - id: tell
//	    action: notify.slack
//	    auto: true            # notify, ticket and enrich steps may run without approval
//	    with: {url: "env:SLACK_WEBHOOK", text: "Public bucket {{ .resource.name }} ({{ tag \"owner\" }})"}
//	  - id: lock
//	    action: aws.s3.block-public-access
//	    with: {bucket: "{{ .resource.name }}"}
package playbook
