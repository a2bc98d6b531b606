"""Azure part of the Northwind Analytics sample organization.

One subscription, exported with Azure Resource Graph (`az graph query ... -o json`,
which prints {"count","data","skip_token","total_records"}):
  resources.json               Resources table
  authorizationresources.json  AuthorizationResources (role assignments and definitions, deny assignments)
  securityresources.json       SecurityResources (Defender plans, security contact)
  resourcecontainers.json      ResourceContainers (the management groups above the subscription, queried at
                               the tenant root group, the subscription and its resource groups), printed
                               with `--query data`, so a bare JSON array of rows
The rows of the classes added by issue 6 are added by org_azure_v2.py.
ARG lowercases `type` and `resourceGroup`; `id` keeps the ARM casing.
"""

import os

from orglib import NOW, ago, clean, hexid, incidental, iso, plant, uid, write_json, write_text

SUB = "8f2d6c3e-5b1a-4e7d-9c0f-2a4b6d8e1f37"
TENANT = "3c9a7e21-6d4f-4b8a-a1e5-0f2d9c7b8e46"
LOC = "eastus"
PAIRED_LOC = "westus"  # eastus's paired region (the secondary of a geo-redundant account)
SUB_ID = "/subscriptions/" + SUB

RESOURCES = []
AUTH = []
SECURITY = []
CONTAINERS = []

TAGS = {"environment": "prod", "owner": "platform", "costCenter": "CC-2077"}


def rid(rg, provider_type, name):
    return "%s/resourceGroups/%s/providers/%s/%s" % (SUB_ID, rg, provider_type, name)


def row(table, id_, type_, props, *, rg="", name=None, kind="", location=LOC, sku=None, tags=None, identity=None,
        zones=None, managed_by="", sub=SUB):
    r = {
        "id": id_,
        "name": name or id_.rsplit("/", 1)[-1],
        "type": type_.lower(),
        "tenantId": TENANT,
        "kind": kind,
        "location": location,
        "resourceGroup": rg.lower(),
        "subscriptionId": sub,
        "managedBy": managed_by,
        "sku": sku,
        "plan": None,
        "properties": props,
        "tags": tags if tags is not None else {},
        "identity": identity,
        "zones": zones,
        "extendedLocation": None,
    }
    table.append(r)
    return r


def mi(kind="SystemAssigned", seed=""):
    return {"type": kind, "principalId": uid("mi", seed), "tenantId": TENANT}


def ts(days):
    return ago(days).strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z"


# ---------------------------------------------------------------- storage

def storage(rg, name, *, public_blob=False, tls="TLS1_2", https=True, net_deny=True, cmk=None, versioning=True,
            soft_delete=True, hns=False, tags=None, containers=(("data", "None"),), sku="Standard_ZRS"):
    id_ = rid(rg, "Microsoft.Storage/storageAccounts", name)
    enc = {"requireInfrastructureEncryption": True,
           "services": {s: {"keyType": "Account", "enabled": True, "lastEnabledTime": ts(900)}
                        for s in ("blob", "file")},
           "keySource": "Microsoft.Storage"}
    ident = None
    if cmk:
        enc["keySource"] = "Microsoft.Keyvault"
        enc["keyvaultproperties"] = {"keyvaulturi": "https://%s.vault.azure.net/" % cmk[0], "keyname": cmk[1],
                                     "keyversion": "", "currentVersionedKeyIdentifier":
                                         "https://%s.vault.azure.net/keys/%s/%s" % (cmk[0], cmk[1],
                                                                                    hexid(32, cmk)),
                                     "lastKeyRotationTimestamp": ts(40)}
        ident = mi(seed=name)
    props = {
        "keyCreationTime": {"key1": ts(900), "key2": ts(900)},
        "allowCrossTenantReplication": False,
        "privateEndpointConnections": [],
        "minimumTlsVersion": tls,
        "allowBlobPublicAccess": public_blob,
        "allowSharedKeyAccess": not net_deny,
        "isHnsEnabled": hns,
        "networkAcls": {"ipv6Rules": [], "bypass": "AzureServices", "virtualNetworkRules": [], "ipRules": [],
                        "defaultAction": "Deny" if net_deny else "Allow"},
        "supportsHttpsTrafficOnly": https,
        "encryption": enc,
        "accessTier": "Hot",
        "provisioningState": "Succeeded",
        "creationTime": ts(900),
        "primaryEndpoints": {k: "https://%s.%s.core.windows.net/" % (name, k)
                             for k in ("dfs", "web", "blob", "queue", "table", "file")},
        "primaryLocation": LOC,
        "statusOfPrimary": "available",
        **({"secondaryLocation": PAIRED_LOC, "statusOfSecondary": "available"} if "GRS" in sku or "GZRS" in sku else {}),
        "publicNetworkAccess": "Disabled" if net_deny else "Enabled",
        "dnsEndpointType": "Standard",
        "defaultToOAuthAuthentication": True,
    }
    row(RESOURCES, id_, "Microsoft.Storage/storageAccounts", props, rg=rg, kind="StorageV2",
        sku={"name": sku, "tier": "Standard"}, tags=tags or TAGS, identity=ident)
    row(RESOURCES, id_ + "/blobServices/default", "Microsoft.Storage/storageAccounts/blobServices", {
        "cors": {"corsRules": []},
        "deleteRetentionPolicy": {"allowPermanentDelete": False, "enabled": True, "days": 14} if soft_delete
        else {"allowPermanentDelete": False, "enabled": False},
        "containerDeleteRetentionPolicy": {"enabled": soft_delete, **({"days": 14} if soft_delete else {})},
        "isVersioningEnabled": versioning,
        "changeFeed": {"enabled": versioning, **({"retentionInDays": 30} if versioning else {})},
    }, rg=rg, name="default", sku={"name": sku, "tier": "Standard"}, location="")
    for cname, access in containers:
        row(RESOURCES, id_ + "/blobServices/default/containers/" + cname,
            "Microsoft.Storage/storageAccounts/blobServices/containers", {
                "publicAccess": access, "leaseStatus": "Unlocked", "leaseState": "Available",
                "hasImmutabilityPolicy": False, "hasLegalHold": False,
                "defaultEncryptionScope": "$account-encryption-key", "denyEncryptionScopeOverride": False,
                "immutableStorageWithVersioning": {"enabled": False}, "deleted": False,
                "remainingRetentionDays": 0, "lastModifiedTime": ts(200)},
            rg=rg, name=cname, location="")
    return id_


# ---------------------------------------------------------------- network

DEFAULT_RULES = [
    ("AllowVnetInBound", "Inbound", "Allow", 65000, "VirtualNetwork", "VirtualNetwork"),
    ("AllowAzureLoadBalancerInBound", "Inbound", "Allow", 65001, "AzureLoadBalancer", "*"),
    ("DenyAllInBound", "Inbound", "Deny", 65500, "*", "*"),
    ("AllowVnetOutBound", "Outbound", "Allow", 65000, "VirtualNetwork", "VirtualNetwork"),
    ("AllowInternetOutBound", "Outbound", "Allow", 65001, "*", "Internet"),
    ("DenyAllOutBound", "Outbound", "Deny", 65500, "*", "*"),
]


