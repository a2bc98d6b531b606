#!/usr/bin/env python3
"""Azure rows of the classes added by issue 6 (disks, snapshots and images,
function apps, AKS, load balancers and application gateways, Service Bus and
Event Hubs, Key Vault secrets, container registries, DNS zones, Front Door,
API Management, an NSG flow log, deny assignments, conditional, User
Access Administrator and management-group role assignments, management
groups), added to the
Resource Graph exports of the sample subscription, and
examples/org/expected-azure.json (the planted findings of the rules of those
classes, with the resources they are planted on, and the clean resources).

examples/tools/gen_org.py calls main() after writing examples/org/azure; run
on its own (from anywhere) it extends the files already there:

    python3 examples/tools/org_azure_v2.py [ORG_DIR]

It is idempotent (rows it owns are replaced, not duplicated) and
deterministic. It uses the helpers of org_azure.py so the rows have exactly
the shape of the others. Planted resources carry the tag sample=planted,
clean ones sample=clean.
"""

import datetime
import json
import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import org_azure as az  # noqa: E402
from orglib import NOW, uid  # noqa: E402

SUB, SUB_ID, TENANT, LOC = az.SUB, az.SUB_ID, az.TENANT, az.LOC
ORG = os.path.join(REPO, "examples", "org")
PLANTED_TAG = dict(az.TAGS, sample="planted")
CLEAN_TAG = dict(az.TAGS, sample="clean")
CLEAN = []       # {"resource_id","provider","class","note"}
PLANTED = []     # {"rule_id","resource_id","provider","why"}
INCIDENTAL = []  # {"rule_id","resource_id_contains","provider","why"}
RES, AUTH, CONT = [], [], []


def clean(cls, id_, note):
    CLEAN.append({"resource_id": id_, "provider": "azure", "class": cls, "note": note})


def plant(rule_id, id_, why):
    PLANTED.append({"rule_id": rule_id, "resource_id": id_, "provider": "azure", "why": why})


def unix(days_from_now):
    return int(NOW.timestamp()) + days_from_now * 86400


KV_CMK = az.rid("rg-nw-security", "Microsoft.KeyVault/vaults", "kv-nw-prod-cmk")
DES = az.rid("rg-nw-security", "Microsoft.Compute/diskEncryptionSets", "des-nw-prod")
SNET = az.rid("rg-nw-network", "Microsoft.Network/virtualNetworks", "vnet-nw-prod") + "/subnets/"
VM_APP01 = az.rid("rg-nw-core-prod", "Microsoft.Compute/virtualMachines", "vm-nw-app-01")
UAMI = az.rid("rg-nw-core-prod", "Microsoft.ManagedIdentity/userAssignedIdentities", "id-nw-etl")


# ---------------------------------------------------------------- disks, snapshots, images

def disk(rg, name, *, cmk, attached_to, public, tags):
    props = {
        "osType": None, "hyperVGeneration": None, "creationData": {"createOption": "Empty"},
        "diskSizeGB": 256, "diskIOPSReadWrite": 1100, "diskMBpsReadWrite": 125,
        "encryption": ({"type": "EncryptionAtRestWithCustomerKey", "diskEncryptionSetId": DES} if cmk
                       else {"type": "EncryptionAtRestWithPlatformKey"}),
        "networkAccessPolicy": "AllowAll" if public else "DenyAll",
        "publicNetworkAccess": "Enabled" if public else "Disabled",
        "timeCreated": az.ts(200), "provisioningState": "Succeeded",
        "diskState": "Attached" if attached_to else "Unattached",
        "diskSizeBytes": 274877906944, "uniqueId": uid("disk", name), "tier": "P15",
    }
    return az.row(RES, az.rid(rg, "Microsoft.Compute/disks", name), "Microsoft.Compute/disks", props, rg=rg,
                  sku={"name": "Premium_LRS", "tier": "Premium"}, tags=tags, zones=["1"],
                  managed_by=attached_to or "")["id"]


def snapshot(rg, name, source, *, cmk, public, sas, tags):
    props = {
        "osType": None, "creationData": {"createOption": "Copy", "sourceResourceId": source,
                                         "sourceUniqueId": uid("disk", source)},
        "diskSizeGB": 256, "incremental": True,
        "encryption": ({"type": "EncryptionAtRestWithCustomerKey", "diskEncryptionSetId": DES} if cmk
                       else {"type": "EncryptionAtRestWithPlatformKey"}),
        "networkAccessPolicy": "AllowAll" if public else "DenyAll",
        "publicNetworkAccess": "Enabled" if public else "Disabled",
        "timeCreated": az.ts(23), "provisioningState": "Succeeded",
        "diskState": "ActiveSAS" if sas else "Unattached", "diskSizeBytes": 274877906944,
        "uniqueId": uid("snap", name),
    }
    return az.row(RES, az.rid(rg, "Microsoft.Compute/snapshots", name), "Microsoft.Compute/snapshots", props,
                  rg=rg, sku={"name": "Standard_ZRS", "tier": "Standard"}, tags=tags)["id"]


def image(rg, name, source_vm, tags):
    props = {
        "sourceVirtualMachine": {"id": source_vm},
        "storageProfile": {
            "osDisk": {"osType": "Linux", "osState": "Generalized", "diskSizeGB": 128,
                       "managedDisk": {"id": source_vm.replace("virtualMachines", "disks") + "-osdisk"},
                       "caching": "ReadWrite", "storageAccountType": "Premium_LRS",
                       "diskEncryptionSet": {"id": DES}},
            "dataDisks": [], "zoneResilient": True},
        "provisioningState": "Succeeded", "hyperVGeneration": "V2",
    }
    return az.row(RES, az.rid(rg, "Microsoft.Compute/images", name), "Microsoft.Compute/images", props, rg=rg,
                  tags=tags)["id"]


# ---------------------------------------------------------------- function apps

def function_app(rg, name, *, runtime, https, public, identity, vnet, tags):
    props = {
        "name": name, "state": "Running", "hostNames": [name + ".azurewebsites.net"],
        "webSpace": rg + "-EastUSwebspace-Linux", "repositorySiteName": name, "owner": None,
        "usageState": "Normal", "enabled": True, "adminEnabled": True, "afdEnabled": False,
        "enabledHostNames": [name + ".azurewebsites.net", name + ".scm.azurewebsites.net"],
        "siteProperties": {"metadata": None, "properties": [
            {"name": "LinuxFxVersion", "value": runtime}, {"name": "WindowsFxVersion", "value": None}],
            "appSettings": None},
        "availabilityState": "Normal", "sslCertificates": None, "csrs": [], "cers": None, "siteMode": None,
        "hostNameSslStates": [{"name": name + ".azurewebsites.net", "sslState": "Disabled", "ipBasedSslResult": None,
                               "virtualIP": None, "thumbprint": None, "toUpdate": None, "toUpdateIpBasedSsl": None,
                               "ipBasedSslState": "NotConfigured", "hostType": "Standard"}],
        "serverFarmId": az.rid(rg, "Microsoft.Web/serverfarms", "asp-" + name),
        "reserved": True, "isXenon": False, "hyperV": False, "lastModifiedTimeUtc": "2026-10-02T09:14:11.21",
        "siteConfig": {"numberOfWorkers": 1, "linuxFxVersion": "", "windowsFxVersion": None,
                       "netFrameworkVersion": None, "minTlsVersion": None, "ftpsState": None,
                       "acrUseManagedIdentityCreds": False, "alwaysOn": False, "http20Enabled": False,
                       "functionAppScaleLimit": 200, "minimumElasticInstanceCount": 0},
        "deploymentId": name, "sku": "Dynamic", "scmSiteAlsoStopped": False, "clientAffinityEnabled": False,
        "clientCertEnabled": False, "clientCertMode": "Required", "hostNamesDisabled": False,
        "customDomainVerificationId": uid("cdv", name).replace("-", "").upper(),
        "outboundIpAddresses": "20.119.0.31,20.119.0.32", "possibleOutboundIpAddresses": "20.119.0.31,20.119.0.32",
        "containerSize": 1536, "dailyMemoryTimeQuota": 0, "defaultHostName": name + ".azurewebsites.net",
        "httpsOnly": https, "redundancyMode": "None", "storageAccountRequired": False,
        "keyVaultReferenceIdentity": "SystemAssigned",
        "virtualNetworkSubnetId": SNET + "snet-app" if vnet else None,
        "publicNetworkAccess": "Enabled" if public else "Disabled",
    }
    ident = None
    if identity:
        ident = {"type": "UserAssigned", "tenantId": TENANT,
                 "userAssignedIdentities": {UAMI: {"principalId": uid("mi", "id-nw-etl"),
                                                   "clientId": uid("client", "id-nw-etl")}}}
    return az.row(RES, az.rid(rg, "Microsoft.Web/sites", name), "Microsoft.Web/sites", props, rg=rg,
                  kind="functionapp,linux", tags=tags, identity=ident)["id"]


# ---------------------------------------------------------------- AKS

def aks(rg, name, *, private, rbac, aad, local_accounts, policy, upgrade, kms, node_public_ip, tags):
    pool = {"name": "system", "count": 3, "vmSize": "Standard_D4ds_v5", "osDiskSizeGB": 128,
            "osDiskType": "Ephemeral", "kubeletDiskType": "OS", "vnetSubnetID": SNET + "snet-app",
            "maxPods": 110, "type": "VirtualMachineScaleSets", "availabilityZones": ["1", "2", "3"],
            "enableAutoScaling": False, "provisioningState": "Succeeded",
            "powerState": {"code": "Running"}, "orchestratorVersion": "1.33.3",
            "currentOrchestratorVersion": "1.33.3", "enableNodePublicIP": node_public_ip, "mode": "System",
            "enableEncryptionAtHost": not node_public_ip, "osType": "Linux", "osSKU": "AzureLinux",
            "nodeImageVersion": "AKSAzureLinux-V3gen2-202611.03.0", "enableFIPS": False}
    props = {
        "provisioningState": "Succeeded", "powerState": {"code": "Running"},
        "kubernetesVersion": "1.33.3" if rbac else "1.30.9",
        "currentKubernetesVersion": "1.33.3" if rbac else "1.30.9",
        "dnsPrefix": name, "fqdn": None if private else name + "-dns-6f1c2a4e.hcp.eastus.azmk8s.io",
        "azurePortalFQDN": name + "-dns-6f1c2a4e.portal.hcp.eastus.azmk8s.io",
        "agentPoolProfiles": [pool],
        "servicePrincipalProfile": {"clientId": "msi"},
        "addonProfiles": {"azureKeyvaultSecretsProvider": {"enabled": kms, "config": None}},
        "nodeResourceGroup": "MC_%s_%s_eastus" % (rg, name),
        "enableRBAC": rbac, "supportPlan": "KubernetesOfficial",
        "networkProfile": {"networkPlugin": "azure" if policy else "kubenet", "loadBalancerSku": "standard",
                           "podCidr": None if policy else "10.244.0.0/16", "serviceCidr": "10.0.0.0/16",
                           "dnsServiceIP": "10.0.0.10", "outboundType": "loadBalancer",
                           "ipFamilies": ["IPv4"]},
        "maxAgentPools": 100,
        "autoUpgradeProfile": {"upgradeChannel": "stable" if upgrade else "none",
                               "nodeOSUpgradeChannel": "NodeImage" if upgrade else "None"},
        "disableLocalAccounts": not local_accounts,
        "securityProfile": {},
        "storageProfile": {"diskCSIDriver": {"enabled": True}, "fileCSIDriver": {"enabled": True}},
        "oidcIssuerProfile": {"enabled": True},
        "resourceUID": uid("aks", name).replace("-", "")[:24],
    }
    if policy:
        props["networkProfile"]["networkPolicy"] = policy
        props["networkProfile"]["networkPluginMode"] = "overlay"
    if private:
        props["apiServerAccessProfile"] = {"enablePrivateCluster": True, "privateDNSZone": "system",
                                           "enablePrivateClusterPublicFQDN": False}
        props["privateFQDN"] = name + "-dns-6f1c2a4e.privatelink.eastus.azmk8s.io"
    if aad:
        props["aadProfile"] = {"managed": True, "enableAzureRBAC": True, "tenantID": TENANT,
                               "adminGroupObjectIDs": [uid("group", "aks-admins")]}
    if kms:
        props["securityProfile"]["azureKeyVaultKms"] = {
            "enabled": True, "keyId": "https://kv-nw-prod-cmk.vault.azure.net/keys/cmk-aks/" + uid("kv", "aks")[:32].replace("-", ""),
            "keyVaultNetworkAccess": "Private", "keyVaultResourceId": KV_CMK}
        props["securityProfile"]["defender"] = {"securityMonitoring": {"enabled": True}}
    ident = {"type": "SystemAssigned", "principalId": uid("mi", name), "tenantId": TENANT}
    return az.row(RES, az.rid(rg, "Microsoft.ContainerService/managedClusters", name),
                  "Microsoft.ContainerService/managedClusters", props, rg=rg,
                  sku={"name": "Base", "tier": "Standard"}, tags=tags, identity=ident)["id"]


