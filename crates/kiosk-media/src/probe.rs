//! What a media file is, and whether this machine can decode it.
//!
//! Caps alone are not enough (a truncated film or a missing decoder still has
//! caps), so [`probe`] also decodes the first frame for real.

use std::path::Path;

use gstreamer as gst;
use gstreamer::prelude::*;
use gstreamer_pbutils as pbutils;
use gstreamer_pbutils::prelude::*;
use serde::Serialize;

use crate::{MediaError, file_uri, init, one_line};

/// How long a probe or decode may take before the file counts as unplayable.
const TIMEOUT_SECS: u64 = 15;

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaKind {
    /// Moving pictures.
    Video,
    /// A still picture.
    Image,
    /// Sound only.
    Audio,
}

/// The facts of a media file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MediaFacts {
    /// Film, picture or sound.
    pub kind: MediaKind,
    /// Length, for films and sound.
    pub duration_ms: Option<u64>,
    /// Picture width.
    pub width: Option<u32>,
    /// Picture height.
    pub height: Option<u32>,
    /// The container, e.g. "ISO MP4/M4A".
    pub container: Option<String>,
    /// The picture codec, e.g. "H.264 (High Profile)".
    pub video_codec: Option<String>,
    /// The sound codec, e.g. "MPEG-4 AAC".
    pub audio_codec: Option<String>,
    /// Whether it has sound.
    pub has_audio: bool,
    /// Whether a player can seek in it.
    pub seekable: bool,
    /// Whether this machine decoded its first and its last frames.
    pub decodable: bool,
    /// Why not, when it did not.
    pub decode_error: Option<String>,
}

/// Probes `path`; a file that is not media, or that GStreamer cannot even
/// identify, is an error naming the file and the reason.
pub fn probe(path: &Path) -> Result<MediaFacts, MediaError> {
    init()?;
    let uri = file_uri(path)?;
    let not_playable = |reason: String| MediaError::NotPlayable { path: path.to_owned(), reason };
    let discoverer = pbutils::Discoverer::new(gst::ClockTime::from_seconds(TIMEOUT_SECS))
        .map_err(|e| not_playable(one_line(&e.to_string())))?;
    let info = discoverer.discover_uri(&uri).map_err(|e| not_playable(one_line(&e.to_string())))?;
    if info.result() != pbutils::DiscovererResult::Ok {
        return Err(not_playable(format!("{:?}", info.result())));
    }
    let video = info.video_streams();
    let audio = info.audio_streams();
    let first_video = video.first();
    let kind = match first_video {
        Some(v) if v.is_image() => MediaKind::Image,
        Some(_) => MediaKind::Video,
        None if !audio.is_empty() => MediaKind::Audio,
        None => return Err(not_playable("it holds neither pictures nor sound".into())),
    };
    let describe = |caps: Option<gst::Caps>| {
        caps.map(|caps| pbutils::functions::pb_utils_get_codec_description(&caps).to_string())
    };
    let container = info
        .stream_info()
        .filter(|top| top.is::<pbutils::DiscovererContainerInfo>())
        .and_then(|top| describe(top.caps()));
    let facts = MediaFacts {
        kind,
        duration_ms: info.duration().filter(|_| kind != MediaKind::Image).map(|d| d.mseconds()),
        width: first_video.map(|v| v.width()),
        height: first_video.map(|v| v.height()),
        container,
        video_codec: first_video.and_then(|v| describe(v.caps())),
        audio_codec: audio.first().and_then(|a| describe(a.caps())),
        has_audio: !audio.is_empty(),
        seekable: info.is_seekable(),
        decodable: false,
        decode_error: None,
    };
    let decoded = decode_check(&uri, kind, facts.duration_ms);
    Ok(MediaFacts { decodable: decoded.is_ok(), decode_error: decoded.err(), ..facts })
}

/// Decodes the first frame and, for a film, a frame just before its end (a
/// truncated film has a valid start); for sound, prerolls the pipeline. Says why
/// not when it cannot.
pub fn decode_check(uri: &str, kind: MediaKind, duration_ms: Option<u64>) -> Result<(), String> {
    init().map_err(|e| e.to_string())?;
    let playbin =
        gst::ElementFactory::make("playbin").property("uri", uri).build().map_err(|e| e.to_string())?;
    let video_sink = gstreamer_app::AppSink::builder().sync(false).build();
    let audio_sink = gst::ElementFactory::make("fakesink").build().map_err(|e| e.to_string())?;
    playbin.set_property("video-sink", &video_sink);
    playbin.set_property("audio-sink", &audio_sink);
    let result = preroll(&playbin).and_then(|()| {
        if kind == MediaKind::Audio {
            return Ok(());
        }
        let pull = || {
            video_sink
                .try_pull_preroll(gst::ClockTime::from_seconds(TIMEOUT_SECS))
                .map(|_| ())
                .ok_or_else(|| "no frame came out of the decoder".to_owned())
        };
        pull()?;
        match duration_ms {
            Some(ms) if kind == MediaKind::Video && ms > 1000 => {
                let near_end = gst::ClockTime::from_mseconds(ms - 500);
                playbin
                    .seek_simple(gst::SeekFlags::FLUSH | gst::SeekFlags::ACCURATE, near_end)
                    .map_err(|_| "it cannot be seeked to its end".to_owned())?;
                wait_async_done(&playbin)?;
                pull().map_err(|_| {
                    format!("its end ({} s) cannot be decoded: the file is truncated or damaged", ms / 1000)
                })
            }
            _ => Ok(()),
        }
    });
    let _ = playbin.set_state(gst::State::Null);
    result
}

/// Brings a pipeline to PAUSED and waits until it has prerolled.
pub(crate) fn preroll(pipeline: &gst::Element) -> Result<(), String> {
    pipeline.set_state(gst::State::Paused).map_err(|_| wait_for_error(pipeline))?;
    wait_async_done(pipeline)
}

/// Waits for the pipeline's ASYNC_DONE, or gives its error.
pub(crate) fn wait_async_done(pipeline: &gst::Element) -> Result<(), String> {
    let bus = pipeline.bus().ok_or("the pipeline has no bus")?;
    let message = bus.timed_pop_filtered(
        gst::ClockTime::from_seconds(TIMEOUT_SECS),
        &[gst::MessageType::AsyncDone, gst::MessageType::Error],
    );
    match message.as_ref().map(|m| m.view()) {
        Some(gst::MessageView::AsyncDone(_)) => Ok(()),
        Some(gst::MessageView::Error(err)) => Err(one_line(&err.error().to_string())),
        _ => Err(format!("nothing decoded within {TIMEOUT_SECS} s")),
    }
}

fn wait_for_error(pipeline: &gst::Element) -> String {
    let found = pipeline
        .bus()
        .and_then(|bus| bus.timed_pop_filtered(gst::ClockTime::from_seconds(1), &[gst::MessageType::Error]));
    match found.as_ref().map(|m| m.view()) {
        Some(gst::MessageView::Error(err)) => one_line(&err.error().to_string()),
        _ => "the decoder refused the file".to_owned(),
    }
}
