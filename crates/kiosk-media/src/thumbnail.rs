//! One frame of a film or picture, as PNG.

use std::path::Path;

use gstreamer as gst;
use gstreamer::prelude::*;

use crate::probe::{preroll, wait_async_done};
use crate::{MediaError, file_uri, init};

/// A PNG of the frame at `at_ms` (clamped to the film), `width` pixels wide.
pub fn thumbnail_png(path: &Path, at_ms: u64, width: u32) -> Result<Vec<u8>, MediaError> {
    init()?;
    let uri = file_uri(path)?;
    let fail = |reason: String| MediaError::NotPlayable { path: path.to_owned(), reason };
    let playbin = gst::ElementFactory::make("playbin")
        .property("uri", &uri)
        .build()
        .map_err(|e| fail(e.to_string()))?;
    let sink = gstreamer_app::AppSink::builder().sync(false).build();
    let audio = gst::ElementFactory::make("fakesink").build().map_err(|e| fail(e.to_string()))?;
    playbin.set_property("video-sink", &sink);
    playbin.set_property("audio-sink", &audio);

    let frame = (|| {
        preroll(&playbin)?;
        if at_ms > 0 {
            let duration = playbin.query_duration::<gst::ClockTime>().map(|d| d.mseconds()).unwrap_or(0);
            let target = at_ms.min(duration.saturating_sub(1));
            playbin
                .seek_simple(
                    gst::SeekFlags::FLUSH | gst::SeekFlags::ACCURATE,
                    gst::ClockTime::from_mseconds(target),
                )
                .map_err(|e| e.to_string())?;
            wait_async_done(&playbin)?;
        }
        let sample = sink
            .try_pull_preroll(gst::ClockTime::from_seconds(10))
            .ok_or("no frame came out of the decoder")?;
        let info = sample
            .caps()
            .and_then(|caps| gstreamer_video::VideoInfo::from_caps(caps).ok())
            .ok_or("the frame has no size")?;
        let height =
            (u64::from(width) * u64::from(info.height()) / u64::from(info.width().max(1))).max(1) as i32;
        let png_caps =
            gst::Caps::builder("image/png").field("width", width as i32).field("height", height).build();
        let png = gstreamer_video::convert_sample(&sample, &png_caps, Some(gst::ClockTime::from_seconds(10)))
            .map_err(|e| e.to_string())?;
        let buffer = png.buffer().ok_or("the PNG has no data")?;
        let map = buffer.map_readable().map_err(|e| e.to_string())?;
        Ok::<_, String>(map.as_slice().to_vec())
    })();
    let _ = playbin.set_state(gst::State::Null);
    frame.map_err(fail)
}
