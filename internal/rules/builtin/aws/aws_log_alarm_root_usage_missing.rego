# METADATA
# title: "No metric filter and alarm for use of the root user"
# description: "No CloudWatch Logs metric filter on the log group of a multi-region CloudTrail trail matches use of the root user (every event, field and value of the CIS AWS 7.0 5.3 filter pattern) with an alarm that has an action on its metric, so they go unnoticed. Known when the input holds the account's trails and, for a trail sending to CloudWatch Logs, the metric filters (aws logs describe-metric-filters) and alarms (aws cloudwatch describe-alarms, or AWS::CloudWatch::Alarm items) of its log group's region; an account whose trails send nothing to CloudWatch Logs fails. Whether the alarm's SNS topic has a subscriber is not checked."
# scope: package
# custom:
#   id: aws-log-alarm-root-usage-missing
#   severity: MEDIUM
#   category: monitoring
#   class: account
#   providers: [aws]
#   requires: [facts.account.cis.metric_filter_alarms.root_usage]
#   remediation: "Send a multi-region trail to a CloudWatch Logs log group, create a metric filter on it with the pattern {$.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\"} (aws logs put-metric-filter), an alarm on its metric (aws cloudwatch put-metric-alarm) and an SNS topic with a subscriber of the security team as the alarm's action."
#   frameworks:
#     cis-aws-7.0: ["5.3"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.16"]
#     pci-dss-4.0: ["10.4"]
#     nist-800-53-r5: ["AU-6", "SI-4"]
#     nist-csf-2.0: ["DE.CM-09"]
package vigil.rules.aws_log_alarm_root_usage_missing

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.cis.metric_filter_alarms.root_usage == false
}

message[id] := "no metric filter with an alarm on a multi-region trail's log group watches use of the root user" if some id in fail
