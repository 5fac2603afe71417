const fs = require("fs");

function readConfig() {
  // ruleid: library/js-path-concat
  return fs.readFileSync(__dirname + "/config.json", "utf8");
}

function cachePath(name) {
  // ruleid: library/js-path-concat
  return `${__dirname}/cache/${name}`;
}
