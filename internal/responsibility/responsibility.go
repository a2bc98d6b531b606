package responsibility

import (
	"bytes"
	_ "embed"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/vigil-sec/vigil/internal/resource"
)

//go:embed responsibility.yaml
var data []byte

// Party is who operates a control.
type Party string

// The parties.
const (
	Provider Party = "provider"
	Customer Party = "customer"
	Shared   Party = "shared"
)

// Cloud is one cloud's published shared-responsibility model.
type Cloud struct {
	ID    string `yaml:"-" json:"id"`
	Name  string `yaml:"name" json:"name"`
	Title string `yaml:"title" json:"title"`
	URL   string `yaml:"url" json:"url"`
}

// Control is one security control of the list.
type Control struct {
	ID   string `yaml:"id" json:"id"`
	Name string `yaml:"name" json:"name"`
}

// Category is a kind of service and the responsibilities common to it.
type Category struct {
	ID       string           `yaml:"id" json:"id"`
	Name     string           `yaml:"name" json:"name"`
	Controls map[string]Party `yaml:"controls" json:"controls"`
}

// Service is one cloud service: the resources it covers (native types,
// classes) and its responsibilities (its category's, with its overrides).
type Service struct {
	Cloud    string           `yaml:"cloud" json:"cloud"`
	ID       string           `yaml:"id" json:"id"`
	Name     string           `yaml:"name" json:"name"`
	Category string           `yaml:"category" json:"category"`
	Classes  []resource.Class `yaml:"classes" json:"classes,omitempty"`
	Types    []string         `yaml:"types" json:"types,omitempty"`
	Source   string           `yaml:"source" json:"source"`
	// Overrides are the controls where the service differs from its
	// category, as the data gives them.
	Overrides map[string]Party `yaml:"controls" json:"-"`
	// Controls are the service's responsibilities: its category's with
	// the overrides applied.
	Controls map[string]Party `yaml:"-" json:"controls"`
}

// Model is the parsed data.
type Model struct {
	Clouds     []Cloud
	Controls   []Control
	Categories []Category
	Services   []Service

	byType  map[svcKey]int // lower-case cloud and type
	byClass map[svcKey]int
}

type svcKey struct{ cloud, name string }

type file struct {
	Clouds     map[string]Cloud `yaml:"clouds"`
	Controls   []Control        `yaml:"controls"`
	Categories []Category       `yaml:"categories"`
	Services   []Service        `yaml:"services"`
}

var load = sync.OnceValues(func() (*Model, error) { return Parse(data) })

// Load returns the shipped data, parsed once.
func Load() (*Model, error) { return load() }

// cloudOrder is the order clouds are listed in.
var cloudOrder = []string{"aws", "azure", "gcp"}

