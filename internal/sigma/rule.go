package sigma

// LogSource is a rule's logsource section.
type LogSource struct {
	Product    string `json:"product,omitempty"`
	Service    string `json:"service,omitempty"`
	Category   string `json:"category,omitempty"`
	Definition string `json:"definition,omitempty"`
}

// Rule is one Sigma detection rule as parsed from YAML. Detection holds the
// parsed (not yet compiled) search identifiers and condition.
type Rule struct {
	ID, Name, Title, Description, Author, Level, Status string
	Date, Modified, License                             string
	// Path is the file the rule came from ("" when parsed from bytes); Line
	// is the 1-based line of the YAML document in that file.
	Path           string
	Line           int
	Tags           []string
	References     []string
	FalsePositives []string
	Fields         []string
	LogSource      LogSource
	Detection      *Detection
	// Filters are Sigma filters attached by ApplyFilters; Compile adds
	// "and not (filter)" for each.
	Filters []*Filter
}

// LoadError names a file (and, when known, a line) that could not be loaded
// and why. The other rules still load.
type LoadError struct {
	Path   string
	Line   int
	Reason string
}

func (e LoadError) Error() string {
	if e.Line > 0 {
		return e.Path + ":" + itoa(e.Line) + ": " + e.Reason
	}
	return e.Path + ": " + e.Reason
}
