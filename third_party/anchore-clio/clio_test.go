package clio

import (
	"os"
	"testing"
)

// TestExitEvent: the event clio v0.1.2 posts, with os.Interrupt as the value
// of an interrupt.
func TestExitEvent(t *testing.T) {
	if e := ExitEvent(false); e.Type != "clio-exit" || e.Value != nil {
		t.Errorf("ExitEvent(false) = %+v", e)
	}
	if e := ExitEvent(true); e.Type != "clio-exit" || e.Value != os.Interrupt {
		t.Errorf("ExitEvent(true) = %+v", e)
	}
}
