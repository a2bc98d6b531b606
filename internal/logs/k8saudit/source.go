package k8saudit

import (
	"bytes"

	"github.com/vigil-sec/vigil/internal/logs/logsource"
)

// Name is the source name of Kubernetes audit events.
const Name logsource.Source = "k8s_audit"

// podSpecs are the paths of the pod specs a create or update request
// carries: a Pod's, a workload's template's, a CronJob's job template's.
var podSpecs = []string{
	"requestObject.spec.",
	"requestObject.spec.template.spec.",
	"requestObject.spec.jobTemplate.spec.template.spec.",
}

// specPaths returns the paths of suffix under every pod spec's containers
// (containers, initContainers, ephemeralContainers) when containers is
// true, else under the specs themselves.
func specPaths(suffix string, containers bool) []string {
	var out []string
	for _, s := range podSpecs {
		if !containers {
			out = append(out, s+suffix)
			continue
		}
		for _, c := range []string{"containers.", "initContainers.", "ephemeralContainers."} {
			out = append(out, s+c+suffix)
		}
	}
	return out
}

// allowedCodes are the HTTP statuses of requests the API server carried
// out (informational, success and redirection statuses).
var allowedCodes = []string{"100", "101", "200", "201", "202", "203", "204", "205", "206", "207", "300", "301", "302", "303", "304", "307", "308"}

// Descriptor describes Kubernetes API server audit events.
func Descriptor() logsource.Descriptor {
	return logsource.Descriptor{
		Name:  Name,
		Title: "Kubernetes audit logs (EKS, AKS, API server)",
		// An EventList's items; CloudWatch Logs output and subscription
		// records (EKS), Azure diagnostic records (AKS): their entries
		// are the shapes below.
		AltWrappers: []string{"items", "events", "logEvents", "records"},
		Shapes:      []logsource.Shape{CloudWatchLogsEvent(), AKSRecord(), AKSTableRow()},
		Recognise:   Recognise,
		Normalize:   Normalize,
		Time:        []string{"requestReceivedTimestamp", "stageTimestamp"},
		Actor:       []string{"user.username", "impersonatedUser.username", "user.extra.arn.0"},
		UserAgent:   []string{"userAgent"},
		Operation:   "verb",
		Sigma: logsource.Sigma{
			LogSources: []logsource.LogSource{{Product: "kubernetes", Service: "audit", Coverage: "kubernetes audit"}},
			// Rule fields are the Event's own names. SigmaHQ's
			// kubernetes rules also name what the pod spec holds by a
			// short name (a Falco/Aurora-style pipeline's fields): the
			// added capabilities and the host paths mounted, wherever
			// the pod spec is.
			Fields: map[string][]string{
				"capabilities": specPaths("securityContext.capabilities.add", true),
				"hostpath":     specPaths("volumes.hostPath.path", false),
				"privileged":   specPaths("securityContext.privileged", true),
				"hostnetwork":  specPaths("hostNetwork", false),
				"hostpid":      specPaths("hostPID", false),
				"hostipc":      specPaths("hostIPC", false),
				"image":        specPaths("image", true),
			},
			// SigmaHQ's kubernetes enumeration rules ask for
			// responseStatus.code 'ALLOW' (the authorizer's decision, in
			// the pipeline they were written for); the Event records the
			// HTTP status: a request the authorizer allowed is answered
			// with a status below 400 (refused ones with 401 or 403).
			Values: map[string]map[string][]string{
				"responsestatus.code": {"allow": allowedCodes},
			},
		},
		LakeView: string(Name),
	}
}

// Recognise knows an audit Event by its auditID with a verb and a stage
// or request URI (kind and apiVersion, "Event" and audit.k8s.io/v1, are
// not required: some exports drop them). A core/v1 Event (a cluster's
// event stream) has none of these.
func Recognise(p logsource.Probe) ([]byte, bool) {
	id, ok := p.Member("auditID")
	if !ok || len(id) < 2 || id[0] != '"' {
		return nil, false
	}
	if v, ok := p.Member("verb"); !ok || len(v) < 2 || v[0] != '"' {
		return nil, false
	}
	if _, ok := p.Member("stage"); ok {
		return nil, true
	}
	_, ok = p.Member("requestURI")
	return nil, ok
}

// isAuditText reports whether an escaped JSON string (a message or log
// member's raw value) holds an audit Event's text.
func isAuditText(v []byte) bool {
	return len(v) > 2 && v[0] == '"' && bytes.Contains(v, []byte(`\"auditID\"`)) && bytes.Contains(v, []byte(`\"verb\"`))
}
