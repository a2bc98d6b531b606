package detect

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/vigil-sec/vigil/internal/logs"
)

// FollowOptions configures Follow.
type FollowOptions struct {
	// Dir is watched (recursively) for new and grown log files.
	Dir string
	// Checkpoint is the state file (written atomically: temp file, fsync,
	// rename).
	Checkpoint string
	// OutputPath is the JSON lines alert file the sink appends to, used on
	// resume to drop alerts already written after the last checkpoint. Empty
	// when alerts go elsewhere (then delivery is at-least-once).
	OutputPath string
	// Poll is the directory polling interval (default 2s).
	Poll time.Duration
	// CommitEvery is the number of events between checkpoints (default
	// 5000); a checkpoint is also written after a file when the last one is
	// older than a second, and at the end of every pass over the directory.
	CommitEvery int
	// OnInputError receives input problems.
	OnInputError func(logs.InputError)
	// Once makes Follow return after the first pass over files that are
	// ready, instead of polling until ctx is done.
	Once bool
	// IdleFlush, when positive: after no file was new or grown for that
	// long (wall clock), the events still in the reorder buffer go to the
	// correlations (Engine.ReleasePending), so the correlation alerts they
	// complete are raised without waiting for newer events. Windows stay
	// open (they close on event time only): events read later count in
	// them as in a batch run. Events that arrive after it and are older
	// than those released are late. Zero never flushes: correlation alerts
	// on the newest events wait for events ReorderWindow newer.
	IdleFlush time.Duration
}

// commitInterval is the longest time finished files wait for a checkpoint
// while a pass goes on.
const commitInterval = time.Second

// Checkpoint is the follow-mode state: how far each file was processed, the
// size of the alert file at that point and the correlation state.
type Checkpoint struct {
	Version int                  `json:"version"`
	Files   map[string]FileState `json:"files"`
	// OutputSize is the alert file's size when the checkpoint was written:
	// alerts after it may have been written without the checkpoint catching up.
	OutputSize  int64           `json:"output_size"`
	Correlation json.RawMessage `json:"correlation,omitempty"`
}

// FileState records one input file's progress. Next is the offset from
// which records are new (records with Offset >= Next); Size and ModTime
// are those of the file when it was last fully processed.
type FileState struct {
	Size    int64 `json:"size"`
	ModTime int64 `json:"mtime_ns"`
	Next    int64 `json:"next"`
}

// LoadCheckpoint reads a checkpoint; a missing file is an empty checkpoint.
func LoadCheckpoint(path string) (*Checkpoint, error) {
	ck := &Checkpoint{Version: 1, Files: map[string]FileState{}}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return ck, nil
	}
	if err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	if err := json.Unmarshal(data, ck); err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", path, err)
	}
	if ck.Version != 1 {
		return nil, fmt.Errorf("checkpoint %s: unsupported version %d", path, ck.Version)
	}
	if ck.Files == nil {
		ck.Files = map[string]FileState{}
	}
	return ck, nil
}

