const _ = require("lodash");

function escapeHtml(s) {
  return _.escape(s);
}
function slug(s) {
  return s.replace(/&/g, "and");
}
