package secrets

import (
	"encoding/base64"
	"slices"
	"testing"
)

func TestScript(t *testing.T) {
	for _, c := range []struct {
		script string
		want   []string
	}{
		{"#!/bin/bash\nexport DB_PASSWORD=hunter2\nAPI_TOKEN: 'abc'\n", []string{"API_TOKEN", "DB_PASSWORD"}},
		{"export DB_PASSWORD=$(aws secretsmanager get-secret-value)\nDB_PASSWORD=${DbPassword}\nTOKEN={{ vault }}\nKEY=<set me>\n", []string{}},
		{"$env:ADMIN_PASSWORD = 'P@ss'\n", []string{"ADMIN_PASSWORD"}},
		{"echo -----BEGIN RSA PRIVATE KEY----- > /root/key\n", []string{"(private key)"}},
		{base64.StdEncoding.EncodeToString([]byte("#!/bin/sh\nSECRET=x\naws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE\n")), []string{"(AWS access key)", "SECRET"}},
		{"yum install -y nginx\n", []string{}},
	} {
		if got := Script(c.script); !slices.Equal(got, c.want) {
			t.Errorf("Script(%.40q) = %v, want %v", c.script, got, c.want)
		}
	}
}

// FuzzScript: any text is scanned without a crash, and what is found is
// sorted and unique.
func FuzzScript(f *testing.F) {
	f.Add("export DB_PASSWORD=hunter2\n")
	f.Add(base64.StdEncoding.EncodeToString([]byte("SECRET=x\n")))
	f.Add("-----BEGIN PRIVATE KEY-----\nAKIAIOSFODNN7EXAMPLE")
	f.Fuzz(func(t *testing.T, s string) {
		got := Script(s)
		if !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) {
			t.Errorf("Script(%q) = %v: not sorted and unique", s, got)
		}
	})
}
