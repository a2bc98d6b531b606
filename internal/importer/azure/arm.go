package azure

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/source"
)

// Unknown is the value of a field that cannot be known before deployment
// (an ARM template's reference() or a parameter without a value). The
// mapping reads it as a field of the wrong type, so every fact that
// depends on it is left unset (UNKNOWN); MapRow and JoinRows do not report
// those reads as problems.
type Unknown struct{}

// unknownKind ends the message of a wrong-typed read of an Unknown value.
var unknownKind = "got " + attr.Kind(Unknown{})

// MapRow maps one resource given in the shape of a Resource Graph row (id,
// type, name, location, kind, sku, identity, tags, properties, and
// optionally subscriptionId and resourceGroup; Unknown where a value is
// not known) to a resource with its class and facts, as Parse maps the
// rows of an export. path is the input it came from. The problems name
// fields of the wrong type; reads of Unknown values are not problems.
func MapRow(path string, row map[string]any) (*resource.Resource, []source.Problem) {
	r, probs := normalize(path, rowItem{m: row}, nil, false)
	return r, known(probs)
}

// JoinRows completes resources MapRow returned with their child rows
// (blob services and containers, database firewall rules and auditing
// settings, role definitions) as Finalize does for an export, and returns
// the problems of the child rows. It adds no resource.
func JoinRows(rs []*resource.Resource) []source.Problem {
	_, probs := JoinRowsSubscription(rs)
	return probs
}

// JoinRowsSubscription is JoinRows that also returns the subscription
// facts Finalize derives from the subscription-level rows among rs
// (Defender plans, security contacts) that a template declares: threat
// detection, the plans, the security contact and its notifications; nil
// when rs holds no such row. Facts whose rows a template seldom holds whole
// (diagnostic settings, activity log alerts, network watchers per region)
// are left out: a template is not the subscription's listing. The
// resources' accounts are left as they were.
func JoinRowsSubscription(rs []*resource.Resource) (*resource.Account, []source.Problem) {
	const placeholder = "\x00template"
	declares := false
	for _, r := range rs {
		if r.Type == TypePricing || r.Type == TypeSecurityContact {
			declares = true
		}
	}
	var saved []string
	if declares {
		saved = make([]string, len(rs))
		for i, r := range rs {
			saved[i] = r.Account
			if r.Account == "" {
				r.Account = placeholder
			}
		}
	}
	added, probs := Finalize(rs)
	if !declares {
		return nil, known(probs)
	}
	for i, r := range rs {
		r.Account = saved[i]
	}
	var sub *resource.Account
	for _, a := range added {
		if a.Type != TypeSubscription || a.Facts.Account == nil {
			continue
		}
		f := a.Facts.Account
		sub = &resource.Account{ThreatDetection: f.ThreatDetection, SecurityContact: f.SecurityContact,
			Defender: f.Defender, Notifications: f.Notifications}
		break
	}
	return sub, known(probs)
}

func known(probs []source.Problem) []source.Problem {
	out := probs[:0]
	for _, p := range probs {
		if !strings.HasSuffix(p.Err, unknownKind) {
			out = append(out, p)
		}
	}
	return out
}