// Parse reads responsibility data and checks it: known clouds, classes,
// categories and controls, a source on every cloud and service, no type or
// class claimed by two services of a cloud.
func Parse(b []byte) (*Model, error) {
	var f file
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("responsibility data: %w", err)
	}
	m := &Model{Controls: f.Controls, Categories: f.Categories, byType: map[svcKey]int{}, byClass: map[svcKey]int{}}
	for id := range f.Clouds {
		if !slices.Contains(cloudOrder, id) {
			return nil, fmt.Errorf("responsibility data: unknown cloud %q", id)
		}
	}
	for _, id := range cloudOrder {
		c, ok := f.Clouds[id]
		if !ok {
			return nil, fmt.Errorf("responsibility data: cloud %s missing", id)
		}
		c.ID = id
		if c.Name == "" || c.Title == "" || !validURL(c.URL) {
			return nil, fmt.Errorf("responsibility data: cloud %s: a name, title and source url are required", id)
		}
		m.Clouds = append(m.Clouds, c)
	}
	controls := map[string]bool{}
	for _, c := range f.Controls {
		if c.ID == "" || c.Name == "" || controls[c.ID] {
			return nil, fmt.Errorf("responsibility data: control %q: an id (once) and a name are required", c.ID)
		}
		controls[c.ID] = true
	}
	checkParties := func(what string, ps map[string]Party) error {
		for id, p := range ps {
			if !controls[id] {
				return fmt.Errorf("responsibility data: %s: unknown control %q", what, id)
			}
			if p != Provider && p != Customer && p != Shared {
				return fmt.Errorf("responsibility data: %s: control %s: %q is not provider, customer or shared", what, id, p)
			}
		}
		return nil
	}
	categories := map[string]*Category{}
	for i := range m.Categories {
		c := &m.Categories[i]
		if c.ID == "" || c.Name == "" || categories[c.ID] != nil || len(c.Controls) == 0 {
			return nil, fmt.Errorf("responsibility data: category %q: an id (once), a name and controls are required", c.ID)
		}
		if err := checkParties("category "+c.ID, c.Controls); err != nil {
			return nil, err
		}
		categories[c.ID] = c
	}
	ids := map[svcKey]bool{}
	for i := range f.Services {
		s := f.Services[i]
		what := fmt.Sprintf("service %s/%s", s.Cloud, s.ID)
		if !slices.Contains(cloudOrder, s.Cloud) || s.ID == "" || s.Name == "" || ids[svcKey{s.Cloud, s.ID}] {
			return nil, fmt.Errorf("responsibility data: %s: a known cloud, an id (once per cloud) and a name are required", what)
		}
		ids[svcKey{s.Cloud, s.ID}] = true
		if !validURL(s.Source) {
			return nil, fmt.Errorf("responsibility data: %s: source %q is not an https URL", what, s.Source)
		}
		cat := categories[s.Category]
		if cat == nil {
			return nil, fmt.Errorf("responsibility data: %s: unknown category %q", what, s.Category)
		}
		if len(s.Classes) == 0 && len(s.Types) == 0 {
			return nil, fmt.Errorf("responsibility data: %s: no classes or types", what)
		}
		if err := checkParties(what, s.Overrides); err != nil {
			return nil, err
		}
		s.Controls = make(map[string]Party, len(cat.Controls)+len(s.Overrides))
		for id, p := range cat.Controls {
			s.Controls[id] = p
		}
		for id, p := range s.Overrides {
			s.Controls[id] = p
		}
		idx := len(m.Services)
		for _, c := range s.Classes {
			if !resource.KnownClass(c) {
				return nil, fmt.Errorf("responsibility data: %s: unknown class %q", what, c)
			}
			k := svcKey{s.Cloud, string(c)}
			if j, dup := m.byClass[k]; dup {
				return nil, fmt.Errorf("responsibility data: %s: class %s already claimed by %s", what, c, m.Services[j].ID)
			}
			m.byClass[k] = idx
		}
		for _, t := range s.Types {
			k := svcKey{s.Cloud, strings.ToLower(t)}
			if j, dup := m.byType[k]; dup {
				return nil, fmt.Errorf("responsibility data: %s: type %s already claimed by %s", what, t, m.Services[j].ID)
			}
			m.byType[k] = idx
		}
		m.Services = append(m.Services, s)
	}
	return m, nil
}

func validURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host != ""
}

// Match returns the service a resource belongs to: by native type
// (case-insensitive), else by class; nil when the data has none.
func (m *Model) Match(r *resource.Resource) *Service {
	cloud := string(r.Provider)
	if i, ok := m.byType[svcKey{cloud, strings.ToLower(r.Type)}]; ok {
		return &m.Services[i]
	}
	if i, ok := m.byClass[svcKey{cloud, string(r.Class)}]; ok {
		return &m.Services[i]
	}
	return nil
}

// Cloud returns a cloud's model by ID.
func (m *Model) Cloud(id string) (Cloud, bool) {
	for _, c := range m.Clouds {
		if c.ID == id {
			return c, true
		}
	}
	return Cloud{}, false
}

// View is the shared-responsibility view of an inventory.
type View struct {
	// Resources counts the cloud resources considered (AWS, Azure, GCP;
	// class other excluded).
	Resources int         `json:"resources"`
	Clouds    []CloudView `json:"clouds"`
	// Unmapped lists resources of a modeled class whose service the data
	// does not know.
	Unmapped []TypeCount `json:"unmapped,omitempty"`
	// Controls names the controls the view refers to.
	Controls []Control `json:"controls"`
}

