package azureroles

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"

	"github.com/vigil-sec/vigil/internal/lazy"
)

//go:generate go run ./gen -in ../../../../../shared/corpus/iam-reference/azure-built-in-roles.json -out roles.json.gz

//go:embed roles.json.gz
var embedded []byte

// Permission is one permission block of a role definition; Condition (ABAC,
// with its ConditionVersion) restricts what the block grants, "" when none.
type Permission struct {
	resource.RolePermission
	Condition        string `json:"condition,omitempty"`
	ConditionVersion string `json:"condition_version,omitempty"`
}

// Role is one built-in role definition. ID is the role definition's GUID
// (the last segment of /providers/Microsoft.Authorization/roleDefinitions/ID).
type Role struct {
	ID          string       `json:"id"`
	Name        string       `json:"name"`
	Permissions []Permission `json:"permissions"`
}

// Roles is the set of built-in role definitions, looked up by ID or name
// (both case-insensitive).
type Roles struct {
	list   []Role
	byID   map[string]int
	byName map[string]int
}

// Decode reads roles in the shipped form (gzip-compressed JSON array of Role).
func Decode(r io.Reader) (*Roles, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("azure role reference data: %w", err)
	}
	var list []Role
	if err := json.NewDecoder(zr).Decode(&list); err != nil {
		return nil, fmt.Errorf("azure role reference data: %w", err)
	}
	rs := &Roles{list: list, byID: make(map[string]int, len(list)), byName: make(map[string]int, len(list))}
	for i, ro := range list {
		if ro.ID == "" || ro.Name == "" {
			return nil, fmt.Errorf("azure role reference data: role %d: id or name missing", i)
		}
		rs.byID[strings.ToLower(ro.ID)] = i
		rs.byName[strings.ToLower(ro.Name)] = i
	}
	return rs, nil
}

// Load decodes the embedded reference data.
func Load() (*Roles, error) { return Decode(bytes.NewReader(embedded)) }

// decoded holds what Default decoded (lazy: no initializer at every start).
var decoded lazy.Value[*Roles]

// Default returns the embedded reference data, decoded once per process.
func Default() (*Roles, error) {
	return decoded.Get(Load)
}

// Len is the number of roles.
func (rs *Roles) Len() int { return len(rs.list) }

// All returns every role, in the order of the source.
func (rs *Roles) All() []Role { return rs.list }

// ByID returns the role with the definition ID id: a GUID or a full role
// definition resource ID (any scope prefix), case-insensitively.
func (rs *Roles) ByID(id string) (Role, bool) {
	if i := strings.LastIndexByte(id, '/'); i >= 0 {
		id = id[i+1:]
	}
	i, ok := rs.byID[strings.ToLower(id)]
	if !ok {
		return Role{}, false
	}
	return rs.list[i], true
}

// ByName returns the role named name (Owner, Storage Blob Data Reader),
// case-insensitively.
func (rs *Roles) ByName(name string) (Role, bool) {
	i, ok := rs.byName[strings.ToLower(name)]
	if !ok {
		return Role{}, false
	}
	return rs.list[i], true
}
