//! The masking key: the one secret every keyed transform derives from.
//!
//! This module owns the key material and the keyed primitives built on it:
//! the keyed pseudo-random function ([`Prf`]: BLAKE3's keyed mode or
//! HMAC-SHA256, chosen by the rules file's `[key] prf`), its per-transform
//! states ([`KeyedHash`], prepared once per bound transform and used once per
//! value), the small generator a fake draws its choices from ([`ValueRng`],
//! seeded by one PRF output), and SipHash-2-4 (the `siphasher` crate) for
//! the format-preserving Feistel rounds. It never prints the key: [`Key`]'s
//! `Debug` is redacted, and no error built here mentions it.
//!
//! # Derivations (they fix every pseudonym; changing one changes them all)
//!
//! `parts` are length-prefixed (4 bytes, big-endian) and concatenated: `lp(parts)`.
//! - `hmac-sha256`: a transform's output for a value is
//!   `HMAC-SHA256(secret, lp(parts) || value)`; `derive_bytes(parts)` is
//!   `HMAC-SHA256(secret, lp(parts))`.
//! - `blake3`: the master key is `BLAKE3-derive_key("masker 2026-11 masking
//!   key", secret)`. A transform's key is `BLAKE3-keyed(master, 0x01 ||
//!   lp(parts))` and its output for a value is `BLAKE3-keyed(transform key,
//!   value)`: one BLAKE3 compression for values up to 64 bytes.
//!   `derive_bytes(parts)` is `BLAKE3-keyed(master, 0x02 || lp(parts))`, so a
//!   derived value (the published fingerprint) never equals a transform key.

use std::fmt;

use hmac::{Hmac, Mac};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use sha2::Sha256;
use siphasher::sip::SipHasher24;

use super::collation::Folding;

/// HMAC-SHA256 (the `hmac-sha256` PRF).
type HmacSha256 = Hmac<Sha256>;

/// The context string of BLAKE3's key derivation from the secret.
const BLAKE3_CONTEXT: &str = "masker 2026-11 masking key";

/// Which keyed pseudo-random function every keyed transform uses. Changing
/// it changes every pseudonym (hash, fake, fpe).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Prf {
    /// BLAKE3 in keyed mode: one compression per value up to 64 bytes, with
    /// SIMD on x86 and ARM; fast on every CPU. The default.
    #[default]
    Blake3,
    /// HMAC-SHA256 (RFC 2104): for policies that require it. Two SHA-256
    /// compressions per short value, several times slower than BLAKE3 on
    /// CPUs without the SHA extensions.
    HmacSha256,
}

impl Prf {
    /// Every PRF with its rules-file name.
    pub const ALL: &'static [(&'static str, Prf)] =
        &[("blake3", Prf::Blake3), ("hmac-sha256", Prf::HmacSha256)];

    /// The PRF named `name` in a rules file (`blake3`, `hmac-sha256`).
    pub fn from_name(name: &str) -> Option<Prf> {
        Prf::ALL.iter().find(|(n, _)| *n == name).map(|(_, p)| *p)
    }

    /// The PRF's rules-file name.
    pub fn name(self) -> &'static str {
        match self {
            Prf::Blake3 => "blake3",
            Prf::HmacSha256 => "hmac-sha256",
        }
    }
}

impl fmt::Display for Prf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The secret masking key, bound to its [`Prf`]. `Debug` never shows it.
#[derive(Clone)]
pub struct Key {
    inner: Master,
}

#[derive(Clone)]
enum Master {
    Blake3([u8; 32]),
    Hmac(HmacSha256),
}

impl Key {
    /// A key from its secret bytes, with the default PRF ([`Prf::Blake3`]).
    /// Fails on an empty secret.
    pub fn new(secret: &[u8]) -> Result<Key, String> {
        Key::with_prf(secret, Prf::default())
    }

    /// A key from its secret bytes driving `prf`. Fails on an empty secret.
    pub fn with_prf(secret: &[u8], prf: Prf) -> Result<Key, String> {
        if secret.is_empty() {
            return Err("the masking key is empty".to_owned());
        }
        let inner = match prf {
            Prf::Blake3 => Master::Blake3(blake3::derive_key(BLAKE3_CONTEXT, secret)),
            Prf::HmacSha256 => Master::Hmac(
                HmacSha256::new_from_slice(secret).expect("HMAC accepts any key length"),
            ),
        };
        Ok(Key { inner })
    }

