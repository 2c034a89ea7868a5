//! Every word the report shows, one table per language (`words/vi.rs`, `words/en.rs`).
//!
//! A template marks what is filled in with `{name}`; [`fill`] fills it.

mod en;
mod vi;

use crate::model::Lang;

/// The words of one language.
pub(crate) struct Words {
    /// The report's title: `{year}`.
    pub title: &'static str,
    /// The kiosk network, under the title and in the running header.
    pub network: &'static str,
    /// What the network communicates: the TOP 1 ICF award.
    pub subtitle: &'static str,
    /// Whom the report is for.
    pub addressee: &'static str,
    /// The award badge's first line.
    pub badge: &'static str,
    /// The award badge's second line.
    pub badge_detail: &'static str,
    /// Label of the date the report was made.
    pub generated: &'static str,
    /// Label of the time zone days are counted in.
    pub zone: &'static str,
    /// The contents heading on the cover.
    pub contents: &'static str,
    /// The page footer: `{page}`, `{pages}`.
    pub page_of: &'static str,
    /// The page footer's left side.
    pub footer: &'static str,
    /// A date: `{day}`, `{month}` (a month's long name), `{year}`, `{time}`, `{offset}`.
    pub date: &'static str,
    /// Long month names, January first.
    pub months_long: [&'static str; 12],
    /// Short month names for chart axes and tables, January first.
    pub months_short: [&'static str; 12],

    /// Section 1's title.
    pub key_figures: &'static str,
    /// Section 1's lead: `{year}`, `{zone}`.
    pub key_figures_lead: &'static str,
    /// Items played.
    pub plays: &'static str,
    /// Screen touches.
    pub touches: &'static str,
    /// Language choices.
    pub language_choices: &'static str,
    /// Chapter views.
    pub chapter_views: &'static str,
    /// Brochures taken home.
    pub brochures_taken: &'static str,
    /// Survey answers.
    pub survey_answers: &'static str,
    /// Screens.
    pub screens: &'static str,
    /// Channels.
    pub channels: &'static str,
    /// Uptime.
    pub uptime: &'static str,
    /// Shown for an uptime no screen reported.
    pub not_reported: &'static str,
    /// The heading of the highlights under the key figures.
    pub highlights: &'static str,
    /// The busiest month: `{month}`, `{count}` touches.
    pub busiest_month: &'static str,
    /// The most chosen language other than Vietnamese: `{language}`, `{count}`.
    pub top_foreign_language: &'static str,
    /// The brochure taken home most: `{brochure}`, `{count}`.
    pub top_brochure: &'static str,
    /// The statement of an empty year: `{year}`.
    pub empty_year: &'static str,
    /// What an empty year's report leaves out.
    pub empty_year_detail: &'static str,

    /// Section 2's title.
    pub monthly: &'static str,
    /// The first monthly chart's title.
    pub monthly_chart_plays: &'static str,
    /// The second monthly chart's title.
    pub monthly_chart_content: &'static str,
    /// Column: month.
    pub month: &'static str,
    /// Column: plays, short.
    pub plays_short: &'static str,
    /// Column: touches, short.
    pub touches_short: &'static str,
    /// Column: chapter views, short.
    pub chapter_views_short: &'static str,
    /// Column: brochures, short.
    pub brochures_short: &'static str,
    /// The totals row.
    pub whole_year: &'static str,

    /// Section 3's title.
    pub languages_countries: &'static str,
    /// The language chart's title.
    pub by_language: &'static str,
    /// The country table's title.
    pub by_country: &'static str,
    /// Column: country.
    pub country: &'static str,
    /// Column: interactions.
    pub interactions: &'static str,
    /// Column: share of a whole.
    pub share: &'static str,
    /// A country that was not set.
    pub not_set: &'static str,

    /// Section 4's title.
    pub content: &'static str,
    /// The brochure chart's title.
    pub brochures_chart: &'static str,
    /// The chapter table's title.
    pub top_chapters: &'static str,
    /// The item table's title.
    pub top_items: &'static str,
    /// Column: chapter.
    pub chapter: &'static str,
    /// Column: views.
    pub views: &'static str,
    /// Column: playlist item.
    pub item: &'static str,

    /// Section 5's title.
    pub screens_uptime: &'static str,
    /// Section 5's lead: `{screens}`, `{channels}`, `{uptime}`.
    pub screens_lead: &'static str,
    /// Column: screen.
    pub screen: &'static str,
    /// Column: channel.
    pub channel: &'static str,
    /// Column: location.
    pub location: &'static str,
    /// Column: uptime, short.
    pub uptime_short: &'static str,

    /// Section 6's title.
    pub surveys: &'static str,
    /// Label before a survey's question.
    pub question: &'static str,
    /// Column: answer.
    pub answer: &'static str,
    /// Column: how often an answer was chosen.
    pub answers_count: &'static str,
    /// The total row of a survey.
    pub total: &'static str,

    /// The bar adding up what a chart has no room for.
    pub others: &'static str,
    /// Shown where a list has nothing in it.
    pub nothing_recorded: &'static str,
    /// Language names by locale tag, in this language.
    pub language_names: &'static [(&'static str, &'static str)],
    /// Country names by ISO 3166-1 alpha-2 code, in this language.
    pub country_names: &'static [(&'static str, &'static str)],
}

/// The words of `lang`.
pub(crate) fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Vi => &vi::WORDS,
        Lang::En => &en::WORDS,
    }
}

