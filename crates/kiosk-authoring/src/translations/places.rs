//! Finds the localized values of one TOML file and names the place of each.
//!
//! The walk knows no field names, so a localized field added to the content model
//! is found without a change here. It recognises two shapes by the default
//! locale's key:
//!
//! - a text: a table or inline table whose default-locale key holds a string or a
//!   list of strings (`[title] vi = "…" en = "…"`, `label = { vi = "…" }`,
//!   `[scenes.highlights] vi = ["…"]`); every other key is a locale;
//! - words by locale: a table whose default-locale key holds a table of strings
//!   (`[ui.vi] back = "…"`, `[ui.en] back = "…"`); each word is a text of its own.
//!
//! A place is the file, then the keys down to the text, joined by ` › `; an
//! element of a list of tables is named by its `id`, or by its index when it has
//! none: `story/01-award.toml › scenes[new-york] › body`, `pack.toml › ui › back`.

use kiosk_core::locale::LocaleTag;
use sha2::{Digest, Sha256};
use toml_edit::{DocumentMut, Item, TableLike};

/// What joins the parts of a place's name.
pub const PLACE_SEPARATOR: &str = " › ";

/// One localized value of the author's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalizedText {
    /// Where it is, such as `story/01-award.toml › scenes[new-york] › body`.
    pub place: String,
    /// [`text_hash`] of the default-locale text.
    pub source_hash: String,
    /// The other locales that have a text here (not blank), in file order.
    pub translated: Vec<LocaleTag>,
}

impl LocalizedText {
    /// Whether `locale` has a text here.
    pub fn is_translated(&self, locale: &LocaleTag) -> bool {
        self.translated.contains(locale)
    }
}

