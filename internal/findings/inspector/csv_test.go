package inspector

import (
	"bytes"
	"encoding/csv"
	"maps"
	"os"
	"strings"
	"testing"

	json "github.com/goccy/go-json"
)

// TestRawRow checks that a CSV row's raw record is what json.Marshal
// writes for the map of its non-empty cells, with cells that need every
// kind of escape, and that a header repeating a column falls back to the
// map (which keeps the last cell).
func TestRawRow(t *testing.T) {
	header := []string{"Title", "AWS Account Id", "Finding ARN", "<b>&", "Description", "Empty"}
	rec := []string{"t \"q\" \\ \n\t\x01 <x>&", "111122223333", "arn:aws:inspector2:us-east-1:1:finding/a", "\u2028é中😀", "bad \xff utf-8", ""}
	want := map[string]string{}
	for i, h := range header {
		if rec[i] != "" {
			want[h] = rec[i]
		}
	}
	wb, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	order := rawOrder(header)
	if got := rawRow(nil, header, order, rec); !bytes.Equal(got, wb) {
		t.Errorf("raw row\n got %s\nwant %s", got, wb)
	}
	short, _ := json.Marshal(map[string]string{header[0]: rec[0], header[1]: rec[1], header[2]: rec[2]})
	if got := rawRow(nil, header, order, rec[:3]); !bytes.Equal(got, short) {
		t.Errorf("a short row:\n got %s\nwant %s", got, short)
	}
	if rawOrder([]string{"A", "B", "A"}) != nil {
		t.Error("a repeated column: want the map's order (nil)")
	}
}

// TestCSVDirectAsRecord checks that a row mapped directly gives the
// finding that reading the list-findings record made of it gives, for the
// sample report's rows and rows of every case (an instance id, a Lambda
// version, UNTRIAGED with a score, no package, a score or text JSON would
// change or refuse).
func TestCSVDirectAsRecord(t *testing.T) {
	data, err := os.ReadFile("../load/testdata/samples/inspector-findings-report.csv")
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(data))
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := rows[0]
	cell := func(row map[string]string) func(string) string {
		return func(name string) string { return strings.TrimSpace(row[name]) }
	}
	var cases []map[string]string
	for _, rec := range rows[1:] {
		row := map[string]string{}
		for i, h := range header {
			row[h] = rec[i]
		}
		cases = append(cases, row)
	}
	base := cases[0]
	with := func(kv ...string) map[string]string {
		row := maps.Clone(base)
		for i := 0; i < len(kv); i += 2 {
			row[kv[i]] = kv[i+1]
		}
		return row
	}
	cases = append(cases,
		with(colResType, "AWS_LAMBDA_FUNCTION", colResourceID, "arn:aws:lambda:us-east-1:111122223333:function:f:$LATEST"),
		with(colResType, "AWS_EC2_INSTANCE", colResourceID, "i-0123"),
		with(colSeverity, "untriaged", colScore, "7.5", colStatus, "closed"),
		with(colSeverity, "UNTRIAGED", colScore, "x"),
		with(colVulnID, "", colPackages, "", colStatus, "SUPPRESSED"),
		with(colPackages, "a, b,", colInstalled, "1", colFixed, "NotAvailable, 2", colReferences, " , "),
		with(colTitle, "bad \xff utf-8 <x>&"),
		with(colScore, "NaN"),
		with(colCVSS3, "+Inf"),
		with(colFirstSeen, "not a time", colLastSeen, ""),
	)
	direct := 0
	for i, row := range cases {
		want, wantErr := csvViaRecord(cell(row))
		got, err := csvFinding(cell(row))
		if (err != nil) != (wantErr != nil) {
			t.Errorf("case %d: error %v, want %v", i, err, wantErr)
			continue
		}
		if _, ok := csvDirect(cell(row)); ok {
			direct++
		}
		gb, _ := json.Marshal(got)
		wb, _ := json.Marshal(want)
		if !bytes.Equal(gb, wb) {
			t.Errorf("case %d:\n got %s\nwant %s", i, gb, wb)
		}
	}
	if direct < len(cases)-3 {
		t.Errorf("%d of %d rows mapped directly", direct, len(cases))
	}
}
