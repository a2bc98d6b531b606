package resource

import (
	"reflect"
	"testing"
)

func TestNetwork(t *testing.T) {
	if got := NormSources([]string{"*", "Internet", "10.0.0.0/8", "0.0.0.0/0", " ::/0 ", ""}); !reflect.DeepEqual(got, []string{"0.0.0.0/0", "::/0", "10.0.0.0/8"}) {
		t.Errorf("NormSources = %v", got)
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
