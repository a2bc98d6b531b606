package sigma

import "time"

// CorrelationHit is one firing of a correlation rule.
type CorrelationHit struct {
	Correlation *Correlation
	// Group holds the group-by values (by group-by field or alias name).
	Group map[string]string
	// Count is the value compared with the condition (events, distinct
	// values or distinct rules). First and Last bound the events counted.
	Count       int
	First, Last time.Time
	// Rules are the ids/names of the rules whose matches were counted.
	Rules []string
}

// Correlator runs correlation rules over a stream of rule matches. It is
// not safe for concurrent use. Its state can be saved with Snapshot and
// restored with Restore (JSON).
type Correlator struct{}

// NewCorrelator prepares correlations. rules are the loaded detection rules,
// used to resolve references by name and id; unresolvable references are
// errors naming the correlation's file.
func NewCorrelator(corrs []*Correlation, rules []*Rule) (*Correlator, []LoadError) {
	return &Correlator{}, nil
}

// Fields returns the event field names the caller must extract, for a match
// of rule (id or name), and pass to Observe: group-by fields (after
// aliases) and value_count's field.
func (c *Correlator) Fields(rule *Rule) []string { return nil }

// Observe records that rule matched an event at time t; values holds the
// fields named by Fields(rule). It returns the correlations that fire.
func (c *Correlator) Observe(rule *Rule, t time.Time, values map[string]string) []CorrelationHit {
	return nil
}

// Snapshot returns the correlator's state as JSON.
func (c *Correlator) Snapshot() ([]byte, error) { return []byte("{}"), nil }

// Restore loads a state produced by Snapshot.
func (c *Correlator) Restore(data []byte) error { return nil }
