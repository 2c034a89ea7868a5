//! The yearly report as a reader gets it: rendered to PDF, then read back with
//! Debian's poppler-utils (pdfinfo, pdftotext, pdftoppm).
//!
//! The PDFs and PNG pages are kept in `$CARGO_TARGET_DIR/../yearly-report-samples/`
//! (or under cargo's test temporary folder) for a person to look at.

use std::path::{Path, PathBuf};
use std::process::Command;

use kiosk_yearly_report::{Fonts, Lang, YearlyReport, render};

/// Where the sample PDFs and PNG pages are written.
fn samples_dir() -> PathBuf {
    let dir = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(target) => PathBuf::from(target).join("..").join("yearly-report-samples"),
        None => Path::new(env!("CARGO_TARGET_TMPDIR")).join("yearly-report-samples"),
    };
    std::fs::create_dir_all(&dir).expect("create the samples folder");
    dir
}

/// Whether poppler-utils is installed; the tests say so and skip when it is not.
fn have_poppler() -> bool {
    let found = Command::new("pdftotext").arg("-v").output().is_ok();
    if !found {
        eprintln!("skipped: pdftotext is not installed (Debian package poppler-utils)");
    }
    found
}

fn fonts() -> Fonts {
    Fonts::from_system().unwrap_or_else(|err| panic!("{err}"))
}

fn run(program: &str, args: &[&str]) -> String {
    let output = Command::new(program).args(args).output().unwrap_or_else(|err| panic!("{program}: {err}"));
    assert!(output.status.success(), "{program} {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// A rendered report on disk with what poppler reads from it.
struct Rendered {
    path: PathBuf,
    pages: usize,
    info: String,
    text: String,
}

impl Rendered {
    fn new(report: &YearlyReport, lang: Lang, name: &str) -> Self {
        let pdf = render(report, lang, &fonts()).expect("render");
        assert!(pdf.starts_with(b"%PDF-"), "a PDF");
        let path = samples_dir().join(format!("{name}.pdf"));
        std::fs::write(&path, pdf).expect("write the PDF");
        let file = path.to_str().expect("UTF-8 path");
        let info = run("pdfinfo", &[file]);
        let pages = info
            .lines()
            .find_map(|line| line.strip_prefix("Pages:"))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or_else(|| panic!("pdfinfo names no page count:\n{info}"));
        let text = run("pdftotext", &["-enc", "UTF-8", file, "-"]);
        Rendered { path, pages, info, text }
    }

    fn page_text(&self, page: usize) -> String {
        let n = page.to_string();
        run("pdftotext", &["-enc", "UTF-8", "-f", &n, "-l", &n, self.path.to_str().expect("UTF-8 path"), "-"])
    }

    fn assert_has(&self, needles: &[&str]) {
        for needle in needles {
            assert!(self.text.contains(needle), "{} lacks {needle:?}:\n{}", self.path.display(), self.text);
        }
    }

    fn assert_a4(&self) {
        let size = self.info.lines().find(|line| line.starts_with("Page size:")).unwrap_or_default();
        assert!(size.contains("595.28 x 841.89") && size.contains("A4"), "not A4: {size}");
    }

    /// pdftoppm makes one PNG per page, into a folder of their own beside the PDF.
    fn assert_pictures(&self, resolution: u32) {
        let dir = self.path.with_extension("").with_extension(format!("r{resolution}"));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).expect("clear the old pictures");
        }
        std::fs::create_dir_all(&dir).expect("create the pictures folder");
        let prefix = dir.join("page");
        let prefix = prefix.to_str().expect("UTF-8 path");
        run(
            "pdftoppm",
            &["-png", "-r", &resolution.to_string(), self.path.to_str().expect("UTF-8 path"), prefix],
        );
        let pngs = std::fs::read_dir(&dir)
            .expect("read the pictures folder")
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|ext| ext == "png"))
            .count();
        assert_eq!(pngs, self.pages, "one PNG per page of {}", self.path.display());
    }
}

