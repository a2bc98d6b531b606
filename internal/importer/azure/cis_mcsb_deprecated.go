package azure

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// TypePolicySetDefinition is a policy initiative's definition: a
// PolicyResources row (microsoft.authorization/policysetdefinitions) or
// `az policy set-definition show --name 1f3afdf9-d0c9-4c3d-847f-89da613e70a8`.
// The MCSB's tells which of its parameters belong to policies the
// initiative has deprecated (parameters.<name>.metadata.deprecated), and
// which parameter sets each policy reference's effect
// (policyDefinitions[].parameters.effect.value "[parameters('<name>')]").
const TypePolicySetDefinition = "Microsoft.Authorization/policySetDefinitions"

func init() {
	noFactTypes(TypePolicySetDefinition)
}

// mcsbDeprecatedBuiltin are the MCSB initiative's parameters whose
// metadata says deprecated (built-in policy set definition
// 1f3afdf9-d0c9-4c3d-847f-89da613e70a8, version 57.30.0), lower-case: CIS
// Azure 6.0 8.1.11 asks that the non-deprecated policies are not Disabled,
// and a deprecated policy is often Disabled by default. Used when the
// input holds no definition of the initiative (which then decides).
var mcsbDeprecatedBuiltin = lowerSet(
	"useServicePrincipalToProtectSubscriptionsMonitoringEffect", "updateOsVersionMonitoringEffect",
	"resolveLogAnalyticsHealthIssuesMonitoringEffect", "networkSecurityGroupsMonitoringEffect",
	"webApplicationFirewallMonitoringEffect", "vulnerabilityAssesmentMonitoringEffect", "storageEncryptionMonitoringEffect",
	"sqlAuditingMonitoringEffect", "sqlEncryptionMonitoringEffect", "sqlServerAuditingActionsAndGroupsMonitoringEffect",
	"SqlServerAuditingRetentionDaysMonitoringEffect", "diagnosticsLogsInAppServiceMonitoringEffect",
	"diagnosticsLogsInSelectiveAppServicesMonitoringEffect", "metricAlertsInBatchAccountMonitoringEffect",
	"namespaceAuthorizationRulesInServiceBusMonitoringEffect", "diagnosticsLogsInServiceFabricMonitoringEffect",
	"accessRulesInEventHubNamespaceMonitoringEffect", "accessRulesInEventHubMonitoringEffect",
	"sqlDbDataClassificationMonitoringEffect", "identityEnableMFAForAccountsWithOwnerPermissionsMonitoringEffect",
	"identityEnableMFAForAccountsWithWritePermissionsMonitoringEffect",
	"identityEnableMFAForAccountsWithReadPermissionsMonitoringEffect",
	"identityRemoveBlockedAccountsWithOwnerPermissionsMonitoringEffect",
	"identityRemoveBlockedAccountsWithReadWritePermissionsMonitoringEffect",
	"identityRemoveGuestAccountsWithOwnerPermissionsMonitoringEffect",
	"identityRemoveGuestAccountsWithWritePermissionsMonitoringEffect",
	"identityRemoveGuestAccountsWithReadPermissionsMonitoringEffect", "apiAppConfigureIPRestrictionsMonitoringEffect",
	"functionAppConfigureIPRestrictionsMonitoringEffect", "webAppConfigureIPRestrictionsMonitoringEffect",
	"apiAppDisableRemoteDebuggingMonitoringEffect", "apiAppAuditFtpsMonitoringEffect", "functionAppAuditFtpsMonitoringEffect",
	"webAppAuditFtpsMonitoringEffect", "apiAppUseManagedIdentityMonitoringEffect", "functionAppUseManagedIdentityMonitoringEffect",
	"webAppUseManagedIdentityMonitoringEffect", "apiAppRequireLatestTlsMonitoringEffect",
	"functionAppRequireLatestTlsMonitoringEffect", "webAppRequireLatestTlsMonitoringEffect",
	"apiAppDisableWebSocketsMonitoringEffect", "functionAppDisableWebSocketsMonitoringEffect",
	"webAppDisableWebSocketsMonitoringEffect", "apiAppEnforceHttpsMonitoringEffect", "functionAppEnforceHttpsMonitoringEffect",
	"webAppEnforceHttpsMonitoringEffect", "apiAppEnforceHttpsMonitoringEffectV2", "apiAppRestrictCORSAccessMonitoringEffect",
	"apiAppUsedCustomDomainsMonitoringEffect", "functionAppUsedCustomDomainsMonitoringEffect",
	"webAppUsedCustomDomainsMonitoringEffect", "apiAppUsedLatestDotNetMonitoringEffect", "webAppUsedLatestDotNetMonitoringEffect",
	"apiAppUsedLatestJavaMonitoringEffect", "webAppUsedLatestJavaMonitoringEffect", "webAppUsedLatestNodeJsMonitoringEffect",
	"apiAppUsedLatestPHPMonitoringEffect", "webAppUsedLatestPHPMonitoringEffect", "apiAppUsedLatestPythonMonitoringEffect",
	"webAppUsedLatestPythonMonitoringEffect", "sqlServerAdvancedDataSecurityEmailsMonitoringEffect",
	"sqlManagedInstanceAdvancedDataSecurityEmailsMonitoringEffect", "sqlServerAdvancedDataSecurityEmailAdminsMonitoringEffect",
	"sqlManagedInstanceAdvancedDataSecurityEmailAdminsMonitoringEffect", "kubernetesServicePspEnabledMonitoringEffect",
	"kubernetesServiceVersionUpToDateMonitoringEffect", "threatDetectionTypesOnManagedInstanceMonitoringEffect",
	"threatDetectionTypesOnServerMonitoringEffect", "restrictAccessToAppServicesMonitoringEffect",
	"ensureServerTDEIsEncryptedWithYourOwnKeyMonitoringEffect", "ensureManagedInstanceTDEIsEncryptedWithYourOwnKeyMonitoringEffect",
	"storageAccountsAdvancedDataSecurityMonitoringEffect", "containerRegistryAdvancedThreatProtectionMonitoringEffect",
	"kubernetesServiceAdvancedThreatProtectionMonitoringEffect", "allowedContainerPortsInKubernetesClusterEffect",
	"BlockVulnerableImagesInKubernetesClusterEffect",
	"ensureWEBAppHasClientCertificatesIncomingClientCertificatesSetToOnMonitoringEffect",
	"latestTLSVersionShouldBeUsedInYourAPIAppMonitoringEffect", "managedIdentityShouldBeUsedInYourAPIAppMonitoringEffect",
	"ensureThatPHPVersionIsTheLatestIfUsedAsAPartOfTheApiAppMonitoringEffect",
	"ensureThatPHPVersionIsTheLatestIfUsedAsAPartOfTheWEBAppMonitoringEffect",
	"ensureThatJavaVersionIsTheLatestIfUsedAsAPartOfTheWebAppMonitoringEffect",
	"ensureThatJavaVersionIsTheLatestIfUsedAsAPartOfTheFunctionAppMonitoringEffect",
	"ensureThatJavaVersionIsTheLatestIfUsedAsAPartOfTheApiAppMonitoringEffect",
	"ensureThatPythonVersionIsTheLatestIfUsedAsAPartOfTheWebAppMonitoringEffect",
	"ensureThatPythonVersionIsTheLatestIfUsedAsAPartOfTheFunctionAppMonitoringEffect",
	"ensureThatPythonVersionIsTheLatestIfUsedAsAPartOfTheApiAppMonitoringEffect",
	"fTPSOnlyShouldBeRequiredInYourAPIAppMonitoringEffect", "azureCacheForRedisShouldResideWithinAVirtualNetworkMonitoringEffect",
	"ensureAPIAppHasClientCertificatesIncomingClientCertificatesSetToOnMonitoringEffect",
	"cognitiveServicesAccountsShouldUseCustomerOwnedStorageOrEnableDataEncryptionMonitoringEffect",
	"cognitiveServicesAccountsShouldEnableDataEncryptionMonitoringEffect", "AzureDefenderForDNSShouldBeEnabledMonitoringEffect",
)

