pub fn to_hex(bytes: &[u8]) -> String {
    // ruleid: library/rust-hex-by-hand
    bytes.iter().map(|b| format!("{:02x}", b)).collect::<String>()
}
