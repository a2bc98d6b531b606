variable "name" {
  type = string
}

variable "log_s3_data_events" {
  type    = bool
  default = false
}

resource "aws_cloudtrail" "this" {
  name                          = var.name
  s3_bucket_name                = "acme-cloudtrail"
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true

  dynamic "event_selector" {
    for_each = var.log_s3_data_events ? ["s3"] : []
    content {
      read_write_type           = "All"
      include_management_events = true
      data_resource {
        type   = "AWS::S3::Object"
        values = ["arn:aws:s3"]
      }
    }
  }
}
