//! Builds a bundle: copies every referenced file into `blobs/<sha256>`, writes the
//! canonical `manifest.json`, then signs it into `manifest.sig`.
//!
//! The bundle is assembled in `<out>.partial` and renamed to `<out>` only when
//! complete, so a folder named like the output is always a whole bundle.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use ed25519_dalek::{Signer, SigningKey};
use jiff::Timestamp;
use kiosk_core::blob::{BlobHasher, BlobId, BlobRef, MediaProbe, MediaType};
use kiosk_core::content::{
    Attract, Brand, Brochure, BrochureFile, Chapter, ContentError, ContentPack, Scene, Social, Sound, is_slug,
};
use kiosk_core::locale::Localized;
use kiosk_core::manifest::{FORMAT, Manifest};
use kiosk_core::signage::{Playlist, PlaylistItem, Show, Signage};
use kiosk_core::tour::{MAP_PERMILLE, StopScene, Tour, TourStop};

use crate::source::{Source, SourceError, StopFile, TOUR_FILE};

/// What to stamp on the release and the key to sign it with.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Channel, e.g. `wtc-booths`.
    pub channel: String,
    /// Version; must grow with every release of the channel.
    pub version: u64,
    /// Build time, read by the caller.
    pub created_at: Timestamp,
    /// Expiry, if any.
    pub expires_at: Option<Timestamp>,
    /// The signing key.
    pub key: SigningKey,
    /// Probes each film (e.g. with GStreamer, `kiosk-media`); a film it refuses
    /// fails the build with its reason. `None` records no probe facts.
    pub probe: Option<ProbeFilm>,
}

/// Probes a film file: its facts, or why it is not playable.
pub type ProbeFilm = fn(&Path) -> Result<MediaProbe, String>;

impl BuildOptions {
    /// Options without expiry and without probing.
    pub fn new(channel: &str, version: u64, created_at: Timestamp, key: SigningKey) -> Self {
        Self { channel: channel.to_owned(), version, created_at, expires_at: None, key, probe: None }
    }
}

/// How far a build has come, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// All files found: how many, and their bytes together.
    Planned {
        /// Files (each distinct path once).
        files: usize,
        /// Their bytes together.
        bytes: u64,
    },
    /// More bytes hashed and copied.
    Copied(u64),
}

/// A finished bundle.
#[derive(Debug, Clone)]
pub struct Built {
    /// Its manifest.
    pub manifest: Manifest,
    /// SHA-256 of `manifest.json`.
    pub manifest_sha256: BlobId,
    /// Where it is.
    pub dir: PathBuf,
}

/// Why a build failed; each message names the file or key to fix.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The author's folder is not valid.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// A referenced file is of a type a release may not carry.
    #[error("{0}: a release may carry only SVG, PNG, JPEG, WebP, MP4, WebM, PDF, WAV and Ogg Vorbis files")]
    UnsupportedFile(PathBuf),
    /// The content breaks a rule.
    #[error("content: {0}")]
    Content(#[from] ContentError),
    /// The tour breaks a rule.
    #[error("{file}: {source}")]
    Tour {
        /// `tour.toml`.
        file: PathBuf,
        /// The rule and where.
        source: ContentError,
    },
    /// The channel name is not a slug.
    #[error("channel {0:?} must be lowercase letters, digits and '-'")]
    BadChannel(String),
    /// A film that is not playable media.
    #[error("{path}: not playable media: {reason}")]
    Unplayable {
        /// The file.
        path: PathBuf,
        /// The probe's reason.
        reason: String,
    },
    /// The output exists already.
    #[error("{0} exists already: choose a new folder for the bundle")]
    OutputExists(PathBuf),
    /// Reading or writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The reason.
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BuildError + '_ {
    move |source| BuildError::Io { path: path.to_owned(), source }
}