# ---------------------------------------------------------------- load balancers

def internal_lb(rg, name, tags):
    id_ = az.rid(rg, "Microsoft.Network/loadBalancers", name)
    fe = id_ + "/frontendIPConfigurations/fe-internal"
    props = {
        "provisioningState": "Succeeded", "resourceGuid": uid("lb", name),
        "frontendIPConfigurations": [{"name": "fe-internal", "id": fe,
                                      "type": "Microsoft.Network/loadBalancers/frontendIPConfigurations",
                                      "properties": {"provisioningState": "Succeeded",
                                                     "privateIPAddress": "10.20.1.200",
                                                     "privateIPAllocationMethod": "Static",
                                                     "subnet": {"id": SNET + "snet-app"},
                                                     "privateIPAddressVersion": "IPv4"}, "zones": ["1", "2", "3"]}],
        "backendAddressPools": [{"name": "be-app", "id": id_ + "/backendAddressPools/be-app",
                                 "properties": {"provisioningState": "Succeeded"}}],
        "loadBalancingRules": [{"name": "https", "id": id_ + "/loadBalancingRules/https",
                                "properties": {"provisioningState": "Succeeded",
                                               "frontendIPConfiguration": {"id": fe}, "frontendPort": 443,
                                               "backendPort": 443, "enableFloatingIP": False,
                                               "idleTimeoutInMinutes": 4, "protocol": "Tcp",
                                               "enableTcpReset": True, "loadDistribution": "Default",
                                               "disableOutboundSnat": True,
                                               "backendAddressPool": {"id": id_ + "/backendAddressPools/be-app"}}}],
        "probes": [], "inboundNatRules": [], "outboundRules": [], "inboundNatPools": [],
    }
    return az.row(RES, id_, "Microsoft.Network/loadBalancers", props, rg=rg,
                  sku={"name": "Standard", "tier": "Regional"}, tags=tags)["id"]


def public_ip(rg, name, tags):
    props = {"provisioningState": "Succeeded", "resourceGuid": uid("pip", name), "ipAddress": "20.121.%d.%d" % (
        len(name) * 3 % 250, len(name) * 7 % 250), "publicIPAddressVersion": "IPv4", "publicIPAllocationMethod": "Static",
             "idleTimeoutInMinutes": 4, "ipTags": []}
    return az.row(RES, az.rid(rg, "Microsoft.Network/publicIPAddresses", name),
                  "Microsoft.Network/publicIPAddresses", props, rg=rg, sku={"name": "Standard", "tier": "Regional"},
                  tags=tags, zones=["1", "2", "3"])["id"]


def app_gateway(rg, name, *, waf, redirect, ssl_policy, tags, http2=True):
    id_ = az.rid(rg, "Microsoft.Network/applicationGateways", name)
    sub = lambda kind, n: "%s/%s/%s" % (id_, kind, n)  # noqa: E731
    pip = public_ip(rg, "pip-" + name, az.TAGS)
    listeners = [
        {"name": "l-http", "id": sub("httpListeners", "l-http"), "properties": {
            "provisioningState": "Succeeded", "protocol": "Http", "hostNames": [], "requireServerNameIndication": False,
            "frontendIPConfiguration": {"id": sub("frontendIPConfigurations", "fe-public")},
            "frontendPort": {"id": sub("frontendPorts", "port-80")}}},
        {"name": "l-https", "id": sub("httpListeners", "l-https"), "properties": {
            "provisioningState": "Succeeded", "protocol": "Https", "hostNames": [], "requireServerNameIndication": False,
            "frontendIPConfiguration": {"id": sub("frontendIPConfigurations", "fe-public")},
            "frontendPort": {"id": sub("frontendPorts", "port-443")},
            "sslCertificate": {"id": sub("sslCertificates", "cert-web")}}},
    ]
    rules = [{"name": "r-https", "id": sub("requestRoutingRules", "r-https"), "properties": {
        "provisioningState": "Succeeded", "ruleType": "Basic", "priority": 100,
        "httpListener": {"id": sub("httpListeners", "l-https")},
        "backendAddressPool": {"id": sub("backendAddressPools", "be-web")},
        "backendHttpSettings": {"id": sub("backendHttpSettingsCollection", "bs-https")}}}]
    redirects = []
    if redirect:
        redirects.append({"name": "http-to-https", "id": sub("redirectConfigurations", "http-to-https"), "properties": {
            "provisioningState": "Succeeded", "redirectType": "Permanent",
            "targetListener": {"id": sub("httpListeners", "l-https")}, "includePath": True,
            "includeQueryString": True, "requestRoutingRules": [{"id": sub("requestRoutingRules", "r-http")}]}})
        rules.append({"name": "r-http", "id": sub("requestRoutingRules", "r-http"), "properties": {
            "provisioningState": "Succeeded", "ruleType": "Basic", "priority": 200,
            "httpListener": {"id": sub("httpListeners", "l-http")},
            "redirectConfiguration": {"id": sub("redirectConfigurations", "http-to-https")}}})
    else:
        rules.append({"name": "r-http", "id": sub("requestRoutingRules", "r-http"), "properties": {
            "provisioningState": "Succeeded", "ruleType": "Basic", "priority": 200,
            "httpListener": {"id": sub("httpListeners", "l-http")},
            "backendAddressPool": {"id": sub("backendAddressPools", "be-web")},
            "backendHttpSettings": {"id": sub("backendHttpSettingsCollection", "bs-http")}}})
    props = {
        "provisioningState": "Succeeded", "resourceGuid": uid("agw", name), "operationalState": "Running",
        "sku": {"name": "WAF_v2" if waf else "Standard_v2", "tier": "WAF_v2" if waf else "Standard_v2",
                "family": "Generation_1"},
        "autoscaleConfiguration": {"minCapacity": 1, "maxCapacity": 4},
        "gatewayIPConfigurations": [{"name": "gw-ip", "id": sub("gatewayIPConfigurations", "gw-ip"),
                                     "properties": {"subnet": {"id": SNET + "snet-appgw"}}}],
        "sslCertificates": [{"name": "cert-web", "id": sub("sslCertificates", "cert-web"),
                             "properties": {"provisioningState": "Succeeded",
                                            "keyVaultSecretId": "https://kv-nw-apps-prod.vault.azure.net/secrets/cert-web"}}],
        "frontendIPConfigurations": [{"name": "fe-public", "id": sub("frontendIPConfigurations", "fe-public"),
                                      "properties": {"provisioningState": "Succeeded",
                                                     "privateIPAllocationMethod": "Dynamic",
                                                     "publicIPAddress": {"id": pip}}}],
        "frontendPorts": [{"name": "port-80", "id": sub("frontendPorts", "port-80"), "properties": {"port": 80}},
                          {"name": "port-443", "id": sub("frontendPorts", "port-443"), "properties": {"port": 443}}],
        "backendAddressPools": [{"name": "be-web", "id": sub("backendAddressPools", "be-web"),
                                 "properties": {"backendAddresses": [{"fqdn": "app-web.internal.northwind.example"}]}}],
        "backendHttpSettingsCollection": [
            {"name": "bs-https", "id": sub("backendHttpSettingsCollection", "bs-https"),
             "properties": {"port": 443, "protocol": "Https", "cookieBasedAffinity": "Disabled", "requestTimeout": 30}},
            {"name": "bs-http", "id": sub("backendHttpSettingsCollection", "bs-http"),
             "properties": {"port": 80, "protocol": "Http", "cookieBasedAffinity": "Disabled", "requestTimeout": 30}}],
        "httpListeners": listeners, "requestRoutingRules": rules, "redirectConfigurations": redirects,
        "probes": [], "urlPathMaps": [], "rewriteRuleSets": [], "sslProfiles": [],
        "sslPolicy": ssl_policy, "enableHttp2": http2,
    }
    if waf:
        props["firewallPolicy"] = {"id": az.rid(rg, "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies",
                                                "wafp-" + name)}
    return az.row(RES, id_, "Microsoft.Network/applicationGateways", props, rg=rg, tags=tags,
                  zones=["1", "2", "3"])["id"]


# ---------------------------------------------------------------- messaging

def namespace(rg, name, type_, *, tls, local_auth, public, cmk, tags, sku):
    props = {
        "minimumTlsVersion": tls, "provisioningState": "Succeeded", "status": "Active",
        "createdAt": az.ts(500), "updatedAt": az.ts(40),
        "serviceBusEndpoint": "https://%s.servicebus.windows.net:443/" % name,
        "metricId": "%s:%s" % (SUB, name), "zoneRedundant": True, "disableLocalAuth": not local_auth,
        "publicNetworkAccess": "Enabled" if public else "Disabled", "privateEndpointConnections": [],
    }
    if type_.startswith("Microsoft.EventHub"):
        props.update({"kafkaEnabled": True, "isAutoInflateEnabled": False, "maximumThroughputUnits": 0})
    if cmk:
        props["encryption"] = {"keySource": "Microsoft.KeyVault", "requireInfrastructureEncryption": True,
                               "keyVaultProperties": [{"keyName": "cmk-messaging",
                                                       "keyVaultUri": "https://kv-nw-prod-cmk.vault.azure.net",
                                                       "keyVersion": "", "identity": {
                                                           "userAssignedIdentity": UAMI}}]}
    return az.row(RES, az.rid(rg, type_, name), type_, props, rg=rg, sku=sku, tags=tags)["id"]