def nsg_rule(nsg_id, name, priority, src, ports, *, proto="Tcp", access="Allow", direction="Inbound", kind=None):
    p = {"provisioningState": "Succeeded", "protocol": proto, "sourcePortRange": "*",
         "destinationAddressPrefix": "*", "access": access, "priority": priority, "direction": direction,
         "sourcePortRanges": [], "destinationPortRanges": [], "sourceAddressPrefixes": [],
         "destinationAddressPrefixes": []}
    if isinstance(ports, list):
        p["destinationPortRanges"] = ports
    else:
        p["destinationPortRange"] = ports
    if isinstance(src, list):
        p["sourceAddressPrefixes"] = src
    else:
        p["sourceAddressPrefix"] = src
    return {"name": name, "id": "%s/%s/%s" % (nsg_id, kind or "securityRules", name),
            "etag": 'W/"%s"' % uid("etag", nsg_id, name),
            "type": "Microsoft.Network/networkSecurityGroups/" + (kind or "securityRules"), "properties": p}


def nsg(rg, name, rules, subnets=(), nics=()):
    id_ = rid(rg, "Microsoft.Network/networkSecurityGroups", name)
    defaults = []
    for n, d, a, pri, src, dst in DEFAULT_RULES:
        r = nsg_rule(id_, n, pri, src, "*", proto="*", access=a, direction=d, kind="defaultSecurityRules")
        r["properties"]["destinationAddressPrefix"] = dst
        r["properties"]["description"] = n
        defaults.append(r)
    props = {"provisioningState": "Succeeded", "resourceGuid": uid("guid", id_),
             "securityRules": [nsg_rule(id_, *r[:4], **(r[4] if len(r) > 4 else {})) for r in rules],
             "defaultSecurityRules": defaults,
             "subnets": [{"id": s} for s in subnets], "networkInterfaces": [{"id": n} for n in nics]}
    row(RESOURCES, id_, "Microsoft.Network/networkSecurityGroups", props, rg=rg, tags=TAGS)
    return id_


def vnet(rg, name, prefix, subnets):
    id_ = rid(rg, "Microsoft.Network/virtualNetworks", name)
    props = {"provisioningState": "Succeeded", "resourceGuid": uid("guid", id_),
             "addressSpace": {"addressPrefixes": [prefix]},
             "subnets": [{"name": n, "id": id_ + "/subnets/" + n, "type": "Microsoft.Network/virtualNetworks/subnets",
                          "properties": {"provisioningState": "Succeeded", "addressPrefix": p,
                                         **({"networkSecurityGroup": {"id": g}} if g else {}),
                                         "privateEndpointNetworkPolicies": "Disabled",
                                         "privateLinkServiceNetworkPolicies": "Enabled"}}
                         for n, p, g in subnets],
             "virtualNetworkPeerings": [], "enableDdosProtection": False}
    row(RESOURCES, id_, "Microsoft.Network/virtualNetworks", props, rg=rg, tags=TAGS)
    return id_


# ---------------------------------------------------------------- compute

def vm(rg, name, subnet_id, nsg_id, *, public_ip=None, identity=True, windows=False, size="Standard_D4s_v5",
       tags=None, assessment="ImageDefault", password_logins=False):
    vm_id = rid(rg, "Microsoft.Compute/virtualMachines", name)
    nic_id = rid(rg, "Microsoft.Network/networkInterfaces", name + "-nic")
    disk_id = rid(rg, "Microsoft.Compute/disks", name + "-osdisk")
    pip_id = None
    if public_ip:
        pip_id = rid(rg, "Microsoft.Network/publicIPAddresses", name + "-pip")
        row(RESOURCES, pip_id, "Microsoft.Network/publicIPAddresses", {
            "provisioningState": "Succeeded", "resourceGuid": uid("guid", pip_id), "ipAddress": public_ip,
            "publicIPAddressVersion": "IPv4", "publicIPAllocationMethod": "Static", "idleTimeoutInMinutes": 4,
            "ipTags": [], "ipConfiguration": {"id": nic_id + "/ipConfigurations/ipconfig1"}},
            rg=rg, sku={"name": "Standard", "tier": "Regional"}, tags=tags or TAGS, zones=["1"])
    ipcfg = {"provisioningState": "Succeeded", "privateIPAddress": "10.%s.1.%d" % (
        "40" if "legacy" in rg else "20", 4 + len(RESOURCES) % 200),
             "privateIPAllocationMethod": "Dynamic", "subnet": {"id": subnet_id}, "primary": True,
             "privateIPAddressVersion": "IPv4"}
    if pip_id:
        ipcfg["publicIPAddress"] = {"id": pip_id}
    row(RESOURCES, nic_id, "Microsoft.Network/networkInterfaces", {
        "provisioningState": "Succeeded", "resourceGuid": uid("guid", nic_id),
        "ipConfigurations": [{"name": "ipconfig1", "id": nic_id + "/ipConfigurations/ipconfig1",
                              "type": "Microsoft.Network/networkInterfaces/ipConfigurations", "properties": ipcfg}],
        "dnsSettings": {"dnsServers": [], "appliedDnsServers": []}, "enableAcceleratedNetworking": True,
        "enableIPForwarding": False, "networkSecurityGroup": {"id": nsg_id}, "primary": True,
        "virtualMachine": {"id": vm_id}, "nicType": "Standard"}, rg=rg, kind="Regular", tags=tags or TAGS)
    row(RESOURCES, disk_id, "Microsoft.Compute/disks", {
        "osType": "Windows" if windows else "Linux", "hyperVGeneration": "V2",
        "creationData": {"createOption": "FromImage"}, "diskSizeGB": 128, "diskIOPSReadWrite": 500,
        "diskMBpsReadWrite": 100, "encryption": {"type": "EncryptionAtRestWithPlatformKey"},
        "networkAccessPolicy": "DenyAll", "publicNetworkAccess": "Disabled", "timeCreated": ts(400),
        "provisioningState": "Succeeded", "diskState": "Attached", "diskSizeBytes": 137438953472,
        "uniqueId": uid("disk", disk_id), "tier": "P10"}, rg=rg, managed_by=vm_id,
        sku={"name": "Premium_LRS", "tier": "Premium"}, tags=tags or TAGS, zones=["1"])
    os_profile = {"computerName": name, "adminUsername": "nwadmin", "secrets": [], "allowExtensionOperations": True,
                  "requireGuestProvisionSignal": True}
    if windows:
        os_profile["windowsConfiguration"] = {"provisionVMAgent": True, "enableAutomaticUpdates": True,
                                              "patchSettings": {"patchMode": "AutomaticByOS",
                                                                "assessmentMode": assessment}}
        image = {"publisher": "MicrosoftWindowsServer", "offer": "WindowsServer", "sku": "2019-datacenter-gensecond",
                 "version": "latest", "exactVersion": "17763.6414.241004"}
    else:
        os_profile["linuxConfiguration"] = {"disablePasswordAuthentication": not password_logins, "provisionVMAgent": True,
                                            "ssh": {"publicKeys": [{"path": "/home/nwadmin/.ssh/authorized_keys",
                                                                    "keyData": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA"
                                                                               + hexid(43, name) + " nwadmin"}]},
                                            "patchSettings": {"patchMode": "ImageDefault",
                                                              "assessmentMode": assessment}}
        image = {"publisher": "Canonical", "offer": "ubuntu-24_04-lts", "sku": "server", "version": "latest",
                 "exactVersion": "24.04.202411030"}
    props = {
        "vmId": uid("vmid", vm_id),
        "hardwareProfile": {"vmSize": size},
        "storageProfile": {"imageReference": image, "osDisk": {
            "osType": "Windows" if windows else "Linux", "name": name + "-osdisk", "createOption": "FromImage",
            "caching": "ReadWrite", "managedDisk": {"storageAccountType": "Premium_LRS", "id": disk_id},
            "deleteOption": "Delete", "diskSizeGB": 128}, "dataDisks": [], "diskControllerType": "SCSI"},
        "osProfile": os_profile,
        "networkProfile": {"networkInterfaces": [{"id": nic_id, "properties": {"deleteOption": "Delete"}}]},
        "securityProfile": {"securityType": "TrustedLaunch", "uefiSettings": {"secureBootEnabled": True,
                                                                              "vTpmEnabled": True},
                            "encryptionAtHost": True},
        "diagnosticsProfile": {"bootDiagnostics": {"enabled": True}},
        "provisioningState": "Succeeded",
        "timeCreated": ts(400),
        "extended": {"instanceView": {"computerName": name, "osName": "Windows Server 2019 Datacenter" if windows
                                      else "ubuntu", "osVersion": "10.0.17763" if windows else "24.04",
                                      "hyperVGeneration": "V2",
                                      "powerState": {"code": "PowerState/running", "level": "Info",
                                                     "displayStatus": "VM running"}}},
    }
    row(RESOURCES, vm_id, "Microsoft.Compute/virtualMachines", props, rg=rg, tags=tags or TAGS, zones=["1"],
        identity=mi(seed=vm_id) if identity else None)
    return vm_id, nic_id


