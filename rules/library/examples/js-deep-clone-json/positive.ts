export function snapshot<T>(state: T): T {
  // ruleid: library/js-deep-clone-json
  return JSON.parse(JSON.stringify(state));
}
