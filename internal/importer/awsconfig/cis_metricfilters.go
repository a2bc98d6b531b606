package awsconfig

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// CIS AWS 7.0 section 5 (monitoring): a metric filter on the CloudWatch
// Logs log group a multi-region trail sends to, matching the change, with
// an alarm on its metric. AWS Config records neither the filters nor the
// trails' log delivery in full, so they are read from the CLI, one file
// per region (the outputs do not name it: the file's path does):
//
//	aws logs describe-metric-filters    {"metricFilters":[{"filterName":..,"filterPattern":..,"logGroupName":..,
//	                                      "metricTransformations":[{"metricName":..,"metricNamespace":..,"metricValue":..}]}],
//	                                      "nextToken":..}   logs-describe-metric-filters.<region>.json
//	aws cloudwatch describe-alarms       {"MetricAlarms":[{"AlarmName":..,"MetricName":..,"Namespace":..,
//	                                      "ActionsEnabled":..,"AlarmActions":[..],"Metrics":[..]}],"CompositeAlarms":[..],
//	                                      "NextToken":..}   cloudwatch-describe-alarms.<region>.json
//
// AWS::CloudWatch::Alarm configuration items (the same fields, first
// letter in either case) count as alarms of their region too. Each file is
// one resource (types TypeMetricFilterList and TypeAlarmList, class other)
// whose Raw keeps what accountMetricAlarms reads; a listing with a next
// page token, or with an entry that does not read, is partial: what it
// lacks is unknown, not absent.

// Formats and types of the two listings.
const (
	FormatMetricFilters  = "aws-logs-metric-filters"
	FormatAlarms         = "aws-cloudwatch-alarms"
	TypeMetricFilterList = "AWS::Logs::MetricFilterList"
	TypeAlarmList        = "AWS::CloudWatch::AlarmList"
	TypeAlarm            = "AWS::CloudWatch::Alarm"
)

// detectCISCLI tells the CLI outputs read for CIS account facts
// (metric filters, alarms, virtual MFA devices) apart from other documents.
func detectCISCLI(d attr.M) string {
	switch {
	case isMetricFilters(d):
		return FormatMetricFilters
	case isAlarms(d):
		return FormatAlarms
	case isVirtualMFA(d):
		return FormatVirtualMFA
	case isSAMLProviders(d):
		return FormatSAMLProviders
	case isServerCertificates(d):
		return FormatServerCertificates
	case isVPCEndpoints(d):
		return FormatVPCEndpoints
	}
	return ""
}

// parseCISCLI reads one of the outputs detectCISCLI tells.
func parseCISCLI(res *attr.Result, path string, d attr.M) {
	switch detectCISCLI(d) {
	case FormatMetricFilters:
		parseMetricFilters(res, path, d)
	case FormatAlarms:
		parseAlarms(res, path, d)
	case FormatVirtualMFA:
		parseVirtualMFA(res, path, d)
	case FormatSAMLProviders:
		parseSAMLProviders(res, path, d)
	case FormatServerCertificates:
		parseServerCertificates(res, path, d) // cis_listings.go
	case FormatVPCEndpoints:
		parseVPCEndpoints(res, path, d)
	}
}

func isMetricFilters(d attr.M) bool {
	return attr.Has(d, "metricFilters") && onlyKeys(d, "metricFilters", "nextToken", "ResponseMetadata")
}

func isAlarms(d attr.M) bool {
	return attr.Has(d, "MetricAlarms") && onlyKeys(d, "MetricAlarms", "CompositeAlarms", "NextToken", "ResponseMetadata")
}

