package lazyre

import (
	"sync"
	"testing"
)

var digits = Regexp{Expr: `^[0-9]+$`}

func TestGet(t *testing.T) {
	if digits.re != nil {
		t.Fatal("compiled before its first use")
	}
	var wg sync.WaitGroup
	got := make(chan any, 8)
	for range 8 {
		wg.Go(func() { got <- digits.Get() })
	}
	wg.Wait()
	close(got)
	first := digits.Get()
	for re := range got {
		if re != first {
			t.Fatal("Get compiled the expression more than once")
		}
	}
	if !first.MatchString("042") || first.MatchString("4a") {
		t.Fatalf("%s matches wrongly", first)
	}
}

func TestGetPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("an expression that does not compile did not panic")
		}
	}()
	bad := Regexp{Expr: `(`}
	bad.Get()
}
