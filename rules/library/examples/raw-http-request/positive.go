package client

import (
	"fmt"
	"net"
)

func Get(conn net.Conn, host, path string) {
	// ruleid: library/raw-http-request
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", path, host)
}
