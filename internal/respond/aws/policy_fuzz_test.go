package awsrespond

import (
	"encoding/json"
	"testing"
)

// FuzzBucketPolicy: any policy text a bucket may answer is read without a
// panic, and a policy written back from its statements reads back to the
// same statements (what Apply puts is what it meant to keep).
func FuzzBucketPolicy(f *testing.F) {
	for _, s := range []string{
		publicPolicy,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject"}}`,
		`{"Statement":[]}`,
		`{"Id":"x","Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::1:root"}}],"Extra":1}`,
		`{"Statement":"nope"}`,
		`[]`,
		``,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		p, err := parsePolicy(text)
		if err != nil {
			return
		}
		for _, s := range p.statements {
			publicStatement(s)
		}
		out := p.text(p.statements)
		if !json.Valid([]byte(out)) {
			t.Fatalf("policy written from %q is not JSON: %s", text, out)
		}
		back, err := parsePolicy(out)
		if err != nil || len(back.statements) != len(p.statements) {
			t.Fatalf("policy written from %q does not read back (%v): %s", text, err, out)
		}
		for i := range p.statements {
			if canonical(back.statements[i]) != canonical(p.statements[i]) {
				t.Fatalf("statement %d changed: %s -> %s", i, p.statements[i], back.statements[i])
			}
		}
	})
}
