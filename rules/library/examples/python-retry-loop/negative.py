import logging
import time

def worker(queue):
    # A polling loop: errors are logged, the loop never leaves on success.
    while True:
        try:
            job = queue.get()
            job.run()
        except Exception:
            logging.exception("job failed")
        time.sleep(1)

def first_ok(items):
    for item in items:
        try:
            return int(item)
        except ValueError:
            continue