// CloudView is one cloud's services found.
type CloudView struct {
	Cloud
	Services []ServiceView `json:"services"`
}

// ServiceView is one service found and who operates each control.
type ServiceView struct {
	ID           string      `json:"id"`
	Name         string      `json:"name"`
	Category     string      `json:"category"`
	CategoryName string      `json:"category_name"`
	Resources    int         `json:"resources"`
	Types        []TypeCount `json:"types"`
	// Provider, Shared and Customer list control IDs, in the order of the
	// control list.
	Provider []string `json:"provider"`
	Shared   []string `json:"shared"`
	Customer []string `json:"customer"`
	// Sources are the service's page and the cloud's model.
	Sources []string `json:"sources"`
}

// TypeCount counts resources of one native type.
type TypeCount struct {
	Cloud     string         `json:"cloud,omitempty"`
	Class     resource.Class `json:"class,omitempty"`
	Type      string         `json:"type"`
	Resources int            `json:"resources"`
}

// Build returns the view of the services rs holds. Resources of other
// providers (Kubernetes manifests) and of class other are left out.
func (m *Model) Build(rs []*resource.Resource) View {
	type acc struct {
		svc   *Service
		n     int
		types map[string]int
	}
	found := map[*Service]*acc{}
	unmapped := map[TypeCount]int{}
	v := View{}
	for _, r := range rs {
		if !slices.Contains(cloudOrder, string(r.Provider)) || r.Class == resource.ClassOther {
			continue
		}
		v.Resources++
		s := m.Match(r)
		if s == nil {
			unmapped[TypeCount{Cloud: string(r.Provider), Class: r.Class, Type: r.Type}]++
			continue
		}
		a := found[s]
		if a == nil {
			a = &acc{svc: s, types: map[string]int{}}
			found[s] = a
		}
		a.n++
		a.types[r.Type]++
	}
	catName := map[string]string{}
	for _, c := range m.Categories {
		catName[c.ID] = c.Name
	}
	used := map[string]bool{}
	for _, c := range m.Clouds {
		cv := CloudView{Cloud: c}
		for i := range m.Services {
			s := &m.Services[i]
			a := found[s]
			if s.Cloud != c.ID || a == nil {
				continue
			}
			sv := ServiceView{ID: s.ID, Name: s.Name, Category: s.Category, CategoryName: catName[s.Category],
				Resources: a.n, Provider: []string{}, Shared: []string{}, Customer: []string{}, Sources: []string{s.Source}}
			if s.Source != c.URL {
				sv.Sources = append(sv.Sources, c.URL)
			}
			for t, n := range a.types {
				sv.Types = append(sv.Types, TypeCount{Type: t, Resources: n})
			}
			sort.Slice(sv.Types, func(i, j int) bool { return sv.Types[i].Type < sv.Types[j].Type })
			for _, ctl := range m.Controls {
				switch s.Controls[ctl.ID] {
				case Provider:
					sv.Provider = append(sv.Provider, ctl.ID)
				case Shared:
					sv.Shared = append(sv.Shared, ctl.ID)
				case Customer:
					sv.Customer = append(sv.Customer, ctl.ID)
				default:
					continue
				}
				used[ctl.ID] = true
			}
			cv.Services = append(cv.Services, sv)
		}
		if len(cv.Services) > 0 {
			v.Clouds = append(v.Clouds, cv)
		}
	}
	for tc, n := range unmapped {
		tc.Resources = n
		v.Unmapped = append(v.Unmapped, tc)
	}
	sort.Slice(v.Unmapped, func(i, j int) bool {
		a, b := v.Unmapped[i], v.Unmapped[j]
		if a.Cloud != b.Cloud {
			return a.Cloud < b.Cloud
		}
		return a.Type < b.Type
	})
	for _, c := range m.Controls {
		if used[c.ID] {
			v.Controls = append(v.Controls, c)
		}
	}
	return v
}

// Services counts the services in the view.
func (v View) Services() int {
	n := 0
	for _, c := range v.Clouds {
		n += len(c.Services)
	}
	return n
}
