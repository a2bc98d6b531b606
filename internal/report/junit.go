package report

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/internal/finding"
)

// writeJUnit writes the findings as JUnit XML (the Ant/Jenkins and GitLab
// dialect): one <testsuite> per rule, in rule ID order, and one <testcase>
// per resource the rule evaluated. A FAIL is a <failure> located by
// file:line and address (IaC) or resource ID (exports); a muted FAIL and
// an UNKNOWN are <skipped> with the suppression's reason or what data was
// missing; a PASS is a passing test case. Per-rule suites keep a rule's
// results together whatever the input (exports have no files), and CI
// views then read as "which checks failed, where". classname is the
// source file (IaC) or provider.type, file and line the source location.
//
// It streams: findings are indexed by rule, then each suite is written
// element by element through a buffer.
func writeJUnit(w io.Writer, r *Report) error {
	v := r.view()
	var x finding.Finding
	byRule := map[string][]int{}
	i := 0
	for f := range v.all() {
		byRule[f.RuleID] = append(byRule[f.RuleID], i)
		i++
	}
	infos := r.ruleInfos()
	bw := bufio.NewWriterSize(w, writeBufferSize)
	var total, failures, skipped int
	for f := range v.all() {
		total++
		switch junitOutcome(f) {
		case "failure":
			failures++
		case "skipped":
			skipped++
		}
	}
	bw.WriteString(xml.Header)
	fmt.Fprintf(bw, "<testsuites name=\"vigil\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"%d\" time=\"0\">\n",
		total, failures, skipped)
	stamp := r.GeneratedAt.UTC().Format("2006-01-02T15:04:05")
	for _, ri := range infos {
		idx := byRule[ri.ID]
		if len(idx) == 0 {
			continue
		}
		var nf, ns int
		for _, i := range idx {
			switch junitOutcome(v.at(i, &x)) {
			case "failure":
				nf++
			case "skipped":
				ns++
			}
		}
		name := ri.ID
		if ri.Title != "" {
			name += ": " + ri.Title
		}
		fmt.Fprintf(bw, "  <testsuite name=%s tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"%d\" time=\"0\" timestamp=\"%s\">\n",
			xmlAttr(name), len(idx), nf, ns, stamp)
		fmt.Fprintf(bw, "    <properties>\n      <property name=\"rule\" value=%s></property>\n      <property name=\"severity\" value=%s></property>\n    </properties>\n",
			xmlAttr(ri.ID), xmlAttr(string(ri.Severity)))
		for _, i := range idx {
			writeJUnitCase(bw, v.at(i, &x))
		}
		if _, err := bw.WriteString("  </testsuite>\n"); err != nil {
			return err
		}
	}
	bw.WriteString("</testsuites>\n")
	return bw.Flush()
}

// junitOutcome is "failure", "skipped" or "" (passed).
func junitOutcome(f *finding.Finding) string {
	switch {
	case f.Status == finding.Fail && f.Suppressed == nil:
		return "failure"
	case f.Status == finding.Pass:
		return ""
	}
	return "skipped"
}

func writeJUnitCase(bw *bufio.Writer, f *finding.Finding) {
	res := f.Resource
	name, class, where := res.ID, string(res.Provider)+"."+res.Type, res.ID
	var fileAttrs string
	if l := res.Location; l != nil && l.File != "" {
		class = l.File
		if l.Address != "" {
			name = l.Address
		}
		line := l.StartLine
		if l.Line > 0 {
			line = l.Line // the field the finding is about
		}
		where = l.File
		if line > 0 {
			where += ":" + strconv.Itoa(line)
		}
		if l.Address != "" {
			where += ": " + l.Address
		}
		fileAttrs = " file=" + xmlAttr(l.File)
		if line > 0 {
			fileAttrs += fmt.Sprintf(" line=\"%d\"", line)
		}
	}
	fmt.Fprintf(bw, "    <testcase name=%s classname=%s%s time=\"0\"", xmlAttr(name), xmlAttr(class), fileAttrs)
	msg := f.Message
	if msg == "" {
		msg = f.Title
	}
	switch junitOutcome(f) {
	case "failure":
		body := where + ": " + msg
		if f.Remediation != "" {
			body += "\nRemediation: " + f.Remediation
		}
		fmt.Fprintf(bw, ">\n      <failure message=%s type=%s>%s</failure>\n    </testcase>\n",
			xmlAttr(where+": "+msg), xmlAttr(string(f.Severity)), xmlText(body))
	case "skipped":
		why := "unknown: " + msg
		if f.Suppressed != nil {
			why = "suppressed: " + f.Suppressed.Reason
			if f.Suppressed.Expires != "" {
				why += " (until " + f.Suppressed.Expires + ")"
			}
		}
		fmt.Fprintf(bw, ">\n      <skipped message=%s></skipped>\n    </testcase>\n", xmlAttr(why))
	default:
		bw.WriteString("></testcase>\n")
	}
}

// xmlAttr is s as a quoted XML attribute value.
func xmlAttr(s string) string { return `"` + xmlText(s) + `"` }

// xmlText escapes s for XML character data and attributes, dropping the
// characters XML 1.0 cannot carry.
func xmlText(s string) string {
	var b strings.Builder
	if err := xml.EscapeText(&b, []byte(strings.Map(xmlChar, s))); err != nil {
		return ""
	}
	return b.String()
}

func xmlChar(r rune) rune {
	if r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF) {
		return r
	}
	return -1
}