    /// The PRF this key drives.
    pub fn prf(&self) -> Prf {
        match self.inner {
            Master::Blake3(_) => Prf::Blake3,
            Master::Hmac(_) => Prf::HmacSha256,
        }
    }

    /// The keyed function of one transform, with `parts` (domain separation
    /// between transforms) absorbed once; call [`KeyedHash::mac`] per value.
    pub(crate) fn derive(&self, parts: &[&[u8]]) -> KeyedHash {
        match &self.inner {
            Master::Blake3(master) => KeyedHash::Blake3(blake3_parts(master, 1, parts)),
            Master::Hmac(mac) => {
                let mut mac = mac.clone();
                for p in parts {
                    mac.update(&(p.len() as u32).to_be_bytes());
                    mac.update(p);
                }
                KeyedHash::Hmac(mac)
            }
        }
    }

    /// 32 bytes derived from the key and `parts` (sub-keys, fingerprints).
    pub(crate) fn derive_bytes(&self, parts: &[&[u8]]) -> [u8; 32] {
        match &self.inner {
            Master::Blake3(master) => blake3_parts(master, 2, parts),
            Master::Hmac(_) => self.derive(parts).mac(b""),
        }
    }
}

/// `BLAKE3-keyed(master, domain || lp(parts))`.
fn blake3_parts(master: &[u8; 32], domain: u8, parts: &[&[u8]]) -> [u8; 32] {
    let mut h = blake3::Hasher::new_keyed(master);
    h.update(&[domain]);
    for p in parts {
        h.update(&(p.len() as u32).to_be_bytes());
        h.update(p);
    }
    *h.finalize().as_bytes()
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Key(<redacted>, {})", self.prf())
    }
}

/// The keyed function of one bound transform: the key with the transform's
/// domain already absorbed. One call per value. `Debug` never shows the key.
#[derive(Clone)]
pub(crate) enum KeyedHash {
    /// The transform's own BLAKE3 key.
    Blake3([u8; 32]),
    /// An HMAC state with the transform's domain absorbed.
    Hmac(HmacSha256),
}

impl fmt::Debug for KeyedHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeyedHash::Blake3(_) => "KeyedHash(blake3, <redacted>)",
            KeyedHash::Hmac(_) => "KeyedHash(hmac-sha256, <redacted>)",
        })
    }
}

impl KeyedHash {
    /// The PRF output for `value` exactly as given.
    #[inline]
    pub(crate) fn mac(&self, value: &[u8]) -> [u8; 32] {
        match self {
            KeyedHash::Blake3(k) => *blake3::keyed_hash(k, value).as_bytes(),
            KeyedHash::Hmac(state) => {
                let mut m = state.clone();
                m.update(value);
                m.finalize().into_bytes().into()
            }
        }
    }

    /// The PRF output for the folded form of `value` (see [`Folding`]):
    /// values equal under the column's collation give the same output. A
    /// value already in folded form gives [`KeyedHash::mac`] of itself.
    #[inline]
    pub(crate) fn mac_folded(&self, folding: &Folding, value: &[u8]) -> [u8; 32] {
        let body = folding.trim(value);
        if !folding.case_changes(body) {
            return self.mac(body);
        }
        match self {
            KeyedHash::Blake3(k) => {
                // Folded on the stack and hashed in one call when it fits
                // (names, addresses); the incremental hasher otherwise.
                let mut buf = [0u8; 256];
                let mut n = 0;
                let mut fits = true;
                folding.feed(body, |piece| {
                    if fits && n + piece.len() <= buf.len() {
                        buf[n..n + piece.len()].copy_from_slice(piece);
                        n += piece.len();
                    } else {
                        fits = false;
                    }
                });
                if fits {
                    return *blake3::keyed_hash(k, &buf[..n]).as_bytes();
                }
                let mut h = blake3::Hasher::new_keyed(k);
                folding.feed(body, |piece| {
                    h.update(piece);
                });
                *h.finalize().as_bytes()
            }
            KeyedHash::Hmac(state) => {
                let mut m = state.clone();
                folding.feed(body, |piece| m.update(piece));
                m.finalize().into_bytes().into()
            }
        }
    }