// metricChanges are the changes of CIS AWS 7.0 5.1-5.15, each with the
// terms its filter pattern must hold: "field=value" or "field!=value"
// comparisons of the normalized pattern (see patternTerms), or, for a
// term without a comparison, a text the pattern must contain.
var metricChanges = []struct {
	set   func(*resource.MetricFilterAlarms, *bool)
	terms []string
}{
	{func(m *resource.MetricFilterAlarms, b *bool) { m.UnauthorizedAPICalls = b },
		[]string{"errorcode=*unauthorizedoperation", "errorcode=accessdenied*"}},
	{func(m *resource.MetricFilterAlarms, b *bool) { m.ConsoleSignInWithoutMFA = b },
		[]string{"eventname=consolelogin", "additionaleventdata.mfaused!=yes"}},
	{func(m *resource.MetricFilterAlarms, b *bool) { m.RootUsage = b },
		[]string{"useridentity.type=root", "useridentity.invokedbynotexists", "eventtype!=awsserviceevent"}},
	{func(m *resource.MetricFilterAlarms, b *bool) { m.IAMPolicyChanges = b },
		events("DeleteGroupPolicy", "DeleteRolePolicy", "DeleteUserPolicy", "PutGroupPolicy", "PutRolePolicy", "PutUserPolicy",
			"CreatePolicy", "DeletePolicy", "CreatePolicyVersion", "DeletePolicyVersion", "AttachRolePolicy", "DetachRolePolicy",
			"AttachUserPolicy", "DetachUserPolicy", "AttachGroupPolicy", "DetachGroupPolicy")},
	{func(m *resource.MetricFilterAlarms, b *bool) { m.CloudTrailChanges = b },
		events("CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging")},
	{func(m *resource.MetricFilterAlarms, b *bool) { m.ConsoleAuthFailures = b },
		[]string{"eventname=consolelogin", "errormessage=failedauthentication"}},
	{func(m *resource.MetricFilterAlarms, b *bool) { m.CMKDisableOrDeletion = b },
		append([]string{"eventsource=kms.amazonaws.com"}, events("DisableKey", "ScheduleKeyDeletion")...)},
	{func(m *resource.MetricFilterAlarms, b *bool) { m.S3BucketPolicyChanges = b },
		append([]string{"eventsource=s3.amazonaws.com"}, events("PutBucketAcl", "PutBucketPolicy", "PutBucketCors",
			"PutBucketLifecycle", "PutBucketReplication", "DeleteBucketPolicy", "DeleteBucketCors", "DeleteBucketLifecycle",
			"DeleteBucketReplication")...)},
	{func(m *resource.MetricFilterAlarms, b *bool) { m.ConfigChanges = b },
		append([]string{"eventsource=config.amazonaws.com"}, events("StopConfigurationRecorder", "DeleteDeliveryChannel",
			"PutDeliveryChannel", "PutConfigurationRecorder")...)},
	{func(m *resource.MetricFilterAlarms, b *bool) { m.SecurityGroupChanges = b },
		events("AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress",
			"RevokeSecurityGroupEgress", "CreateSecurityGroup", "DeleteSecurityGroup")},
	{func(m *resource.MetricFilterAlarms, b *bool) { m.NACLChanges = b },
		events("CreateNetworkAcl", "CreateNetworkAclEntry", "DeleteNetworkAcl", "DeleteNetworkAclEntry",
			"ReplaceNetworkAclEntry", "ReplaceNetworkAclAssociation")},
	{func(m *resource.MetricFilterAlarms, b *bool) { m.NetworkGatewayChanges = b },
		events("CreateCustomerGateway", "DeleteCustomerGateway", "AttachInternetGateway", "CreateInternetGateway",
			"DeleteInternetGateway", "DetachInternetGateway")},
	{func(m *resource.MetricFilterAlarms, b *bool) { m.RouteTableChanges = b },
		append([]string{"eventsource=ec2.amazonaws.com"}, events("CreateRoute", "CreateRouteTable", "ReplaceRoute",
			"ReplaceRouteTableAssociation", "DeleteRouteTable", "DeleteRoute", "DisassociateRouteTable")...)},
	{func(m *resource.MetricFilterAlarms, b *bool) { m.VPCChanges = b },
		events("CreateVpc", "DeleteVpc", "ModifyVpcAttribute", "AcceptVpcPeeringConnection", "CreateVpcPeeringConnection",
			"DeleteVpcPeeringConnection", "RejectVpcPeeringConnection", "AttachClassicLinkVpc", "DetachClassicLinkVpc",
			"DisableVpcClassicLink", "EnableVpcClassicLink")},
	{func(m *resource.MetricFilterAlarms, b *bool) { m.OrganizationsChanges = b },
		append([]string{"eventsource=organizations.amazonaws.com"}, events("AcceptHandshake", "AttachPolicy", "CreateAccount",
			"CreateOrganizationalUnit", "CreatePolicy", "DeclineHandshake", "DeleteOrganization", "DeleteOrganizationalUnit",
			"DeletePolicy", "DetachPolicy", "DisablePolicyType", "EnablePolicyType", "InviteAccountToOrganization",
			"LeaveOrganization", "MoveAccount", "RemoveAccountFromOrganization", "UpdatePolicy", "UpdateOrganizationalUnit")...)},
}

