package iac

import (
	"maps"
	"os"
	"path/filepath"
	"testing"
)

func TestParseParameters(t *testing.T) {
	for _, c := range []struct {
		name, doc string
		want      map[string]string
		arm       bool
	}{
		{"aws cli", `[{"ParameterKey": "Env", "ParameterValue": "prod"}, {"ParameterKey": "Public", "ParameterValue": "true"}]`,
			map[string]string{"Env": "prod", "Public": "true"}, false},
		{"cfn configuration", `{"Parameters": {"Env": "prod", "Subnets": ["a", "b"], "Size": 3}}`,
			map[string]string{"Env": "prod", "Subnets": "a,b", "Size": "3"}, false},
		{"arm", `{"$schema": "x", "contentVersion": "1.0.0.0", "parameters": {"allowBlobPublicAccess": {"value": true},
			"secret": {"reference": {"keyVault": {"id": "kv"}, "secretName": "s"}}}}`,
			map[string]string{"allowBlobPublicAccess": "true"}, true},
	} {
		ps, arm, err := ParseParameters([]byte(c.doc))
		if err != nil || arm != c.arm {
			t.Errorf("%s: arm %v, %v", c.name, arm, err)
			continue
		}
		if got := StringParameters(ps); !maps.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
	for _, bad := range []string{`{"a": 1}`, `[{"x": 1}]`, `{"parameters": {"a": 1}}`, `not json`} {
		if _, _, err := ParseParameters([]byte(bad)); err == nil {
			t.Errorf("%s: accepted", bad)
		}
	}
}

// FuzzParseParameters: any input is parsed or refused, never a panic; a
// parsed file's values all render.
func FuzzParseParameters(f *testing.F) {
	for _, p := range []string{"aws-cli.json", "arm.parameters.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", "params", p))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"Parameters": {"A": [1, [true, null], {"x": 2}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ps, _, err := ParseParameters(data)
		if err != nil {
			return
		}
		if got := StringParameters(ps); len(got) != len(ps) {
			t.Fatalf("%d parameters rendered as %d", len(ps), len(got))
		}
	})
}
