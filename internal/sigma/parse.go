package sigma

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Detection is a rule's parsed detection section: named search identifiers
// and the condition (a list of conditions is an OR of them).
type Detection struct {
	Searches  map[string]*Search
	Order     []string // search identifiers in file order
	Condition *Cond
	// ConditionText is the condition as written (several joined by " or ").
	ConditionText string
	Timeframe     string
}

// Search is one search identifier: an OR of alternatives, each an AND of
// items. A Sigma map is one alternative; a list of maps is several; a list
// of plain values is one alternative holding one keyword item.
type Search struct {
	Name         string
	Alternatives [][]*Item
	Line         int
}

// Item is one "field|modifier|...: value(s)" entry. Field is empty for
// keyword (full-text) items.
type Item struct {
	Field     string
	Modifiers []string
	Values    []Lit
	Line      int
}

// Lit is a literal value from YAML.
type Lit struct {
	Kind Kind // KindString, KindNumber, KindBool or KindNull
	S    string
	N    float64
}

// Collection is everything parsed from one file.
type Collection struct {
	Rules        []*Rule
	Correlations []*Correlation
	Filters      []*Filter
}

// ParseRule parses the Sigma detection rules of one YAML file (several
// documents and rule collections with action: global/reset/repeat are
// supported). Correlation and filter documents are ignored here; use Parse
// to get them.
func ParseRule(data []byte) ([]*Rule, error) {
	c, err := Parse("", data)
	return c.Rules, err
}

// Parse parses all YAML documents of one file into rules, correlations and
// filters. path is used in errors and recorded in the results. On error the
// documents parsed so far are returned with the error.
func Parse(path string, data []byte) (Collection, error) {
	var out Collection
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var global *yaml.Node
	var prev *yaml.Node
	var errs []error
	for n := 0; ; n++ {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: YAML document %d: %w", orStdin(path), n+1, err))
			break // the decoder cannot resync after a syntax error
		}
		if len(doc.Content) == 0 {
			continue
		}
		root := doc.Content[0]
		if root.Kind != yaml.MappingNode {
			errs = append(errs, fmt.Errorf("%s:%d: document is not a mapping", orStdin(path), root.Line))
			continue
		}
		switch action := scalar(get(root, "action")); action {
		case "global":
			global = cloneNode(root)
			del(global, "action")
			continue
		case "reset":
			global = nil
			continue
		case "repeat":
			if prev == nil {
				errs = append(errs, fmt.Errorf("%s:%d: action: repeat without a previous document", orStdin(path), root.Line))
				continue
			}
			r := cloneNode(root)
			del(r, "action")
			root = merge(r, prev)
		case "":
		default:
			errs = append(errs, fmt.Errorf("%s:%d: unknown collection action %q", orStdin(path), root.Line, action))
			continue
		}
		if global != nil {
			root = merge(cloneNode(root), global)
		}
		prev = root
		switch {
		case get(root, "correlation") != nil:
			c, err := parseCorrelation(root)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s:%d: %w", orStdin(path), root.Line, err))
				continue
			}
			c.Path, c.Line = path, root.Line
			out.Correlations = append(out.Correlations, c)
		case get(root, "filter") != nil:
			f, err := parseFilter(root)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s:%d: %w", orStdin(path), root.Line, err))
				continue
			}
			f.Path, f.Line = path, root.Line
			out.Filters = append(out.Filters, f)
		case get(root, "detection") != nil:
			r, err := parseRule(root)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s:%d: %w", orStdin(path), root.Line, err))
				continue
			}
			r.Path, r.Line = path, root.Line
			out.Rules = append(out.Rules, r)
		default:
			errs = append(errs, fmt.Errorf("%s:%d: document has no detection, correlation or filter section", orStdin(path), root.Line))
		}
	}
	return out, errors.Join(errs...)
}

func orStdin(p string) string {
	if p == "" {
		return "<input>"
	}
	return p
}

func parseRule(root *yaml.Node) (*Rule, error) {
	r := &Rule{}
	if err := meta(root, &r.ID, &r.Name, &r.Title, &r.Description, &r.Author, &r.Status, &r.Date, &r.Modified, &r.License); err != nil {
		return nil, err
	}
	r.Level = strings.ToLower(scalar(get(root, "level")))
	r.Tags = strList(get(root, "tags"))
	r.References = strList(get(root, "references"))
	r.FalsePositives = strList(get(root, "falsepositives"))
	r.Fields = strList(get(root, "fields"))
	if r.Title == "" {
		return nil, errors.New("rule has no title")
	}
	ls, err := parseLogSource(get(root, "logsource"))
	if err != nil {
		return nil, err
	}
	r.LogSource = ls
	d, err := parseDetection(get(root, "detection"), true)
	if err != nil {
		return nil, err
	}
	r.Detection = d
	return r, nil
}

