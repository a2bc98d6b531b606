package iac

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
)

// LoadParameters reads a template parameters file into name -> value, in
// any of the forms the tools write: the AWS CLI's list
// ([{"ParameterKey": k, "ParameterValue": v}]), a CloudFormation
// configuration file ({"Parameters": {k: v}}) or an ARM parameters file
// ({"parameters": {k: {"value": v}}}). Lists become comma-separated
// (CloudFormation's CommaDelimitedList), other non-strings their JSON.
// arm says the file is an ARM parameters file.
func LoadParameters(name string) (ps map[string]any, arm bool, err error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, false, fmt.Errorf("parameters: %w", err)
	}
	ps, arm, err = ParseParameters(data)
	if err != nil {
		return nil, false, fmt.Errorf("parameters %s: %w", name, err)
	}
	return ps, arm, nil
}

// ParseParameters reads a parameters file's content (see LoadParameters);
// values keep their JSON type (string, float64, bool, []any, map).
func ParseParameters(data []byte) (ps map[string]any, arm bool, err error) {
	var doc any
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, false, err
	}
	if m, ok := doc.(map[string]any); ok {
		_, cfn := m["Parameters"].(map[string]any)
		_, arm = m["parameters"].(map[string]any)
		arm = arm && !cfn
	}
	ps, err = parseParameters(doc)
	if err != nil {
		return nil, false, err
	}
	return ps, arm, nil
}

func parseParameters(doc any) (map[string]any, error) {
	out := map[string]any{}
	switch d := doc.(type) {
	case []any:
		for i, e := range d {
			m, _ := e.(map[string]any)
			k, ok := m["ParameterKey"].(string)
			if !ok {
				return nil, fmt.Errorf("entry %d has no ParameterKey", i+1)
			}
			out[k] = m["ParameterValue"]
		}
		return out, nil
	case map[string]any:
		if ps, ok := d["Parameters"].(map[string]any); ok {
			for k, v := range ps {
				out[k] = v
			}
			return out, nil
		}
		if ps, ok := d["parameters"].(map[string]any); ok {
			for k, v := range ps {
				m, ok := v.(map[string]any)
				if !ok {
					return nil, fmt.Errorf("parameter %s: want {\"value\": ...}", k)
				}
				if v, ok := m["value"]; ok {
					out[k] = v
				}
				// A Key Vault reference cannot be resolved before
				// deployment: the parameter stays unknown.
			}
			return out, nil
		}
	}
	return nil, fmt.Errorf("not a parameters file: want [{\"ParameterKey\", \"ParameterValue\"}], {\"Parameters\": {...}} or an ARM {\"parameters\": {...}}")
}

// StringParameters renders parameter values as CloudFormation reads them:
// lists comma-separated, numbers and booleans as written.
func StringParameters(ps map[string]any) map[string]string {
	out := make(map[string]string, len(ps))
	for k, v := range ps {
		out[k] = paramString(v)
	}
	return out
}

func paramString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case []any:
		s := ""
		for i, e := range x {
			if i > 0 {
				s += ","
			}
			s += paramString(e)
		}
		return s
	case nil:
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}
