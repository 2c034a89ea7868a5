//! A realistic year for tests and previews (feature `sample`). Every figure,
//! name and place in it is sample data, not a record of the real network.

use crate::model::{
    Count, CountryCount, Lang, MonthCounts, ScreenSummary, SurveySummary, Totals, YearlyReport,
};

/// How busy each month is: trade fairs in spring and autumn, a lull at Tết.
const SEASON: [u64; 12] = [7, 4, 9, 8, 8, 7, 6, 7, 10, 11, 12, 9];

/// `total` split in proportion to `weights`, the rounding left on the last part,
/// so the parts add up to `total` exactly.
fn spread(total: u64, weights: &[u64]) -> Vec<u64> {
    let sum: u64 = weights.iter().sum::<u64>().max(1);
    let mut parts: Vec<u64> = weights.iter().map(|w| total * w / sum).collect();
    let given: u64 = parts.iter().sum();
    if let Some(last) = parts.last_mut() {
        *last += total - given;
    }
    parts
}

fn count(key: &str, label: Option<&str>, count: u64) -> Count {
    Count { key: key.to_owned(), label: label.map(str::to_owned), count }
}

/// Picks the Vietnamese or the English of a sample label.
fn pick(lang: Lang, vi: &'static str, en: &'static str) -> Option<&'static str> {
    Some(if lang == Lang::Vi { vi } else { en })
}

impl YearlyReport {
    /// A realistic sample year (2026, 40 screens in 6 channels and 6 countries),
    /// its titles in Vietnamese. Sample data only.
    pub fn sample() -> Self {
        Self::sample_in(Lang::Vi)
    }

    /// The sample year with its brochure, chapter, item and survey titles in `lang`.
    pub fn sample_in(lang: Lang) -> Self {
        let totals = Totals {
            plays: 1_234_567,
            touches: 486_302,
            language_choices: 97_415,
            chapter_views: 203_889,
            brochure_downloads: 18_742,
            survey_answers: 6_318,
            screens: 40,
            channels: 6,
            uptime_percent: Some(98.74),
        };
        let months = |total| spread(total, &SEASON);
        let (plays, touches, chapters, brochures) = (
            months(totals.plays),
            months(totals.touches),
            months(totals.chapter_views),
            months(totals.brochure_downloads),
        );
        let monthly = (0..12)
            .map(|i| MonthCounts {
                month: i as u8 + 1,
                plays: plays[i],
                touches: touches[i],
                chapter_views: chapters[i],
                brochure_downloads: brochures[i],
            })
            .collect();
        let l = |vi, en| pick(lang, vi, en);
        YearlyReport {
            year: 2026,
            zone: "Asia/Ho_Chi_Minh".to_owned(),
            generated_at: "2026-11-10T08:30:00+07:00".to_owned(),
            totals,
            monthly,
            languages: vec![
                count("vi", None, 52_310),
                count("en", None, 27_604),
                count("ko", None, 8_917),
                count("ja", None, 5_233),
                count("zh-Hans", None, 2_861),
                count("de", None, 490),
            ],
            countries: vec![
                CountryCount { country: Some("VN".to_owned()), screens: 31, interactions: 512_904 },
                CountryCount { country: Some("JP".to_owned()), screens: 3, interactions: 61_377 },
                CountryCount { country: Some("KR".to_owned()), screens: 2, interactions: 44_215 },
                CountryCount { country: Some("DE".to_owned()), screens: 2, interactions: 19_830 },
                CountryCount { country: Some("SG".to_owned()), screens: 1, interactions: 11_296 },
                CountryCount { country: None, screens: 1, interactions: 2_059 },
            ],
            brochures: vec![
                count("invest-2026", l("Đầu tư vào Bình Dương 2026", "Invest in Bình Dương 2026"), 6_912),
                count(
                    "innovation-zone",
                    l("Khu đổi mới sáng tạo Bình Dương", "The Bình Dương Innovation Zone"),
                    4_180,
                ),
                count("new-city", l("Thành phố mới Bình Dương", "Bình Dương New City"), 3_064),
                count(
                    "industrial-parks",
                    l("Các khu công nghiệp và VSIP", "Industrial parks and VSIP"),
                    2_377,
                ),
                count("semiconductors", None, 1_418),
                count("study-in-binh-duong", l("Học tập tại Bình Dương", "Study in Bình Dương"), 791),
            ],
            top_chapters: vec![
                count(
                    "icf-2023",
                    l("TOP 1 ICF: Cộng đồng thông minh năm 2023", "TOP 1 ICF: Intelligent Community 2023"),
                    48_306,
                ),
                count(
                    "25-years",
                    l("Hơn 25 năm chuyển mình", "More than 25 years of transformation"),
                    39_771,
                ),
                count("invest", l("Điểm đến đầu tư hàng đầu", "A prime location for investment"), 33_120),
                count(
                    "innovation",
                    l("Khu đổi mới sáng tạo và khởi nghiệp", "The Innovation Zone and start-ups"),
                    27_054,
                ),
                count(
                    "semiconductors",
                    l("Bán dẫn và công nghiệp 4.0", "Semiconductors and Industry 4.0"),
                    21_889,
                ),
                count("talent", l("Thu hút và giữ chân nhân tài", "Attracting and keeping talent"), 17_402),
                count(
                    "universities",
                    l("Đại học và trung tâm nghiên cứu", "Universities and R&D centres"),
                    9_937,
                ),
            ],
            top_items: vec![
                count(
                    "film-25-years",
                    l("Phim: Bình Dương – 25 năm vươn mình", "Film: Bình Dương – 25 years"),
                    412_880,
                ),
                count(
                    "film-icf",
                    l("Phim: Cộng đồng thông minh 2023", "Film: Intelligent Community 2023"),
                    301_245,
                ),
                count(
                    "photo-new-city",
                    l("Ảnh: Thành phố mới về đêm", "Picture: the New City at night"),
                    188_034,
                ),
                count("photo-wtc", l("Ảnh: WTC Bình Dương", "Picture: WTC Bình Dương"), 122_617),
                count(
                    "film-investors",
                    l("Phim: Nhà đầu tư nói về Bình Dương", "Film: investors on Bình Dương"),
                    98_350,
                ),
                count("qr-brochures", l("Mã QR tờ rơi", "Brochure QR codes"), 61_902),
            ],
            screens: screens(),
            surveys: vec![
                SurveySummary {
                    survey: l("Khảo sát khách tham quan", "Visitor survey").unwrap_or_default().to_owned(),
                    question: l(
                        "Bạn biết đến Bình Dương qua kênh nào?",
                        "How did you hear about Bình Dương?",
                    )
                    .map(str::to_owned),
                    answers: vec![
                        count("fair", l("Hội chợ, triển lãm", "A trade fair"), 1_644),
                        count("social", l("Mạng xã hội", "Social media"), 1_203),
                        count("partner", l("Đối tác, đồng nghiệp", "A partner or colleague"), 788),
                        count("press", l("Báo chí", "The press"), 402),
                        count("other", l("Khác", "Other"), 151),
                    ],
                    total: 4_188,
                },
                SurveySummary {
                    survey: l("Ý định đầu tư", "Investment intent").unwrap_or_default().to_owned(),
                    question: l(
                        "Bạn có quan tâm đến việc đầu tư hoặc hợp tác tại Bình Dương không?",
                        "Are you interested in investing or cooperating in Bình Dương?",
                    )
                    .map(str::to_owned),
                    answers: vec![
                        count("yes", l("Có, trong năm tới", "Yes, within a year"), 702),
                        count("later", l("Có thể, sau này", "Maybe, later"), 1_019),
                        count("no", l("Chưa", "Not yet"), 409),
                    ],
                    total: 2_130,
                },
            ],
        }
    }
}