/// `template` with each `{name}` replaced by its value.
pub(crate) fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(template.to_owned(), |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
}

impl Words {
    /// A locale tag's language name; an unknown tag is shown as itself.
    ///
    /// `zh-Hant-TW` is looked up as `zh-Hant`, then `zh`.
    pub fn language_name(&self, tag: &str) -> String {
        let mut key = tag.trim().replace('_', "-");
        loop {
            if let Some((_, name)) = self.language_names.iter().find(|(k, _)| k.eq_ignore_ascii_case(&key)) {
                return (*name).to_owned();
            }
            match key.rfind('-') {
                Some(cut) => key.truncate(cut),
                None => return tag.to_owned(),
            }
        }
    }

    /// A country's name; `None` is "not set", an unknown code is shown as itself.
    pub fn country_name(&self, code: Option<&str>) -> String {
        let Some(code) = code.map(str::trim).filter(|code| !code.is_empty()) else {
            return self.not_set.to_owned();
        };
        self.country_names
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(code))
            .map_or_else(|| code.to_ascii_uppercase(), |(_, name)| (*name).to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fall_back_to_what_was_given() {
        let vi = words(Lang::Vi);
        assert_eq!(vi.language_name("ko"), "Tiếng Hàn");
        assert_eq!(vi.language_name("zh-Hant-TW"), "Tiếng Trung (phồn thể)");
        assert_eq!(vi.language_name("sw"), "sw");
        let en = words(Lang::En);
        assert_eq!(en.country_name(Some("vn")), "Vietnam");
        assert_eq!(en.country_name(Some("BR")), "BR");
        assert_eq!(en.country_name(None), "Not set");
        assert_eq!(vi.country_name(Some(" ")), "Chưa ghi");
    }

    #[test]
    fn templates_are_filled() {
        assert_eq!(fill(words(Lang::En).page_of, &[("page", "2"), ("pages", "7")]), "Page 2 of 7");
        assert_eq!(fill(words(Lang::Vi).page_of, &[("page", "2"), ("pages", "7")]), "Trang 2 / 7");
        assert_eq!(fill(words(Lang::Vi).title, &[("year", "2026")]), "Báo cáo kết quả năm 2026");
    }

    #[test]
    fn both_languages_name_the_same_languages_and_countries() {
        for names in [|w: &Words| w.language_names, |w: &Words| w.country_names] {
            let vi: Vec<_> = names(words(Lang::Vi)).iter().map(|(k, _)| *k).collect();
            let en: Vec<_> = names(words(Lang::En)).iter().map(|(k, _)| *k).collect();
            assert_eq!(vi, en);
        }
    }
}
