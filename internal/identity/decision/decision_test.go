package decision

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestDecide(t *testing.T) {
	g := func(m, reason string) Grant { return Grant{Binding: "b", Match: m, Reason: reason} }
	for _, tt := range []struct {
		note         string
		allows, deny []Grant
		want         Result
		reasons      int
	}{
		{"nothing", nil, nil, ImplicitDeny, 0},
		{"allow", []Grant{g(MatchTrue, "")}, nil, Allowed, 0},
		{"allow beats conditional allows", []Grant{g(MatchConditional, "c"), g(MatchTrue, "")}, nil, Allowed, 0},
		{"certain deny wins", []Grant{g(MatchTrue, "")}, []Grant{g(MatchTrue, "")}, ExplicitDeny, 0},
		{"conditional deny over allow", []Grant{g(MatchTrue, "")}, []Grant{g(MatchConditional, "d")}, Conditional, 1},
		{"uncertain deny over allow", []Grant{g(MatchTrue, "")}, []Grant{g(MatchUncertain, "u"), g(MatchConditional, "d")}, Uncertain, 2},
		{"conditional allow", []Grant{g(MatchConditional, "c"), g(MatchUncertain, "u")}, nil, Conditional, 2},
		{"uncertain allow", []Grant{g(MatchUncertain, "u"), g(MatchUncertain, "u")}, nil, Uncertain, 1},
		{"deny without allow", nil, []Grant{g(MatchConditional, "d")}, ImplicitDeny, 0},
	} {
		d := Decide(tt.allows, tt.deny)
		if d.Result != tt.want || len(d.Reasons) != tt.reasons {
			t.Errorf("%s: %s with %q, want %s with %d reasons", tt.note, d.Result, d.Reasons, tt.want, tt.reasons)
		}
	}
	b, _ := json.Marshal(Decision{Result: ExplicitDeny})
	if string(b) != `{"result":"explicit_deny"}` || !ExplicitDeny.Denied() || Conditional.Denied() {
		t.Errorf("json = %s", b)
	}
}

func TestMemberships(t *testing.T) {
	in := Memberships("u", map[string][]string{"u": {"g1", "g2"}, "g1": {"g3"}, "g3": {"g1", "g4"}, "g2": {"g3"}})
	want := map[string][]string{"u": nil, "g1": {"g1"}, "g2": {"g2"}, "g3": {"g1", "g3"}, "g4": {"g1", "g3", "g4"}}
	if len(in) != len(want) {
		t.Fatalf("Memberships = %v, want %v", in, want)
	}
	for k, v := range want {
		if !slices.Equal(in[k], v) {
			t.Errorf("Memberships[%s] = %v, want %v", k, in[k], v)
		}
	}
}

func TestDecideOrder(t *testing.T) {
	a := []Grant{{Binding: "z", Scope: "/b", Match: MatchUncertain}, {Binding: "y", Scope: "/b", Match: MatchTrue}, {Binding: "x", Scope: "/a", Match: MatchConditional}, {Binding: "w", Scope: "/a", Match: MatchTrue}}
	d := Decide(a, nil)
	var got []string
	for _, g := range d.Allows {
		got = append(got, g.Binding)
	}
	if !slices.Equal(got, []string{"y", "w", "x", "z"}) {
		t.Errorf("order = %v", got)
	}
}
