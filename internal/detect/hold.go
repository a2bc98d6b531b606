package detect

import (
	"bytes"
	"context"
	"sort"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"github.com/vigil-sec/vigil/internal/logs"
	azurelogs "github.com/vigil-sec/vigil/internal/logs/azure"
)

// The Azure Activity Log records one operation two or three times: a Start
// record when Resource Manager takes the request, an Accept for some
// asynchronous operations, then its outcome, Success or Failure, all with
// the operation's correlationId, operationName and resourceId. A rule on
// the operation matched every record and alerted twice for one role
// assignment, one diagnostic setting deleted. The engine therefore holds a
// single-event alert raised on a Start (or Accept) record until the
// operation's outcome is read:
//
//   - outcome Success: the Start's alert is dropped when the rule alerts
//     on the outcome record too (one alert, the outcome's); it goes out
//     when the rule does not match the outcome (a rule that reads the
//     request body, which only the Start carries);
//   - outcome Failure: the Start's alert is dropped. The refused attempt
//     alerts through the rules that match the Failure record, at their
//     level (a rule that leaves failures out raised nothing on it, and
//     its Start alert does not stand for the refused call);
//   - no outcome within holdTimeout of event time (the newest event read
//     moves past it), or when a batch ends: the Start's alert goes out.
//
// An outcome read before its Start (files read out of order) is kept for
// holdTimeout, so the Start is settled as it is read. Held operations are
// bounded (maxHeldOps): past that the oldest go out at once. Alerts held
// or dropped are counted when settled; dropped ones as suppressed
// (SuppressedOutcome). Held alerts and remembered outcomes are part of
// follow mode's checkpoint.

// holdTimeout is how long, in event time, a Start alert waits for its
// outcome. Resource Manager writes the outcome when the operation ends:
// seconds for most writes, minutes for long-running ones.
const holdTimeout = 30 * time.Minute

// maxHeldOps bounds the operations held (and the outcomes remembered).
const maxHeldOps = 10000

// SuppressedOutcome counts a Start record's alert dropped because the
// operation's outcome record was alerted on, or was a failure.
const SuppressedOutcome = "operation outcome logged"

// opPhase is where an Activity Log record is in its operation.
type opPhase uint8

const (
	phaseNone    opPhase = iota
	phaseStart           // Start, Accept (Started, Accepted)
	phaseSuccess         // Success (Succeeded)
	phaseFailure         // Failure (Failed)
)

// opKey identifies one Azure Resource Manager operation.
type opKey struct{ Corr, Op, Resource string }

// heldAlert is a Start record's alert waiting for the outcome.
type heldAlert struct {
	info  *RuleInfo
	level Level
	alert *Alert
}

// heldOp is an operation whose Start raised alerts.
type heldOp struct {
	t      time.Time
	alerts []heldAlert
}

// opOutcome is an outcome read (for Starts read after it): its time,
// whether it failed and the rules that matched it.
type opOutcome struct {
	t      time.Time
	failed bool
	rules  map[string]bool
}

// activityOp returns the operation and phase of an Azure Activity Log
// record, in any of the shapes the source reads (diagnostic records,
// Log Analytics AzureActivity rows, REST EventData), or phaseNone.
func activityOp(rec logs.Record) (opKey, opPhase) {
	if rec.Source != azurelogs.ActivityName {
		return opKey{}, phaseNone
	}
	res := gjson.GetManyBytes(rec.Raw,
		"resultType", "ResultType", "ActivityStatusValue", "status.value", "ActivityStatus",
		"correlationId", "CorrelationId",
		"operationName", "OperationNameValue", "OperationName",
		"resourceId", "ResourceId", "_ResourceId")
	status := firstStr(res[0:5]...)
	var ph opPhase
	switch strings.ToLower(status) {
	case "start", "started", "accept", "accepted":
		ph = phaseStart
	case "success", "succeeded":
		ph = phaseSuccess
	case "failure", "failed":
		ph = phaseFailure
	default:
		return opKey{}, phaseNone
	}
	op := res[7]
	if op.IsObject() {
		op = op.Get("value")
	}
	k := opKey{
		Corr:     strings.ToLower(firstStr(res[5], res[6])),
		Op:       strings.ToUpper(firstStr(op, res[8], res[9])),
		Resource: strings.ToUpper(firstStr(res[10:13]...)),
	}
	if k.Corr == "" || k.Op == "" {
		return opKey{}, phaseNone
	}
	return k, ph
}

// firstStr returns the first non-empty string of rs.
func firstStr(rs ...gjson.Result) string {
	for _, r := range rs {
		if r.Type == gjson.String && r.Str != "" {
			return r.Str
		}
	}
	return ""
}