func events(names ...string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "eventname=" + strings.ToLower(n)
	}
	return out
}

// patternTerm is one comparison of a normalized filter pattern:
// $.field=value or $.field!=value.
var patternTerm = regexp.MustCompile(`\$\.([a-z0-9_.]+)(!=|=)([a-z0-9_.:*-]+)`)

// patternTerms normalizes a filter pattern (lowercase, without spaces and
// quotes) and returns it with the set of its comparisons.
func patternTerms(p string) (string, map[string]bool) {
	norm := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\n', '\r', '"', '\'':
			return -1
		}
		return r
	}, strings.ToLower(p))
	terms := map[string]bool{}
	for _, m := range patternTerm.FindAllStringSubmatch(norm, -1) {
		terms[m[1]+m[2]+m[3]] = true
	}
	return norm, terms
}

// matchesTerms reports whether a pattern holds every term.
func matchesTerms(norm string, terms map[string]bool, want []string) bool {
	for _, w := range want {
		if strings.ContainsAny(w, "=") {
			if !terms[w] {
				return false
			}
		} else if !strings.Contains(norm, w) {
			return false
		}
	}
	return true
}

// listResource makes the resource of one region's listing.
func listResource(res *attr.Result, path, typ, what string, raw attr.M) {
	region := regionInPath(path)
	if region == "" {
		res.Problems = append(res.Problems, attr.Problem{Path: path,
			Err: what + ": name the file after its region (<name>.<region>.json): the output does not say it"})
		return
	}
	r := &resource.Resource{Provider: resource.AWS, Account: accountOfPath(path), Region: region,
		Type: typ, ID: typ + ":" + region + "#" + path, Name: strings.ReplaceAll(strings.ToLower(what), " ", "-") + "-" + region,
		Source: path, Class: resource.ClassOther, Raw: raw}
	res.Resources = append(res.Resources, r)
	res.AddUnsupported(r) // read for the account's CIS facts, judged by no rule
}

// accountListing adds the resource of one account's global listing (read
// from path), read for the account's CIS facts and judged by no rule.
func accountListing(res *attr.Result, path, acct, typ, name string, raw attr.M) {
	r := &resource.Resource{Provider: resource.AWS, Account: acct, Region: "global", Type: typ,
		ID: typ + "#" + path, Name: name, Source: path, Class: resource.ClassOther, Raw: raw}
	res.Resources = append(res.Resources, r)
	res.AddUnsupported(r) // read for the account's CIS facts, judged by no rule
}

// parseMetricFilters reads one region's describe-metric-filters output.
func parseMetricFilters(res *attr.Result, path string, d attr.M) {
	list, isArr := d["metricFilters"].([]any)
	if !isArr {
		res.Problems = append(res.Problems, attr.Problem{Path: path, Field: "metricFilters",
			Err: fmt.Sprintf("metricFilters is %s, not a list: the region's metric filters are unknown", withArticle(attr.Kind(d["metricFilters"])))})
		return
	}
	complete := attr.Str(d, "nextToken") == ""
	var filters []any
	for i, v := range list {
		f := attr.AsObj(v)
		group, pat := attr.Str(f, "logGroupName"), attr.Str(f, "filterPattern")
		var metrics []any
		for _, t := range attr.Arr(f, "metricTransformations") {
			if n := attr.Str(attr.AsObj(t), "metricName"); n != "" {
				metrics = append(metrics, attr.M{"name": n, "namespace": attr.Str(attr.AsObj(t), "metricNamespace")})
			}
		}
		if f == nil || group == "" || len(metrics) == 0 {
			complete = false
			res.Problems = append(res.Problems, attr.Problem{Path: path, Field: fmt.Sprintf("metricFilters[%d]", i),
				Err: fmt.Sprintf("metricFilters[%d] has no logGroupName or metric transformation: left out, the region's filters are unknown where it could decide", i)})
			continue
		}
		filters = append(filters, attr.M{"logGroup": group, "pattern": pat, "metrics": metrics})
	}
	listResource(res, path, TypeMetricFilterList, "Metric filters", attr.M{"filters": filters, "Complete": complete})
}

