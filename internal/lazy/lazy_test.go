package lazy

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

var shared Value[*int]

func TestGetOnce(t *testing.T) {
	var calls atomic.Int32
	compute := func() (*int, error) {
		calls.Add(1)
		n := 42
		return &n, nil
	}
	var wg sync.WaitGroup
	got := make(chan *int, 8)
	for range 8 {
		wg.Go(func() {
			v, err := shared.Get(compute)
			if err != nil {
				t.Error(err)
			}
			got <- v
		})
	}
	wg.Wait()
	close(got)
	first, _ := shared.Get(compute)
	for v := range got {
		if v != first || *v != 42 {
			t.Fatal("Get returned different values")
		}
	}
	if calls.Load() != 1 {
		t.Fatalf("compute called %d times", calls.Load())
	}
}

func TestGetError(t *testing.T) {
	var v Value[string]
	boom := errors.New("boom")
	if _, err := v.Get(func() (string, error) { return "", boom }); err != boom {
		t.Fatalf("err %v", err)
	}
	if _, err := v.Get(func() (string, error) { return "late", nil }); err != boom {
		t.Fatal("the error was not kept")
	}
}