// holdStart holds (or settles at once, when its outcome was read first)
// the alert a Start record raised.
func (e *Engine) holdStart(k opKey, t time.Time, ha heldAlert, fn func(*Alert) error) error {
	if o, ok := e.outcomes[k]; ok {
		return e.settle(ha, o.failed, o.rules[ha.info.Key()], fn)
	}
	op := e.held[k]
	if op == nil {
		if len(e.held) >= maxHeldOps {
			oldest := e.oldestHeld()
			if err := e.releaseHeld(fn, func(k opKey, _ *heldOp) bool { return k == oldest }); err != nil {
				return err
			}
		}
		op = &heldOp{t: t}
		e.held[k] = op
	}
	for _, h := range op.alerts {
		if h.info == ha.info {
			// The Accept after the Start: one alert is enough.
			e.stats.suppress(ha.info, SuppressedOutcome)
			return nil
		}
	}
	// The record's buffer may be reused once Emit returns: the held
	// alert keeps its encoding and copies of its events.
	if ha.alert.encoded == nil {
		if err := ha.alert.Encode(); err != nil {
			return err
		}
	}
	evs := make([]Event, len(ha.alert.Events))
	for i, ev := range ha.alert.Events {
		ev.Record.Raw = bytes.Clone(ev.Record.Raw)
		evs[i] = ev
	}
	ha.alert.Events = evs
	op.alerts = append(op.alerts, ha)
	return nil
}

// settle decides a held alert once its operation's outcome is known:
// alerted reports whether the rule matched the outcome record.
func (e *Engine) settle(ha heldAlert, failed, alerted bool, fn func(*Alert) error) error {
	if failed || alerted {
		e.stats.suppress(ha.info, SuppressedOutcome)
		return nil
	}
	e.stats.emit(ha.info, ha.level)
	return fn(ha.alert)
}

// outcome settles the alerts held for operation k, whose outcome record
// (time t, failed or not) matched rules, and remembers it for Starts read
// later.
func (e *Engine) outcome(k opKey, t time.Time, failed bool, rules map[string]bool, fn func(*Alert) error) error {
	if op := e.held[k]; op != nil {
		delete(e.held, k)
		for _, ha := range op.alerts {
			if err := e.settle(ha, failed, rules[ha.info.Key()], fn); err != nil {
				return err
			}
		}
	}
	if len(e.outcomes) >= maxHeldOps {
		e.sweepOutcomes(time.Time{}, true)
	}
	e.outcomes[k] = opOutcome{t: t, failed: failed, rules: rules}
	return nil
}

// oldestHeld returns the held operation of the earliest Start (ties by
// key).
func (e *Engine) oldestHeld() opKey {
	var best opKey
	var bt time.Time
	first := true
	for k, op := range e.held {
		if first || op.t.Before(bt) || (op.t.Equal(bt) && keyLess(k, best)) {
			best, bt, first = k, op.t, false
		}
	}
	return best
}

func keyLess(a, b opKey) bool {
	if a.Corr != b.Corr {
		return a.Corr < b.Corr
	}
	if a.Op != b.Op {
		return a.Op < b.Op
	}
	return a.Resource < b.Resource
}

// releaseHeld sends out the held alerts of the operations sel selects,
// oldest Start first (then by key), and forgets them.
func (e *Engine) releaseHeld(fn func(*Alert) error, sel func(opKey, *heldOp) bool) error {
	var ks []opKey
	for k, op := range e.held {
		if sel(k, op) {
			ks = append(ks, k)
		}
	}
	sort.Slice(ks, func(i, j int) bool {
		a, b := e.held[ks[i]], e.held[ks[j]]
		if !a.t.Equal(b.t) {
			return a.t.Before(b.t)
		}
		return keyLess(ks[i], ks[j])
	})
	for _, k := range ks {
		op := e.held[k]
		delete(e.held, k)
		for _, ha := range op.alerts {
			if err := e.settle(ha, false, false, fn); err != nil {
				return err
			}
		}
	}
	return nil
}

// sweepOutcomes forgets outcomes read more than holdTimeout before now
// (all but the newest half when full is set).
func (e *Engine) sweepOutcomes(now time.Time, full bool) {
	if full {
		ts := make([]time.Time, 0, len(e.outcomes))
		for _, o := range e.outcomes {
			ts = append(ts, o.t)
		}
		sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
		now = ts[len(ts)/2].Add(holdTimeout)
	}
	for k, o := range e.outcomes {
		if now.Sub(o.t) > holdTimeout {
			delete(e.outcomes, k)
		}
	}
}

// expireHeld, as the newest event time read moves to wm, sends out the
// alerts of Starts whose outcome did not come within holdTimeout and
// forgets outcomes as old. It looks at most once per flushTick of wm.
func (e *Engine) expireHeld(wm time.Time, fn func(*Alert) error) error {
	if len(e.held) == 0 && len(e.outcomes) == 0 {
		return nil
	}
	if wm.Before(e.holdSweep) {
		return nil
	}
	e.holdSweep = wm.Truncate(flushTick).Add(flushTick)
	e.sweepOutcomes(wm, false)
	return e.releaseHeld(fn, func(_ opKey, op *heldOp) bool { return wm.Sub(op.t) > holdTimeout })
}

