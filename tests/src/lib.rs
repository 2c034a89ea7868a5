//! Fixtures for the cross-crate tests: a small content folder written on the fly,
//! signing keys, and bundles built from them.
//!
//! The tests themselves are in `integration/`, one module per area.

use std::path::{Path, PathBuf};

use ed25519_dalek::SigningKey;
use jiff::Timestamp;
use kiosk_authoring::{BuildOptions, Built, build_bundle};

/// A fixed signing key, `seed` picks which.
pub fn key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

/// A moment in 2026, for builds and checks.
pub fn now() -> Timestamp {
    "2026-11-26T12:00:00Z".parse().unwrap()
}

/// The repository's root folder.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_owned()
}

/// The default content in `media/`, built into a bundle in a temporary folder
/// (kept while the returned folder lives).
pub fn default_bundle() -> (tempfile::TempDir, Built) {
    let work = tempfile::tempdir().unwrap();
    let options = BuildOptions::new("default", 1, now(), key(1));
    let built =
        build_bundle(&repo_root().join("media"), &work.path().join("b"), &options, &mut |_| {}).unwrap();
    (work, built)
}

/// The bytes of a one-page PDF that says `text`.
pub fn tiny_pdf(text: &str) -> Vec<u8> {
    format!("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\n% {text}\ntrailer<</Root 1 0 R>>\n%%EOF\n").into_bytes()
}

/// Writes a small but complete content folder (two languages, two chapters, one
/// brochure per language) into `dir`; `tag` makes its bytes unique.
pub fn write_content_folder(dir: &Path, tag: &str) {
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    };
    write(
        "images/badge.svg",
        format!("<svg xmlns='http://www.w3.org/2000/svg'><!--{tag}--></svg>").as_bytes(),
    );
    write("images/cover.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><circle r='5'/></svg>");
    // A real film, so that probing it at build time finds a film.
    std::fs::create_dir_all(dir.join("videos")).unwrap();
    std::fs::copy(repo_root().join("media/videos/innovation-zone.mp4"), dir.join("videos/film.mp4")).unwrap();
    write("brochures/guide/vi.pdf", &tiny_pdf(&format!("vi {tag}")));
    write("brochures/guide/en.pdf", &tiny_pdf(&format!("en {tag}")));
    write(
        "pack.toml",
        r##"default_locale = "vi"
[[locales]]
tag = "vi"
name = "Tiếng Việt"
[[locales]]
tag = "en"
name = "English"
[brand]
badge = "images/badge.svg"
[brand.title]
vi = "Bình Dương"
en = "Binh Duong"
[brand.tagline]
vi = "Thành phố thông minh"
en = "Smart City"
[attract]
video = "videos/film.mp4"
images = ["images/cover.svg"]
[attract.headline]
vi = "Chạm để khám phá"
en = "Touch to explore"
[ui.vi]
back = "Quay lại"
[ui.en]
back = "Back"
"##
        .as_bytes(),
    );
    write(
        "story/01-award.toml",
        r##"id = "award"
cover = "images/cover.svg"
accent = "#E8A317"
[title]
vi = "Giải thưởng TOP 1 ICF"
en = "The TOP 1 ICF award"
[summary]
vi = "Cộng đồng thông minh của năm 2023."
en = "Intelligent Community of the Year 2023."
[[scenes]]
id = "new-york"
image = "images/cover.svg"
video = "videos/film.mp4"
[scenes.title]
vi = "New York, 26/10/2023"
en = "New York, 26 Oct 2023"
[scenes.body]
vi = "Đoạn một.\n\nĐoạn hai."
en = "Paragraph one.\n\nParagraph two."
"##
        .as_bytes(),
    );
    write(
        "story/02-invest.toml",
        r##"id = "invest"
cover = "images/cover.svg"
[title]
vi = "Đầu tư"
en = "Invest"
[summary]
vi = "Liên hệ (mẫu)."
en = "Contact (sample)."
[[scenes]]
id = "contact"
[scenes.title]
vi = "Liên hệ"
en = "Contact"
[scenes.body]
vi = "invest@example.vn (mẫu)"
"##
        .as_bytes(),
    );
    write(
        "brochures.toml",
        r##"[[brochures]]
id = "guide"
cover = "images/cover.svg"
[brochures.title]
vi = "Cẩm nang đầu tư"
en = "Investor guide"
[brochures.summary]
vi = "Vì sao Bình Dương."
en = "Why Bình Dương."
[brochures.file]
vi = "brochures/guide/vi.pdf"
en = "brochures/guide/en.pdf"
"##
        .as_bytes(),
    );
    write(
        "social.toml",
        r##"hashtags = ["#BinhDuong2023"]
[[channels]]
name = "Facebook"
handle = "@binhduong (sample)"
url = "https://www.facebook.com/binhduong.sample"
"##
        .as_bytes(),
    );
}

/// Builds a bundle of the small content folder into `<dir>/<name>`.
pub fn build_test_bundle(dir: &Path, name: &str, channel: &str, version: u64, signer: &SigningKey) -> Built {
    let source = dir.join(format!("{name}-source"));
    write_content_folder(&source, name);
    let options = BuildOptions::new(channel, version, now(), signer.clone());
    build_bundle(&source, &dir.join(name), &options, &mut |_| {}).unwrap()
}

/// Like [`build_test_bundle`], with an English brochure of `megabytes` MB: a
/// release whose download takes a while.
pub fn build_large_test_bundle(
    dir: &Path,
    name: &str,
    channel: &str,
    version: u64,
    signer: &SigningKey,
    megabytes: usize,
) -> Built {
    let source = dir.join(format!("{name}-source"));
    write_content_folder(&source, name);
    let mut large = tiny_pdf(name);
    large.extend(std::iter::repeat_n(b'%', megabytes * 1024 * 1024));
    std::fs::write(source.join("brochures/guide/en.pdf"), large).unwrap();
    let options = BuildOptions::new(channel, version, now(), signer.clone());
    build_bundle(&source, &dir.join(name), &options, &mut |_| {}).unwrap()
}
