package digest

import "fmt"

func Hex(sum []byte) string {
	s := ""
	// ruleid: library/go-hex-by-hand
	for _, b := range sum {
		s += fmt.Sprintf("%02x", b)
	}
	return s
}
