"""The Entra ID tenant of the sample organization (CIS Azure 6.0 5.1.1-5.1.3, 5.3.5), written by gen_org.py as
examples/org/entra/entra-<tenant>.json in the `vigil collect` shape (docs/formats/entra-id.md): Microsoft Graph
responses verbatim.

Kept small on purpose: two users who hold Azure role assignments in the subscription by name and a
contractor, their MFA registration, the security defaults and the device registration policy. Role assignments, groups and service
principals are not collected (those paths are absent, so directory admin status stays unknown and the
Azure-side identity analysis is unchanged):

- security defaults are off and no Conditional Access policy requires MFA (the tenant has none);
- registering or joining a device does not require MFA;
- kevin.brandt left in October: his account is disabled but his Contributor assignment on the subscription
  was never removed;
- sam.ortiz, a contractor on the reporting project, never registered an MFA method;
- the tenant's one diagnostic setting (the ARM listing /providers/microsoft.aadiam/diagnosticSettings, kept
  beside the Graph responses as az rest gave it; `vigil collect` lists it too) streams the sign-in logs to the
  security workspace, but neither the audit logs nor the Microsoft Graph activity logs (CIS 6.1.1.7, 6.1.1.8);
- Intune's one diagnostic setting (/providers/microsoft.intune/diagnosticSettings) sends its audit and operational
  logs to the same workspace, but not the device and compliance inventories (CIS 6.1.1.9).
"""

import os

from orglib import ago, plant, uid, write_json
import org_azure as az

GRAPH = "https://graph.microsoft.com/v1.0/$metadata#"
DOMAIN = "northwind-analytics.com"
COLLECTED = "2026-11-24T06:00:00Z"

# (user principal name, display name, enabled, MFA registered, days since the last sign-in)
USERS = [
    ("maria.lopez", "Maria Lopez", True, True, 1),
    ("kevin.brandt", "Kevin Brandt", False, True, 52),
    ("sam.ortiz", "Sam Ortiz (contractor)", True, False, 3),
]


def user_id(upn):
    # the principalId org_azure.assign gives the user's Azure role assignments
    return uid("principal", upn)


