async function poll(queue) {
  while (true) {
    try {
      await queue.process();
    } catch (err) {
      console.error(err);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}
