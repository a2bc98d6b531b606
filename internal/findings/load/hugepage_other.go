//go:build !linux

package load

// hugePages is a Linux advice (see hugepage_linux.go).
func hugePages[E any](s []E) {}
