class Worker {
    void run() throws InterruptedException {
        while (true) {
            try {
                step();
            } catch (RuntimeException e) {
                System.err.println(e);
            }
            Thread.sleep(1000);
        }
    }

    void step() {}
}
