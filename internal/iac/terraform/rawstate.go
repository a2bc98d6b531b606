package terraform

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
)

// rawState is a state as Terraform writes it (terraform.tfstate, state
// format version 4): resources with their module address and instances,
// each instance's attributes as the provider's schema has them.
type rawState struct {
	Version          int    `json:"version"`
	TerraformVersion string `json:"terraform_version"`
	Resources        []struct {
		Module    string `json:"module"`
		Mode      string `json:"mode"`
		Type      string `json:"type"`
		Name      string `json:"name"`
		Provider  string `json:"provider"`
		Instances []struct {
			IndexKey      any            `json:"index_key"`
			SchemaVersion uint64         `json:"schema_version"`
			Attributes    map[string]any `json:"attributes"`
			// AttributesFlat is the flatmap of states upgraded from
			// format version 3 and not written since.
			AttributesFlat map[string]string `json:"attributes_flat"`
			Status         string            `json:"status"`
			Deposed        string            `json:"deposed"`
			Dependencies   []string          `json:"dependencies"`
		} `json:"instances"`
	} `json:"resources"`
}

// decodeRawState decodes a version 4 state into the form `terraform show
// -json` gives the same state (values.root_module with a child module per
// module instance), so that it is walked as the state JSON is: the
// attributes are the exact values. An instance whose attributes are only
// in the legacy flatmap form is an error naming it: its values cannot be
// read without the provider's schema.
func decodeRawState(src []byte) (*tfjson.State, error) {
	var raw rawState
	if err := json.Unmarshal(src, &raw); err != nil {
		return nil, err
	}
	root := &tfjson.StateModule{}
	mods := map[string]*tfjson.StateModule{"": root}
	for _, r := range raw.Resources {
		mode := tfjson.ResourceMode(r.Mode)
		if r.Mode == "" {
			mode = tfjson.ManagedResourceMode
		}
		base := r.Type + "." + r.Name
		if mode == tfjson.DataResourceMode {
			base = "data." + base
		}
		if r.Module != "" {
			base = r.Module + "." + base
		}
		m := mods[r.Module]
		if m == nil {
			m = &tfjson.StateModule{Address: r.Module}
			mods[r.Module] = m
			root.ChildModules = append(root.ChildModules, m)
		}
		for _, in := range r.Instances {
			addr := base
			switch k := in.IndexKey.(type) {
			case nil:
			case string:
				q, _ := json.Marshal(k)
				addr += "[" + string(q) + "]"
			case float64:
				addr += "[" + strconv.FormatFloat(k, 'f', -1, 64) + "]"
			default:
				return nil, fmt.Errorf("%s: index_key %v is neither a string nor a number", base, k)
			}
			if in.Attributes == nil && in.AttributesFlat != nil {
				return nil, fmt.Errorf("%s: attributes only in the legacy flat form (attributes_flat) of a state upgraded "+
					"from Terraform 0.11; terraform show -json, or an apply with a current Terraform, writes them", addr)
			}
			m.Resources = append(m.Resources, &tfjson.StateResource{Address: addr, Mode: mode, Type: r.Type, Name: r.Name,
				Index: in.IndexKey, ProviderName: providerSource(r.Provider), SchemaVersion: in.SchemaVersion,
				AttributeValues: in.Attributes, DependsOn: in.Dependencies, Tainted: in.Status == "tainted",
				DeposedKey: in.Deposed})
		}
	}
	sort.SliceStable(root.ChildModules, func(i, j int) bool { return root.ChildModules[i].Address < root.ChildModules[j].Address })
	return &tfjson.State{TerraformVersion: raw.TerraformVersion, Values: &tfjson.StateValues{RootModule: root}}, nil
}

// providerSource returns the provider source address of a state's provider
// configuration address, as terraform show -json gives it:
// module.m.provider["registry.terraform.io/hashicorp/aws"].west →
// registry.terraform.io/hashicorp/aws.
func providerSource(conf string) string {
	_, rest, ok := strings.Cut(conf, `provider["`)
	if !ok {
		return conf
	}
	src, _, _ := strings.Cut(rest, `"]`)
	return src
}
