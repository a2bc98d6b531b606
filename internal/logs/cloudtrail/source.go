package cloudtrail

import (
	"bytes"

	"github.com/vigil-sec/vigil/internal/logs/logsource"
)

// Name is the source name of CloudTrail events.
const Name logsource.Source = "aws_cloudtrail"

// Descriptor describes AWS CloudTrail: log files {"Records":[...]}, bare
// events (CloudTrail Lake exports, JSON lines) and EventBridge events whose
// detail is the CloudTrail event.
func Descriptor() logsource.Descriptor {
	return logsource.Descriptor{
		Name:    Name,
		Title:   "AWS CloudTrail",
		Wrapper: "Records",
		// Event history pages (lookup-events), CloudWatch Logs output
		// (filter-log-events, get-log-events) and subscription records:
		// their entries are the shapes below.
		AltWrappers: []string{"Events", "events", "logEvents"},
		Shapes:      []logsource.Shape{LookupEvents(), CloudWatchLogsEvent(), ConsoleCSV()},
		Recognise:   Recognise,
		Normalize:   Normalize,
		Time:        []string{"eventTime"},
		Actor: []string{
			"userIdentity.arn",
			"userIdentity.userName",
			"userIdentity.invokedBy",
			"userIdentity.sessionContext.sessionIssuer.arn",
			"userIdentity.sessionContext.sessionIssuer.userName",
		},
		UserAgent: []string{"userAgent"},
		InvokedBy: []string{"userIdentity.invokedBy"},
		Operation: "eventName",
		// SigmaHQ's CloudTrail rules use the record's own field names.
		Sigma: logsource.Sigma{
			LogSources: []logsource.LogSource{{Product: "aws", Service: "cloudtrail", Coverage: "aws cloudtrail"}},
		},
		LakeView: string(Name),
	}
}

// Recognise knows a CloudTrail event by its eventVersion with an
// eventSource or eventName; S3, SQS and SNS event notifications, which share
// the Records wrapper and eventVersion, have an "aws:s3"-like eventSource
// instead of a service host. An EventBridge event ("detail-type") whose
// detail is a CloudTrail event yields that detail.
func Recognise(p logsource.Probe) ([]byte, bool) {
	if _, ok := p.Member("eventVersion"); ok {
		src, hasSrc := p.Member("eventSource")
		notification := hasSrc && bytes.HasPrefix(src, []byte(`"aws:`))
		if !notification && hasSrc {
			return nil, true
		}
		if _, ok := p.Member("eventName"); ok && !notification {
			return nil, true
		}
	}
	if _, ok := p.Member("detail-type"); !ok {
		return nil, false
	}
	d, ok := p.Member("detail")
	if !ok || len(d) == 0 || d[0] != '{' {
		return nil, false
	}
	var v, s bool
	p.Members(d, func(key, _ []byte) bool {
		switch string(key) {
		case "eventVersion":
			v = true
		case "eventSource", "eventName":
			s = true
		}
		return !(v && s)
	})
	if v && s {
		return d, true
	}
	return nil, false
}