/// Each screen name is found, and every page showing screens repeats the table's header.
fn assert_every_screen(rendered: &Rendered, report: &YearlyReport, header: &str) {
    for screen in &report.screens {
        assert!(rendered.text.contains(&screen.name), "screen {} is missing", screen.name);
    }
    let mut pages_with_screens = 0;
    for page in 2..=rendered.pages {
        let text = rendered.page_text(page);
        if report.screens.iter().any(|s| text.contains(&s.name)) {
            pages_with_screens += 1;
            assert!(text.contains(header), "page {page} has screens but no header {header:?}:\n{text}");
        }
    }
    assert!(pages_with_screens >= 2, "40 screens span pages, found them on {pages_with_screens}");
}

#[test]
fn the_vietnamese_report_reads_back() {
    if !have_poppler() {
        return;
    }
    let report = YearlyReport::sample_in(Lang::Vi);
    let rendered = Rendered::new(&report, Lang::Vi, "bao-cao-2026-vi");
    assert!((8..=14).contains(&rendered.pages), "{} pages", rendered.pages);
    rendered.assert_a4();
    rendered.assert_has(&[
        "Báo cáo kết quả năm 2026",
        "Mạng kiosk thành phố thông minh Bình Dương",
        "TOP 1 ICF",
        "10 tháng 11 năm 2026, 08:30 (UTC+07:00)",
        "Asia/Ho_Chi_Minh",
        "1.234.567",
        "486.302",
        "18.742",
        "98,7%",
        "Lượt phát nội dung",
        "Tờ rơi được mang về",
        "Tiếng Việt",
        "Tiếng Hàn",
        "Nhật Bản",
        "Chưa ghi",
        "Đầu tư vào Bình Dương 2026",
        "Bạn biết đến Bình Dương qua kênh nào?",
        "Cả năm",
    ]);
    rendered.assert_has(&[&format!("Trang 2 / {}", rendered.pages)]);
    assert!(!rendered.text.contains("1,234,567"), "Vietnamese groups thousands with dots");
    assert_every_screen(&rendered, &report, "Vị trí");
    rendered.assert_pictures(60);
}

#[test]
fn the_english_report_reads_back() {
    if !have_poppler() {
        return;
    }
    let report = YearlyReport::sample_in(Lang::En);
    let rendered = Rendered::new(&report, Lang::En, "yearly-report-2026-en");
    assert!((8..=14).contains(&rendered.pages), "{} pages", rendered.pages);
    rendered.assert_a4();
    rendered.assert_has(&[
        "Yearly report 2026",
        "Bình Dương smart-city kiosk network",
        "Intelligent Community of the Year 2023",
        "10 November 2026, 08:30 (UTC+07:00)",
        "1,234,567",
        "486,302",
        "98.7%",
        "Brochures taken home",
        "Vietnamese",
        "Korean",
        "Japan",
        "Not set",
        "Invest in Bình Dương 2026",
        "Whole year",
    ]);
    rendered.assert_has(&[&format!("Page 2 of {}", rendered.pages)]);
    assert_every_screen(&rendered, &report, "Location");
    rendered.assert_pictures(60);
}

#[test]
fn an_empty_year_says_so_plainly() {
    if !have_poppler() {
        return;
    }
    let report = YearlyReport::empty(2026, "Asia/Ho_Chi_Minh", "2026-11-10T08:30:00+07:00");
    assert!(report.is_empty());
    for (lang, name, sentence) in [
        (Lang::Vi, "bao-cao-2026-trong-vi", "Không có dữ liệu nào được ghi nhận trong năm 2026."),
        (Lang::En, "yearly-report-2026-empty-en", "Nothing was recorded in 2026."),
    ] {
        let rendered = Rendered::new(&report, lang, name);
        assert_eq!(rendered.pages, 2, "the cover and the key figures");
        rendered.assert_a4();
        assert!(rendered.page_text(2).contains(sentence), "{name} lacks {sentence:?}:\n{}", rendered.text);
        rendered.assert_pictures(60);
    }
}

