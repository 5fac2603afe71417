import * as net from "net";

export function post(host: string, path: string, body: string): void {
  const socket = net.connect(80, host);
  // ruleid: library/raw-http-request
  socket.write("POST " + path + " HTTP/1.1\r\n");
  socket.write(`Content-Length: ${body.length}\r\n\r\n${body}`);
}
