const { debounce } = require("lodash");

const save = debounce(() => persist(), 300);

function persist() {
  setTimeout(() => console.log("saved"), 10);
}
