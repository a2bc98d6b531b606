package cloudformation

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/source"
)

// res is a resource of a template being mapped: what it says, evaluated.
type res struct {
	raw *rawResource
	// p are the evaluated properties (never nil).
	p map[string]any
	// maybe is true when the resource's Condition could not be decided: it
	// may not be deployed, so what it adds to another resource is unknown.
	maybe bool
	// out is the resource it maps to, nil for one joined onto another or
	// unsupported.
	out *resource.Resource
	// joined is true once another resource took it in.
	joined bool
	// opaque: its properties are known only at deploy time.
	opaque bool
}

func (r *res) id() string  { return r.raw.id }
func (r *res) typ() string { return r.raw.typ }

// mapper maps the resources of one template.
type mapper struct {
	file string
	opts Options
	// params are the template's parameter declarations.
	params map[string]map[string]any
	all    []*res
	byID   map[string]*res
	names  map[string]map[string]*res // type -> literal name -> resource
	types  map[string][]*res          // type -> resources
	// attached maps a logical ID to the resources that configure it.
	attached map[string][]*res
	probs    []source.Problem
	cur      *res
	// nest is the nested stack being read (nil: a template read alone);
	// reached are the nested stacks' templates read in place.
	nest    *nest
	reached []string
	alarms  *alarmInputs
}

// Read parses the template data of file (relative to the scanned root) and
// adds its resources, unsupported resource types and problems to batch.
func Read(file string, data []byte, opts Options, batch *source.Batch) {
	read(file, data, opts, nil, batch)
}

