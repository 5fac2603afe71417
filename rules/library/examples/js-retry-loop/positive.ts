export async function fetchWithRetry(url: string): Promise<Response> {
  // ruleid: library/js-retry-loop
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await fetch(url);
    } catch (err) {
      await new Promise((resolve) => setTimeout(resolve, 2 ** attempt * 100));
    }
  }
  throw new Error("unreachable");
}
