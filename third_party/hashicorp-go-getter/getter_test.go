package getter

import (
	"errors"
	"net/url"
	"testing"
)

// TestEveryDownloadFails: the stand-in fetches nothing, and says so.
func TestEveryDownloadFails(t *testing.T) {
	c := &Client{Src: "https://example.invalid/db.tar.zst", Dst: t.TempDir(), Dir: true,
		Getters: map[string]Getter{"https": &HttpGetter{}, "file": new(FileGetter)}}
	for _, o := range []ClientOption{WithProgress(nil), WithDecompressors(LimitedDecompressors(0, 1))} {
		if err := o(c); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Get(); !errors.Is(err, ErrNotBuiltIn) {
		t.Errorf("Client.Get: %v, want ErrNotBuiltIn", err)
	}
	u, _ := url.Parse("file:///tmp/x")
	for name, g := range c.Getters {
		if err := g.GetFile(t.TempDir()+"/f", u); !errors.Is(err, ErrNotBuiltIn) {
			t.Errorf("%s getter: %v, want ErrNotBuiltIn", name, err)
		}
	}
	if len(c.Decompressors) != len(Decompressors) || c.Decompressors["tar.gz"] == nil {
		t.Errorf("decompressors: %d, want go-getter's %d extensions", len(c.Decompressors), len(Decompressors))
	}
	if err := c.Decompressors["zip"].Decompress("d", "s.zip", true, 0); !errors.Is(err, ErrNotBuiltIn) {
		t.Errorf("Decompress: %v, want ErrNotBuiltIn", err)
	}
}