# ---------------------------------------------------------------- secrets, registries, DNS

def kv_secret(vault_rg, vault, name, *, expires_days, tags, created=300, updated=60):
    """created, updated: days before the collection (updated is when the value last changed)."""
    attrs = {"enabled": True, "created": unix(-created), "updated": unix(-updated),
             "recoveryLevel": "Recoverable+Purgeable",
             "nbf": None, "exp": unix(expires_days) if expires_days else None}
    props = {"attributes": attrs, "contentType": "text/plain",
             "secretUri": "https://%s.vault.azure.net/secrets/%s" % (vault, name),
             "secretUriWithVersion": "https://%s.vault.azure.net/secrets/%s/%s" % (vault, name,
                                                                                   uid("sv", name).replace("-", ""))}
    id_ = az.rid(vault_rg, "Microsoft.KeyVault/vaults", vault) + "/secrets/" + name
    return az.row(RES, id_, "Microsoft.KeyVault/vaults/secrets", props, rg=vault_rg, name=name,
                  tags=tags)["id"]


def registry(rg, name, *, admin, public, anonymous, cmk, tags):
    premium = not public
    props = {
        "loginServer": name + ".azurecr.io", "creationDate": az.ts(600), "provisioningState": "Succeeded",
        "adminUserEnabled": admin,
        "networkRuleSet": {"defaultAction": "Deny", "ipRules": []} if premium else None,
        "policies": {"quarantinePolicy": {"status": "disabled"},
                     "trustPolicy": {"type": "Notary", "status": "disabled"},
                     "retentionPolicy": {"days": 7, "status": "enabled" if premium else "disabled"},
                     "exportPolicy": {"status": "disabled" if premium else "enabled"}},
        "encryption": {"status": "enabled", "keyVaultProperties": {
            "keyIdentifier": "https://kv-nw-prod-cmk.vault.azure.net/keys/cmk-acr", "identity": uid("client", "acr")}}
        if cmk else {"status": "disabled"},
        "dataEndpointEnabled": False, "dataEndpointHostNames": [], "privateEndpointConnections": [],
        "publicNetworkAccess": "Enabled" if public else "Disabled",
        "networkRuleBypassOptions": "AzureServices", "zoneRedundancy": "Enabled" if premium else "Disabled",
        "anonymousPullEnabled": anonymous,
    }
    return az.row(RES, az.rid(rg, "Microsoft.ContainerRegistry/registries", name),
                  "Microsoft.ContainerRegistry/registries", props, rg=rg,
                  sku={"name": "Premium" if premium else "Standard", "tier": "Premium" if premium else "Standard"},
                  tags=tags)["id"]


def dns_zone(rg, name, private, tags):
    if private:
        props = {"maxNumberOfRecordSets": 25000, "numberOfRecordSets": 4, "maxNumberOfVirtualNetworkLinks": 1000,
                 "numberOfVirtualNetworkLinks": 1, "maxNumberOfVirtualNetworkLinksWithRegistration": 100,
                 "numberOfVirtualNetworkLinksWithRegistration": 0, "provisioningState": "Succeeded",
                 "internalId": uid("pdns", name)}
        t = "Microsoft.Network/privateDnsZones"
    else:
        props = {"maxNumberOfRecordSets": 10000, "numberOfRecordSets": 9, "zoneType": "Public",
                 "nameServers": ["ns1-07.azure-dns.com.", "ns2-07.azure-dns.net.", "ns3-07.azure-dns.org.",
                                 "ns4-07.azure-dns.info."]}
        t = "Microsoft.Network/dnszones"
    return az.row(RES, az.rid(rg, t, name), t, props, rg=rg, location="global", tags=tags)["id"]


# ---------------------------------------------------------------- Front Door, API Management

def front_door(rg, name, *, waf, https_redirect, origin_https, tls, tags):
    id_ = az.rid(rg, "Microsoft.Network/frontDoors", name)
    fe = id_ + "/frontendEndpoints/www"
    fwd = {"@odata.type": "#Microsoft.Azure.FrontDoor.Models.FrontdoorForwardingConfiguration",
           "forwardingProtocol": "HttpsOnly" if origin_https else "MatchRequest",
           "backendPool": {"id": id_ + "/backendPools/web"}, "cacheConfiguration": None}
    rules = [{"id": id_ + "/routingRules/forward", "name": "forward", "type": "Microsoft.Network/Frontdoors/RoutingRules",
              "properties": {"resourceState": "Enabled", "enabledState": "Enabled", "patternsToMatch": ["/*"],
                             "acceptedProtocols": ["Https"] if https_redirect else ["Http", "Https"],
                             "frontendEndpoints": [{"id": fe}], "routeConfiguration": fwd}}]
    if https_redirect:
        rules.append({"id": id_ + "/routingRules/http-to-https", "name": "http-to-https",
                      "type": "Microsoft.Network/Frontdoors/RoutingRules",
                      "properties": {"resourceState": "Enabled", "enabledState": "Enabled", "patternsToMatch": ["/*"],
                                     "acceptedProtocols": ["Http"], "frontendEndpoints": [{"id": fe}],
                                     "routeConfiguration": {
                                         "@odata.type": "#Microsoft.Azure.FrontDoor.Models.FrontdoorRedirectConfiguration",
                                         "redirectType": "Moved", "redirectProtocol": "HttpsOnly",
                                         "customHost": "", "customPath": "", "customFragment": None,
                                         "customQueryString": None}}})
    props = {
        "resourceState": "Enabled", "provisioningState": "Succeeded", "cname": name + ".azurefd.net",
        "frontdoorId": uid("fd", name), "friendlyName": name, "enabledState": "Enabled",
        "routingRules": rules,
        "frontendEndpoints": [{"id": fe, "name": "www", "type": "Microsoft.Network/Frontdoors/FrontendEndpoints",
                               "properties": {"resourceState": "Enabled", "hostName": "www-%s.northwind.example" % name,
                                              "sessionAffinityEnabledState": "Disabled",
                                              "sessionAffinityTtlSeconds": 0,
                                              "webApplicationFirewallPolicyLink": {"id": az.rid(
                                                  rg, "Microsoft.Network/frontdoorWebApplicationFirewallPolicies",
                                                  "wafnwfd")} if waf else None,
                                              "customHttpsProvisioningState": "Enabled",
                                              "customHttpsProvisioningSubstate": "CertificateDeployed",
                                              "customHttpsConfiguration": {"certificateSource": "FrontDoor",
                                                                           "protocolType": "ServerNameIndication",
                                                                           "minimumTlsVersion": tls,
                                                                           "frontDoorCertificateSourceParameters": {
                                                                               "certificateType": "Dedicated"}}}}],
        "backendPools": [{"id": id_ + "/backendPools/web", "name": "web", "properties": {
            "resourceState": "Enabled", "backends": [{"address": "agw-nw-web-prod.northwind.example", "httpPort": 80,
                                                      "httpsPort": 443, "priority": 1, "weight": 50,
                                                      "enabledState": "Enabled"}]}}],
        "backendPoolsSettings": {"enforceCertificateNameCheck": "Enabled", "sendRecvTimeoutSeconds": 30},
    }
    return az.row(RES, id_, "Microsoft.Network/frontDoors", props, rg=rg, location="global", tags=tags)["id"]


def apim(rg, name, *, internal, tls10, tags):
    prefix = "Microsoft.WindowsAzure.ApiManagement.Gateway.Security."
    props = {
        "publisherEmail": "platform@northwind.example", "publisherName": "Northwind Analytics",
        "notificationSenderEmail": "apimgmt-noreply@mail.windowsazure.com", "provisioningState": "Succeeded",
        "targetProvisioningState": "", "createdAtUtc": az.ts(800),
        "gatewayUrl": "https://%s.azure-api.net" % name, "portalUrl": "https://%s.portal.azure-api.net" % name,
        "managementApiUrl": "https://%s.management.azure-api.net" % name,
        "publicIPAddresses": ["20.121.9.%d" % (len(name) * 5 % 250)], "privateIPAddresses": ["10.20.4.5"] if internal else None,
        "virtualNetworkConfiguration": {"subnetResourceId": SNET + "snet-mgmt"} if internal else None,
        "virtualNetworkType": "Internal" if internal else "None",
        "customProperties": {
            prefix + "Protocols.Tls10": "True" if tls10 else "False",
            prefix + "Protocols.Tls11": "True" if tls10 else "False",
            prefix + "Backend.Protocols.Tls10": "False", prefix + "Backend.Protocols.Tls11": "False",
            prefix + "Backend.Protocols.Ssl30": "False", prefix + "Protocols.Server.Http2": "True"},
        "disableGateway": False, "natGatewayState": "Disabled", "apiVersionConstraint": {"minApiVersion": "2021-08-01"},
        "publicNetworkAccess": "Enabled", "platformVersion": "stv2",
    }
    return az.row(RES, az.rid(rg, "Microsoft.ApiManagement/service", name), "Microsoft.ApiManagement/service", props,
                  rg=rg, sku={"name": "Premium" if internal else "Developer", "capacity": 1}, tags=tags,
                  identity={"type": "SystemAssigned", "principalId": uid("mi", name), "tenantId": TENANT})["id"]


# ---------------------------------------------------------------- authorization, containers

def deny_assignment(name, scope, excluded):
    guid = uid("deny", name)
    id_ = scope + "/providers/Microsoft.Authorization/denyAssignments/" + guid
    props = {
        "denyAssignmentName": name,
        "description": "Created by the deployment stack stack-nw-core to protect its managed resources.",
        "permissions": [{"actions": ["*/delete"], "notActions": [], "dataActions": [], "notDataActions": []}],
        "scope": scope, "doNotApplyToChildScopes": False,
        "principals": [{"id": "00000000-0000-0000-0000-000000000000", "type": "SystemDefined"}],
        "excludePrincipals": [{"id": uid("principal", p), "type": "ServicePrincipal"} for p in excluded],
        "isSystemProtected": True, "createdOn": az.ts(120), "updatedOn": az.ts(120),
        "createdBy": None, "updatedBy": None,
    }
    rg = scope.split("/resourceGroups/")[1].split("/")[0] if "/resourceGroups/" in scope else ""
    return az.row(AUTH, id_, "Microsoft.Authorization/denyAssignments", props, rg=rg, name=guid, location="")["id"]


def conditional_assignment(role_guid, principal, scope, condition):
    guid = uid("ra", role_guid, principal, scope)
    id_ = scope + "/providers/Microsoft.Authorization/roleAssignments/" + guid
    rg = scope.split("/resourceGroups/")[1].split("/")[0] if "/resourceGroups/" in scope else ""
    az.row(AUTH, id_, "Microsoft.Authorization/roleAssignments", {
        "roleDefinitionId": SUB_ID + "/providers/Microsoft.Authorization/roleDefinitions/" + role_guid,
        "principalId": uid("principal", principal), "principalType": "ServicePrincipal", "scope": scope,
        "condition": condition, "conditionVersion": "2.0", "createdOn": az.ts(90), "updatedOn": az.ts(90),
        "createdBy": uid("principal", "maria.lopez"), "updatedBy": uid("principal", "maria.lopez"),
        "delegatedManagedIdentityResourceId": None, "description": "ETL reads only the landing container"},
        rg=rg, name=guid, location="")
    return id_