/// A text as written in one locale: a string, or a list of strings (highlights).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text<'a> {
    /// A string.
    One(&'a str),
    /// A list of strings, which counts as one text.
    List(Vec<&'a str>),
}

impl<'a> Text<'a> {
    /// The text an item holds, if it holds a string or a list of strings.
    pub fn of(item: &'a Item) -> Option<Self> {
        if let Some(text) = item.as_str() {
            return Some(Self::One(text));
        }
        let list = item.as_array()?;
        list.iter().map(|value| value.as_str()).collect::<Option<Vec<_>>>().map(Self::List)
    }

    /// Whether there is nothing to read: a blank string, or a list without a
    /// word in it.
    pub fn is_blank(&self) -> bool {
        match self {
            Self::One(text) => text.trim().is_empty(),
            Self::List(items) => items.iter().all(|item| item.trim().is_empty()),
        }
    }
}

/// The first 16 hex digits of the SHA-256 of a text; a list is hashed as its
/// items, each followed by a NUL byte.
pub fn text_hash(text: &Text<'_>) -> String {
    let mut hasher = Sha256::new();
    match text {
        Text::One(text) => hasher.update(text.as_bytes()),
        Text::List(items) => items.iter().for_each(|item| {
            hasher.update(item.as_bytes());
            hasher.update([0]);
        }),
    }
    hasher.finalize()[..8].iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Every localized value of `document` (the file named `file`, relative to the
/// author's folder), in file order.
pub fn find_texts(file: &str, document: &DocumentMut, default_locale: &LocaleTag) -> Vec<LocalizedText> {
    let mut walk = Walk { file, default_locale, path: Vec::new(), found: Vec::new() };
    walk.table(document.as_table());
    walk.found
}

struct Walk<'a> {
    file: &'a str,
    default_locale: &'a LocaleTag,
    path: Vec<String>,
    found: Vec<LocalizedText>,
}

impl Walk<'_> {
    fn item(&mut self, item: &Item) {
        if let Some(table) = item.as_table_like() {
            self.table(table);
        } else if let Some(tables) = item.as_array_of_tables() {
            self.elements(tables.iter().map(|table| Some(table as &dyn TableLike)));
        } else if let Some(array) = item.as_array() {
            self.elements(array.iter().map(|value| value.as_inline_table().map(|t| t as &dyn TableLike)));
        }
    }

    fn table(&mut self, table: &dyn TableLike) {
        let source = table.get(self.default_locale.as_str());
        if let Some(text) = source.and_then(Text::of) {
            let translated = self.translations(table, Some);
            self.record(None, &text, translated);
        } else if let Some(words) = source.and_then(Item::as_table_like) {
            self.words_by_locale(table, words);
        } else {
            for (key, item) in table.iter() {
                self.path.push(key.to_owned());
                self.item(item);
                self.path.pop();
            }
        }
    }

    /// `[ui.vi] back = "…"` beside `[ui.en] back = "…"`: one text per word.
    fn words_by_locale(&mut self, table: &dyn TableLike, words: &dyn TableLike) {
        for (word, item) in words.iter() {
            let Some(text) = Text::of(item) else { continue };
            let translated =
                self.translations(table, |locale| locale.as_table_like().and_then(|words| words.get(word)));
            self.record(Some(word), &text, translated);
        }
    }

    /// The locales of `table` other than the default whose text (found by
    /// `text_in` from the locale's item) is there and not blank.
    fn translations<'t>(
        &self,
        table: &'t dyn TableLike,
        text_in: impl Fn(&'t Item) -> Option<&'t Item>,
    ) -> Vec<LocaleTag> {
        table
            .iter()
            .filter(|(key, _)| *key != self.default_locale.as_str())
            .filter(|(_, item)| text_in(item).and_then(Text::of).is_some_and(|text| !text.is_blank()))
            .filter_map(|(key, _)| LocaleTag::new(key).ok())
            .collect()
    }

    /// Each element under the last key, named by its `id` or its index.
    fn elements<'t>(&mut self, elements: impl Iterator<Item = Option<&'t dyn TableLike>>) {
        let key = self.path.pop().unwrap_or_default();
        for (index, element) in elements.enumerate() {
            let Some(element) = element else { continue };
            let name = match element.get("id").and_then(Item::as_str) {
                Some(id) => id.to_owned(),
                None => index.to_string(),
            };
            self.path.push(format!("{key}[{name}]"));
            self.table(element);
            self.path.pop();
        }
        self.path.push(key);
    }

    fn record(&mut self, last: Option<&str>, source: &Text<'_>, translated: Vec<LocaleTag>) {
        let place = std::iter::once(self.file)
            .chain(self.path.iter().map(String::as_str))
            .chain(last)
            .collect::<Vec<_>>()
            .join(PLACE_SEPARATOR);
        self.found.push(LocalizedText { place, source_hash: text_hash(source), translated });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(file: &str, toml: &str) -> Vec<LocalizedText> {
        let document: DocumentMut = toml.parse().unwrap();
        find_texts(file, &document, &LocaleTag::new("vi").unwrap())
    }

    fn places(found: &[LocalizedText]) -> Vec<&str> {
        found.iter().map(|text| text.place.as_str()).collect()
    }

    fn tags(found: &LocalizedText) -> Vec<&str> {
        found.translated.iter().map(LocaleTag::as_str).collect()
    }

    #[test]
    fn names_places_by_keys_and_ids_in_file_order() {
        let found = texts(
            "story/01-award.toml",
            r#"
            id = "award"
            cover = "images/award.svg"
            [title]
            vi = "Giải thưởng"
            en = "The award"
            [[scenes]]
            id = "new-york"
            image = "images/ny.svg"
            [scenes.body]
            vi = "Ngày 26/10/2023"
            ko = "2023년 10월 26일"
            [scenes.survey]
            id = "why"
            question = { vi = "Vì sao?", en = "Why?" }
            [[scenes.survey.options]]
            id = "work"
            label = { vi = "Làm việc", en = "Work" }
            [[scenes]]
            [scenes.title]
            vi = "Không có id"
            "#,
        );
        assert_eq!(
            places(&found),
            [
                "story/01-award.toml › title",
                "story/01-award.toml › scenes[new-york] › body",
                "story/01-award.toml › scenes[new-york] › survey › question",
                "story/01-award.toml › scenes[new-york] › survey › options[work] › label",
                "story/01-award.toml › scenes[1] › title",
            ]
        );
        assert_eq!(tags(&found[0]), ["en"]);
        assert_eq!(tags(&found[1]), ["ko"]);
        assert!(tags(&found[4]).is_empty());
    }

    #[test]
    fn finds_texts_in_inline_arrays_of_tables() {
        let found = texts(
            "playlists.toml",
            r#"items = [{ id = "hello", text = { vi = "Xin chào", ja = "こんにちは" } }, { text = { vi = "Hết" } }]"#,
        );
        assert_eq!(
            places(&found),
            ["playlists.toml › items[hello] › text", "playlists.toml › items[1] › text"]
        );
        assert_eq!(tags(&found[0]), ["ja"]);
    }

    #[test]
    fn words_by_locale_are_one_text_per_word() {
        let found = texts(
            "pack.toml",
            r#"
            default_locale = "vi"
            [ui.vi]
            back = "Quay lại"
            staff_pin = "Mã PIN nhân viên"
            [ui.en]
            back = "Back"
            staff_pin = "Staff PIN"
            [ui.ko]
            back = "뒤로"
            staff_pin = "  "
            "#,
        );
        assert_eq!(places(&found), ["pack.toml › ui › back", "pack.toml › ui › staff_pin"]);
        assert_eq!(tags(&found[0]), ["en", "ko"]);
        assert_eq!(tags(&found[1]), ["en"], "a blank word is not a translation");
        assert_eq!(found[1].source_hash, text_hash(&Text::One("Mã PIN nhân viên")));
    }

    #[test]
    fn a_list_is_one_text_hashed_item_by_item() {
        let found = texts(
            "story/02.toml",
            r#"
            [highlights]
            vi = ["3 năm liền", "TOP 1"]
            en = ["Three years running", "TOP 1"]
            ja = []
            "#,
        );
        assert_eq!(places(&found), ["story/02.toml › highlights"]);
        assert_eq!(tags(&found[0]), ["en"], "an empty list is not a translation");
        assert_eq!(found[0].source_hash, text_hash(&Text::List(vec!["3 năm liền", "TOP 1"])));
        assert_ne!(found[0].source_hash, text_hash(&Text::List(vec!["3 năm liềnTOP 1"])));
        assert_ne!(found[0].source_hash, text_hash(&Text::List(vec!["3 năm liền", "TOP 1", ""])));
    }

    #[test]
    fn hashes_are_sixteen_hex_digits_of_sha256() {
        // printf %s 'Xin chào' | sha256sum
        assert_eq!(text_hash(&Text::One("Xin chào")), "117ae605a3a02bf4");
        assert_eq!(text_hash(&Text::One("")), "e3b0c44298fc1c14");
    }

    #[test]
    fn ignores_tables_without_the_default_locale() {
        let found = texts(
            "playlists.toml",
            r#"
            [schedule]
            fallback = "welcome"
            window = { start = "08:00", end = "17:30" }
            [[channels]]
            name = "Facebook"
            "#,
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
