provider "aws" {
  region = "eu-west-1"
}

# Two VPCs peered: a routes the whole of b to the peering, b only one subnet of a.
resource "aws_vpc" "a" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc" "b" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_vpc_ipv4_cidr_block_association" "b_secondary" {
  vpc_id     = aws_vpc.b.id
  cidr_block = "10.2.0.0/16"
}

resource "aws_vpc_peering_connection" "ab" {
  vpc_id      = aws_vpc.a.id
  peer_vpc_id = aws_vpc.b.id
  auto_accept = true
}

resource "aws_route_table" "a" {
  vpc_id = aws_vpc.a.id
  route {
    cidr_block                = "10.2.0.0/16"
    vpc_peering_connection_id = aws_vpc_peering_connection.ab.id
  }
}

resource "aws_default_route_table" "b" {
  default_route_table_id = aws_vpc.b.default_route_table_id
}

resource "aws_route" "b_to_a" {
  route_table_id            = aws_default_route_table.b.id
  destination_cidr_block    = "10.0.5.0/24"
  vpc_peering_connection_id = aws_vpc_peering_connection.ab.id
}

# A peering made elsewhere: everything through it fails; a narrow route
# cannot be judged without the peer's ranges.
resource "aws_vpc" "c" {
  cidr_block = "10.3.0.0/16"
}

resource "aws_route_table" "c" {
  vpc_id = aws_vpc.c.id
}

resource "aws_route" "c_default" {
  route_table_id            = aws_route_table.c.id
  destination_cidr_block    = "0.0.0.0/0"
  vpc_peering_connection_id = "pcx-0a1b2c3d"
}

resource "aws_vpc" "d" {
  cidr_block = "10.4.0.0/16"
}

resource "aws_route_table" "d" {
  vpc_id = aws_vpc.d.id
  route {
    cidr_block                = "192.168.1.0/24"
    vpc_peering_connection_id = "pcx-4e5f6a7b"
  }
}

# Only an internet gateway route: no peering route to judge.
resource "aws_vpc" "e" {
  cidr_block = "10.5.0.0/16"
}

resource "aws_internet_gateway" "e" {
  vpc_id = aws_vpc.e.id
}

resource "aws_route_table" "e" {
  vpc_id = aws_vpc.e.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.e.id
  }
}

resource "aws_flow_log" "all" {
  for_each        = { a = aws_vpc.a.id, b = aws_vpc.b.id, c = aws_vpc.c.id, d = aws_vpc.d.id, e = aws_vpc.e.id }
  vpc_id          = each.value
  traffic_type    = "ALL"
  log_destination = "arn:aws:s3:::acme-flow-logs"
  log_destination_type = "s3"
}

# Routes written to the main table AWS creates with the VPC
# (route_table_id = aws_vpc.x.main_route_table_id), no aws_route_table
# resource: f sends the whole of g to the peering, g only one subnet of f.
resource "aws_vpc" "f" {
  cidr_block = "10.6.0.0/16"
}

resource "aws_vpc" "g" {
  cidr_block = "10.7.0.0/16"
}

resource "aws_vpc_peering_connection" "fg" {
  vpc_id      = aws_vpc.f.id
  peer_vpc_id = aws_vpc.g.id
  auto_accept = true
}

resource "aws_route" "f_to_g" {
  route_table_id            = aws_vpc.f.main_route_table_id
  destination_cidr_block    = aws_vpc.g.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection.fg.id
}

resource "aws_route" "g_to_f" {
  route_table_id            = aws_vpc.g.main_route_table_id
  destination_cidr_block    = "10.6.1.0/24"
  vpc_peering_connection_id = aws_vpc_peering_connection.fg.id
}

resource "aws_flow_log" "fg" {
  for_each             = { f = aws_vpc.f.id, g = aws_vpc.g.id }
  vpc_id               = each.value
  traffic_type         = "ALL"
  log_destination      = "arn:aws:s3:::acme-flow-logs"
  log_destination_type = "s3"
}
