# Storage accounts made by a module (for_each over a map), network rules as
# their own resource, SQL servers with firewall rules from a map, and a
# network security group mixing a dynamic block and split rules.

variable "location" {
  type    = string
  default = "westeurope"
}

variable "stores" {
  type = map(object({
    public_blobs = bool
    open_network = bool
  }))
}

variable "sql_admins" {
  type    = map(string)
  default = {}
}

locals {
  name = "acme${var.stage}"
}

resource "azurerm_resource_group" "main" {
  name     = "${local.name}-rg"
  location = var.location
}

module "store" {
  source       = "./modules/storage"
  for_each     = var.stores
  name         = "${local.name}${each.key}"
  rg           = azurerm_resource_group.main.name
  location     = azurerm_resource_group.main.location
  public_blobs = each.value.public_blobs
  open_network = each.value.open_network
}

module "sql" {
  source   = "./modules/sql"
  name     = "${local.name}-sql"
  rg       = azurerm_resource_group.main.name
  location = var.location
  firewall = var.sql_firewall
}

resource "azurerm_network_security_group" "app" {
  name                = "app"
  location            = var.location
  resource_group_name = azurerm_resource_group.main.name

  dynamic "security_rule" {
    for_each = { https = 443, http = 80 }
    content {
      name                       = security_rule.key
      priority                   = 100 + security_rule.value
      direction                  = "Inbound"
      access                     = "Allow"
      protocol                   = "Tcp"
      source_port_range          = "*"
      destination_port_range     = tostring(security_rule.value)
      source_address_prefix      = "*"
      destination_address_prefix = "*"
    }
  }
}

resource "azurerm_network_security_group" "mgmt" {
  name                = "mgmt"
  location            = var.location
  resource_group_name = azurerm_resource_group.main.name
}

resource "azurerm_network_security_rule" "mgmt" {
  count                       = length(var.mgmt_ports)
  name                        = "mgmt-${count.index}"
  priority                    = 200 + count.index
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = var.mgmt_ports[count.index]
  source_address_prefix       = var.mgmt_ports[count.index] == "22" ? "10.0.0.0/8" : "Internet"
  destination_address_prefix  = "*"
  resource_group_name         = azurerm_resource_group.main.name
  network_security_group_name = azurerm_network_security_group.mgmt.name
}
