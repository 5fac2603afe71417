const { LRUCache } = require("lru-cache");

const cache = new LRUCache({ max: 500 });

class Registry {
  remove(name) { this.items.delete(name); }
}
