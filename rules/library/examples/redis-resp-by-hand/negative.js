const Redis = require("ioredis");
const redis = new Redis();

async function ping() {
  const lines = ["first", "second"].join("\r\n");
  return [await redis.ping(), lines];
}

function writeHeader(socket, header) {
  socket.write(`${header}\r\n`);
}
const batch = "SET dp0=%~dp0\r\n";