    /// A generator seeded by the PRF output for the folded `value`: the
    /// randomness of one fake (or any keyed choice), one PRF call per value
    /// and a 32-byte seed copied, nothing heavier.
    #[inline]
    pub(crate) fn rng_folded(&self, folding: &Folding, value: &[u8]) -> ValueRng {
        ValueRng::from_seed(self.mac_folded(folding, value))
    }
}

/// The generator a fake draws its choices from: xoshiro256++ (the
/// `rand_xoshiro` crate, whose output is fixed for a given seed), seeded with
/// one PRF output. Not a cryptographic generator: its seed is the secret part,
/// and the PRF makes seeds of different values unrelated.
pub(crate) type ValueRng = Xoshiro256PlusPlus;

/// SipHash-2-4 with a 128-bit key (the `siphasher` crate): the keyed round
/// function of `fpe`'s Feistel network, on a few words per call.
#[derive(Clone, Copy)]
pub(crate) struct SipKey {
    sip: SipHasher24,
}

impl SipKey {
    /// The first 16 bytes of `bytes` (little-endian `k0`, `k1`) as a SipHash key.
    pub(crate) fn from_bytes(bytes: &[u8; 32]) -> SipKey {
        let k0 = u64::from_le_bytes(bytes[0..8].try_into().expect("8 bytes"));
        let k1 = u64::from_le_bytes(bytes[8..16].try_into().expect("8 bytes"));
        SipKey {
            sip: SipHasher24::new_with_keys(k0, k1),
        }
    }

    /// SipHash-2-4 of `bytes`: the leak check's exact keyed hash.
    #[inline]
    pub(crate) fn hash_bytes(&self, bytes: &[u8]) -> u64 {
        self.sip.hash(bytes)
    }

