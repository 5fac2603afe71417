function escapeHtml(s) {
  // ruleid: library/js-html-escape
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