// Save writes the checkpoint atomically: a temporary file in the same
// directory, fsynced, renamed over path, and the directory fsynced.
func (ck *Checkpoint) Save(path string) error {
	data, err := json.Marshal(ck)
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("checkpoint: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("checkpoint: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// dedupSink drops alerts whose id was already written after the last
// checkpoint (found in the alert file's tail on resume).
type dedupSink struct {
	Sink
	seen    map[string]bool
	Skipped int
}

func (d *dedupSink) Write(ctx context.Context, a *Alert) error {
	if d.seen[a.Finding.FindingInfo.UID] {
		d.Skipped++
		return nil
	}
	return d.Sink.Write(ctx, a)
}

// Follow processes log files as they land in opt.Dir until ctx is done.
// Events go through the engine's reorder buffer as in Run: single-event
// alerts are raised at once, correlations see events in event-time order
// once events ReorderWindow newer were read (or, with IdleFlush, once the
// input has been idle that long). The reorder buffer (by file and offset),
// the correlation windows and the de-duplication keys are part of the
// checkpoint, so a run killed and resumed raises the alerts of an
// uninterrupted one.
// A file is read once its size and modification time are unchanged across
// two polls (so half-copied files are not read); files that grow later are
// read again from where processing stopped, files that disappear are
// forgotten. At every checkpoint (see CommitEvery) the sink is flushed (the
// alert file fsynced) and only then the checkpoint is saved, so after a crash or kill: no event is lost (the
// checkpoint never runs ahead of the alerts) and no alert is written twice
// (alerts have deterministic ids, and those already in the alert file after
// the checkpoint's output_size are skipped on replay).
func (e *Engine) Follow(ctx context.Context, sink Sink, opt FollowOptions) error {
	if opt.Poll <= 0 {
		opt.Poll = 2 * time.Second
	}
	if opt.CommitEvery <= 0 {
		opt.CommitEvery = 5000
	}
	onErr := opt.OnInputError
	if onErr == nil {
		onErr = func(logs.InputError) {}
	}
	ck, err := LoadCheckpoint(opt.Checkpoint)
	if err != nil {
		return err
	}
	if err := e.Restore(ctx, ck.Correlation); err != nil {
		return fmt.Errorf("checkpoint %s: %w", opt.Checkpoint, err)
	}
	ds := &dedupSink{Sink: sink, seen: map[string]bool{}}
	if opt.OutputPath != "" {
		size, err := RepairJSONL(opt.OutputPath)
		if err != nil {
			return err
		}
		from := min(ck.OutputSize, size)
		if ds.seen, err = AlertIDsSince(opt.OutputPath, from); err != nil {
			return err
		}
		if len(ds.seen) > 0 {
			e.log.Info("resuming: alerts written after the last checkpoint will not be repeated", "alerts", len(ds.seen))
		}
	}
	var (
		dirty      bool
		pending    int
		lastCommit = time.Now()
		lastData   = time.Now()
	)
	commit := func() error {
		dirty, pending, lastCommit = false, 0, time.Now()
		if err := ds.Flush(ctx); err != nil {
			return err
		}
		if opt.OutputPath != "" {
			st, err := os.Stat(opt.OutputPath)
			if err != nil {
				return fmt.Errorf("alert output: %w", err)
			}
			ck.OutputSize = st.Size()
		}
		snap, err := e.Snapshot()
		if err != nil {
			return err
		}
		ck.Correlation = snap
		return ck.Save(opt.Checkpoint)
	}
	type stamp struct{ size, mtime int64 }
	prev := map[string]stamp{}
	m := e.NewMatcher()
	emit := func(a *Alert) error { return ds.Write(ctx, a) }
	for {
		files := ListFiles([]string{opt.Dir}, onErr)
		listed := make(map[string]bool, len(files))
		read := false
		for _, path := range files {
			if err := ctx.Err(); err != nil {
				return err
			}
			st, err := os.Stat(path)
			if err != nil {
				continue // removed meanwhile
			}
			rel, err := filepath.Rel(opt.Dir, path)
			if err != nil {
				rel = path
			}
			listed[rel] = true
			now := stamp{st.Size(), st.ModTime().UnixNano()}
			fs, known := ck.Files[rel]
			if known && fs.Size == now.size && fs.ModTime == now.mtime {
				continue
			}
			if p, ok := prev[rel]; !ok || p != now {
				prev[rel] = now // not settled yet
				if !opt.Once {
					continue
				}
			}
			if known && now.size < fs.Size {
				fs.Next = 0 // replaced by a shorter file: read it all
			}
			read = true
			err = e.reader.ReadFile(ctx, path, func(rec logs.Record) error {
				if rec.Offset < fs.Next {
					return nil
				}
				e.stats.mu.Lock()
				e.stats.Events++
				e.stats.mu.Unlock()
				t := EventTime(rec)
				if err := e.Advance(ctx, t, emit); err != nil {
					return err
				}
				var h Hit
				if m.matchAt(rec, t, &h) {
					if err := e.Emit(ctx, &h, emit); err != nil {
						return err
					}
				}
				fs.Next = rec.Offset + 1
				ck.Files[rel] = fs
				dirty = true
				if pending++; pending >= opt.CommitEvery {
					return commit()
				}
				return nil
			}, onErr)
			if err != nil {
				return err
			}
			fs.Size, fs.ModTime = now.size, now.mtime
			ck.Files[rel] = fs
			dirty = true
			if time.Since(lastCommit) >= commitInterval {
				if err := commit(); err != nil {
					return err
				}
			}
		}
		if read {
			lastData = time.Now()
		} else if opt.IdleFlush > 0 && e.Pending() > 0 && time.Since(lastData) >= opt.IdleFlush {
			e.log.Info("input idle: correlating the events waiting in the reorder buffer", "events", e.Pending(), "idle", opt.IdleFlush)
			if err := e.ReleasePending(ctx, emit); err != nil {
				return err
			}
			dirty = true
		}
		// Forget files that are gone (rotated away), so the checkpoint does
		// not grow without bound.
		for rel := range ck.Files {
			if !listed[rel] {
				delete(ck.Files, rel)
				delete(prev, rel)
				dirty = true
			}
		}
		if dirty {
			if err := commit(); err != nil {
				return err
			}
		}
		if opt.Once {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(opt.Poll):
		}
	}
}