# ---------------------------------------------------------------- data

def sql_server(rg, name, *, public=False, any_ip=False, auditing=True, threat_alerts=True):
    id_ = rid(rg, "Microsoft.Sql/servers", name)
    row(RESOURCES, id_, "Microsoft.Sql/servers", {
        "administratorLogin": "nwsqladmin", "version": "12.0", "state": "Ready",
        "fullyQualifiedDomainName": name + ".database.windows.net", "privateEndpointConnections": [],
        "minimalTlsVersion": "1.2", "publicNetworkAccess": "Enabled" if public else "Disabled",
        "restrictOutboundNetworkAccess": "Disabled",
        "administrators": {"administratorType": "ActiveDirectory", "principalType": "Group",
                           "login": "sql-admins", "sid": uid("sqladmins"), "tenantId": TENANT,
                           "azureADOnlyAuthentication": not public}},
        rg=rg, kind="v12.0", tags=TAGS, identity=mi(seed=id_))
    row(RESOURCES, id_ + "/databases/" + name.replace("sql-", "db-"), "Microsoft.Sql/servers/databases", {
        "collation": "SQL_Latin1_General_CP1_CI_AS", "maxSizeBytes": 268435456000, "status": "Online",
        "databaseId": uid("db", id_), "creationDate": ts(500), "currentServiceObjectiveName": "GP_Gen5_4",
        "requestedServiceObjectiveName": "GP_Gen5_4", "defaultSecondaryLocation": "westus",
        "catalogCollation": "SQL_Latin1_General_CP1_CI_AS", "zoneRedundant": False, "readScale": "Disabled",
        "currentSku": {"name": "GP_Gen5", "tier": "GeneralPurpose", "family": "Gen5", "capacity": 4},
        "currentBackupStorageRedundancy": "Geo", "requestedBackupStorageRedundancy": "Geo",
        "isLedgerOn": False}, rg=rg, kind="v12.0,user,vcore", managed_by="",
        sku={"name": "GP_Gen5", "tier": "GeneralPurpose", "family": "Gen5", "capacity": 4}, tags=TAGS)
    if any_ip:
        row(RESOURCES, id_ + "/firewallRules/AllowAll", "Microsoft.Sql/servers/firewallRules",
            {"startIpAddress": "0.0.0.0", "endIpAddress": "255.255.255.255"}, rg=rg, location="")
    row(RESOURCES, id_ + "/auditingSettings/default", "Microsoft.Sql/servers/auditingSettings", {
        "state": "Enabled" if auditing else "Disabled", "retentionDays": 90 if auditing else 0,
        "auditActionsAndGroups": ["SUCCESSFUL_DATABASE_AUTHENTICATION_GROUP",
                                  "FAILED_DATABASE_AUTHENTICATION_GROUP", "BATCH_COMPLETED_GROUP"],
        "isAzureMonitorTargetEnabled": auditing, "isStorageSecondaryKeyInUse": False,
        "storageAccountSubscriptionId": "00000000-0000-0000-0000-000000000000"},
        rg=rg, name="default", location="")
    # Microsoft Defender for SQL threat detection, listed by vigil collect (ARM: not in Resource Graph), in the
    # REST API's shape (an empty list is [""])
    row(RESOURCES, id_ + "/securityAlertPolicies/Default", "Microsoft.Sql/servers/securityAlertPolicies", {
        "state": "Enabled" if threat_alerts else "Disabled", "disabledAlerts": [""],
        "emailAddresses": ["secops@northwind.example"] if threat_alerts else [""],
        "emailAccountAdmins": threat_alerts, "retentionDays": 0, "creationTime": ts(400),
        "storageEndpoint": "", "storageAccountAccessKey": ""},
        rg=rg, name="Default", location="")
    return id_


def pg_flexible(rg, name, *, public=False, any_ip=False, retention=14):
    id_ = rid(rg, "Microsoft.DBforPostgreSQL/flexibleServers", name)
    net = {"publicNetworkAccess": "Enabled" if public else "Disabled"}
    if not public:
        net["delegatedSubnetResourceId"] = rid("rg-nw-network", "Microsoft.Network/virtualNetworks",
                                               "vnet-nw-prod") + "/subnets/snet-data"
        net["privateDnsZoneArmResourceId"] = rid("rg-nw-network", "Microsoft.Network/privateDnsZones",
                                                 "nw.postgres.database.azure.com")
    row(RESOURCES, id_, "Microsoft.DBforPostgreSQL/flexibleServers", {
        "administratorLogin": "nwpgadmin", "storage": {"storageSizeGB": 256, "autoGrow": "Enabled",
                                                       "tier": "P15", "iops": 1100, "type": ""},
        "version": "16", "minorVersion": "4", "state": "Ready",
        "fullyQualifiedDomainName": name + ".postgres.database.azure.com", "availabilityZone": "1",
        "backup": {"backupRetentionDays": retention, "geoRedundantBackup": "Enabled" if not public else "Disabled",
                   "earliestRestoreDate": ts(retention)},
        "network": net,
        "highAvailability": {"mode": "ZoneRedundant" if not public else "Disabled",
                             "state": "Healthy" if not public else "NotEnabled",
                             **({"standbyAvailabilityZone": "2"} if not public else {})},
        "dataEncryption": {"type": "SystemManaged"},
        "authConfig": {"activeDirectoryAuth": "Enabled", "passwordAuth": "Disabled" if not public else "Enabled",
                       "tenantId": TENANT},
        "maintenanceWindow": {"customWindow": "Disabled", "dayOfWeek": 0, "startHour": 0, "startMinute": 0},
        "replicationRole": "Primary", "replicaCapacity": 5}, rg=rg,
        sku={"name": "Standard_D4ds_v5", "tier": "GeneralPurpose"}, tags=TAGS)
    if any_ip:
        row(RESOURCES, id_ + "/firewallRules/AllowAll", "Microsoft.DBforPostgreSQL/flexibleServers/firewallRules",
            {"startIpAddress": "0.0.0.0", "endIpAddress": "255.255.255.255"}, rg=rg, location="")
    return id_


