use std::thread;
use std::time::Duration;

pub fn tick(mut f: impl FnMut()) {
    loop {
        f();
        thread::sleep(Duration::from_secs(1));
    }
}