// read is Read, of a nested stack's template when n is not nil; it returns
// the templates of the nested stacks it read in place.
func read(file string, data []byte, opts Options, n *nest, batch *source.Batch) []string {
	t, perrs := parse(file, data)
	for _, pe := range perrs {
		batch.Problems = append(batch.Problems, source.Problem{Path: file, Line: pe.line, Err: pe.msg})
	}
	if t == nil {
		return nil
	}
	if len(t.loops) > 0 {
		var given map[string]any
		if n != nil {
			given = n.values // a nested stack's loops over the parameters its parent passes
		}
		for _, pe := range expandLoops(t, opts, given) {
			batch.Problems = append(batch.Problems, source.Problem{Path: file, Line: pe.line, Err: pe.msg})
		}
	}
	e := newEvaluator(t, opts)
	m := &mapper{file: file, opts: opts, params: t.params, byID: map[string]*res{}, names: map[string]map[string]*res{}, types: map[string][]*res{}, attached: map[string][]*res{}, nest: n}
	if n != nil {
		e.given = n.values
		e.stacks = newStackOutputs(e, file, m.rid, n.chain, opts)
	} else {
		e.stacks = newStackOutputs(e, file, m.rid, []string{file}, opts)
	}
	for _, msg := range e.drain() {
		m.probs = append(m.probs, source.Problem{Path: file, Err: msg})
	}
	for _, raw := range t.resources {
		if raw.bad != "" {
			m.probs = append(m.probs, source.Problem{Path: file, Line: raw.start, Resource: m.rid(raw.id), Err: raw.bad})
			if raw.typ != "" {
				m.unsupported(batch, raw.id, raw.typ)
			}
			continue
		}
		r := &res{raw: raw, p: map[string]any{}}
		if raw.condition != "" {
			c := e.condition(raw.condition, 0)
			for _, msg := range e.drain() {
				m.probs = append(m.probs, source.Problem{Path: file, Line: raw.start, Resource: m.rid(raw.id), Field: "Condition", Err: msg})
			}
			if c == triFalse {
				continue // not deployed
			}
			r.maybe = c == triUnknown
		}
		props := raw.props
		if isIntrinsic(props) {
			// Properties: !If [...]: the whole mapping is chosen at deploy.
			v := e.eval(props, 0)
			for _, msg := range e.drain() {
				m.probs = append(m.probs, source.Problem{Path: file, Line: raw.start, Resource: m.rid(raw.id), Field: "Properties", Err: msg})
			}
			switch pv := v.(type) {
			case map[string]any:
				props = pv
			case *unknown:
				m.probs = append(m.probs, source.Problem{Path: file, Line: raw.start, Resource: m.rid(raw.id), Field: "Properties",
					Err: "the properties are known only at deploy time; the resource's facts are unknown"})
				r.opaque = true
				props = nil
			default:
				props = nil
			}
		}
		if raw.typ == "AWS::Serverless::Function" {
			props = withGlobals(props, t.globals)
		}
		keys := make([]string, 0, len(props))
		for k := range props {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := e.eval(props[k], 0)
			for _, msg := range e.drain() {
				line := raw.propLines[k]
				if line == 0 {
					line = raw.start
				}
				m.probs = append(m.probs, source.Problem{Path: file, Line: line, Resource: m.rid(raw.id), Field: k, Err: msg})
			}
			if _, nv := v.(noValue); !nv {
				r.p[k] = v
			}
		}
		m.all = append(m.all, r)
		m.byID[raw.id] = r
		m.types[raw.typ] = append(m.types[raw.typ], r)
		if np := nameProp[raw.typ]; np != "" {
			if s, ok := r.p[np].(string); ok && s != "" {
				if m.names[raw.typ] == nil {
					m.names[raw.typ] = map[string]*res{}
				}
				m.names[raw.typ][s] = r
			}
		}
	}
	m.index()
	for _, r := range m.all {
		f, found := mappers[r.typ()]
		if !found {
			continue
		}
		m.cur = r
		r.out = m.newResource(r, f.class)
		f.fill(m, r, r.out)
		if r.opaque && r.out != nil {
			blank(&r.out.Facts)
			r.out.Relationships = nil
		}
	}
	m.cur = nil
	m.alarms = &alarmInputs{}
	if n != nil {
		m.alarms = n.alarms
	}
	m.addAlarmInputs() // alarms.go: the CIS metric filters and alarms
	if opts.load != nil {
		for _, r := range m.all {
			m.nested(r, batch) // nested.go: a nested stack's template read in place
		}
	}
	if n == nil {
		m.metricAlarms(batch) // the account's facts, the nested stacks' inputs with the template's
	}
	for _, r := range m.all {
		switch {
		case r.out != nil:
			batch.Resources = append(batch.Resources, r.out)
		case !r.joined:
			m.unsupported(batch, r.id(), r.typ())
		}
	}
	batch.Problems = append(batch.Problems, m.probs...)
	return m.reached
}

func (m *mapper) unsupported(batch *source.Batch, id, typ string) {
	if batch.Unsupported == nil {
		batch.Unsupported = map[string]string{}
	}
	batch.Unsupported[m.rid(id)] = typ
}

// withGlobals merges the SAM Globals.Function section under a function's
// own properties (a property of the function wins; maps merge).
func withGlobals(props, globals map[string]any) map[string]any {
	g, _ := globals["Function"].(map[string]any)
	if len(g) == 0 {
		return props
	}
	out := make(map[string]any, len(props)+len(g))
	for k, v := range g {
		out[k] = v
	}
	for k, v := range props {
		if gm, ok := out[k].(map[string]any); ok {
			if pm, ok := v.(map[string]any); ok && !isIntrinsic(pm) && !isIntrinsic(gm) {
				out[k] = withGlobals(pm, map[string]any{"Function": gm})
				continue
			}
		}
		out[k] = v
	}
	return out
}

func isIntrinsic(m map[string]any) bool {
	if len(m) != 1 {
		return false
	}
	for k, v := range m {
		_, isName := v.(string)
		return k == "Ref" || (k == "Condition" && isName) || strings.HasPrefix(k, "Fn::")
	}
	return false
}

