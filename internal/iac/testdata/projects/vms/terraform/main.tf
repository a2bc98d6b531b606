# Azure VMs and scale sets, written after trivy's azure/compute checks, Checkov's CKV_AZURE_49 / CKV_AZURE_149 and
# KICS's VM and scale set cases: password SSH logins, public IPs, boot scripts, managed identities.
provider "azurerm" {
  features {}
}

variable "password_logins" {
  type = bool
}

variable "admin_password" {
  type      = string
  sensitive = true
}

resource "azurerm_resource_group" "rg" {
  name     = "rg-vms"
  location = "westeurope"
}

resource "azurerm_network_interface" "nic" {
  for_each            = toset(["keys", "password", "unset", "windows"])
  name                = "nic-${each.key}"
  location            = azurerm_resource_group.rg.location
  resource_group_name = azurerm_resource_group.rg.name
  ip_configuration {
    name                          = "internal"
    subnet_id                     = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/app"
    private_ip_address_allocation = "Dynamic"
  }
}

# Keys only (the provider's default disables passwords).
resource "azurerm_linux_virtual_machine" "keys" {
  name                  = "vm-keys"
  resource_group_name   = azurerm_resource_group.rg.name
  location              = azurerm_resource_group.rg.location
  size                  = "Standard_B2s"
  admin_username        = "ops"
  network_interface_ids = [azurerm_network_interface.nic["keys"].id]
  admin_ssh_key {
    username   = "ops"
    public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTestsOnly ops"
  }
  identity {
    type = "SystemAssigned"
  }
  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Standard_LRS"
  }
  source_image_reference {
    publisher = "Canonical"
    offer     = "ubuntu-24_04-lts"
    sku       = "server"
    version   = "latest"
  }
}

# A password and password logins.
resource "azurerm_linux_virtual_machine" "password" {
  name                            = "vm-password"
  resource_group_name             = azurerm_resource_group.rg.name
  location                        = azurerm_resource_group.rg.location
  size                            = "Standard_B2s"
  admin_username                  = "ops"
  admin_password                  = var.admin_password
  disable_password_authentication = false
  network_interface_ids           = [azurerm_network_interface.nic["password"].id]
  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Standard_LRS"
  }
  source_image_reference {
    publisher = "Canonical"
    offer     = "ubuntu-24_04-lts"
    sku       = "server"
    version   = "latest"
  }
}

# Decided at apply time.
resource "azurerm_linux_virtual_machine" "unset" {
  name                            = "vm-unset"
  resource_group_name             = azurerm_resource_group.rg.name
  location                        = azurerm_resource_group.rg.location
  size                            = "Standard_B2s"
  admin_username                  = "ops"
  disable_password_authentication = !var.password_logins
  network_interface_ids           = [azurerm_network_interface.nic["unset"].id]
  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Standard_LRS"
  }
  source_image_reference {
    publisher = "Canonical"
    offer     = "ubuntu-24_04-lts"
    sku       = "server"
    version   = "latest"
  }
}

# Windows: a password is its login; not judged for SSH passwords.
resource "azurerm_windows_virtual_machine" "win" {
  name                  = "vm-win"
  resource_group_name   = azurerm_resource_group.rg.name
  location              = azurerm_resource_group.rg.location
  size                  = "Standard_B2s"
  admin_username        = "ops"
  admin_password        = var.admin_password
  network_interface_ids = [azurerm_network_interface.nic["windows"].id]
  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Standard_LRS"
  }
  source_image_reference {
    publisher = "MicrosoftWindowsServer"
    offer     = "WindowsServer"
    sku       = "2022-datacenter"
    version   = "latest"
  }
}

# The legacy resource: os_profile_linux_config.
resource "azurerm_virtual_machine" "legacy" {
  name                  = "vm-legacy"
  location              = azurerm_resource_group.rg.location
  resource_group_name   = azurerm_resource_group.rg.name
  network_interface_ids = []
  vm_size               = "Standard_B2s"
  storage_os_disk {
    name              = "legacy-os"
    create_option     = "FromImage"
    managed_disk_type = "Standard_LRS"
  }
  os_profile {
    computer_name  = "legacy"
    admin_username = "ops"
    admin_password = var.admin_password
  }
  os_profile_linux_config {
    disable_password_authentication = false
  }
}