func parseLogSource(n *yaml.Node) (LogSource, error) {
	if n == nil {
		return LogSource{}, errors.New("rule has no logsource")
	}
	if n.Kind != yaml.MappingNode {
		return LogSource{}, fmt.Errorf("line %d: logsource is not a mapping", n.Line)
	}
	return LogSource{
		Product:    strings.ToLower(scalar(get(n, "product"))),
		Service:    strings.ToLower(scalar(get(n, "service"))),
		Category:   strings.ToLower(scalar(get(n, "category"))),
		Definition: scalar(get(n, "definition")),
	}, nil
}

// meta reads id, name, title, description, author, status, date, modified, license.
func meta(root *yaml.Node, id, name, title, desc, author, status, date, modified, license *string) error {
	keys := []string{"id", "name", "title", "description", "author", "status", "date", "modified", "license"}
	dst := []*string{id, name, title, desc, author, status, date, modified, license}
	for i, k := range keys {
		n := get(root, k)
		if n == nil || dst[i] == nil {
			continue
		}
		if n.Kind != yaml.ScalarNode {
			return fmt.Errorf("line %d: %s must be a string", n.Line, k)
		}
		*dst[i] = n.Value
	}
	return nil
}

// parseDetection parses a detection (or filter) section. needCond requires a
// condition key.
func parseDetection(n *yaml.Node, needCond bool) (*Detection, error) {
	if n == nil {
		return nil, errors.New("rule has no detection")
	}
	if n.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: detection is not a mapping", n.Line)
	}
	d := &Detection{Searches: map[string]*Search{}}
	var conds []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch k.Value {
		case "condition":
			switch v.Kind {
			case yaml.ScalarNode:
				conds = append(conds, v.Value)
			case yaml.SequenceNode:
				for _, c := range v.Content {
					if c.Kind != yaml.ScalarNode {
						return nil, fmt.Errorf("line %d: condition list holds a non-string", c.Line)
					}
					conds = append(conds, c.Value)
				}
			default:
				return nil, fmt.Errorf("line %d: condition must be a string or a list of strings", v.Line)
			}
		case "timeframe":
			d.Timeframe = v.Value
		case "rules": // filter documents
		default:
			s, err := parseSearch(k.Value, v)
			if err != nil {
				return nil, err
			}
			s.Line = k.Line
			if _, dup := d.Searches[k.Value]; dup {
				return nil, fmt.Errorf("line %d: search identifier %q defined twice", k.Line, k.Value)
			}
			d.Searches[k.Value] = s
			d.Order = append(d.Order, k.Value)
		}
	}
	if len(conds) == 0 {
		if needCond {
			return nil, errors.New("detection has no condition")
		}
		return d, nil
	}
	var parsed []*Cond
	for _, c := range conds {
		pc, err := ParseCondition(c)
		if err != nil {
			return nil, fmt.Errorf("condition %q: %w", c, err)
		}
		parsed = append(parsed, pc)
	}
	if len(parsed) == 1 {
		d.Condition = parsed[0]
	} else {
		d.Condition = &Cond{Op: CondOr, Args: parsed}
	}
	d.ConditionText = strings.Join(conds, " or ")
	return d, nil
}

// deref follows YAML aliases (bounded, to survive alias cycles).
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && n.Alias != nil && i < 16; i++ {
		n = n.Alias
	}
	return n
}

