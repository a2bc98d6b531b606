package attr

import "context"

// rawDroppedKey marks a context whose importer drops what no finisher
// reads of each resource's Raw attributes as soon as a file is parsed
// (importer.pruneRaw over the formats' FinishRaw).
type rawDroppedKey struct{}

// WithRawDropped tells the parsers under ctx that the Raw attributes their
// format's FinishRaw does not keep are dropped after parsing: a parser may
// then leave out a Raw it builds only to be dropped.
func WithRawDropped(ctx context.Context) context.Context {
	return context.WithValue(ctx, rawDroppedKey{}, true)
}

// RawDropped reports whether ctx is WithRawDropped's: without it, parsers
// build every resource's Raw (importer.KeepRaw, tests).
func RawDropped(ctx context.Context) bool {
	dropped, _ := ctx.Value(rawDroppedKey{}).(bool)
	return dropped
}
