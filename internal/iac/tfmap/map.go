package tfmap

import (
	"context"

	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/source"
)

// Map maps instances to resources. Instances of types it does not model
// are returned in unsupported (address → type); problems name the
// instance and the attribute.
func Map(ctx context.Context, insts []Instance) (rs []*resource.Resource, unsupported map[string]string, problems []source.Problem) {
	unsupported = map[string]string{}
	for _, in := range insts {
		unsupported[in.Address] = in.Type
	}
	return nil, unsupported, nil
}
