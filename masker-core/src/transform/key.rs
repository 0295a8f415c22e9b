//! The masking key: the one secret every keyed transform derives from.
//!
//! This module owns the key material and the keyed primitives built on it
//! (HMAC-SHA256 states prepared once per transform, and SipHash-2-4 for the
//! format-preserving Feistel rounds). It never prints the key: [`Key`]'s
//! `Debug` is redacted, and no error built here mentions it.

use std::fmt;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::collation::Folding;

/// HMAC-SHA256, the keyed hash every transform derives its randomness from.
pub(crate) type HmacSha256 = Hmac<Sha256>;

/// The secret masking key. `Debug` never shows it.
#[derive(Clone)]
pub struct Key {
    mac: HmacSha256,
}

impl Key {
    /// A key from its secret bytes. Fails on an empty secret.
    pub fn new(secret: &[u8]) -> Result<Key, String> {
        if secret.is_empty() {
            return Err("the masking key is empty".to_owned());
        }
        let mac = HmacSha256::new_from_slice(secret).expect("HMAC accepts any key length");
        Ok(Key { mac })
    }

    /// A keyed HMAC state with `parts` already absorbed (each length-prefixed),
    /// ready to be cloned once per value: domain separation between transforms.
    pub(crate) fn derive(&self, parts: &[&[u8]]) -> HmacSha256 {
        let mut mac = self.mac.clone();
        for p in parts {
            mac.update(&(p.len() as u32).to_be_bytes());
            mac.update(p);
        }
        mac
    }

    /// 32 bytes derived from the key and `parts` (for sub-keys).
    pub(crate) fn derive_bytes(&self, parts: &[&[u8]]) -> [u8; 32] {
        self.derive(parts).finalize().into_bytes().into()
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Key(<redacted>)")
    }
}

/// HMAC of the folded form of one value (see [`Folding`]): values equal
/// under the column's collation give the same MAC. With no folding this is
/// [`mac_value`].
#[inline]
pub(crate) fn mac_folded(state: &HmacSha256, folding: &Folding, value: &[u8]) -> [u8; 32] {
    let mut m = state.clone();
    folding.feed(value, |piece| m.update(piece));
    m.finalize().into_bytes().into()
}

/// SipHash-2-4 with a 128-bit key: a fast keyed PRF for short inputs.
/// Hand-written so its output never depends on the standard library's version.
#[derive(Clone, Copy)]
pub(crate) struct SipKey {
    k0: u64,
    k1: u64,
}

impl SipKey {
    /// The first 16 bytes of `bytes` as a SipHash key.
    pub(crate) fn from_bytes(bytes: &[u8; 32]) -> SipKey {
        SipKey {
            k0: u64::from_le_bytes(bytes[0..8].try_into().expect("8 bytes")),
            k1: u64::from_le_bytes(bytes[8..16].try_into().expect("8 bytes")),
        }
    }

    /// SipHash-2-4 of `bytes` (the same value as [`SipKey::hash`] of one
    /// part), eight bytes at a time: the leak check's exact keyed hash.
    #[inline]
    pub(crate) fn hash_bytes(&self, bytes: &[u8]) -> u64 {
        let mut s = Sip {
            v0: self.k0 ^ 0x736f6d6570736575,
            v1: self.k1 ^ 0x646f72616e646f6d,
            v2: self.k0 ^ 0x6c7967656e657261,
            v3: self.k1 ^ 0x7465646279746573,
        };
        let mut words = bytes.chunks_exact(8);
        for w in words.by_ref() {
            s.absorb(u64::from_le_bytes(w.try_into().expect("8 bytes")));
        }
        let mut last = ((bytes.len() as u64) & 0xff) << 56;
        for (i, b) in words.remainder().iter().enumerate() {
            last |= (*b as u64) << (8 * i);
        }
        s.absorb(last);
        s.v2 ^= 0xff;
        for _ in 0..4 {
            s.round();
        }
        s.v0 ^ s.v1 ^ s.v2 ^ s.v3
    }

