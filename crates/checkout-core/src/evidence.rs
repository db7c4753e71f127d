//! Dispute evidence (docs/rules.md#disputes): up to 6 files; images (JPEG, PNG,
//! WebP) up to 10 MB each; one video (MP4 or WebM) up to 100 MB. The type is read
//! from the file's first bytes, not trusted from its name.

use serde::{Deserialize, Serialize};

pub const MAX_FILES: usize = 6;
pub const MAX_IMAGE_BYTES: u64 = 10 * 1024 * 1024;
pub const MAX_VIDEO_BYTES: u64 = 100 * 1024 * 1024;
/// How many leading bytes [`sniff`] needs.
pub const SNIFF_BYTES: usize = 16;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    Jpeg,
    Png,
    Webp,
    Mp4,
    Webm,
}

impl EvidenceKind {
    pub fn is_video(self) -> bool {
        matches!(self, EvidenceKind::Mp4 | EvidenceKind::Webm)
    }

    pub fn max_bytes(self) -> u64 {
        if self.is_video() { MAX_VIDEO_BYTES } else { MAX_IMAGE_BYTES }
    }

    pub fn mime(self) -> &'static str {
        match self {
            EvidenceKind::Jpeg => "image/jpeg",
            EvidenceKind::Png => "image/png",
            EvidenceKind::Webp => "image/webp",
            EvidenceKind::Mp4 => "video/mp4",
            EvidenceKind::Webm => "video/webm",
        }
    }

    /// The kind a MIME type names (the inverse of [`EvidenceKind::mime`]).
    pub fn from_mime(mime: &str) -> Option<EvidenceKind> {
        [EvidenceKind::Jpeg, EvidenceKind::Png, EvidenceKind::Webp, EvidenceKind::Mp4, EvidenceKind::Webm]
            .into_iter()
            .find(|k| k.mime() == mime)
    }

    /// The kind a file name claims, from its extension.
    pub fn from_name(name: &str) -> Option<EvidenceKind> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match ext.as_str() {
            "jpg" | "jpeg" => EvidenceKind::Jpeg,
            "png" => EvidenceKind::Png,
            "webp" => EvidenceKind::Webp,
            "mp4" | "m4v" => EvidenceKind::Mp4,
            "webm" => EvidenceKind::Webm,
            _ => return None,
        })
    }
}

/// The kind of file these first bytes start, by its magic numbers.
pub fn sniff(head: &[u8]) -> Option<EvidenceKind> {
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(EvidenceKind::Jpeg)
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(EvidenceKind::Png)
    } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        Some(EvidenceKind::Webp)
    } else if head.len() >= 8 && &head[4..8] == b"ftyp" {
        Some(EvidenceKind::Mp4)
    } else if head.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        Some(EvidenceKind::Webm)
    } else {
        None
    }
}

/// A file the shopper picked, as far as the checks need to know it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EvidenceFile {
    pub name: String,
    pub bytes: u64,
    /// What its first bytes say it is ([`sniff`]); None if nothing known.
    pub content: Option<EvidenceKind>,
}

/// One refused file, or the set as a whole; `key` names the message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum EvidenceError {
    #[error("at most 6 files")]
    TooMany { max: usize },
    #[error("{name}: not a JPEG, PNG, WebP, MP4 or WebM file")]
    WrongType { name: String },
    #[error("{name}: its content does not match its name")]
    ContentMismatch { name: String },
    #[error("{name}: larger than allowed")]
    TooLarge { name: String, max_bytes: u64 },
    #[error("{name}: empty file")]
    Empty { name: String },
    #[error("{name}: only one video")]
    SecondVideo { name: String },
}

impl EvidenceError {
    pub fn message_key(&self) -> &'static str {
        match self {
            EvidenceError::TooMany { .. } => "evidence.too_many",
            EvidenceError::WrongType { .. } => "evidence.wrong_type",
            EvidenceError::ContentMismatch { .. } => "evidence.content_mismatch",
            EvidenceError::TooLarge { .. } => "evidence.too_large",
            EvidenceError::Empty { .. } => "evidence.empty",
            EvidenceError::SecondVideo { .. } => "evidence.second_video",
        }
    }
}

/// Checks one file: its content decides its type; a name that claims another
/// type is refused (a renamed file is a common way to slip something through).
pub fn check_file(f: &EvidenceFile) -> Result<EvidenceKind, EvidenceError> {
    let name = f.name.chars().take(100).collect::<String>();
    let kind = f.content.ok_or_else(|| EvidenceError::WrongType { name: name.clone() })?;
    match EvidenceKind::from_name(&f.name) {
        Some(claimed) if claimed == kind => {}
        Some(_) => return Err(EvidenceError::ContentMismatch { name }),
        None => return Err(EvidenceError::WrongType { name }),
    }
    if f.bytes == 0 {
        return Err(EvidenceError::Empty { name });
    }
    if f.bytes > kind.max_bytes() {
        return Err(EvidenceError::TooLarge { name, max_bytes: kind.max_bytes() });
    }
    Ok(kind)
}

