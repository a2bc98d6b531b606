package awsiam

import (
	"fmt"
	"strings"
)

// SharedKey returns a key that is equal for two principals whose Actions
// and AllowedActions answers (with an empty Context) are the same: the
// same kind of principal, the same identity policies, boundary and SCP
// chain, and no statement among them whose answer depends on who asks (a
// condition, which may read the principal's ARN, name or tags, or a policy
// variable). ok is false, and the key "", when the answers may differ
// from principal to principal, or the principal is unknown: ask for it
// alone. A caller asking the same question of many principals (which
// actions each may perform) answers once per key.
func (e *Evaluator) SharedKey(principal string) (key string, ok bool) {
	pr := e.principals[principal]
	if pr == nil || pr.Kind == "root" || strings.Contains(principal, ":role/aws-service-role/") {
		return "", false
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s|%p|", pr.Kind, pr.Boundary)
	if ao := e.accounts[pr.Account]; ao != nil {
		fmt.Fprintf(&b, "%p|", ao.scps)
		if ao.scps != nil {
			for _, l := range ao.scps.Levels {
				for _, p := range l.Policies {
					if personal(p) {
						return "", false
					}
				}
			}
		}
	}
	if pr.Boundary != nil && personal(pr.Boundary) {
		return "", false
	}
	for _, p := range pr.Identity {
		if personal(p) {
			return "", false
		}
		fmt.Fprintf(&b, "%p,", p)
	}
	return b.String(), true
}

// personal tells whether a policy's answers may depend on the principal:
// a statement with a condition (or an undocumented operator) or a Resource
// holding a policy variable.
func personal(p *Policy) bool {
	for i := range p.stmts {
		st := &p.stmts[i]
		if len(st.conds) > 0 || len(st.badOps) > 0 {
			return true
		}
		for _, r := range st.res {
			if r.vars {
				return true
			}
		}
	}
	return false
}
