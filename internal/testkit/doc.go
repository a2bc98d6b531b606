// Package testkit holds what many packages' tests share: golden files
// (compared, or rewritten with each package's -update flag) and the
// golden view of an imported inventory. Only tests import it.
package testkit