func parseSearch(name string, v *yaml.Node) (*Search, error) {
	v = deref(v)
	s := &Search{Name: name}
	switch v.Kind {
	case yaml.MappingNode:
		items, err := parseMap(v)
		if err != nil {
			return nil, err
		}
		s.Alternatives = [][]*Item{items}
	case yaml.SequenceNode:
		var kw []Lit
		nMaps := 0
		for _, el := range v.Content {
			el = deref(el)
			switch el.Kind {
			case yaml.MappingNode:
				items, err := parseMap(el)
				if err != nil {
					return nil, err
				}
				s.Alternatives = append(s.Alternatives, items)
				nMaps++
			case yaml.ScalarNode:
				l, err := lit(el)
				if err != nil {
					return nil, err
				}
				kw = append(kw, l)
			default:
				return nil, fmt.Errorf("line %d: search %q: list element must be a map or a value", el.Line, name)
			}
		}
		if nMaps > 0 && len(kw) > 0 {
			return nil, fmt.Errorf("line %d: search %q mixes maps and plain values", v.Line, name)
		}
		if len(kw) > 0 {
			s.Alternatives = [][]*Item{{{Values: kw, Line: v.Line}}}
		}
		if len(v.Content) == 0 {
			return nil, fmt.Errorf("line %d: search %q is an empty list", v.Line, name)
		}
	case yaml.ScalarNode:
		l, err := lit(v)
		if err != nil {
			return nil, err
		}
		s.Alternatives = [][]*Item{{{Values: []Lit{l}, Line: v.Line}}}
	default:
		return nil, fmt.Errorf("line %d: search %q must be a map or a list", v.Line, name)
	}
	return s, nil
}

func parseMap(m *yaml.Node) ([]*Item, error) {
	var items []*Item
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], deref(m.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("line %d: field name must be a string", k.Line)
		}
		parts := strings.Split(k.Value, "|")
		it := &Item{Field: parts[0], Line: k.Line}
		for _, p := range parts[1:] {
			if p == "" {
				return nil, fmt.Errorf("line %d: empty modifier in %q", k.Line, k.Value)
			}
			it.Modifiers = append(it.Modifiers, strings.ToLower(p))
		}
		switch v.Kind {
		case yaml.ScalarNode:
			l, err := lit(v)
			if err != nil {
				return nil, err
			}
			it.Values = []Lit{l}
		case yaml.SequenceNode:
			for _, el := range v.Content {
				el = deref(el)
				if el.Kind != yaml.ScalarNode {
					return nil, fmt.Errorf("line %d: value of %q must be a scalar", el.Line, k.Value)
				}
				l, err := lit(el)
				if err != nil {
					return nil, err
				}
				it.Values = append(it.Values, l)
			}
			if len(it.Values) == 0 {
				// An empty list matches nothing; keep it explicit.
				return nil, fmt.Errorf("line %d: %q has an empty list of values", v.Line, k.Value)
			}
		default:
			return nil, fmt.Errorf("line %d: value of %q must be a value or a list of values", v.Line, k.Value)
		}
		items = append(items, it)
	}
	return items, nil
}

func lit(n *yaml.Node) (Lit, error) {
	switch n.ShortTag() {
	case "!!null":
		return Lit{Kind: KindNull}, nil
	case "!!bool":
		b, err := strconv.ParseBool(strings.ToLower(n.Value))
		if err != nil {
			return Lit{Kind: KindString, S: n.Value}, nil
		}
		if b {
			return Lit{Kind: KindBool, S: "true", N: 1}, nil
		}
		return Lit{Kind: KindBool, S: "false"}, nil
	case "!!int", "!!float":
		f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
		if err != nil {
			if i, err2 := strconv.ParseInt(n.Value, 0, 64); err2 == nil {
				return Lit{Kind: KindNumber, S: strconv.FormatInt(i, 10), N: float64(i)}, nil
			}
			return Lit{Kind: KindString, S: n.Value}, nil
		}
		return Lit{Kind: KindNumber, S: n.Value, N: f}, nil
	}
	return Lit{Kind: KindString, S: n.Value}, nil
}

// --- yaml.Node helpers ---

func get(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func del(m *yaml.Node, key string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = append(m.Content[:i], m.Content[i+2:]...)
			return
		}
	}
}

func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

func strList(n *yaml.Node) []string {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		if n.Value == "" {
			return nil
		}
		return []string{n.Value}
	}
	var out []string
	for _, c := range n.Content {
		if c.Kind == yaml.ScalarNode {
			out = append(out, c.Value)
		}
	}
	return out
}

func cloneNode(n *yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	c := *n
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, k := range n.Content {
		c.Content[i] = cloneNode(k)
	}
	return &c
}

// merge adds to dst the keys of src it lacks; mappings present in both are
// merged recursively (dst wins on conflicts).
func merge(dst, src *yaml.Node) *yaml.Node {
	if dst.Kind != yaml.MappingNode || src.Kind != yaml.MappingNode {
		return dst
	}
	for i := 0; i+1 < len(src.Content); i += 2 {
		k, v := src.Content[i], src.Content[i+1]
		if d := get(dst, k.Value); d != nil {
			merge(d, v)
			continue
		}
		dst.Content = append(dst.Content, cloneNode(k), cloneNode(v))
	}
	return dst
}
