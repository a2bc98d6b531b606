package logs

import "github.com/vigil-sec/vigil/internal/logs/internal/norm"

// The member walk below finds JSON value boundaries with norm's scanner
// (SkipWS, StringEnd, ValueEnd) without decoding. It does not validate;
// events are validated once before they are handed out.

// members calls f for each member of the (valid) object at b[0] with the raw
// key (without quotes, not unescaped) and the value's bounds; f returns false
// to stop.
func members(b []byte, f func(key []byte, vs, ve int) bool) {
	i := norm.SkipWS(b, 1)
	for i < len(b) && b[i] == '"' {
		ke := norm.StringEnd(b, i)
		if ke < 0 {
			return
		}
		key := b[i+1 : ke-1]
		j := norm.SkipWS(b, ke)
		if j >= len(b) || b[j] != ':' {
			return
		}
		vs := norm.SkipWS(b, j+1)
		ve := norm.ValueEnd(b, vs)
		if ve < 0 {
			return
		}
		if !f(key, vs, ve) {
			return
		}
		i = norm.SkipWS(b, ve)
		if i >= len(b) || b[i] != ',' {
			return
		}
		i = norm.SkipWS(b, i+1)
	}
}

// probe is the logsource.Probe of one candidate event: top-level members
// are located on demand, each at most once, and kept for further lookups.
type probe struct {
	ev   []byte
	next int // where the next member starts (0: not started)
	done bool
	ms   []probeMember
}

type probeMember struct {
	key    []byte
	vs, ve int
}

func (p *probe) reset(ev []byte) {
	p.ev, p.next, p.done, p.ms = ev, 0, false, p.ms[:0]
}

// Raw implements logsource.Probe.
func (p *probe) Raw() []byte { return p.ev }

// Member implements logsource.Probe.
func (p *probe) Member(key string) ([]byte, bool) {
	for _, m := range p.ms {
		if string(m.key) == key {
			return p.ev[m.vs:m.ve], true
		}
	}
	for !p.done {
		m, ok := p.scan()
		if !ok {
			break
		}
		p.ms = append(p.ms, m)
		if string(m.key) == key {
			return p.ev[m.vs:m.ve], true
		}
	}
	return nil, false
}

// scan locates the next top-level member, as members does.
func (p *probe) scan() (probeMember, bool) {
	b := p.ev
	i := p.next
	if i == 0 {
		i = norm.SkipWS(b, 1)
	}
	p.done = true
	if i >= len(b) || b[i] != '"' {
		return probeMember{}, false
	}
	ke := norm.StringEnd(b, i)
	if ke < 0 {
		return probeMember{}, false
	}
	key := b[i+1 : ke-1]
	j := norm.SkipWS(b, ke)
	if j >= len(b) || b[j] != ':' {
		return probeMember{}, false
	}
	vs := norm.SkipWS(b, j+1)
	ve := norm.ValueEnd(b, vs)
	if ve < 0 {
		return probeMember{}, false
	}
	i = norm.SkipWS(b, ve)
	if i < len(b) && b[i] == ',' {
		p.next, p.done = norm.SkipWS(b, i+1), false
	}
	return probeMember{key: key, vs: vs, ve: ve}, true
}

// Members implements logsource.Probe.
func (p *probe) Members(obj []byte, f func(key, val []byte) bool) {
	if len(obj) == 0 || obj[0] != '{' {
		return
	}
	members(obj, func(key []byte, vs, ve int) bool { return f(key, obj[vs:ve]) })
}

// scope is the set of sources an event may belong to where it was found:
// any source, or those declaring the wrapper it came in; trusted is the
// source of every event of a wrapper only it declares, once the first
// event showed it.
type scope struct {
	cands   []*Descriptor
	trusted *Descriptor
}

// classifier recognises events with a registry's descriptors.
type classifier struct {
	all      scope
	wrappers map[string][]*Descriptor
	p        probe
	// shapes is set when a source declares other shapes of its events.
	shapes bool
}

func newClassifier(reg *Registry) *classifier {
	c := &classifier{wrappers: map[string][]*Descriptor{}}
	for i := range reg.Len() {
		d := reg.At(i)
		c.all.cands = append(c.all.cands, d)
		c.shapes = c.shapes || len(d.Shapes) > 0
		if d.Wrapper != "" {
			c.wrappers[d.Wrapper] = append(c.wrappers[d.Wrapper], d)
		}
		for _, w := range d.AltWrappers {
			c.wrappers[w] = append(c.wrappers[w], d)
		}
	}
	return c
}

// wrapper returns the scope of the events in the array of top-level key
// key, or nil when no source declares that wrapper.
func (c *classifier) wrapper(key []byte) *scope {
	ds, ok := c.wrappers[string(key)]
	if !ok {
		return nil
	}
	return &scope{cands: ds}
}

// convert offers an event no source of sc recognised to their shapes
// (Descriptor.Shapes): d is the source whose shape recognised it, out its
// event converted to d's own (nil with err when the conversion failed),
// shape the shape's name. d is nil when no shape recognises it.
func (c *classifier) convert(ev []byte, sc *scope) (d *Descriptor, out []byte, shape string, err error) {
	if !c.shapes {
		return nil, nil, "", nil
	}
	c.p.reset(ev)
	for _, cand := range sc.cands {
		for i := range cand.Shapes {
			sh := &cand.Shapes[i]
			if !sh.Recognise(&c.p) {
				continue
			}
			out, err := sh.Convert(ev)
			return cand, out, sh.Name, err
		}
	}
	return nil, nil, "", nil
}

// classify decides the source of one valid event object among sc's
// candidates (nil when none recognises it). For an envelope it returns the
// inner event and its offset in ev.
func (c *classifier) classify(ev []byte, sc *scope) (d *Descriptor, inner []byte, innerOff int) {
	if sc.trusted != nil {
		return sc.trusted, nil, 0
	}
	c.p.reset(ev)
	for _, cand := range sc.cands {
		in, ok := cand.Recognise(&c.p)
		if !ok {
			continue
		}
		if in != nil {
			// in is a sub-slice of ev (as Member returns values): its
			// offset is what its capacity lacks of ev's.
			return cand, in, cap(ev) - cap(in)
		}
		return cand, nil, 0
	}
	return nil, nil, 0
}