// problem reports a problem with a property of the resource being mapped.
func (m *mapper) problem(field, format string, args ...any) {
	r := m.cur
	line := r.raw.start
	top, _, _ := strings.Cut(field, ".")
	if l := r.raw.propLines[top]; l > 0 {
		line = l
	}
	m.probs = append(m.probs, source.Problem{Path: m.file, Line: line, Resource: m.rid(r.id()), Field: field, Err: fmt.Sprintf(format, args...)})
}

// wouldFail reports, as a warning, a property the service refuses: the
// template reads, but the stack would fail to deploy and roll back. It is
// not an input error (the exit status is unchanged), as cfn-lint reports
// such a template and checks the rest.
func (m *mapper) wouldFail(field, format string, args ...any) {
	m.problem(field, "would fail to deploy: "+format, args...)
	m.probs[len(m.probs)-1].Warning = true
}

// rid is the resource ID of a logical ID of the template: file:ID, after
// the nested stack resource's ID and " > " in a nested stack.
func (m *mapper) rid(id string) string {
	if m.nest != nil {
		return m.nest.id + " > " + m.file + ":" + id
	}
	return m.file + ":" + id
}

func (m *mapper) newResource(r *res, class resource.Class) *resource.Resource {
	name := r.id()
	if np := nameProp[r.typ()]; np != "" {
		if s, ok := r.p[np].(string); ok && s != "" {
			name = s
		}
	}
	region := m.opts.Region
	return &resource.Resource{
		Provider: resource.AWS, Account: m.opts.AccountID, Region: region, Type: r.typ(), ID: m.rid(r.id()), Name: name,
		Tags: tags(r.p["Tags"]), Source: m.file, Class: class,
		Location: &resource.Location{File: m.file, StartLine: r.raw.start, EndLine: r.raw.end, Address: m.addr(r.id())},
	}
}

