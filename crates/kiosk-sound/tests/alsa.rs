//! Playback through ALSA, with and without a usable output device.
//!
//! ALSA reads its configuration once per process, so each test runs again in a
//! child process (this test binary, filtered to that one test) whose
//! `ALSA_CONFIG_PATH` names a configuration written for it: one whose default
//! device is ALSA's `null` sink, which plays everything to nowhere on any machine
//! with or without a sound card, and one whose default device does not exist.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kiosk_sound::{SoundPlayer, SoundSettings};

/// Set in the child process.
const CHILD: &str = "KIOSK_SOUND_TEST_CHILD";

/// Runs `test` of this binary in a child process with `alsa_config` as its whole
/// ALSA configuration, and fails with the child's output if the child fails.
fn in_child_with_alsa_config(test: &str, alsa_config: &str) {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("asound.conf");
    std::fs::write(&config, alsa_config).unwrap();
    let output = Command::new(std::env::current_exe().unwrap())
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .env("ALSA_CONFIG_PATH", &config)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{test} failed in its child process\n--- stdout\n{}\n--- stderr\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn is_child() -> bool {
    std::env::var_os(CHILD).is_some()
}

/// Collects every log line of the process, from every thread.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl Log {
    fn install() -> Self {
        let log = Log::default();
        let writer = log.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_max_level(tracing::Level::INFO)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber).unwrap();
        log
    }

    fn lines(&self) -> Vec<String> {
        String::from_utf8_lossy(&self.0.lock().unwrap()).lines().map(str::to_owned).collect()
    }

    fn count(&self, words: &str) -> usize {
        self.lines().iter().filter(|line| line.contains(words)).count()
    }
}

impl Write for Log {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn sounds() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../media/sounds")
}

/// Waits up to 5 s for the bed to reach `level`: how long it took, and the levels
/// seen on the way.
fn bed_reaches(player: &SoundPlayer, level: f32) -> (Duration, Vec<f32>) {
    let start = Instant::now();
    let mut seen = Vec::new();
    loop {
        let now = player.bed_level();
        seen.push(now);
        if (now - level).abs() <= 1e-4 {
            return (start.elapsed(), seen);
        }
        assert!(start.elapsed() < Duration::from_secs(5), "bed level {now} never reached {level}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn plays_effects_and_a_ducking_bed_through_alsa() {
    if !is_child() {
        return in_child_with_alsa_config(
            "plays_effects_and_a_ducking_bed_through_alsa",
            "pcm.!default { type null }\nctl.!default { type hw card 0 }\n",
        );
    }
    let log = Log::install();
    let settings = SoundSettings::default();
    let player = SoundPlayer::open(settings);
    assert!(!player.is_silent(), "the null device is an output: {:?}", log.lines());
    let touch = sounds().join("touch.wav");
    let bed = sounds().join("bed.ogg");
    let full = settings.bed_volume;
    let ducked = settings.bed_volume * settings.duck_volume;

    player.play_effect(&touch);
    player.play_effect(&touch);
    assert_eq!(player.bed_level(), 0.0, "no bed yet");

    player.set_bed(Some(&bed));
    let (fade_in, _) = bed_reaches(&player, full);
    assert!(fade_in >= Duration::from_millis(950), "the bed fades in over ~1 s, not {fade_in:?}");
    player.set_bed(Some(&bed));
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(player.bed_level(), full, "asking for the same bed changes nothing");

    player.set_ducked(true);
    let (duck, seen) = bed_reaches(&player, ducked);
    assert!(duck >= Duration::from_millis(250), "ducking fades over ~300 ms, not {duck:?}");
    assert!(seen.iter().any(|&l| l < full && l > ducked), "levels on the way down: {seen:?}");
    assert!(seen.windows(2).all(|w| w[1] <= w[0]), "only down: {seen:?}");
    player.play_effect(&touch);
    player.set_ducked(false);
    let (_, seen) = bed_reaches(&player, full);
    assert!(seen.windows(2).all(|w| w[1] >= w[0]), "only up: {seen:?}");

    player.set_quiet(true);
    bed_reaches(&player, 0.0);
    player.play_effect(&touch);
    player.set_quiet(false);
    bed_reaches(&player, full);

    let clone = player.clone();
    std::thread::spawn(move || clone.set_ducked(true)).join().unwrap();
    bed_reaches(&player, ducked);

    // Files that cannot play: one warning each, naming the file; nothing else changes.
    let dir = tempfile::tempdir().unwrap();
    let corrupt = dir.path().join("corrupt.ogg");
    std::fs::write(&corrupt, b"OggS but not really an Ogg Vorbis file at all").unwrap();
    let missing = dir.path().join("missing.wav");
    player.play_effect(&missing);
    player.play_effect(&missing);
    player.play_effect(&corrupt);
    player.set_bed(Some(&corrupt));
    bed_reaches(&player, 0.0);
    player.set_bed(Some(&bed));
    bed_reaches(&player, ducked);
    player.set_bed(Some(&corrupt));
    player.set_bed(None);
    bed_reaches(&player, 0.0);
    drop(player);

    let warnings: Vec<String> = log.lines().into_iter().filter(|l| l.contains("WARN")).collect();
    assert_eq!(log.count("missing.wav"), 1, "{warnings:#?}");
    assert_eq!(log.count("sound effect not played") + log.count("sound bed not played"), 3, "{warnings:#?}");
    assert_eq!(log.count("corrupt.ogg"), 2, "once as an effect, once as a bed: {warnings:#?}");
    assert_eq!(log.count("no audio output"), 0);
}

#[test]
fn without_a_usable_output_the_kiosk_runs_silent() {
    if !is_child() {
        return in_child_with_alsa_config(
            "without_a_usable_output_the_kiosk_runs_silent",
            "pcm.!default { type hw card 7 }\nctl.!default { type hw card 7 }\n",
        );
    }
    let log = Log::install();
    let player = SoundPlayer::open(SoundSettings::default());
    assert!(player.is_silent());
    player.play_effect(&sounds().join("touch.wav"));
    player.set_bed(Some(&sounds().join("bed.ogg")));
    player.set_ducked(true);
    player.set_quiet(true);
    assert_eq!(player.bed_level(), 0.0);
    let lines = log.lines();
    assert_eq!(lines.len(), 1, "one line: {lines:#?}");
    assert!(
        lines[0].contains("INFO") && lines[0].contains("no audio output: the kiosk runs silent"),
        "{lines:#?}"
    );
    assert!(lines[0].contains("reason="), "with the reason: {lines:#?}");
}
