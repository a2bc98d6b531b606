package arm

import (
	"math/big"
	"net/netip"
)

// The CIDR functions of ARM (parseCidr, cidrSubnet, cidrHost).

func prefixArg(v any) (netip.Prefix, error) {
	s, ok := v.(string)
	if !ok {
		return netip.Prefix{}, errorf("the CIDR is a %s", typeName(v))
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return p.Masked(), nil
}

func addrInt(a netip.Addr) *big.Int { return new(big.Int).SetBytes(a.AsSlice()) }

func intAddr(i *big.Int, v4 bool) netip.Addr {
	n := 16
	if v4 {
		n = 4
	}
	b := i.FillBytes(make([]byte, n))
	a, _ := netip.AddrFromSlice(b)
	return a
}

// hostCount is 2^(bits - prefix length).
func hostCount(p netip.Prefix) *big.Int {
	return new(big.Int).Lsh(big.NewInt(1), uint(p.Addr().BitLen()-p.Bits()))
}

func fnParseCidr(_ *scope, a []any) (any, error) {
	p, err := prefixArg(a[0])
	if err != nil {
		return nil, err
	}
	v4 := p.Addr().Is4()
	first := addrInt(p.Addr())
	last := new(big.Int).Sub(new(big.Int).Add(first, hostCount(p)), big.NewInt(1))
	mask := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), uint(p.Addr().BitLen())), hostCount(p))
	out := map[string]any{"network": p.Addr().String(), "netmask": intAddr(mask, v4).String(), "cidr": int64(p.Bits())}
	fu, lu := first, last
	if v4 {
		out["broadcast"] = intAddr(last, v4).String()
		if p.Bits() < 31 {
			fu, lu = new(big.Int).Add(first, big.NewInt(1)), new(big.Int).Sub(last, big.NewInt(1))
		}
	}
	out["firstUsable"], out["lastUsable"] = intAddr(fu, v4).String(), intAddr(lu, v4).String()
	return out, nil
}

func fnCidrSubnet(_ *scope, a []any) (any, error) {
	p, err := prefixArg(a[0])
	if err != nil {
		return nil, err
	}
	bits, ok1 := toInt(a[1])
	idx, ok2 := toInt(a[2])
	if !ok1 || !ok2 || bits < int64(p.Bits()) || bits > int64(p.Addr().BitLen()) || idx < 0 {
		return nil, errorf("bad new prefix length or index")
	}
	size := new(big.Int).Lsh(big.NewInt(1), uint(int64(p.Addr().BitLen())-bits))
	if big.NewInt(idx).Cmp(new(big.Int).Lsh(big.NewInt(1), uint(bits-int64(p.Bits())))) >= 0 {
		return nil, errorf("index %d is beyond the subnets of %s", idx, p)
	}
	start := new(big.Int).Add(addrInt(p.Addr()), new(big.Int).Mul(size, big.NewInt(idx)))
	return netip.PrefixFrom(intAddr(start, p.Addr().Is4()), int(bits)).String(), nil
}

func fnCidrHost(_ *scope, a []any) (any, error) {
	p, err := prefixArg(a[0])
	if err != nil {
		return nil, err
	}
	idx, ok := toInt(a[1])
	if !ok || idx < 0 {
		return nil, errorf("bad host index")
	}
	host := new(big.Int).Add(addrInt(p.Addr()), big.NewInt(idx+1)) // the first usable address is index 0
	if host.Cmp(new(big.Int).Add(addrInt(p.Addr()), hostCount(p))) >= 0 {
		return nil, errorf("index %d is beyond the hosts of %s", idx, p)
	}
	return intAddr(host, p.Addr().Is4()).String(), nil
}
