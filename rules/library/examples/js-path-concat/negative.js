const path = require("path");

function readConfig() {
  return path.join(__dirname, "config.json");
}
function url(base, p) {
  return base + "/" + p;
}
