package inventory

import (
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/resource/idcase"
)

// merger folds resources with the same identity (the same resource seen in
// several inputs or sources, e.g. an IAM user from AWS Config and from the
// credential report, or a Cloud Asset and its IAM policy line) into one.
type merger struct {
	byKey map[mergeKey]*resource.Resource
	list  []*resource.Resource
	// added holds each listed resource's provider and ID when it was
	// added: byKey is the derivation's index of IDs as long as no finisher
	// changed one (see idIndex).
	added       []addedAs
	unsupported map[mergeKey]string // native type of unmodelled resources
	// low lower-cases the Azure IDs of byKey's and unsupported's keys
	// into shared blocks (a string each was about a third of a million
	// objects per million resources, for every collection to mark).
	low idcase.Lowerer
}

type addedAs struct {
	provider resource.Provider
	id       string
}

type mergeKey struct {
	provider resource.Provider
	id       string
}

// newMerger sizes the index for indexSize keys and the list for size
// resources.
func newMerger(indexSize, size int) *merger {
	return &merger{
		byKey:       make(map[mergeKey]*resource.Resource, indexSize),
		list:        make([]*resource.Resource, 0, size),
		added:       make([]addedAs, 0, size),
		unsupported: map[mergeKey]string{},
	}
}

// mergeKeyOf is the identity of a resource: Azure resource IDs are
// case-insensitive, ARNs and Cloud Asset names are not.
func mergeKeyOf(p resource.Provider, id string) mergeKey {
	if p == resource.Azure {
		id = strings.ToLower(id)
	}
	return mergeKey{p, id}
}

// keyIn is mergeKeyOf(p, id) for keeping, lowered by low.
func keyIn(low *idcase.Lowerer, p resource.Provider, id string) mergeKey {
	if p == resource.Azure {
		id = low.Keep(id)
	}
	return mergeKey{p, id}
}

// lookIn is mergeKeyOf(p, id) for a look-up only, lowered by low: valid
// until low's next Look (never store it in a map).
func lookIn(low *idcase.Lowerer, p resource.Provider, id string) mergeKey {
	if p == resource.Azure {
		id = low.Look(id)
	}
	return mergeKey{p, id}
}

func (m *merger) add(r *resource.Resource) {
	k := keyIn(&m.low, r.Provider, r.ID)
	if old, ok := m.byKey[k]; ok {
		mergeInto(old, r)
		return
	}
	m.byKey[k] = r
	m.list = append(m.list, r)
	m.added = append(m.added, addedAs{r.Provider, r.ID})
}

// idIndex returns byKey when it still maps the key of every listed
// resource's ID to that resource and nothing else (no finisher changed a
// provider or an ID since it was added), for the derivation to extend
// with the aliases instead of building the same index again; nil
// otherwise. The aliases it then holds never hide an ID, so byKey still
// answers for every ID.
func (m *merger) idIndex() map[mergeKey]*resource.Resource {
	for i, r := range m.list {
		if a := m.added[i]; r.Provider != a.provider || r.ID != a.id {
			return nil
		}
	}
	return m.byKey
}

// mergeInto completes dst with what src knows and dst does not: empty
// fields, missing tags, relationships and raw attributes, and facts left
// unknown. Where both know a fact, dst's value stays.
func mergeInto(dst, src *resource.Resource) {
	fillString(&dst.Account, src.Account)
	fillString(&dst.Region, src.Region)
	fillString(&dst.Type, src.Type)
	fillString(&dst.Name, src.Name)
	if dst.Location == nil {
		dst.Location = src.Location
	}
	for _, a := range src.Aliases {
		if !slices.Contains(dst.Aliases, a) {
			dst.Aliases = append(dst.Aliases, a)
		}
	}
	if dst.Class == "" || dst.Class == resource.ClassOther {
		dst.Class = src.Class
	}
	// Tags may be a map an importer shares between resources (one for
	// every resource whose tags were the same decoded object): add to a
	// copy, never to the map itself.
	tagsCopied := false
	for k, v := range src.Tags {
		if _, ok := dst.Tags[k]; !ok {
			if !tagsCopied {
				dst.Tags, tagsCopied = maps.Clone(dst.Tags), true
				if dst.Tags == nil {
					dst.Tags = make(map[string]string, len(src.Tags))
				}
			}
			dst.Tags[k] = v
		}
	}
	for _, rel := range src.Relationships {
		dup := false
		for _, have := range dst.Relationships {
			if have == rel {
				dup = true
				break
			}
		}
		if !dup {
			dst.Relationships = append(dst.Relationships, rel)
		}
	}
	if dst.Raw == nil {
		dst.Raw = src.Raw
	} else {
		// Raw may be a map a decoder shares between resources (the
		// importers' decoder hands out one map for every copy of a small
		// object): add to a copy, never to the map itself.
		copied := false
		for k, v := range src.Raw {
			if _, ok := dst.Raw[k]; !ok {
				if !copied {
					dst.Raw, copied = maps.Clone(dst.Raw), true
				}
				dst.Raw[k] = v
			}
		}
	}
	if src.Source != "" && dst.Source != src.Source && !strings.Contains(dst.Source, src.Source) {
		if dst.Source == "" {
			dst.Source = src.Source
		} else {
			dst.Source += ", " + src.Source
		}
	}
	if dst.CapturedAt == nil || (src.CapturedAt != nil && src.CapturedAt.After(*dst.CapturedAt)) {
		if src.CapturedAt != nil {
			dst.CapturedAt = src.CapturedAt
		}
	}
	fillValue(reflect.ValueOf(&dst.Facts).Elem(), reflect.ValueOf(&src.Facts).Elem())
}

func fillString(dst *string, src string) {
	if *dst == "" {
		*dst = src
	}
}

// fillValue sets every zero (unknown) leaf of dst to src's value, recursing
// into structs and pointers to structs. Only used on merges, which are rare.
func fillValue(dst, src reflect.Value) {
	switch dst.Kind() {
	case reflect.Struct:
		for i := range dst.NumField() {
			fillValue(dst.Field(i), src.Field(i))
		}
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		if dst.IsNil() {
			dst.Set(src)
			return
		}
		if dst.Elem().Kind() == reflect.Struct {
			fillValue(dst.Elem(), src.Elem())
		}
	case reflect.Slice, reflect.Map:
		if dst.Len() == 0 && src.Len() > 0 {
			dst.Set(src)
		}
	case reflect.String:
		if dst.String() == "" {
			dst.SetString(src.String())
		}
	}
}
