function isNewer(a, b) {
  // ruleid: library/js-semver-compare
  const pa = a.split(".").map(Number);
  // ruleid: library/js-semver-compare
  const pb = b.split(".").map((x) => parseInt(x));
  return pa[0] > pb[0];
}