/// Screens named `{prefix}-01`…: prefix, channel, location, country, how many.
type Group = (&'static str, &'static str, Option<&'static str>, Option<&'static str>, usize);

/// Forty screens: the WTC booth, public halls, a university, an airport lounge,
/// investor meetings and fairs abroad.
fn screens() -> Vec<ScreenSummary> {
    let groups: [Group; 8] = [
        ("WTC-A", "wtc-booth", Some("Sảnh A, WTC Bình Dương"), Some("VN"), 8),
        (
            "WTC-B",
            "wtc-booth",
            Some("Sảnh B, WTC Bình Dương – Khu trưng bày đổi mới sáng tạo"),
            Some("VN"),
            6,
        ),
        ("HCC", "public-halls", Some("Trung tâm Hành chính tỉnh Bình Dương"), Some("VN"), 9),
        ("TDMU", "university", Some("Đại học Thủ Dầu Một"), Some("VN"), 5),
        ("Lounge", "investor-lounge", Some("Becamex IDC"), Some("VN"), 3),
        ("Tokyo", "overseas-fairs", Some("Trade fair, Tokyo"), Some("JP"), 3),
        ("Seoul", "overseas-fairs", Some("Trade fair, Seoul"), Some("KR"), 2),
        ("Fair", "overseas-fairs", None, None, 4),
    ];
    let mut screens = Vec::new();
    for (prefix, channel, location, country, n) in groups {
        for i in 1..=n {
            let k = screens.len() as u64;
            // The last fair screens moved between Germany, Singapore and an unset country.
            let country = match (prefix, i) {
                ("Fair", 1 | 2) => Some("DE"),
                ("Fair", 3) => Some("SG"),
                _ => country,
            };
            screens.push(ScreenSummary {
                name: format!("{prefix}-{i:02}"),
                channel: channel.to_owned(),
                location: location.map(str::to_owned),
                country: country.map(str::to_owned),
                uptime_percent: if k == 37 { None } else { Some(92.0 + ((k * 37) % 79) as f64 / 10.0) },
                plays: 0,
                interactions: 0,
            });
        }
    }
    let weights: Vec<u64> = (0..screens.len() as u64).map(|k| 20 + (k * 13) % 17).collect();
    let plays = spread(1_234_567, &weights);
    let interactions = spread(651_681, &weights);
    for ((screen, plays), interactions) in screens.iter_mut().zip(plays).zip(interactions) {
        screen.plays = plays;
        screen.interactions = interactions;
    }
    screens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_adds_up() {
        let report = YearlyReport::sample();
        assert_eq!(report.screens.len(), 40);
        assert_eq!(report.monthly.iter().map(|m| m.plays).sum::<u64>(), report.totals.plays);
        assert_eq!(report.languages.iter().map(|l| l.count).sum::<u64>(), report.totals.language_choices);
        assert_eq!(report.brochures.iter().map(|b| b.count).sum::<u64>(), report.totals.brochure_downloads);
        assert_eq!(report.surveys.iter().map(|s| s.total).sum::<u64>(), report.totals.survey_answers);
        let countries = report.countries.iter().map(|c| c.interactions).sum::<u64>();
        assert_eq!(report.screens.iter().map(|s| s.interactions).sum::<u64>(), countries);
        assert!(!report.is_empty());
    }
}
