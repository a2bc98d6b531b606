package drift

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Formats are the output formats Write knows.
var Formats = []string{"table", "json"}

// Write writes the report in format (table or json).
func Write(w io.Writer, format string, rep *Report) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(rep)
	case "table", "":
		return writeTable(w, rep)
	}
	return fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats, " or "))
}

func writeTable(w io.Writer, rep *Report) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SEVERITY\tKIND\tRESOURCE\tIAC\tATTRIBUTE\tIAC VALUE\tLIVE VALUE")
	for _, f := range rep.Findings {
		res, src := "-", "-"
		if f.Live != nil {
			res = f.Live.ID
		} else if f.IaC != nil {
			res = f.IaC.Type + " " + f.IaC.Name
		}
		if f.IaC != nil {
			src = f.IaC.ID
			if l := f.IaC.Location; l != nil {
				src = l.File
				if l.StartLine > 0 {
					src += fmt.Sprintf(":%d", l.StartLine)
				}
				if l.Address != "" {
					src += " " + l.Address
				}
			}
		}
		attr, iv, lv := f.Attribute, cell(f.IaCValue), cell(f.LiveValue)
		if f.Direction != "" {
			attr += " (" + f.Direction + " live)"
		}
		switch f.Kind {
		case Missing:
			attr, iv, lv = "-", "defined", "absent"
		case Unmanaged:
			attr, iv, lv = "-", "absent", "present"
		case Unmatched:
			attr, iv, lv = f.Reason, "", ""
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", f.Severity, f.Kind, clean(res), clean(src), clean(attr), iv, lv)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	s := rep.Summary
	fmt.Fprintf(w, "\n%d IaC resources (%d not compared), %d inventory resources: %d matched (%d by name), %d changed (%d attributes), %d missing, %d unmanaged, %d unmatched, %d out of the unmanaged scope\n",
		s.IaCResources, s.NotCompared, s.InventoryResources, s.Matched, s.MatchedByName, s.ChangedResources, s.Changed, s.Missing, s.Unmanaged, s.Unmatched, s.OutOfScope)
	for _, sc := range s.Scope {
		regions := strings.Join(sc.Regions, ",")
		if regions == "" {
			regions = "every region"
		}
		classes := make([]string, len(sc.Classes))
		for i, c := range sc.Classes {
			classes[i] = string(c)
		}
		accounts := strings.Join(sc.Accounts, ",")
		if accounts == "" {
			accounts = "none"
		}
		fmt.Fprintf(w, "unmanaged scope %s: accounts %s; regions %s; classes %s", sc.Provider, clean(accounts), clean(regions), strings.Join(classes, ","))
		if sc.Note != "" {
			fmt.Fprintf(w, " (%s)", sc.Note)
		}
		fmt.Fprintln(w)
	}
	return nil
}

// cell formats a value for a table cell.
func cell(v any) string { return clean(show(v)) }

// clean keeps a cell on one line: resource names and values come from
// the clouds and the IaC, and may hold tabs or newlines.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}