def build(out):
    users, reg = [], []
    for name, display, enabled, mfa, days in USERS:
        upn = "%s@%s" % (name, DOMAIN)
        last = ago(days).strftime("%Y-%m-%dT%H:%M:%SZ")
        users.append({"id": user_id(upn), "displayName": display, "userPrincipalName": upn, "mail": upn,
                      "userType": "Member", "accountEnabled": enabled,
                      "signInActivity": {"lastSignInDateTime": last, "lastNonInteractiveSignInDateTime": last}})
        reg.append({"id": user_id(upn), "userPrincipalName": upn, "userType": "member", "isAdmin": False,
                    "isMfaRegistered": mfa, "isMfaCapable": mfa, "isPasswordlessCapable": False,
                    "isSelfServicePasswordResetRegistered": mfa,
                    "methodsRegistered": ["microsoftAuthenticatorPush"] if mfa else []})
    sel = "id,displayName,userPrincipalName,mail,userType,accountEnabled,signInActivity"
    doc = {"tenantId": az.TENANT, "apiVersion": "v1.0", "collectedAt": COLLECTED, "responses": {
        "/users?$select=" + sel: {"@odata.context": GRAPH + "users(%s)" % sel, "value": users},
        "/reports/authenticationMethods/userRegistrationDetails": {
            "@odata.context": GRAPH + "reports/authenticationMethods/userRegistrationDetails", "value": reg},
        "/identity/conditionalAccess/policies": {"@odata.context": GRAPH + "identity/conditionalAccess/policies",
                                                 "value": []},
        "/policies/identitySecurityDefaultsEnforcementPolicy": {
            "@odata.context": GRAPH + "policies/identitySecurityDefaultsEnforcementPolicy/$entity",
            "id": "00000000-0000-0000-0000-000000000005", "displayName": "Security Defaults",
            "description": "Security defaults is a set of basic identity security mechanisms recommended by "
                           "Microsoft.", "isEnabled": False},
        "/policies/deviceRegistrationPolicy": {
            "@odata.context": GRAPH + "policies/deviceRegistrationPolicy/$entity", "id": "deviceRegistrationPolicy",
            "displayName": "Device Registration Policy", "userDeviceQuota": 50,
            "multiFactorAuthConfiguration": "notRequired",
            "azureADRegistration": {"isAdminConfigurable": False, "allowedToRegister": {
                "@odata.type": "#microsoft.graph.allDeviceRegistrationMembership"}},
            "azureADJoin": {"isAdminConfigurable": True, "allowedToJoin": {
                "@odata.type": "#microsoft.graph.allDeviceRegistrationMembership"}}},
        # ARM, not Graph: az rest --method get --url https://management.azure.com/providers/microsoft.aadiam/
        # diagnosticSettings?api-version=2017-04-01
        "https://management.azure.com/providers/microsoft.aadiam/diagnosticSettings?api-version=2017-04-01": {
            "value": [{
                "id": "/providers/microsoft.aadiam/diagnosticSettings/signins-to-law-nw-security",
                "type": "microsoft.aadiam/diagnosticSettings", "name": "signins-to-law-nw-security",
                "properties": {
                    "workspaceId": "/subscriptions/%s/resourceGroups/rg-nw-security/providers/"
                                   "Microsoft.OperationalInsights/workspaces/law-nw-security" % az.SUB,
                    "logs": [{"category": c, "enabled": on, "retentionPolicy": {"enabled": False, "days": 0}}
                             for c, on in (("AuditLogs", False), ("SignInLogs", True),
                                           ("NonInteractiveUserSignInLogs", True),
                                           ("ServicePrincipalSignInLogs", True),
                                           ("MicrosoftGraphActivityLogs", False))]}}]},
        # ARM too, Intune's provider: az rest --method get --url https://management.azure.com/providers/
        # microsoft.intune/diagnosticSettings?api-version=2017-04-01-preview
        "https://management.azure.com/providers/microsoft.intune/diagnosticSettings?api-version=2017-04-01-preview": {
            "value": [{
                "id": "/providers/microsoft.intune/diagnosticSettings/intune-audit-to-law",
                "type": "microsoft.intune/diagnosticSettings", "name": "intune-audit-to-law",
                "properties": {
                    "workspaceId": "/subscriptions/%s/resourceGroups/rg-nw-security/providers/"
                                   "Microsoft.OperationalInsights/workspaces/law-nw-security" % az.SUB,
                    "logs": [{"category": c, "enabled": on}
                             for c, on in (("AuditLogs", True), ("OperationalLogs", True),
                                           ("DeviceComplianceOrg", False), ("Devices", False))]}}]},
    }}
    # beside azure/, not in it (where `vigil collect` writes it): examples/org/azure holds the Resource Graph
    # exports only, which internal/collect/azure's round-trip test serves as Resource Graph's answers
    write_json(os.path.join(out, "entra", "entra-%s.json" % az.TENANT), doc)
    tenant = "/tenants/" + az.TENANT
    users_id = tenant + "/users/"
    plant("azure", "azure-entra-security-defaults-disabled", tenant,
          "security defaults isEnabled false and no Conditional Access policy (the tenant has none)")
    plant("azure", "azure-entra-device-join-without-mfa", tenant,
          "deviceRegistrationPolicy multiFactorAuthConfiguration notRequired, no Conditional Access policy for "
          "registering devices")
    plant("azure", "azure-entra-activity-logs-not-exported", tenant,
          "diagnostic setting signins-to-law-nw-security sends the sign-in logs only: AuditLogs disabled")
    plant("azure", "azure-intune-logs-not-exported", tenant,
          "Intune's diagnostic setting intune-audit-to-law sends the audit and operational logs only: "
          "DeviceComplianceOrg and Devices disabled")
    plant("azure", "azure-entra-graph-activity-logs-not-exported", tenant,
          "no diagnostic setting enables MicrosoftGraphActivityLogs")
    plant("azure", "azure-entra-user-without-mfa", users_id + user_id("sam.ortiz@" + DOMAIN),
          "sam.ortiz (contractor, enabled): isMfaRegistered false")
    plant("azure", "azure-entra-vm-user-without-mfa", users_id + user_id("sam.ortiz@" + DOMAIN),
          "sam.ortiz holds Virtual Machine User Login on rg-nw-network (the jump box) and registered no MFA method; "
          "maria.lopez (Owner of the subscription) has one")
    plant("azure", "azure-disabled-user-has-rbac-role", users_id + user_id("kevin.brandt@" + DOMAIN),
          "kevin.brandt left: accountEnabled false, Contributor on the subscription still assigned")
    return len(users) + 1