def management_group(name, display, parent, chain):
    id_ = "/providers/Microsoft.Management/managementGroups/" + name
    details = {"version": 3, "updatedTime": az.ts(400), "updatedBy": uid("principal", "maria.lopez"),
               "managementGroupAncestorsChain": chain}
    if parent:
        details["parent"] = {"id": "/providers/Microsoft.Management/managementGroups/" + parent[0],
                             "name": parent[0], "displayName": parent[1]}
    else:
        details["parent"] = None
    return az.row(CONT, id_, "Microsoft.Management/managementGroups",
                  {"displayName": display, "tenantId": TENANT, "details": details},
                  name=name, location="", sub="")["id"]


def builtin_role_def(name, guid, actions, desc):
    """A built-in role definition row, as org_azure.role_def_builtin writes them."""
    az.row(AUTH, "/providers/Microsoft.Authorization/RoleDefinitions/" + guid,
           "Microsoft.Authorization/roleDefinitions", {
               "roleName": name, "type": "BuiltInRole", "description": desc, "assignableScopes": ["/"],
               "permissions": [{"actions": actions, "notActions": [], "dataActions": [], "notDataActions": []}],
               "createdOn": "2015-02-02T21:55:09.8806423Z", "updatedOn": "2022-05-27T19:47:41.2519315Z",
               "createdBy": None, "updatedBy": None}, name=guid, location="", sub="")
    return SUB_ID + "/providers/Microsoft.Authorization/roleDefinitions/" + guid


def assignment(role_def_id, principal, ptype, scope, desc, created):
    """A role assignment row, as org_azure.assign writes them (at a management group: no subscription)."""
    guid = uid("ra", role_def_id, principal, scope)
    id_ = scope + "/providers/Microsoft.Authorization/roleAssignments/" + guid
    rg = scope.split("/resourceGroups/")[1].split("/")[0] if "/resourceGroups/" in scope else ""
    sub = SUB if scope.startswith(SUB_ID) else ""
    az.row(AUTH, id_, "Microsoft.Authorization/roleAssignments", {
        "roleDefinitionId": role_def_id, "principalId": uid("principal", principal), "principalType": ptype,
        "scope": scope, "condition": None, "conditionVersion": None, "createdOn": az.ts(created),
        "updatedOn": az.ts(created), "createdBy": uid("principal", "maria.lopez"),
        "updatedBy": uid("principal", "maria.lopez"), "delegatedManagedIdentityResourceId": None,
        "description": desc}, rg=rg, name=guid, location="", sub=sub)
    return id_


NETWORK_WATCHER = az.rid("NetworkWatcherRG", "Microsoft.Network/networkWatchers", "NetworkWatcher_eastus")
AUDIT_SA = az.rid("rg-nw-security", "Microsoft.Storage/storageAccounts", "nwauditlogsprod")


def nsg_flow_log(nsg_rg, nsg_name, *, retention_days, tags):
    """An NSG flow log (version 2) as the portal names them, without traffic analytics."""
    nsg_id = az.rid(nsg_rg, "Microsoft.Network/networkSecurityGroups", nsg_name)
    id_ = "%s/flowLogs/%s-%s-flowlog" % (NETWORK_WATCHER, nsg_name, nsg_rg)
    az.row(RES, id_, "Microsoft.Network/networkWatchers/flowLogs", {
        "targetResourceId": nsg_id, "targetResourceGuid": uid("guid", nsg_id), "storageId": AUDIT_SA,
        "enabled": True,
        "flowAnalyticsConfiguration": {"networkWatcherFlowAnalyticsConfiguration": {
            "enabled": False, "trafficAnalyticsInterval": 60}},
        "retentionPolicy": {"days": retention_days, "enabled": True},
        "format": {"type": "JSON", "version": 2}, "provisioningState": "Succeeded"},
        rg="NetworkWatcherRG", tags=tags)
    return id_


# ================================================================ the rows

