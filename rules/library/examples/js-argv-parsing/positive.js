function main() {
  // ruleid: library/js-argv-parsing
  const verbose = process.argv.includes("--verbose");
  // ruleid: library/js-argv-parsing
  if (process.argv[2] === "--port") {
    return Number(process.argv[3]);
  }
  return verbose ? 1 : 0;
}
