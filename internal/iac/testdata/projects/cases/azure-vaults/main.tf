# Key Vault audit logging (CIS Azure 6.1.1.4), written after KICS's vault_auditing_disabled and Checkov's Key Vault
# logging cases: the vault's diagnostic settings in the configuration decide; none is no logging.
provider "azurerm" {
  features {}
}

variable "workspace_id" {
  type    = string
  default = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/logs/providers/Microsoft.OperationalInsights/workspaces/logs"
}

variable "extra_categories" {
  type = list(string)
}

locals {
  vaults = {
    audited = { sku = "premium" }
    grouped = { sku = "standard" }
  }
}

resource "azurerm_resource_group" "rg" {
  name     = "rg-vaults"
  location = "westeurope"
}

resource "azurerm_key_vault" "kv" {
  for_each            = local.vaults
  name                = "acme-kv-${each.key}"
  location            = azurerm_resource_group.rg.location
  resource_group_name = azurerm_resource_group.rg.name
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = each.value.sku
}

# AuditEvent for one instance, the allLogs group for the other (one setting per vault instance).
resource "azurerm_monitor_diagnostic_setting" "kv" {
  for_each                   = azurerm_key_vault.kv
  name                       = "audit"
  target_resource_id         = each.value.id
  log_analytics_workspace_id = var.workspace_id

  dynamic "enabled_log" {
    for_each = each.key == "audited" ? ["AuditEvent"] : []
    content {
      category = enabled_log.value
    }
  }
  dynamic "enabled_log" {
    for_each = each.key == "grouped" ? ["allLogs"] : []
    content {
      category_group = enabled_log.value
    }
  }
  metric {
    category = "AllMetrics"
  }
}

# The older log block, disabled: no audit log.
resource "azurerm_key_vault" "disabled" {
  name                = "acme-kv-disabled"
  location            = azurerm_resource_group.rg.location
  resource_group_name = azurerm_resource_group.rg.name
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"
}

resource "azurerm_monitor_diagnostic_setting" "disabled" {
  name               = "audit-off"
  target_resource_id = azurerm_key_vault.disabled.id
  storage_account_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/logs/providers/Microsoft.Storage/storageAccounts/logs"

  log {
    category = "AuditEvent"
    enabled  = false
  }
}

# Only the policy evaluation category: not the audit log.
resource "azurerm_key_vault" "policy_only" {
  name                = "acme-kv-policy"
  location            = azurerm_resource_group.rg.location
  resource_group_name = azurerm_resource_group.rg.name
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"
}

resource "azurerm_monitor_diagnostic_setting" "policy_only" {
  name                       = "policy"
  target_resource_id         = azurerm_key_vault.policy_only.id
  log_analytics_workspace_id = var.workspace_id

  enabled_log {
    category = "AzurePolicyEvaluationDetails"
  }
}

# No diagnostic setting at all.
resource "azurerm_key_vault" "silent" {
  name                = "acme-kv-silent"
  location            = azurerm_resource_group.rg.location
  resource_group_name = azurerm_resource_group.rg.name
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"
}

# Categories known only at apply (a variable without value): unknown.
resource "azurerm_key_vault" "undecided" {
  name                = "acme-kv-undecided"
  location            = azurerm_resource_group.rg.location
  resource_group_name = azurerm_resource_group.rg.name
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"
}

resource "azurerm_monitor_diagnostic_setting" "undecided" {
  name                       = "extra"
  target_resource_id         = azurerm_key_vault.undecided.id
  log_analytics_workspace_id = var.workspace_id

  dynamic "enabled_log" {
    for_each = var.extra_categories
    content {
      category = enabled_log.value
    }
  }
}
