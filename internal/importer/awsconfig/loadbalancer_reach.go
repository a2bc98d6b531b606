package awsconfig

import (
	"path/filepath"
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Load balancers as the way in to their backends, read for reachability
// (internal/reach): each listener's Forwards.
//
//   - A classic load balancer (AWS::ElasticLoadBalancing::LoadBalancer, the
//     DescribeLoadBalancers shape) names its instances (instances[].instanceId)
//     and each listener's instancePort; its securityGroups filter the way in.
//   - An ELBv2 listener (AWS::ElasticLoadBalancingV2::Listener) forwards to
//     target groups (DefaultActions[] of type forward: TargetGroupArn, or
//     ForwardConfig.TargetGroups[].TargetGroupArn). AWS Config does not
//     record which targets are registered: they are read from
//
//	aws elbv2 describe-target-health --target-group-arn ARN
//	    {"TargetHealthDescriptions":[{"Target":{"Id":"i-0abc","Port":8080},
//	      "HealthCheckPort":"8080","TargetHealth":{"State":"healthy"}}]}
//
//     in a file named <target-group-name>.<region>.json (the output does not
//     name its target group), under a directory named after the account.
//     Finalize joins each listener's target groups to their targets; a
//     target group whose output is not in the inventory forwards to nothing
//     known.

// TypeTargetGroup is the type of a target group read from
// describe-target-health.
const TypeTargetGroup = "AWS::ElasticLoadBalancingV2::TargetGroup"

// RelHasTarget: a target group → a registered target, "<id>:<port>".
const RelHasTarget = "has_target"

// listenerForwards: the target groups an ELBv2 listener's default
// actions forward to, each a Forward whose Target is filled by Finalize.
func listenerForwards(acts []node) []resource.Forward {
	var out []resource.Forward
	seen := map[string]bool{}
	add := func(arn string) {
		if arn != "" && !seen[arn] {
			seen[arn] = true
			out = append(out, resource.Forward{Via: arn})
		}
	}
	for _, a := range acts {
		if !strings.EqualFold(a.S("Type"), "forward") {
			continue
		}
		add(a.S("TargetGroupArn"))
		tgs, _ := a.Objs("ForwardConfig", "TargetGroups")
		for _, tg := range tgs {
			add(tg.S("TargetGroupArn"))
		}
	}
	return out
}

// classicForwards: a classic load balancer's instances behind each
// listener, on the listener's instancePort; its security groups and VPC.
func classicForwards(r *resource.Resource, cfg node, lb *resource.LoadBalancer) {
	sgs, _ := cfg.Strs("securityGroups")
	for _, sg := range sgs {
		attr.Relate(r, resource.RelUsesFirewall, sg)
	}
	attr.Relate(r, resource.RelInNetwork, cfg.S("vpcid"))
	insts, _ := cfg.Objs("instances")
	var ids []string
	for _, in := range insts {
		if id := in.S("instanceId"); id != "" {
			ids = append(ids, id)
		}
	}
	lds, _ := cfg.Objs("listenerDescriptions")
	for i, ld := range lds {
		if i >= len(lb.Listeners) {
			break
		}
		port := 0
		if p := ld.I("listener", "instancePort"); p != nil {
			port = *p
		}
		for _, id := range ids {
			lb.Listeners[i].Forwards = append(lb.Listeners[i].Forwards, resource.Forward{Target: id, Port: port})
		}
	}
}

// parseTargetHealth reads one describe-target-health output.
func parseTargetHealth(res *attr.Result, path string, d attr.M) {
	name, _, _ := strings.Cut(filepath.Base(path), ".")
	region := regionInPath(path)
	if name == "" || region == "" {
		res.Problems = append(res.Problems, attr.Problem{Path: path, Err: "describe-target-health output: name the file <target-group-name>.<region>.json, as the output does not say which target group it lists"})
		return
	}
	acct := accountOfPath(path)
	id := "arn:aws:elasticloadbalancing:" + region + ":" + acct + ":targetgroup/" + name
	r := &resource.Resource{Provider: resource.AWS, Account: acct, Region: region, Type: TypeTargetGroup, ID: id, Name: name,
		Raw: d, Source: path, Class: resource.ClassOther}
	c := &checker{ID: id}
	descs, _ := node{M: d, C: c}.Objs("TargetHealthDescriptions")
	for _, td := range descs {
		tid := td.S("Target", "Id")
		if tid == "" {
			continue
		}
		port := 0
		if p := td.I("Target", "Port"); p != nil {
			port = *p
		}
		attr.Relate(r, RelHasTarget, tid+":"+strconv.Itoa(port))
	}
	res.Problems = append(res.Problems, c.Problems...)
	res.Resources = append(res.Resources, r)
	res.AddUnsupported(r) // read for the join, judged by no rule
}

// tgKey names a target group by region, account and name (an ARN's
// targetgroup/<name>/<hash>, or the ID parseTargetHealth gives).
func tgKey(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 {
		return ""
	}
	name, ok := strings.CutPrefix(parts[5], "targetgroup/")
	if !ok {
		return ""
	}
	name, _, _ = strings.Cut(name, "/")
	return parts[3] + "|" + parts[4] + "|" + name
}

// joinTargetGroups replaces each listener's target-group forwards with
// one forward per registered target of the group; a group whose targets
// are not in the inventory is dropped (nothing known is behind it).
func joinTargetGroups(lbs, tgs []*resource.Resource) {
	byKey := map[string]*resource.Resource{}
	for _, tg := range tgs {
		byKey[tgKey(tg.ID)] = tg
	}
	for _, r := range lbs {
		lb := r.Facts.LoadBalancer
		if lb == nil {
			continue
		}
		for i := range lb.Listeners {
			l := &lb.Listeners[i]
			var out []resource.Forward
			for _, f := range l.Forwards {
				if f.Target != "" {
					out = append(out, f)
					continue
				}
				tg := byKey[tgKey(f.Via)]
				if tg == nil {
					continue
				}
				for _, rel := range tg.Relationships {
					if rel.Type != RelHasTarget {
						continue
					}
					i := strings.LastIndex(rel.TargetID, ":")
					port, _ := strconv.Atoi(rel.TargetID[i+1:])
					out = append(out, resource.Forward{Target: rel.TargetID[:i], Port: port, Via: f.Via})
				}
			}
			l.Forwards = out
		}
	}
}
