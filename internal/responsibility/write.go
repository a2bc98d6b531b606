package responsibility

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Formats are the output formats of Write.
var Formats = []string{"table", "json"}

// Write writes the view as a table (per cloud and service: the controls
// of the provider, shared and of the customer, and the sources) or JSON.
func Write(w io.Writer, format string, v View) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	case "table", "":
		return writeTable(w, v)
	}
	return fmt.Errorf("unknown format %q (want table or json)", format)
}

func writeTable(w io.Writer, v View) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "Shared responsibility for the %s found in %s\n", plural(v.Services(), "service"), plural(v.Resources, "resource"))
	for _, c := range v.Clouds {
		fmt.Fprintf(tw, "\n%s: %s (%s)\n", c.Name, c.Title, c.URL)
		for _, s := range c.Services {
			types := make([]string, len(s.Types))
			for i, t := range s.Types {
				types[i] = fmt.Sprintf("%s %d", t.Type, t.Resources)
			}
			fmt.Fprintf(tw, "\n  %s (%s; %s: %s)\n", s.Name, s.CategoryName, plural(s.Resources, "resource"), strings.Join(types, ", "))
			fmt.Fprintf(tw, "    provider\t%s\n", list(s.Provider))
			fmt.Fprintf(tw, "    shared\t%s\n", list(s.Shared))
			fmt.Fprintf(tw, "    customer\t%s\n", list(s.Customer))
			fmt.Fprintf(tw, "    source\t%s\n", s.Sources[0])
		}
	}
	if len(v.Unmapped) > 0 {
		fmt.Fprintf(tw, "\nResources of services the responsibility data does not cover:\n")
		for _, u := range v.Unmapped {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%d\n", u.Cloud, u.Class, u.Type, u.Resources)
		}
	}
	if len(v.Controls) > 0 {
		fmt.Fprintf(tw, "\nControls:\n")
		for _, c := range v.Controls {
			fmt.Fprintf(tw, "  %s\t%s\n", c.ID, c.Name)
		}
	}
	return tw.Flush()
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func list(ids []string) string {
	if len(ids) == 0 {
		return "-"
	}
	return strings.Join(ids, ", ")
}
