package detect

import (
	"time"

	"github.com/tidwall/gjson"

	"github.com/vigil-sec/vigil/internal/logs"
)

// Per-source paths of the event time and of the identities an allow-list
// can name, in each source's own JSON.
var (
	timePaths = map[logs.Source][]string{
		logs.AWSCloudTrail: {"eventTime"},
		logs.AzureActivity: {"time", "eventTimestamp"},
		logs.AzureSignIn:   {"time", "properties.createdDateTime", "createdDateTime"},
		logs.AzureAudit:    {"time", "properties.activityDateTime", "activityDateTime"},
		logs.GCPAudit:      {"timestamp", "receiveTimestamp"},
		logs.M365Audit:     {"CreationTime"},
	}
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

// EventTime returns the time of a record's event, or the zero time when the
// event carries none that parses.
func EventTime(rec logs.Record) time.Time {
	for _, p := range timePaths[rec.Source] {
		v := gjson.GetBytes(rec.Raw, p)
		if v.Type != gjson.String {
			continue
		}
		if t, err := time.Parse(time.RFC3339Nano, v.Str); err == nil {
			return t.UTC()
		}
		// Microsoft 365 CreationTime carries no zone; it is UTC.
		if t, err := time.ParseInLocation("2006-01-02T15:04:05.999999999", v.Str, time.UTC); err == nil {
			return t
		}
	}
	return time.Time{}
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
