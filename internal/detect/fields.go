package detect

import (
	"time"

	"github.com/tidwall/gjson"

	"github.com/vigil-sec/vigil/internal/logs"
)

// Per-source paths of the identities an allow-list
// can name, in each source's own JSON.
var (
	identityPaths = map[logs.Source][]string{
		logs.AWSCloudTrail: {
			"userIdentity.arn",
			"userIdentity.userName",
			"userIdentity.invokedBy",
			"userIdentity.sessionContext.sessionIssuer.arn",
			"userIdentity.sessionContext.sessionIssuer.userName",
		},
		logs.AzureActivity: {"caller", "identity.claims.appid", "properties.caller"},
		logs.AzureSignIn:   {"properties.userPrincipalName", "properties.appId", "userPrincipalName", "appId"},
		logs.AzureAudit: {
			"properties.initiatedBy.user.userPrincipalName",
			"properties.initiatedBy.app.displayName",
			"properties.initiatedBy.app.servicePrincipalId",
			"initiatedBy.user.userPrincipalName",
			"initiatedBy.app.displayName",
		},
		logs.GCPAudit: {
			"protoPayload.authenticationInfo.principalEmail",
			"protoPayload.authenticationInfo.principalSubject",
		},
		logs.M365Audit: {"UserId", "UserKey"},
	}
)

// EventTime returns the time of a record's event (logs.EventTime), or the
// zero time when the event carries none that parses (the readers report and
// skip such events, so a record handed out always has one).
func EventTime(rec logs.Record) time.Time {
	t, _ := logs.EventTime(rec)
	return t
}

// Identities returns the principals that performed a record's event (ARN,
// user name, invokedBy service, UPN, app id, principal email), for
// allow-listing automation.
func Identities(rec logs.Record) []string {
	paths := identityPaths[rec.Source]
	res := gjson.GetManyBytes(rec.Raw, paths...)
	out := make([]string, 0, len(res))
	for _, v := range res {
		if v.Type == gjson.String && v.Str != "" {
			out = append(out, v.Str)
		}
	}
	return out
}