    /// SipHash-2-4 of the concatenation of `parts`.
    #[cfg(test)]
    pub(crate) fn hash(&self, parts: &[&[u8]]) -> u64 {
        let mut s = Sip {
            v0: self.k0 ^ 0x736f6d6570736575,
            v1: self.k1 ^ 0x646f72616e646f6d,
            v2: self.k0 ^ 0x6c7967656e657261,
            v3: self.k1 ^ 0x7465646279746573,
        };
        let mut tail = [0u8; 8];
        let mut ntail = 0usize;
        let mut total = 0usize;
        for p in parts {
            total += p.len();
            for &b in *p {
                tail[ntail] = b;
                ntail += 1;
                if ntail == 8 {
                    s.absorb(u64::from_le_bytes(tail));
                    ntail = 0;
                }
            }
        }
        let mut last = ((total as u64) & 0xff) << 56;
        for (i, b) in tail.iter().enumerate().take(ntail) {
            last |= (*b as u64) << (8 * i);
        }
        s.absorb(last);
        s.v2 ^= 0xff;
        for _ in 0..4 {
            s.round();
        }
        s.v0 ^ s.v1 ^ s.v2 ^ s.v3
    }

    /// SipHash-2-4 over whole little-endian words (the hot path of `fpe`:
    /// no byte loop). Not the same value as [`SipKey::hash`] of the bytes.
    #[inline]
    pub(crate) fn hash_words(&self, words: &[u64]) -> u64 {
        let mut s = Sip {
            v0: self.k0 ^ 0x736f6d6570736575,
            v1: self.k1 ^ 0x646f72616e646f6d,
            v2: self.k0 ^ 0x6c7967656e657261,
            v3: self.k1 ^ 0x7465646279746573,
        };
        for &w in words {
            s.absorb(w);
        }
        s.absorb(((words.len() as u64 * 8) & 0xff) << 56);
        s.v2 ^= 0xff;
        for _ in 0..4 {
            s.round();
        }
        s.v0 ^ s.v1 ^ s.v2 ^ s.v3
    }
}

struct Sip {
    v0: u64,
    v1: u64,
    v2: u64,
    v3: u64,
}

impl Sip {
    #[inline]
    fn round(&mut self) {
        self.v0 = self.v0.wrapping_add(self.v1);
        self.v1 = self.v1.rotate_left(13) ^ self.v0;
        self.v0 = self.v0.rotate_left(32);
        self.v2 = self.v2.wrapping_add(self.v3);
        self.v3 = self.v3.rotate_left(16) ^ self.v2;
        self.v0 = self.v0.wrapping_add(self.v3);
        self.v3 = self.v3.rotate_left(21) ^ self.v0;
        self.v2 = self.v2.wrapping_add(self.v1);
        self.v1 = self.v1.rotate_left(17) ^ self.v2;
        self.v2 = self.v2.rotate_left(32);
    }

    #[inline]
    fn absorb(&mut self, m: u64) {
        self.v3 ^= m;
        self.round();
        self.round();
        self.v0 ^= m;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siphash_reference_vector() {
        // The SipHash paper's example: key 00..0f, message 00..0e.
        let mut kb = [0u8; 32];
        for (i, b) in kb.iter_mut().enumerate().take(16) {
            *b = i as u8;
        }
        let msg: Vec<u8> = (0u8..15).collect();
        let k = SipKey::from_bytes(&kb);
        assert_eq!(k.hash(&[&msg]), 0xa129ca6149be45e5);
        assert_eq!(k.hash(&[&msg[..3], &msg[3..]]), 0xa129ca6149be45e5);
        assert_eq!(k.hash_bytes(&msg), 0xa129ca6149be45e5);
        for n in 0..40u8 {
            let m: Vec<u8> = (0..n).collect();
            assert_eq!(k.hash_bytes(&m), k.hash(&[&m]), "{n} bytes");
        }
        // Word input is SipHash of the words' little-endian bytes.
        let words = [0x0706050403020100u64, 0x0f0e0d0c0b0a0908];
        let bytes: Vec<u8> = (0u8..16).collect();
        assert_eq!(k.hash_words(&words), k.hash(&[&bytes]));
    }

    #[test]
    fn debug_is_redacted() {
        let k = Key::new(b"super-secret-key").unwrap();
        let d = format!("{k:?}");
        assert!(!d.contains("super"), "{d}");
        assert!(Key::new(b"").is_err());
    }
}
