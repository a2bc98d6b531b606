# API Gateway, queues, topics, registries and secrets in the shapes KICS's and Checkov's positive and negative
# cases use (written for vigil, 7 December): execution logging from method settings, an empty settings block,
# OPTIONS methods, custom domains' security policies, policies open to "*" with and without a source condition.

provider "aws" {
  region = "eu-west-1"
}

resource "aws_api_gateway_rest_api" "public" {
  name = "orders"
}

resource "aws_api_gateway_resource" "items" {
  rest_api_id = aws_api_gateway_rest_api.public.id
  parent_id   = aws_api_gateway_rest_api.public.root_resource_id
  path_part   = "items"
}

# Anyone may call GET: no authorizer.
resource "aws_api_gateway_method" "get_items" {
  rest_api_id   = aws_api_gateway_rest_api.public.id
  resource_id   = aws_api_gateway_resource.items.id
  http_method   = "GET"
  authorization = "NONE"
}

# The CORS preflight needs none.
resource "aws_api_gateway_method" "cors" {
  rest_api_id   = aws_api_gateway_rest_api.public.id
  resource_id   = aws_api_gateway_resource.items.id
  http_method   = "OPTIONS"
  authorization = "NONE"
}

resource "aws_api_gateway_rest_api" "internal" {
  name = "billing"
  endpoint_configuration {
    types = ["PRIVATE"]
  }
}

resource "aws_api_gateway_method" "billing_post" {
  rest_api_id   = aws_api_gateway_rest_api.internal.id
  resource_id   = aws_api_gateway_rest_api.internal.root_resource_id
  http_method   = "POST"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_method" "billing_get" {
  rest_api_id      = aws_api_gateway_rest_api.internal.id
  resource_id      = aws_api_gateway_rest_api.internal.root_resource_id
  http_method      = "GET"
  authorization    = "NONE"
  api_key_required = true
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/apigw/orders"
  retention_in_days = 90
}

resource "aws_api_gateway_client_certificate" "backend" {
  description = "lets the backends verify API Gateway"
}

# Everything on: access logs, X-Ray, a client certificate, a web ACL.
resource "aws_api_gateway_stage" "prod" {
  stage_name            = "prod"
  rest_api_id           = aws_api_gateway_rest_api.public.id
  deployment_id         = "abc123"
  xray_tracing_enabled  = true
  client_certificate_id = aws_api_gateway_client_certificate.backend.id
  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = "$context.requestId"
  }
}

resource "aws_wafv2_web_acl_association" "prod" {
  resource_arn = aws_api_gateway_stage.prod.arn
  web_acl_arn  = "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/api/0000"
}

# Execution logging only (method settings at INFO): logged.
resource "aws_api_gateway_stage" "staging" {
  stage_name    = "staging"
  rest_api_id   = aws_api_gateway_rest_api.public.id
  deployment_id = "abc123"
}

resource "aws_api_gateway_method_settings" "staging_all" {
  rest_api_id = aws_api_gateway_rest_api.public.id
  stage_name  = aws_api_gateway_stage.staging.stage_name
  method_path = "*/*"
  settings {
    metrics_enabled = true
    logging_level   = "INFO"
  }
}

# Method settings with an empty settings block and no access logs: nothing is logged.
resource "aws_api_gateway_stage" "dev" {
  stage_name    = "dev"
  rest_api_id   = aws_api_gateway_rest_api.public.id
  deployment_id = "abc123"
}

resource "aws_api_gateway_method_settings" "dev_all" {
  rest_api_id = aws_api_gateway_rest_api.public.id
  stage_name  = aws_api_gateway_stage.dev.stage_name
  method_path = "*/*"
  settings {}
}

resource "aws_apigatewayv2_api" "socket" {
  name                       = "events"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}

resource "aws_apigatewayv2_stage" "socket_prod" {
  api_id = aws_apigatewayv2_api.socket.id
  name   = "prod"
  default_route_settings {
    logging_level          = "ERROR"
    throttling_burst_limit = 100
    throttling_rate_limit  = 50
  }
}

resource "aws_apigatewayv2_stage" "socket_dev" {
  api_id = aws_apigatewayv2_api.socket.id
  name   = "dev"
}

resource "aws_api_gateway_domain_name" "legacy" {
  domain_name              = "legacy.example.com"
  regional_certificate_arn = "arn:aws:acm:eu-west-1:111122223333:certificate/1111"
  security_policy          = "TLS_1_0"
  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_domain_name" "modern" {
  domain_name              = "api.example.com"
  regional_certificate_arn = "arn:aws:acm:eu-west-1:111122223333:certificate/2222"
  security_policy          = "SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09"
  endpoint_access_mode     = "STRICT"
  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

# No security_policy: the default is not documented for every endpoint type.
resource "aws_api_gateway_domain_name" "unset" {
  domain_name     = "old.example.com"
  certificate_arn = "arn:aws:acm:us-east-1:111122223333:certificate/3333"
}

resource "aws_apigatewayv2_domain_name" "ws" {
  domain_name = "ws.example.com"
  domain_name_configuration {
    certificate_arn = "arn:aws:acm:eu-west-1:111122223333:certificate/4444"
    endpoint_type   = "REGIONAL"
    security_policy = "TLS_1_2"
  }
}

resource "aws_sns_topic" "alerts" {
  name = "alerts"
}

resource "aws_kms_key" "queues" {
  description         = "queues and topics"
  enable_key_rotation = true
}

resource "aws_sns_topic" "orders" {
  name              = "orders"
  kms_master_key_id = aws_kms_key.queues.arn
}

resource "aws_sns_topic" "aws_key" {
  name              = "audit"
  kms_master_key_id = "alias/aws/sns"
}

# Open to "*", but only for messages the orders topic sends: not public.
resource "aws_sqs_queue" "fanout" {
  name              = "fanout"
  kms_master_key_id = aws_kms_key.queues.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "sqs:SendMessage"
      Resource  = "*"
      Condition = { ArnEquals = { "aws:SourceArn" = aws_sns_topic.orders.arn } }
    }]
  })
}

# Anyone may send.
resource "aws_sqs_queue" "inbox" {
  name = "inbox"
}

resource "aws_sqs_queue_policy" "inbox" {
  queue_url = aws_sqs_queue.inbox.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = ["sqs:SendMessage", "sqs:ReceiveMessage"]
      Resource  = aws_sqs_queue.inbox.arn
    }]
  })
}

resource "aws_sqs_queue" "plain" {
  name                    = "plain"
  sqs_managed_sse_enabled = false
}

resource "aws_ecr_repository" "default" {
  name = "web"
}

resource "aws_ecr_repository" "hardened" {
  name                 = "api"
  image_tag_mutability = "IMMUTABLE"
  image_scanning_configuration {
    scan_on_push = true
  }
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.queues.arn
  }
}

resource "aws_secretsmanager_secret" "db" {
  name       = "db"
  kms_key_id = aws_kms_key.queues.arn
}

resource "aws_secretsmanager_secret_rotation" "db" {
  secret_id           = aws_secretsmanager_secret.db.id
  rotation_lambda_arn = "arn:aws:lambda:eu-west-1:111122223333:function:rotate"
  rotation_rules {
    automatically_after_days = 30
  }
}

resource "aws_secretsmanager_secret" "token" {
  name = "token"
}
