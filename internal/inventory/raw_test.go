package inventory

import (
	"context"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/source"
)

// rawReader is a source whose finisher reads Raw, as the export files' do.
type rawReader struct {
	source.Source
	sawRaw bool
}

func (f *rawReader) Finish(_ context.Context, all []*resource.Resource) ([]*resource.Resource, []source.Problem) {
	for _, r := range all {
		if r.Raw["configuration"] != nil {
			f.sawRaw = true
		}
	}
	return nil, nil
}

func TestCollectDropsRawAfterFinishers(t *testing.T) {
	newSource := func() *rawReader {
		return &rawReader{Source: source.Func{SourceName: "raw", ReadFunc: func(_ context.Context, emit func(source.Batch) error) error {
			return emit(source.Batch{Input: "a.json", Format: "fmt", Resources: []*resource.Resource{
				{Provider: resource.AWS, ID: "arn:aws:s3:::b", Class: resource.ClassObjectStorage,
					Raw: map[string]any{"configuration": map[string]any{"x": 1}}},
			}})
		}}}
	}
	src := newSource()
	inv, err := Collect(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	if !src.sawRaw {
		t.Error("the finisher did not see Raw")
	}
	if inv.Resources[0].Raw != nil {
		t.Error("Raw kept after collection")
	}

	src = newSource()
	inv, err = CollectWith(context.Background(), Options{KeepRaw: true}, src)
	if err != nil {
		t.Fatal(err)
	}
	if !src.sawRaw || inv.Resources[0].Raw["configuration"] == nil {
		t.Error("KeepRaw: Raw dropped")
	}
}