// tags reads Tags as a list of {Key, Value} or a mapping; values not known
// before deploy are left out.
func tags(v any) map[string]string {
	out := map[string]string{}
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			o, _ := e.(map[string]any)
			k, ok1 := text(o["Key"])
			val, ok2 := text(o["Value"])
			if ok1 && ok2 {
				out[k] = val
			}
		}
	case map[string]any:
		for k, x := range t {
			if val, ok := text(x); ok {
				out[k] = val
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// targets are the logical IDs of the resources of the given types a
// property value designates: by Ref or Fn::GetAtt, or by their literal name.
func (m *mapper) targets(v any, types ...string) []string {
	var out []string
	add := func(id string) {
		for _, x := range out {
			if x == id {
				return
			}
		}
		out = append(out, id)
	}
	switch t := v.(type) {
	case *unknown:
		for _, id := range t.refs {
			if r := m.byID[id]; r != nil && contains(types, r.typ()) {
				add(id)
			}
		}
	case string:
		for _, typ := range types {
			if r := m.names[typ][t]; r != nil {
				add(r.id())
			}
			// An ARN or URL ending in the name (a queue URL, a function ARN).
			if i := strings.LastIndexAny(t, "/:"); i >= 0 {
				if r := m.names[typ][t[i+1:]]; r != nil {
					add(r.id())
				}
			}
		}
	case []any:
		for _, e := range t {
			for _, id := range m.targets(e, types...) {
				add(id)
			}
		}
	}
	return out
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// attachment says which property of an attachment resource names the
// resources it configures, and their types.
type attachment struct {
	props []string
	types []string
	// own is true when the attachment is also a resource of its own (an
	// IAM policy, a listener, a flow log): it is not marked joined.
	own bool
}

var (
	functionTypes = []string{"AWS::Lambda::Function", "AWS::Serverless::Function"}
	identityTypes = []string{"AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"}
)

var attachments = map[string]attachment{
	"AWS::S3::BucketPolicy":                 {props: []string{"Bucket"}, types: []string{"AWS::S3::Bucket"}},
	"AWS::EC2::SecurityGroupIngress":        {props: []string{"GroupId", "GroupName"}, types: []string{"AWS::EC2::SecurityGroup"}},
	"AWS::EC2::SecurityGroupEgress":         {props: []string{"GroupId"}, types: []string{"AWS::EC2::SecurityGroup"}},
	"AWS::SQS::QueuePolicy":                 {props: []string{"Queues"}, types: []string{"AWS::SQS::Queue"}},
	"AWS::SNS::TopicPolicy":                 {props: []string{"Topics"}, types: []string{"AWS::SNS::Topic"}},
	"AWS::SecretsManager::RotationSchedule": {props: []string{"SecretId"}, types: []string{"AWS::SecretsManager::Secret"}},
	"AWS::SecretsManager::ResourcePolicy":   {props: []string{"SecretId"}, types: []string{"AWS::SecretsManager::Secret"}},
	"AWS::Lambda::Permission":               {props: []string{"FunctionName"}, types: functionTypes},
	"AWS::Lambda::Url":                      {props: []string{"TargetFunctionArn"}, types: functionTypes},
	"AWS::WAFv2::WebACLAssociation":         {props: []string{"ResourceArn"}, types: []string{"AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ApiGateway::Stage"}},
	"AWS::Route53::DNSSEC":                  {props: []string{"HostedZoneId"}, types: []string{"AWS::Route53::HostedZone"}},
	"AWS::IAM::UserToGroupAddition":         {props: []string{"GroupName", "Users"}, types: []string{"AWS::IAM::Group", "AWS::IAM::User"}},
	"AWS::IAM::VirtualMFADevice":            {props: []string{"Users"}, types: []string{"AWS::IAM::User"}},
	"AWS::IAM::AccessKey":                   {props: []string{"UserName"}, types: []string{"AWS::IAM::User"}},
	"AWS::IAM::Policy":                      {props: []string{"Roles", "Users", "Groups"}, types: identityTypes, own: true},
	"AWS::IAM::ManagedPolicy":               {props: []string{"Roles", "Users", "Groups"}, types: identityTypes, own: true},
	"AWS::ElasticLoadBalancingV2::Listener": {props: []string{"LoadBalancerArn"}, types: []string{"AWS::ElasticLoadBalancingV2::LoadBalancer"}, own: true},
	"AWS::EC2::FlowLog":                     {props: []string{"ResourceId"}, types: []string{"AWS::EC2::VPC", "AWS::EC2::Subnet", "AWS::EC2::NetworkInterface"}, own: true},
	"AWS::EC2::VolumeAttachment":            {props: []string{"VolumeId"}, types: []string{"AWS::EC2::Volume"}},
	"AWS::EC2::NetworkAclEntry":             {props: []string{"NetworkAclId"}, types: []string{"AWS::EC2::NetworkAcl"}},
	"AWS::EC2::SubnetNetworkAclAssociation": {props: []string{"NetworkAclId"}, types: []string{"AWS::EC2::NetworkAcl"}},
	"AWS::EC2::Route":                       {props: []string{"RouteTableId"}, types: []string{"AWS::EC2::RouteTable"}},
	"AWS::EC2::SubnetRouteTableAssociation": {props: []string{"RouteTableId"}, types: []string{"AWS::EC2::RouteTable"}},
}

// index records, for every attachment of the template, the resources it
// configures; an attachment with none stays unjoined (unsupported).
func (m *mapper) index() {
	for _, r := range m.all {
		a, ok := attachments[r.typ()]
		if !ok {
			continue
		}
		for _, p := range a.props {
			for _, id := range m.targets(r.p[p], a.types...) {
				m.attached[id] = append(m.attached[id], r)
			}
		}
	}
}

// attachedTo returns the resources of the given type configuring id, and
// marks them joined.
func (m *mapper) attachedTo(id string, typ string) []*res {
	var out []*res
	for _, a := range m.attached[id] {
		if a.typ() == typ {
			if !attachments[typ].own {
				a.joined = true
			}
			out = append(out, a)
		}
	}
	return out
}

// ofType returns the template's resources of the given types.
func (m *mapper) ofType(types ...string) []*res {
	if len(types) == 1 {
		return m.types[types[0]]
	}
	var out []*res
	for _, t := range types {
		out = append(out, m.types[t]...)
	}
	return out
}

// blank forgets every fact of a resource whose properties are unknown,
// keeping what its type alone says (the kind of identity, queue or policy).
func blank(f *resource.Facts) {
	f.ResourcePolicy = nil // not a class's facts: nothing to keep
	v := reflect.ValueOf(f).Elem()
	for i := 0; i < v.NumField(); i++ {
		fld := v.Field(i)
		if fld.Kind() != reflect.Pointer || fld.IsNil() {
			continue
		}
		keep := reflect.New(fld.Type().Elem())
		for _, name := range []string{"Kind", "Managed"} {
			if k := fld.Elem().FieldByName(name); k.IsValid() {
				keep.Elem().FieldByName(name).Set(k)
			}
		}
		fld.Set(keep)
	}
}

// maxGenerated bounds the resources Fn::ForEach loops of a template make.
const maxGenerated = 10000

// binding is a loop identifier and its current value.
type binding struct{ ident, val string }

// expandLoops adds the resources of the template's Fn::ForEach loops,
// their collections evaluated with the parameters and mappings (the
// AWS::LanguageExtensions transform); given are the parameters a parent
// stack passes (nil for a template deployed alone). Each resource is
// located at its output key in the loop's fragment.
func expandLoops(t *template, opts Options, given map[string]any) []*parseError {
	e := newEvaluator(t, opts)
	e.given = given
	seen := map[string]bool{}
	for _, r := range t.resources {
		seen[r.id] = true
	}
	var errs []*parseError
	var starts []int
	full := false
	var expand func(l *loop, outer []binding)
	expand = func(l *loop, outer []binding) {
		if full || len(errs) > 50 {
			return
		}
		coll := l.collection
		for _, b := range outer {
			coll = substitute(coll, b.ident, b.val, 0)
		}
		v := e.eval(coll, 0)
		for _, msg := range e.drain() {
			errs = append(errs, &parseError{line: l.line, msg: "Fn::ForEach::" + l.name + ": " + msg})
		}
		items, ok := v.([]any)
		if !ok {
			errs = append(errs, &parseError{line: l.line, msg: "Fn::ForEach::" + l.name + ": the collection is known only at deploy time (or is not a list); the resources it generates are not read"})
			return
		}
		for _, it := range items {
			if full || len(errs) > 50 {
				return
			}
			val, ok := text(it)
			if !ok {
				errs = append(errs, &parseError{line: l.line, msg: "Fn::ForEach::" + l.name + ": a value of the collection is known only at deploy time; the resources it generates are not read"})
				continue
			}
			bs := append(append([]binding{}, outer...), binding{l.ident, val})
			for i, k := range l.keys {
				if l.inner[i] != nil {
					expand(l.inner[i], bs)
					continue
				}
				id := k.Value
				for _, b := range bs {
					id = replaceIdent(id, b.ident, b.val)
				}
				if seen[id] {
					errs = append(errs, &parseError{line: k.Line, msg: fmt.Sprintf("Fn::ForEach::%s generates resource %s, which is defined more than once; only the first is read", l.name, id)})
					continue
				}
				if len(seen) >= maxGenerated {
					errs = append(errs, &parseError{line: l.line, msg: fmt.Sprintf("Fn::ForEach::%s: more than %d resources; the rest are not read", l.name, maxGenerated)})
					full = true
					return
				}
				seen[id] = true
				r := t.conv.resource(id, k, l.vals[i], t.data, &starts)
				for _, b := range bs {
					r.typ = replaceIdent(r.typ, b.ident, b.val)
					r.condition = replaceIdent(r.condition, b.ident, b.val)
					if r.props != nil {
						r.props, _ = substitute(r.props, b.ident, b.val, 0).(map[string]any)
					}
				}
				t.resources = append(t.resources, r)
			}
		}
	}
	for _, l := range t.loops {
		expand(l, nil)
	}
	return errs
}