#[test]
fn an_empty_year_still_lists_its_screens() {
    if !have_poppler() {
        return;
    }
    let mut report = YearlyReport::empty(2026, "Asia/Ho_Chi_Minh", "2026-11-10T08:30:00+07:00");
    report.screens =
        YearlyReport::sample().screens.into_iter().take(3).map(|s| s.with_nothing_counted()).collect();
    report.totals.screens = 3;
    report.totals.channels = 1;
    report.totals.uptime_percent = Some(95.7);
    assert!(report.is_empty());
    let rendered = Rendered::new(&report, Lang::En, "yearly-report-2026-idle-en");
    assert_eq!(rendered.pages, 3);
    rendered.assert_has(&["Nothing was recorded in 2026.", "WTC-A-01", "Screens and uptime", "95.7%"]);
}

#[test]
fn the_model_travels_as_json() {
    let report = YearlyReport::sample();
    let json = serde_json::to_string(&report).expect("serialize");
    let back: YearlyReport = serde_json::from_str(&json).expect("deserialize");
    assert_eq!(back, report);
    assert_eq!(serde_json::to_string(&Lang::Vi).expect("lang"), "\"vi\"");
}

/// A sample screen that had nothing counted.
trait Idle {
    fn with_nothing_counted(self) -> Self;
}

impl Idle for kiosk_yearly_report::ScreenSummary {
    fn with_nothing_counted(self) -> Self {
        Self { plays: 0, interactions: 0, ..self }
    }
}

/// A year with long names, many languages, screens and answers.
fn crowded() -> YearlyReport {
    let mut report = YearlyReport::sample_in(Lang::Vi);
    let tags =
        ["vi", "en", "ko", "ja", "zh-Hans", "zh-Hant", "fr", "de", "nl", "th", "ru", "es", "sw", "pt-BR"];
    report.languages = tags
        .iter()
        .enumerate()
        .map(|(i, tag)| kiosk_yearly_report::Count {
            key: (*tag).to_owned(),
            label: None,
            count: 40_000 / (i as u64 + 1),
        })
        .collect();
    report.brochures[0].label = Some(
        "Cẩm nang đầu tư vào Thành phố mới Bình Dương và Khu đổi mới sáng tạo, ấn bản dành cho nhà đầu tư nước ngoài"
            .to_owned(),
    );
    report.top_chapters[0].label = Some(
        "Bình Dương giữ lời hứa qua hơn 25 năm chuyển mình: cân bằng tăng trưởng kinh tế, tiến bộ xã hội và tăng trưởng \
         xanh, lấy người dân và doanh nghiệp làm trung tâm"
            .to_owned(),
    );
    let template = report.screens[9].clone();
    report.screens = (1..=120)
        .map(|i| kiosk_yearly_report::ScreenSummary {
            name: format!("Màn hình {i:03}"),
            location: Some(format!(
                "Hội chợ Thương mại Quốc tế lần thứ {i}, gian hàng tỉnh Bình Dương, khu B"
            )),
            ..template.clone()
        })
        .collect();
    report.surveys[0].answers = (1..=14)
        .map(|i| kiosk_yearly_report::Count {
            key: format!("a{i}"),
            label: Some(format!("Câu trả lời số {i}")),
            count: 300 - i,
        })
        .collect();
    report.surveys[0].total = report.surveys[0].answers.iter().map(|a| a.count).sum();
    let more = report.surveys[1].clone();
    report.surveys.extend((1..=5).map(|i| kiosk_yearly_report::SurveySummary {
        survey: format!("Khảo sát bổ sung {i}"),
        ..more.clone()
    }));
    report
}

#[test]
fn a_crowded_report_reads_back() {
    if !have_poppler() {
        return;
    }
    let report = crowded();
    let rendered = Rendered::new(&report, Lang::Vi, "bao-cao-2026-day-vi");
    assert!(rendered.pages >= 12, "{} pages", rendered.pages);
    rendered.assert_a4();
    rendered.assert_has(&[
        "Tiếng Thái",
        "Khác",
        "Khảo sát bổ sung 5",
        "Câu trả lời số 14",
        "Cẩm nang đầu tư vào Thành phố mới Bình Dương",
    ]);
    assert_every_screen(&rendered, &report, "Vị trí");
    rendered.assert_pictures(60);
}
