package digest

import (
	"encoding/hex"
	"fmt"
)

func Hex(sum []byte) string {
	return hex.EncodeToString(sum)
}

func Dump(values []int) {
	for _, v := range values {
		fmt.Printf("%d\n", v)
	}
}
