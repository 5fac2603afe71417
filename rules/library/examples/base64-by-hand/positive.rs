// ruleid: library/base64-by-hand
const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub fn sym(i: usize) -> u8 {
    TABLE[i]
}
