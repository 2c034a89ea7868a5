//! The author's folder: `pack.toml`, `story/*.toml`, `brochures.toml`,
//! `social.toml`, `playlists.toml`, `tour.toml`, and the files they refer to by
//! relative path.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use kiosk_core::content::{LocaleInfo, SocialChannel};
use kiosk_core::locale::{LocaleTag, Localized};
use serde::Deserialize;

/// The tour's file name in the folder.
pub const TOUR_FILE: &str = "tour.toml";

/// A folder that cannot be read as content, naming the file and what to fix.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// A file could not be read.
    #[error("{path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The reason.
        source: std::io::Error,
    },
    /// A TOML file does not parse or has unknown keys; the message has line and column.
    #[error("{path}: {message}")]
    Toml {
        /// The file.
        path: PathBuf,
        /// The parser's message, with line, column and key.
        message: String,
    },
    /// A playlist item that lacks what its kind needs, or a tour stop whose
    /// position or scene is written wrong.
    #[error("{file}: {key}: {problem}")]
    BadItem {
        /// The TOML file.
        file: PathBuf,
        /// The item's key.
        key: String,
        /// What is wrong.
        problem: String,
    },
    /// A path in a TOML file is absolute, leaves the folder, or names a missing file.
    #[error("{file}: {key} = {value:?}: {problem}")]
    BadPath {
        /// The TOML file.
        file: PathBuf,
        /// The key that holds the path.
        key: String,
        /// The path written.
        value: String,
        /// What is wrong.
        problem: String,
    },
}

/// `pack.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackFile {
    /// See [`kiosk_core::content::ContentPack::default_locale`].
    pub default_locale: LocaleTag,
    /// Languages offered.
    pub locales: Vec<LocaleInfo>,
    /// Brand.
    pub brand: BrandFile,
    /// Attract loop.
    pub attract: AttractFile,
    /// Interface words.
    #[serde(default)]
    pub ui: Localized<BTreeMap<String, String>>,
    /// The kiosk's own sounds, if any.
    pub sound: Option<SoundFile>,
}

/// `[sound]` of `pack.toml`: paths of WAV or Ogg Vorbis files.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SoundFile {
    /// A short sound for each touch in kiosk mode.
    pub touch: Option<String>,
    /// Background music or narration looped under signage playlists.
    pub bed: Option<String>,
}

/// `[brand]` of `pack.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrandFile {
    /// Title.
    pub title: Localized<String>,
    /// Tagline.
    pub tagline: Localized<String>,
    /// Badge picture path.
    pub badge: String,
    /// Logo picture path.
    pub logo: Option<String>,
}

/// `[attract]` of `pack.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttractFile {
    /// Headline.
    pub headline: Localized<String>,
    /// Film path.
    pub video: Option<String>,
    /// Picture paths.
    #[serde(default)]
    pub images: Vec<String>,
}

/// One `story/NN-id.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChapterFile {
    /// Stable id.
    pub id: String,
    /// Cover picture path.
    pub cover: String,
    /// `#RRGGBB`.
    pub accent: Option<String>,
    /// Title.
    pub title: Localized<String>,
    /// Summary.
    pub summary: Localized<String>,
    /// Scenes.
    #[serde(default)]
    pub scenes: Vec<SceneFile>,
}

/// `[[scenes]]` of a chapter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SceneFile {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: Localized<String>,
    /// Paragraphs.
    pub body: Localized<String>,
    /// Chips.
    #[serde(default)]
    pub highlights: Localized<Vec<String>>,
    /// Picture path.
    pub image: Option<String>,
    /// Film path.
    pub video: Option<String>,
    /// A short poll shown with the scene (`[scenes.survey]`).
    pub survey: Option<kiosk_core::content::Survey>,
}

/// `brochures.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrochuresFile {
    /// Brochures in order.
    #[serde(default)]
    pub brochures: Vec<BrochureFile>,
}

/// `[[brochures]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrochureFile {
    /// Stable id.
    pub id: String,
    /// Cover picture path.
    pub cover: Option<String>,
    /// Title.
    pub title: Localized<String>,
    /// Summary.
    pub summary: Localized<String>,
    /// PDF path per language.
    pub file: Localized<String>,
}

/// `social.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SocialFile {
    /// Hashtags.
    #[serde(default)]
    pub hashtags: Vec<String>,
    /// Channels.
    #[serde(default)]
    pub channels: Vec<SocialChannel>,
}

/// `playlists.toml`: playlists for unattended screens and their schedule.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaylistsFile {
    /// When each playlist plays (local times as `"HH:MM"` strings, dates as
    /// `"YYYY-MM-DD"` strings).
    pub schedule: kiosk_core::schedule::Schedule,
    /// The playlists.
    pub playlists: Vec<PlaylistFile>,
}

/// `[[playlists]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaylistFile {
    /// Stable id.
    pub id: String,
    /// Items in order.
    pub items: Vec<ItemFile>,
}

