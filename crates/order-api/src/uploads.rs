//! Evidence files as they arrive: the request's body is streamed to a staged
//! file in the evidence folder, measured, and its first bytes kept on the way
//! for the type check. Reading stops as soon as the file cannot be accepted
//! (a type the rules refuse, or more bytes than its type allows), so nobody
//! can make the server take 100 MB of something it will refuse; the service
//! then refuses it with the same error the mock gives (docs/rules.md#disputes).

use std::path::{Path, PathBuf};

use axum::body::Body;
use checkout_core::evidence::{check_file, sniff, EvidenceFile, MAX_VIDEO_BYTES, SNIFF_BYTES};
use http_body_util::BodyExt;
use tokio::io::AsyncWriteExt;

use crate::routes::Reply;

/// A received file under a temporary name; removed when dropped unless the
/// store moved it to its own name.
pub(crate) struct Staged {
    pub path: PathBuf,
    /// Bytes received, or declared when reading stopped early: what the size
    /// check is given.
    pub bytes: u64,
    pub head: Vec<u8>,
}

impl Staged {
    /// The file as the rules check it.
    pub fn measured(&self, name: String) -> EvidenceFile {
        EvidenceFile { name, bytes: self.bytes, content: sniff(&self.head) }
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

fn storage(e: std::io::Error) -> Reply {
    Reply::Fail(crate::store::Fail::Storage(format!("evidence folder: {e}")))
}

/// Receives `body` into `dir` for a file called `name`; `declared` is the
/// request's `Content-Length`, if it sent one.
pub(crate) async fn stage(mut body: Body, dir: &Path, name: &str, declared: Option<u64>) -> Result<Staged, Reply> {
    tokio::fs::create_dir_all(dir).await.map_err(storage)?;
    let mut suffix = [0u8; 12];
    getrandom::fill(&mut suffix).map_err(|e| storage(std::io::Error::other(e.to_string())))?;
    let hex: String = suffix.iter().map(|b| format!("{b:02x}")).collect();
    let path = dir.join(format!("staged-{hex}"));
    let mut file = tokio::fs::File::create(&path).await.map_err(storage)?;
    let mut staged = Staged { path, bytes: 0, head: Vec::with_capacity(SNIFF_BYTES) };
    // Until the first bytes are in, nothing is known: no file is larger.
    let mut cap = MAX_VIDEO_BYTES;
    let mut known = false;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| Reply::BadRequest("the file could not be read in time".into()))?;
        let Ok(chunk) = frame.into_data() else { continue };
        let missing = SNIFF_BYTES.saturating_sub(staged.head.len());
        staged.head.extend_from_slice(&chunk[..missing.min(chunk.len())]);
        staged.bytes += chunk.len() as u64;
        if !known && staged.head.len() >= SNIFF_BYTES {
            known = true;
            match accepted_cap(name, &staged.head) {
                Some(c) => cap = c,
                None => return Ok(staged),
            }
            if let Some(d) = declared.filter(|d| *d > cap) {
                staged.bytes = d;
                return Ok(staged);
            }
        }
        if staged.bytes > cap {
            return Ok(staged);
        }
        file.write_all(&chunk).await.map_err(storage)?;
    }
    file.sync_all().await.map_err(storage)?;
    Ok(staged)
}

/// The most bytes a file of this name starting with `head` may have, or None
/// if its type or name is refused already.
fn accepted_cap(name: &str, head: &[u8]) -> Option<u64> {
    let content = sniff(head);
    check_file(&EvidenceFile { name: name.to_owned(), bytes: 1, content }).ok().map(|kind| kind.max_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use checkout_core::evidence::MAX_IMAGE_BYTES;

    #[test]
    fn the_cap_follows_the_content_and_the_name() {
        let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1];
        assert_eq!(accepted_cap("a.jpg", &jpeg), Some(MAX_IMAGE_BYTES));
        assert_eq!(accepted_cap("a.png", &jpeg), None, "a name that lies");
        assert_eq!(accepted_cap("a.mp4", b"\0\0\0\x18ftypmp42\0\0\0\0"), Some(MAX_VIDEO_BYTES));
        assert_eq!(accepted_cap("a.jpg", b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xFF\xFF\0\0"), None);
    }

    #[tokio::test]
    async fn reading_stops_past_the_cap_and_nothing_is_left_behind() {
        let dir = std::env::temp_dir().join(format!("order-api-stage-{}", std::process::id()));
        let mut big = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1];
        big.resize(MAX_IMAGE_BYTES as usize + 10, 0);
        let staged = stage(Body::from(big), &dir, "big.jpg", None).await.ok().expect("staged");
        assert!(staged.bytes > MAX_IMAGE_BYTES);
        let path = staged.path.clone();
        assert!(path.exists());
        drop(staged);
        assert!(!path.exists(), "a refused file is removed");

        let small = stage(Body::from(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01".to_vec()), &dir, "s.png", Some(20)).await.ok().unwrap();
        assert_eq!((small.bytes, std::fs::read(&small.path).unwrap().len()), (20, 20));
        let declared = stage(Body::from(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01".to_vec()), &dir, "s.png", Some(u64::MAX)).await.ok().unwrap();
        assert_eq!(declared.bytes, u64::MAX, "a declared size past the cap is refused unread");
    }
}