def key_vault(rg, name, *, rbac=True, purge=True, public=False, policies=()):
    id_ = rid(rg, "Microsoft.KeyVault/vaults", name)
    props = {"sku": {"family": "A", "name": "premium" if purge else "standard"}, "tenantId": TENANT,
             "networkAcls": {"bypass": "AzureServices", "defaultAction": "Allow" if public else "Deny",
                             "ipRules": [], "virtualNetworkRules": []},
             "accessPolicies": [{"tenantId": TENANT, "objectId": uid("obj", p),
                                 "permissions": {"keys": ["get", "list", "create", "sign"], "secrets": ["get", "list"],
                                                 "certificates": []}} for p in policies],
             "enabledForDeployment": False, "enabledForDiskEncryption": False,
             "enabledForTemplateDeployment": False, "enableSoftDelete": True, "softDeleteRetentionInDays": 90,
             "enableRbacAuthorization": rbac, "vaultUri": "https://%s.vault.azure.net/" % name,
             "provisioningState": "Succeeded", "publicNetworkAccess": "Enabled" if public else "Disabled"}
    if purge:
        props["enablePurgeProtection"] = True
    row(RESOURCES, id_, "Microsoft.KeyVault/vaults", props, rg=rg, tags=TAGS)
    return id_


def kv_key(vault_id, vault_name, name, *, expires_days=None, rotate_after="P90D"):
    id_ = vault_id + "/keys/" + name
    created = int(ago(300).timestamp())
    attrs = {"enabled": True, "created": created, "updated": int(ago(40).timestamp()),
             "recoveryLevel": "Recoverable", "exportable": False}
    if expires_days:
        attrs["exp"] = int((NOW.replace(hour=0, minute=0, second=0).timestamp()) + expires_days * 86400)
    actions = [{"trigger": {"timeBeforeExpiry": "P30D"}, "action": {"type": "Notify"}}]
    if rotate_after:
        actions.insert(0, {"trigger": {"timeAfterCreate": rotate_after}, "action": {"type": "Rotate"}})
    props = {"attributes": attrs, "kty": "RSA", "keyOps": ["encrypt", "decrypt", "sign", "verify", "wrapKey",
                                                            "unwrapKey"],
             "keySize": 3072, "keyUri": "https://%s.vault.azure.net/keys/%s" % (vault_name, name),
             "keyUriWithVersion": "https://%s.vault.azure.net/keys/%s/%s" % (vault_name, name,
                                                                             hexid(32, vault_name, name)),
             "rotationPolicy": {"attributes": {"created": created, "updated": int(ago(40).timestamp()),
                                               **({"expiryTime": "P1Y"} if expires_days else {})},
                                "lifetimeActions": actions}}
    rg = vault_id.split("/resourceGroups/")[1].split("/")[0]
    row(RESOURCES, id_, "Microsoft.KeyVault/vaults/keys", props, rg=rg, tags={})
    return id_


# ---------------------------------------------------------------- authorization

BUILTIN = {
    "Owner": ("8e3af657-a8ff-443c-a75c-2fe8c4bcb635", ["*"], [],
              "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC."),
    "Contributor": ("b24988ac-6180-42a0-ab88-20f7382dd24c", ["*"],
                    ["Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write",
                     "Microsoft.Authorization/elevateAccess/Action", "Microsoft.Blueprint/blueprintAssignments/write",
                     "Microsoft.Blueprint/blueprintAssignments/delete",
                     "Microsoft.Compute/galleries/share/action",
                     "Microsoft.Purview/consents/write", "Microsoft.Purview/consents/delete",
                     "Microsoft.Resources/deploymentStacks/manageDenySetting/action",
                     "Microsoft.Subscription/cancel/action", "Microsoft.Subscription/enable/action"],
                    "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, "
                    "manage assignments in Azure Blueprints, or share image galleries."),
    "Reader": ("acdd72a7-3385-48ef-bd42-f606fba81ae7", ["*/read"], [], "View all resources, but does not allow you "
                                                                        "to make any changes."),
    "Security Reader": ("39bc4728-0917-49c7-9d2c-d95423bc2eb4",
                        ["Microsoft.Authorization/*/read", "Microsoft.Insights/alertRules/read",
                         "Microsoft.operationalInsights/workspaces/*/read", "Microsoft.Resources/deployments/*/read",
                         "Microsoft.Resources/subscriptions/resourceGroups/read",
                         "Microsoft.Security/*/read", "Microsoft.IoTSecurity/*/read",
                         "Microsoft.Support/*/read", "Microsoft.Security/iotDefenderSettings/packageDownloads/action",
                         "Microsoft.Security/iotDefenderSettings/downloadManagerActivation/action",
                         "Microsoft.Security/iotSensors/downloadResetPassword/action",
                         "Microsoft.IoTSecurity/defenderSettings/packageDownloads/action",
                         "Microsoft.IoTSecurity/defenderSettings/downloadManagerActivation/action",
                         "Microsoft.Management/managementGroups/read"], [], "Security Reader Role"),
    "Storage Blob Data Reader": ("2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
                                 ["Microsoft.Storage/storageAccounts/blobServices/containers/read",
                                  "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action"], [],
                                 "Allows for read access to Azure Storage blob containers and data"),
    "Key Vault Crypto Service Encryption User": ("e147488a-f6f5-4113-8e2d-b22465e65bf6",
                                                 ["Microsoft.EventGrid/eventSubscriptions/write",
                                                  "Microsoft.EventGrid/eventSubscriptions/read",
                                                  "Microsoft.EventGrid/eventSubscriptions/delete"], [],
                                                 "Read metadata of keys and perform wrap/unwrap operations. "
                                                 "Only works for key vaults that use the 'Azure role-based access "
                                                 "control' permission model."),
    "Virtual Machine User Login": ("fb879df8-f326-4884-b1cf-06f3ad86be52",
                                   ["Microsoft.Network/publicIPAddresses/read", "Microsoft.Network/virtualNetworks/read",
                                    "Microsoft.Network/loadBalancers/read", "Microsoft.Network/networkInterfaces/read",
                                    "Microsoft.Compute/virtualMachines/*/read", "Microsoft.HybridCompute/machines/*/read",
                                    "Microsoft.HybridConnectivity/endpoints/listCredentials/action"], [],
                                   "View Virtual Machines in the portal and login as a regular user.",
                                   ["Microsoft.Compute/virtualMachines/login/action",
                                    "Microsoft.HybridCompute/machines/login/action"]),
}