func lowerSet(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[strings.ToLower(n)] = true
	}
	return m
}

// mcsbDeprecation tells the MCSB's deprecated parameters and policy
// references: from the initiative's definition when the input holds it,
// else from mcsbDeprecatedBuiltin (a reference then by its usual name, the
// parameter's less "Effect").
type mcsbDeprecation struct {
	params map[string]bool // lower-case parameter names
	refs   map[string]bool // lower-case policyDefinitionReferenceIds whose effect a deprecated parameter sets
}

// readMCSBDefinition reads the MCSB initiative's definition row; ok false
// when a field of it could not be read (the built-in list then stands).
func readMCSBDefinition(p node) (d mcsbDeprecation, ok bool) {
	d = mcsbDeprecation{params: map[string]bool{}, refs: map[string]bool{}}
	params, _ := p.Obj("parameters")
	for name := range params.Map() {
		if dep, _ := params.Boolean(name, "metadata", "deprecated"); dep != nil && *dep {
			d.params[strings.ToLower(name)] = true
		}
	}
	defs, _ := p.Objs("policyDefinitions")
	for _, ref := range defs {
		id := ref.S("policyDefinitionReferenceId")
		v := ref.S("parameters", "effect", "value")
		if id == "" || !strings.HasPrefix(v, "[parameters('") || !strings.HasSuffix(v, "')]") {
			continue
		}
		if d.params[strings.ToLower(v[len("[parameters('"):len(v)-len("')]")])] {
			d.refs[strings.ToLower(id)] = true
		}
	}
	return d, len(d.params) > 0
}

// deprecatedParam says whether an assignment parameter is the effect of a
// deprecated policy of the MCSB.
func (d *mcsbDeprecation) deprecatedParam(name string) bool {
	if d.params == nil {
		return mcsbDeprecatedBuiltin[strings.ToLower(name)]
	}
	return d.params[strings.ToLower(name)]
}

// deprecatedRef says whether a policyDefinitionReferenceId of the MCSB is
// a deprecated policy's.
func (d *mcsbDeprecation) deprecatedRef(id string) bool {
	if d.refs == nil {
		return mcsbDeprecatedBuiltin[strings.ToLower(id)+"effect"]
	}
	return d.refs[strings.ToLower(id)]
}

// isMCSBDefinition tells the MCSB initiative's own definition row.
func isMCSBDefinition(r *resource.Resource) bool {
	return r.Type == TypePolicySetDefinition && strings.HasSuffix(strings.ToLower(r.ID), "/policysetdefinitions/"+mcsbSetGUID)
}
