variable "log_group" { type = string }
variable "changes" { type = map(string) }

resource "aws_cloudwatch_log_metric_filter" "this" {
  for_each       = var.changes
  name           = "cis-${each.key}"
  log_group_name = var.log_group
  pattern        = each.value
  metric_transformation {
    name      = "cis-${each.key}"
    namespace = "CIS"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each            = var.changes
  alarm_name          = "cis-${each.key}"
  metric_name         = aws_cloudwatch_log_metric_filter.this[each.key].metric_transformation[0].name
  namespace           = "CIS"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  period              = 300
  statistic           = "Sum"
  threshold           = 1
  alarm_actions       = ["arn:aws:sns:us-east-1:111122223333:security"]
}
