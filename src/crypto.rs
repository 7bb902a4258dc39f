//! Encryption at rest for sensitive data (payout details, R-ONB-7): AES-256-GCM under a key from
//! configuration (`DATA_KEY`, base64 of 32 bytes) or, when unset, from a key file (`proego.key`
//! next to the SQLite database, or in the working directory), created with mode 0600 on first
//! start. A sealed value is base64(nonce || ciphertext); the key never appears in logs.

use std::fmt;
use std::path::{Path, PathBuf};

use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rand::RngCore;

/// The data key. `Debug` never prints it.
#[derive(Clone)]
pub struct DataKey {
    cipher: Aes256Gcm,
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataKey(<redacted>)")
    }
}

const NONCE_LEN: usize = 12;

impl DataKey {
    pub fn from_bytes(bytes: &[u8; 32]) -> Self {
        Self {
            cipher: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(bytes)),
        }
    }

    /// `DATA_KEY`: base64 of exactly 32 bytes.
    pub fn from_base64(text: &str) -> Result<Self, String> {
        let bytes = STANDARD
            .decode(text.trim())
            .map_err(|_| "DATA_KEY must be base64 (of 32 random bytes)".to_owned())?;
        let arr: [u8; 32] = bytes
            .try_into()
            .map_err(|_| "DATA_KEY must be base64 of exactly 32 bytes".to_owned())?;
        Ok(Self::from_bytes(&arr))
    }

    /// Reads the key file, or creates it (32 random bytes, base64, mode 0600) when missing.
    pub fn load_or_create(path: &Path) -> Result<Self, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::from_base64(&text).map_err(|e| format!("{}: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut bytes = [0u8; 32];
                rand::rngs::OsRng.fill_bytes(&mut bytes);
                write_private(path, STANDARD.encode(bytes).as_bytes())
                    .map_err(|e| format!("cannot create the key file {}: {e}", path.display()))?;
                tracing::info!(path = %path.display(), "created a new data key file");
                Ok(Self::from_bytes(&bytes))
            }
            Err(e) => Err(format!("cannot read the key file {}: {e}", path.display())),
        }
    }

    /// Where the key file lives for a database URL: next to a SQLite file, else the working
    /// directory.
    pub fn default_path(database_url: &crate::config::DatabaseUrl) -> PathBuf {
        if let crate::config::DatabaseUrl::Sqlite(u) = database_url {
            let path = u.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
            let path = path.split('?').next().unwrap_or("");
            if !path.is_empty() && !path.contains(":memory:") {
                if let Some(dir) = Path::new(path).parent() {
                    return dir.join("proego.key");
                }
            }
        }
        PathBuf::from("proego.key")
    }

    /// Encrypts `plain` with a fresh random nonce.
    pub fn seal(&self, plain: &[u8]) -> String {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        // Encryption with a valid key and nonce cannot fail for in-memory buffers.
        let ct = self.cipher.encrypt(&nonce, plain).unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        STANDARD.encode(out)
    }

    /// Decrypts a sealed value; `None` when it was not sealed with this key or is damaged.
    pub fn open(&self, sealed: &str) -> Option<Vec<u8>> {
        let raw = STANDARD.decode(sealed).ok()?;
        if raw.len() <= NONCE_LEN {
            return None;
        }
        let (nonce, ct) = raw.split_at(NONCE_LEN);
        self.cipher.decrypt(Nonce::from_slice(nonce), ct).ok()
    }
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(bytes)
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_and_opens_and_refuses_another_key() {
        let k = DataKey::from_bytes(&[7; 32]);
        let sealed = k.seal(b"4276 0000 0000 0006");
        assert!(!sealed.contains("4276"));
        assert_eq!(k.open(&sealed).unwrap(), b"4276 0000 0000 0006");
        assert_ne!(k.seal(b"x"), k.seal(b"x"), "a fresh nonce every time");
        assert!(DataKey::from_bytes(&[8; 32]).open(&sealed).is_none());
        assert!(k.open("not base64!").is_none());
        assert_eq!(format!("{k:?}"), "DataKey(<redacted>)");
    }

    #[test]
    fn base64_key_must_be_32_bytes() {
        assert!(DataKey::from_base64(&STANDARD.encode([1u8; 32])).is_ok());
        assert!(DataKey::from_base64(&STANDARD.encode([1u8; 16])).is_err());
        assert!(DataKey::from_base64("???").is_err());
    }

    #[test]
    fn key_file_is_created_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("proego.key");
        let k1 = DataKey::load_or_create(&path).unwrap();
        let sealed = k1.seal(b"secret");
        let k2 = DataKey::load_or_create(&path).unwrap();
        assert_eq!(k2.open(&sealed).unwrap(), b"secret");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn key_path_follows_the_sqlite_file() {
        use crate::config::DatabaseUrl;
        assert_eq!(
            DataKey::default_path(&DatabaseUrl::Sqlite("sqlite:///var/lib/proego/proego.db".into())),
            PathBuf::from("/var/lib/proego/proego.key")
        );
        assert_eq!(
            DataKey::default_path(&DatabaseUrl::Sqlite("sqlite://proego.db".into())),
            PathBuf::from("proego.key")
        );
        assert_eq!(
            DataKey::default_path(&DatabaseUrl::Postgres("postgres://x/y".into())),
            PathBuf::from("proego.key")
        );
    }
}
