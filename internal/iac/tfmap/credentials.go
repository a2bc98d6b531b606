package tfmap

import (
	"slices"

	"github.com/vigil-sec/vigil/internal/resource"
)

// dbCredentials sets the database's credentials-in-source facts from the
// password arguments of r (and of the instances joined to it, such as
// google_sql_user, by their own arguments): true when one holds a value
// written in the configuration (Instance.Written), false when each present
// one is unknown before apply (a variable without value, a random_password,
// a data source) or comes from elsewhere, nil when the provenance of a
// known value cannot be told (a plan or state read without its
// configuration). An empty password sets nothing.
func (m *mapper) dbCredentials(d *resource.Database, r *inst, args []string, joined map[string][]string) {
	var names []string
	undecided := false
	check := func(x *inst, arg, label string) {
		v, st := look1(x.a, arg)
		if st != ok {
			return // absent, unknown before apply or not a value
		}
		if s, isStr := v.(string); !isStr || s == "" {
			return
		}
		w, known := x.in.Written[arg]
		switch {
		case !known:
			undecided = true
		case w:
			names = append(names, label)
		}
	}
	for _, a := range args {
		check(r, a, a)
	}
	typs := make([]string, 0, len(joined))
	for t := range joined {
		typs = append(typs, t)
	}
	slices.Sort(typs)
	for _, t := range typs {
		for _, x := range m.attachedTo(r, t) {
			for _, a := range joined[t] {
				check(x, a, x.in.Address+"."+a)
			}
		}
	}
	switch {
	case len(names) > 0:
		d.CredentialsInSource, d.CredentialArguments = boolp(true), names
	case !undecided:
		d.CredentialsInSource = boolp(false)
	}
}