    /// SipHash-2-4 of the words' little-endian bytes (at most 10 words:
    /// fpe's round input), hashed in one call over whole words.
    #[inline]
    pub(crate) fn hash_words(&self, words: &[u64]) -> u64 {
        debug_assert!(words.len() <= 10);
        let mut bytes = [0u8; 80];
        for (b, w) in bytes.chunks_exact_mut(8).zip(words) {
            b.copy_from_slice(&w.to_le_bytes());
        }
        self.sip.hash(&bytes[..8 * words.len()])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|b| format!("{b:02x}")).collect()
    }

    const KAT_SECRET: &[u8] = b"kat-key-0123456789abcdef";

    /// Known answers computed outside Rust (Python's `hmac` and the `blake3`
    /// package) from the derivations in the module docs: a change to either
    /// PRF's derivation changes every pseudonym, so it must fail here first.
    #[test]
    fn known_answers_of_both_prfs() {
        let value = b"alice@example.org";
        let hmac = Key::with_prf(KAT_SECRET, Prf::HmacSha256).unwrap();
        assert_eq!(hmac.prf(), Prf::HmacSha256);
        assert_eq!(
            hex(&hmac.derive(&[b"hash"]).mac(value)),
            "1e83cb27a61a1b21b9276b4276d88a8e7d7a1794a70141ae23a037eae5392c28"
        );
        assert_eq!(
            hex(&hmac.derive_bytes(&[b"masker derived key", b"key fingerprint"])[..8]),
            "aeebfe8d5eacb14c"
        );
        let b3 = Key::with_prf(KAT_SECRET, Prf::Blake3).unwrap();
        assert_eq!(b3.prf(), Prf::Blake3);
        assert_eq!(
            hex(&b3.derive(&[b"hash"]).mac(value)),
            "161c09280ba76118f3ac2d803fa72ae59b7d2b81659d40e1a229ac5fe52b4dbe"
        );
        assert_eq!(
            hex(&b3.derive_bytes(&[b"masker derived key", b"key fingerprint"])[..8]),
            "114951d4d77051b2"
        );
        // The default is BLAKE3.
        assert_eq!(
            Key::new(KAT_SECRET).unwrap().derive(&[b"hash"]).mac(value),
            b3.derive(&[b"hash"]).mac(value)
        );
    }

    #[test]
    fn domains_and_keys_separate() {
        for prf in [Prf::Blake3, Prf::HmacSha256] {
            let k = Key::with_prf(KAT_SECRET, prf).unwrap();
            let other = Key::with_prf(b"another-secret-0123456789", prf).unwrap();
            let h = k.derive(&[b"hash"]);
            assert_ne!(h.mac(b"x"), k.derive(&[b"fake"]).mac(b"x"), "{prf}");
            assert_ne!(h.mac(b"x"), other.derive(&[b"hash"]).mac(b"x"), "{prf}");
            assert_ne!(h.mac(b"x"), h.mac(b"y"), "{prf}");
            // Length prefixes: ("ab", "c") is not ("a", "bc").
            assert_ne!(
                k.derive_bytes(&[b"ab", b"c"]),
                k.derive_bytes(&[b"a", b"bc"]),
                "{prf}"
            );
        }
        // The two PRFs give unrelated outputs for the same secret.
        let a = Key::with_prf(KAT_SECRET, Prf::Blake3).unwrap();
        let b = Key::with_prf(KAT_SECRET, Prf::HmacSha256).unwrap();
        assert_ne!(
            a.derive(&[b"hash"]).mac(b"x"),
            b.derive(&[b"hash"]).mac(b"x")
        );
        // A BLAKE3 derived value is never a transform's key.
        match a.derive(&[b"hash"]) {
            KeyedHash::Blake3(tk) => assert_ne!(tk, a.derive_bytes(&[b"hash"])),
            KeyedHash::Hmac(_) => unreachable!(),
        }
    }

    #[test]
    fn folded_input_hashes_as_its_fold() {
        let ci = Folding::for_collation("utf8mb4_general_ci");
        for prf in [Prf::Blake3, Prf::HmacSha256] {
            let h = Key::with_prf(KAT_SECRET, prf).unwrap().derive(&[b"hash"]);
            assert_eq!(h.mac_folded(&ci, b"Tanaka Taro  "), h.mac(b"tanaka taro"));
            // Longer than one fold buffer (128 bytes), with non-ASCII letters.
            let long = "ÉTÉ Été ".repeat(40);
            assert_eq!(
                h.mac_folded(&ci, long.as_bytes()),
                h.mac(long.to_lowercase().trim_end().as_bytes()),
                "{prf}"
            );
            assert_eq!(h.mac_folded(&Folding::exact(), b"A "), h.mac(b"A "));
        }
    }

    #[test]
    fn prf_names_round_trip() {
        for &(name, prf) in Prf::ALL {
            assert_eq!(Prf::from_name(name), Some(prf));
            assert_eq!(prf.name(), name);
        }
        assert_eq!(Prf::from_name("sha256"), None);
        assert_eq!(Prf::default(), Prf::Blake3);
    }

    #[test]
    fn siphash_reference_vectors() {
        // The SipHash paper's key 00..0f; messages 00..0e (the paper's
        // example) and 00..0f (the reference implementation's vectors).
        let mut kb = [0u8; 32];
        for (i, b) in kb.iter_mut().enumerate().take(16) {
            *b = i as u8;
        }
        let k = SipKey::from_bytes(&kb);
        let msg: Vec<u8> = (0u8..15).collect();
        assert_eq!(k.sip.hash(&msg), 0xa129ca6149be45e5);
        assert_eq!(k.hash_bytes(&msg), 0xa129ca6149be45e5);
        // Word input is SipHash of the words' little-endian bytes.
        let words = [0x0706050403020100u64, 0x0f0e0d0c0b0a0908];
        assert_eq!(k.hash_words(&words), 0x3f2acc7f57c29bdb);
    }

    #[test]
    fn debug_is_redacted() {
        for prf in [Prf::Blake3, Prf::HmacSha256] {
            let k = Key::with_prf(b"super-secret-key", prf).unwrap();
            let d = format!("{k:?} {:?}", k.derive(&[b"hash"]));
            assert!(!d.contains("super"), "{d}");
            assert!(d.contains(prf.name()), "{d}");
        }
        assert!(Key::new(b"").is_err());
    }
}
