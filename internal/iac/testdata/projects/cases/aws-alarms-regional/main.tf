# The same root usage filter and alarm, but the trail logs one region only:
# CIS wants the filters on a multi-region trail's log group.

resource "aws_cloudwatch_log_group" "trail" {
  name = "cloudtrail/regional"
}

resource "aws_cloudtrail" "regional" {
  name                       = "regional"
  s3_bucket_name             = "acme-regional-trail"
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = "arn:aws:iam::111122223333:role/trail-to-logs"
}

resource "aws_guardduty_detector" "main" {}

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
  alarm_name          = "root-usage"
  metric_name         = "RootUsage"
  namespace           = "CIS"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  period              = 300
  statistic           = "Sum"
  threshold           = 1
  alarm_actions       = ["arn:aws:sns:us-east-1:111122223333:security"]
}