def role_def_builtin(name):
    guid, actions, not_actions, desc = BUILTIN[name][:4]
    data_actions = BUILTIN[name][4] if len(BUILTIN[name]) > 4 else []
    id_ = "/providers/Microsoft.Authorization/RoleDefinitions/" + guid
    row(AUTH, id_, "Microsoft.Authorization/roleDefinitions", {
        "roleName": name, "type": "BuiltInRole", "description": desc, "assignableScopes": ["/"],
        "permissions": [{"actions": actions, "notActions": not_actions, "dataActions": data_actions,
                         "notDataActions": []}],
        "createdOn": "2015-02-02T21:55:09.8806423Z", "updatedOn": "2024-04-25T15:32:44.3311248Z",
        "createdBy": None, "updatedBy": None}, name=guid, location="", sub="")
    return SUB_ID + "/providers/Microsoft.Authorization/roleDefinitions/" + guid


def role_def_custom(name, actions, desc):
    guid = uid("roledef", name)
    id_ = SUB_ID + "/providers/Microsoft.Authorization/roleDefinitions/" + guid
    row(AUTH, id_, "Microsoft.Authorization/roleDefinitions", {
        "roleName": name, "type": "CustomRole", "description": desc, "assignableScopes": [SUB_ID],
        "permissions": [{"actions": actions, "notActions": [], "dataActions": [], "notDataActions": []}],
        "createdOn": ts(700), "updatedOn": ts(300), "createdBy": uid("creator", name),
        "updatedBy": uid("creator", name)}, name=guid, location="")
    return id_


def assign(role_def_id, principal, ptype, scope, desc=""):
    guid = uid("ra", role_def_id, principal, scope)
    id_ = scope + "/providers/Microsoft.Authorization/roleAssignments/" + guid
    rg = scope.split("/resourceGroups/")[1].split("/")[0] if "/resourceGroups/" in scope else ""
    row(AUTH, id_, "Microsoft.Authorization/roleAssignments", {
        "roleDefinitionId": role_def_id, "principalId": uid("principal", principal), "principalType": ptype,
        "scope": scope, "condition": None, "conditionVersion": None, "createdOn": ts(400), "updatedOn": ts(400),
        "createdBy": uid("principal", "maria.lopez"), "updatedBy": uid("principal", "maria.lopez"),
        "delegatedManagedIdentityResourceId": None, "description": desc or None}, rg=rg, name=guid, location="")
    return id_


# ================================================================ the subscription

