const net = require("net");

function ping(host) {
  const socket = net.connect(6379, host);
  // ruleid: library/redis-resp-by-hand
  socket.write("PING\r\n");
  return socket;
}