/// Builds and signs a bundle from `source_dir` into `out_dir` (which must not exist).
pub fn build_bundle(
    source_dir: &Path,
    out_dir: &Path,
    options: &BuildOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<Built, BuildError> {
    if !is_slug(&options.channel) {
        return Err(BuildError::BadChannel(options.channel.clone()));
    }
    if out_dir.exists() {
        return Err(BuildError::OutputExists(out_dir.to_owned()));
    }
    let source = Source::read(source_dir)?;

    // First pass: resolve every path and add up the sizes, without reading.
    let mut planned: BTreeMap<PathBuf, u64> = BTreeMap::new();
    assemble(&source, &mut |path| {
        let size = std::fs::metadata(path).map_err(io(path))?.len();
        planned.insert(path.to_owned(), size);
        Ok(BlobId::of(path.as_os_str().as_encoded_bytes()))
    })?;
    progress(Progress::Planned { files: planned.len(), bytes: planned.values().sum() });

    let partial = partial_dir(out_dir);
    if partial.exists() {
        std::fs::remove_dir_all(&partial).map_err(io(&partial))?;
    }
    let blob_dir = partial.join("blobs");
    std::fs::create_dir_all(&blob_dir).map_err(io(&blob_dir))?;

    // Second pass: copy each file into the blob folder, hashing as it goes.
    let mut copied: BTreeMap<PathBuf, BlobRef> = BTreeMap::new();
    let content = assemble(&source, &mut |path| {
        if let Some(blob) = copied.get(path) {
            return Ok(blob.sha256.clone());
        }
        let mut blob = copy_into_blobs(path, &blob_dir, progress)?;
        if let (Some(probe), true) = (options.probe, blob.media_type.is_video()) {
            let facts =
                probe(path).map_err(|reason| BuildError::Unplayable { path: path.to_owned(), reason })?;
            blob.probe = Some(facts);
        }
        let id = blob.sha256.clone();
        copied.insert(path.to_owned(), blob);
        Ok(id)
    })?;

    let mut blobs: Vec<BlobRef> = copied.into_values().collect();
    blobs.sort_by(|a, b| a.sha256.cmp(&b.sha256));
    blobs.dedup_by(|a, b| a.sha256 == b.sha256);
    if let Some(tour) = &content.tour {
        tour.check(&content).map_err(|source_error| BuildError::Tour {
            file: source.root.join(TOUR_FILE),
            source: source_error,
        })?;
    }
    content.check(&blobs)?;

    let manifest = Manifest {
        format: FORMAT,
        channel: options.channel.clone(),
        version: options.version,
        created_at: options.created_at,
        expires_at: options.expires_at,
        blobs,
        content,
    };
    let bytes = manifest.encode();
    write_synced(&partial.join("manifest.json"), &bytes)?;
    write_synced(&partial.join("manifest.sig"), &options.key.sign(&bytes).to_bytes())?;
    std::fs::rename(&partial, out_dir).map_err(io(out_dir))?;
    Ok(Built { manifest_sha256: BlobId::of(&bytes), manifest, dir: out_dir.to_owned() })
}

fn partial_dir(out_dir: &Path) -> PathBuf {
    let mut name = out_dir.file_name().unwrap_or_default().to_owned();
    name.push(".partial");
    out_dir.with_file_name(name)
}

fn copy_into_blobs(
    path: &Path,
    blob_dir: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<BlobRef, BuildError> {
    let media_type = path
        .extension()
        .and_then(|e| e.to_str())
        .and_then(MediaType::from_extension)
        .ok_or_else(|| BuildError::UnsupportedFile(path.to_owned()))?;
    let incoming = blob_dir.join(".incoming");
    let mut input = File::open(path).map_err(io(path))?;
    let mut output = File::create(&incoming).map_err(io(&incoming))?;
    let mut hasher = BlobHasher::new();
    let mut buffer = vec![0u8; 256 * 1024];
    loop {
        let n = input.read(&mut buffer).map_err(io(path))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        output.write_all(&buffer[..n]).map_err(io(&incoming))?;
        progress(Progress::Copied(n as u64));
    }
    output.sync_all().map_err(io(&incoming))?;
    let facts = hasher.finish();
    let target = blob_dir.join(facts.sha256.as_str());
    std::fs::rename(&incoming, &target).map_err(io(&target))?;
    Ok(BlobRef { sha256: facts.sha256, size: facts.size, media_type, probe: None })
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), BuildError> {
    let mut file = File::create(path).map_err(io(path))?;
    file.write_all(bytes).map_err(io(path))?;
    file.sync_all().map_err(io(path))
}

type Resolver<'a> = dyn FnMut(&Path) -> Result<BlobId, BuildError> + 'a;

/// Builds the content pack, turning each path into a blob id with `blob`.
fn assemble(source: &Source, blob: &mut Resolver<'_>) -> Result<ContentPack, BuildError> {
    let pack_toml = source.root.join("pack.toml");
    let mut file = |toml: &Path, key: &str, value: &str| -> Result<BlobId, BuildError> {
        let path = source.resolve(toml, key, value)?;
        blob(&path)
    };
    let pack = &source.pack;
    let brand = Brand {
        title: pack.brand.title.clone(),
        tagline: pack.brand.tagline.clone(),
        badge: file(&pack_toml, "brand.badge", &pack.brand.badge)?,
        logo: pack.brand.logo.as_deref().map(|v| file(&pack_toml, "brand.logo", v)).transpose()?,
    };
    let attract = Attract {
        headline: pack.attract.headline.clone(),
        video: pack.attract.video.as_deref().map(|v| file(&pack_toml, "attract.video", v)).transpose()?,
        images: pack
            .attract
            .images
            .iter()
            .map(|v| file(&pack_toml, "attract.images", v))
            .collect::<Result<_, _>>()?,
    };
    let sound = match &pack.sound {
        None => None,
        Some(sound) => Some(Sound {
            touch: sound.touch.as_deref().map(|v| file(&pack_toml, "sound.touch", v)).transpose()?,
            bed: sound.bed.as_deref().map(|v| file(&pack_toml, "sound.bed", v)).transpose()?,
        }),
    };

    let mut chapters = Vec::new();
    for (toml, chapter) in &source.chapters {
        let mut scenes = Vec::new();
        for scene in &chapter.scenes {
            let key = |k: &str| format!("scenes[{}].{k}", scene.id);
            scenes.push(Scene {
                id: scene.id.clone(),
                title: scene.title.clone(),
                body: scene.body.clone(),
                highlights: scene.highlights.clone(),
                image: scene.image.as_deref().map(|v| file(toml, &key("image"), v)).transpose()?,
                video: scene.video.as_deref().map(|v| file(toml, &key("video"), v)).transpose()?,
                survey: scene.survey.clone(),
            });
        }
        chapters.push(Chapter {
            id: chapter.id.clone(),
            title: chapter.title.clone(),
            summary: chapter.summary.clone(),
            cover: file(toml, "cover", &chapter.cover)?,
            accent: chapter.accent.clone(),
            scenes,
        });
    }

    let brochures_toml = source.root.join("brochures.toml");
    let mut brochures = Vec::new();
    for brochure in &source.brochures.brochures {
        let key = |k: &str| format!("brochures[{}].{k}", brochure.id);
        let mut files = Localized::default();
        for (locale, path) in brochure.file.iter() {
            let blob = file(&brochures_toml, &key(&format!("file.{locale}")), path)?;
            files.insert(
                locale.clone(),
                BrochureFile { blob, file_name: format!("{}-{locale}.pdf", brochure.id) },
            );
        }
        brochures.push(Brochure {
            id: brochure.id.clone(),
            title: brochure.title.clone(),
            summary: brochure.summary.clone(),
            cover: brochure.cover.as_deref().map(|v| file(&brochures_toml, &key("cover"), v)).transpose()?,
            file: files,
        });
    }

    let playlists_toml = source.root.join("playlists.toml");
    let signage = match &source.playlists {
        None => None,
        Some(playlists_file) => {
            let mut playlists = Vec::new();
            for playlist in &playlists_file.playlists {
                let mut items = Vec::new();
                for item in &playlist.items {
                    let key = |k: &str| format!("playlists[{}].items[{}].{k}", playlist.id, item.id);
                    let show = item_show(item, &key, &mut |k, v| file(&playlists_toml, &key(k), v)).map_err(
                        |problem| SourceError::BadItem {
                            file: playlists_toml.clone(),
                            key: key("kind"),
                            problem,
                        },
                    )?;
                    items.push(PlaylistItem { id: item.id.clone(), show, seconds: item.seconds });
                }
                playlists.push(Playlist { id: playlist.id.clone(), items });
            }
            Some(Signage { playlists, schedule: playlists_file.schedule.clone() })
        }
    };

    let tour_toml = source.root.join(TOUR_FILE);
    let tour = match &source.tour {
        None => None,
        Some(tour_file) => {
            let mut stops = Vec::new();
            for stop in &tour_file.stops {
                let key = |k: &str| format!("stops[{}].{k}", stop.id);
                let bad = |k: &str, problem: String| SourceError::BadItem {
                    file: tour_toml.clone(),
                    key: key(k),
                    problem,
                };
                stops.push(TourStop {
                    id: stop.id.clone(),
                    kind: stop.kind,
                    x_permille: permille(stop.x).map_err(|problem| bad("x", problem))?,
                    y_permille: permille(stop.y).map_err(|problem| bad("y", problem))?,
                    name: stop.name.clone(),
                    summary: stop.summary.clone(),
                    sample: stop.sample,
                    scene: stop_scene(stop).map_err(|(k, problem)| bad(k, problem))?,
                    image: stop.image.as_deref().map(|v| file(&tour_toml, &key("image"), v)).transpose()?,
                });
            }
            Some(Tour {
                title: tour_file.title.clone(),
                intro: tour_file.intro.clone(),
                map: file(&tour_toml, "map", &tour_file.map)?,
                seconds_per_stop: tour_file.seconds_per_stop,
                stops,
            })
        }
    };

    Ok(ContentPack {
        default_locale: pack.default_locale.clone(),
        locales: pack.locales.clone(),
        brand,
        attract,
        chapters,
        brochures,
        social: Social { hashtags: source.social.hashtags.clone(), channels: source.social.channels.clone() },
        ui: pack.ui.clone(),
        signage,
        sound,
        tour,
    })
}

/// A fraction of the map (0 to 1) in the thousandths the content model keeps.
fn permille(fraction: f64) -> Result<u16, String> {
    if !(0.0..=1.0).contains(&fraction) {
        return Err(format!(
            "{fraction} is off the map: write a fraction from 0 (left or top) to 1 (right or bottom)"
        ));
    }
    Ok((fraction * f64::from(MAP_PERMILLE)).round() as u16)
}

/// The story scene a stop opens: `chapter` and `scene` together, or neither.
/// An error names the key that is missing.
fn stop_scene(stop: &StopFile) -> Result<Option<StopScene>, (&'static str, String)> {
    match (&stop.chapter, &stop.scene) {
        (Some(chapter), Some(scene)) => {
            Ok(Some(StopScene { chapter: chapter.clone(), scene: scene.clone() }))
        }
        (None, None) => Ok(None),
        (Some(_), None) => Err(("scene", "a stop that opens a scene needs both chapter and scene".into())),
        (None, Some(_)) => Err(("chapter", "a stop that opens a scene needs both chapter and scene".into())),
    }
}

/// What an item of `playlists.toml` shows; a missing key is an error naming it.
fn item_show(
    item: &crate::source::ItemFile,
    key: &dyn Fn(&str) -> String,
    blob: &mut dyn FnMut(&str, &str) -> Result<BlobId, BuildError>,
) -> Result<Show, String> {
    let need = |value: &Option<String>, name: &str| {
        value.clone().ok_or_else(|| format!("kind {:?} needs {}", item.kind, key(name)))
    };
    let blob_error = |e: BuildError| e.to_string();
    Ok(match item.kind.as_str() {
        "video" => Show::Video { video: blob("video", &need(&item.video, "video")?).map_err(blob_error)? },
        "image" => Show::Image { image: blob("image", &need(&item.image, "image")?).map_err(blob_error)? },
        "scene" => {
            Show::Scene { chapter: need(&item.chapter, "chapter")?, scene: need(&item.scene, "scene")? }
        }
        "brochure" => Show::Brochure { brochure: need(&item.brochure, "brochure")? },
        "message" => Show::Message {
            text: item.text.clone().ok_or_else(|| format!("kind \"message\" needs {}", key("text")))?,
        },
        "tour" => Show::Tour,
        other => return Err(format!("{other:?} is not one of video, image, scene, brochure, message, tour")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PACK: &str = r##"default_locale = "vi"
[[locales]]
tag = "vi"
name = "Tiếng Việt"
[brand]
badge = "images/badge.svg"
[brand.title]
vi = "Bình Dương"
[brand.tagline]
vi = "Thành phố thông minh"
[attract]
[attract.headline]
vi = "Chạm để khám phá"
[ui.vi]
back = "Quay lại"
"##;

    const CHAPTER: &str = r##"id = "award"
cover = "images/badge.svg"
[title]
vi = "Giải thưởng"
[summary]
vi = "TOP 1 ICF"
[[scenes]]
id = "new-york"
[scenes.title]
vi = "New York"
[scenes.body]
vi = "Đoạn một."
"##;

    /// A minimal folder whose `pack.toml` ends with `extra` and whose chapter's
    /// scene ends with `scene_extra`.
    fn folder(extra: &str, scene_extra: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, bytes: &[u8]| {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        };
        write("pack.toml", format!("{PACK}{extra}").as_bytes());
        write("story/01-award.toml", format!("{CHAPTER}{scene_extra}").as_bytes());
        write("images/badge.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>");
        write("sounds/touch.wav", b"RIFF\0\0\0\0WAVE");
        write("sounds/bed.ogg", b"OggS bed");
        dir
    }

    fn build(extra: &str) -> Result<Built, BuildError> {
        build_with(extra, "")
    }

    fn build_with(extra: &str, scene_extra: &str) -> Result<Built, BuildError> {
        build_folder(&folder(extra, scene_extra))
    }

    /// The minimal folder with these files added (name, text).
    fn build_files(files: &[(&str, &str)]) -> Result<Built, BuildError> {
        let source = folder("", "");
        for (name, text) in files {
            std::fs::write(source.path().join(name), text).unwrap();
        }
        build_folder(&source)
    }

    fn build_folder(source: &tempfile::TempDir) -> Result<Built, BuildError> {
        let out = tempfile::tempdir().unwrap();
        let key = SigningKey::from_bytes(&[7; 32]);
        let options = BuildOptions::new("default", 1, "2026-11-26T12:00:00Z".parse().unwrap(), key);
        build_bundle(source.path(), &out.path().join("bundle"), &options, &mut |_| {})
    }

    #[test]
    fn the_sound_table_becomes_audio_blobs() {
        let built = build("[sound]\ntouch = \"sounds/touch.wav\"\nbed = \"sounds/bed.ogg\"\n").unwrap();
        let sound = built.manifest.content.sound.clone().expect("a [sound] table");
        let touch = built.manifest.blob(sound.touch.as_ref().unwrap()).unwrap();
        let bed = built.manifest.blob(sound.bed.as_ref().unwrap()).unwrap();
        assert_eq!((touch.media_type, bed.media_type), (MediaType::Wav, MediaType::Ogg));
        assert_eq!(touch.sha256, BlobId::of(b"RIFF\0\0\0\0WAVE"));
    }

    #[test]
    fn a_pack_without_sounds_has_none() {
        assert_eq!(build("").unwrap().manifest.content.sound, None);
        let built = build("[sound]\nbed = \"sounds/bed.ogg\"\n").unwrap();
        let sound = built.manifest.content.sound.unwrap();
        assert!(sound.touch.is_none() && sound.bed.is_some());
    }

    #[test]
    fn sound_paths_are_checked_like_any_other() {
        let refused = |extra: &str| build(extra).expect_err("should be refused").to_string();
        let message = refused("[sound]\ntouch = \"sounds/missing.wav\"\n");
        assert!(message.contains("sound.touch = \"sounds/missing.wav\": no such file"), "{message}");
        let message = refused("[sound]\nbed = \"../bed.ogg\"\n");
        assert!(message.contains("sound.bed"), "{message}");
        let message = refused("[sound]\ntouch = \"images/badge.svg\"\n");
        assert!(message.contains("sound touch: expects Sound but blob"), "{message}");
        let message = refused("[sound]\nchime = \"sounds/touch.wav\"\n");
        assert!(message.contains("unknown field `chime`"), "{message}");
    }

    const SURVEY: &str = r#"
[scenes.survey]
id = "what-brings-you"
question = { vi = "Điều gì đưa bạn đến Bình Dương?", en = "What brings you to Bình Dương?" }

[[scenes.survey.options]]
id = "study"
label = { vi = "Học tập", en = "Study" }

[[scenes.survey.options]]
id = "tourism"
[scenes.survey.options.label]
vi = "Du lịch"
en = "Tourism"
"#;

    #[test]
    fn a_scene_carries_its_survey_from_the_story_toml() {
        let built = build_with("", SURVEY).unwrap();
        let content = &built.manifest.content;
        let survey = content.survey_at("award", "new-york").expect("the scene's survey");
        assert_eq!(survey.id, "what-brings-you");
        assert_eq!(survey.options.iter().map(|o| o.id.as_str()).collect::<Vec<_>>(), ["study", "tourism"]);
        let en = kiosk_core::locale::LocaleTag::new("en").unwrap();
        assert_eq!(survey.options[1].label.exact(&en).map(String::as_str), Some("Tourism"));
        assert_eq!(survey.question.exact(&en).map(String::as_str), Some("What brings you to Bình Dương?"));
        assert_eq!(build("").unwrap().manifest.content.chapters[0].scenes[0].survey, None);
    }

    #[test]
    fn a_survey_that_breaks_a_rule_is_named_with_its_place() {
        let refused =
            |scene_extra: String| build_with("", &scene_extra).expect_err("should be refused").to_string();
        let message = refused(SURVEY.replace("id = \"tourism\"", "id = \"study\""));
        assert!(
            message
                .contains("chapter \"award\" scene \"new-york\" survey options: id \"study\" is used twice"),
            "{message}"
        );
        let message = refused(SURVEY.replace("question = {", "questions = {"));
        assert!(message.contains("unknown field `questions`"), "{message}");
        let one_answer =
            SURVEY.split("\n[[scenes.survey.options]]\nid = \"tourism\"").next().unwrap().to_owned();
        let message = refused(one_answer);
        assert!(message.contains("has 1; a survey offers 2 to 6 answers"), "{message}");
    }

    const TOUR: &str = r#"map = "images/badge.svg"
seconds_per_stop = 6
title = { vi = "Chuyến tham quan", en = "The tour" }
intro = { vi = "Các điểm dọc Vùng đổi mới sáng tạo." }

[[stops]]
id = "vsip"
kind = "industrial_park"
x = 0.52
y = 0.3406
chapter = "award"
scene = "new-york"
image = "images/badge.svg"
name = { vi = "VSIP", en = "VSIP" }
summary = { vi = "Khu công nghiệp." }

[[stops]]
id = "new-city"
kind = "city_centre"
x = 1
y = 0
sample = true
name = { vi = "Thành phố mới" }
summary = { vi = "Trung tâm đô thị mới." }
"#;

    const TOUR_ITEM: &str = r#"[schedule]
fallback = "welcome"

[[playlists]]
id = "welcome"

[[playlists.items]]
id = "tour"
kind = "tour"
"#;

    #[test]
    fn tour_toml_becomes_the_packs_tour_with_positions_in_thousandths() {
        let built = build_files(&[("tour.toml", TOUR)]).unwrap();
        let content = &built.manifest.content;
        let tour = content.tour.as_ref().expect("a tour from tour.toml");
        assert_eq!(tour.seconds_per_stop, 6);
        assert_eq!(built.manifest.blob(&tour.map).unwrap().media_type, MediaType::Svg);
        let stops: Vec<_> =
            tour.stops.iter().map(|s| (s.id.as_str(), s.x_permille, s.y_permille, s.sample)).collect();
        assert_eq!(stops, [("vsip", 520, 341, false), ("new-city", 1000, 0, true)]);
        assert_eq!(tour.stops[0].kind, kiosk_core::tour::StopKind::IndustrialPark);
        assert_eq!(
            tour.stops[0].scene,
            Some(StopScene { chapter: "award".into(), scene: "new-york".into() })
        );
        assert_eq!(tour.stops[0].image.as_ref(), Some(&tour.map), "one file, one blob");
        assert_eq!((&tour.stops[1].scene, &tour.stops[1].image), (&None, &None));

        assert_eq!(build("").unwrap().manifest.content.tour, None, "no tour.toml, no tour");
        let default = build_files(&[("tour.toml", &TOUR.replace("seconds_per_stop = 6\n", ""))]).unwrap();
        assert_eq!(default.manifest.content.tour.unwrap().seconds_per_stop, 8);
    }

    #[test]
    fn a_playlist_plays_the_tour_only_when_the_pack_has_one() {
        let built = build_files(&[("tour.toml", TOUR), ("playlists.toml", TOUR_ITEM)]).unwrap();
        let item = &built.manifest.content.signage.as_ref().unwrap().playlists[0].items[0];
        assert_eq!((item.id.as_str(), &item.show, item.seconds), ("tour", &Show::Tour, None));

        let message = build_files(&[("playlists.toml", TOUR_ITEM)]).unwrap_err().to_string();
        assert_eq!(
            message,
            "content: playlist \"welcome\" item \"tour\": shows the tour, which the pack lacks"
        );
    }

    #[test]
    fn a_tour_that_breaks_a_rule_is_named_with_its_file_and_key() {
        let refused = |tour: String| {
            let message = build_files(&[("tour.toml", &tour)]).expect_err("should be refused").to_string();
            let (file, rest) = message.split_once(": ").unwrap();
            assert!(file.ends_with("/tour.toml"), "{message}");
            rest.to_owned()
        };
        let cases = [
            (
                TOUR.replace("x = 0.52", "x = 1.2"),
                "stops[vsip].x: 1.2 is off the map: write a fraction from 0 (left or top) to 1 (right or bottom)",
            ),
            (TOUR.replace("y = 0\n", "y = -0.1\n"), "stops[new-city].y: -0.1 is off the map"),
            (TOUR.replace("y = 0\n", "y = nan\n"), "stops[new-city].y: NaN is off the map"),
            (
                TOUR.replace("scene = \"new-york\"\n", ""),
                "stops[vsip].scene: a stop that opens a scene needs both chapter and scene",
            ),
            (
                TOUR.replace("scene = \"new-york\"", "scene = \"paris\""),
                "tour stop \"vsip\" scene: \"award\"/\"paris\" is not a scene of the story",
            ),
            (
                TOUR.replace("map = \"images/badge.svg\"", "map = \"images/map.svg\""),
                "map = \"images/map.svg\": no such file",
            ),
            (
                TOUR.replace("image = \"images/badge.svg\"", "image = \"../badge.svg\""),
                "stops[vsip].image = \"../badge.svg\": write a path",
            ),
            (
                TOUR.replace("\"industrial_park\"", "\"harbour\""),
                "unknown variant `harbour`, expected one of `industrial_park`",
            ),
            (TOUR.replace("sample = true", "sampled = true"), "unknown field `sampled`"),
            (
                TOUR.replace("seconds_per_stop = 6", "seconds_per_stop = 90"),
                "tour seconds_per_stop: is 90; a stop shows for 3 to 60 seconds",
            ),
            (TOUR.replace("id = \"new-city\"", "id = \"vsip\""), "tour stops: id \"vsip\" is used twice"),
            (
                TOUR.replace("name = { vi = \"VSIP\", en = \"VSIP\" }", "name = { en = \"VSIP\" }"),
                "tour stop \"vsip\" name: has no text in the default locale \"vi\"",
            ),
        ];
        for (tour, expected) in cases {
            let got = refused(tour);
            assert!(got.contains(expected), "{got:?} should contain {expected:?}");
        }

        let film = build_files(&[(
            "tour.toml",
            &TOUR.replace("images/badge.svg\"\nseconds", "sounds/bed.ogg\"\nseconds"),
        )])
        .unwrap_err()
        .to_string();
        assert!(film.starts_with("content: tour map: expects Image but blob"), "{film}");
    }
}
