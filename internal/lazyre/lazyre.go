// Package lazyre holds regular expressions compiled on their first use.
//
// A package variable set by regexp.MustCompile, or by a sync.OnceValue
// closure, is initialised by its package's initializer, which Go runs at
// every start of the binary whatever the command: the code of the
// initializer and of what it calls is read from the executable and the
// compiled program allocated on the heap even when nothing uses it. A
// Regexp is a composite literal of constants, which the linker lays out as
// data: no initializer, nothing compiled until Get.
package lazyre

import (
	"regexp"
	"sync"
)

// Regexp is a regular expression compiled on the first Get. Declare it as
// a package variable, var re = lazyre.Regexp{Expr: `...`}, and do not copy it.
type Regexp struct {
	Expr string
	once sync.Once
	re   *regexp.Regexp
}

// Get returns Expr compiled; like regexp.MustCompile, it panics if Expr
// does not compile. It is safe for concurrent use.
func (r *Regexp) Get() *regexp.Regexp {
	r.once.Do(func() { r.re = regexp.MustCompile(r.Expr) })
	return r.re
}
