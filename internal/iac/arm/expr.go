package arm

import (
	"fmt"
	"strconv"
	"strings"
)

// The ARM template expression language: a string value "[...]" holds one
// expression (a leading "[[" escapes a literal "["). The grammar:
//
//	expr    = primary { "." ident | "[" expr "]" }
//	primary = string | integer | ident [ "." ident ] "(" [ expr { "," expr } ] ")"
//	string  = "'" { char | "''" } "'"
//
// Identifiers are case-insensitive; true, false and null are also read as
// literals.

// expr is a parsed expression.
type expr interface{ pos() int }

type (
	litExpr struct {
		at int
		v  any // string, int64, float64, bool or nil
	}
	callExpr struct {
		at   int
		name string // lower-case, with the namespace ("ns.fn") for user functions
		args []expr
	}
	propExpr struct {
		at  int
		obj expr
		key string
	}
	indexExpr struct {
		at       int
		obj, idx expr
	}
)

func (e *litExpr) pos() int   { return e.at }
func (e *callExpr) pos() int  { return e.at }
func (e *propExpr) pos() int  { return e.at }
func (e *indexExpr) pos() int { return e.at }

// maxExprDepth bounds the nesting of calls, indexes and brackets.
const maxExprDepth = 100

// exprError is an expression that does not parse.
type exprError struct {
	at  int
	msg string
}

func (e *exprError) Error() string { return fmt.Sprintf("at character %d: %s", e.at+1, e.msg) }

// isExpression reports whether a template string is an expression, and
// unescape returns the literal a "[[" string stands for.
func isExpression(s string) bool {
	return len(s) >= 2 && s[0] == '[' && s[len(s)-1] == ']' && !strings.HasPrefix(s, "[[") &&
		strings.TrimSpace(s[1:len(s)-1]) != "" // "[]" is text
}

func unescape(s string) string {
	if strings.HasPrefix(s, "[[") {
		return s[1:]
	}
	return s
}

// parseExpr parses the expression in an expression string (with its
// brackets).
func parseExpr(s string) (expr, error) {
	if !isExpression(s) {
		return nil, &exprError{msg: "not an expression"}
	}
	p := &parser{src: s[1 : len(s)-1]}
	p.next()
	e := p.expr(0)
	if p.err == nil && p.tok.kind != tEOF {
		p.fail("unexpected %s after the expression", p.tok)
	}
	if p.err != nil {
		return nil, p.err
	}
	return e, nil
}

type tkind uint8

const (
	tEOF tkind = iota
	tIdent
	tString
	tNumber
	tPunct
)

type token struct {
	kind tkind
	text string
	at   int
}

func (t token) String() string {
	switch t.kind {
	case tEOF:
		return "end of expression"
	case tString:
		return "string '" + t.text + "'"
	}
	return strconv.Quote(t.text)
}

type parser struct {
	src string
	off int
	tok token
	err *exprError
}

func (p *parser) fail(format string, args ...any) {
	if p.err == nil {
		p.err = &exprError{at: p.tok.at, msg: fmt.Sprintf(format, args...)}
	}
	p.tok = token{kind: tEOF, at: len(p.src)}
}

func (p *parser) next() {
	if p.err != nil {
		return
	}
	s := p.src
	for p.off < len(s) && (s[p.off] == ' ' || s[p.off] == '\t' || s[p.off] == '\n' || s[p.off] == '\r') {
		p.off++
	}
	start := p.off
	if p.off >= len(s) {
		p.tok = token{kind: tEOF, at: start}
		return
	}
	c := s[p.off]
	switch {
	case c == '\'':
		var b strings.Builder
		i := p.off + 1
		for {
			if i >= len(s) {
				p.tok = token{at: start}
				p.fail("unterminated string")
				return
			}
			if s[i] == '\'' {
				if i+1 < len(s) && s[i+1] == '\'' {
					b.WriteByte('\'')
					i += 2
					continue
				}
				break
			}
			b.WriteByte(s[i])
			i++
		}
		p.off = i + 1
		p.tok = token{kind: tString, text: b.String(), at: start}
	case c >= '0' && c <= '9' || c == '-' || c == '+':
		i := p.off + 1
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
			i++
		}
		p.off = i
		p.tok = token{kind: tNumber, text: s[start:i], at: start}
	case isIdentStart(c):
		i := p.off + 1
		for i < len(s) && (isIdentStart(s[i]) || s[i] >= '0' && s[i] <= '9') {
			i++
		}
		p.off = i
		p.tok = token{kind: tIdent, text: s[start:i], at: start}
	case strings.IndexByte("()[],.", c) >= 0:
		p.off++
		p.tok = token{kind: tPunct, text: s[start:p.off], at: start}
	default:
		p.tok = token{at: start}
		p.fail("unexpected character %q", rune(c))
	}
}

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '$'
}

func (p *parser) is(punct string) bool { return p.tok.kind == tPunct && p.tok.text == punct }

func (p *parser) expect(punct string) {
	if !p.is(punct) {
		p.fail("expected %q, found %s", punct, p.tok)
		return
	}
	p.next()
}

func (p *parser) expr(depth int) expr {
	if depth > maxExprDepth {
		p.fail("expression nested deeper than %d levels", maxExprDepth)
		return nil
	}
	e := p.primary(depth)
	for p.err == nil {
		switch {
		case p.is("."):
			at := p.tok.at
			p.next()
			if p.tok.kind != tIdent {
				p.fail("expected a property name after '.', found %s", p.tok)
				return nil
			}
			e = &propExpr{at: at, obj: e, key: p.tok.text}
			p.next()
		case p.is("["):
			at := p.tok.at
			p.next()
			idx := p.expr(depth + 1)
			p.expect("]")
			e = &indexExpr{at: at, obj: e, idx: idx}
		default:
			return e
		}
	}
	return nil
}

func (p *parser) primary(depth int) expr {
	t := p.tok
	switch t.kind {
	case tString:
		p.next()
		return &litExpr{at: t.at, v: t.text}
	case tNumber:
		p.next()
		if i, err := strconv.ParseInt(t.text, 10, 64); err == nil {
			return &litExpr{at: t.at, v: i}
		}
		if f, err := strconv.ParseFloat(t.text, 64); err == nil {
			return &litExpr{at: t.at, v: f}
		}
		p.fail("bad number %q", t.text)
		return nil
	case tIdent:
		p.next()
		name := strings.ToLower(t.text)
		if p.is(".") && !strings.Contains(name, ".") {
			// A user-defined function: namespace.name(...).
			save, saveOff := p.tok, p.off
			p.next()
			if p.tok.kind == tIdent {
				fn := p.tok.text
				p.next()
				if p.is("(") {
					name += "." + strings.ToLower(fn)
				} else {
					p.tok, p.off = save, saveOff
				}
			} else {
				p.tok, p.off = save, saveOff
			}
		}
		if !p.is("(") {
			switch name {
			case "true", "false":
				return &litExpr{at: t.at, v: name == "true"}
			case "null":
				return &litExpr{at: t.at}
			}
			p.fail("expected '(' after the function name %s", t.text)
			return nil
		}
		p.next()
		c := &callExpr{at: t.at, name: name}
		for p.err == nil && !p.is(")") {
			if len(c.args) > 0 {
				p.expect(",")
			}
			c.args = append(c.args, p.expr(depth+1))
		}
		p.expect(")")
		return c
	}
	p.fail("unexpected %s", t)
	return nil
}
