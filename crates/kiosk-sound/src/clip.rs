//! Sound files decoded into memory, and sources that play them once or in a loop.
//!
//! Short sounds and beds of a few minutes are decoded once into samples in memory:
//! no file is read by the audio thread, a broken file is found before anything
//! plays, and a loop joins its last sample to its first exactly (a bed made to loop
//! seamlessly stays seamless). Longer beds are streamed from the file instead.
//!
//! A file's first channel count and sample rate hold for all of it (WAV and Ogg
//! Vorbis files as the kiosk's sounds are made never change them part way).

use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rodio::buffer::SamplesBuffer;
use rodio::{ChannelCount, Decoder, Sample, SampleRate, Source};

use crate::error::{SoundError, with_causes};

/// A whole sound, decoded.
#[derive(Debug, Clone)]
pub(crate) struct Clip {
    samples: Arc<[Sample]>,
    channels: ChannelCount,
    rate: SampleRate,
}

impl Clip {
    /// Decodes `path` into memory, refusing sounds longer than `limit` or of more
    /// than `max_samples` samples.
    pub(crate) fn decode(path: &Path, limit: Duration, max_samples: usize) -> Result<Self, SoundError> {
        let decoder = open(path)?;
        let channels = decoder.channels();
        let rate = decoder.sample_rate();
        let per_second = f64::from(rate.get()) * f64::from(channels.get());
        let limit = limit.min(Duration::from_secs_f64(max_samples as f64 / per_second));
        let too_long = || SoundError::TooLong { path: path.to_owned(), seconds: limit.as_secs() };
        if decoder.total_duration().is_some_and(|d| d > limit) {
            return Err(too_long());
        }
        let max = (limit.as_secs_f64() * per_second).ceil() as usize;
        let mut samples: Vec<Sample> = decoder.take(max + 1).collect();
        if samples.len() > max {
            return Err(too_long());
        }
        samples.truncate(samples.len() - samples.len() % usize::from(channels.get()));
        if samples.is_empty() {
            return Err(SoundError::Empty { path: path.to_owned() });
        }
        Ok(Self { samples: samples.into(), channels, rate })
    }

    /// The clip played once.
    pub(crate) fn once(&self) -> SamplesBuffer {
        SamplesBuffer::new(self.channels, self.rate, self.samples.to_vec())
    }

    /// The clip played over and over, the last sample followed by the first.
    pub(crate) fn looped(&self) -> Looped {
        Looped { clip: self.clone(), position: 0 }
    }

    /// How long it plays once.
    #[cfg(test)]
    pub(crate) fn duration(&self) -> Duration {
        let frames = self.samples.len() / usize::from(self.channels.get());
        Duration::from_secs_f64(frames as f64 / f64::from(self.rate.get()))
    }
}

/// Opens a sound file for decoding.
fn open(path: &Path) -> Result<Decoder<BufReader<File>>, SoundError> {
    let file = File::open(path).map_err(|source| SoundError::Read { path: path.to_owned(), source })?;
    Decoder::try_from(file).map_err(|e| SoundError::Decode { path: path.to_owned(), reason: with_causes(&e) })
}

/// A bed too long to keep in memory, decoded from its file as it plays and started
/// again from the beginning at its end.
pub(crate) fn stream_looped(path: &Path) -> Result<Steady<impl Source + Send + use<>>, SoundError> {
    let file = File::open(path).map_err(|source| SoundError::Read { path: path.to_owned(), source })?;
    let len = file.metadata().map_err(|source| SoundError::Read { path: path.to_owned(), source })?.len();
    let decoder = Decoder::builder()
        .with_data(BufReader::new(file))
        .with_byte_len(len)
        .with_seekable(true)
        .build_looped()
        .map_err(|e| SoundError::Decode { path: path.to_owned(), reason: with_causes(&e) })?;
    Ok(Steady { channels: decoder.channels(), rate: decoder.sample_rate(), inner: decoder })
}

