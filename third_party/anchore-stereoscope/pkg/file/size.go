package file

const (
	_  = iota
	KB = 1 << (10 * iota)
	MB
	GB
)
