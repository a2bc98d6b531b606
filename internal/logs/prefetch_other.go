//go:build !amd64

package logs

// prefetch does nothing on other architectures.
func prefetch(b []byte) {}