/// A source of one format from start to end, told to the mixer as one span.
///
/// An Ogg Vorbis decoder reports an empty first span (its first packet only primes
/// the decoder), which the mixer would take for the end of the sound.
pub(crate) struct Steady<S> {
    inner: S,
    channels: ChannelCount,
    rate: SampleRate,
}

impl<S: Source> Iterator for Steady<S> {
    type Item = Sample;

    fn next(&mut self) -> Option<Sample> {
        self.inner.next()
    }
}

impl<S: Source> Source for Steady<S> {
    fn current_span_len(&self) -> Option<usize> {
        None
    }

    fn channels(&self) -> ChannelCount {
        self.channels
    }

    fn sample_rate(&self) -> SampleRate {
        self.rate
    }

    fn total_duration(&self) -> Option<Duration> {
        None
    }
}

/// A clip without end: one span of one format, so the mixer's resampler runs on
/// across the loop point as it does between any two samples.
#[derive(Debug, Clone)]
pub(crate) struct Looped {
    clip: Clip,
    position: usize,
}

impl Iterator for Looped {
    type Item = Sample;

    fn next(&mut self) -> Option<Sample> {
        let samples = &self.clip.samples;
        let sample = *samples.get(self.position)?;
        self.position = (self.position + 1) % samples.len();
        Some(sample)
    }
}

impl Source for Looped {
    fn current_span_len(&self) -> Option<usize> {
        None
    }

    fn channels(&self) -> ChannelCount {
        self.clip.channels
    }

    fn sample_rate(&self) -> SampleRate {
        self.clip.rate
    }

