package respond

import (
	"encoding/json"
	"fmt"
)

// State encodes an action's state or undo data (Change.State,
// Outcome.Undo): plain structs, whose encoding cannot fail.
func State(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}

// ReadState decodes an action's state or undo data into v; what does not
// decode is ErrInput naming the action.
func ReadState(raw json.RawMessage, v any, action string) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%w: %s: the change's state does not read: %v", ErrInput, action, err)
	}
	return nil
}

// Applied goes into an action's undo data: whether Apply wrote.
type Applied struct {
	Changed bool `json:"changed,omitempty"`
}

// WasChanged reports whether the apply wrote.
func (a Applied) WasChanged() bool { return a.Changed }

// RollbackOf reads what Rollback restores into st: the change's state,
// with the apply's undo data over it. changed is false when the apply
// wrote nothing (nothing to roll back); without an outcome (the apply's
// record lost) the change's before-state is restored.
func RollbackOf(ch *Change, done *Outcome, st interface{ WasChanged() bool }) (changed bool, err error) {
	if err := ReadState(ch.State, st, ch.Action); err != nil {
		return false, err
	}
	if done == nil || len(done.Undo) == 0 {
		return true, nil
	}
	if err := ReadState(done.Undo, st, ch.Action); err != nil {
		return false, err
	}
	return st.WasChanged(), nil
}

// Unchanged is Rollback's answer when the apply changed nothing (or err).
func Unchanged(err error) (*Outcome, error) {
	if err != nil {
		return nil, err
	}
	return &Outcome{Note: "nothing to roll back: the apply changed nothing"}, nil
}