/// Checks the whole set: each file, the count, and one video at most. Returns
/// every problem so the form can show them all next to their files.
pub fn check_files(files: &[EvidenceFile]) -> Result<(), Vec<EvidenceError>> {
    let mut errors = Vec::new();
    if files.len() > MAX_FILES {
        errors.push(EvidenceError::TooMany { max: MAX_FILES });
    }
    let mut seen_video = false;
    for f in files {
        match check_file(f) {
            Ok(k) if k.is_video() && seen_video => {
                errors.push(EvidenceError::SecondVideo { name: f.name.chars().take(100).collect() })
            }
            Ok(k) => seen_video |= k.is_video(),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F'];
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    const WEBP: &[u8] = b"RIFF\x24\0\0\0WEBPVP8 ";
    const MP4: &[u8] = b"\0\0\0\x18ftypmp42";
    const WEBM: &[u8] = &[0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81];

    fn file(name: &str, head: &[u8], bytes: u64) -> EvidenceFile {
        EvidenceFile { name: name.into(), bytes, content: sniff(head) }
    }

    #[test]
    fn types_are_read_from_the_content() {
        assert_eq!(sniff(JPEG), Some(EvidenceKind::Jpeg));
        assert_eq!(sniff(PNG), Some(EvidenceKind::Png));
        assert_eq!(sniff(WEBP), Some(EvidenceKind::Webp));
        assert_eq!(sniff(MP4), Some(EvidenceKind::Mp4));
        assert_eq!(sniff(WEBM), Some(EvidenceKind::Webm));
        assert_eq!(sniff(b"%PDF-1.7"), None);
        assert_eq!(sniff(b"<script>"), None);
        assert_eq!(sniff(&[]), None);
    }

    // Images up to 10 MB, one video up to 100 MB, 6 files: anything else is
    // refused with a clear error (docs/rules.md#disputes).
    #[test]
    fn sizes_count_and_one_video_are_enforced() {
        assert!(check_files(&[file("a.jpg", JPEG, MAX_IMAGE_BYTES), file("b.webm", WEBM, MAX_VIDEO_BYTES)]).is_ok());
        assert_eq!(
            check_file(&file("big.png", PNG, MAX_IMAGE_BYTES + 1)),
            Err(EvidenceError::TooLarge { name: "big.png".into(), max_bytes: MAX_IMAGE_BYTES })
        );
        assert_eq!(
            check_files(&[file("a.mp4", MP4, 5), file("b.webm", WEBM, 5)]),
            Err(vec![EvidenceError::SecondVideo { name: "b.webm".into() }])
        );
        let seven: Vec<_> = (0..7).map(|i| file(&format!("{i}.jpg"), JPEG, 10)).collect();
        assert_eq!(check_files(&seven), Err(vec![EvidenceError::TooMany { max: 6 }]));
        assert_eq!(check_file(&file("z.jpg", JPEG, 0)), Err(EvidenceError::Empty { name: "z.jpg".into() }));
    }

    #[test]
    fn a_lying_extension_or_an_unknown_type_is_refused() {
        assert_eq!(check_file(&file("photo.jpg", b"%PDF-1.7 ..", 100)), Err(EvidenceError::WrongType { name: "photo.jpg".into() }));
        assert_eq!(check_file(&file("photo.jpg", PNG, 100)), Err(EvidenceError::ContentMismatch { name: "photo.jpg".into() }));
        assert_eq!(check_file(&file("clip.exe", MP4, 100)), Err(EvidenceError::WrongType { name: "clip.exe".into() }));
        assert_eq!(check_file(&file("PHOTO.JPEG", JPEG, 100)), Ok(EvidenceKind::Jpeg));
    }

    proptest! {
        #[test]
        fn sniffing_never_panics_and_agrees_with_the_checks(head in proptest::collection::vec(any::<u8>(), 0..32), bytes in 0u64..200_000_000) {
            let content = sniff(&head);
            let name = content.map_or("x.bin".to_string(), |k| format!("x.{}", k.mime().rsplit('/').next().unwrap()));
            let r = check_file(&EvidenceFile { name, bytes, content });
            if let Ok(kind) = r {
                prop_assert!(bytes > 0 && bytes <= kind.max_bytes());
            }
        }
    }
}
