# METADATA
# title: "No metric filter and alarm for IAM policy changes"
# description: "No CloudWatch Logs metric filter on the log group of a multi-region CloudTrail trail matches IAM policy changes (every event, field and value of the CIS AWS 7.0 5.4 filter pattern) with an alarm that has an action on its metric, so they go unnoticed. Known when the input holds the account's trails and, for a trail sending to CloudWatch Logs, the metric filters (aws logs describe-metric-filters) and alarms (aws cloudwatch describe-alarms, or AWS::CloudWatch::Alarm items) of its log group's region; an account whose trails send nothing to CloudWatch Logs fails. Whether the alarm's SNS topic has a subscriber is not checked."
# scope: package
# custom:
#   id: aws-log-alarm-iam-policy-changes-missing
#   severity: LOW
#   category: monitoring
#   class: account
#   providers: [aws]
#   requires: [facts.account.cis.metric_filter_alarms.iam_policy_changes]
#   remediation: "Send a multi-region trail to a CloudWatch Logs log group, create a metric filter on it with the pattern {($.eventSource = iam.amazonaws.com) && (($.eventName = DeleteGroupPolicy) || ($.eventName = DeleteRolePolicy) || ($.eventName = DeleteUserPolicy) || ($.eventName = PutGroupPolicy) || ($.eventName = PutRolePolicy) || ($.eventName = PutUserPolicy) || ($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ($.eventName = CreatePolicyVersion) || ($.eventName = DeletePolicyVersion) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || ($.eventName = AttachUserPolicy) || ($.eventName = DetachUserPolicy) || ($.eventName = AttachGroupPolicy) || ($.eventName = DetachGroupPolicy))} (aws logs put-metric-filter), an alarm on its metric (aws cloudwatch put-metric-alarm) and an SNS topic with a subscriber of the security team as the alarm's action."
#   frameworks:
#     cis-aws-7.0: ["5.4"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.16"]
#     pci-dss-4.0: ["10.4"]
#     nist-800-53-r5: ["AU-6", "SI-4"]
#     nist-csf-2.0: ["DE.CM-09"]
package vigil.rules.aws_log_alarm_iam_policy_changes_missing

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.cis.metric_filter_alarms.iam_policy_changes == false
}

message[id] := "no metric filter with an alarm on a multi-region trail's log group watches IAM policy changes" if some id in fail
