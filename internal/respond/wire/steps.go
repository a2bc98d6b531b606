package wire

import (
	"encoding/json"

	"github.com/vigil-sec/vigil/internal/respond/engine"
	"github.com/vigil-sec/vigil/internal/respond/trail"
)

// StepRecord is what the trail says of one step of a plan applied on its
// own (engine.Runner.ApplyStep) in one mode.
type StepRecord struct {
	// Started: a run of the step began (its apply-start entry, written
	// before anything is done): applying it again could do it twice.
	Started bool
	// Status is the step's result ("" when no run of it ended).
	Status string
	// Run is the run that started it; Job names the job (StepData).
	Run, Job string
}

// Steps reads the trail (which must verify) for the step runs of the plan
// with this hash in mode: by step key.
func Steps(trailPath, planHash, mode string) (map[string]StepRecord, error) {
	out := map[string]StepRecord{}
	err := scan(trailPath, func(e *trail.Entry) {
		if e.Plan != planHash || (e.Kind != engine.KindStart && e.Kind != engine.KindEnd) || len(e.Data) == 0 {
			return
		}
		var d struct {
			Key, Mode, Status string
			Job               any
		}
		if json.Unmarshal(e.Data, &d) != nil || d.Key == "" || d.Mode != mode {
			return
		}
		r := out[d.Key]
		if e.Kind == engine.KindStart {
			r.Started, r.Run = true, e.Run
			if d.Job != nil {
				b, _ := json.Marshal(d.Job)
				r.Job = string(b)
			}
		} else {
			r.Status = d.Status
		}
		out[d.Key] = r
	})
	return out, err
}