def build():
    for rows in (CLEAN, PLANTED, INCIDENTAL, RES, AUTH, CONT):
        del rows[:]
    P, C = PLANTED_TAG, CLEAN_TAG
    # disks: a customer-key data disk attached to vm-nw-app-01; an orphaned legacy disk open to any network
    d_ok = disk("rg-nw-core-prod", "vm-nw-app-01-data01", cmk=True, attached_to=VM_APP01, public=False, tags=C)
    clean("disk", d_ok, "customer-managed key (disk encryption set), attached to vm-nw-app-01, network access DenyAll")
    d_bad = disk("rg-nw-legacy", "disk-nw-legacy-orphan", cmk=False, attached_to=None, public=True, tags=P)
    plant("disk-public-network-access", d_bad, "networkAccessPolicy AllowAll and publicNetworkAccess Enabled: the "
          "unattached disk can be exported through a SAS URL from any network")
    plant("disk-not-customer-key", d_bad, "encryption.type EncryptionAtRestWithPlatformKey (no disk encryption set)")
    # the OS disks of the VMs of org_azure.py: platform-managed keys (only the data disk above uses the DES)
    for rg, vm in (("rg-nw-core-prod", "vm-nw-app-01"), ("rg-nw-core-prod", "vm-nw-app-02"),
                   ("rg-nw-core-prod", "vm-nw-build-01"), ("rg-nw-network", "vm-nw-jumpbox"),
                   ("rg-nw-legacy", "vm-nw-legacy-win01")):
        plant("disk-not-customer-key", az.rid(rg, "Microsoft.Compute/disks", vm + "-osdisk"),
              "OS disk of %s: encryption.type EncryptionAtRestWithPlatformKey (encryption at host is on, but "
              "with platform-managed keys)" % vm)
    # snapshots and images
    s_ok = snapshot("rg-nw-core-prod", "snap-nw-app-01-data01-20261101", d_ok, cmk=True, public=False, sas=False, tags=C)
    clean("snapshot", s_ok, "customer-managed key, network access DenyAll")
    s_bad = snapshot("rg-nw-legacy", "snap-nw-legacy-db-export", d_bad, cmk=False, public=True, sas=True, tags=P)
    plant("snapshot-public", s_bad, "networkAccessPolicy AllowAll, publicNetworkAccess Enabled and diskState "
          "ActiveSAS: a SAS download URL is live and usable from any network")
    plant("snapshot-not-customer-key", s_bad, "encryption.type EncryptionAtRestWithPlatformKey")
    i_ok = image("rg-nw-core-prod", "img-nw-app-base-2026-10", VM_APP01, C)
    clean("snapshot", i_ok, "managed image: never public, OS disk encrypted with a disk encryption set")
    # function apps
    f_ok = function_app("rg-nw-core-prod", "func-nw-etl-prod", runtime="PYTHON|3.12", https=True, public=False,
                        identity=True, vnet=True, tags=C)
    clean("function", f_ok, "Python 3.12, HTTPS only, public network access disabled, user-assigned identity, VNet-integrated")
    f_bad = function_app("rg-nw-legacy", "func-nw-legacy-webhook", runtime="NODE|16", https=False, public=True,
                         identity=False, vnet=False, tags=P)
    plant("function-runtime-deprecated", f_bad, "LinuxFxVersion NODE|16: Node.js 16 is past its end of support")
    plant("function-https-only", f_bad, "httpsOnly false")
    plant("function-not-in-vpc", f_bad, "no virtualNetworkSubnetId (no VNet integration)")
    plant("function-public-network", f_bad, "publicNetworkAccess Enabled, no access restrictions in the row")
    # AKS
    k_ok = aks("rg-nw-core-prod", "aks-nw-analytics", private=True, rbac=True, aad=True, local_accounts=False,
               policy="calico", upgrade=True, kms=True, node_public_ip=False, tags=C)
    clean("kubernetes_cluster", k_ok, "private API server, RBAC with Entra ID, local accounts disabled, Calico network "
                                      "policy, stable auto-upgrade, KMS secrets encryption, no node public IPs")
    k_bad = aks("rg-nw-legacy", "aks-nw-legacy", private=False, rbac=False, aad=False, local_accounts=True,
                policy=None, upgrade=False, kms=False, node_public_ip=True, tags=P)
    plant("kubernetes-public-endpoint", k_bad, "no apiServerAccessProfile: the API server has a public FQDN")
    plant("kubernetes-endpoint-open-to-all", k_bad, "public API server with no authorizedIPRanges")
    plant("kubernetes-rbac-disabled", k_bad, "enableRBAC false")
    plant("kubernetes-legacy-auth", k_bad, "local accounts enabled (disableLocalAccounts false) and no aadProfile")
    plant("kubernetes-network-policy", k_bad, "kubenet without networkPolicy")
    plant("kubernetes-node-auto-upgrade", k_bad, "autoUpgradeProfile upgradeChannel none, nodeOSUpgradeChannel None")
    plant("kubernetes-secrets-not-encrypted", k_bad, "no securityProfile.azureKeyVaultKms")
    plant("kubernetes-node-public-ip", k_bad, "agent pool system has enableNodePublicIP true")
    # load balancers
    lb_ok = internal_lb("rg-nw-core-prod", "lb-nw-app-internal", C)
    clean("load_balancer", lb_ok, "internal (private frontend only), TCP 443")
    agw_ok = app_gateway("rg-nw-network", "agw-nw-web-prod", waf=True, redirect=True,
                         ssl_policy={"policyType": "Predefined", "policyName": "AppGwSslPolicy20220101S"}, tags=C)
    clean("load_balancer", agw_ok, "WAF_v2 with a WAF policy, HTTP redirected to HTTPS, AppGwSslPolicy20220101S (TLS 1.2)")
    waf_policy("rg-nw-network", "wafp-agw-nw-web-prod", agw_ok, body=True, bot=True, tags=C)
    # a partner portal's gateway: WAF policy in detection mode without body inspection or bot protection
    agw_partner = app_gateway("rg-nw-core-prod", "agw-nw-partner", waf=True, redirect=True,
                              ssl_policy={"policyType": "Predefined", "policyName": "AppGwSslPolicy20220101S"}, tags=P)
    waf_policy("rg-nw-core-prod", "wafp-agw-nw-partner", agw_partner, body=False, bot=False, tags=P)
    plant("azure-appgw-waf-request-body-inspection-disabled", agw_partner,
          "WAF policy wafp-agw-nw-partner has policySettings.requestBodyCheck false")
    plant("azure-appgw-waf-bot-protection-disabled", agw_partner,
          "WAF policy wafp-agw-nw-partner has the OWASP 3.2 rule set only, no Microsoft_BotManagerRuleSet")
    agw_bad = app_gateway("rg-nw-legacy", "agw-nw-legacy", waf=False, redirect=False, http2=False,
                          ssl_policy={"policyType": "Predefined", "policyName": "AppGwSslPolicy20150501"}, tags=P)
    plant("lb-waf", agw_bad, "Standard_v2 SKU, no WAF configuration or firewall policy, on a public frontend")
    plant("azure-appgw-http2-disabled", agw_bad, "enableHttp2 false")
    plant("lb-http-listener", agw_bad, "listener l-http (port 80) routes to the backend instead of redirecting to HTTPS")
    plant("lb-weak-tls", agw_bad, "sslPolicy AppGwSslPolicy20150501 accepts TLS 1.0")
    # messaging
    sb_ok = namespace("rg-nw-core-prod", "sb-nw-events-prod", "Microsoft.ServiceBus/namespaces", tls="1.2",
                      local_auth=False, public=False, cmk=True, tags=C,
                      sku={"name": "Premium", "tier": "Premium", "capacity": 1})
    clean("queue", sb_ok, "TLS 1.2, SAS keys disabled, public network disabled, customer-managed key")
    eh_ok = namespace("rg-nw-core-prod", "evh-nw-telemetry", "Microsoft.EventHub/namespaces", tls="1.2",
                      local_auth=False, public=False, cmk=True, tags=C,
                      sku={"name": "Premium", "tier": "Premium", "capacity": 1})
    clean("queue", eh_ok, "TLS 1.2, SAS keys disabled, public network disabled, customer-managed key")
    sb_bad = namespace("rg-nw-legacy", "sb-nw-legacy", "Microsoft.ServiceBus/namespaces", tls="1.0",
                       local_auth=True, public=True, cmk=False, tags=P,
                       sku={"name": "Standard", "tier": "Standard"})
    plant("queue-weak-tls", sb_bad, "minimumTlsVersion 1.0")
    plant("queue-local-auth", sb_bad, "disableLocalAuth false: SAS keys accepted")
    plant("queue-public-network", sb_bad, "publicNetworkAccess Enabled")
    plant("queue-not-customer-key", sb_bad, "no encryption block: Microsoft-managed key (Standard tier)")
    # Key Vault secrets
    sec_ok = kv_secret("rg-nw-core-prod", "kv-nw-apps-prod", "etl-db-password", expires_days=80, tags=C)
    clean("secret", sec_ok, "enabled, expires in 80 days, changed 60 days ago")
    sec_bad = kv_secret("rg-nw-legacy", "kv-nw-legacy", "legacy-api-key", expires_days=None, tags=P,
                        created=1100, updated=700)
    plant("secret-no-expiry", sec_bad, "attributes.exp null")
    plant("secret-not-rotated", sec_bad, "attributes.updated 700 days before the collection")
    # container registries
    acr_ok = registry("rg-nw-core-prod", "acrnwprod", admin=False, public=False, anonymous=False, cmk=True, tags=C)
    clean("container_registry", acr_ok, "admin user disabled, public network disabled, no anonymous pull, customer-managed key")
    acr_bad = registry("rg-nw-legacy", "acrnwlegacy", admin=True, public=True, anonymous=True, cmk=False, tags=P)
    plant("registry-admin-user", acr_bad, "adminUserEnabled true")
    plant("registry-public", acr_bad, "anonymousPullEnabled true")
    plant("registry-public-network", acr_bad, "publicNetworkAccess Enabled, no networkRuleSet")
    plant("registry-not-customer-key", acr_bad, "encryption.status disabled (Microsoft-managed key)")
    # DNS zones: Resource Graph carries no DNSSEC or record sets, so neither is judged on them
    dns_zone("rg-nw-network", "northwind-analytics.example", False, az.TAGS)
    dns_zone("rg-nw-network", "privatelink.vaultcore.azure.net", True, az.TAGS)
    # Front Door (classic)
    fd_ok = front_door("rg-nw-network", "fd-nw-web", waf=True, https_redirect=True, origin_https=True, tls="1.2", tags=C)
    clean("cdn", fd_ok, "WAF policy linked, HTTP redirected to HTTPS, HTTPS to origin, minimum TLS 1.2")
    fd_bad = front_door("rg-nw-legacy", "fd-nw-legacy", waf=False, https_redirect=False, origin_https=False, tls="1.0",
                        tags=P)
    plant("cdn-waf", fd_bad, "frontend endpoint www links no webApplicationFirewallPolicy")
    plant("cdn-http-allowed", fd_bad, "routing rule forward accepts Http and Https, no redirect to HTTPS")
    plant("cdn-origin-http", fd_bad, "forwardingProtocol MatchRequest: HTTP requests reach the origin over HTTP")
    plant("cdn-weak-tls", fd_bad, "customHttpsConfiguration.minimumTlsVersion 1.0")
    # API Management
    apim_ok = apim("rg-nw-core-prod", "apim-nw-prod", internal=True, tls10=False, tags=C)
    clean("api_gateway", apim_ok, "internal VNet mode, TLS 1.0 and 1.1 disabled on the gateway")
    apim_bad = apim("rg-nw-legacy", "apim-nw-legacy", internal=False, tls10=True, tags=P)
    plant("api-gateway-weak-tls", apim_bad, "customProperties ...Gateway.Security.Protocols.Tls10 and Tls11 True "
          "(public gateway, virtualNetworkType None)")
    # flow logs: fl-vnet-nw-prod (enabled, 90 days) and fl-vnet-nw-legacy (disabled) are written by org_azure.py;
    # an NSG flow log left from before the VNet flow log keeps 30 days
    clean("flow_log", NETWORK_WATCHER + "/flowLogs/fl-vnet-nw-prod", "enabled, 90 days retention")
    plant("flow-log-disabled", NETWORK_WATCHER + "/flowLogs/fl-vnet-nw-legacy", "enabled false")
    fl_short = nsg_flow_log("rg-nw-network", "nsg-nw-jumpbox", retention_days=30, tags=P)
    plant("flow-log-retention-short", fl_short, "retentionPolicy enabled with 30 days (< 90)")
    # authorization: a deployment-stack deny assignment and an ABAC-conditioned data role
    da = deny_assignment("Deny delete by stack-nw-core", SUB_ID + "/resourceGroups/rg-nw-core-prod", ["github-deploy"])
    clean("iam_binding", da, "deny assignment (Everyone, delete), never a public or primitive grant")
    cond = ("((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})) OR "
            "(@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'landing'))")
    ra = conditional_assignment("2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", "etl-identity",
                                SUB_ID + "/resourceGroups/rg-nw-analytics-prod", cond)
    clean("iam_binding", ra, "Storage Blob Data Reader limited by an ABAC condition to the landing container")
    # User Access Administrator given to a person at the subscription for a one-off task and never removed
    uaa = builtin_role_def("User Access Administrator", "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
                           ["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"],
                           "Lets you manage user access to Azure resources.")
    ra = assignment(uaa, "kevin.brandt@northwind-analytics.com", "User", SUB_ID,
                    "temporary: onboarding of the data-engineering groups (CHG-4471)", created=210)
    plant("azure-user-access-admin-assigned", ra, "User Access Administrator assigned to the user kevin.brandt at "
          "subscription scope (210 days ago, described as temporary)")
    # Owner given to a person at the management group above the subscription (the tenant-scope query of
    # collect.sh returns the assignments of the management groups too)
    mg_prod = "/providers/Microsoft.Management/managementGroups/mg-nw-prod"
    ra = assignment("/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
                    "li.wei@northwind-analytics.com", "User", mg_prod, "platform lead: landing-zone changes",
                    created=520)
    plant("iam-privileged-binding-org-scope", ra, "Owner assigned to the user li.wei at the management group "
          "mg-nw-prod (every subscription below it)")
    plant("iam-primitive-role-broad", ra, "Owner assigned to a user at management-group scope")
    # the custom role of org_azure.py with Actions ["*"] also includes Microsoft.Authorization/roleAssignments/write
    plant("role-custom-iam-admin", az.SUB_ID + "/providers/Microsoft.Authorization/roleDefinitions/"
          + uid("roledef", "NW Legacy Ops Full Access"),
          "NW Legacy Ops Full Access: Actions [\"*\"] include Microsoft.Authorization/roleAssignments/write")
    # management groups above the subscription (its managementGroupAncestorsChain names them)
    root = ("3c9a7e21-6d4f-4b8a-a1e5-0f2d9c7b8e46", "Tenant Root Group")
    management_group(root[0], root[1], None, [])
    management_group("mg-nw-prod", "Northwind Production", root, [{"name": root[0], "displayName": root[1]}])

    cis_rows()
    cis6_rows()
    # the data disk is attached to vm-nw-app-01: main() adds it to the VM's storage profile
    return d_ok


# ---------------------------------------------------------------- CIS Azure 6.0 subscription settings

SEC = []
STORAGE = "Microsoft.Storage/storageAccounts"
SA_PE = ["nwdatalakeprod", "nwbackupsprod", "nwcoreprodsa"]   # clean: reached through private endpoints
SA_NO_PE = ["nwauditlogsprod", "nweuhrrecords", "nweuscratch", "nwpublicweb", "nwlegacyftp"]
KV_PE = [("rg-nw-security", "kv-nw-prod-cmk"), ("rg-nw-core-prod", "kv-nw-apps-prod")]
KV_LEGACY = az.rid("rg-nw-legacy", "Microsoft.KeyVault/vaults", "kv-nw-legacy")
VNET_PROD = az.rid("rg-nw-network", "Microsoft.Network/virtualNetworks", "vnet-nw-prod")
VNET_LEGACY = az.rid("rg-nw-network", "Microsoft.Network/virtualNetworks", "vnet-nw-legacy")
DDOS_PLAN = az.rid("rg-nw-network", "Microsoft.Network/ddosProtectionPlans", "ddos-nw-prod")


def activity_alert(rg, name, scope, operation, enabled, desc):
    ag = az.rid("rg-nw-security", "microsoft.insights/actionGroups", "ag-nw-secops")
    props = {"scopes": [scope], "enabled": enabled, "description": desc,
             "condition": {"allOf": [{"field": "category", "equals": "Administrative"},
                                     {"field": "operationName", "equals": operation}]},
             "actions": {"actionGroups": [{"actionGroupId": ag, "webhookProperties": {}}]}}
    return az.row(RES, az.rid(rg, "microsoft.insights/activityLogAlerts", name), "microsoft.insights/activityLogAlerts",
                  props, rg=rg, location="global", tags=PLANTED_TAG)["id"]


def private_endpoint_connection(parent_id, name):
    pe = az.rid("rg-nw-network", "Microsoft.Network/privateEndpoints", "pe-" + name)
    return {"id": parent_id + "/privateEndpointConnections/pe-" + name + "." + uid("pec", name)[:8],
            "name": "pe-" + name + "." + uid("pec", name)[:8],
            "type": parent_id.split("/providers/")[1].rsplit("/", 1)[0] + "/privateEndpointConnections",
            "properties": {"provisioningState": "Succeeded", "privateEndpoint": {"id": pe},
                           "privateLinkServiceConnectionState": {"status": "Approved",
                                                                 "description": "Auto-Approved",
                                                                 "actionRequired": "None"}}}


