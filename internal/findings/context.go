package findings

import (
	"context"
	"fmt"
	"strings"

	"github.com/vigil-sec/vigil/internal/identity/escalate"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Contextualize sets, on the findings joined to the inventory (Join first),
// whether their resource is exposed to the internet and vigil's attack path
// through it (the resource is exposed and the identity it runs as is an
// admin, can become one, or reads sensitive data), so that a vulnerability
// on such a resource ranks above the same one on an isolated resource
// (Resource.Priority). It returns how many findings are on an attack path.
func Contextualize(ctx context.Context, fs []Finding, rs []*resource.Resource) (int, error) {
	byID := make(map[string]*resource.Resource, len(rs))
	for _, r := range rs {
		byID[strings.ToLower(r.ID)] = r
	}
	paths := map[string]string{}
	efs, err := escalate.Scan(ctx, rs)
	if err != nil {
		return 0, fmt.Errorf("attack paths: %w", err)
	}
	for _, f := range efs {
		if f.RuleID == escalate.AttackRuleID {
			paths[strings.ToLower(f.Resource.ID)] = f.Message
		}
	}
	n := 0
	for i := range fs {
		res := &fs[i].Resource
		if !res.InInventory {
			continue
		}
		id := strings.ToLower(res.ID)
		r := byID[id]
		if r == nil {
			continue
		}
		exposed := escalate.Exposed(r)
		res.Exposed = &exposed
		if p, ok := paths[id]; ok {
			res.AttackPath = p
			n++
		}
	}
	return n, nil
}
