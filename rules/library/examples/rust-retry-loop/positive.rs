use std::thread;
use std::time::Duration;

pub fn fetch(url: &str) -> Result<String, String> {
    let mut attempt = 0;
    // ruleid: library/rust-retry-loop
    loop {
        match get(url) {
            Ok(body) => return Ok(body),
            Err(e) if attempt >= 5 => return Err(e),
            Err(_) => {
                attempt += 1;
                thread::sleep(Duration::from_millis(100 << attempt));
            }
        }
    }
}

fn get(_url: &str) -> Result<String, String> { Err("down".into()) }
