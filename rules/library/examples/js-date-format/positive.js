function dayKey(d) {
  // ruleid: library/js-date-format
  return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
}

function label(d) {
  // ruleid: library/js-date-format
  return `${d.getFullYear()}/${d.getMonth() + 1}/${d.getDate()}`;
}
