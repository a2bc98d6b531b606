package detect

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// failedVariant returns ev as the same call refused, the way each source
// records a failure (CloudTrail errorCode, GCP status.code, Azure resultType,
// Entra audit result, Entra sign-in error code, M365 ResultStatus), or ""
// when ev is already a failure or its source has no failure form here.
func failedVariant(ev string) string {
	switch {
	case strings.Contains(ev, `"auditID":`) && !strings.Contains(ev, `"protoPayload":`):
		// Kubernetes audit Events: the response's HTTP status.
		if regexp.MustCompile(`"responseStatus":\{[^}]*"code":[45]\d\d`).MatchString(ev) {
			return ""
		}
		return regexp.MustCompile(`"responseStatus":\{"metadata":\{\},"code":\d+\}`).ReplaceAllString(ev,
			`"responseStatus":{"metadata":{},"status":"Failure","message":"forbidden","reason":"Forbidden","code":403}`)
	case strings.Contains(ev, `\"auditID\":`):
		// A Kubernetes audit Event inside an EKS or AKS delivery (the
		// Event's JSON text in a string).
		if regexp.MustCompile(`\\"responseStatus\\":\{[^}]*\\"code\\":[45]\d\d`).MatchString(ev) {
			return ""
		}
		return regexp.MustCompile(`\\"responseStatus\\":\{\\"metadata\\":\{\},\\"code\\":\d+\}`).ReplaceAllString(ev,
			`\"responseStatus\":{\"metadata\":{},\"status\":\"Failure\",\"reason\":\"Forbidden\",\"code\":403}`)
	case strings.Contains(ev, `"eventSource":`):
		if strings.Contains(ev, `"errorCode":`) || strings.Contains(ev, `"ConsoleLogin":"Failure"`) {
			return ""
		}
		if strings.Contains(ev, `"ConsoleLogin":"Success"`) {
			ev = strings.Replace(ev, `"ConsoleLogin":"Success"`, `"ConsoleLogin":"Failure"`, 1)
			return strings.Replace(ev, "{", `{"errorMessage":"Failed authentication",`, 1)
		}
		return strings.Replace(ev, "{", `{"errorCode":"AccessDenied","errorMessage":"User is not authorized to perform this operation",`, 1)
	case strings.Contains(ev, `"protoPayload":`):
		if strings.Contains(ev, `"status":{}`) {
			return gcpFailed(ev)
		}
		if strings.Contains(ev, `"status":{"code"`) {
			return ""
		}
		return strings.Replace(ev, `"protoPayload":{`, `"protoPayload":{"status":{"code":7,"message":"PERMISSION_DENIED"},`, 1)
	case strings.Contains(ev, `"SQLSecurityAuditEvents"`):
		// Azure SQL auditing: "succeeded" is the permission check's (or
		// the login's) outcome.
		if strings.Contains(ev, `"succeeded":"false"`) || strings.Contains(ev, `"Succeeded":false`) {
			return ""
		}
		ev = strings.Replace(ev, `"succeeded":"true"`, `"succeeded":"false"`, 1)
		return strings.Replace(ev, `"Succeeded":true`, `"Succeeded":false`, 1)
	case strings.Contains(ev, `"category":"SignInLogs"`) || strings.Contains(ev, `"category":"NonInteractiveUserSignInLogs"`):
		if !strings.Contains(ev, `"resultType":"0"`) {
			return ""
		}
		ev = strings.Replace(ev, `"resultType":"0"`, `"resultType":"50126"`, 1)
		return strings.Replace(ev, `"errorCode":0`, `"errorCode":50126`, 1)
	case strings.Contains(ev, `"category":"AuditLogs"`):
		if !strings.Contains(ev, `"result":"success"`) {
			return ""
		}
		return strings.Replace(ev, `"result":"success"`, `"result":"failure"`, 1)
	case strings.Contains(ev, `"category":"AuditEvent"`) || strings.Contains(ev, `"Category":"AuditEvent"`):
		// Key Vault writes resultType Success on requests it refused: the
		// HTTP status and resultSignature say Forbidden.
		ev = regexp.MustCompile(`"(httpStatusCode|HttpStatusCode|httpStatusCode_d)":200\b`).ReplaceAllString(ev, `"${1}":403`)
		return regexp.MustCompile(`"([rR])esultSignature":"OK"`).ReplaceAllString(ev, `"${1}esultSignature":"Forbidden"`)
	case strings.Contains(ev, `"statusText":"`) || strings.Contains(ev, `"StatusText":"`):
		// Azure Storage resource logs: refused requests carry an error
		// status text and HTTP status.
		ev = regexp.MustCompile(`"([sS])tatusText":"[A-Za-z]*"`).ReplaceAllString(ev, `"${1}tatusText":"AuthorizationFailure"`)
		return regexp.MustCompile(`"([sS])tatusCode":"?2\d\d"?`).ReplaceAllString(ev, `"${1}tatusCode":403`)
	case strings.Contains(ev, `"ResultType":"`) && !strings.Contains(ev, `"resultType":"`):
		// Log Analytics rows (AZKVAuditLogs, AzureDiagnostics).
		return regexp.MustCompile(`"ResultType":"[A-Za-z]+"`).ReplaceAllString(ev, `"ResultType":"Failure"`)
	case strings.Contains(ev, `"resultType":"`):
		return regexp.MustCompile(`"resultType":"[A-Za-z]+"`).ReplaceAllString(ev, `"resultType":"Failure"`)
	case strings.Contains(ev, `"ResultStatus":"`):
		if strings.Contains(ev, `"ResultStatus":"Failed"`) {
			return ""
		}
		return regexp.MustCompile(`"ResultStatus":"[A-Za-z]+"`).ReplaceAllString(ev, `"ResultStatus":"Failed"`)
	}
	return ""
}

// aboutFailures are the built-ins whose subject is failed attempts (brute
// force, spraying, enumeration, refused calls): issue 7 lets them rate a
// failure above low.
var aboutFailures = regexp.MustCompile(`(?i)failed|denied|brute|spray|fatigue|enumeration|refused|not answered`)

// TestFailedAttemptsAtMostLow: the matching event of every built-in's test
// case, turned into the same call failed, raises no alert above low from
// any built-in (no tuning), except from rules about failures.
func TestFailedAttemptsAtMostLow(t *testing.T) {
	var evs []string
	for _, c := range broadCases() {
		evs = append(evs, c.match)
	}
	for _, c := range coverageCases() {
		evs = append(evs, c.match)
	}
	for _, c := range packCases() {
		evs = append(evs, c.attack...)
	}
	for _, c := range olderCases() {
		evs = append(evs, c.attack...)
	}
	checked := 0
	for i, ev := range evs {
		f := failedVariant(ev)
		if f == "" {
			continue
		}
		checked++
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			for _, a := range runWithTuning(t, NoTuning(), []string{f}) {
				if a.Level > LevelLow && !aboutFailures.MatchString(a.Rule.Title) {
					t.Errorf("%q raised at %v on a failed call: %s", a.Rule.Title, a.Level, f)
				}
			}
		})
	}
	if checked < 200 {
		t.Errorf("%d failed variants checked, want at least 200", checked)
	}
	t.Logf("%d failed variants of %d matching events", checked, len(evs))
}
