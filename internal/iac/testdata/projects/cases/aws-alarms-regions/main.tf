# CIS AWS 5.x across regions: a metric filter reads a log group of its own
# region and an alarm watches the metrics of its own region, so a filter or
# alarm made through another region's provider watches nothing of the
# trail's log group. The account's facts go on its first account resource
# only (the detector), not once more on the EBS default encryption.

provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "eu"
  region = "eu-west-1"
}

resource "aws_guardduty_detector" "main" {}

resource "aws_ebs_encryption_by_default" "main" {
  enabled = true
}

resource "aws_cloudwatch_log_group" "trail" {
  name = "cloudtrail/main"
}

resource "aws_cloudtrail" "main" {
  name                       = "main"
  s3_bucket_name             = "acme-main-trail"
  is_multi_region_trail      = true
  enable_log_file_validation = true
  kms_key_id                 = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = "arn:aws:iam::111122223333:role/trail-to-logs"
}

# 5.1 watched: filter and alarm in the log group's region.
resource "aws_cloudwatch_log_metric_filter" "unauthorized" {
  name           = "UnauthorizedAPICalls"
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = "{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") }"
  metric_transformation {
    name      = "UnauthorizedAPICalls"
    namespace = "CIS"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "unauthorized" {
  alarm_name          = "unauthorized-api-calls"
  metric_name         = aws_cloudwatch_log_metric_filter.unauthorized.name
  namespace           = "CIS"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  period              = 300
  statistic           = "Sum"
  threshold           = 1
  alarm_actions       = ["arn:aws:sns:us-east-1:111122223333:security"]
}

# 5.3 not watched: the alarm is made in eu-west-1, where the filter's
# metric has no data.
resource "aws_cloudwatch_log_metric_filter" "root" {
  name           = "RootUsage"
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }"
  metric_transformation {
    name      = "RootUsage"
    namespace = "CIS"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "root" {
  provider            = aws.eu
  alarm_name          = "root-usage"
  metric_name         = "RootUsage"
  namespace           = "CIS"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  period              = 300
  statistic           = "Sum"
  threshold           = 1
  alarm_actions       = ["arn:aws:sns:eu-west-1:111122223333:security"]
}

# 5.2 not watched: the filter is made in eu-west-1 on a log group of the
# same name there, not on the trail's, with its alarm beside it.
resource "aws_cloudwatch_log_metric_filter" "no_mfa" {
  provider       = aws.eu
  name           = "ConsoleSignInWithoutMFA"
  log_group_name = "cloudtrail/main"
  pattern        = "{ ($.eventName = \"ConsoleLogin\") && ($.additionalEventData.MFAUsed != \"Yes\") }"
  metric_transformation {
    name      = "ConsoleSignInWithoutMFA"
    namespace = "CIS"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "no_mfa" {
  provider            = aws.eu
  alarm_name          = "console-sign-in-without-mfa"
  metric_name         = "ConsoleSignInWithoutMFA"
  namespace           = "CIS"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  period              = 300
  statistic           = "Sum"
  threshold           = 1
  alarm_actions       = ["arn:aws:sns:eu-west-1:111122223333:security"]
}

# 5.6 watched: a trail's log group given as a literal ARN of us-east-1,
# the filter and alarm there.
resource "aws_cloudwatch_log_metric_filter" "auth_failures" {
  name           = "ConsoleAuthFailures"
  log_group_name = "cloudtrail/main"
  pattern        = "{ ($.eventName = ConsoleLogin) && ($.errorMessage = \"Failed authentication\") }"
  metric_transformation {
    name      = "ConsoleAuthFailures"
    namespace = "CIS"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "auth_failures" {
  alarm_name          = "console-auth-failures"
  metric_name         = "ConsoleAuthFailures"
  namespace           = "CIS"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  period              = 300
  statistic           = "Sum"
  threshold           = 1
  alarm_actions       = ["arn:aws:sns:us-east-1:111122223333:security"]
}
