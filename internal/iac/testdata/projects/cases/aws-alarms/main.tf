# CIS AWS 7.0 5.x metric filters and alarms, written after reading KICS's
# cloudwatch_*_alarm_missing cases: a multi-region trail sending to a log
# group, a filter per change on that group and an alarm with an action on
# the filter's metric. Variants: a pattern missing a term of the benchmark's
# (no invokedBy NOT EXISTS), an alarm on another metric, an alarm without
# action, a filter on another log group, metric_name as a reference to the
# filter (its id: its name) and as a literal, metric_query.

resource "aws_cloudwatch_log_group" "trail" {
  name = "cloudtrail/management"
}

resource "aws_cloudwatch_log_group" "apps" {
  name = "apps"
}

resource "aws_sns_topic" "security" {
  name = "security-alarms"
}

resource "aws_cloudtrail" "org" {
  name                       = "org"
  s3_bucket_name             = "acme-org-trail"
  is_multi_region_trail      = true
  enable_log_file_validation = true
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = "arn:aws:iam::111122223333:role/trail-to-logs"
}

locals {
  namespace = "CISBenchmark"
}

# 5.3 root usage: the benchmark's pattern, alarm given the filter's id.
resource "aws_cloudwatch_log_metric_filter" "root" {
  name           = "RootUsage"
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }"
  metric_transformation {
    name      = "RootUsage"
    namespace = local.namespace
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "root" {
  alarm_name          = "root-usage"
  metric_name         = aws_cloudwatch_log_metric_filter.root.id
  namespace           = local.namespace
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  period              = 300
  statistic           = "Sum"
  threshold           = 1
  alarm_actions       = [aws_sns_topic.security.arn]
}

# 5.1 unauthorized API calls: the pattern is right, the alarm has no action.
resource "aws_cloudwatch_log_metric_filter" "unauthorized" {
  name           = "unauthorized-api-calls"
  log_group_name = "cloudtrail/management"
  pattern        = "{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") }"
  metric_transformation {
    name      = "UnauthorizedAPICalls"
    namespace = local.namespace
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "unauthorized" {
  alarm_name          = "unauthorized-api-calls"
  metric_name         = "UnauthorizedAPICalls"
  namespace           = local.namespace
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  period              = 300
  statistic           = "Sum"
  threshold           = 1
}

# 5.2 console sign-in without MFA: a metric_query alarm on the metric.
resource "aws_cloudwatch_log_metric_filter" "no_mfa" {
  name           = "console-no-mfa"
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = "{ ($.eventName = \"ConsoleLogin\") && ($.additionalEventData.MFAUsed != \"Yes\") }"
  metric_transformation {
    name      = "ConsoleSignInWithoutMFA"
    namespace = local.namespace
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "no_mfa" {
  alarm_name          = "console-no-mfa"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  threshold           = 1
  alarm_actions       = [aws_sns_topic.security.arn]
  metric_query {
    id          = "m1"
    return_data = true
    metric {
      metric_name = "ConsoleSignInWithoutMFA"
      namespace   = local.namespace
      period      = 300
      stat        = "Sum"
    }
  }
}

# 5.6 console authentication failures: on the application log group, which
# no trail sends to.
resource "aws_cloudwatch_log_metric_filter" "auth_failures" {
  name           = "console-auth-failures"
  log_group_name = aws_cloudwatch_log_group.apps.name
  pattern        = "{ ($.eventName = ConsoleLogin) && ($.errorMessage = \"Failed authentication\") }"
  metric_transformation {
    name      = "ConsoleAuthFailures"
    namespace = local.namespace
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "auth_failures" {
  alarm_name          = "console-auth-failures"
  metric_name         = "ConsoleAuthFailures"
  namespace           = local.namespace
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  period              = 300
  statistic           = "Sum"
  threshold           = 1
  alarm_actions       = [aws_sns_topic.security.arn]
}

# 5.4 IAM policy changes: the filter's name differs from its metric's, and
# the alarm names the filter (its id), so it watches a metric no filter
# writes.
resource "aws_cloudwatch_log_metric_filter" "iam" {
  name           = "iam-policy-changes"
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = "{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}"
  metric_transformation {
    name      = "IAMPolicyChanges"
    namespace = local.namespace
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "iam" {
  alarm_name          = "iam-policy-changes"
  metric_name         = aws_cloudwatch_log_metric_filter.iam.id
  namespace           = local.namespace
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  period              = 300
  statistic           = "Sum"
  threshold           = 1
  alarm_actions       = [aws_sns_topic.security.arn]
}

# 5.8 S3 bucket policy changes: a filter on a log group given at apply.
variable "extra_log_group" {
  type = string
}

resource "aws_cloudwatch_log_metric_filter" "s3_policy" {
  name           = "s3-policy-changes"
  log_group_name = var.extra_log_group
  pattern        = "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }"
  metric_transformation {
    name      = "S3BucketPolicyChanges"
    namespace = local.namespace
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "s3_policy" {
  alarm_name          = "s3-policy-changes"
  metric_name         = "S3BucketPolicyChanges"
  namespace           = local.namespace
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  period              = 300
  statistic           = "Sum"
  threshold           = 1
  alarm_actions       = [aws_sns_topic.security.arn]
}
