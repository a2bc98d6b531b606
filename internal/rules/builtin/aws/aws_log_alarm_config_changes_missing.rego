# METADATA
# title: "No metric filter and alarm for AWS Config configuration changes"
# description: "No CloudWatch Logs metric filter on the log group of a multi-region CloudTrail trail matches AWS Config configuration changes (every event, field and value of the CIS AWS 7.0 5.9 filter pattern) with an alarm that has an action on its metric, so they go unnoticed. Known when the input holds the account's trails and, for a trail sending to CloudWatch Logs, the metric filters (aws logs describe-metric-filters) and alarms (aws cloudwatch describe-alarms, or AWS::CloudWatch::Alarm items) of its log group's region; an account whose trails send nothing to CloudWatch Logs fails. Whether the alarm's SNS topic has a subscriber is not checked."
# scope: package
# custom:
#   id: aws-log-alarm-config-changes-missing
#   severity: LOW
#   category: monitoring
#   class: account
#   providers: [aws]
#   requires: [facts.account.cis.metric_filter_alarms.config_changes]
#   remediation: "Send a multi-region trail to a CloudWatch Logs log group, create a metric filter on it with the pattern {($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder))} (aws logs put-metric-filter), an alarm on its metric (aws cloudwatch put-metric-alarm) and an SNS topic with a subscriber of the security team as the alarm's action."
#   frameworks:
#     cis-aws-7.0: ["5.9"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.16"]
#     pci-dss-4.0: ["10.4"]
#     nist-800-53-r5: ["AU-6", "SI-4"]
#     nist-csf-2.0: ["DE.CM-09"]
package vigil.rules.aws_log_alarm_config_changes_missing

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.cis.metric_filter_alarms.config_changes == false
}

message[id] := "no metric filter with an alarm on a multi-region trail's log group watches AWS Config configuration changes" if some id in fail