// parseAlarms reads one region's describe-alarms output.
func parseAlarms(res *attr.Result, path string, d attr.M) {
	list, isArr := d["MetricAlarms"].([]any)
	if !isArr {
		res.Problems = append(res.Problems, attr.Problem{Path: path, Field: "MetricAlarms",
			Err: fmt.Sprintf("MetricAlarms is %s, not a list: the region's alarms are unknown", withArticle(attr.Kind(d["MetricAlarms"])))})
		return
	}
	var alarms []any
	complete := attr.Str(d, "NextToken") == ""
	for i, v := range list {
		a := attr.AsObj(v)
		if a == nil {
			complete = false
			res.Problems = append(res.Problems, attr.Problem{Path: path, Field: fmt.Sprintf("MetricAlarms[%d]", i),
				Err: fmt.Sprintf("MetricAlarms[%d] is %s, not an alarm", i, withArticle(attr.Kind(v)))})
			continue
		}
		alarms = append(alarms, alarmWatch(a)...)
	}
	listResource(res, path, TypeAlarmList, "Alarms", attr.M{"alarms": alarms, "Complete": complete})
}

// alarmField reads an alarm field named as describe-alarms names it
// (AlarmActions) or with a lower-case first letter (alarmActions).
func alarmField(a attr.M, name string) any {
	if v, ok := attr.Get(a, name); ok {
		return v
	}
	v, _ := attr.Get(a, strings.ToLower(name[:1])+name[1:])
	return v
}

// alarmWatch lists the metrics an alarm with an enabled action watches
// ({"name","namespace"}): its metric, or the metrics of its metric math.
func alarmWatch(a attr.M) []any {
	if b := attr.AsBool(alarmField(a, "ActionsEnabled")); b != nil && !*b {
		return nil
	}
	if len(attr.AsArr(alarmField(a, "AlarmActions"))) == 0 {
		return nil
	}
	str := func(m attr.M, k string) string { s, _ := alarmField(m, k).(string); return s }
	var out []any
	if n := str(a, "MetricName"); n != "" {
		out = append(out, attr.M{"name": n, "namespace": str(a, "Namespace")})
	}
	for _, q := range attr.AsArr(alarmField(a, "Metrics")) {
		m := attr.AsObj(alarmField(attr.AsObj(alarmField(attr.AsObj(q), "MetricStat")), "Metric"))
		if n := str(m, "MetricName"); n != "" {
			out = append(out, attr.M{"name": n, "namespace": str(m, "Namespace")})
		}
	}
	return out
}

