variable "name" {
  type = string
}

variable "rg" {
  type = string
}

variable "location" {
  type = string
}

variable "public_blobs" {
  type    = bool
  default = false
}

variable "open_network" {
  type    = bool
  default = false
}

resource "azurerm_storage_account" "this" {
  name                            = var.name
  resource_group_name             = var.rg
  location                        = var.location
  account_tier                    = "Standard"
  account_replication_type        = "GRS"
  min_tls_version                 = var.public_blobs ? "TLS1_0" : "TLS1_2"
  https_traffic_only_enabled      = true
  allow_nested_items_to_be_public = var.public_blobs
}

resource "azurerm_storage_account_network_rules" "this" {
  storage_account_id = azurerm_storage_account.this.id
  default_action     = var.open_network ? "Allow" : "Deny"
  bypass             = ["AzureServices"]
  ip_rules           = var.open_network ? [] : ["203.0.113.10"]
}

resource "azurerm_storage_container" "site" {
  count                 = var.public_blobs ? 1 : 0
  name                  = "site"
  storage_account_id    = azurerm_storage_account.this.id
  container_access_type = "blob"
}

output "id" {
  value = azurerm_storage_account.this.id
}