def waf_policy(rg, name, gateway, *, body, bot, tags):
    sets = [{"ruleSetType": "OWASP", "ruleSetVersion": "3.2", "ruleGroupOverrides": []}]
    if bot:
        sets.append({"ruleSetType": "Microsoft_BotManagerRuleSet", "ruleSetVersion": "1.0", "ruleGroupOverrides": []})
    props = {"policySettings": {"requestBodyCheck": body, "maxRequestBodySizeInKb": 128, "fileUploadLimitInMb": 100,
                                "state": "Enabled", "mode": "Prevention" if body else "Detection",
                                "requestBodyInspectLimitInKB": 128, "fileUploadEnforcement": True,
                                "requestBodyEnforcement": body},
             "customRules": [], "managedRules": {"managedRuleSets": sets, "exclusions": []},
             "applicationGateways": [{"id": gateway}], "provisioningState": "Succeeded", "resourceState": "Enabled"}
    return az.row(RES, az.rid(rg, "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies", name),
                  "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies", props, rg=rg, tags=tags)["id"]


def cis_rows():
    """Rows and expectations of the CIS Azure 6.0 rules on subscription settings, storage accounts, Key Vaults
    and VNets; main() sets the properties of the rows org_azure.py writes (patch_cis)."""
    # Defender plans: org_azure.py writes nine pricings, all Free; the three plans it leaves out are Free too
    for plan in ("Api", "CosmosDbs", "SqlServerVirtualMachines"):
        az.row(SEC, SUB_ID + "/providers/Microsoft.Security/pricings/" + plan, "Microsoft.Security/pricings",
               {"pricingTier": "Free", "freeTrialRemainingTime": "PT0S"}, location="")
    for rule, pricing in (("cspm", "CloudPosture"), ("apis", "Api"), ("servers", "VirtualMachines"),
                          ("containers", "Containers"), ("storage", "StorageAccounts"),
                          ("app-services", "AppServices"), ("cosmos-db", "CosmosDbs"),
                          ("open-source-databases", "OpenSourceRelationalDatabases"),
                          ("sql-databases", "SqlServers"), ("sql-servers-on-machines", "SqlServerVirtualMachines"),
                          ("key-vaults", "KeyVaults"), ("resource-manager", "Arm")):
        plant("azure-defender-%s-disabled" % rule, SUB_ID, "pricings/%s pricingTier Free" % pricing)
    # security contact (org_azure.py): isEnabled false, notificationsByRole Off, no notification sources
    for rule in ("azure-security-alerts-owner-not-notified", "azure-security-alert-notifications-disabled",
                 "azure-attack-path-notifications-disabled"):
        plant(rule, SUB_ID, "securityContacts/default isEnabled false, notificationsByRole Off, "
                            "notificationsSources []")
    # activity log alerts: the NSG one was disabled during a migration and never re-enabled; the policy
    # assignment one watches one resource group only; none of the others exists
    activity_alert("rg-nw-security", "alert-nsg-write", SUB_ID, "Microsoft.Network/networkSecurityGroups/write",
                   False, "NSG changes (disabled during the 2025 hub migration)")
    activity_alert("rg-nw-security", "alert-policy-assignment-write", SUB_ID + "/resourceGroups/rg-nw-core-prod",
                   "Microsoft.Authorization/policyAssignments/write", True, "policy assignments in rg-nw-core-prod")
    why = {"nsg-write": "the only alert on networkSecurityGroups/write is disabled (enabled false)",
           "policy-assignment-create": "the only alert on policyAssignments/write is scoped to rg-nw-core-prod, "
                                       "not the subscription"}
    for op in ("policy-assignment-create", "policy-assignment-delete", "nsg-write", "nsg-delete",
               "security-solution-write", "security-solution-delete", "sql-firewall-rule-write",
               "sql-firewall-rule-delete", "public-ip-write", "public-ip-delete", "service-health"):
        plant("azure-activity-alert-%s-missing" % op, SUB_ID,
              why.get(op, "no activity log alert on the operation in resources.json"))
    # a fourth Owner at subscription scope: a pipeline identity left from the 2024 migration
    assignment("/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
               "terraform-migration-2024", "ServicePrincipal", SUB_ID, "migration pipeline (2024)", created=640)
    plant("azure-subscription-owner-count", SUB_ID, "4 Owner role assignments at subscription scope (a user, a "
          "group, the deployment service principal and the 2024 migration pipeline)")
    # Network Watcher: only NetworkWatcher_eastus exists; the EU data accounts of org_overlay.json are in westeurope
    plant("azure-network-watcher-missing-region", SUB_ID, "resources in westeurope, network watchers in eastus only")
    # a second activity log export, for the SIEM, with two of the four CIS categories
    siem = SUB_ID + "/providers/microsoft.insights/diagnosticSettings/nw-activity-to-siem"
    ehr = az.rid("rg-nw-security", "Microsoft.EventHub/namespaces", "evh-nw-siem") + \
        "/authorizationRules/RootManageSharedAccessKey"
    az.row(RES, siem, "microsoft.insights/diagnosticSettings", {
        "storageAccountId": None, "workspaceId": None, "eventHubAuthorizationRuleId": ehr,
        "eventHubName": "activity-log", "logAnalyticsDestinationType": None, "metrics": [],
        "logs": [{"category": c, "categoryGroup": None, "enabled": c in ("Administrative", "Alert"),
                  "retentionPolicy": {"enabled": False, "days": 0}}
                 for c in ("Administrative", "Security", "ServiceHealth", "Alert", "Recommendation", "Policy",
                           "Autoscale", "ResourceHealth")]}, location="global")
    plant("azure-diagnostic-setting-categories-incomplete", siem, "nw-activity-to-siem exports Administrative and "
          "Alert only (Policy and Security disabled)")
    # storage accounts (patched in main)
    for name in SA_PE:
        clean("object_storage", storage_id(name),
              "CIS 9.3: approved private endpoint, public network access disabled, Shared Key disabled, trusted "
              "services bypass, no cross-tenant replication, Entra authorization by default, 90-day key "
              "expiration policy, keys regenerated 34 and 41 days ago")
    for name in SA_NO_PE:
        plant("azure-storage-no-private-endpoint", storage_id(name),
              "privateEndpointConnections []")
    for name in ("nwpublicweb", "nwlegacyftp"):
        sid = storage_id(name)
        plant("azure-storage-shared-key-access", sid, "allowSharedKeyAccess true")
        plant("azure-storage-public-network-access", sid, "publicNetworkAccess Enabled")
    for name in SA_NO_PE:
        plant("azure-storage-key-rotation-reminder-disabled", storage_id(name), "no keyPolicy")
        plant("azure-storage-keys-not-regenerated", storage_id(name), "keyCreationTime key1 and key2 older than "
                                                                       "90 days")
    ftp = storage_id("nwlegacyftp")
    plant("azure-storage-trusted-services-bypass-disabled", ftp, "networkAcls.bypass None")
    plant("azure-storage-cross-tenant-replication", ftp, "allowCrossTenantReplication true")
    plant("azure-storage-default-oauth-disabled", ftp, "defaultToOAuthAuthentication false")
    plant("azure-keyvault-no-private-endpoint", KV_LEGACY, "privateEndpointConnections []")
    plant("azure-vnet-ddos-protection-disabled", VNET_LEGACY, "enableDdosProtection false")


def cis6_rows():
    """Rows and expectations of the CIS Azure 6.0 rules on Azure Files (9.1), Key Vault logging (6.1.1.4),
    subnets without NSGs (7.11), Bastion (8.4.1) and Application Insights (6.1.3.1)."""
    # file services: the private-endpoint accounts keep 14 days of deleted shares and speak SMB 3.1.1 with
    # AES-256-GCM only; the legacy FTP drop's file service was never configured (every SMB version and cipher)
    for name in SA_PE:
        sid = storage_id(name)
        az.row(RES, sid + "/fileServices/default", "Microsoft.Storage/storageAccounts/fileServices", {
            "cors": {"corsRules": []},
            "shareDeleteRetentionPolicy": {"enabled": True, "days": 14},
            "protocolSettings": {"smb": {"versions": "SMB3.1.1;", "channelEncryption": "AES-256-GCM;",
                                         "authenticationMethods": "Kerberos;",
                                         "kerberosTicketEncryption": "AES-256;", "multichannel": None}}},
            rg=sid.split("/")[4], name="default", sku={"name": "Standard_ZRS", "tier": "Standard"}, location="")
    ftp = storage_id("nwlegacyftp")
    az.row(RES, ftp + "/fileServices/default", "Microsoft.Storage/storageAccounts/fileServices", {
        "cors": {"corsRules": []}, "shareDeleteRetentionPolicy": {"enabled": False, "days": 0},
        "protocolSettings": {"smb": {}}},
        rg=ftp.split("/")[4], name="default", sku={"name": "Standard_ZRS", "tier": "Standard"}, location="")
    plant("azure-file-share-soft-delete-disabled", ftp, "fileServices/default shareDeleteRetentionPolicy.enabled false")
    plant("azure-file-share-smb-version-outdated", ftp, "fileServices/default protocolSettings.smb.versions unset "
          "(SMB2.1, SMB3.0 and SMB3.1.1 allowed)")
    plant("azure-file-share-smb-channel-encryption-weak", ftp, "fileServices/default protocolSettings.smb."
          "channelEncryption unset (AES-128-CCM and AES-128-GCM allowed)")
    # Key Vault diagnostic settings (az monitor diagnostic-settings list --resource): the two production vaults
    # send their audit logs to the security workspace; the legacy vault has none
    law = az.rid("rg-nw-security", "Microsoft.OperationalInsights/workspaces", "law-nw-security")
    for rg, name in KV_PE:
        vault = az.rid(rg, "Microsoft.KeyVault/vaults", name)
        az.row(RES, vault + "/providers/microsoft.insights/diagnosticSettings/kv-audit-to-law",
               "microsoft.insights/diagnosticSettings", {
                   "storageAccountId": None, "workspaceId": law, "eventHubAuthorizationRuleId": None,
                   "eventHubName": None, "logAnalyticsDestinationType": "Dedicated",
                   "metrics": [{"category": "AllMetrics", "enabled": True, "timeGrain": None,
                                "retentionPolicy": {"enabled": False, "days": 0}}],
                   "logs": [{"category": None, "categoryGroup": "audit", "enabled": True,
                             "retentionPolicy": {"enabled": False, "days": 0}},
                            {"category": None, "categoryGroup": "allLogs", "enabled": False,
                             "retentionPolicy": {"enabled": False, "days": 0}}]},
               rg=rg, location="")
    plant("azure-keyvault-logging-disabled", KV_LEGACY, "no diagnostic setting on kv-nw-legacy")
    # vnet-nw-prod's application gateway subnet has no NSG (org_azure.py)
    plant("azure-subnet-without-nsg", VNET_PROD, "subnet snet-appgw has no networkSecurityGroup")
    plant("azure-bastion-host-missing", SUB_ID, "no Microsoft.Network/bastionHosts row: admins reach the jumpbox "
          "VM by its public IP")
    plant("azure-application-insights-missing", SUB_ID, "no Microsoft.Insights/components row")
    plant("azure-defender-easm-missing", SUB_ID, "no Microsoft.Easm/workspaces row: no Defender EASM workspace "
          "maps the company's internet-facing assets")
    plant("azure-resource-lock-admin-role-missing", SUB_ID, "no custom role assignable at the subscription has "
          "Microsoft.Authorization/locks/* (locks are managed by Owners)")
    vpn_gateway()
    databricks_rows(law)
    iot_hubs(law)


