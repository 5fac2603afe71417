package cache

import (
	"fmt"
	"net"
)

func Set(conn net.Conn, key, value string) error {
	// ruleid: library/redis-resp-by-hand
	_, err := fmt.Fprintf(conn, "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", len(key), key, len(value), value)
	return err
}