def build(out):
    root = os.path.join(out, "azure", SUB)
    A = "azure"

    # resource containers
    row(CONTAINERS, SUB_ID, "Microsoft.Resources/subscriptions", {
        "state": "Enabled", "subscriptionPolicies": {"locationPlacementId": "Public_2014-09-01",
                                                     "quotaId": "EnterpriseAgreement_2014-09-01",
                                                     "spendingLimit": "Off"},
        "managementGroupAncestorsChain": [{"displayName": "Northwind Production", "name": "mg-nw-prod"},
                                          {"displayName": "Tenant Root Group", "name": TENANT}]},
        name="nw-azure-prod", location="", tags={"owner": "platform"})
    for rg in ("rg-nw-core-prod", "rg-nw-analytics-prod", "rg-nw-network", "rg-nw-security", "rg-nw-legacy",
               "NetworkWatcherRG"):
        row(CONTAINERS, SUB_ID + "/resourceGroups/" + rg, "Microsoft.Resources/subscriptions/resourceGroups",
            {"provisioningState": "Succeeded"}, rg=rg, name=rg, tags=TAGS if rg != "NetworkWatcherRG" else {})

    # security
    law = rid("rg-nw-security", "Microsoft.OperationalInsights/workspaces", "law-nw-security")
    row(RESOURCES, law, "Microsoft.OperationalInsights/workspaces", {
        "provisioningState": "Succeeded", "customerId": uid("law"), "sku": {"name": "PerGB2018"},
        "retentionInDays": 365, "publicNetworkAccessForIngestion": "Enabled",
        "publicNetworkAccessForQuery": "Enabled", "createdDate": ts(800)}, rg="rg-nw-security", tags=TAGS)

    kv_cmk = key_vault("rg-nw-security", "kv-nw-prod-cmk")
    kv_apps = key_vault("rg-nw-core-prod", "kv-nw-apps-prod")
    kv_leg = key_vault("rg-nw-legacy", "kv-nw-legacy", rbac=False, purge=False, public=True,
                       policies=("legacy-app", "maria.lopez"))
    clean(A, "key_vault", kv_cmk, "RBAC, purge protection, soft delete, public network disabled")
    clean(A, "key_vault", kv_apps, "RBAC, purge protection, soft delete, public network disabled")
    plant(A, "azure-keyvault-purge-protection-disabled", kv_leg, "enablePurgeProtection not set")
    plant(A, "azure-keyvault-public-network", kv_leg, "publicNetworkAccess Enabled, networkAcls defaultAction Allow")
    plant(A, "azure-keyvault-rbac-disabled", kv_leg, "enableRbacAuthorization false (access policies)")
    k1 = kv_key(kv_cmk, "kv-nw-prod-cmk", "cmk-storage", expires_days=300)
    k2 = kv_key(kv_cmk, "kv-nw-prod-cmk", "cmk-sql-tde", expires_days=250)
    k3 = kv_key(kv_apps, "kv-nw-apps-prod", "app-data-key", expires_days=180, rotate_after="P180D")
    k4 = kv_key(kv_leg, "kv-nw-legacy", "legacy-signing", rotate_after=None)
    clean(A, "key", k1, "expiry set, rotation policy rotates 90 days after creation")
    clean(A, "key", k2, "expiry set, rotation policy rotates 90 days after creation")
    clean(A, "key", k3, "expiry set, rotation every 180 days")
    plant(A, "azure-key-no-expiry", k4, "attributes carry no exp")
    plant(A, "key-rotation-disabled", k4, "rotationPolicy has only a Notify action, no Rotate")

    # storage
    s1 = storage("rg-nw-analytics-prod", "nwdatalakeprod", cmk=("kv-nw-prod-cmk", "cmk-storage"), hns=True,
                 sku="Standard_RAGZRS", containers=(("raw", "None"), ("curated", "None"), ("sandbox", "None")))
    # the prod data, core and backup accounts keep a copy in the paired region (CIS Azure 6.0 9.3.x geo-redundancy)
    s2 = storage("rg-nw-core-prod", "nwcoreprodsa", sku="Standard_RAGZRS")
    s3 = storage("rg-nw-core-prod", "nwbackupsprod", cmk=("kv-nw-prod-cmk", "cmk-storage"), sku="Standard_GZRS")
    s_audit = storage("rg-nw-security", "nwauditlogsprod", containers=(
        ("insights-activity-logs", "None"), ("insights-logs-networksecuritygroupflowevent", "None")))
    clean(A, "object_storage", s1, "no blob public access, TLS 1.2, HTTPS only, network deny, CMK, versioning, "
                                   "soft delete")
    clean(A, "object_storage", s2, "no blob public access, TLS 1.2, HTTPS only, network deny, versioning, "
                                   "soft delete")
    clean(A, "object_storage", s3, "as above, with CMK")
    s_web = storage("rg-nw-core-prod", "nwpublicweb", public_blob=True, net_deny=False,
                    containers=(("$web", "None"), ("public-downloads", "Blob")))
    plant(A, "storage-public-access", s_web, "container public-downloads has publicAccess Blob (anonymous read)")
    plant(A, "storage-public-access-not-blocked", s_web, "allowBlobPublicAccess true")
    plant(A, "azure-storage-network-not-restricted", s_web, "networkAcls.defaultAction Allow")
    s_ftp = storage("rg-nw-legacy", "nwlegacyftp", tls="TLS1_0", https=False, net_deny=False, versioning=False,
                    soft_delete=False, tags={"environment": "legacy", "owner": "it-ops"})
    plant(A, "azure-storage-min-tls", s_ftp, "minimumTlsVersion TLS1_0")
    plant(A, "storage-insecure-transport", s_ftp, "supportsHttpsTrafficOnly false")
    plant(A, "azure-storage-network-not-restricted", s_ftp, "networkAcls.defaultAction Allow")
    plant(A, "azure-storage-soft-delete-disabled", s_ftp, "blobServices deleteRetentionPolicy.enabled false")
    plant(A, "storage-versioning-disabled", s_ftp, "blobServices isVersioningEnabled false")
    plant(A, "azure-storage-not-geo-redundant", s_ftp, "sku Standard_ZRS: the legacy FTP drop has no copy outside "
                                                       "the primary region")
    for acct, why in (("nwpublicweb", "the public website and downloads are rebuilt from source by the pipeline; "
                                      "zone redundancy (ZRS) only, by choice"),
                      ("nweuscratch", "EU scratch space, disposable; ZRS only so that the data stays in one region"),
                      ("nwauditlogsprod", "ZRS only: the activity log also goes to the Log Analytics workspace")):
        incidental(A, "azure-storage-not-geo-redundant", "storageAccounts/" + acct, why)

    # network
    vn_prod = rid("rg-nw-network", "Microsoft.Network/virtualNetworks", "vnet-nw-prod")
    vn_leg = rid("rg-nw-network", "Microsoft.Network/virtualNetworks", "vnet-nw-legacy")
    nsg_app = nsg("rg-nw-network", "nsg-nw-app-prod", [
        ("Allow-HTTPS-From-AppGateway", 100, "10.20.0.0/24", "443"),
        ("Allow-AzureLoadBalancer-Probe", 110, "AzureLoadBalancer", "8080"),
        ("Deny-All-Inbound", 4096, "*", "*", {"proto": "*", "access": "Deny"})],
        subnets=[vn_prod + "/subnets/snet-app"])
    nsg_data = nsg("rg-nw-network", "nsg-nw-data-prod", [
        ("Allow-Postgres-From-App", 100, "10.20.1.0/24", "5432"),
        ("Allow-SQL-From-App", 110, "10.20.1.0/24", "1433"),
        ("Deny-All-Inbound", 4096, "*", "*", {"proto": "*", "access": "Deny"})],
        subnets=[vn_prod + "/subnets/snet-data"])
    nsg_jump = nsg("rg-nw-network", "nsg-nw-jumpbox", [
        ("SSH", 300, "*", "22")], subnets=[vn_prod + "/subnets/snet-mgmt"])
    nsg_win = nsg("rg-nw-legacy", "nsg-nw-legacy-win", [
        ("RDP", 320, "Internet", "3389"),
        ("HTTPS", 330, "10.40.0.0/16", "443")])
    nsg_sbx = nsg("rg-nw-legacy", "nsg-nw-sandbox", [
        ("AllowAnyCustomAnyInbound", 100, "*", "*", {"proto": "*"})], subnets=[vn_leg + "/subnets/snet-sandbox"])
    plant(A, "azure-nsg-http-open-to-internet", nsg_sbx, "AllowAnyCustomAnyInbound admits every port, 80 and 443 "
                                                         "included, from any source")
    nsg_rep = nsg("rg-nw-legacy", "nsg-nw-reporting", [
        ("Allow-DB-Vendor", 200, "0.0.0.0/0", ["1433", "5432"]),
        ("Deny-Rest", 4000, "*", "*", {"proto": "*", "access": "Deny"})])
    nsg_ssh_denied = nsg("rg-nw-network", "nsg-nw-build-agents", [
        ("Deny-SSH-Internet", 100, "Internet", "22", {"access": "Deny"}),
        ("Allow-SSH-Office", 200, ["203.0.113.0/24", "198.51.100.16/28"], "22")],
        subnets=[vn_prod + "/subnets/snet-build"])
    clean(A, "firewall", nsg_app, "443 only from the app gateway subnet, explicit deny-all")
    clean(A, "firewall", nsg_data, "database ports only from the app subnet")
    clean(A, "firewall", nsg_ssh_denied, "SSH from the internet is an explicit Deny; allowed only from office ranges")
    plant(A, "firewall-ssh-open-to-internet", nsg_jump, "Allow tcp/22 from *")
    plant(A, "firewall-rdp-open-to-internet", nsg_win, "Allow tcp/3389 from Internet")
    for r in ("firewall-all-ports-open-to-internet", "firewall-ssh-open-to-internet",
              "firewall-rdp-open-to-internet", "firewall-database-ports-open-to-internet"):
        plant(A, r, nsg_sbx, "Allow * protocol, * ports from *")
    plant(A, "firewall-database-ports-open-to-internet", nsg_rep, "Allow tcp/1433 and 5432 from 0.0.0.0/0")

    vnet("rg-nw-network", "vnet-nw-prod", "10.20.0.0/16", [
        ("snet-appgw", "10.20.0.0/24", None), ("snet-app", "10.20.1.0/24", nsg_app),
        ("snet-data", "10.20.2.0/24", nsg_data), ("snet-mgmt", "10.20.3.0/24", nsg_jump),
        ("snet-build", "10.20.4.0/24", nsg_ssh_denied)])
    vnet("rg-nw-network", "vnet-nw-legacy", "10.40.0.0/16", [
        ("snet-legacy", "10.40.1.0/24", nsg_win), ("snet-sandbox", "10.40.2.0/24", nsg_sbx),
        # the ML Databricks workspace's subnets (org_azure_v2.py): no network security group
        ("snet-dbw-ml-host", "10.40.8.0/24", None), ("snet-dbw-ml-container", "10.40.9.0/24", None)])
    nw = rid("NetworkWatcherRG", "Microsoft.Network/networkWatchers", "NetworkWatcher_eastus")
    row(RESOURCES, nw, "Microsoft.Network/networkWatchers", {"provisioningState": "Succeeded"},
        rg="NetworkWatcherRG")
    for vn, on in ((vn_prod, True), (vn_leg, False)):
        name = "fl-" + vn.rsplit("/", 1)[-1]
        row(RESOURCES, nw + "/flowLogs/" + name, "Microsoft.Network/networkWatchers/flowLogs", {
            "targetResourceId": vn, "targetResourceGuid": uid("guid", vn), "storageId": s_audit, "enabled": on,
            "flowAnalyticsConfiguration": {"networkWatcherFlowAnalyticsConfiguration": {
                "enabled": on, "workspaceId": uid("law"), "workspaceRegion": LOC, "workspaceResourceId": law,
                "trafficAnalyticsInterval": 10}},
            "retentionPolicy": {"days": 90 if on else 0, "enabled": on},
            "format": {"type": "JSON", "version": 2}, "provisioningState": "Succeeded"},
            rg="NetworkWatcherRG", tags=TAGS)
    # vn_prod is not clean: its snet-appgw has no NSG (azure-subnet-without-nsg, org_azure_v2.py)
    plant(A, "azure-network-flow-logs-disabled", vn_leg, "its flow log resource has enabled=false")

    # compute
    v1, _ = vm("rg-nw-core-prod", "vm-nw-app-01", vn_prod + "/subnets/snet-app", nsg_app,
               assessment="AutomaticByPlatform")
    v2, _ = vm("rg-nw-core-prod", "vm-nw-app-02", vn_prod + "/subnets/snet-app", nsg_app,
               assessment="AutomaticByPlatform")
    vb, _ = vm("rg-nw-core-prod", "vm-nw-build-01", vn_prod + "/subnets/snet-build", nsg_ssh_denied,
               size="Standard_D8s_v5")
    vj, _ = vm("rg-nw-network", "vm-nw-jumpbox", vn_prod + "/subnets/snet-mgmt", nsg_jump, public_ip="20.121.44.210",
               size="Standard_B2s", password_logins=True)
    vw, _ = vm("rg-nw-legacy", "vm-nw-legacy-win01", vn_leg + "/subnets/snet-legacy", nsg_win,
               public_ip="40.76.115.9", identity=False, windows=True,
               tags={"environment": "legacy", "owner": "it-ops"})
    clean(A, "compute", v1, "no public IP, system-assigned identity, encryption at host, trusted launch, "
          "periodic patch assessment")
    clean(A, "compute", v2, "no public IP, system-assigned identity, encryption at host, trusted launch, "
          "periodic patch assessment")
    for v, n in ((vb, "vm-nw-build-01"), (vj, "vm-nw-jumpbox"), (vw, "vm-nw-legacy-win01")):
        plant(A, "azure-vm-patch-assessment-disabled", v, n + ": patchSettings.assessmentMode ImageDefault "
              "(missing updates assessed only on demand)")
    plant(A, "compute-public-ip", vj, "NIC has public IP 20.121.44.210")
    plant(A, "azure-vm-password-authentication", vj, "linuxConfiguration.disablePasswordAuthentication false: "
          "SSH accepts passwords")
    plant(A, "compute-public-ip", vw, "NIC has public IP 40.76.115.9")
    plant(A, "azure-vm-no-managed-identity", vw, "identity null")

    # databases
    q1 = sql_server("rg-nw-core-prod", "sql-nw-core-prod")
    q2 = sql_server("rg-nw-legacy", "sql-nw-legacy", public=True, any_ip=True, auditing=False, threat_alerts=False)
    clean(A, "database", q1, "public network access disabled, Entra-only auth, auditing enabled, threat detection "
          "alerts on and mailed to the security team")
    plant(A, "database-public-endpoint", q2, "publicNetworkAccess Enabled")
    plant(A, "database-open-to-any-ip", q2, "firewall rule AllowAll 0.0.0.0-255.255.255.255")
    plant(A, "azure-sql-auditing-disabled", q2, "auditingSettings/default state Disabled")
    plant(A, "azure-sql-threat-alerts-disabled", q2, "securityAlertPolicies/Default state Disabled")
    plant(A, "azure-sql-threat-alerts-no-recipients", q2, "securityAlertPolicies/Default: no email address, "
          "emailAccountAdmins false")
    p1 = pg_flexible("rg-nw-analytics-prod", "pg-nw-analytics-prod")
    p2 = pg_flexible("rg-nw-legacy", "pg-nw-dev-sandbox", public=True, any_ip=True, retention=7)
    clean(A, "database", p1, "VNet-integrated (no public access), 14-day geo-redundant backups")
    plant(A, "database-public-endpoint", p2, "network.publicNetworkAccess Enabled")
    plant(A, "database-open-to-any-ip", p2, "firewall rule AllowAll 0.0.0.0-255.255.255.255")

    # activity log export
    diag = SUB_ID + "/providers/microsoft.insights/diagnosticSettings/nw-activity-log"
    row(RESOURCES, diag, "Microsoft.Insights/diagnosticSettings", {
        "storageAccountId": s_audit, "workspaceId": law, "eventHubAuthorizationRuleId": None,
        "eventHubName": None, "logAnalyticsDestinationType": None, "metrics": [],
        "logs": [{"category": c, "categoryGroup": None, "enabled": True,
                  "retentionPolicy": {"enabled": True, "days": 90}}
                 for c in ("Administrative", "Security", "ServiceHealth", "Alert", "Recommendation", "Policy",
                           "Autoscale", "ResourceHealth")]}, location="global")
    plant(A, "azure-activity-log-retention-short", diag, "activity-log categories retained 90 days (< 365)")
    plant(A, "azure-activity-log-storage-no-cmk", diag, "its storage account nwauditlogsprod is encrypted with "
                                                        "Microsoft-managed keys (keySource Microsoft.Storage)")

    # defender / contacts
    for plan in ("VirtualMachines", "SqlServers", "AppServices", "StorageAccounts", "KeyVaults", "Arm",
                 "OpenSourceRelationalDatabases", "Containers", "CloudPosture"):
        row(SECURITY, SUB_ID + "/providers/Microsoft.Security/pricings/" + plan, "Microsoft.Security/pricings",
            {"pricingTier": "Free", "freeTrialRemainingTime": "PT0S"}, location="")
    row(SECURITY, SUB_ID + "/providers/Microsoft.Security/securityContacts/default",
        "Microsoft.Security/securityContacts", {
            "emails": "", "phone": "", "isEnabled": False,
            "notificationsByRole": {"state": "Off", "roles": []}, "notificationsSources": []}, location="")
    plant(A, "threat-detection-disabled", SUB_ID, "every Microsoft Defender for Cloud plan is on the Free tier")
    plant(A, "azure-defender-agentless-scanning-disabled", SUB_ID, "Defender for Servers (VirtualMachines) on the "
                                                                   "Free tier: no agentless machine scanning")
    plant(A, "azure-defender-fim-disabled", SUB_ID, "Defender for Servers (VirtualMachines) on the Free tier: no file "
                                                    "integrity monitoring")
    plant(A, "azure-security-contact-missing", SUB_ID, "securityContacts/default has no email and alerts off")
    # Defender for Cloud settings (not in Resource Graph): az security setting list prints them flattened
    settings = [{"enabled": enabled, "id": SUB_ID + "/providers/Microsoft.Security/settings/" + name, "kind": kind,
                 "name": name, "type": "Microsoft.Security/settings"}
                for name, kind, enabled in (("MCAS", "DataExportSettings", True), ("WDATP", "DataExportSettings", False),
                                            ("Sentinel", "AlertSyncSettings", False))]
    plant(A, "azure-defender-endpoint-protection-disabled", SUB_ID, "settings/WDATP enabled false (and Defender for "
                                                                    "Servers on the Free tier)")
    # Defender's vulnerability assessment for machines (not in Resource Graph): az rest prints the ARM list, empty
    # since nobody turned the component on (and it needs Defender for Servers)
    va_settings = {"value": []}
    plant(A, "azure-nsp-paas-unsecured", SUB_ID, "no network security perimeter: the storage accounts, key vaults and "
                                                 "SQL servers are associated with none (nspassociations.json empty)")
    plant(A, "azure-defender-vulnerability-assessment-disabled", SUB_ID, "servervulnerabilityassessmentssettings.json "
                                                                         "lists no setting (and Defender for Servers "
                                                                         "on the Free tier)")

    # authorization
    owner = role_def_builtin("Owner")
    contrib = role_def_builtin("Contributor")
    reader = role_def_builtin("Reader")
    secreader = role_def_builtin("Security Reader")
    blobreader = role_def_builtin("Storage Blob Data Reader")
    kvcrypto = role_def_builtin("Key Vault Crypto Service Encryption User")
    cust_all = role_def_custom("NW Legacy Ops Full Access", ["*"],
                               "Created in 2021 for the legacy ops team; equivalent to Owner")
    cust_rot = role_def_custom("NW Storage Key Rotator", [
        "Microsoft.Storage/storageAccounts/read", "Microsoft.Storage/storageAccounts/listkeys/action",
        "Microsoft.Storage/storageAccounts/regeneratekey/action"], "Lets the rotation function regenerate keys")
    plant(A, "azure-custom-owner-role", cust_all, "custom role with Actions [\"*\"] assignable at the subscription")
    clean(A, "other", cust_rot, "custom role limited to three storage actions")

    ra = assign(owner, "maria.lopez@northwind-analytics.com", "User", SUB_ID, "break-glass admin")
    plant(A, "iam-primitive-role-broad", ra, "Owner granted to a user at subscription scope")
    ra = assign(owner, "grp-platform-admins", "Group", SUB_ID)
    plant(A, "iam-primitive-role-broad", ra, "Owner granted to a group at subscription scope")
    ra = assign(contrib, "kevin.brandt@northwind-analytics.com", "User", SUB_ID)
    plant(A, "iam-primitive-role-broad", ra, "Contributor granted to a user at subscription scope")
    assign(owner, "sp-terraform-prod", "ServicePrincipal", SUB_ID, "infrastructure pipeline")
    assign(cust_all, "grp-legacy-ops", "Group", SUB_ID)
    ra = assign(reader, "grp-all-engineers", "Group", SUB_ID)
    clean(A, "iam_binding", ra, "Reader to a group at subscription scope")
    ra = assign(secreader, "grp-security", "Group", SUB_ID)
    clean(A, "iam_binding", ra, "Security Reader to a group at subscription scope")
    # the contractor signs in to the jump box with his Entra ID account (entra: no MFA method registered)
    assign(role_def_builtin("Virtual Machine User Login"), "sam.ortiz@northwind-analytics.com", "User",
           SUB_ID + "/resourceGroups/rg-nw-network", "reporting project: jump box sign-in")
    ra = assign(contrib, "grp-data-engineers", "Group", SUB_ID + "/resourceGroups/rg-nw-analytics-prod")
    clean(A, "iam_binding", ra, "Contributor scoped to one resource group")
    ra = assign(blobreader, "sp-powerbi-gateway", "ServicePrincipal", s1)
    clean(A, "iam_binding", ra, "data-plane reader on one storage account")
    assign(kvcrypto, "nwdatalakeprod-identity", "ServicePrincipal", kv_cmk)
    assign(cust_rot, "func-key-rotator", "ServicePrincipal", SUB_ID + "/resourceGroups/rg-nw-core-prod")

    def out_doc(rows):
        return {"count": len(rows), "data": rows, "skip_token": None, "total_records": len(rows)}

    write_json(os.path.join(root, "resources.json"), out_doc(RESOURCES))
    write_json(os.path.join(root, "authorizationresources.json"), out_doc(AUTH))
    write_json(os.path.join(root, "securityresources.json"), out_doc(SECURITY))
    write_json(os.path.join(root, "securitysettings.json"), settings)
    write_json(os.path.join(root, "servervulnerabilityassessmentssettings.json"), va_settings)
    # the associations of the subscription's network security perimeters (none: no perimeter), as vigil collect
    # writes them: no PaaS resource is secured by a perimeter (CIS 7.16)
    write_json(os.path.join(root, "nspassociations.json"), {"value": []})
    # `--query data` prints the bare array of rows instead of the envelope.
    write_json(os.path.join(root, "resourcecontainers.json"), CONTAINERS)
    write_text(os.path.join(root, "collect.sh"), COLLECT % {"sub": SUB, "tenant": TENANT})
    return len(RESOURCES) + len(AUTH) + len(SECURITY) + len(CONTAINERS) + len(settings)


