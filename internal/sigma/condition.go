package sigma

import (
	"fmt"
	"strings"
)

// CondOp is the operator of a condition node.
type CondOp int

const (
	CondRef   CondOp = iota // a search identifier: Ident
	CondAnd                 // all Args
	CondOr                  // any of Args
	CondNot                 // not Args[0]
	CondOneOf               // "1 of Ident" (Ident is a pattern or "them")
	CondAllOf               // "all of Ident"
)

// Cond is a parsed Sigma condition.
type Cond struct {
	Op    CondOp
	Args  []*Cond
	Ident string
}

func (c *Cond) String() string {
	switch c.Op {
	case CondRef:
		return c.Ident
	case CondNot:
		return "not " + c.Args[0].String()
	case CondOneOf:
		return "1 of " + c.Ident
	case CondAllOf:
		return "all of " + c.Ident
	}
	sep := " and "
	if c.Op == CondOr {
		sep = " or "
	}
	parts := make([]string, len(c.Args))
	for i, a := range c.Args {
		parts[i] = a.String()
	}
	return "(" + strings.Join(parts, sep) + ")"
}

// ParseCondition parses a Sigma condition expression: search identifiers,
// and/or/not, parentheses, "1 of pattern", "all of pattern", "1 of them",
// "all of them". Precedence: not > and > or. The deprecated aggregation
// syntax ("| count() ...") is rejected with a pointer to correlation rules.
func ParseCondition(s string) (*Cond, error) {
	toks, err := lexCond(s)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return nil, fmt.Errorf("empty condition")
	}
	p := &condParser{toks: toks}
	c, err := p.or(0)
	if err != nil {
		return nil, err
	}
	if p.pos < len(p.toks) {
		return nil, fmt.Errorf("unexpected %q at offset %d", p.toks[p.pos].text, p.toks[p.pos].off)
	}
	return c, nil
}

type condTok struct {
	text string
	off  int
}

func lexCond(s string) ([]condTok, error) {
	var toks []condTok
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(' || c == ')':
			toks = append(toks, condTok{string(c), i})
			i++
		case c == '|':
			return nil, fmt.Errorf("offset %d: aggregation expressions (\"| count() ...\") are deprecated and not supported; use a correlation rule", i)
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\n\r()|", rune(s[j])) {
				j++
			}
			toks = append(toks, condTok{s[i:j], i})
			i = j
		}
	}
	return toks, nil
}

type condParser struct {
	toks []condTok
	pos  int
}

const maxCondDepth = 200

func (p *condParser) peek() string {
	if p.pos < len(p.toks) {
		return strings.ToLower(p.toks[p.pos].text)
	}
	return ""
}

func (p *condParser) or(depth int) (*Cond, error) {
	l, err := p.and(depth)
	if err != nil {
		return nil, err
	}
	args := []*Cond{l}
	for p.peek() == "or" {
		p.pos++
		r, err := p.and(depth)
		if err != nil {
			return nil, err
		}
		args = append(args, r)
	}
	if len(args) == 1 {
		return l, nil
	}
	return &Cond{Op: CondOr, Args: args}, nil
}

func (p *condParser) and(depth int) (*Cond, error) {
	l, err := p.not(depth)
	if err != nil {
		return nil, err
	}
	args := []*Cond{l}
	for p.peek() == "and" {
		p.pos++
		r, err := p.not(depth)
		if err != nil {
			return nil, err
		}
		args = append(args, r)
	}
	if len(args) == 1 {
		return l, nil
	}
	return &Cond{Op: CondAnd, Args: args}, nil
}

func (p *condParser) not(depth int) (*Cond, error) {
	if depth > maxCondDepth {
		return nil, fmt.Errorf("condition nested too deeply")
	}
	if p.peek() == "not" {
		p.pos++
		c, err := p.not(depth + 1)
		if err != nil {
			return nil, err
		}
		return &Cond{Op: CondNot, Args: []*Cond{c}}, nil
	}
	return p.primary(depth)
}

func (p *condParser) primary(depth int) (*Cond, error) {
	if p.pos >= len(p.toks) {
		return nil, fmt.Errorf("condition ends early")
	}
	t := p.toks[p.pos]
	lt := strings.ToLower(t.text)
	switch lt {
	case "(":
		p.pos++
		c, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		if p.peek() != ")" {
			return nil, fmt.Errorf("offset %d: missing ')'", t.off)
		}
		p.pos++
		return c, nil
	case ")", "and", "or", "of":
		return nil, fmt.Errorf("unexpected %q at offset %d", t.text, t.off)
	}
	if p.pos+1 < len(p.toks) && strings.ToLower(p.toks[p.pos+1].text) == "of" {
		var op CondOp
		switch lt {
		case "1", "any":
			op = CondOneOf
		case "all":
			op = CondAllOf
		default:
			return nil, fmt.Errorf("offset %d: %q of: only \"1 of\" and \"all of\" are supported", t.off, t.text)
		}
		if p.pos+2 >= len(p.toks) {
			return nil, fmt.Errorf("offset %d: %q of needs a pattern or \"them\"", t.off, t.text)
		}
		pat := p.toks[p.pos+2]
		if pat.text == "(" || pat.text == ")" {
			return nil, fmt.Errorf("offset %d: expected a pattern after \"of\"", pat.off)
		}
		p.pos += 3
		id := pat.text
		if strings.EqualFold(id, "them") {
			id = "them"
		}
		return &Cond{Op: op, Ident: id}, nil
	}
	p.pos++
	return &Cond{Op: CondRef, Ident: t.text}, nil
}

// globMatch reports whether name matches a Sigma identifier pattern where
// '*' matches any run of characters.
func globMatch(pattern, name string) bool {
	if !strings.Contains(pattern, "*") {
		return pattern == name
	}
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(name, parts[0]) {
		return false
	}
	name = name[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, mid := range parts[1 : len(parts)-1] {
		i := strings.Index(name, mid)
		if i < 0 {
			return false
		}
		name = name[i+len(mid):]
	}
	return strings.HasSuffix(name, last)
}