# Scale sets: each instance is a VM of the profile.
resource "azurerm_linux_virtual_machine_scale_set" "web" {
  name                            = "vmss-web"
  resource_group_name             = azurerm_resource_group.rg.name
  location                        = azurerm_resource_group.rg.location
  sku                             = "Standard_B2s"
  instances                       = 2
  admin_username                  = "ops"
  admin_password                  = var.admin_password
  disable_password_authentication = false
  custom_data                     = base64encode("#!/bin/sh\nexport DB_PASSWORD=hunter2hunter2\n/opt/web/start\n")
  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Standard_LRS"
  }
  source_image_reference {
    publisher = "Canonical"
    offer     = "ubuntu-24_04-lts"
    sku       = "server"
    version   = "latest"
  }
  network_interface {
    name    = "web"
    primary = true
    ip_configuration {
      name      = "web"
      primary   = true
      subnet_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/web"
      public_ip_address {
        name = "web-pip"
      }
    }
  }
}

resource "azurerm_linux_virtual_machine_scale_set" "workers" {
  name                = "vmss-workers"
  resource_group_name = azurerm_resource_group.rg.name
  location            = azurerm_resource_group.rg.location
  sku                 = "Standard_B2s"
  instances           = 3
  admin_username      = "ops"
  admin_ssh_key {
    username   = "ops"
    public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTestsOnly ops"
  }
  identity {
    type = "SystemAssigned"
  }
  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Standard_LRS"
  }
  source_image_reference {
    publisher = "Canonical"
    offer     = "ubuntu-24_04-lts"
    sku       = "server"
    version   = "latest"
  }
  network_interface {
    name    = "workers"
    primary = true
    ip_configuration {
      name      = "workers"
      primary   = true
      subnet_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/app"
    }
  }
}

resource "azurerm_windows_virtual_machine_scale_set" "desktops" {
  name                 = "vmss-desk"
  resource_group_name  = azurerm_resource_group.rg.name
  location             = azurerm_resource_group.rg.location
  sku                  = "Standard_B2s"
  instances            = 2
  admin_username       = "ops"
  admin_password       = var.admin_password
  computer_name_prefix = "desk"
  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Standard_LRS"
  }
  source_image_reference {
    publisher = "MicrosoftWindowsServer"
    offer     = "WindowsServer"
    sku       = "2022-datacenter"
    version   = "latest"
  }
  network_interface {
    name    = "desk"
    primary = true
    ip_configuration {
      name      = "desk"
      primary   = true
      subnet_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/app"
    }
  }
}

resource "azurerm_orchestrated_virtual_machine_scale_set" "flex" {
  name                        = "vmss-flex"
  resource_group_name         = azurerm_resource_group.rg.name
  location                    = azurerm_resource_group.rg.location
  platform_fault_domain_count = 1
  sku_name                    = "Standard_B2s"
  instances                   = 2
  os_profile {
    linux_configuration {
      admin_username                  = "ops"
      admin_password                  = var.admin_password
      disable_password_authentication = false
    }
  }
}

# Legacy VMs attached to specialized OS disks (create_option = "Attach"): no os_profile, the OS only in the disk's
# os_type. The Windows one is not judged for SSH password logins; the Linux one's logins are its image's (unknown).
resource "azurerm_managed_disk" "restored" {
  name                 = "restored-os"
  location             = azurerm_resource_group.rg.location
  resource_group_name  = azurerm_resource_group.rg.name
  storage_account_type = "Standard_LRS"
  create_option        = "Copy"
  source_resource_id   = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-vms/providers/Microsoft.Compute/snapshots/win-os"
  os_type              = "Windows"
}

resource "azurerm_virtual_machine" "restored_windows" {
  name                  = "vm-restored-win"
  location              = azurerm_resource_group.rg.location
  resource_group_name   = azurerm_resource_group.rg.name
  network_interface_ids = [azurerm_network_interface.nic["windows"].id]
  vm_size               = "Standard_B2s"
  storage_os_disk {
    name            = azurerm_managed_disk.restored.name
    managed_disk_id = azurerm_managed_disk.restored.id
    create_option   = "Attach"
    os_type         = "Windows"
  }
}

resource "azurerm_virtual_machine" "restored_linux" {
  name                  = "vm-restored-linux"
  location              = azurerm_resource_group.rg.location
  resource_group_name   = azurerm_resource_group.rg.name
  network_interface_ids = [azurerm_network_interface.nic["unset"].id]
  vm_size               = "Standard_B2s"
  storage_os_disk {
    name              = "restored-linux-os"
    managed_disk_type = "Standard_LRS"
    create_option     = "Attach"
    os_type           = "Linux"
  }
}
