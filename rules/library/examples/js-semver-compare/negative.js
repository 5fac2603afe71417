const semver = require("semver");

function isNewer(a, b) {
  return semver.gt(a, b);
}
const hostParts = (h) => h.split(".").map((x) => x.toLowerCase());
