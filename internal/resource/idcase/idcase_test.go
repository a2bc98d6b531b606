package idcase

import (
	"strings"
	"testing"
)

var cases = []string{
	"", "a", "A", "/subscriptions/0000/resourceGroups/RG-One/providers/Microsoft.Compute/virtualMachines/VM1",
	"already/lower/case", "MiXeD-123_ÄÖÜ", "\u212a" /* Kelvin sign: ToLower gives k */, "ÉCOLE", strings.Repeat("AbC", 6000),
}

func TestKeepAndLookMatchToLower(t *testing.T) {
	var l Lowerer
	kept := make([]string, len(cases))
	for i, s := range cases {
		kept[i] = l.Keep(s)
		if want := strings.ToLower(s); kept[i] != want {
			t.Errorf("Keep(%q) = %q, want %q", s, kept[i], want)
		}
		if got, want := l.Look(s), strings.ToLower(s); got != want {
			t.Errorf("Look(%q) = %q, want %q", s, got, want)
		}
	}
	// Later calls never change what Keep returned.
	for range 3000 {
		l.Keep("/SUBSCRIPTIONS/X/RESOURCEGROUPS/Y")
		l.Look("/SUBSCRIPTIONS/Z")
	}
	for i, s := range cases {
		if want := strings.ToLower(s); kept[i] != want {
			t.Errorf("Keep(%q) became %q after more calls", s, kept[i])
		}
	}
}

func TestLookIsAScratch(t *testing.T) {
	var l Lowerer
	a := l.Look("ABC")
	if a != "abc" {
		t.Fatalf("Look = %q", a)
	}
	b := l.Look("XYZ")
	if b != "xyz" {
		t.Fatalf("Look = %q", b)
	}
	if a == "abc" {
		t.Errorf("the first Look's text survived the second: Look no longer reuses its buffer (Keep is the keeping kind)")
	}
}

func TestKeepDoesNotAllocatePerString(t *testing.T) {
	var l Lowerer
	id := "/subscriptions/0000/resourceGroups/RG/providers/Microsoft.Network/networkInterfaces/NIC"
	l.Keep(id) // the first block
	if n := testing.AllocsPerRun(100, func() { l.Keep(id) }); n > 0.05 {
		t.Errorf("Keep allocates %.2f times per ID, want a block now and then only", n)
	}
	if n := testing.AllocsPerRun(100, func() { l.Look(id) }); n != 0 {
		t.Errorf("Look allocates %.2f times per ID", n)
	}
}

func FuzzKeepLook(f *testing.F) {
	for _, s := range cases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var l Lowerer
		want := strings.ToLower(s)
		if got := l.Keep(s); got != want {
			t.Errorf("Keep(%q) = %q, want %q", s, got, want)
		}
		if got := l.Look(s); got != want {
			t.Errorf("Look(%q) = %q, want %q", s, got, want)
		}
	})
}
