package detect

import (
	"fmt"
	"strings"

	"github.com/vigil-sec/vigil/internal/ocsf"
)

// Level is a Sigma rule level, ordered from informational to critical.
type Level int

// Sigma levels in increasing order. LevelUnknown sorts lowest.
const (
	LevelUnknown Level = iota
	LevelInformational
	LevelLow
	LevelMedium
	LevelHigh
	LevelCritical
)

var levelNames = [...]string{"unknown", "informational", "low", "medium", "high", "critical"}

func (l Level) String() string {
	if l < 0 || int(l) >= len(levelNames) {
		return "unknown"
	}
	return levelNames[l]
}

// ParseLevel parses a Sigma level name (case-insensitive; "info" is accepted
// for informational).
func ParseLevel(s string) (Level, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "informational", "info":
		return LevelInformational, nil
	case "low":
		return LevelLow, nil
	case "medium":
		return LevelMedium, nil
	case "high":
		return LevelHigh, nil
	case "critical":
		return LevelCritical, nil
	}
	return LevelUnknown, fmt.Errorf("unknown level %q (want informational, low, medium, high or critical)", s)
}

// levelOf is ParseLevel without the error: unknown or empty levels are
// LevelUnknown.
func levelOf(s string) Level {
	l, _ := ParseLevel(s)
	return l
}

// SeverityID maps a Sigma level to the OCSF severity_id.
func (l Level) SeverityID() int {
	switch l {
	case LevelInformational:
		return ocsf.SeverityInformational
	case LevelLow:
		return ocsf.SeverityLow
	case LevelMedium:
		return ocsf.SeverityMedium
	case LevelHigh:
		return ocsf.SeverityHigh
	case LevelCritical:
		return ocsf.SeverityCritical
	}
	return ocsf.SeverityUnknown
}
