const { format } = require("date-fns");

function dayKey(d) {
  return format(d, "yyyy-MM-dd");
}
function monthsSince(d) {
  return d.getFullYear() * 12 + d.getMonth();
}
