provider "azurerm" {
  features {}
  subscription_id = "11111111-1111-1111-1111-111111111111"
}

provider "azurerm" {
  alias           = "shared"
  features {}
  subscription_id = "22222222-2222-2222-2222-222222222222"
}

variable "location" {
  type    = string
  default = "westeurope"
}

variable "stores" {
  type = map(object({
    replication = optional(string, "ZRS")
    open        = optional(bool, false)
    tls         = optional(string, "TLS1_2")
  }))
}

variable "vaults" {
  type = map(object({
    audit = optional(bool, true)
  }))
  default = {
    app = {}
  }
}

resource "azurerm_resource_group" "rg" {
  name     = "rg-app"
  location = var.location
}

module "storage" {
  source              = "./modules/storage"
  for_each            = var.stores
  name                = "acme${each.key}"
  resource_group_name = azurerm_resource_group.rg.name
  location            = azurerm_resource_group.rg.location
  replication         = each.value.replication
  tls                 = each.value.tls
}

# Network rules split from the accounts made in the module, keyed onto its instances.
resource "azurerm_storage_account_network_rules" "rules" {
  for_each           = module.storage
  storage_account_id = each.value.id
  default_action     = var.stores[each.key].open ? "Allow" : "Deny"
  bypass             = ["AzureServices"]
}

# Key Vaults in the shared subscription, their diagnostic settings count-guarded in the module.
module "vault" {
  source   = "./modules/vault"
  for_each = var.vaults
  providers = {
    azurerm = azurerm.shared
  }
  name                = "acme-kv-${each.key}"
  resource_group_name = azurerm_resource_group.rg.name
  location            = var.location
  audit               = each.value.audit
  workspace_id        = "/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/logs/providers/Microsoft.OperationalInsights/workspaces/logs"
}

module "nsg" {
  source              = "./modules/nsg"
  resource_group_name = azurerm_resource_group.rg.name
  location            = azurerm_resource_group.rg.location
}

# Rules added in the root to the NSG the module made (its output).
resource "azurerm_network_security_rule" "admin" {
  for_each                    = { ssh = 22, rdp = 3389 }
  name                        = "allow-${each.key}"
  priority                    = 100 + each.value
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = tostring(each.value)
  source_address_prefix       = each.key == "ssh" ? "203.0.113.0/24" : "Internet"
  destination_address_prefix  = "*"
  resource_group_name         = azurerm_resource_group.rg.name
  network_security_group_name = module.nsg.name
}

import {
  to = azurerm_resource_group.rg
  id = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-app"
}
