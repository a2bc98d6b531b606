package server

import (
	"bytes"
	"html/template"
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/internal/history"
)

// The findings explorer's table rows are written here rather than by the
// template: html/template calls its escapers through reflection for every
// value, which for 50 rows of 15 values cost more CPU than the rest of the
// request. findingRows writes what the template did, byte for byte
// (TestFindingRowsMatchTemplate), escaping every value as html/template
// escapes a string in element text and in a quoted attribute.

// htmlEscapes are html/template's replacements for a string in text and
// in a quoted attribute value (its htmlReplacementTable); every other
// byte, invalid UTF-8 included, is kept.
var htmlEscapes = [256]string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

// esc writes s escaped.
func esc(b *bytes.Buffer, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		if r := htmlEscapes[s[i]]; r != "" {
			b.WriteString(s[last:i])
			b.WriteString(r)
			last = i + 1
		}
	}
	b.WriteString(s[last:])
}

// findingRows is the explorer table's body: one row per finding, with the
// mute form when the user may mute (csrf and back fill it).
func findingRows(fs []history.Finding, mute bool, csrf, back string) template.HTML {
	var b bytes.Buffer
	b.Grow(len(fs) * 1200)
	for i := range fs {
		f := &fs[i]
		b.WriteString("<tr>\n<td class=\"sev ")
		esc(&b, strings.ToLower(string(f.Severity)))
		b.WriteString("\">")
		esc(&b, string(f.Severity))
		b.WriteString("</td>\n<td class=\"state\">")
		esc(&b, string(f.State))
		if sp := f.Suppression; sp != nil {
			b.WriteString("<div class=\"id\">")
			esc(&b, sp.Reason)
			b.WriteString(" (")
			esc(&b, sp.Owner)
			if !sp.Expires.IsZero() {
				b.WriteString(", until ")
				esc(&b, sp.Expires.UTC().Format(whenLayout))
			}
			b.WriteString(")</div>")
		}
		b.WriteString("</td>\n<td><a href=\"/findings/")
		b.WriteString(strconv.FormatInt(f.ID, 10))
		b.WriteString("\">")
		esc(&b, f.RuleID)
		b.WriteString("</a><div class=\"id\">")
		esc(&b, f.Title)
		b.WriteString("</div></td>\n<td>")
		esc(&b, f.Provider)
		b.WriteString("</td>\n<td>")
		esc(&b, f.Account)
		b.WriteString("</td>\n<td>")
		esc(&b, f.ResourceName)
		b.WriteString("<div class=\"id\">")
		esc(&b, f.ResourceID)
		b.WriteString("</div></td>\n<td>")
		esc(&b, f.Message)
		b.WriteString("</td>\n<td>")
		if f.FirstSeen != nil && !f.FirstSeen.IsZero() {
			esc(&b, f.FirstSeen.UTC().Format(whenLayout))
		}
		b.WriteString("</td>\n<td>")
		if f.LastSeen != nil && !f.LastSeen.IsZero() {
			esc(&b, f.LastSeen.UTC().Format(whenLayout))
		}
		b.WriteString("</td>\n")
		if mute {
			b.WriteString("<td>")
			if f.State == history.StateNew || f.State == history.StateOpen || f.State == history.StateReopened {
				b.WriteString("<details><summary>Mute</summary>\n<form method=\"post\" action=\"/findings/mute\" class=\"mute\">\n<input type=\"hidden\" name=\"csrf\" value=\"")
				esc(&b, csrf)
				b.WriteString("\">\n<input type=\"hidden\" name=\"source\" value=\"")
				esc(&b, f.Source)
				b.WriteString("\">\n<input type=\"hidden\" name=\"rule\" value=\"")
				esc(&b, f.RuleID)
				b.WriteString("\">\n<input type=\"hidden\" name=\"resource\" value=\"")
				esc(&b, f.ResourceID)
				b.WriteString("\">\n<input type=\"hidden\" name=\"back\" value=\"")
				esc(&b, back)
				b.WriteString("\">\n<label>Reason <input name=\"reason\" required maxlength=\"2000\"></label>\n<label>Expires <input name=\"expires\" type=\"date\"></label>\n<button type=\"submit\">Mute</button>\n</form></details>")
			}
			b.WriteString("</td>")
		}
		b.WriteString("\n</tr>\n")
	}
	if len(fs) == 0 {
		b.WriteString(`<tr><td colspan="10">No finding matches.</td></tr>`)
	}
	return template.HTML(b.String())
}
