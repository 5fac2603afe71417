pub fn to_hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

pub fn color(r: u8, g: u8, b: u8) -> String {
    format!("#{:02x}{:02x}{:02x}", r, g, b)
}
