//! Which screens hold an event stream to this server right now: at most so
//! many per device, and all of a device's ended at once when its token is
//! revoked. Replicas share the list ([`crate::replicas::share_streams`]).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use tokio::sync::watch;

/// The open event streams per device; cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Streams(Arc<Mutex<Open>>);

#[derive(Debug, Default)]
struct Open {
    /// Device → how many streams it holds, and what tells them to end.
    held: HashMap<String, (usize, watch::Sender<bool>)>,
    /// Counts every change of which devices hold a stream.
    changes: u64,
    /// Devices whose streams were ended for good (their token was revoked).
    ended: HashSet<String>,
}

/// Why a device may not open another stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamRefused {
    /// It holds the most it may already.
    TooMany,
    /// Its streams were ended for good.
    Ended,
}

/// Held for as long as a device's event stream is open.
#[derive(Debug)]
pub struct StreamHeld {
    streams: Streams,
    device: String,
    ended: watch::Receiver<bool>,
}

impl Streams {
    /// Counts a stream of `device` until the answer is dropped, unless it holds
    /// `most` already or its streams were ended.
    pub fn hold(&self, device: &str, most: usize) -> Result<StreamHeld, StreamRefused> {
        let mut open = self.0.lock().expect("streams lock");
        if open.ended.contains(device) {
            return Err(StreamRefused::Ended);
        }
        let (count, ending) =
            open.held.entry(device.to_owned()).or_insert_with(|| (0, watch::channel(false).0));
        if *count >= most {
            return Err(StreamRefused::TooMany);
        }
        *count += 1;
        let ended = ending.subscribe();
        open.changes += 1;
        Ok(StreamHeld { streams: self.clone(), device: device.to_owned(), ended })
    }

    /// The devices holding a stream, and the count of changes so far (equal
    /// counts: the same devices).
    pub fn devices(&self) -> (Vec<String>, u64) {
        let open = self.0.lock().expect("streams lock");
        (open.held.keys().cloned().collect(), open.changes)
    }

    /// The count of changes so far.
    pub fn changes(&self) -> u64 {
        self.0.lock().expect("streams lock").changes
    }

    /// Whether `device` holds a stream.
    pub fn is_streaming(&self, device: &str) -> bool {
        self.0.lock().expect("streams lock").held.contains_key(device)
    }

    /// Ends every stream of `device` now, and refuses it new ones.
    pub fn end(&self, device: &str) {
        let mut open = self.0.lock().expect("streams lock");
        open.ended.insert(device.to_owned());
        if let Some((_, ending)) = open.held.get(device) {
            ending.send_replace(true);
        }
    }
}

impl StreamHeld {
    /// Completes when the device's streams are ended.
    pub async fn ended(&mut self) {
        // The sender lives while this stream is counted.
        let _ = self.ended.wait_for(|ended| *ended).await;
    }
}

impl Drop for StreamHeld {
    fn drop(&mut self) {
        let mut open = self.streams.0.lock().expect("streams lock");
        if let Some((count, _)) = open.held.get_mut(&self.device) {
            *count -= 1;
            if *count == 0 {
                open.held.remove(&self.device);
            }
        }
        open.changes += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_streams_while_any_of_its_streams_is_open() {
        let streams = Streams::default();
        let first = streams.hold("a", 4).unwrap();
        let second = streams.hold("a", 4).unwrap();
        assert!(streams.is_streaming("a") && !streams.is_streaming("b"));
        drop(first);
        assert!(streams.is_streaming("a"));
        drop(second);
        assert!(!streams.is_streaming("a"));
    }

    #[test]
    fn the_list_of_devices_tells_when_it_changed() {
        let streams = Streams::default();
        let (none, before) = streams.devices();
        assert!(none.is_empty());
        let held = streams.hold("a", 4).unwrap();
        let (devices, after) = streams.devices();
        assert_eq!((devices, after > before), (vec!["a".to_owned()], true));
        assert_eq!(streams.changes(), after, "nothing changed since");
        drop(held);
        assert!(streams.changes() > after);
        assert!(streams.devices().0.is_empty());
    }

    #[test]
    fn a_device_holds_at_most_so_many_and_closing_one_frees_a_place() {
        let streams = Streams::default();
        let held: Vec<_> = (0..2).map(|_| streams.hold("a", 2).unwrap()).collect();
        assert_eq!(streams.hold("a", 2).unwrap_err(), StreamRefused::TooMany);
        assert!(streams.hold("b", 2).is_ok(), "another device");
        drop(held);
        assert!(streams.hold("a", 2).is_ok());
    }

    #[tokio::test]
    async fn ending_a_device_ends_its_streams_and_refuses_new_ones() {
        let streams = Streams::default();
        let mut held = streams.hold("a", 4).unwrap();
        let mut other = streams.hold("b", 4).unwrap();
        streams.end("a");
        tokio::time::timeout(std::time::Duration::from_secs(1), held.ended()).await.unwrap();
        assert_eq!(streams.hold("a", 4).unwrap_err(), StreamRefused::Ended);
        let still = tokio::time::timeout(std::time::Duration::from_millis(50), other.ended()).await;
        assert!(still.is_err(), "another device's stream stays open");
    }
}
