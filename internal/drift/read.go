package drift

import (
	"context"
	"log/slog"

	"github.com/vigil-sec/vigil/internal/iac"
	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/inventory"
)

// ReadIaC reads the IaC files under paths with readers (nil: the built-in
// ones) into an inventory whose Terraform resources keep their attributes
// (a state's id, arn and self_link, which Compare matches on). The error
// wraps iac.ErrNoInput when nothing under the paths is an IaC input.
func ReadIaC(ctx context.Context, paths []string, readers []iac.Reader) (*inventory.Inventory, *iac.Input, error) {
	in, err := iac.Open(ctx, paths, readers)
	if err != nil {
		return nil, in, err
	}
	inv, err := inventory.CollectWith(ctx, inventory.Options{KeepRaw: true}, in.Sources...)
	if err != nil {
		return nil, in, err
	}
	return inv, in, nil
}

// ReadInventory reads cloud exports (the files vigil scan reads, a
// vigil collect directory) into an inventory.
func ReadInventory(ctx context.Context, paths []string, log *slog.Logger) (*inventory.Inventory, error) {
	if log == nil {
		log = slog.Default()
	}
	return inventory.Collect(ctx, importer.Files(paths, importer.WithLogger(log)))
}
