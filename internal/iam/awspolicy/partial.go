package awspolicy

import "github.com/vigil-sec/vigil/internal/resource"

// Partial is a policy document read from infrastructure as code, where some
// values are known only at deploy time. WhoUnknown: a principal, an effect
// or a condition is; WhatUnknown: an action or a resource is. Its answers
// are nil (unknown) wherever an unknown value could change them. A nil
// *Partial is no policy at all.
type Partial struct {
	Doc                     *resource.PolicyDocument
	WhoUnknown, WhatUnknown bool
}

// Public says whether the document lets anyone in; nil when unknown.
func (p *Partial) Public() *bool {
	if p == nil {
		return resource.Bool(false)
	}
	if p.WhoUnknown {
		return nil
	}
	return Public(p.Doc)
}

// Admin says whether it grants every action on every resource; nil when unknown.
func (p *Partial) Admin() *bool {
	if p == nil {
		return resource.Bool(false)
	}
	a := Admin(p.Doc)
	if a != nil && !*a && (p.WhoUnknown || p.WhatUnknown) {
		return nil
	}
	return a
}

// SecureTransport says whether it denies requests over plain HTTP; nil when unknown.
func (p *Partial) SecureTransport() *bool {
	if p == nil {
		return resource.Bool(false)
	}
	t := DeniesInsecureTransport(p.Doc)
	if t != nil && !*t && p.WhoUnknown {
		return nil
	}
	return t
}
