//! Locale tags and texts in many languages.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// A language tag such as `vi`, `en` or `zh-Hans`: ASCII letters, digits and `-`,
/// starting with a letter, at most 35 characters (BCP 47's longest).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(export, export_to = "console/src/generated/content/", type = "string")
)]
pub struct LocaleTag(String);

/// A string that is not a valid locale tag.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a locale tag (expected letters, digits and '-', like \"vi\" or \"zh-Hans\")")]
pub struct BadLocaleTag(pub String);

impl LocaleTag {
    /// Checks and wraps a tag.
    pub fn new(tag: &str) -> Result<Self, BadLocaleTag> {
        let valid = !tag.is_empty()
            && tag.len() <= 35
            && tag.starts_with(|c: char| c.is_ascii_alphabetic())
            && tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !tag.ends_with('-')
            && !tag.contains("--");
        if valid { Ok(Self(tag.to_owned())) } else { Err(BadLocaleTag(tag.to_owned())) }
    }

    /// The tag as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for LocaleTag {
    type Error = BadLocaleTag;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(&value)
    }
}

impl From<LocaleTag> for String {
    fn from(tag: LocaleTag) -> Self {
        tag.0
    }
}

impl fmt::Display for LocaleTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One value per locale, such as a title in Vietnamese and English.
///
/// Serialized as a JSON object keyed by locale tag, in tag order, so encoding is
/// deterministic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(export, export_to = "console/src/generated/content/")
)]
pub struct Localized<T>(BTreeMap<LocaleTag, T>);

impl<T> Default for Localized<T> {
    fn default() -> Self {
        Self(BTreeMap::new())
    }
}

impl<T> Localized<T> {
    /// Builds from `(tag, value)` pairs; panics on a bad tag, so it is meant for
    /// literals in tests and examples.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, T)>) -> Self {
        Self(
            pairs
                .into_iter()
                .map(|(tag, value)| (LocaleTag::new(tag).expect("literal locale tag"), value))
                .collect(),
        )
    }

    /// Sets the value for one locale.
    pub fn insert(&mut self, tag: LocaleTag, value: T) {
        self.0.insert(tag, value);
    }

    /// The value in `locale`, or else in `default`.
    pub fn get(&self, locale: &LocaleTag, default: &LocaleTag) -> Option<&T> {
        self.0.get(locale).or_else(|| self.0.get(default))
    }

    /// The value in exactly this locale, without fallback.
    pub fn exact(&self, locale: &LocaleTag) -> Option<&T> {
        self.0.get(locale)
    }

    /// Whether a value exists for this exact locale.
    pub fn has(&self, locale: &LocaleTag) -> bool {
        self.0.contains_key(locale)
    }

    /// The locales that have a value.
    pub fn locales(&self) -> impl Iterator<Item = &LocaleTag> {
        self.0.keys()
    }

    /// All `(locale, value)` pairs in tag order.
    pub fn iter(&self) -> impl Iterator<Item = (&LocaleTag, &T)> {
        self.0.iter()
    }

    /// Whether no locale has a value.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(s: &str) -> LocaleTag {
        LocaleTag::new(s).unwrap()
    }

    #[test]
    fn tags_accept_bcp47_shapes_and_refuse_the_rest() {
        for good in ["vi", "en", "zh-Hans", "en-US", "ko", "ja"] {
            assert!(LocaleTag::new(good).is_ok(), "{good}");
        }
        for bad in ["", "-vi", "vi-", "v i", "vi--x", "../etc", "1vi", &"x".repeat(36)] {
            assert!(LocaleTag::new(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_missing_translation_falls_back_to_the_default() {
        let text = Localized::from_pairs([("vi", "Chào"), ("en", "Hello")]);
        assert_eq!(text.get(&tag("en"), &tag("vi")), Some(&"Hello"));
        assert_eq!(text.get(&tag("ja"), &tag("vi")), Some(&"Chào"));
        assert_eq!(text.get(&tag("ja"), &tag("ko")), None);
    }

    #[test]
    fn serializes_as_an_object_in_tag_order() {
        let text = Localized::from_pairs([("vi", 1), ("en", 2)]);
        assert_eq!(serde_json::to_string(&text).unwrap(), r#"{"en":2,"vi":1}"#);
    }
}
