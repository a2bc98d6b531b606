package report

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"golang.org/x/term"

	"github.com/vigil-sec/vigil/internal/finding"
)

// ANSI colours. All codes have the same length so that tabwriter's column
// widths stay right when every cell of a column is coloured.
const (
	ansiReset   = "\x1b[0m"
	ansiRed     = "\x1b[31m"
	ansiBrRed   = "\x1b[91m"
	ansiYellow  = "\x1b[33m"
	ansiCyan    = "\x1b[36m"
	ansiGreen   = "\x1b[32m"
	ansiGrey    = "\x1b[90m"
	ansiMagenta = "\x1b[35m"
)

func useColor(w io.Writer, mode ColorMode) bool {
	switch mode {
	case ColorAlways:
		return true
	case ColorNever:
		return false
	}
	if _, ok := os.LookupEnv("NO_COLOR"); ok {
		return false
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func sevColor(s finding.Severity) string {
	switch s {
	case finding.Critical:
		return ansiBrRed
	case finding.High:
		return ansiRed
	case finding.Medium:
		return ansiYellow
	case finding.Low:
		return ansiCyan
	}
	return ansiGrey
}

func statusLabel(f *finding.Finding) string {
	if f.Status == finding.Fail && f.Suppressed != nil {
		return "MUTED"
	}
	return string(f.Status)
}

func statusColor(f *finding.Finding) string {
	switch {
	case f.Status == finding.Fail && f.Suppressed != nil:
		return ansiGrey
	case f.Status == finding.Fail:
		return ansiRed
	case f.Status == finding.Pass:
		return ansiGreen
	}
	return ansiMagenta
}

// tableHeader is the first row of the table.
var tableHeader = [tableColumns]string{"SEVERITY", "STATUS", "RULE", "PROVIDER", "ACCOUNT", "REGION", "RESOURCE", "DETAIL"}

const tableColumns = 8

// tablePadding is the space between columns.
const tablePadding = 2

// writeTable writes the human view: failing and unknown findings worst
// first (passing ones only with ListPassing), then a short summary footer.
//
// The table streams: a first pass over the findings measures the columns,
// a second writes the rows through a buffer, so memory stays bounded and
// system calls few whatever the number of findings. The layout is what
// text/tabwriter produces with padding 2 (each column as wide as its widest
// cell plus 2 spaces, in runes; the last column not padded), without
// holding the whole table in memory as tabwriter does.
func writeTable(w io.Writer, r *Report) error {
	color := useColor(w, r.Color)
	paint := func(code, s string) string {
		if !color {
			return s
		}
		return code + s + ansiReset
	}
	bw := bufio.NewWriterSize(w, writeBufferSize)
	listed := func(f *finding.Finding) bool { return f.Status != finding.Pass || r.ListPassing }

	var widths [tableColumns - 1]int
	var cells [tableColumns]string
	// Unlisted, the PASS findings held in Passes need not be visited.
	all, rows, hidden := r.view().all(), 0, 0
	if !r.ListPassing {
		all, hidden = (&Report{Findings: r.Findings}).view().all(), r.Passes.Len()
	}
	for f := range all {
		if !listed(f) {
			hidden++
			continue
		}
		rows++
		tableRow(&cells, f, paint)
		for c := range widths {
			widths[c] = max(widths[c], utf8.RuneCountInString(cells[c]))
		}
	}
	if rows > 0 {
		for c := range widths {
			widths[c] = max(widths[c], utf8.RuneCountInString(tableHeader[c])) + tablePadding
		}
		writeTableLine(bw, &tableHeader, &widths)
		for f := range all {
			if !listed(f) {
				continue
			}
			tableRow(&cells, f, paint)
			if err := writeTableLine(bw, &cells, &widths); err != nil {
				return err
			}
		}
	} else {
		fmt.Fprintln(bw, "No failing or unknown findings.")
	}
	fmt.Fprintln(bw)
	if err := writeFooter(bw, r, hidden, paint); err != nil {
		return err
	}
	return bw.Flush()
}

// tableRow fills cells with the table row of f.
func tableRow(cells *[tableColumns]string, f *finding.Finding, paint func(code, s string) string) {
	detail := f.Message
	if detail == "" {
		detail = f.Title
	}
	if f.Suppressed != nil {
		detail = "muted: " + f.Suppressed.Reason
	}
	*cells = [tableColumns]string{
		paint(sevColor(f.Severity), fmt.Sprintf("%-8s", oneLine(string(f.Severity)))),
		paint(statusColor(f), fmt.Sprintf("%-7s", oneLine(statusLabel(f)))),
		oneLine(f.RuleID), oneLine(string(f.Resource.Provider)), cell(f.Resource.Account), cell(f.Resource.Region),
		cell(resourceLabel(f)), oneLine(detail),
	}
}

// writeTableLine writes one line: every cell but the last padded with
// spaces to its column's width.
func writeTableLine(w *bufio.Writer, cells *[tableColumns]string, widths *[tableColumns - 1]int) error {
	for c, width := range widths {
		w.WriteString(cells[c])
		for n := width - utf8.RuneCountInString(cells[c]); n > 0; n -= len(spaces) {
			w.WriteString(spaces[:min(n, len(spaces))])
		}
	}
	w.WriteString(cells[tableColumns-1])
	return w.WriteByte('\n')
}

const spaces = "                                                                "

func writeFooter(w io.Writer, r *Report, hidden int, paint func(code, s string) string) error {
	s := r.Summary
	var sev []string
	for _, sv := range severities {
		if n := s.BySeverity[sv].Fail; n > 0 {
			sev = append(sev, fmt.Sprintf("%d %s", n, strings.ToLower(string(sv))))
		}
	}
	failText := fmt.Sprintf("%d failing", s.Fail)
	if len(sev) > 0 {
		failText += " (" + strings.Join(sev, ", ") + ")"
	}
	if s.Fail > 0 {
		failText = paint(ansiRed, failText)
	}
	fmt.Fprintf(w, "Findings: %d on %d resources: %s, %d unknown, %d passing, %d muted\n",
		s.Total, s.Resources, failText, s.Unknown, s.Pass, s.Suppressed)
	if hidden > 0 {
		fmt.Fprintf(w, "  (%d passing findings not listed; use --format json, csv or html for all)\n", hidden)
	}
	if len(s.Providers) > 0 {
		var parts []string
		for _, p := range s.Providers {
			parts = append(parts, fmt.Sprintf("%s %s", p.Provider, scoreText(p.PostureScore)))
		}
		fmt.Fprintf(w, "Posture score (pass / (pass+fail), unknown excluded): %s\n", strings.Join(parts, ", "))
	}
	if len(r.Compliance) > 0 {
		fmt.Fprintln(w, "Compliance:")
		cw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, fw := range r.Compliance {
			line := fmt.Sprintf("  %s\t%s\t%d passed\t%d failed\t%d not evaluated", fw.Framework,
				scoreText(fw.Score), fw.Passed, fw.Failed, fw.NotEvaluated)
			if fw.Catalogued {
				line += fmt.Sprintf("\t%d manual / not covered", fw.NotCovered)
			}
			fmt.Fprintln(cw, line)
		}
		if err := cw.Flush(); err != nil {
			return err
		}
	}
	if unk := unknownRules(s.Rules); len(unk) > 0 {
		fmt.Fprintf(w, "Unknown (data absent from the input) per rule: %s\n", strings.Join(unk, ", "))
	}
	if inv := s.Inventory; inv != nil {
		fmt.Fprintf(w, "Inventory: %d resources from %d files", inv.Resources, sumMap(inv.Files))
		if n := sumMap(inv.Unsupported); n > 0 {
			fmt.Fprintf(w, "; %d resources of %d unsupported types", n, len(inv.Unsupported))
		}
		if len(inv.Skipped) > 0 {
			fmt.Fprintf(w, "; %d inputs skipped (not a recognised export)", len(inv.Skipped))
		}
		fmt.Fprintln(w)
		for _, e := range inv.Errors {
			fmt.Fprintln(w, paint(ansiRed, "  input error: "+oneLine(inputErrorText(e))))
		}
		for _, e := range inv.Warnings {
			fmt.Fprintln(w, paint(ansiYellow, "  warning: "+oneLine(inputErrorText(e))))
		}
	}
	if sup := s.Suppressions; sup != nil {
		for _, u := range sup.Expired {
			fmt.Fprintln(w, paint(ansiYellow, "  "+oneLine(u.Message)))
		}
		if len(sup.Muted) > 0 {
			fmt.Fprintf(w, "Suppressions (%s): %d entries muted %d findings\n", oneLine(sup.File), len(sup.Muted), s.Suppressed)
		}
	}
	if c := s.Tagging; c != nil {
		writeTagCoverage(w, c)
	}
	return nil
}

// tagCoverageRows bounds the accounts and owners the table lists (least
// covered first; the JSON report has them all).
const tagCoverageRows = 5

func writeTagCoverage(w io.Writer, c *finding.TagCoverage) {
	fmt.Fprintf(w, "Tag coverage (%s): %d of %d resources carry the required tags (%.1f%%)\n",
		oneLine(c.Policy), c.Total.Compliant, c.Total.Resources, c.Total.Percent)
	for _, part := range []struct {
		what string
		rows []finding.TagCoverageRow
		name func(finding.TagCoverageRow) string
	}{
		{"account", c.ByAccount, func(r finding.TagCoverageRow) string { return r.Provider + " " + r.Account }},
		{"owner (" + c.OwnerTag + ")", c.ByOwner, func(r finding.TagCoverageRow) string { return r.Owner }},
	} {
		var items []string
		for i, r := range part.rows {
			if i == tagCoverageRows {
				items = append(items, fmt.Sprintf("%d more", len(part.rows)-i))
				break
			}
			items = append(items, fmt.Sprintf("%s %.1f%% (%d/%d)", oneLine(part.name(r)), r.Percent, r.Compliant, r.Resources))
		}
		fmt.Fprintf(w, "  by %s: %s\n", part.what, strings.Join(items, ", "))
	}
}

func unknownRules(rs []finding.RuleSummary) []string {
	var out []string
	sorted := append([]finding.RuleSummary(nil), rs...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Unknown > sorted[j].Unknown })
	for _, r := range sorted {
		if r.Unknown > 0 {
			out = append(out, fmt.Sprintf("%s %d", oneLine(r.RuleID), r.Unknown))
		}
	}
	if len(out) > 8 {
		out = append(out[:8], fmt.Sprintf("and %d more rules", len(out)-8))
	}
	return out
}

func inputErrorText(e finding.InputError) string { return e.Error() }

func scoreText(s *float64) string {
	if s == nil {
		return "n/a"
	}
	return fmt.Sprintf("%.1f%%", *s)
}

func sumMap(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// maxResourceWidth bounds the RESOURCE column: long IDs (Azure resource IDs
// run to 150+ characters) are shortened in the middle, keeping the start
// (account/subscription) and the end (the resource's own name). Full IDs
// are in every other format.
const maxResourceWidth = 80

func resourceLabel(f *finding.Finding) string {
	id := f.Resource.ID
	if id == "" {
		id = f.Resource.Name
	}
	if l := f.Resource.Location; l != nil && l.File != "" {
		// An IaC resource: where it is defined and its address.
		id = l.File
		if l.StartLine > 0 {
			id += ":" + strconv.Itoa(l.StartLine)
		}
		if l.Address != "" {
			id += " " + l.Address
		}
	}
	return shorten(oneLine(id), maxResourceWidth)
}

// shorten cuts s to at most n runes by replacing its middle with "…".
func shorten(s string, n int) string {
	if len(s) <= n || utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	head := (n - 1) * 2 / 5
	tail := n - 1 - head
	return string(r[:head]) + "…" + string(r[len(r)-tail:])
}

func cell(s string) string {
	if s == "" {
		return "-"
	}
	return oneLine(s)
}

// oneLine keeps a table cell on one line and free of control characters
// (which could reset the terminal or spoof output).
func oneLine(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			clean = false // a control character, or non-ASCII to check
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return -1
		}
		return r
	}, s)
}
