//! Which screens hold an event stream to this server right now.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The open event streams per device; cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Streams(Arc<Mutex<HashMap<String, usize>>>);

/// Held for as long as a device's event stream is open.
#[derive(Debug)]
pub struct StreamHeld {
    streams: Streams,
    device: String,
}

impl Streams {
    /// Counts a stream of `device` until the answer is dropped.
    pub fn hold(&self, device: &str) -> StreamHeld {
        *self.0.lock().expect("streams lock").entry(device.to_owned()).or_default() += 1;
        StreamHeld { streams: self.clone(), device: device.to_owned() }
    }

    /// Whether `device` holds a stream.
    pub fn is_streaming(&self, device: &str) -> bool {
        self.0.lock().expect("streams lock").contains_key(device)
    }
}

impl Drop for StreamHeld {
    fn drop(&mut self) {
        let mut streams = self.streams.0.lock().expect("streams lock");
        if let Some(count) = streams.get_mut(&self.device) {
            *count -= 1;
            if *count == 0 {
                streams.remove(&self.device);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_streams_while_any_of_its_streams_is_open() {
        let streams = Streams::default();
        let first = streams.hold("a");
        let second = streams.hold("a");
        assert!(streams.is_streaming("a") && !streams.is_streaming("b"));
        drop(first);
        assert!(streams.is_streaming("a"));
        drop(second);
        assert!(!streams.is_streaming("a"));
    }
}