/// `[[playlists.items]]`: `kind` says which of the other keys it needs.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemFile {
    /// Stable id within the playlist.
    pub id: String,
    /// `video`, `image`, `scene`, `brochure`, `message` or `tour`.
    pub kind: String,
    /// Film path, for `video`.
    pub video: Option<String>,
    /// Picture path, for `image`.
    pub image: Option<String>,
    /// Chapter id, for `scene`.
    pub chapter: Option<String>,
    /// Scene id, for `scene`.
    pub scene: Option<String>,
    /// Brochure id, for `brochure`.
    pub brochure: Option<String>,
    /// The words, for `message`.
    pub text: Option<Localized<String>>,
    /// How long it shows.
    pub seconds: Option<u32>,
}

/// `tour.toml`: the Innovation Zone tour, a map and the stops marked on it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TourFile {
    /// Map picture path.
    pub map: String,
    /// How long each stop shows in guided mode and on a board.
    #[serde(default = "default_seconds_per_stop")]
    pub seconds_per_stop: u32,
    /// Title.
    pub title: Localized<String>,
    /// One or two sentences before the first stop.
    pub intro: Localized<String>,
    /// The stops, in guided order.
    #[serde(default)]
    pub stops: Vec<StopFile>,
}

fn default_seconds_per_stop() -> u32 {
    kiosk_core::tour::DEFAULT_SECONDS_PER_STOP
}

/// `[[stops]]` of `tour.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StopFile {
    /// Stable id.
    pub id: String,
    /// `industrial_park`, `university`, `research`, `city_centre` or `landmark`.
    pub kind: kiosk_core::tour::StopKind,
    /// Fraction of the map's width from its left edge (0 to 1).
    pub x: f64,
    /// Fraction of the map's height from its top edge (0 to 1).
    pub y: f64,
    /// The place or the name is illustrative, not from the plan.
    #[serde(default)]
    pub sample: bool,
    /// Chapter id of the story scene it opens, with `scene`.
    pub chapter: Option<String>,
    /// Scene id of the story scene it opens, with `chapter`.
    pub scene: Option<String>,
    /// Picture path.
    pub image: Option<String>,
    /// Name.
    pub name: Localized<String>,
    /// One or two sentences.
    pub summary: Localized<String>,
}

/// Every TOML file of a folder, parsed.
#[derive(Debug)]
pub struct Source {
    /// The folder.
    pub root: PathBuf,
    /// `pack.toml`.
    pub pack: PackFile,
    /// `story/*.toml` in file-name order, with their paths.
    pub chapters: Vec<(PathBuf, ChapterFile)>,
    /// `brochures.toml` (empty when absent).
    pub brochures: BrochuresFile,
    /// `social.toml` (empty when absent).
    pub social: SocialFile,
    /// `playlists.toml`, if present.
    pub playlists: Option<PlaylistsFile>,
    /// `tour.toml`, if present.
    pub tour: Option<TourFile>,
}

impl Source {
    /// Reads the folder's TOML files.
    pub fn read(root: &Path) -> Result<Self, SourceError> {
        let pack = parse(&root.join("pack.toml"))?;
        let story_dir = root.join("story");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&story_dir)
            .map_err(|source| SourceError::Read { path: story_dir.clone(), source })?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort();
        let chapters = files.into_iter().map(|p| parse(&p).map(|c| (p, c))).collect::<Result<_, _>>()?;
        let optional = |name: &str| {
            let path = root.join(name);
            if path.exists() { Some(path) } else { None }
        };
        let brochures = optional("brochures.toml").map(|p| parse(&p)).transpose()?.unwrap_or_default();
        let social = optional("social.toml").map(|p| parse(&p)).transpose()?.unwrap_or_default();
        let playlists = optional("playlists.toml").map(|p| parse(&p)).transpose()?;
        let tour = optional(TOUR_FILE).map(|p| parse(&p)).transpose()?;
        Ok(Self { root: root.to_owned(), pack, chapters, brochures, social, playlists, tour })
    }

    /// Resolves a path written in `file` under `key` to a file inside the folder.
    pub fn resolve(&self, file: &Path, key: &str, value: &str) -> Result<PathBuf, SourceError> {
        let bad = |problem: &str| SourceError::BadPath {
            file: file.to_owned(),
            key: key.to_owned(),
            value: value.to_owned(),
            problem: problem.to_owned(),
        };
        let relative = Path::new(value);
        if value.is_empty() || !relative.components().all(|c| matches!(c, Component::Normal(_))) {
            return Err(bad("write a path relative to the content folder, without '..'"));
        }
        let path = self.root.join(relative);
        if !path.is_file() {
            return Err(bad("no such file in the content folder"));
        }
        Ok(path)
    }
}

fn parse<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, SourceError> {
    let text = std::fs::read_to_string(path)
        .map_err(|source| SourceError::Read { path: path.to_owned(), source })?;
    toml::from_str(&text).map_err(|e| SourceError::Toml {
        path: path.to_owned(),
        message: e.to_string().trim_end().to_owned(),
    })
}
