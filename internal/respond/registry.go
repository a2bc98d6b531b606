package respond

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Registry holds the actions playbooks may name.
type Registry struct {
	byName map[string]Action
}

// NewRegistry returns a registry of actions; two actions with one name are
// an error.
func NewRegistry(actions ...Action) (*Registry, error) {
	r := &Registry{byName: map[string]Action{}}
	for _, a := range actions {
		if err := r.Add(a); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Add registers a.
func (r *Registry) Add(a Action) error {
	name := a.Spec().Name
	if name == "" {
		return fmt.Errorf("respond: an action has no name")
	}
	if _, dup := r.byName[name]; dup {
		return fmt.Errorf("respond: action %q registered twice", name)
	}
	r.byName[name] = a
	return nil
}

// Get returns the action called name.
func (r *Registry) Get(name string) (Action, bool) {
	a, ok := r.byName[name]
	return a, ok
}

// Names lists the registered action names, sorted.
func (r *Registry) Names() []string {
	names := make([]string, 0, len(r.byName))
	for n := range r.byName {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Specs lists every action's spec, sorted by name.
func (r *Registry) Specs() []Spec {
	var out []Spec
	for _, n := range r.Names() {
		out = append(out, r.byName[n].Spec())
	}
	return out
}

// Unknown returns the error for an action name not registered, naming the
// closest registered names.
func (r *Registry) Unknown(name string) error {
	var near []string
	prefix, _, _ := strings.Cut(name, ".")
	for _, n := range r.Names() {
		if strings.HasPrefix(n, prefix+".") {
			near = append(near, n)
		}
	}
	if len(near) == 0 {
		near = r.Names()
	}
	slices.Sort(near)
	return fmt.Errorf("unknown action %q (known: %s)", name, strings.Join(near, ", "))
}
