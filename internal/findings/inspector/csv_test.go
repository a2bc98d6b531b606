package inspector

import (
	"bytes"
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
