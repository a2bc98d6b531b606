package policy

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// presentByReflection is the reference for factCheck.present: the same
// path followed with reflection.
func presentByReflection(f *resource.Facts, path string) bool {
	v := reflect.ValueOf(f).Elem()
	for _, name := range strings.Split(path, ".")[1:] {
		if v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return false
			}
			v = v.Elem()
		}
		found := false
		for _, fi := range structFields(v.Type()) {
			if fi.name == name {
				v, found = v.Field(fi.index), true
				break
			}
		}
		if !found {
			panic("no field " + name)
		}
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
		return !v.IsNil()
	case reflect.String:
		return v.Len() > 0
	}
	return true
}

// fill sets v to a random value: pointers, lists and maps nil, empty or
// set, strings empty or not, so every presence case occurs.
func fill(v reflect.Value, rng *rand.Rand, depth int) {
	switch v.Kind() {
	case reflect.Pointer:
		if depth > 6 || rng.IntN(3) == 0 {
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), rng, depth+1)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), rng, depth+1)
			}
		}
	case reflect.String:
		if rng.IntN(2) == 0 {
			v.SetString("x")
		}
	case reflect.Bool:
		v.SetBool(rng.IntN(2) == 0)
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(int64(rng.IntN(3)))
	case reflect.Slice:
		switch rng.IntN(3) {
		case 1:
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
		case 2:
			if depth < 6 {
				v.Set(reflect.MakeSlice(v.Type(), 1, 1))
				fill(v.Index(0), rng, depth+1)
			}
		}
	case reflect.Map:
		if rng.IntN(2) == 0 {
			v.Set(reflect.MakeMap(v.Type()))
		}
	}
}

// TestFactChecksMatchReflection compiles every fact path of the model that
// a rule may require and checks the compiled presence test against
// reflection on random facts.
func TestFactChecksMatchReflection(t *testing.T) {
	var checks []*factCheck
	for _, p := range FactPaths() {
		c, err := compileFactPath(p)
		if err != nil {
			if !strings.Contains(err.Error(), "cannot descend") {
				t.Errorf("%s: %v", p, err)
			}
			continue
		}
		checks = append(checks, c)
	}
	if len(checks) < 100 {
		t.Fatalf("only %d fact paths compiled", len(checks))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	seen := map[string][2]bool{} // path -> (seen absent, seen present)
	for range 3000 {
		var f resource.Facts
		fill(reflect.ValueOf(&f).Elem(), rng, 0)
		for _, c := range checks {
			want := presentByReflection(&f, c.path)
			if got := c.present(&f); got != want {
				t.Fatalf("%s: present = %v, reflection says %v on %+v", c.path, got, want, f)
			}
			s := seen[c.path]
			if want {
				s[1] = true
			} else {
				s[0] = true
			}
			seen[c.path] = s
		}
	}
	// str reads the same value as reflection.
	for range 500 {
		var f resource.Facts
		fill(reflect.ValueOf(&f).Elem(), rng, 0)
		for _, c := range checks {
			if c.elem != reflect.String {
				continue
			}
			want := ""
			if presentByReflection(&f, c.path) {
				v := reflect.ValueOf(&f).Elem()
				for _, name := range strings.Split(c.path, ".")[1:] {
					for v.Kind() == reflect.Pointer {
						v = v.Elem()
					}
					for _, fi := range structFields(v.Type()) {
						if fi.name == name {
							v = v.Field(fi.index)
						}
					}
				}
				for v.Kind() == reflect.Pointer {
					v = v.Elem()
				}
				want = v.String()
			}
			if got := c.str(&f); got != want {
				t.Fatalf("%s: str = %q, reflection says %q", c.path, got, want)
			}
		}
	}
	for _, c := range checks {
		if s := seen[c.path]; !s[0] {
			t.Errorf("%s: never absent in the random facts; the test does not cover it", c.path)
		}
	}
}

func TestFactPresenceSemantics(t *testing.T) {
	check := func(path string) *factCheck {
		c, err := compileFactPath(path)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	pub, tls, rules := check("facts.storage.public_access"), check("facts.storage.min_tls_version"), check("facts.firewall.rules")
	for _, tc := range []struct {
		name  string
		c     *factCheck
		facts resource.Facts
		want  bool
	}{
		{"no storage facts", pub, resource.Facts{}, false},
		{"nil bool", pub, resource.Facts{Storage: &resource.ObjectStorage{}}, false},
		{"false is known", pub, resource.Facts{Storage: &resource.ObjectStorage{PublicAccess: resource.Bool(false)}}, true},
		{"empty string", tls, resource.Facts{Storage: &resource.ObjectStorage{}}, false},
		{"string", tls, resource.Facts{Storage: &resource.ObjectStorage{MinTLSVersion: "1.2"}}, true},
		{"nil list", rules, resource.Facts{Firewall: &resource.Firewall{}}, false},
		{"empty list is known", rules, resource.Facts{Firewall: &resource.Firewall{Rules: []resource.FirewallRule{}}}, true},
	} {
		if got := tc.c.present(&tc.facts); got != tc.want {
			t.Errorf("%s: %s present = %v, want %v", tc.name, tc.c.path, got, tc.want)
		}
	}
}

func TestCompileFactPathErrors(t *testing.T) {
	for path, want := range map[string]string{
		"storage.public_access":          "not a fact path",
		"facts.storage.publik_access":    `has no field "publik_access"`,
		"facts.bucket.public_access":     `facts has no field "bucket"`,
		"facts.firewall.rules.from_port": "a list, which a fact path cannot descend into",
	} {
		_, err := compileFactPath(path)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one containing %q", path, err, want)
		}
	}
}

// BenchmarkFactCheck measures one presence check.
func BenchmarkFactCheck(b *testing.B) {
	c, err := compileFactPath("facts.storage.public_access")
	if err != nil {
		b.Fatal(err)
	}
	f := &resource.Facts{Storage: &resource.ObjectStorage{PublicAccess: resource.Bool(true)}}
	n := 0
	for b.Loop() {
		if c.present(f) {
			n++
		}
	}
	if n == 0 {
		b.Fatal("never present")
	}
}
