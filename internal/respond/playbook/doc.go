// Package playbook loads response playbooks (YAML): a trigger selecting
// findings and alerts, an optional CEL condition, and steps naming actions
// whose inputs are templated from the finding or alert. Every mistake is
// reported on load as file:line:column, before anything runs: unknown
// keys, actions and inputs, a missing required input, a secret given as a
// value (not env:NAME or file:PATH), auto on a remediation, a template
// field the subject lacks or a step that is not earlier, a CEL condition
// that does not compile or is not boolean, duplicate step ids or names.
//
// Templates (text/template, missingkey=error) and the condition (CEL,
// variable subject) see the respond.Subject by its JSON names; below
// .resource.tags, .raw and .steps.<earlier id> anything may be named.
// Template functions: lower, upper, default DEF V, join SEP LIST, tag KEY.
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
