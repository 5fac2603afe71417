class Client {
    String fetch(String url) throws Exception {
        Exception last = null;
        // ruleid: library/java-retry-loop
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return get(url);
            } catch (Exception e) {
                last = e;
                Thread.sleep(100L << attempt);
            }
        }
        throw last;
    }

    String get(String url) throws Exception { return url; }
}
