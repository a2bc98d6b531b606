package detect

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/vigil-sec/vigil/internal/jsonenc"
	"github.com/vigil-sec/vigil/internal/logs"
	"github.com/vigil-sec/vigil/internal/ocsf"
	"github.com/vigil-sec/vigil/internal/sigma"
)

// Identity returns the canonical identity of an OCSF event's actor, the
// value vigil correlates on across clouds: the user's email address, else
// name, else uid, lower-cased; for an AWS assumed-role ARN
// (arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION) the session name, which
// for federated (SAML, IAM Identity Center) users is their email.
func Identity(ocsfJSON []byte) string {
	r := gjson.GetManyBytes(ocsfJSON, "actor.user.email_addr", "actor.user.name", "actor.user.uid", "actor.user.type")
	var id string
	for _, v := range r[:3] {
		if v.Type == gjson.String && v.Str != "" {
			id = v.Str
			break
		}
	}
	// AWS assumed roles: the user is the session (ROLE/SESSION in the name,
	// arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION in the uid).
	if strings.EqualFold(r[3].Str, "AssumedRole") || strings.Contains(id, ":assumed-role/") {
		if i := strings.LastIndexByte(id, '/'); i >= 0 {
			id = id[i+1:]
		}
	}
	return strings.ToLower(id)
}

// KeyID returns the id of the credential an OCSF event is about: the key
// an Account Change created or deleted (user.credential_uid), else the key
// the actor signed with (actor.user.credential_uid); for GCP key names
// (projects/P/serviceAccounts/SA/keys/ID, //iam.googleapis.com/...) the ID
// after "/keys/", so that a key's creation and its uses carry one value.
func KeyID(ocsfJSON []byte) string {
	r := gjson.GetManyBytes(ocsfJSON, "user.credential_uid", "actor.user.credential_uid")
	id := r[0].Str
	if id == "" {
		id = r[1].Str
	}
	if i := strings.LastIndex(id, "/keys/"); i >= 0 {
		id = id[i+len("/keys/"):]
	}
	return id
}

// identityOf and keyIDOf are Identity and KeyID on the event structs.
func identityOf(ev ocsf.Event) string {
	a := ev.Common().Actor
	if a == nil || a.User == nil {
		return ""
	}
	u := a.User
	id := firstNonEmpty(u.EmailAddr, u.Name, u.UID)
	if strings.EqualFold(u.Type, "AssumedRole") || strings.Contains(id, ":assumed-role/") {
		if i := strings.LastIndexByte(id, '/'); i >= 0 {
			id = id[i+1:]
		}
	}
	return strings.ToLower(id)
}

func keyIDOf(ev ocsf.Event) string {
	var id string
	if ac, ok := ev.(*ocsf.AccountChange); ok && ac.User != nil {
		id = ac.User.CredentialUID
	}
	if a := ev.Common().Actor; id == "" && a != nil && a.User != nil {
		id = a.User.CredentialUID
	}
	if i := strings.LastIndex(id, "/keys/"); i >= 0 {
		id = id[i+len("/keys/"):]
	}
	return id
}

