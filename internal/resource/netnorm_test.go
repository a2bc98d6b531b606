package resource

import (
	"reflect"
	"testing"
)

func TestNetwork(t *testing.T) {
	if got := NormSources([]string{"*", "Internet", "10.0.0.0/8", "0.0.0.0/0", " ::/0 ", ""}); !reflect.DeepEqual(got, []string{"0.0.0.0/0", "::/0", "10.0.0.0/8"}) {
		t.Errorf("NormSources = %v", got)
	}
	// A prefix of length 0 is every address of its family whatever its host
	// bits; a malformed one is kept as written.
	for in, want := range map[string][]string{
		"34.15.11.3/0": {"0.0.0.0/0"}, "2001:db8::1/0": {"::/0"}, "10.0.0.0/0": {"0.0.0.0/0"},
		"10.0.0.0/10": {"10.0.0.0/10"}, "tag/0": {"tag/0"}, "300.1.1.1/0": {"300.1.1.1/0"},
	} {
		if got := NormSources([]string{in}); !reflect.DeepEqual(got, want) {
			t.Errorf("NormSources(%q) = %v, want %v", in, got, want)
		}
	}
	for in, want := range map[string][3]int{"22": {22, 22, 1}, "3389-3390": {3389, 3390, 1}, "*": {0, 65535, 1}, "": {0, 65535, 1}, "5-1": {0, 0, 0}, "x": {0, 0, 0}, "70000": {0, 0, 0}} {
		f, to, ok := ParsePortRange(in)
		if f != want[0] || to != want[1] || ok != (want[2] == 1) {
			t.Errorf("ParsePortRange(%q) = %d %d %v", in, f, to, ok)
		}
	}
	for in, want := range map[string]string{"-1": "all", "Tcp": "tcp", "6": "tcp", "*": "all", "ICMP": "icmp", "esp": "esp"} {
		if got := NormProtocol(in); got != want {
			t.Errorf("NormProtocol(%q) = %q", in, got)
		}
	}
}