COLLECT = """#!/bin/sh
# How these files were produced (az CLI 2.67, resource-graph extension 2.1).
# Not an export itself: vigil skips this file.
set -eu
SUB=%(sub)s
TENANT=%(tenant)s  # the tenant root group
az graph query --subscriptions "$SUB" --first 1000 -o json \\
  -q "Resources | where subscriptionId == '$SUB'" > resources.json
# at the tenant root group, so that the assignments of the management groups above the subscription come too
az graph query --management-groups "$TENANT" --first 1000 -o json \\
  -q "AuthorizationResources | where type in~ ('microsoft.authorization/roleassignments','microsoft.authorization/roledefinitions','microsoft.authorization/denyassignments') | where subscriptionId in ('$SUB', '')" \\
  > authorizationresources.json
az graph query --subscriptions "$SUB" --first 1000 -o json \\
  -q "SecurityResources | where type in~ ('microsoft.security/pricings','microsoft.security/securitycontacts')" \\
  > securityresources.json
az security setting list --subscription "$SUB" -o json > securitysettings.json
az rest --method get -o json \\
  --url "https://management.azure.com/subscriptions/$SUB/providers/Microsoft.Security/serverVulnerabilityAssessmentsSettings?api-version=2023-05-01" \\
  > servervulnerabilityassessmentssettings.json
# the associations of every network security perimeter of the subscription (none here; nsp extension)
for p in $(az network perimeter list --subscription "$SUB" --query "[].id" -o tsv); do
  az rest --method get -o json --url "https://management.azure.com$p/resourceAssociations?api-version=2024-07-01" --query value
done | jq -s '{value: add}' > nspassociations.json
# policy assignments of the subscription and of the management groups above it (CIS 8.1.11: the MCSB initiative)
az graph query --management-groups "$TENANT" --first 1000 -o json \
  -q "PolicyResources | where type =~ 'microsoft.authorization/policyassignments' | where subscriptionId in ('$SUB', '')" \
  > policyresources.json
az lock list --subscription "$SUB" -o json > locks.json
# Key Vault certificates with their policies (data plane: a role such as Key Vault Reader on the vaults)
for v in $(az keyvault list --subscription "$SUB" --query "[].name" -o tsv); do
  for c in $(az keyvault certificate list --vault-name "$v" --query "[].name" -o tsv); do
    az keyvault certificate show --vault-name "$v" --name "$c" -o json
  done
done | jq -s . > keyvaultcertificates.json
az graph query --management-groups "$TENANT" --first 1000 -o json --query data \\
  -q "ResourceContainers | where type =~ 'microsoft.management/managementgroups' or subscriptionId == '$SUB'" \\
  > resourcecontainers.json
"""
