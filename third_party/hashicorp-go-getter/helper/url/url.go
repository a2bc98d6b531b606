// Package url stands in for go-getter's helper/url (see the getter
// package).
package url

import "net/url"

// Parse parses rawURL (net/url.Parse).
func Parse(rawURL string) (*url.URL, error) { return url.Parse(rawURL) }