    fn total_duration(&self) -> Option<Duration> {
        None
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A 16-bit PCM WAV of `samples` at `rate`, mono.
    pub(crate) fn wav(rate: u32, samples: &[i16]) -> Vec<u8> {
        let data_len = (samples.len() * 2) as u32;
        let mut bytes = Vec::new();
        bytes.extend_from_slice(b"RIFF");
        bytes.extend_from_slice(&(36 + data_len).to_le_bytes());
        bytes.extend_from_slice(b"WAVEfmt ");
        bytes.extend_from_slice(&16u32.to_le_bytes());
        bytes.extend_from_slice(&1u16.to_le_bytes()); // PCM
        bytes.extend_from_slice(&1u16.to_le_bytes()); // mono
        bytes.extend_from_slice(&rate.to_le_bytes());
        bytes.extend_from_slice(&(rate * 2).to_le_bytes());
        bytes.extend_from_slice(&2u16.to_le_bytes());
        bytes.extend_from_slice(&16u16.to_le_bytes());
        bytes.extend_from_slice(b"data");
        bytes.extend_from_slice(&data_len.to_le_bytes());
        for s in samples {
            bytes.extend_from_slice(&s.to_le_bytes());
        }
        bytes
    }

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    #[test]
    fn decodes_a_wav_into_memory() {
        let dir = tempfile::tempdir().unwrap();
        let ramp: Vec<i16> = (0..2400).map(|i| (i * 10) as i16).collect();
        let path = write(dir.path(), "ramp.wav", &wav(24_000, &ramp));
        let clip = Clip::decode(&path, Duration::from_secs(1), usize::MAX).unwrap();
        assert_eq!(clip.samples.len(), 2400);
        assert_eq!((clip.channels.get(), clip.rate.get()), (1, 24_000));
        assert_eq!(clip.duration(), Duration::from_millis(100));
        assert!((clip.samples[1000] - 10_000.0 / 32768.0).abs() < 1e-4);
        assert_eq!(clip.once().count(), 2400);
    }

    #[test]
    fn a_loop_joins_the_end_to_the_start() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "three.wav", &wav(8000, &[100, 200, 300]));
        let looped: Vec<Sample> =
            Clip::decode(&path, Duration::from_secs(1), usize::MAX).unwrap().looped().take(7).collect();
        let expected: Vec<Sample> =
            [100, 200, 300, 100, 200, 300, 100].iter().map(|&s| s as Sample / 32768.0).collect();
        for (got, want) in looped.iter().zip(&expected) {
            assert!((got - want).abs() < 1e-6, "{looped:?}");
        }
        assert_eq!(
            Clip::decode(&path, Duration::from_secs(1), usize::MAX).unwrap().looped().current_span_len(),
            None
        );
    }

    #[test]
    fn names_the_file_and_the_reason_for_what_it_cannot_play() {
        let dir = tempfile::tempdir().unwrap();
        let second = Duration::from_secs(1);
        let decode = |path: &Path| Clip::decode(path, second, usize::MAX);
        let missing = decode(&dir.path().join("missing.wav")).unwrap_err();
        assert!(matches!(missing, SoundError::Read { .. }), "{missing}");
        assert!(missing.to_string().contains("missing.wav: "), "{missing}");

        let garbage = write(dir.path(), "garbage.ogg", b"this is not a sound at all, just some text");
        let error = decode(&garbage).unwrap_err();
        assert!(matches!(error, SoundError::Decode { .. }), "{error}");
        assert!(error.to_string().contains("garbage.ogg: not a WAV or Ogg Vorbis sound"), "{error}");

        let mut cut = wav(8000, &[1; 800]);
        cut.truncate(30);
        let cut = write(dir.path(), "cut.wav", &cut);
        assert!(decode(&cut).is_err(), "a truncated header is refused");

        let empty = write(dir.path(), "empty.wav", &wav(8000, &[]));
        let error = decode(&empty).unwrap_err();
        assert!(error.to_string().contains("empty.wav"), "{error}");

        let long = write(dir.path(), "long.wav", &wav(8000, &vec![0; 8001]));
        let error = decode(&long).unwrap_err();
        assert!(matches!(error, SoundError::TooLong { seconds: 1, .. }), "{error}");
        let error = Clip::decode(&long, Duration::from_secs(60), 4000).unwrap_err();
        assert!(error.to_string().contains("long.wav: longer than 0 s"), "{error}");
    }

    #[test]
    fn a_streamed_loop_starts_again_at_the_end() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "three.wav", &wav(8000, &[100, 200, 300]));
        let stream = stream_looped(&path).unwrap();
        assert_eq!(
            (stream.channels().get(), stream.sample_rate().get(), stream.current_span_len()),
            (1, 8000, None)
        );
        let samples: Vec<Sample> = stream.take(7).collect();
        assert_eq!(samples.len(), 7);
        assert!((samples[3] - samples[0]).abs() < 1e-6, "{samples:?}");

        let bed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../media/sounds/bed.ogg");
        let first_seconds = stream_looped(&bed).unwrap().take(48_000).filter(|s| s.abs() > 0.01).count();
        assert!(first_seconds > 10_000, "the stream plays from its first packet on");
        assert!(stream_looped(&dir.path().join("missing.ogg")).is_err());
    }

    #[test]
    fn decodes_the_default_packs_sounds() {
        let media = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../media/sounds");
        let touch = Clip::decode(&media.join("touch.wav"), Duration::from_secs(1), usize::MAX).unwrap();
        assert!(
            touch.duration() >= Duration::from_millis(60) && touch.duration() <= Duration::from_millis(90)
        );
        assert_eq!((touch.samples[0], touch.samples[touch.samples.len() - 1]), (0.0, 0.0), "no click");

        let bed = Clip::decode(&media.join("bed.ogg"), Duration::from_secs(300), usize::MAX).unwrap();
        let seconds = bed.duration().as_secs_f64();
        assert!((40.0..=60.0).contains(&seconds), "bed is {seconds} s");
        // The loop point is a step like the music's own: no click.
        let s = &bed.samples;
        let mut steps: Vec<f32> = s.windows(2).map(|w| (w[1] - w[0]).abs()).collect();
        steps.sort_by(f32::total_cmp);
        let usual = steps[steps.len() * 9 / 10];
        let seam = (s[0] - s[s.len() - 1]).abs();
        assert!(
            seam <= usual,
            "the jump across the loop point ({seam}) is within 90 % of the music's ({usual})"
        );
    }
}