// accountMetricAlarms computes, per account with trails, the CIS AWS 5.x
// facts (setting them through get).
func accountMetricAlarms(byType map[string][]*resource.Resource, get func(string) *resource.AccountCIS) {
	type place struct{ acct, region string }
	type group struct {
		place
		name string
	}
	type metric struct {
		place
		name, namespace string
	}
	// The log groups of the trails logging every region: sure (multi-region
	// known), or maybe (multi-region unknown). A trail known stopped does
	// not count.
	trails := map[string]bool{}
	sure, maybe := map[string][]group{}, map[string][]group{}
	for _, t := range byType["AWS::CloudTrail::Trail"] {
		a := t.Facts.AuditLog
		if t.Account == "" || a == nil {
			continue
		}
		trails[t.Account] = true
		if (a.MultiRegion != nil && !*a.MultiRegion) || (a.Enabled != nil && !*a.Enabled) {
			continue
		}
		arn := attr.Str(attr.Obj(t.Raw, "configuration"), "cloudWatchLogsLogGroupArn")
		parts := strings.Split(arn, ":")
		if len(parts) < 7 || parts[2] != "logs" || parts[5] != "log-group" || parts[6] == "" {
			continue
		}
		g := group{place{t.Account, parts[3]}, parts[6]}
		if a.MultiRegion != nil {
			sure[t.Account] = append(sure[t.Account], g)
		} else {
			maybe[t.Account] = append(maybe[t.Account], g)
		}
	}
	// metricOf reads a {"name","namespace"} metric of place p.
	metricOf := func(p place, v any) metric {
		m := attr.AsObj(v)
		return metric{p, attr.Str(m, "name"), attr.Str(m, "namespace")}
	}
	// Filters by log group, the regions whose filters were read whole.
	type filter struct {
		norm    string
		terms   map[string]bool
		metrics []metric
	}
	// listed returns a listing's place, marked in read when it is whole.
	listed := func(l *resource.Resource, read map[place]bool) place {
		p := place{l.Account, l.Region}
		if attr.Any(attr.Bool(l.Raw, "Complete")) {
			read[p] = true
		}
		return p
	}
	filters := map[group][]filter{}
	filtersRead := map[place]bool{}
	for _, l := range byType[TypeMetricFilterList] {
		p := listed(l, filtersRead)
		for _, v := range attr.Arr(l.Raw, "filters") {
			f := attr.AsObj(v)
			norm, terms := patternTerms(attr.Str(f, "pattern"))
			fl := filter{norm: norm, terms: terms}
			for _, m := range attr.Arr(f, "metrics") {
				fl.metrics = append(fl.metrics, metricOf(p, m))
			}
			g := group{p, attr.Str(f, "logGroup")}
			filters[g] = append(filters[g], fl)
		}
	}
	// Watched metrics, the regions whose alarms were read whole.
	watched := map[metric]bool{}
	alarmsRead := map[place]bool{}
	for _, l := range byType[TypeAlarmList] {
		p := listed(l, alarmsRead)
		for _, v := range attr.Arr(l.Raw, "alarms") {
			watched[metricOf(p, v)] = true
		}
	}
	for _, a := range byType[TypeAlarm] {
		p := place{a.Account, a.Region}
		for _, v := range alarmWatch(attr.Obj(a.Raw, "configuration")) {
			watched[metricOf(p, v)] = true
		}
	}
	// decide: true when a group's filter matches with a watched metric;
	// unknown when a group's filters or alarms were not read whole.
	decide := func(groups []group, want []string) (found, unknown bool) {
		for _, g := range groups {
			matched := false
			for _, f := range filters[g] {
				if !matchesTerms(f.norm, f.terms, want) {
					continue
				}
				matched = true
				for _, m := range f.metrics {
					if watched[m] {
						return true, false
					}
				}
			}
			if !filtersRead[g.place] || matched && !alarmsRead[g.place] {
				unknown = true
			}
		}
		return false, unknown
	}
	for acct := range trails {
		m := &resource.MetricFilterAlarms{}
		for _, c := range metricChanges {
			found, unknown := decide(sure[acct], c.terms)
			maybeFound, maybeUnknown := decide(maybe[acct], c.terms)
			switch {
			case found:
				c.set(m, resource.Bool(true))
			case unknown || maybeFound || maybeUnknown:
				// unknown: left nil
			default:
				c.set(m, resource.Bool(false))
			}
		}
		get(acct).MetricFilterAlarms = m
	}
}

// MetricPatternChanges reports, for each change of CIS AWS 7.0 5.1-5.15
// (in the order of resource.MetricFilterAlarms' fields), whether a metric
// filter pattern matches it as accountMetricAlarms reads it, so that the
// IaC readers judge a configuration's filters as live ones are judged.
func MetricPatternChanges(pattern string) []bool {
	norm, terms := patternTerms(pattern)
	out := make([]bool, len(metricChanges))
	for i, c := range metricChanges {
		out[i] = matchesTerms(norm, terms, c.terms)
	}
	return out
}

// SetMetricChange sets change i (as MetricPatternChanges numbers them) of m.
func SetMetricChange(m *resource.MetricFilterAlarms, i int, b *bool) {
	metricChanges[i].set(m, b)
}