// FinishHeld sends out every alert still held (the end of a finite input:
// no outcome will come).
func (e *Engine) FinishHeld(fn func(*Alert) error) error {
	return e.releaseHeld(fn, func(opKey, *heldOp) bool { return true })
}

// emitHeld is Emit's delivery of the alerts of one hit on an Azure
// Activity Log record of operation k in phase ph: alert(i) returns the
// i-th rule's alert (nil when tuning suppressed it, counted by alert).
func (e *Engine) emitHeld(_ context.Context, h *Hit, k opKey, ph opPhase, alert func(i int) (*RuleInfo, Level, *Alert), fn func(*Alert) error) error {
	var rules map[string]bool
	for i, r := range h.Rules {
		info := e.info[r]
		if info == nil || e.silent[r] {
			continue
		}
		if ph != phaseStart {
			if rules == nil {
				rules = map[string]bool{}
			}
			rules[info.Key()] = true
		}
		info, level, a := alert(i)
		if a == nil {
			continue
		}
		if ph == phaseStart {
			if err := e.holdStart(k, h.Time, heldAlert{info: info, level: level, alert: a}, fn); err != nil {
				return err
			}
			continue
		}
		e.stats.emit(info, level)
		if err := fn(a); err != nil {
			return err
		}
	}
	if ph == phaseStart {
		return nil
	}
	return e.outcome(k, h.Time, ph == phaseFailure, rules, fn)
}

// holdState is the checkpoint form of the held alerts and remembered
// outcomes.
type holdState struct {
	Held     []heldState    `json:"held,omitempty"`
	Outcomes []outcomeState `json:"outcomes,omitempty"`
}

type heldState struct {
	Op      opKey     `json:"op"`
	T       time.Time `json:"t"`
	Rule    string    `json:"rule"`
	Level   Level     `json:"level"`
	UID     string    `json:"uid"`
	Finding exactRaw  `json:"finding"`
}

type outcomeState struct {
	Op     opKey     `json:"op"`
	T      time.Time `json:"t"`
	Failed bool      `json:"failed,omitempty"`
	Rules  []string  `json:"rules,omitempty"`
}

// holdSnapshot returns the held alerts (their encoded findings) and the
// outcomes remembered, in a stable order.
func (e *Engine) holdSnapshot() *holdState {
	if len(e.held) == 0 && len(e.outcomes) == 0 {
		return nil
	}
	st := &holdState{}
	for k, op := range e.held {
		for _, ha := range op.alerts {
			st.Held = append(st.Held, heldState{Op: k, T: op.t, Rule: ha.info.Key(), Level: ha.level,
				UID: ha.alert.Finding.FindingInfo.UID, Finding: ha.alert.encoded})
		}
	}
	sort.Slice(st.Held, func(i, j int) bool {
		a, b := st.Held[i], st.Held[j]
		if a.Op != b.Op {
			return keyLess(a.Op, b.Op)
		}
		return a.Rule < b.Rule
	})
	for k, o := range e.outcomes {
		os := outcomeState{Op: k, T: o.t, Failed: o.failed}
		for r := range o.rules {
			os.Rules = append(os.Rules, r)
		}
		sort.Strings(os.Rules)
		st.Outcomes = append(st.Outcomes, os)
	}
	sort.Slice(st.Outcomes, func(i, j int) bool { return keyLess(st.Outcomes[i].Op, st.Outcomes[j].Op) })
	return st
}

// holdRestore loads what holdSnapshot saved. A held alert of a rule no
// longer loaded is left out.
func (e *Engine) holdRestore(st *holdState) {
	e.held, e.outcomes = map[opKey]*heldOp{}, map[opKey]opOutcome{}
	if st == nil {
		return
	}
	byKey := map[string]*RuleInfo{}
	for _, info := range e.info {
		byKey[info.Key()] = info
	}
	for _, hs := range st.Held {
		info := byKey[hs.Rule]
		if info == nil {
			continue
		}
		op := e.held[hs.Op]
		if op == nil {
			op = &heldOp{t: hs.T}
			e.held[hs.Op] = op
		}
		a := &Alert{Rule: info, Level: hs.Level, encoded: []byte(hs.Finding)}
		a.Finding.FindingInfo.UID = hs.UID
		op.alerts = append(op.alerts, heldAlert{info: info, level: hs.Level, alert: a})
	}
	for _, os := range st.Outcomes {
		o := opOutcome{t: os.T, failed: os.Failed, rules: map[string]bool{}}
		for _, r := range os.Rules {
			o.rules[r] = true
		}
		e.outcomes[os.Op] = o
	}
}
