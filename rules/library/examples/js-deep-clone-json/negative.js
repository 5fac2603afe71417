function snapshot(state) {
  return structuredClone(state);
}
function load(text) {
  return JSON.parse(text);
}