def vpn_gateway():
    """CIS 7.9: the remote-access VPN gateway of vnet-nw-prod still accepts certificate clients beside Entra ID
    (its point-to-site configuration from before the move to the Azure VPN Client)."""
    gid = az.rid("rg-nw-network", "Microsoft.Network/virtualNetworkGateways", "vgw-nw-p2s")
    az.row(RES, gid, "Microsoft.Network/virtualNetworkGateways", {
        "provisioningState": "Succeeded", "resourceGuid": uid("vgw", "vgw-nw-p2s"), "gatewayType": "Vpn",
        "vpnType": "RouteBased", "vpnGatewayGeneration": "Generation2", "enableBgp": False, "activeActive": False,
        "sku": {"name": "VpnGw2AZ", "tier": "VpnGw2AZ", "capacity": 2},
        "ipConfigurations": [{"name": "default", "id": gid + "/ipConfigurations/default", "properties": {
            "privateIPAllocationMethod": "Dynamic", "subnet": {"id": VNET_PROD + "/subnets/GatewaySubnet"}}}],
        "vpnClientConfiguration": {
            "vpnClientAddressPool": {"addressPrefixes": ["172.16.200.0/24"]},
            "vpnClientProtocols": ["OpenVPN", "IkeV2"],
            "vpnAuthenticationTypes": ["Certificate", "AAD"],
            "vpnClientRootCertificates": [{"name": "nw-p2s-root-2023", "id": gid + "/vpnClientRootCertificates/nw-p2s-root-2023",
                                           "properties": {"provisioningState": "Succeeded",
                                                          "publicCertData": "MIIC5zCCAc+gAwIBAgIQ..."}}],
            "vpnClientRevokedCertificates": [], "vpnClientIpsecPolicies": [], "radiusServers": [],
            "aadTenant": "https://login.microsoftonline.com/%s/" % az.TENANT,
            "aadAudience": "41b23e61-6c1e-4545-b367-cd054e0ed4b4",
            "aadIssuer": "https://sts.windows.net/%s/" % az.TENANT}},
        rg="rg-nw-network", sku=None, tags={"Environment": "prod", "Owner": "network"})
    plant("azure-vpn-p2s-auth-not-entra-only", SUB_ID, "vgw-nw-p2s accepts point-to-site clients by certificate "
          "(vpnAuthenticationTypes Certificate and AAD)")


def iot_hubs(law):
    """CIS 8.2.1: two IoT hubs of the plant telemetry; Defender for IoT was onboarded on the production hub only
    (its IoT security solution lists that hub), the pilot plant's hub was added later without it."""
    hubs = {}
    for name, env in (("iot-nw-plants", "prod"), ("iot-nw-pilot", "pilot")):
        hubs[name] = az.rid("rg-nw-iot", "Microsoft.Devices/IotHubs", name)
        az.row(RES, hubs[name], "Microsoft.Devices/IotHubs", {
            "provisioningState": "Succeeded", "state": "Active", "hostName": name + ".azure-devices.net",
            "publicNetworkAccess": "Enabled", "minTlsVersion": "1.2", "disableLocalAuth": True,
            "eventHubEndpoints": {"events": {"retentionTimeInDays": 1, "partitionCount": 4}},
            "features": "None", "enableDataResidency": False},
            rg="rg-nw-iot", sku={"name": "S1", "tier": "Standard", "capacity": 1},
            tags={"Environment": env, "Owner": "plant-ops"})
    sol = az.rid("rg-nw-iot", "Microsoft.Security/iotSecuritySolutions", "iot-nw-plants-defender")
    az.row(RES, sol, "Microsoft.Security/iotSecuritySolutions", {
        "displayName": "iot-nw-plants-defender", "status": "Enabled", "export": [], "disabledDataSources": [],
        "workspace": law, "unmaskedIpLoggingStatus": "Disabled", "iotHubs": [hubs["iot-nw-plants"]],
        "userDefinedResources": {"query": "", "querySubscriptions": []}, "recommendationsConfiguration": [],
        "autoDiscoveredResources": [hubs["iot-nw-plants"]], "additionalWorkspaces": []},
        rg="rg-nw-iot", tags={})
    plant("azure-defender-iot-hub-disabled", SUB_ID, "IoT hub iot-nw-pilot is in no IoT security solution "
          "(iot-nw-plants-defender lists iot-nw-plants only)")


def databricks_rows(law):
    """Two Azure Databricks workspaces (CIS Azure 6.0 2.1): the production one injected into vnet-nw-prod with
    secure cluster connectivity, a private endpoint, no public network access, a customer-managed key and its
    logs in the security workspace; the data science sandbox created with the portal's defaults of 2022."""
    tags = dict(az.TAGS, **{"data-classification": "internal"})
    dbw = "Microsoft.Databricks/workspaces"

    def params(vnet, no_public_ip, subnets=("snet-dbw-host", "snet-dbw-container")):
        p = {"enableNoPublicIp": {"type": "Bool", "value": no_public_ip},
             "prepareEncryption": {"type": "Bool", "value": vnet is not None},
             "requireInfrastructureEncryption": {"type": "Bool", "value": False},
             "storageAccountName": {"type": "String", "value": "dbstorage" + uid("dbfs", str(vnet))[:10]},
             "storageAccountSkuName": {"type": "String", "value": "Standard_GRS"}}
        if vnet:
            p.update({"customVirtualNetworkId": {"type": "String", "value": vnet},
                      "customPublicSubnetName": {"type": "String", "value": subnets[0]},
                      "customPrivateSubnetName": {"type": "String", "value": subnets[1]}})
        return p
    prod = az.rid("rg-nw-analytics-prod", dbw, "dbw-nw-analytics-prod")
    props = {"managedResourceGroupId": SUB_ID + "/resourceGroups/databricks-rg-dbw-nw-analytics-prod",
             "parameters": params(VNET_PROD, True), "provisioningState": "Succeeded",
             "workspaceId": "4417839201557842", "workspaceUrl": "adb-4417839201557842.2.azuredatabricks.net",
             "publicNetworkAccess": "Disabled", "requiredNsgRules": "NoAzureDatabricksRules",
             "encryption": {"entities": {"managedServices": {
                 "keySource": "Microsoft.Keyvault",
                 "keyVaultProperties": {"keyVaultUri": "https://kv-nw-prod-cmk.vault.azure.net/",
                                        "keyName": "cmk-databricks", "keyVersion": uid("kver", "dbw")[:32]}}}},
             "createdDateTime": az.ts(300)}
    # the ML team's workspace, set up like prod but injected into two subnets added to vnet-nw-legacy
    # without a network security group (org_azure.py, CIS 2.1.2)
    ml = az.rid("rg-nw-analytics-prod", dbw, "dbw-nw-ml-dev")
    ml_props = dict(props, managedResourceGroupId=SUB_ID + "/resourceGroups/databricks-rg-dbw-nw-ml-dev",
                    parameters=params(VNET_LEGACY, True, ("snet-dbw-ml-host", "snet-dbw-ml-container")),
                    workspaceId="6190284417730518", workspaceUrl="adb-6190284417730518.18.azuredatabricks.net",
                    createdDateTime=az.ts(120))
    for wid, name, wprops in ((prod, "dbw-nw-analytics-prod", props), (ml, "dbw-nw-ml-dev", ml_props)):
        r = az.row(RES, wid, dbw, wprops, rg="rg-nw-analytics-prod", sku={"name": "premium"}, tags=tags)
        r["properties"]["privateEndpointConnections"] = [private_endpoint_connection(wid, name)]
        az.row(RES, wid + "/providers/microsoft.insights/diagnosticSettings/dbw-logs-to-law",
               "microsoft.insights/diagnosticSettings", {
                   "storageAccountId": None, "workspaceId": law, "eventHubAuthorizationRuleId": None,
                   "eventHubName": None, "logAnalyticsDestinationType": None, "metrics": [],
                   "logs": [{"category": None, "categoryGroup": "allLogs", "enabled": True,
                             "retentionPolicy": {"enabled": False, "days": 0}}]},
               rg="rg-nw-analytics-prod", location="")
    plant("azure-databricks-subnets-without-nsg", ml, "injected into vnet-nw-legacy's snet-dbw-ml-host and "
          "snet-dbw-ml-container, which have no networkSecurityGroup")
    INCIDENTAL.append({"rule_id": "azure-subnet-without-nsg", "resource_id_contains": "virtualNetworks/vnet-nw-legacy",
                       "provider": "azure", "why": "the ML Databricks workspace's two subnets have no network "
                                                   "security group (planted as azure-databricks-subnets-without-nsg)"})
    clean("data_warehouse", prod, "CIS 2.1: VNet injection into vnet-nw-prod, no public IP, private endpoint, public "
          "network access disabled, CMK for managed services, diagnostic logs to law-nw-security")
    sbx = az.rid("rg-nw-legacy", dbw, "dbw-nw-ds-sandbox")
    az.row(RES, sbx, dbw, {
        "managedResourceGroupId": SUB_ID + "/resourceGroups/databricks-rg-dbw-nw-ds-sandbox",
        "parameters": params(None, False), "provisioningState": "Succeeded",
        "workspaceId": "2208411937746120", "workspaceUrl": "adb-2208411937746120.0.azuredatabricks.net",
        "publicNetworkAccess": "Enabled", "requiredNsgRules": "AllRules", "privateEndpointConnections": [],
        "createdDateTime": az.ts(1100)}, rg="rg-nw-legacy", sku={"name": "standard"}, tags=tags)
    for rule, why in (("azure-databricks-no-vnet-injection", "parameters has no customVirtualNetworkId (managed VNet)"),
                      ("azure-databricks-public-ip", "parameters.enableNoPublicIp.value false"),
                      ("azure-databricks-public-network-access", "publicNetworkAccess Enabled"),
                      ("azure-databricks-no-private-endpoint", "privateEndpointConnections []"),
                      ("azure-databricks-no-cmk", "standard tier, no encryption entities: platform-managed keys"),
                      ("azure-databricks-diagnostic-logs-disabled", "no diagnostic setting on the workspace")):
        plant(rule, sbx, why)


STORAGE_IDS = {}  # name -> ID of the storage accounts org_azure.py wrote (read by main before build)


def storage_id(name):
    if name.startswith("nweu"):  # the EU accounts of org_overlay.json, applied after this script
        return az.rid("rg-nw-eu-data", STORAGE, name)
    return STORAGE_IDS[name]