// withVigil adds vigil's extension object to the JSON of an OCSF event
// object: {"vigil":{"identity":..., "key_id":...}} (empty members left out),
// for OCSF rules and correlations ("ocsf.vigil.identity",
// "ocsf.vigil.key_id").
func withVigil(o json.RawMessage, identity, keyID string) json.RawMessage {
	i := 0
	for i < len(o) && isSpace(o[i]) {
		i++
	}
	if (identity == "" && keyID == "") || i >= len(o) || o[i] != '{' {
		return o
	}
	rest := o[i+1:]
	for len(rest) > 0 && isSpace(rest[0]) {
		rest = rest[1:]
	}
	// The bytes encoding/json wrote for {"vigil":{...}} (HTML escaping on),
	// in one buffer with the event's members.
	b := make([]byte, 0, len(`{"vigil":{"identity":,"key_id":},`)+len(rest)+2*(len(identity)+len(keyID))+4)
	b = append(b, `{"vigil":{`...)
	if identity != "" {
		b = jsonenc.AppendHTML(append(b, `"identity":`...), identity)
	}
	if keyID != "" {
		if identity != "" {
			b = append(b, ',')
		}
		b = jsonenc.AppendHTML(append(b, `"key_id":`...), keyID)
	}
	b = append(b, '}')
	if string(rest) != "}" {
		b = append(b, ',')
	}
	return append(b, rest...)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// opGate decides which events OCSF rules may match without normalizing
// them: when every OCSF rule requires api.operation to be one of some
// literal values (or to end with some suffix) in every selection (searches
// named filter* excepted), only events whose own operation is one of those
// are normalized. Otherwise the gate is open and every event is normalized.
type opGate struct {
	open     bool
	exact    map[string]bool
	suffixes []string
	// ops holds, per built-in source with a rule set, the paths of its
	// operation (Descriptor.OperationPaths, else Operation) as the set's
	// matchers hold them (sigma.RuleSet.Intern): the event's cache then
	// answers the gate from the matchers' reads.
	ops map[*logs.Descriptor]opPaths
}

// opPaths are a source's operation paths; shapes says they are its
// OperationPaths (the first holding a string counts), else its Operation
// (any value but null counts).
type opPaths struct {
	paths  []string
	shapes bool
}

// internOps fills g.ops for the sources of sets.
func (g *opGate) internOps(sets map[logs.Source]*sigma.RuleSet) {
	g.ops = map[*logs.Descriptor]opPaths{}
	for src, set := range sets {
		d, ok := logs.Builtin().Lookup(src)
		if !ok || d.Operation == "" {
			continue
		}
		ps := slices.Clone(d.OperationPaths)
		shapes := len(ps) > 0
		if !shapes {
			ps = []string{d.Operation}
		}
		for i, p := range ps {
			ps[i] = set.Intern(p)
		}
		g.ops[d] = opPaths{ps, shapes}
	}
}

func newOpGate(ms []*sigma.Matcher) opGate {
	g := opGate{exact: map[string]bool{}}
	for _, m := range ms {
		if !collectOps(m.Rule(), &g) {
			return opGate{open: true}
		}
	}
	return g
}

// collectOps adds the api.operation values rule r names; false when r names
// none or uses a modifier the gate cannot honour.
func collectOps(r *sigma.Rule, g *opGate) bool {
	if r.Detection == nil {
		return false
	}
	found := false
	for name, s := range r.Detection.Searches {
		filter := strings.HasPrefix(strings.ToLower(name), "filter")
		for _, alt := range s.Alternatives {
			has := false
			for _, it := range alt {
				if !strings.EqualFold(it.Field, "api.operation") {
					continue
				}
				switch {
				case len(it.Modifiers) == 0:
					for _, v := range it.Values {
						g.exact[strings.ToLower(v.S)] = true
					}
				case len(it.Modifiers) == 1 && it.Modifiers[0] == "endswith":
					for _, v := range it.Values {
						g.suffixes = append(g.suffixes, strings.ToLower(v.S))
					}
				default:
					return false
				}
				has = true
			}
			if !has && !filter {
				// A selection that does not constrain the operation
				// could match any event.
				return false
			}
			found = found || has
		}
	}
	return found
}

// pass reports whether an OCSF rule may match rec; ev is rec's event (the
// rules of its source just read it, so its operation is found cheaply).
func (g *opGate) pass(rec logs.Record, ev *sigma.JSONEvent) bool {
	if g.open {
		return true
	}
	d, ok := logs.DescriptorOf(rec)
	if !ok || d.Operation == "" {
		return true
	}
	var op []byte
	var lb [128]byte
	if ops, ok := g.ops[d]; ok {
		// As below, through the matchers' strings.
		for _, p := range ops.paths {
			if v, ok := ev.Field(p); ok && (v.Kind == sigma.KindString || !ops.shapes && v.Kind != sigma.KindNull) {
				op = appendLowerASCII(lb[:0], v.Str)
				break
			}
		}
	} else if len(d.OperationPaths) > 0 {
		// Several event shapes: the first path holding a string.
		for _, p := range d.OperationPaths {
			if v, ok := ev.Field(p); ok && v.Kind == sigma.KindString {
				op = appendLowerASCII(lb[:0], v.Str)
				break
			}
		}
	} else if v, ok := ev.Field(d.Operation); ok && v.Kind != sigma.KindNull {
		op = appendLowerASCII(lb[:0], v.Str)
	}
	if len(op) == 0 {
		return false
	}
	if g.exact[string(op)] { // no allocation for the lookup
		return true
	}
	for _, s := range g.suffixes {
		if len(op) >= len(s) && string(op[len(op)-len(s):]) == s {
			return true
		}
	}
	return false
}

// appendLowerASCII appends strings.ToLower(s) to b, without allocating a
// string when s is ASCII (operation names are).
func appendLowerASCII(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return append(b[:0], strings.ToLower(s)...)
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}
