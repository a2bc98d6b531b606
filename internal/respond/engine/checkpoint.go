package engine

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
)

// Checkpoint is the memory of the steps started in a state directory: a
// key is written (and fsynced) before its change is made and again with
// its outcome, so a restart never runs a step twice, even one a crash
// interrupted (the trail shows how far it got); a step that failed may
// run again. It also keeps the read offset of each followed input.
type Checkpoint struct {
	mu      sync.Mutex
	path    string
	f       *os.File
	keys    map[string]string // key -> started, done, failed
	offsets map[string]int64
}

type checkpointLine struct {
	Key    string `json:"key,omitempty"`
	State  string `json:"state,omitempty"`
	Input  string `json:"input,omitempty"`
	Offset int64  `json:"offset,omitempty"`
}

// OpenCheckpoint opens (creating) the checkpoint file at path.
func OpenCheckpoint(path string) (*Checkpoint, error) {
	c := &Checkpoint{path: path, keys: map[string]string{}, offsets: map[string]int64{}}
	if f, err := os.Open(path); err == nil {
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		line := 0
		for sc.Scan() {
			line++
			var l checkpointLine
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
				// A line torn by a crash is the last one: what it
				// recorded did not start.
				continue
			}
			if l.Key != "" {
				c.keys[l.Key] = l.State
			}
			if l.Input != "" {
				c.offsets[l.Input] = l.Offset
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("checkpoint %s: %w", path, err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	c.f = f
	return c, nil
}

// Done reports whether key was started before and did not fail.
func (c *Checkpoint) Done(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.keys[key]
	return st == "started" || st == "done"
}

// Mark records key as started, durably, before its change is made.
func (c *Checkpoint) Mark(key string) error {
	return c.append(checkpointLine{Key: key, State: "started"}, func() { c.keys[key] = "started" })
}

// Finish records key's outcome: a failed step may run again.
func (c *Checkpoint) Finish(key string, ok bool) error {
	st := "failed"
	if ok {
		st = "done"
	}
	return c.append(checkpointLine{Key: key, State: st}, func() { c.keys[key] = st })
}

// Offset returns the read offset recorded for input.
func (c *Checkpoint) Offset(input string) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.offsets[input]
}

// SetOffset records that input was processed up to offset.
func (c *Checkpoint) SetOffset(input string, offset int64) error {
	return c.append(checkpointLine{Input: input, Offset: offset}, func() { c.offsets[input] = offset })
}

func (c *Checkpoint) append(l checkpointLine, apply func()) error {
	b, err := json.Marshal(l)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := c.f.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("checkpoint %s: %w", c.path, err)
	}
	if err := c.f.Sync(); err != nil {
		return fmt.Errorf("checkpoint %s: %w", c.path, err)
	}
	apply()
	return nil
}

// Close closes the file.
func (c *Checkpoint) Close() error { return c.f.Close() }