def patch_cis(rows):
    """Set the CIS properties of the rows org_azure.py wrote (storage accounts, Key Vaults, VNets)."""
    for r in rows:
        props, name = r["properties"], r["name"]
        if r["type"] == STORAGE.lower():
            if name in SA_PE:
                props["privateEndpointConnections"] = [private_endpoint_connection(r["id"], name)]
                props["keyPolicy"] = {"keyExpirationPeriodInDays": 90}
                props["keyCreationTime"] = {"key1": az.ts(34), "key2": az.ts(41)}
            elif name == "nwlegacyftp":
                props["networkAcls"]["bypass"] = "None"
                props["allowCrossTenantReplication"] = True
                props["defaultToOAuthAuthentication"] = False
        elif r["type"] == "microsoft.keyvault/vaults":
            if r["id"] in [az.rid(rg, "Microsoft.KeyVault/vaults", n) for rg, n in KV_PE]:
                props["privateEndpointConnections"] = [private_endpoint_connection(r["id"], name)]
            elif r["id"] == KV_LEGACY:
                props["privateEndpointConnections"] = []
        elif r["id"] == VNET_PROD:
            props["enableDdosProtection"] = True
            props["ddosProtectionPlan"] = {"id": DDOS_PLAN}


def merge(path, rows, envelope):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    data = doc["data"] if envelope else doc
    ids = {r["id"] for r in rows}
    data[:] = [r for r in data if r["id"] not in ids] + rows
    if envelope:
        doc["count"] = doc["total_records"] = len(data)
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    return doc


def locks(root):
    """CIS 9.3.9 and 9.3.10: the subscription's management locks as az lock list prints them (locks.json): a
    ReadOnly lock on rg-nw-core-prod and on nwdatalakeprod, a CanNotDelete lock on rg-nw-security; the other
    storage accounts have none."""
    def lock(scope, name, level, notes):
        return {"id": scope + "/providers/Microsoft.Authorization/locks/" + name, "level": level, "name": name,
                "notes": notes, "owners": None, "resourceGroup": scope.split("/")[4] if "/resourceGroups/" in scope else None,
                "type": "Microsoft.Authorization/locks"}
    rg = lambda name: SUB_ID + "/resourceGroups/" + name  # noqa: E731
    rows = [lock(rg("rg-nw-core-prod"), "core-prod-freeze", "ReadOnly", "configuration changes through the pipeline only"),
            lock(STORAGE_IDS["nwdatalakeprod"], "datalake-freeze", "ReadOnly", "keys are not used: Entra ID only"),
            lock(rg("rg-nw-security"), "security-keep", "CanNotDelete", "audit logs")]
    with open(os.path.join(root, "locks.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(rows, indent=2) + "\n")
    # the EU and legacy accounts come from the overlay (org_overlay.json), written later
    for rgname, name in (("rg-nw-eu-data", "nweuhrrecords"), ("rg-nw-eu-data", "nweuscratch"),
                         ("rg-nw-legacy", "nwlegacyftp")):
        STORAGE_IDS.setdefault(name, az.rid(rgname, STORAGE, name))
        plant("azure-storage-no-delete-lock", STORAGE_IDS[name], "no lock on the account, its resource group or the "
                                                                 "subscription (locks.json)")
        plant("azure-storage-no-readonly-lock", STORAGE_IDS[name], "no lock at all (locks.json)")
    plant("azure-storage-no-readonly-lock", STORAGE_IDS["nwauditlogsprod"], "only the CanNotDelete lock "
                                                                            "security-keep on rg-nw-security")


def certificates(root):
    """CIS 8.3.11: the certificates of kv-nw-apps-prod as az keyvault certificate show prints them (with their
    policies; keyvaultcertificates.json): the API's TLS certificate is issued for 12 months, the partner mTLS one
    for 24."""
    vault = "kv-nw-apps-prod"

    def iso(ts):
        return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")

    def cert(name, subject, months, created_days_ago, version):
        base = "https://%s.vault.azure.net/" % vault
        created = unix(-created_days_ago)
        attrs = {"created": iso(created), "enabled": True, "expires": iso(created + months * 30 * 86400),
                 "notBefore": iso(created - 600), "recoverableDays": 90, "recoveryLevel": "Recoverable+Purgeable",
                 "updated": iso(created)}
        thumb = uid("thumb-" + name).replace("-", "").upper()[:40]
        return {"attributes": attrs, "cer": "MIIDQjCCAiqgAwIBAgIQ" + uid("cer-" + name).replace("-", ""),
                "contentType": "application/x-pkcs12", "id": base + "certificates/%s/%s" % (name, version),
                "kid": base + "keys/%s/%s" % (name, version), "name": name,
                "policy": {"attributes": {"created": iso(created), "enabled": True, "expires": None, "notBefore": None,
                                          "recoverableDays": None, "recoveryLevel": None, "updated": iso(created)},
                           "id": base + "certificates/%s/policy" % name,
                           "issuerParameters": {"certificateTransparency": None, "certificateType": None, "name": "Self"},
                           "keyProperties": {"curve": None, "exportable": True, "keySize": 2048, "keyType": "RSA",
                                             "reuseKey": False},
                           "lifetimeActions": [{"action": {"actionType": "AutoRenew"},
                                                "trigger": {"daysBeforeExpiry": None, "lifetimePercentage": 80}}],
                           "secretProperties": {"contentType": "application/x-pkcs12"},
                           "x509CertificateProperties": {"ekus": ["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"],
                                                         "keyUsage": ["digitalSignature", "keyEncipherment"],
                                                         "subject": subject, "subjectAlternativeNames": None,
                                                         "validityInMonths": months}},
                "sid": base + "secrets/%s/%s" % (name, version), "tags": {"owner": "platform"},
                "x509Thumbprint": thumb, "x509ThumbprintHex": thumb}
    rows = [cert("api-nw-tls", "CN=api.northwind.example", 12, 40, "7c1e4f0a9b2d4e6f8a1c3e5f7a9b1d3e"),
            cert("partner-mtls", "CN=partner-gw.northwind.example", 24, 200, "2b4d6f8a0c1e4a7b9d2f4a6c8e0b2d4f")]
    with open(os.path.join(root, "keyvaultcertificates.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(rows, indent=2) + "\n")
    cid = lambda name: "https://%s.vault.azure.net/certificates/%s" % (vault, name)  # noqa: E731
    plant("azure-keyvault-certificate-validity-long", cid("partner-mtls"), "certificate policy validityInMonths 24 "
                                                                           "(keyvaultcertificates.json)")
    clean("secret", cid("api-nw-tls"), "certificate policy validityInMonths 12 (CIS 8.3.11)")


def policy_assignments(root):
    """CIS 8.1.11: the subscription's policy assignments (Resource Graph's PolicyResources, policyresources.json):
    Defender for Cloud's Microsoft Cloud Security Benchmark assignment, in which two policies were set to
    Disabled when their recommendations were judged noisy (and a deprecated one, which CIS does not count), and an
    allowed-locations assignment."""
    def assignment(name, display, definition, params, desc):
        return {"id": SUB_ID + "/providers/Microsoft.Authorization/policyAssignments/" + name, "name": name,
                "type": "microsoft.authorization/policyassignments", "tenantId": az.TENANT, "kind": "",
                "location": "", "resourceGroup": "", "subscriptionId": SUB, "managedBy": "", "sku": None,
                "plan": None, "tags": None, "identity": None, "zones": None, "extendedLocation": None,
                "properties": {"displayName": display, "description": desc, "scope": SUB_ID, "notScopes": [],
                               "policyDefinitionId": definition, "definitionVersion": "1.*.*",
                               "enforcementMode": "Default", "metadata": {"assignedBy": "Security Center"},
                               "parameters": params, "nonComplianceMessages": []}}
    rows = [
        assignment("SecurityCenterBuiltIn", "ASC Default (subscription: %s)" % SUB,
                   "/providers/Microsoft.Authorization/policySetDefinitions/1f3afdf9-d0c9-4c3d-847f-89da613e70a8", {
                       "systemUpdatesV2MonitoringEffect": {"value": "Disabled"},
                       "identityRemoveExternalAccountWithWritePermissionsMonitoringEffect": {"value": "Disabled"},
                       "sqlAuditingMonitoringEffect": {"value": "Disabled"},
                       "diskEncryptionMonitoringEffect": {"value": "AuditIfNotExists"}},
                   "This policy assignment was automatically created by Azure Security Center"),
        assignment("nw-allowed-locations", "Allowed locations",
                   "/providers/Microsoft.Authorization/policyDefinitions/e56962a6-4747-49cd-b67b-bf8b01975c4c",
                   {"listOfAllowedLocations": {"value": ["westeurope", "northeurope", "eastus"]}},
                   "Northwind's regions")]
    with open(os.path.join(root, "policyresources.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps({"count": len(rows), "data": rows, "skip_token": None, "total_records": len(rows)},
                           indent=2, ensure_ascii=False) + "\n")
    plant("azure-mcsb-policies-disabled", SUB_ID, "SecurityCenterBuiltIn sets systemUpdatesV2MonitoringEffect and "
          "identityRemoveExternalAccountWithWritePermissionsMonitoringEffect to Disabled (policyresources.json; "
          "sqlAuditingMonitoringEffect, Disabled too, is a deprecated policy's and named apart)")


def main(org=ORG):
    """Extend the Azure exports under org (examples/org), write org/expected-azure.json and return the
    number of rows added."""
    root = os.path.join(org, "azure", SUB)
    with open(os.path.join(root, "resources.json"), encoding="utf-8") as f:
        for r in json.load(f)["data"]:
            if r["type"] == STORAGE.lower():
                STORAGE_IDS[r["name"]] = r["id"]
    data_disk = build()
    doc = merge(os.path.join(root, "resources.json"), RES, True)
    for r in doc["data"]:
        if r["type"].lower() == STORAGE.lower():
            STORAGE_IDS.setdefault(r["name"], r["id"])
    locks(root)
    certificates(root)
    policy_assignments(root)
    patch_cis(doc["data"])
    for r in doc["data"]:
        if r["id"] == VM_APP01:
            r["properties"]["storageProfile"]["dataDisks"] = [{
                "lun": 0, "name": "vm-nw-app-01-data01", "createOption": "Attach", "caching": "ReadOnly",
                "managedDisk": {"storageAccountType": "Premium_LRS", "id": data_disk}, "deleteOption": "Detach",
                "diskSizeGB": 256, "toBeDetached": False}]
    with open(os.path.join(root, "resources.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    merge(os.path.join(root, "authorizationresources.json"), AUTH, True)
    merge(os.path.join(root, "securityresources.json"), SEC, True)
    merge(os.path.join(root, "resourcecontainers.json"), CONT, False)
    ids = [(p["rule_id"], p["resource_id"]) for p in PLANTED]
    assert len(set(ids)) == len(ids), "duplicate planted entry"
    assert not {c["resource_id"] for c in CLEAN} & {p["resource_id"] for p in PLANTED}, "clean resource also planted"
    exp = {"planted": sorted(PLANTED, key=lambda p: (p["rule_id"], p["resource_id"])),
           "clean": CLEAN, "incidental": INCIDENTAL}
    with open(os.path.join(org, "expected-azure.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(exp, indent=2, ensure_ascii=False) + "\n")
    print("azure v2: %d resources, %d authorization, %d container rows added; %d clean, %d planted (%d rules)" % (
        len(RES), len(AUTH), len(CONT), len(CLEAN), len(PLANTED), len({p["rule_id"] for p in PLANTED})))
    return len(RES) + len(AUTH) + len(CONT)


if __name__ == "__main__":
    main(*sys.argv[1:2])
